"""What a view's source code says about it: does it call a model, does it stream?

A heuristic over identifiers (split on ``_`` and ``.``), never a guarantee: used to point
``flask shield audit`` and ``flask shield probe --unguarded`` at likely LLM routes.
"""

from __future__ import annotations

import inspect
import io
import tokenize
from typing import Any

from .catalogue import LLM_CODE_NAMES, STREAM_CODE_NAMES


def code_names(view: Any) -> set[str] | None:
    """Identifiers and their lower-cased parts in the view's code (``None``: no source)."""
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return None
    names: set[str] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.NAME:
                names.add(tok.string)
                names.update(p.lower() for p in tok.string.replace(".", "_").split("_") if p)
            elif tok.type == tokenize.STRING and "event-stream" in tok.string:
                names.add("event-stream")
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return names


def calls_model(names: set[str] | None) -> bool:
    return bool(names and {n.lower() for n in names} & LLM_CODE_NAMES)


def streams(names: set[str] | None) -> str:
    """``"yes"``, ``"no"`` or ``"?"`` (no source)."""
    if names is None:
        return "?"
    return "yes" if names & STREAM_CODE_NAMES else "no"
