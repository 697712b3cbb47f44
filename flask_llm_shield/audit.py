"""The audit trail: every shield signal becomes a privacy-safe event.

An event holds the time, the app, the endpoint, the action (the signal's name), the
finding kinds, JSON paths and keyed fingerprints, a request id, and a few fixed-vocabulary
details (mode, status, reason...). Never a value, a prompt or a document: the receiver
copies only the keys listed in :data:`SAFE_DETAILS`.

Events go to the ``flask_llm_shield.audit`` logger at INFO, one JSON object per line
(give that logger a handler to keep them), and, with ``LLM_SHIELD_AUDIT_COLLECTION``, to a
MongoDB capped collection of ``LLM_SHIELD_AUDIT_SIZE`` bytes in the shield's database,
created when absent. Database writes happen on a background thread fed by a bounded
queue, so a slow or dead database never delays or fails a request; a dead database is
logged once per outage, not once per event. Any number of workers or hosts may write
to the same collection.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from blinker import NamedSignal
from flask import Flask, has_request_context, request

from . import signals
from .detect import Scanner
from .state import ENVIRON_KEY, ShieldState, get_state, request_state

AUDIT_LOGGER = logging.getLogger("flask_llm_shield.audit")
logger = logging.getLogger("flask_llm_shield")

#: Signal keyword arguments copied into events: fixed vocabularies, counts and names of
#: fields, never values.
SAFE_DETAILS: tuple[str, ...] = (
    "mode", "status", "reason", "blocked", "collection", "fields", "field", "reasons",
    "model", "streamed", "latency_ms", "usage", "outcome",
)  # fmt: skip
#: Request header whose value becomes the event's request id (when it is a plain token).
REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_KEY = "flask_llm_shield.request_id"
_HEADER_KEY = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")
_SAFE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,64}")
_BATCH = 500
_BACKOFF_MAX = 30.0


def request_id() -> str | None:
    """The current request's id: a sane ``X-Request-ID``, else one generated per request.

    Outside the request context (a stream served after the view returned) the id kept on
    the request's shield state is used.
    """
    if not has_request_context():
        rstate = request_state(create=False)
        if rstate is None:
            return None
        if rstate.request_id is None:
            rstate.request_id = uuid.uuid4().hex[:16]
        return rstate.request_id
    environ = request.environ
    rid = environ.get(REQUEST_ID_KEY)
    if rid is None:
        rstate = environ.get(ENVIRON_KEY)
        rid = rstate.request_id if rstate is not None else None
        if rid is None:
            given = environ.get(_HEADER_KEY, "")
            rid = given if _usable_id(given) else uuid.uuid4().hex[:16]
        environ[REQUEST_ID_KEY] = rid
        if rstate is not None:
            rstate.request_id = rid  # the stream's later events keep it
    return str(rid)


def _usable_id(given: str) -> bool:
    """Whether a client's ``X-Request-ID`` may be the events' id: a plain token that holds
    no finding (an SSN is a plain token too, and the client chooses the header)."""
    return _SAFE_ID.fullmatch(given) is not None and not get_state().scanner.scan(given)


def keep_request_id(environ: dict[str, Any] | None = None) -> None:
    """Keep a guarded request's ``X-Request-ID`` on its shield state, for the events its
    stream sends after the request context ended. The guard calls this when it activates
    (no ``before_request`` hook of its own: an unguarded request pays nothing). Two dict
    lookups; an id is generated only when an event needs one."""
    if environ is None:
        environ = request._get_current_object().environ  # type: ignore[attr-defined]
    given = environ.get(_HEADER_KEY)
    if given is not None:
        rstate = environ.get(ENVIRON_KEY)
        if rstate is not None and rstate.request_id is None and _usable_id(given):
            rstate.request_id = given


def _safe(value: Any) -> Any:
    """Keep JSON-able scalars and flat sequences of them (field names, reason codes)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value[:200]
    if isinstance(value, Mapping):
        return {str(k)[:64]: v for k, v in value.items() if isinstance(v, int | float)}
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v)[:200] for v in value][:100]
    return str(type(value).__name__)


def build_event(
    action: str,
    app_name: str,
    details: Mapping[str, Any],
    *,
    scanner: Scanner | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The event for one signal send. ``details`` are the signal's keyword arguments.

    With ``scanner``, field names that hold a finding (an undeclared field named after an
    e-mail address, say) are printed as ``*``.
    """
    findings = details.get("findings") or ()
    kinds: dict[str, None] = {}
    paths: dict[str, None] = {}
    prints: dict[str, None] = {}
    for item in findings:
        if isinstance(item, tuple | list) and len(item) == 3:
            kind, path, fingerprint = item
        else:  # a Finding object
            kind = getattr(item, "kind", None)
            path = getattr(item, "path", None)
            fingerprint = getattr(item, "fingerprint", None)
        if kind:
            kinds.setdefault(str(kind), None)
        if path:  # the scanner's paths: keys holding a finding are placeholders already
            paths.setdefault(str(path), None)
        if fingerprint:
            prints.setdefault(str(fingerprint), None)
    event: dict[str, Any] = {
        "time": now or datetime.now(UTC),
        "app": app_name,
        "endpoint": details.get("endpoint"),
        "action": action,
        "kinds": list(kinds),
        "paths": list(paths),
        "fingerprints": list(prints),
        "request_id": request_id(),
    }
    for key in SAFE_DETAILS:
        if key in details:
            event[key] = _safe(details[key])
    if scanner is not None:
        for key in ("field", "fields"):
            if isinstance(event.get(key), str):
                event[key] = mask_name(event[key], scanner)
            elif isinstance(event.get(key), list):
                event[key] = [mask_name(f, scanner) for f in event[key]]
    return event


def mask_name(name: str, scanner: Scanner) -> str:
    """A document key as printed: the parts that are data (an e-mail address used as a
    key, say) replaced by their kind label."""
    findings = scanner.scan(name)
    return scanner.redact(name, findings) if findings else name


def event_json(event: Mapping[str, Any]) -> str:
    out = dict(event)
    out.pop("_id", None)
    when = out.get("time")
    if isinstance(when, datetime):
        # MongoDB hands dates back naive, in UTC.
        out["time"] = (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()
    return json.dumps(out, sort_keys=False, default=str)


class MongoSink:
    """Writes events to a capped collection from a background thread.

    ``put`` never blocks and never raises: a full queue drops the event (counted, and
    logged once per outage). The thread resolves the database lazily and re-creates
    itself after a fork (gunicorn workers each get their own).
    """

    def __init__(
        self, database: Callable[[], Any], name: str, *, size: int, capacity: int
    ) -> None:
        self._database = database
        self.name = name
        self.size = size
        self.capacity = capacity
        self.dropped = 0
        self.written = 0
        self._pid = -1
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(capacity)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._ready = False
        self._down = False
        self._full_reported = False

    def _ensure_thread(self) -> None:
        if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._pid != os.getpid():  # a fresh process (fork): fresh queue and thread
                self._queue = queue.Queue(self.capacity)
                self._pid = os.getpid()
                self._ready = False
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="flask-llm-shield-audit", daemon=True
                )
                self._thread.start()

    def put(self, event: dict[str, Any]) -> None:
        try:
            self._ensure_thread()
            self._queue.put_nowait(event)
        except queue.Full:
            self.dropped += 1
            if not self._full_reported:
                self._full_reported = True
                logger.warning(
                    "flask-llm-shield: audit queue full (%d events); dropping events until "
                    "the database catches up",
                    self.capacity,
                )
        except Exception as exc:  # never let auditing fail the request
            self.dropped += 1
            logger.warning("flask-llm-shield: audit event dropped (%s)", type(exc).__name__)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event was written or dropped (tests, CLI, shutdown)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def collection(self) -> Any:
        """The audit collection, created (capped) when absent."""
        db = self._database()
        coll = db[self.name]
        if self._ready:
            return coll
        if self.name not in db.list_collection_names(filter={"name": self.name}):
            try:
                db.create_collection(self.name, capped=True, size=self.size)
            except NotImplementedError:  # mongomock has no capped collections
                db.create_collection(self.name)
            except Exception as exc:
                # Another worker or host created it first: NamespaceExists (code 48), which
                # pymongo raises as CollectionInvalid.
                if getattr(exc, "code", None) != 48 and type(exc).__name__ != "CollectionInvalid":
                    raise
        else:
            options = coll.options()
            if not options.get("capped", False):
                logger.warning(
                    "flask-llm-shield: audit collection %r exists and is not capped; it will "
                    "grow without bound",
                    self.name,
                )
        self._ready = True
        return coll

    def _run(self) -> None:
        backoff = 0.5
        while True:
            first = self._queue.get()
            batch = [first]
            while len(batch) < _BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            events = [e for e in batch if e is not None]
            try:
                if events:
                    self.collection().insert_many(events, ordered=False)
                    self.written += len(events)
                if self._down:
                    logger.warning(
                        "flask-llm-shield: audit collection %r reachable again (%d events "
                        "dropped meanwhile)",
                        self.name,
                        self.dropped,
                    )
                self._down = False
                self._full_reported = False
                backoff = 0.5
            except Exception as exc:
                self.dropped += len(events)
                self._ready = False
                if not self._down:
                    self._down = True
                    logger.warning(
                        "flask-llm-shield: audit collection %r unavailable (%s); events go to "
                        "the log only until it answers again",
                        self.name,
                        type(exc).__name__,
                    )
                time.sleep(backoff)
                backoff = min(backoff * 2, _BACKOFF_MAX)
            finally:
                for _ in batch:
                    self._queue.task_done()
            if first is None:
                return


@dataclass(eq=False)
class AuditTrail:
    """The audit trail of one app."""

    app_name: str
    log: bool
    sink: MongoSink | None = None
    #: Masks path segments that hold a finding (see :func:`build_event`).
    scanner: Scanner | None = None
    #: Called with each event (the demo's live feed, tests); must not raise.
    listeners: list[Callable[[dict[str, Any]], None]] = field(default_factory=list)

    def record(self, action: str, details: Mapping[str, Any]) -> dict[str, Any] | None:
        log = self.log and AUDIT_LOGGER.isEnabledFor(logging.INFO)
        if not (log or self.sink is not None or self.listeners):
            return None  # nobody listens: build nothing
        event = build_event(action, self.app_name, details, scanner=self.scanner)
        if log:
            AUDIT_LOGGER.info(event_json(event))
        if self.sink is not None:
            self.sink.put(dict(event))
        for listener in self.listeners:
            try:
                listener(event)
            except Exception as exc:
                logger.warning("flask-llm-shield: audit listener failed (%s)", type(exc).__name__)
        return event


_trails: WeakKeyDictionary[Flask, AuditTrail] = WeakKeyDictionary()
_connected: list[tuple[NamedSignal, Callable[..., None]]] = []
_connect_lock = threading.Lock()


def _all_signals() -> list[NamedSignal]:
    return [v for v in vars(signals).values() if isinstance(v, NamedSignal)]


def _receiver(action: str) -> Callable[..., None]:
    def receive(sender: Any, **details: Any) -> None:
        try:
            trail = _trails.get(sender)
        except TypeError:  # an unhashable or non-weakrefable sender: not one of our apps
            return
        if trail is None:
            return
        try:
            trail.record(action, details)
        except Exception as exc:  # a receiver that raises would break the sender
            logger.warning("flask-llm-shield: audit event lost (%s)", type(exc).__name__)

    return receive


def install(app: Flask, state: ShieldState) -> AuditTrail | None:
    """Turn ``app``'s shield signals into audit events (called by ``init_app``)."""
    config = state.config
    if not config.audit_log and config.audit_collection is None:
        return None
    sink = None
    if config.audit_collection is not None:
        sink = MongoSink(
            state.database,
            config.audit_collection,
            size=config.audit_size,
            capacity=config.audit_queue,
        )
    trail = AuditTrail(app.name, config.audit_log, sink, state.scanner)
    _trails[app] = trail
    _connect()
    return trail


def _connect() -> None:
    with _connect_lock:
        if not _connected:
            for signal in _all_signals():
                receiver = _receiver(signal.name)
                signal.connect(receiver, weak=False)
                _connected.append((signal, receiver))


def _flush_all() -> None:
    """At interpreter exit, give queued events a moment to reach the database."""
    for trail in list(_trails.values()):
        if trail.sink is not None:
            trail.sink.flush(timeout=2.0)


atexit.register(_flush_all)


def subscribe(app: Flask, listener: Callable[[dict[str, Any]], None]) -> AuditTrail:
    """Call ``listener(event)`` for every audit event of ``app`` (a live feed, say), even
    with ``LLM_SHIELD_AUDIT_LOG`` off. The listener must be quick; what it raises is
    logged by type and dropped."""
    trail = _trails.get(app)
    if trail is None:
        state = get_state(app)
        trail = AuditTrail(app.name, False, None, state.scanner)
        _trails[app] = trail
        _connect()
    trail.listeners.append(listener)
    return trail


def trail_of(app: Flask) -> AuditTrail | None:
    """The audit trail of ``app`` (``None`` when auditing is off)."""
    return _trails.get(app)


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """``"15m"``, ``"2h"``, ``"7d"``, ``"30s"`` ago, or an ISO 8601 time (UTC if naive)."""
    now = now or datetime.now(UTC)
    m = re.fullmatch(r"\s*(\d{1,9})\s*([smhd])\s*", text)
    if m:
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[m.group(2)]
        return now - timedelta(**{unit: int(m.group(1))})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"--since expects a duration such as 15m, 2h, 7d or an ISO time, got {text!r}"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def recent_events(
    sink: MongoSink,
    *,
    since: datetime | None = None,
    kinds: Iterable[str] = (),
    endpoint: str | None = None,
    action: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """The newest events of the audit collection matching the filters, newest first."""
    query: dict[str, Any] = {}
    if since is not None:
        query["time"] = {"$gte": since}
    kinds = list(kinds)
    if kinds:
        query["kinds"] = {"$in": kinds}
    if endpoint:
        query["endpoint"] = endpoint
    if action:
        query["action"] = action
    coll = sink.collection()
    cursor = coll.find(query, {"_id": 0}).sort([("$natural", -1)]).limit(limit)
    return list(cursor)
