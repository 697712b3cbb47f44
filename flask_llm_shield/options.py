"""``RouteOptions``: the frozen, validated options of one guarded route.

Kept apart from ``guard.py`` so that the request state (``state.py``) and every feature
can name the type without importing the decorator module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from .config import (
    MODES,
    OPERATORS,
    Mode,
    RedactionOperator,
    validate_block_status,
    validate_kinds,
)
from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class RouteOptions:
    """Options of one guarded route. ``None`` means "use the app's configuration".

    Built and validated once, when the decorator is applied; never mutated.
    """

    mode: Mode | None = None
    allow_kinds: frozenset[str] = frozenset()
    kinds: frozenset[str] | None = None
    block_status: int | None = None
    redaction: RedactionOperator | None = None
    #: Names of the request fields screened as user input; ``None`` = every string field.
    inputs: tuple[str, ...] | None = None
    #: Screen user input at all (prompt injection, PII going to the model).
    screen_inputs: bool = True


def make_options(
    *,
    mode: str | None = None,
    allow_kinds: Iterable[str] = (),
    kinds: Iterable[str] | None = None,
    block_status: int | None = None,
    redaction: str | None = None,
    inputs: Iterable[str] | None = None,
    screen_inputs: bool = True,
) -> RouteOptions:
    """Validate decorator options; a bad value raises :class:`ConfigError` naming it."""
    if mode is not None and mode not in MODES:
        raise ConfigError(f"guarded_llm_route(mode=...) must be one of {MODES}, got {mode!r}")
    if redaction is not None and redaction not in OPERATORS:
        raise ConfigError(
            f"guarded_llm_route(redaction=...) must be one of {OPERATORS}, got {redaction!r}"
        )
    if inputs is not None:
        if isinstance(inputs, str):
            inputs = (inputs,)
        inputs = tuple(inputs)
        if not all(isinstance(name, str) and name for name in inputs):
            raise ConfigError("guarded_llm_route(inputs=...) must be field names (strings)")
    if not isinstance(screen_inputs, bool):
        raise ConfigError("guarded_llm_route(screen_inputs=...) must be True or False")
    return RouteOptions(
        mode=cast("Mode | None", mode),
        allow_kinds=validate_kinds("guarded_llm_route(allow_kinds=...)", allow_kinds),
        kinds=None if kinds is None else validate_kinds("guarded_llm_route(kinds=...)", kinds),
        block_status=None
        if block_status is None
        else validate_block_status("guarded_llm_route(block_status=...)", block_status),
        redaction=cast("RedactionOperator | None", redaction),
        inputs=inputs,
        screen_inputs=screen_inputs,
    )
