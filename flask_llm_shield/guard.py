"""``@guarded_llm_route``: mark a view as an LLM endpoint whose responses must not leak."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar, cast, overload

from flask import current_app, request

from .audit import keep_request_id
from .config import Mode, RedactionOperator
from .options import RouteOptions, make_options
from .screening import screen_request
from .state import ENVIRON_KEY, RequestShieldState, get_state

__all__ = [
    "OPTIONS_ATTR",
    "RouteOptions",
    "activate",
    "guarded_llm_route",
    "make_options",
    "route_options",
]

P = ParamSpec("P")
R = TypeVar("R")

#: Attribute set on guarded view functions (and on the function ``@app.route`` registered,
#: when the decorator is stacked above it) so the shield finds the options by endpoint.
OPTIONS_ATTR = "_llm_shield_options"


def activate(options: RouteOptions, environ: dict[str, Any] | None = None) -> None:
    """Mark the current request as guarded by ``options`` (the first guard wins)."""
    if environ is None:
        environ = request.environ
    state: RequestShieldState | None = environ.get(ENVIRON_KEY)
    if state is None:
        environ[ENVIRON_KEY] = RequestShieldState(options=options)
    elif state.options is None:
        state.options = options
    else:
        return
    # A guarded route answers with the full representation, never a byte range: each
    # range would be scanned alone, and a value split across two ranges would pass.
    # Without the headers, ``send_file`` and ``make_conditional`` answer 200 in full.
    if "HTTP_RANGE" in environ:
        del environ["HTTP_RANGE"]
        environ.pop("HTTP_IF_RANGE", None)
    # The client's X-Request-ID, for the audit events of a stream served later.
    keep_request_id(environ)
    throttle = get_state().throttle
    if throttle is not None:
        # Before screening: a throttled client costs no screening work.
        throttle.check()
    if options.screen_inputs:
        # Input screening (issue 5): refuse or redact user input before the view runs.
        screen_request(options, environ)


_UNSET: Any = object()


def route_options(req: Any = None) -> RouteOptions | None:
    """The options of the guarded view the current request's URL routes to, if any.

    Resolved from the URL map (the rule Flask matched when the request context was
    pushed) and the view registered for its endpoint, so it does not depend on the view,
    or any ``before_request`` hook, having run. Looked up once per rule (Flask refuses new
    routes once the app serves requests); a view swapped in later through
    ``app.view_functions`` that is itself guarded activates through its wrapper.
    """
    if req is None:
        req = request._get_current_object()  # type: ignore[attr-defined]
    rule = req.url_rule
    if rule is None:
        return None
    cache: dict[str, Any] = getattr(rule, "__dict__", {})  # {}: a slotted Rule class
    options = cache.get(OPTIONS_ATTR, _UNSET)
    if options is _UNSET:
        view = current_app.view_functions.get(rule.endpoint)
        options = cache[OPTIONS_ATTR] = getattr(view, OPTIONS_ATTR, None)
    return cast("RouteOptions | None", options)


def activate_for_endpoint() -> None:
    """``before_request`` hook: activate the guard of the view registered for the endpoint.

    This makes ``@guarded_llm_route`` work when it is stacked *above* ``@app.route``
    (the route then registered the undecorated function, which carries the options).
    """
    req = request._get_current_object()  # type: ignore[attr-defined]
    options = route_options(req)
    if options is not None:
        activate(options, req.environ)


def _decorate(view: Callable[P, R], options: RouteOptions) -> Callable[P, R]:
    is_async = inspect.iscoroutinefunction(view)

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        environ = request._get_current_object().environ  # type: ignore[attr-defined]
        state: RequestShieldState | None = environ.get(ENVIRON_KEY)
        if state is None or state.options is None:
            activate(options, environ)
        if is_async:
            return cast(R, current_app.ensure_sync(view)(*args, **kwargs))
        return view(*args, **kwargs)

    setattr(wrapper, OPTIONS_ATTR, options)
    # Also mark the original: if a route decorator above us registered ``view`` itself,
    # the before_request hook still finds the options by endpoint.
    try:
        setattr(view, OPTIONS_ATTR, options)
    except (AttributeError, TypeError):  # builtins or slotted callables
        pass
    return wrapper


@overload
def guarded_llm_route(view: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def guarded_llm_route(
    view: None = None,
    /,
    *,
    mode: Mode | None = None,
    allow_kinds: Iterable[str] = (),
    kinds: Iterable[str] | None = None,
    block_status: int | None = None,
    redaction: RedactionOperator | None = None,
    inputs: Iterable[str] | None = None,
    screen_inputs: bool = True,
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def guarded_llm_route(
    view: Callable[P, R] | None = None, /, **options: Any
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Guard an LLM view: its responses are scanned and blocked, redacted or reported.

    Use bare (``@guarded_llm_route``) or with options::

        @app.post("/chat")
        @guarded_llm_route(mode="redact", allow_kinds={"email"})
        def chat(): ...

    :param mode: ``"block"``, ``"redact"`` or ``"report"``; default ``LLM_SHIELD_MODE``.
    :param allow_kinds: finding kinds this route may return.
    :param kinds: scan only for these kinds (default: all, or ``LLM_SHIELD_KINDS``).
    :param block_status: HTTP status of block responses; default ``LLM_SHIELD_BLOCK_STATUS``.
    :param redaction: redaction operator in redact mode; default ``LLM_SHIELD_REDACTION``.
    :param inputs: request fields screened as user input (default: every string).
    :param screen_inputs: screen user input for prompt injection and PII.

    Options are validated here, when the module is imported: a typo fails at import time.
    """
    opts = make_options(**options)
    if view is not None:
        if not callable(view):
            raise TypeError(
                "guarded_llm_route takes keyword options only: @guarded_llm_route(mode=...)"
            )
        return _decorate(view, opts)

    def decorator(func: Callable[P, R]) -> Callable[P, R]:
        return _decorate(func, opts)

    return decorator
