"""Driver and server errors leave the accessor as value-free :class:`DatabaseError`\\ s.

A server error message can quote a document value (``Failed to parse number '<ssn>'``, a
``$where`` that throws ``this.ssn``), and the driver's exception carries the whole server
reply. Neither may reach a traceback, a log line, an error handler or the client, so every
read runs through :func:`call` (or catches :data:`DRIVER_ERRORS` itself) and re-raises
outside the ``except`` block: the new error has no ``__context__`` or ``__cause__``
pointing back at the original.
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
except ImportError:  # pymongo is an optional extra; without it nothing raises these
    DRIVER_ERRORS: tuple[type[Exception], ...] = ()
else:
    DRIVER_ERRORS = (PyMongoError, BSONError)

P = ParamSpec("P")
T = TypeVar("T")

logger = logging.getLogger("flask_llm_shield")

#: Server code names are identifiers from a fixed table; anything else is dropped.
_CODE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


def translate(exc: Exception, collection: str) -> DatabaseError:
    """The value-free error that replaces ``exc`` (a pymongo or bson error)."""
    code: int | None = None
    code_name = ""
    if isinstance(exc, OperationFailure):
        code = exc.code if isinstance(exc.code, int) else None
        name = (exc.details or {}).get("codeName")
        if isinstance(name, str) and _CODE_NAME.fullmatch(name):
            code_name = name
        transient = code in UNAVAILABLE_CODES or any(
            exc.has_error_label(label)
            for label in ("TransientTransactionError", "RetryableWriteError")
        )
        refused = not transient
    else:
        # Encoding the caller's query failed (InvalidDocument, InvalidStringData): the
        # query is at fault. Everything else (no server, a reply that does not decode, a
        # closed client) means the database cannot serve the read.
        refused = isinstance(exc, BSONError) and not isinstance(exc, InvalidBSON)
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
    """``fn(*args, **kwargs)``, with a driver error replaced by :func:`translate`'s."""
    try:
        return fn(*args, **kwargs)
    except DRIVER_ERRORS as exc:
        error = translate(exc, collection)
    raise error
