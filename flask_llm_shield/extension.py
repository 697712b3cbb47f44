"""The ``LLMShield`` extension object: wires the features into an app.

This is the top of the package's layers (see ARCHITECTURE.md): it imports the features and
registers their hooks; no feature imports it. ``app.extensions["llm_shield"]`` holds the
``LLMShield`` itself, as Flask-SQLAlchemy does; its per-app :class:`~.state.ShieldState`
is kept in a weak mapping keyed by the app and reached through :func:`.state.get_state`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload
from weakref import WeakKeyDictionary

from flask import Flask, current_app
from werkzeug.local import LocalProxy

from . import audit, guard
from .cli import shield_cli
from .config import DEFAULTS, load_config
from .detect import Scanner
from .errors import LeakBlockedError, NotInitialisedError
from .llm import GuardedLLM, leak_blocked_response
from .mongo import ScopedCollection
from .responses import install_final_scan
from .schemas import SchemaRegistry
from .screening import screened_input
from .state import EXTENSION_KEY, ShieldState, get_state
from .streaming import stream_response
from .throttle import Throttle

if TYPE_CHECKING:
    from collections.abc import Iterable

    from flask import Response
    from marshmallow import Schema

    from .streaming import StreamMimetype

__all__ = ["EXTENSION_KEY", "LLMShield", "current_shield", "get_shield", "get_state"]

F = TypeVar("F", bound=Callable[..., Any])
SchemaT = TypeVar("SchemaT", bound="type[Schema]")


class LLMShield:
    """Guards the LLM features of Flask applications.

    :param app: an app to initialise now (or call :meth:`init_app` later).
    :param scanner: a :class:`~flask_llm_shield.detect.Scanner` to use as is (with its own
        kinds, allow-list and fingerprint key) instead of one built from the app's
        ``LLM_SHIELD_KINDS``, ``LLM_SHIELD_ALLOW_KINDS`` and fingerprint key.
    :param db: the MongoDB database read by :meth:`collection`: a pymongo ``Database``, a
        flask-pymongo ``PyMongo`` or a zero-argument callable returning a ``Database``.
    """

    def __init__(
        self, app: Flask | None = None, *, scanner: Scanner | None = None, db: Any = None
    ) -> None:
        self._scanner = scanner
        self._db = db
        self._schemas = SchemaRegistry()
        self._states: WeakKeyDictionary[Flask, ShieldState] = WeakKeyDictionary()
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask, *, db: Any = None, scanner: Scanner | None = None) -> None:
        """Register the shield on ``app``: config defaults, validation, hooks and CLI."""
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError(
                "flask-llm-shield is already initialised on this app; call init_app once per app"
            )
        for key, value in DEFAULTS.items():
            app.config.setdefault(key, value)
        config = load_config(app.config)
        base = scanner or self._scanner
        if base is None:
            base = Scanner(
                extra=config.detectors,
                kinds=config.kinds,
                allow=config.allow_kinds,
                fingerprint_key=config.fingerprint_key,
            )
        throttle = Throttle(config) if config.throttle is not None else None
        state = self._states[app] = ShieldState(
            config=config,
            scanner=base,
            db_source=db if db is not None else self._db,
            schemas=self._schemas,
            throttle=throttle,
        )
        if throttle is not None:
            throttle.connect(app)
        app.extensions[EXTENSION_KEY] = self

        app.before_request(guard.activate_for_endpoint)
        # Every signal of this app also becomes a privacy-safe audit event.
        audit.install(app, state)
        # The response scan is the last step of process_response (after every
        # after_request hook and the session save), not an after_request hook: see
        # responses.install_final_scan.
        install_final_scan(app)
        # A guarded LLM call that blocked becomes a JSON block response, not a 500.
        app.register_error_handler(LeakBlockedError, leak_blocked_response)
        if "shield" not in app.cli.commands:
            app.cli.add_command(shield_cli)

    @overload
    def guarded_llm_route(self, view: F) -> F: ...

    @overload
    def guarded_llm_route(self, view: None = None, **options: Any) -> Callable[[F], F]: ...

    def guarded_llm_route(self, view: F | None = None, **options: Any) -> F | Callable[[F], F]:
        """Same as the module-level :func:`~flask_llm_shield.guarded_llm_route`."""
        return guard.guarded_llm_route(view, **options)  # type: ignore[return-value]

    # -- scoped MongoDB access (schemas.py, mongo.py) ------------------------------------

    def register_schema(self, name: str, schema: type[Schema] | Schema) -> None:
        """Declare collection ``name``'s fields (the allow-list) and its sensitive fields."""
        self._schemas.register(name, schema)

    def collection_schema(self, name: str) -> Callable[[SchemaT], SchemaT]:
        """Class decorator form of :meth:`register_schema`; returns the class unchanged."""

        def decorator(cls: SchemaT) -> SchemaT:
            self._schemas.register(name, cls)
            return cls

        return decorator

    def collection(self, name: str, *, reveal: Iterable[str] = ()) -> ScopedCollection:
        """Read-only, allow-listed access to collection ``name`` of the app's database.

        ``reveal`` names sensitive fields to return anyway (sends ``sensitive-field-revealed``
        and registers their values as the request's known values).
        """
        return ScopedCollection(self._schemas, name, reveal=reveal, state=self.get_state)

    # ------------------------------------------------------------------------------------

    # -- guarded LLM calls, streaming and screened input (issue 5) -----------------

    def llm(self, client: Any, **defaults: Any) -> GuardedLLM:
        """Wrap an ``openai.OpenAI`` client or a callable in a :class:`GuardedLLM`.

        ``defaults`` (``model=...`` and so on) are sent with every call.
        """
        return GuardedLLM(client, **defaults)

    def stream_response(
        self,
        chunks: Iterable[str] | Iterable[bytes],
        mimetype: StreamMimetype = "text/event-stream",
        **options: Any,
    ) -> Response:
        """A streamed response of model text, scanned through the hold-back window.

        See :func:`flask_llm_shield.streaming.stream_response`.
        """
        return stream_response(chunks, mimetype, **options)

    def input(self, name: str | None = None, default: Any = None) -> Any:
        """The screened (possibly redacted) user input of the current guarded request.

        See :func:`flask_llm_shield.screening.screened_input`.
        """
        return screened_input(name, default)

    def state_for(self, app: Flask) -> ShieldState:
        """The per-app state this shield keeps for ``app`` (built by :meth:`init_app`)."""
        try:
            return self._states[app]
        except KeyError:
            raise NotInitialisedError(
                "flask-llm-shield is not initialised on this app; call init_app"
            ) from None

    def get_state(self, app: Flask | None = None) -> ShieldState:
        """The state of ``app`` (default: the current app), which must use this shield."""
        target: Flask = app if app is not None else current_app._get_current_object()  # type: ignore[attr-defined]
        registered: object = target.extensions.get(EXTENSION_KEY, self)
        if registered is not self:
            raise RuntimeError("this app was initialised with a different LLMShield instance")
        return self.state_for(target)


def get_shield(app: Flask | None = None) -> LLMShield:
    """The :class:`LLMShield` registered on ``app`` (default: the current app)."""
    if app is None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        shield = app.extensions[EXTENSION_KEY]
    except KeyError:
        raise NotInitialisedError(
            "flask-llm-shield is not initialised on this app; call init_app"
        ) from None
    return shield  # type: ignore[no-any-return]


#: The :class:`LLMShield` of the current app.
current_shield: LLMShield = LocalProxy(get_shield)  # type: ignore[assignment]
