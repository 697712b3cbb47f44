"""Errors of the database layer leave the accessor as value-free :class:`DatabaseError`\\ s.

A server error message can quote a document value (``Failed to parse number '<ssn>'``, a
``$where`` that throws ``this.ssn``), the driver's exception carries the whole server
reply, and mongomock raises plain ``ValueError``\\ s quoting values it failed to convert.
None of it may reach a traceback, a log line, an error handler or the client, so every
call into the driver goes through :func:`call` (or catches and :func:`translate`\\ s
itself) and re-raises outside the ``except`` block: the new error has no ``__context__``
or ``__cause__`` pointing back at the original. Only the driver's call is wrapped, never
the accessor's own code, so a bug of ours is not disguised as a database error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ..errors import DatabaseError, DatabaseUnavailableError, QueryRefusedError
from .rules import UNAVAILABLE_CODES

try:
    from bson.errors import BSONError, InvalidBSON
    from pymongo.errors import OperationFailure, PyMongoError
except ImportError:  # pymongo is an optional extra: then nothing raises its errors

    class _Absent(Exception):
        """Stands for the driver's error classes when pymongo is not installed."""

    BSONError = InvalidBSON = OperationFailure = PyMongoError = _Absent  # type: ignore[misc,assignment]

P = ParamSpec("P")
T = TypeVar("T")

logger = logging.getLogger("flask_llm_shield")

#: Server code names are identifiers from a fixed table; anything else is dropped.
_CODE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")

#: Error labels the server puts on errors that a retry may not see again.
_TRANSIENT_LABELS = ("TransientTransactionError", "RetryableWriteError")


def translate(exc: Exception, collection: str) -> DatabaseError:
    """The value-free error that replaces ``exc``, raised by the database layer.

    400 (:class:`QueryRefusedError`): the server refused the query (an
    ``OperationFailure`` whose code is not a transient one), the query could not be
    encoded, or mongomock failed to evaluate it. 503 (:class:`DatabaseUnavailableError`):
    no server, a lost connection, a timeout, a transient server state, a reply that does
    not decode, a closed client.
    """
    code: int | None = None
    code_name = ""
    if isinstance(exc, OperationFailure):
        code = exc.code if isinstance(exc.code, int) else None
        name = (exc.details or {}).get("codeName")
        if isinstance(name, str) and _CODE_NAME.fullmatch(name):
            code_name = name
        refused = code not in UNAVAILABLE_CODES and not any(
            exc.has_error_label(label) for label in _TRANSIENT_LABELS
        )
    elif isinstance(exc, PyMongoError):
        refused = False
    else:
        refused = not isinstance(exc, InvalidBSON)
    error: DatabaseError
    if refused:
        error = QueryRefusedError(
            "the database refused the query", collection=collection, code=code, code_name=code_name
        )
    else:
        error = DatabaseUnavailableError(
            "the database is unavailable", collection=collection, code=code, code_name=code_name
        )
    # The exception's class name and the code are safe to log; its message is not.
    logger.warning(
        "flask-llm-shield: scoped read of %r failed: %s (server code %s %s)",
        collection,
        type(exc).__name__,
        code,
        code_name or "-",
    )
    return error


def call(collection: str, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` (a driver call), any error replaced by :func:`translate`'s."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # whatever the driver raises may quote a value
        error = translate(exc, collection)
    raise error
