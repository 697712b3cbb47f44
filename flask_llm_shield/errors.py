"""Exceptions raised by flask-llm-shield.

Every error derives from :class:`ShieldError`. Errors that refuse a request also derive
from the matching Werkzeug HTTP exception, so an application's own error handlers apply.
Messages never contain a matched value, a prompt or a document: only kinds, field paths,
config keys and the call that fixes the problem.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.exceptions import BadRequest, HTTPException, TooManyRequests


class ShieldError(Exception):
    """Base class of every flask-llm-shield error."""


class ConfigError(ShieldError, ValueError):
    """A ``LLM_SHIELD_*`` setting or an option has an invalid value.

    Raised at ``init_app`` (or when a decorator is applied), naming the key or option.
    """


class NotInitialisedError(ShieldError, RuntimeError):
    """The extension is used on an app where ``init_app`` was never called."""


class SensitiveFieldError(ShieldError, PermissionError):
    """A scoped MongoDB read asked for a field the collection's schema marks sensitive."""

    def __init__(self, message: str, *, collection: str = "", fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.collection = collection
        self.fields = fields


class UnsupportedPipelineError(SensitiveFieldError):
    """An aggregation stage or expression the accessor cannot analyse; refused (fail closed)."""


class UnregisteredCollectionError(ShieldError, LookupError):
    """A scoped read of a collection that has no schema while strict mode is on."""


class ReadOnlyAccessorError(ShieldError, AttributeError):
    """A write method was called on the read-only scoped accessor."""


class PromptRejectedError(ShieldError, BadRequest):
    """User input was refused before it reached the model (injection or PII)."""

    def __init__(self, reasons: tuple[str, ...] = (), *, description: str | None = None):
        super().__init__(description or "input rejected by the LLM shield")
        self.reasons = reasons

    def get_body(self, environ: Any = None, scope: Any = None) -> str:
        return json.dumps({"error": self.description, "reasons": list(self.reasons)})

    def get_headers(self, environ: Any = None, scope: Any = None) -> list[tuple[str, str]]:
        return [("Content-Type", "application/json")]


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


class LLMUnavailableError(ShieldError, HTTPException):
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

    def get_body(self, environ: Any = None, scope: Any = None) -> str:
        return json.dumps({"error": self.description, "reason": self.reason})

    def get_headers(self, environ: Any = None, scope: Any = None) -> list[tuple[str, str]]:
        return [("Content-Type", "application/json")]
