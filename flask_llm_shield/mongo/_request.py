"""The Flask side of the accessor: the current app and endpoint (for signals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, has_request_context, request

if TYPE_CHECKING:
    from flask import Flask


def current_app_object() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]


def current_endpoint() -> str | None:
    return request.endpoint if has_request_context() else None
