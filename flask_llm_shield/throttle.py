"""Attacker throttling: a client that sets off too many blocks or rejections gets 429.

A prompt-injection attacker iterates: each try that the shield blocks (a leak in the
reply, a refused input, a stream cut short) teaches them something. With
``LLM_SHIELD_THROTTLE = "5 per minute"`` a client gets five such strikes per window; after
that its requests to guarded routes answer ``429`` with ``Retry-After`` until the window
passes. Counters live in a storage of the `limits` library (the one Flask-Limiter uses):
``memory://`` per process by default; ``mongodb://...`` or ``redis://...`` share them
between gunicorn workers and hosts.

A strike is counted at most once per request, whatever number of signals the request
sends. The storage failing never fails a request: throttling is a brake, the scan is the
guard, so a dead counter store fails *open* and is logged once (no key, no value).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any, cast

from flask import Flask, has_request_context, request

from . import signals
from .config import ShieldConfig
from .errors import ConfigError, ThrottledError
from .state import request_state

try:  # an optional dependency: ``pip install 'flask-llm-shield[throttle]'``
    from limits import RateLimitItem, parse
    from limits.storage import MovingWindowSupport, Storage, storage_from_string
    from limits.strategies import (
        FixedWindowRateLimiter,
        MovingWindowRateLimiter,
        RateLimiter,
    )

    HAVE_LIMITS = True
except ImportError:  # pragma: no cover - exercised only without the extra installed
    HAVE_LIMITS = False

logger = logging.getLogger("flask_llm_shield")

#: Namespace of the counters in a shared storage.
KEY_PREFIX = "flask-llm-shield/strikes"

#: The signals that count as a strike, and when each one does.
_STRIKES: tuple[tuple[Any, Callable[[dict[str, Any]], bool]], ...] = (
    (signals.response_blocked, lambda kw: True),
    (signals.stream_terminated, lambda kw: True),
    (signals.prompt_rejected, lambda kw: bool(kw.get("blocked"))),
    (signals.llm_call, lambda kw: kw.get("outcome") == "blocked"),
)


def remote_address() -> str:
    """The default client key: the peer address (set ``ProxyFix`` behind a proxy)."""
    return request.remote_addr or "unknown"


class Throttle:
    """Strike counting and checking for one app. Built by ``init_app`` when
    ``LLM_SHIELD_THROTTLE`` is set; kept on the app's state (signal receivers are weakly
    held, so the state keeps this object and its bound methods alive)."""

    def __init__(self, config: ShieldConfig) -> None:
        if not HAVE_LIMITS:
            raise ConfigError(
                "LLM_SHIELD_THROTTLE needs the 'limits' package: "
                "pip install 'flask-llm-shield[throttle]'"
            )
        assert config.throttle is not None
        try:
            self.limit: RateLimitItem = parse(config.throttle)
        except ValueError:
            raise ConfigError(
                "LLM_SHIELD_THROTTLE must be a rate such as '5 per minute', "
                f"got {config.throttle!r}"
            ) from None
        try:
            self.storage = cast(Storage, storage_from_string(config.throttle_storage_uri))
        except Exception as exc:  # unknown scheme, driver missing
            raise ConfigError(
                f"LLM_SHIELD_THROTTLE_STORAGE_URI cannot be used: {type(exc).__name__}"
            ) from None
        self.limiter: RateLimiter = (
            MovingWindowRateLimiter(self.storage)
            if isinstance(self.storage, MovingWindowSupport)
            else FixedWindowRateLimiter(self.storage)
        )
        self.key_func: Callable[[], str] = config.throttle_key or remote_address
        self._storage_failed = False
        self._receivers: list[Callable[..., None]] = []

    def connect(self, app: Flask) -> None:
        # Weakly connected, strongly kept here: the app's state owns this object, so an
        # app that goes away takes its throttle (and its storage client) with it.
        for signal, counts in _STRIKES:
            receiver = self._receiver(counts)
            self._receivers.append(receiver)
            signal.connect(receiver, app)

    def _receiver(self, counts: Callable[[dict[str, Any]], bool]) -> Callable[..., None]:
        def receive(sender: Any, **kwargs: Any) -> None:
            if counts(kwargs):
                self.strike()

        return receive

    def _key(self) -> str:
        return str(self.key_func())

    def check(self) -> None:
        """Raise :class:`ThrottledError` when the current client has no strikes left."""
        rstate = request_state()
        try:
            key = self._key()
            if rstate is not None:
                rstate.client_key = key
            if self.limiter.test(self.limit, KEY_PREFIX, key):
                self._storage_failed = False
                return
            reset = self.limiter.get_window_stats(self.limit, KEY_PREFIX, key).reset_time
        except Exception:
            self._failed()
            return
        raise ThrottledError(math.ceil(reset - time.time()))

    def strike(self) -> None:
        """Count one strike for the current client (at most one per request).

        A stream is cut after its request context ended; its signals arrive with the
        request's state bound (``state.bound_to``), holding the key taken at ``check``.
        """
        rstate = request_state(create=False)
        if rstate is None or rstate.struck:
            return
        key = rstate.client_key
        if key is None:
            if not has_request_context():
                return
            key = self._key()
        rstate.struck = True
        try:
            self.limiter.hit(self.limit, KEY_PREFIX, key)
        except Exception:
            self._failed()
        else:
            self._storage_failed = False

    def close(self) -> None:
        """Close the storage's client connection, if it has one (MongoDB, Redis)."""
        close = getattr(getattr(self.storage, "storage", None), "close", None)
        if callable(close):
            close()

    def _failed(self) -> None:
        if not self._storage_failed:
            self._storage_failed = True
            logger.warning(
                "flask-llm-shield: the throttle storage failed; throttling is off until it "
                "answers again"
            )
