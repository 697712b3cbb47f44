"""The live feed of shield events on the demo page, fed by the shield's signals.

Each signal becomes a small JSON event holding only kinds, JSON paths, fingerprints,
reasons, field names and outcomes: keys are copied from an allow-list, so a value-bearing
keyword a future signal might add is never shown. ``GET /events`` streams them as
server-sent events; ``GET /events/recent`` returns the last ones as JSON. The feed lives
in one process: run the demo with one worker (threads are fine) to see every event.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from blinker import NamedSignal
from flask import Flask

from flask_llm_shield import signals

#: Every signal the shield sends.
SIGNALS: tuple[NamedSignal, ...] = (
    signals.response_blocked,
    signals.response_redacted,
    signals.leak_detected,
    signals.scan_failed,
    signals.sensitive_field_denied,
    signals.sensitive_field_revealed,
    signals.undeclared_field,
    signals.unregistered_collection,
    signals.prompt_rejected,
    signals.stream_terminated,
    signals.llm_call,
)

#: Keyword arguments shown as they are (all are names, modes, counts or booleans).
SHOWN = (
    "mode",
    "status",
    "reason",
    "reasons",
    "blocked",
    "collection",
    "fields",
    "field",
    "model",
    "streamed",
    "outcome",
)

#: Endpoints of the demo's own plumbing: their events are not what the demo shows, and
#: ``events`` must not feed on itself.
INTERNAL_ENDPOINTS = frozenset({"events", "recent_events", "demo_trace", "static", "index"})

HISTORY = 200
HEARTBEAT_SECONDS = 10.0


def describe(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The privacy-safe event for one signal."""
    event: dict[str, Any] = {
        "signal": name,
        "time": datetime.now(UTC).strftime("%H:%M:%S"),
        "endpoint": kwargs.get("endpoint"),
    }
    for key in SHOWN:
        if key in kwargs:
            value = kwargs[key]
            event[key] = list(value) if isinstance(value, tuple) else value
    if "latency_ms" in kwargs:
        event["latency_ms"] = round(float(kwargs["latency_ms"]), 1)
    if "findings" in kwargs:
        event["findings"] = [
            {"kind": kind, "path": path, "fingerprint": fingerprint}
            for kind, path, fingerprint in kwargs["findings"]
        ]
    return event


def describe_app_event(name: str, **fields: Any) -> dict[str, Any]:
    """An event the demo app itself reports (no shield signal exists for it)."""
    return {
        "signal": name,
        "source": "app",
        "time": datetime.now(UTC).strftime("%H:%M:%S"),
        **fields,
    }


class EventFeed:
    """Keeps the last :data:`HISTORY` events and wakes the streams waiting for new ones."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._events: deque[tuple[int, dict[str, Any]]] = deque(maxlen=HISTORY)
        self._next_id = 1
        self._closed = False
        # blinker holds receivers weakly: the feed keeps its own.
        self._receivers: list[Any] = []

    def connect(self, app: Flask) -> None:
        for signal in SIGNALS:

            def receiver(sender: Any, _name: str = signal.name, **kwargs: Any) -> None:
                if kwargs.get("endpoint") in INTERNAL_ENDPOINTS:
                    return
                self.publish(describe(_name, kwargs))

            self._receivers.append(receiver)
            signal.connect(receiver, sender=app)

    def publish(self, event: dict[str, Any]) -> None:
        with self._cond:
            event["id"] = self._next_id
            self._events.append((self._next_id, event))
            self._next_id += 1
            self._cond.notify_all()

    def recent(self, after: int = 0) -> list[dict[str, Any]]:
        with self._cond:
            return [event for event_id, event in self._events if event_id > after]

    def close(self) -> None:
        """End every open stream (a server shutting down)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def stream(self, after: int = 0) -> Iterator[str]:
        """Server-sent events from id ``after`` on, until the feed closes or the client goes."""
        last = after
        yield "retry: 2000\n\n"
        while True:
            with self._cond:
                pending = [(i, e) for i, e in self._events if i > last]
                if not pending and not self._closed:
                    self._cond.wait(HEARTBEAT_SECONDS)
                    pending = [(i, e) for i, e in self._events if i > last]
                closed = self._closed
            for event_id, event in pending:
                last = event_id
                yield f"id: {event_id}\nevent: shield\ndata: {json.dumps(event)}\n\n"
            if closed:
                return
            if not pending:
                # A comment line: keeps proxies from timing the stream out and lets the
                # server notice a client that went away.
                yield f": {int(time.time())}\n\n"
