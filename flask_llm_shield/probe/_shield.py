"""Where the probe finds the app's shield (one place to change when state moves)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from ..errors import NotInitialisedError
from ..schemas import CollectionSchema

EXTENSION_KEY = "llm_shield"


def app_state(app: Flask) -> Any:
    try:
        return app.extensions[EXTENSION_KEY]
    except KeyError:
        raise NotInitialisedError(
            "flask-llm-shield is not initialised on this app; call init_app"
        ) from None


def registered_schemas(app: Flask) -> dict[str, CollectionSchema]:
    registry = app_state(app).shield._schemas
    return {name: registry.get(name) for name in registry}
