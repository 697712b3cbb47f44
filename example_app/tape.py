"""The demo page's "what the model produced" view: a recording of each model call.

The page sends ``X-Demo-Trace: <id>`` with a request; the model wrapper records the
messages sent and the text the model produced for that id, and ``GET /demo/trace/<id>``
shows them next to what the client received. This exists to *show* the leak the shield
stopped, so it holds raw model output: a demo device, never something to copy into an app.
It keeps the last :data:`MAX_TRACES` calls in memory, per process.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import has_request_context, request

MAX_TRACES = 256
HEADER = "X-Demo-Trace"
_TRACE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass
class Trace:
    messages: list[dict[str, str]]
    output: list[str] = field(default_factory=list)
    #: ``True`` once the model finished; ``False`` while streaming or if the shield (or
    #: the client) closed the stream before the model was done.
    finished: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "called": True,
            "prompt": self.messages,
            "output": "".join(self.output),
            "finished": self.finished,
        }


class Tape:
    """Bounded, thread-safe store of traces by id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._traces: OrderedDict[str, list[Trace]] = OrderedDict()

    def start(self, messages: Sequence[Mapping[str, Any]]) -> Trace | None:
        """Open a trace for the current request, if it asked for one."""
        if not has_request_context():
            return None
        trace_id = request.headers.get(HEADER, "")
        if not _TRACE_ID.fullmatch(trace_id):
            return None
        trace = Trace(
            [{"role": str(m.get("role")), "content": str(m.get("content"))} for m in messages]
        )
        with self._lock:
            self._traces.setdefault(trace_id, []).append(trace)
            self._traces.move_to_end(trace_id)
            while len(self._traces) > MAX_TRACES:
                self._traces.popitem(last=False)
        return trace

    def get(self, trace_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [t.as_json() for t in self._traces.get(trace_id, ())]

    def record(self, trace: Trace | None, chunks: Iterator[str]) -> Iterator[str]:
        """Pass ``chunks`` through, appending each to ``trace``."""
        try:
            for chunk in chunks:
                if trace is not None:
                    trace.output.append(chunk)
                yield chunk
            if trace is not None:
                trace.finished = True
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()


class RecordingModel:
    """Wrap a callable model so that each call is recorded on the tape."""

    def __init__(self, model: Any, tape: Tape) -> None:
        self.model = model
        self.tape = tape

    def __call__(self, messages: Sequence[Mapping[str, Any]], **params: Any) -> Iterator[str]:
        trace = self.tape.start(messages)  # now, while the request context is there
        result = self.model(messages, **params)
        return self.tape.record(trace, iter([result]) if isinstance(result, str) else result)


class _RecordingStream:
    """An openai ``Stream`` whose text deltas are recorded; closing it closes the original."""

    def __init__(self, stream: Any, trace: Trace | None) -> None:
        self._stream = stream
        self._trace = trace

    def __iter__(self) -> Iterator[Any]:
        for chunk in self._stream:
            if self._trace is not None:
                for choice in getattr(chunk, "choices", None) or ():
                    content = getattr(getattr(choice, "delta", None), "content", None)
                    if content:
                        self._trace.output.append(str(content))
            yield chunk
        if self._trace is not None:
            self._trace.finished = True

    def close(self) -> None:
        self._stream.close()


class _Completions:
    def __init__(self, completions: Any, tape: Tape) -> None:
        self._completions = completions
        self._tape = tape

    def create(self, *, messages: Sequence[Mapping[str, Any]], **params: Any) -> Any:
        trace = self._tape.start(messages)
        result = self._completions.create(messages=messages, **params)
        if params.get("stream"):
            return _RecordingStream(result, trace)
        if trace is not None:
            choices = getattr(result, "choices", None) or ()
            trace.output.append(str(choices[0].message.content or "") if choices else "")
            trace.finished = True
        return result


class _Chat:
    def __init__(self, chat: Any, tape: Tape) -> None:
        self.completions = _Completions(chat.completions, tape)


class RecordingClient:
    """Wrap an ``openai.OpenAI`` client: chat completions are recorded, the rest (API key,
    base URL, which the shield checks) is the client's own."""

    def __init__(self, client: Any, tape: Tape) -> None:
        self._client = client
        self.chat = _Chat(client.chat, tape)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
