"""The ``LLMShield`` extension object and its per-app state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, overload

from flask import Flask, current_app
from werkzeug.local import LocalProxy

from .config import DEFAULTS, ShieldConfig, load_config
from .detect import Scanner
from .errors import NotInitialisedError
from .schemas import SchemaRegistry

if TYPE_CHECKING:
    from collections.abc import Iterable

    from flask import Response
    from marshmallow import Schema
    from pymongo.database import Database

    from .llm import GuardedLLM
    from .mongo import ScopedCollection
    from .streaming import StreamMimetype

EXTENSION_KEY = "llm_shield"

F = TypeVar("F", bound=Callable[..., Any])
SchemaT = TypeVar("SchemaT", bound="type[Schema]")


@dataclass(eq=False)
class _ShieldState:
    """What one app needs at request time; kept in ``app.extensions["llm_shield"]``."""

    shield: LLMShield
    config: ShieldConfig
    #: The app's base scanner: the configured kinds, allow-list and fingerprint key.
    scanner: Scanner
    db_source: Any = None
    #: Scanners derived for routes with their own ``kinds``/``allow_kinds``, built once.
    route_scanners: dict[Any, Scanner] = field(default_factory=dict, repr=False)
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
        app.extensions[EXTENSION_KEY] = _ShieldState(
            shield=self, config=config, scanner=base, db_source=db if db is not None else self._db
        )

        from .guard import activate_for_endpoint
        from .responses import scan_response

        app.before_request(activate_for_endpoint)
        app.after_request(scan_response)

        from .errors import LeakBlockedError
        from .llm import leak_blocked_response

        # A guarded LLM call that blocked becomes a JSON block response, not a 500.
        app.register_error_handler(LeakBlockedError, leak_blocked_response)

        from .cli import shield_cli

        if "shield" not in app.cli.commands:
            app.cli.add_command(shield_cli)

    @overload
    def guarded_llm_route(self, view: F) -> F: ...

    @overload
    def guarded_llm_route(self, view: None = None, **options: Any) -> Callable[[F], F]: ...

    def guarded_llm_route(self, view: F | None = None, **options: Any) -> F | Callable[[F], F]:
        """Same as the module-level :func:`~flask_llm_shield.guarded_llm_route`."""
        from .guard import guarded_llm_route

        return guarded_llm_route(view, **options)  # type: ignore[return-value]

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
        from .mongo import ScopedCollection

        return ScopedCollection(self._schemas, name, reveal=reveal, state=self.get_state)

    # ------------------------------------------------------------------------------------

    # -- guarded LLM calls, streaming and screened input (issue 5) -----------------

    def llm(self, client: Any, **defaults: Any) -> GuardedLLM:
        """Wrap an ``openai.OpenAI`` client or a callable in a :class:`GuardedLLM`.

        ``defaults`` (``model=...`` and so on) are sent with every call.
        """
        from .llm import GuardedLLM

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
        from .streaming import stream_response

        return stream_response(chunks, mimetype, **options)

    def input(self, name: str | None = None, default: Any = None) -> Any:
        """The screened (possibly redacted) user input of the current guarded request.

        See :func:`flask_llm_shield.screening.screened_input`.
        """
        from .screening import screened_input

        return screened_input(name, default)

    def get_state(self, app: Flask | None = None) -> _ShieldState:
        state = get_state(app)
        if state.shield is not self:
            raise RuntimeError("this app was initialised with a different LLMShield instance")
        return state


def get_state(app: Flask | None = None) -> _ShieldState:
    """The shield state of ``app`` (default: the current app)."""
    if app is None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        return app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]
    except KeyError:
        raise NotInitialisedError(
            "flask-llm-shield is not initialised on this app; call init_app"
        ) from None


def get_shield(app: Flask | None = None) -> LLMShield:
    """The :class:`LLMShield` registered on ``app`` (default: the current app)."""
    return get_state(app).shield


#: The :class:`LLMShield` of the current app.
current_shield: LLMShield = LocalProxy(get_shield)  # type: ignore[assignment]
