"""Request-local shield state (see :func:`request_state` for where it is kept).

Holds what one request taught the shield: values the scoped accessor withheld (or
revealed), the system prompts and canaries rendered for this request, and the options of
the guarded route being served. Everything here dies with the request's app context;
nothing crosses requests or threads, and nothing here is ever logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import g, has_app_context, has_request_context, request

if TYPE_CHECKING:
    from .detect import Scanner
    from .guard import RouteOptions

_G_KEY = "_llm_shield"
ENVIRON_KEY = "flask_llm_shield.state"


@dataclass(eq=False)
class RequestShieldState:
    options: RouteOptions | None = None
    known_values: set[str] = field(default_factory=set)
    system_prompts: list[str] = field(default_factory=list)
    canaries: list[str] = field(default_factory=list)
    #: Set once the shield replaced the response, so it is not scanned twice.
    generated: bool = False
    _scanner: Scanner | None = field(default=None, repr=False)
    _scanner_base: Scanner | None = field(default=None, repr=False)

    def remember_values(self, values: Iterable[str]) -> None:
        """Register values the response must not contain (known values)."""
        # The Mongo accessor calls this for every batch it reads, mostly with values it
        # has seen before: set operations at C speed first, then only the new values are
        # checked one by one.
        known = self.known_values
        if not isinstance(values, list | tuple | set | frozenset):
            values = list(values)  # read a one-shot iterator once
        try:
            if known.issuperset(values):  # C-level membership tests, no temporary set
                return
            fresh = set(values).difference(known)
        except TypeError:  # an unhashable value: not a string, so never a known value
            fresh = {v for v in values if isinstance(v, str)}.difference(known)
        if not fresh:
            return
        added = [v for v in fresh if isinstance(v, str) and v.strip()]
        if added:
            known.update(added)
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
        if not self.has_context:
            return base
        if self._scanner is None or self._scanner_base is not base:
            self._scanner = base.derive(
                known_values=tuple(self.known_values),
                system_prompts=tuple(self.system_prompts),
                canaries=tuple(self.canaries),
            )
            self._scanner_base = base
        return self._scanner


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
    if not has_app_context():
        return None
    state = g.get(_G_KEY)
    if state is None and create:
        state = RequestShieldState()
        setattr(g, _G_KEY, state)
    return state  # type: ignore[no-any-return]
