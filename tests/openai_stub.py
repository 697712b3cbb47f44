"""A local OpenAI-compatible chat-completions server for tests and load runs.

A real HTTP server on 127.0.0.1 (ephemeral port, one thread per request) that answers
``POST /v1/chat/completions`` with a plain JSON completion or, for ``"stream": true``, an
SSE stream of ``chat.completion.chunk`` objects ending with ``data: [DONE]``. Tests set
what the "model" says and how it is chunked, and read back every request the server got,
so they can assert what left the application.

Faults (``Script.fault``): ``"timeout"`` (answer nothing for ``hang`` seconds),
``"429"`` and ``"500"`` (an OpenAI-style JSON error), ``"drop"`` (close the connection
after two chunks, or before any answer when not streaming) and ``"malformed"`` (an SSE
event whose data is not JSON). ``GET /stats`` answers the request, in-flight and
disconnect counts as JSON.

Run as its own process (load runs, fault tests against gunicorn)::

    python tests/openai_stub.py --port 0 --latency 0.01 --port-file stub.port

It then echoes the prompt like a too-helpful model (see :func:`echo_reply`) and obeys
directives written in the last user message: ``[[fault:NAME]]``, ``[[latency:S]]`` and
``[[delay:S]]`` (seconds between streamed chunks) and ``[[ssn]]`` (the reply starts with
an SSN), so a client of the app under test can
choose the upstream's behaviour per request.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
    #: Seconds to sleep before answering (model latency).
    latency: float = 0.0
    #: ``None`` or one of :data:`FAULTS`.
    fault: str | None = None
    #: How long a ``"timeout"`` fault keeps the request unanswered (cut short by ``stop``).
    hang: float = 30.0


#: What ``[[ssn]]`` makes the echo model say (a well-formed US SSN).
RECORD_SSN = "123-45-6789"

FAULTS = ("timeout", "429", "500", "drop", "malformed")

_DIRECTIVE = re.compile(r"\[\[(fault|latency|delay):([A-Za-z0-9.]+)\]\]")


def echo_reply(body: dict[str, Any]) -> str:
    """Summarise by echoing the last user message; asked for its instructions, repeat the
    system prompt. That is how real models leak what they are given."""
    messages = body.get("messages") or []
    user = next((str(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), "")
    system = next((str(m.get("content")) for m in messages if m.get("role") == "system"), "")
    lowered = user.lower()
    if "[[ssn]]" in lowered:  # a reply that starts a finding in its first chunks
        return f"Record: {RECORD_SSN} is on file for this customer, {_DIRECTIVE.sub('', user)}"
    if "instruction" in lowered or "system prompt" in lowered:
        return f"Sure! My instructions are: {system}"
    return f"Summary: {_DIRECTIVE.sub('', user)}"


def _apply_directives(script: Script, body: dict[str, Any]) -> Script:
    messages = body.get("messages") or []
    text = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
    changes: dict[str, Any] = {}
    for name, value in _DIRECTIVE.findall(text):
        if name == "fault" and value in FAULTS:
            changes["fault"] = value
        elif name in ("latency", "delay"):
            changes[name] = min(float(value), 60.0)
    return replace(script, **changes) if changes else script


class _Server(ThreadingHTTPServer):
    # The default listen backlog (5) overflows under a load run: the kernel then drops
    # SYNs and clients retry after 1 s, which shows up as a 1 s p99 that is not the app's.
    request_queue_size = 256


class OpenAIStub:
    """Start with :meth:`start`, stop with :meth:`stop`; ``base_url`` ends with ``/v1``."""

    def __init__(self, *, directives: bool = False) -> None:
        #: Whether ``[[fault:...]]``-style directives in the prompt are obeyed.
        self.directives = directives
        self.script = Script()
        self.received: list[Received] = []
        #: Number of streamed chunks the server managed to write, per request, in order.
        self.chunks_written: list[int] = []
        self.disconnects = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._active = 0
        self.requests = 0
        self._stopping = threading.Event()
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
            self.requests = 0

    def set_reply(
        self,
        reply: str | ReplyFn,
        *,
        chunk_size: int = 8,
        chunks: list[str] | None = None,
        delay: float = 0.0,
        latency: float = 0.0,
        fault: str | None = None,
        hang: float = 30.0,
    ) -> None:
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        self.script = Script(
            reply=reply,
            chunk_size=chunk_size,
            chunks=chunks,
            delay=delay,
            latency=latency,
            fault=fault,
            hang=hang,
        )

    @property
    def active(self) -> int:
        """Requests being answered right now (each holds one upstream connection)."""
        with self._lock:
            return self._active

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "requests": self.requests,
                "active": self._active,
                "disconnects": self.disconnects,
            }

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

    def start(self, port: int = 0) -> OpenAIStub:
        stub = self
        self._stopping.clear()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # silence the test log
                pass

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/stats":
                    stub._json(self, 200, stub.stats())
                else:
                    stub._json(self, 404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                with stub._idle:
                    stub._active += 1
                    stub.requests += 1
                try:
                    stub._handle(self)
                finally:
                    with stub._idle:
                        stub._active -= 1
                        stub._idle.notify_all()

        self._server = _Server(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes hanging ("timeout") and slow handlers
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
        if self.directives:
            script = _apply_directives(script, body)
        if script.latency:
            self._stopping.wait(script.latency)
        if script.fault == "timeout":
            self._hang(h, script.hang)
            return
        elif script.fault in ("429", "500"):
            self._json(
                h,
                int(script.fault),
                {"error": {"message": f"stub fault {script.fault}", "type": "stub_fault"}},
                headers={"Retry-After": "1"} if script.fault == "429" else None,
            )
            return
        elif script.fault == "drop" and not body.get("stream"):
            self._drop(h)
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
    def _json(
        h: BaseHTTPRequestHandler,
        status: int,
        payload: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)

    def _hang(self, h: BaseHTTPRequestHandler, seconds: float) -> None:
        """Answer nothing for ``seconds``; stop early when the client hangs up (so the
        in-flight count shows whether the client closed its connection)."""
        deadline = time.monotonic() + seconds
        conn = h.connection
        while time.monotonic() < deadline and not self._stopping.is_set():
            readable, _, _ = select.select([conn], [], [], 0.05)
            if readable:
                try:
                    if not conn.recv(1, socket.MSG_PEEK):
                        return  # the client closed the connection
                except OSError:
                    return
                self._stopping.wait(0.05)
        h.close_connection = True

    @staticmethod
    def _drop(h: BaseHTTPRequestHandler) -> None:
        """Close the connection abruptly (RST where the OS allows), mid-answer."""
        h.wfile.flush()
        h.close_connection = True
        conn = h.connection
        try:
            conn.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

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
                    self._stopping.wait(script.delay)
                h.wfile.write(event({"content": piece}))
                h.wfile.flush()
                written += 1
                if script.fault == "drop" and written == 2:
                    self._drop(h)
                    return
                if script.fault == "malformed" and written == 2:
                    h.wfile.write(b'data: {"id": "chatcmpl-stub", "choices": [{"delta": \n\n')
                    h.wfile.flush()
                    return
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


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM/SIGINT, echoing prompts and obeying directives."""
    parser = argparse.ArgumentParser(description="OpenAI-compatible stub server (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before answering")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between chunks")
    parser.add_argument("--chunk-size", type=int, default=8)
    parser.add_argument("--hang", type=float, default=30.0, help="a 'timeout' fault's hang")
    parser.add_argument("--port-file", help="write the port here once listening")
    args = parser.parse_args(argv)
    stub = OpenAIStub(directives=True)
    stub.set_reply(
        echo_reply,
        chunk_size=args.chunk_size,
        delay=args.delay,
        latency=args.latency,
        hang=args.hang,
    )
    stub.start(args.port)
    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    port = stub.base_url.rsplit(":", 1)[1].split("/")[0]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(port)
        os.replace(args.port_file + ".tmp", args.port_file)
    print(stub.base_url, flush=True)
    done.wait()
    stub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
