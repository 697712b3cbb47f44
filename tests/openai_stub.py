"""A local OpenAI-compatible chat-completions server for tests.

A real HTTP server on 127.0.0.1 (ephemeral port, one thread per request) that answers
``POST /v1/chat/completions`` with a plain JSON completion or, for ``"stream": true``, an
SSE stream of ``chat.completion.chunk`` objects ending with ``data: [DONE]``. Tests set
what the "model" says and how it is chunked, and read back every request the server got,
so they can assert what left the application.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ReplyFn = Callable[[dict[str, Any]], str]


@dataclass
class Received:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def text(self) -> str:
        """Every message content, joined: what the model was shown."""
        return "\n".join(str(m.get("content", "")) for m in self.messages)


@dataclass
class Script:
    reply: str | ReplyFn = "Hello from the stub model."
    #: Chunk sizes in characters for streamed replies; ``1`` streams one char per chunk.
    chunk_size: int = 8
    #: Explicit chunks (overrides ``reply``/``chunk_size`` when set).
    chunks: list[str] | None = None
    model: str = "stub-model"
    usage: dict[str, int] = field(
        default_factory=lambda: {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
    )
    #: Seconds to sleep between streamed chunks (used by disconnect tests).
    delay: float = 0.0


class OpenAIStub:
    """Start with :meth:`start`, stop with :meth:`stop`; ``base_url`` ends with ``/v1``."""

    def __init__(self) -> None:
        self.script = Script()
        self.received: list[Received] = []
        #: Number of streamed chunks the server managed to write, per request, in order.
        self.chunks_written: list[int] = []
        self.disconnects = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._active = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- configuration -------------------------------------------------------------

    def reset(self) -> None:
        """Forget received requests and restore the default reply."""
        with self._lock:
            self.script = Script()
            self.received.clear()
            self.chunks_written.clear()
            self.disconnects = 0

    def set_reply(
        self,
        reply: str | ReplyFn,
        *,
        chunk_size: int = 8,
        chunks: list[str] | None = None,
        delay: float = 0.0,
    ) -> None:
        self.script = Script(reply=reply, chunk_size=chunk_size, chunks=chunks, delay=delay)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Block until no request is being answered (the handler threads finished)."""
        with self._idle:
            self._idle.wait_for(lambda: self._active == 0, timeout=timeout)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "stub not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def last(self) -> Received:
        return self.received[-1]

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> OpenAIStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # silence the test log
                pass

            def do_POST(self) -> None:
                with stub._idle:
                    stub._active += 1
                try:
                    stub._handle(self)
                finally:
                    with stub._idle:
                        stub._active -= 1
                        stub._idle.notify_all()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    # -- protocol ------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length", "0"))
        body = json.loads(h.rfile.read(length) or b"{}")
        with self._lock:
            self.received.append(
                Received(h.path, {k.lower(): v for k, v in h.headers.items()}, body)
            )
            script = self.script
        if h.path.rstrip("/") != "/v1/chat/completions":
            self._json(h, 404, {"error": {"message": "not found", "type": "invalid_request"}})
            return
        text = script.reply(body) if callable(script.reply) else script.reply
        model = str(body.get("model") or script.model)
        if body.get("stream"):
            chunks = script.chunks
            if chunks is None:
                size = max(script.chunk_size, 1)
                chunks = [text[i : i + size] for i in range(0, len(text), size)]
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            self._stream(h, model, chunks, script, include_usage)
        else:
            self._json(
                h,
                200,
                {
                    "id": "chatcmpl-stub",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": script.usage,
                },
            )

    @staticmethod
    def _json(h: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _stream(
        self,
        h: BaseHTTPRequestHandler,
        model: str,
        chunks: list[str],
        script: Script,
        include_usage: bool,
    ) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Cache-Control", "no-cache")
        h.send_header("Connection", "close")
        h.end_headers()

        def event(delta: dict[str, Any], finish: str | None = None, usage: Any = None) -> bytes:
            chunk: dict[str, Any] = {
                "id": "chatcmpl-stub",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": []
                if usage
                else [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            if usage:
                chunk["usage"] = usage
            return b"data: " + json.dumps(chunk).encode() + b"\n\n"

        written = 0
        try:
            h.wfile.write(event({"role": "assistant", "content": ""}))
            for piece in chunks:
                if script.delay:
                    time.sleep(script.delay)
                h.wfile.write(event({"content": piece}))
                h.wfile.flush()
                written += 1
            h.wfile.write(event({}, finish="stop"))
            if include_usage:
                h.wfile.write(event({}, usage=script.usage))
            h.wfile.write(b"data: [DONE]\n\n")
            h.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            with self._lock:
                self.disconnects += 1
        finally:
            with self._lock:
                self.chunks_written.append(written)
