"""What a view's source code says about it: does it call a model, does it stream?

A heuristic, never a guarantee: it points ``flask shield audit`` and ``flask shield probe
--unguarded`` at likely LLM routes. Only the names of what the view *calls* count
(``client.chat.completions.create``, ``llm.complete``, ``naive_prompt``), split on ``_``,
``.`` and case changes, so a template variable named ``model_label`` does not.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from typing import Any

from .catalogue import LLM_CODE_NAMES, STREAM_CODE_NAMES, WEAK_LLM_CODE_NAMES

_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _parts(name: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(name)} | {name, name.lower()}


def code_names(view: Any) -> set[str] | None:
    """Name parts of every callee in the view's code, plus streaming markers (``None``:
    no source)."""
    try:
        source = textwrap.dedent(inspect.getsource(inspect.unwrap(view)))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for part in ast.walk(node.func):
                if isinstance(part, ast.Name):
                    names |= _parts(part.id)
                elif isinstance(part, ast.Attribute):
                    names |= _parts(part.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "event-stream" in node.value:
                names.add("event-stream")
    return names


def calls_model(names: set[str] | None) -> bool:
    """One strong name (``llm``, ``prompt``, ``openai``...) or two weak ones."""
    if not names:
        return False
    return bool(names & LLM_CODE_NAMES) or len(names & WEAK_LLM_CODE_NAMES) >= 2


def streams(names: set[str] | None) -> str:
    """``"yes"``, ``"no"`` or ``"?"`` (no source)."""
    if names is None:
        return "?"
    return "yes" if names & STREAM_CODE_NAMES else "no"
