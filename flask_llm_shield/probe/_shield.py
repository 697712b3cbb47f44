"""Where the probe finds the app's shield: its per-app state (never ``extension.py``)."""

from __future__ import annotations

from flask import Flask

from ..schemas import CollectionSchema
from ..state import ShieldState, get_state


def app_state(app: Flask) -> ShieldState:
    return get_state(app)


def registered_schemas(app: Flask) -> dict[str, CollectionSchema]:
    registry = get_state(app).schemas
    out: dict[str, CollectionSchema] = {}
    for name in registry:
        schema = registry.get(name)
        if schema is not None:
            out[name] = schema
    return out
