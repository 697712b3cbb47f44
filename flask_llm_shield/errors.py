"""Exceptions raised by flask-llm-shield.

Every error derives from :class:`ShieldError`. Errors that refuse a request also derive
from the matching Werkzeug HTTP exception, so an application's own error handlers apply.
Messages never contain a matched value, a prompt or a document: only kinds, field paths,
config keys and the call that fixes the problem.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    HTTPException,
    ServiceUnavailable,
    TooManyRequests,
)


class ShieldError(Exception):
    """Base class of every flask-llm-shield error."""


class ConfigError(ShieldError, ValueError):
    """A ``LLM_SHIELD_*`` setting or an option has an invalid value.

    Raised at ``init_app`` (or when a decorator is applied), naming the key or option.
    """


class NotInitialisedError(ShieldError, RuntimeError):
    """The extension is used on an app where ``init_app`` was never called."""


class _JSONBody:
    """Answer with a small JSON document instead of Werkzeug's HTML page.

    Mixed in before the Werkzeug exception. The body holds :meth:`json_body` only: the
    description and names, never a value, a server message or a traceback.
    """

    def json_body(self) -> dict[str, Any]:
        return {"error": getattr(self, "description", None)}

    def get_body(self, environ: Any = None, scope: Any = None) -> str:
        return json.dumps(self.json_body())

    def get_headers(self, environ: Any = None, scope: Any = None) -> list[tuple[str, str]]:
        return [("Content-Type", "application/json")]


class SensitiveFieldError(_JSONBody, ShieldError, PermissionError, Forbidden):
    """A scoped MongoDB read asked for a field the collection's schema marks sensitive.

    Unhandled in a view it answers 403 with ``{"error", "collection", "fields"}``;
    ``str(error)`` is the developer-facing message (field paths and the fix).
    """

    def __init__(self, message: str, *, collection: str = "", fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.description = "refused by the scoped database accessor"
        self.response = None
        self.collection = collection
        self.fields = fields

    def json_body(self) -> dict[str, Any]:
        return {
            "error": self.description,
            "collection": self.collection,
            "fields": list(self.fields),
        }


class UnsupportedPipelineError(SensitiveFieldError):
    """A query, stage or expression the accessor cannot analyse or will not run; refused."""


class DatabaseError(_JSONBody, ShieldError):
    """A scoped read failed in the driver or on the server.

    The server's message, its reply and the driver's exception are dropped (a server error
    can quote a document value: ``Failed to parse number '<value>'``); what is kept is the
    collection and, for a server error, its numeric code and code name.
    """

    def __init__(
        self, message: str, *, collection: str = "", code: int | None = None, code_name: str = ""
    ):
        super().__init__(message)
        self.message = message
        self.collection = collection
        self.server_code = code
        self.code_name = code_name

    def __str__(self) -> str:
        return self.message

    def json_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.message, "collection": self.collection}
        if self.server_code is not None:
            body["code"] = self.server_code
        if self.code_name:
            body["code_name"] = self.code_name
        return body


class QueryRefusedError(DatabaseError, BadRequest):
    """The server refused a scoped query (bad operator, failed conversion, ...): 400."""


class DatabaseUnavailableError(DatabaseError, ServiceUnavailable):
    """The database could not be reached or answered in time: 503 with no server detail."""


class UnregisteredCollectionError(ShieldError, LookupError):
    """A scoped read of a collection that has no schema while strict mode is on."""


class ReadOnlyAccessorError(ShieldError, AttributeError):
    """A write method was called on the read-only scoped accessor."""


class PromptRejectedError(_JSONBody, ShieldError, BadRequest):
    """User input was refused before it reached the model (injection or PII)."""

    def __init__(self, reasons: tuple[str, ...] = (), *, description: str | None = None):
        super().__init__(description or "input rejected by the LLM shield")
        self.reasons = reasons

    def json_body(self) -> dict[str, Any]:
        return {"error": self.description, "reasons": list(self.reasons)}


class SensitivePromptValueError(ShieldError, ValueError):
    """A value rendered into a prompt is sensitive and the route does not allow its kind."""

    def __init__(self, message: str, *, kinds: tuple[str, ...] = ()):
        super().__init__(message)
        self.kinds = kinds


class InsecureLLMEndpointError(ShieldError, ValueError):
    """An LLM client has no API key or talks plain HTTP to a non-loopback host."""


class LeakBlockedError(ShieldError):
    """A guarded LLM call produced (or was about to send) sensitive data and was blocked.

    ``kinds`` and ``paths`` describe the findings; values are never included.
    """

    def __init__(self, message: str, *, kinds: tuple[str, ...] = ()):
        super().__init__(message)
        self.kinds = kinds


class ThrottledError(ShieldError, TooManyRequests):
    """A client that set off too many blocks or rejections is refused until its window
    passes (429 with ``Retry-After``)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many blocked or rejected requests from this client")
        self.retry_after = max(1, retry_after)

    def get_body(self, environ: Any = None, scope: Any = None) -> str:
        return json.dumps({"error": self.description, "retry_after": self.retry_after})

    def get_headers(self, environ: Any = None, scope: Any = None) -> list[tuple[str, str]]:
        return [("Content-Type", "application/json"), ("Retry-After", str(self.retry_after))]


class LLMUnavailableError(_JSONBody, ShieldError, HTTPException):
    """A guarded LLM call failed upstream: it timed out (504), was rate-limited (503) or
    the endpoint answered an error or dropped the connection (502).

    The JSON body names only the ``reason`` (``"timeout"``, ``"rate-limited"``,
    ``"upstream-error"``, ``"connection"``; ``"truncated"`` for a stream that ended without
    a ``finish_reason``), never the prompt or the upstream's message.
    """

    def __init__(self, reason: str, *, code: int = 502) -> None:
        super().__init__("the language model endpoint failed")
        self.code = code
        self.reason = reason

    def json_body(self) -> dict[str, Any]:
        return {"error": self.description, "reason": self.reason}
