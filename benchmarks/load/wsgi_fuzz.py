"""Requests built at the WSGI boundary, for fuzzing the whole app (not only the scanner).

:func:`environ` builds a raw WSGI environ (any method, path, header, content type and
charset, a body delivered in arbitrary chunks, a Content-Length that may lie or be
missing) and :func:`call` runs an app on it and collects status, headers and body the way
a server would (iterating the body, then closing it). ``tests/test_fuzz_wsgi.py`` drives
them with hypothesis; ``fuzz_atheris.py`` with atheris for longer runs.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any


class ChunkedInput(io.RawIOBase):
    """A ``wsgi.input`` that hands out its data in the given chunk sizes, like a socket
    that receives a body in several TCP segments."""

    def __init__(self, data: bytes, chunks: Sequence[int]) -> None:
        self._data = data
        self._pos = 0
        self._chunks = [c for c in chunks if c > 0] or [len(data) or 1]
        self._turn = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._pos >= len(self._data):
            return 0
        size = self._chunks[self._turn % len(self._chunks)]
        self._turn += 1
        piece = self._data[self._pos : self._pos + min(size, len(buffer))]
        buffer[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)


def environ(
    method: str,
    path: str,
    body: bytes = b"",
    *,
    content_type: str | None = None,
    headers: Mapping[str, str] | None = None,
    chunks: Sequence[int] = (),
    content_length: int | str | None = "exact",
    query: str = "",
) -> dict[str, Any]:
    """A WSGI environ. ``content_length`` is ``"exact"``, ``None`` (header absent, the
    body then ends where the input ends: ``wsgi.input_terminated``) or any number."""
    env: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        # WSGI carries the path as latin-1-decoded bytes of the raw (percent-decoded) path
        "PATH_INFO": path.encode("utf-8", "surrogateescape").decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(ChunkedInput(body, chunks)),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if content_type is not None:
        env["CONTENT_TYPE"] = content_type
    if content_length == "exact":
        env["CONTENT_LENGTH"] = str(len(body))
    elif content_length is None:
        env["wsgi.input_terminated"] = True
    else:
        env["CONTENT_LENGTH"] = str(content_length)
    for name, value in (headers or {}).items():
        key = "HTTP_" + name.upper().replace("-", "_")
        env[key] = value
    return env


def call(
    app: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]],
    env: dict[str, Any],
) -> tuple[int, dict[str, str], bytes]:
    """Run ``app`` on ``env``: ``(status, headers, body)``."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = {k.lower(): v for k, v in headers}
        return lambda data: None

    result = app(env, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return captured["status"], captured["headers"], body
