"""Per-app and per-request shield state: the floor every feature stands on.

- :class:`ShieldState` is what one app needs at request time (the frozen config, the base
  scanner, the database source, the scanners derived per route). ``init_app`` builds it;
  the :class:`~flask_llm_shield.LLMShield` stored in ``app.extensions["llm_shield"]``
  keeps one per app (one shield may serve several apps). :func:`get_state` finds it
  through ``current_app``, so features never import ``extension.py``.
- :class:`RequestShieldState` holds what one request taught the shield: values the scoped
  accessor withheld (or revealed), the system prompts and canaries rendered for this
  request, and the options of the guarded route being served. It dies with the request;
  nothing crosses requests or threads, and nothing here is ever logged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from flask import current_app, g, has_app_context, has_request_context, request

from .errors import NotInitialisedError
from .schemas import SchemaRegistry

if TYPE_CHECKING:
    from flask import Flask
    from pymongo.database import Database

    from .config import ShieldConfig
    from .detect import Scanner
    from .options import RouteOptions

#: Key of the extension in ``app.extensions``; the value is the ``LLMShield`` object.
EXTENSION_KEY = "llm_shield"


@dataclass(eq=False)
class ShieldState:
    """What one app needs at request time."""

    config: ShieldConfig
    #: The app's base scanner: the configured kinds, allow-list and fingerprint key.
    scanner: Scanner
    db_source: Any = None
    #: The collection schemas registered on the shield (shared by its apps; read-only
    #: for features such as the probe and the audit).
    schemas: SchemaRegistry = field(default_factory=SchemaRegistry)
    #: Scanners derived for routes with their own ``kinds``/``allow_kinds``, built once.
    route_scanners: dict[Any, Scanner] = field(default_factory=dict, repr=False)
    #: The attacker throttle, when ``LLM_SHIELD_THROTTLE`` is set.
    throttle: Brake | None = None
    _db: Any = field(default=None, repr=False)

    def database(self) -> Database[Any]:
        """Resolve the configured database lazily (never at ``init_app``)."""
        if self._db is not None:
            return self._db  # type: ignore[no-any-return]
        source = self.db_source
        if source is None:
            raise NotInitialisedError(
                "flask-llm-shield has no database: pass db= to LLMShield(...) or init_app(...)"
            )
        db: Any
        if hasattr(type(source), "init_app"):
            # flask-pymongo's PyMongo: its .db exists only after its own init_app. Look on
            # the class: pymongo/mongomock databases answer any attribute with a collection.
            db = source.db
            if db is None:
                raise NotInitialisedError(
                    "the PyMongo object given as db= has no database: call its init_app "
                    "and give MONGO_URI a database name"
                )
        elif callable(source) and not hasattr(source, "list_collection_names"):
            db = source()
        else:
            db = source
        self._db = db
        return db  # type: ignore[no-any-return]


class Brake(Protocol):
    """What the features need of the attacker throttle (``throttle.Throttle``)."""

    def check(self) -> None: ...

    def strike(self) -> None: ...


class StateOwner(Protocol):
    """What ``app.extensions["llm_shield"]`` offers this layer (the ``LLMShield``)."""

    def state_for(self, app: Flask) -> ShieldState: ...


def get_state(app: Flask | None = None) -> ShieldState:
    """The shield state of ``app`` (default: the current app)."""
    if app is None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        owner: StateOwner = app.extensions[EXTENSION_KEY]
    except KeyError:
        raise NotInitialisedError(
            "flask-llm-shield is not initialised on this app; call init_app"
        ) from None
    return owner.state_for(app)


def route_scanner(
    state: ShieldState, options: RouteOptions | None, rstate: RequestShieldState | None
) -> Scanner:
    """The scanner for this request: app base, route kinds/allow-list, request context."""
    scanner = state.scanner
    if options is not None and (options.kinds is not None or options.allow_kinds):
        key = (options.kinds, options.allow_kinds)
        cached = state.route_scanners.get(key)
        if cached is None:
            allow = state.config.allow_kinds | options.allow_kinds
            kinds = options.kinds if options.kinds is not None else state.config.kinds
            cached = scanner.derive(kinds=kinds, allow=allow)
            state.route_scanners[key] = cached
        scanner = cached
    if rstate is not None:
        scanner = rstate.scanner(scanner)
    return scanner


def current_scanner() -> Scanner:
    """The scanner of the current request (or of the current app outside a request)."""
    rstate = request_state()
    return route_scanner(get_state(), rstate.options if rstate is not None else None, rstate)


_G_KEY = "_llm_shield"
ENVIRON_KEY = "flask_llm_shield.state"


#: Turns a batch of raw field values (as :meth:`RequestShieldState.defer_values` got them)
#: into their text forms; a ``set`` it returns belongs to the state from then on.
ToStrings = Callable[[list[Any]], Iterable[str]]


@dataclass(eq=False)
class RequestShieldState:
    options: RouteOptions | None = None
    # Neither the values nor the batches waiting to become values appear in a repr.
    _known: set[str] = field(default_factory=set, repr=False)
    #: Batches handed over by :meth:`defer_values`, registered at the next look.
    _pending: list[tuple[ToStrings, list[Any]]] = field(default_factory=list, repr=False)
    system_prompts: list[str] = field(default_factory=list)
    canaries: list[str] = field(default_factory=list)
    #: Set once the shield replaced the response, so it is not scanned twice.
    generated: bool = False
    #: The request's id in audit events (``X-Request-ID`` or generated), kept here so the
    #: events of a stream served after the request context ended still carry it.
    request_id: str | None = None
    #: Set once this request counted as a throttle strike (one per request at most).
    struck: bool = False
    #: The throttle's key for this client, computed while the request context exists.
    client_key: str | None = None
    _scanner: Scanner | None = field(default=None, repr=False)
    _scanner_base: Scanner | None = field(default=None, repr=False)

    @property
    def known_values(self) -> set[str]:
        """The values the response must not contain (every deferred batch included)."""
        if self._pending:
            self._flush()
        return self._known

    def defer_values(self, values: list[Any], to_strings: ToStrings) -> None:
        """Register ``to_strings(values)`` the first time the known values are needed.

        The scoped accessor hands over each batch of values it strips as read (``None``
        for an absent field, any BSON value) and owns nothing of it afterwards. Turning a
        batch into text and merging it costs as much as stripping the documents did; a
        request registers all its batches at once when it scans a response (through
        :meth:`scanner`) or reads :attr:`known_values`, and never when nothing is scanned.
        """
        self._pending.append((to_strings, values))

    def _flush(self) -> None:
        pending = self._pending
        while pending:
            to_strings, values = pending[0]
            texts = to_strings(values)
            if type(texts) is set:
                self._merge(texts)  # made for this call: ours to change
            else:
                self.remember_values(texts)
            # Only once registered: if turning a batch into text raised, every later
            # scan raises too (and fails closed) rather than go on without its values.
            del pending[0]

    def remember_values(self, values: Iterable[str]) -> None:
        """Register values the response must not contain (known values)."""
        # Called for every batch the Mongo accessor read, mostly with values it has seen
        # before: set operations at C speed first, then only the new values are checked
        # one by one.
        known = self._known
        if isinstance(values, set):
            self._merge(values.difference(known))  # one pass, a set of our own
            return
        if not isinstance(values, list | tuple | frozenset):
            values = list(values)  # read a one-shot iterator once
        try:
            if known.issuperset(values):  # C-level membership tests, no temporary set
                return
            fresh: set[str] = set(values)
        except TypeError:  # an unhashable value: not a string, so never a known value
            fresh = {v for v in values if isinstance(v, str)}
        self._merge(fresh)

    def _merge(self, fresh: set[str]) -> None:
        """Add the non-blank strings of ``fresh`` (a set this call may change)."""
        known = self._known
        if known:
            fresh -= known
        if not fresh:
            return
        try:
            # Blank strings are never known values. C-level filters, no Python call per
            # value: str.isspace stops at the first other character (and raises on a
            # non-string: the loop below drops those).
            blank: set[str] = set(filter(str.isspace, fresh))
        except TypeError:
            fresh = {v for v in fresh if isinstance(v, str) and v.strip()}
        else:
            fresh -= blank
            fresh.discard("")
        if not fresh:
            return
        if known:
            known.update(fresh)
        else:
            self._known = fresh  # the first values of the request: no copy
        self._scanner = None

    def register_system_prompt(self, prompt: str) -> None:
        if prompt and prompt not in self.system_prompts:
            self.system_prompts.append(prompt)
            self._scanner = None

    def register_canary(self, token: str) -> None:
        if token and token not in self.canaries:
            self.canaries.append(token)
            self._scanner = None

    @property
    def has_context(self) -> bool:
        return bool(self.known_values or self.system_prompts or self.canaries)

    def scanner(self, base: Scanner) -> Scanner:
        """``base`` extended with this request's known values, prompts and canaries."""
        if self._pending:
            self._flush()
        if not self.has_context:
            return base
        if self._scanner is None or self._scanner_base is not base:
            self._scanner = base.derive(
                known_values=tuple(self._known),
                system_prompts=tuple(self.system_prompts),
                canaries=tuple(self.canaries),
            )
            self._scanner_base = base
        return self._scanner


#: The request state of a stream being served after its request context ended (a WSGI
#: server iterates a streamed body after the view returned): see :func:`bound_to`.
_BOUND: ContextVar[RequestShieldState | None] = ContextVar("llm_shield_bound", default=None)


@contextmanager
def bound_to(rstate: RequestShieldState | None) -> Iterator[None]:
    """Make :func:`request_state` answer ``rstate`` while a stream's signals are sent, so
    receivers (the throttle, say) see the request the stream belongs to."""
    token = _BOUND.set(rstate)
    try:
        yield
    finally:
        _BOUND.reset(token)


def request_state(create: bool = True) -> RequestShieldState | None:
    """The current request's shield state (``None`` outside an app context).

    During a request the state lives in the WSGI environ, not on ``g``: an app context
    pushed around several requests (pytest-flask does this, as does any code that serves
    requests inside ``with app.app_context()``) shares one ``g``, and the withheld values
    or route options of one request must never leak into the next. Outside a request
    (CLI, background jobs) ``g._llm_shield`` is used.
    """
    if has_request_context():
        store: Any = request.environ
        state = store.get(ENVIRON_KEY)
        if state is None and create:
            state = store[ENVIRON_KEY] = RequestShieldState()
        return state  # type: ignore[no-any-return]
    bound = _BOUND.get()
    if bound is not None:
        return bound
    if not has_app_context():
        return None
    state = g.get(_G_KEY)
    if state is None and create:
        state = RequestShieldState()
        setattr(g, _G_KEY, state)
    return state  # type: ignore[no-any-return]
