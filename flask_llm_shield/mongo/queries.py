"""What a read asks the server to evaluate: projection flags, expressions and filters.

Three families of leak live here, each checked the same way in ``find`` and in every
aggregation stage:

* ``{"$meta": kind}`` that returns document values (``sortKey``, ``indexKey``, ...);
* projection values MongoDB reads as "include" although they look like literals
  (``Decimal128("1")``, ``Int64``, ``NaN``, ...): :func:`projection_flag` answers as the
  server does;
* operators that make the server quote a value in its error message: JavaScript
  (``$where``, ``$function``, ``$accumulator``) is refused everywhere, and in filters a
  conversion, date or regex operator may not read a sensitive or undeclared field (its
  failure would quote the value). Whatever slips through still never leaves the accessor
  with its message: see :mod:`.failures`.
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from ..errors import UnsupportedPipelineError
from .paths import expression_refs
from .rules import CODE_OPERATORS, ECHOING_OPERATORS, NUMERIC_META

if TYPE_CHECKING:
    from bson import Decimal128 as _Decimal128

try:
    from bson import Binary, Code, DBRef, Decimal128, MaxKey, MinKey, ObjectId, Regex, Timestamp
except ImportError:  # pymongo (and its bson) is an optional extra
    _BSON_LITERALS: tuple[type, ...] = ()
    _DECIMAL: type[_Decimal128] | None = None
else:
    _BSON_LITERALS = (Binary, Code, DBRef, MaxKey, MinKey, ObjectId, Regex, Timestamp)
    _DECIMAL = Decimal128

#: Projection values MongoDB takes as a literal (or an expression): everything it
#: encodes that is neither a number nor a boolean. Any other Python type would reach the
#: server through a custom type codec as who knows what, so it is refused.
_LITERALS: tuple[type, ...] = (
    str,
    type(None),
    Mapping,
    list,
    tuple,
    bytes,
    _dt.datetime,
    uuid.UUID,
    re.Pattern,
    *_BSON_LITERALS,
)

#: Leaf types an expression walk can stop at without an isinstance() chain.
_SCALARS = frozenset({str, int, float, bool, type(None)})

#: Variables that are not bound by the expression itself.
_SYSTEM_VARIABLES = frozenset(
    {"NOW", "CLUSTER_TIME", "REMOVE", "DESCEND", "PRUNE", "KEEP", "USER_ROLES", "SEARCH_META"}
)

_ECHO_REASON = (
    "may not be read by a conversion, date or regex operator in a filter (the server's "
    "error message would quote the value)"
)

#: Refuses reads of ``paths`` (sends the signal, raises); keywords ``undeclared`` and
#: ``reason`` pick the message.
Deny: TypeAlias = Callable[..., NoReturn]
#: Whether a path read in a filter is one the server must not quote (sensitive, undeclared).
IsBad: TypeAlias = Callable[[str], bool]


def projection_flag(value: Any) -> bool | None:
    """``True``/``False`` if MongoDB reads ``value`` as include/exclude, else ``None``.

    Checked against mongod 6.0: every number and boolean is a flag, nonzero (``NaN``
    and infinities included) includes, any zero (``-0.0``, ``Decimal128("-0")``,
    ``Decimal128("0E-10")``) excludes. ``Int64`` is an ``int``. mongomock differs for
    ``Decimal128`` (it projects the literal); the server is what counts.
    """
    if isinstance(value, bool | int | float):
        return bool(value)
    if _DECIMAL is not None and isinstance(value, _DECIMAL):
        return not value.to_decimal().is_zero()
    return None


def is_literal(value: Any) -> bool:
    """Whether a projection value that is not a flag is a type MongoDB takes as a literal."""
    return isinstance(value, _LITERALS)


def expression_hazard(expr: Any) -> str | None:
    """Why ``expr`` (an expression, a filter or a stage argument) is refused, or ``None``.

    JavaScript operators anywhere, and ``$meta`` kinds other than the numeric ones.
    ``$literal`` values are data, not evaluated.
    """
    if type(expr) in _SCALARS:
        return None
    if isinstance(expr, Mapping):
        for key, value in expr.items():
            if key == "$literal":
                continue
            if key in CODE_OPERATORS:
                return f"{key} runs JavaScript on the server"
            if key == "$meta":
                if isinstance(value, str) and value in NUMERIC_META:
                    continue
                kind = value[:40] if isinstance(value, str) else type(value).__name__
                return f"$meta {kind!r} can return document values"
            found = expression_hazard(value)
            if found:
                return found
    elif isinstance(expr, list | tuple):
        for item in expr:
            found = expression_hazard(item)
            if found:
                return found
    return None


def check_expression(expr: Any, collection: str) -> None:
    """Raise :class:`UnsupportedPipelineError` if :func:`expression_hazard` finds one."""
    reason = expression_hazard(expr)
    if reason:
        raise UnsupportedPipelineError(
            f"{collection}: {reason}; the scoped accessor does not run it", collection=collection
        )


def _variables(expr: Any) -> Iterator[str]:
    """Names of the ``$$variables`` an expression reads."""
    if isinstance(expr, str):
        if expr.startswith("$$"):
            yield expr[2:].partition(".")[0]
    elif isinstance(expr, Mapping):
        for key, value in expr.items():
            if key != "$literal":
                yield from _variables(value)
    elif isinstance(expr, list | tuple):
        for item in expr:
            yield from _variables(item)


def _bad_reads(expr: Any, is_bad: IsBad, tainted: frozenset[str]) -> list[str]:
    """Bad field paths ``expr`` reads and tainted variables it uses (as ``$$name``)."""
    bad = [path or "$$ROOT" for path in expression_refs(expr) if is_bad(path)]
    if tainted:
        bad += [f"$${name}" for name in _variables(expr) if name in tainted]
    return bad


def echoed_reads(expr: Any, is_bad: IsBad, tainted: frozenset[str] = frozenset()) -> list[str]:
    """Bad reads (see :func:`_bad_reads`) made by an operator whose error quotes them.

    Variables bound inside the expression (``$let``, ``$map``/``$filter`` ``as``,
    ``$reduce``) from a bad read are tainted, so ``{"$let": {"vars": {"v": "$ssn"},
    "in": {"$toInt": "$$v"}}}`` is caught. Variables bound outside (a ``$lookup``'s
    ``let``) were checked where they are bound.
    """
    out: list[str] = []
    if isinstance(expr, Mapping):
        for key, value in expr.items():
            if key == "$literal":
                continue
            if key in ECHOING_OPERATORS:
                quoted = ECHOING_OPERATORS[key]
                if quoted is None:
                    out += _bad_reads(value, is_bad, tainted)
                    continue
                if isinstance(value, Mapping):
                    out += _bad_reads([value.get(arg) for arg in quoted], is_bad, tainted)
                out += echoed_reads(value, is_bad, tainted)  # operators nested inside
            elif key == "$let" and isinstance(value, Mapping):
                bound = value.get("vars")
                inner = tainted
                if isinstance(bound, Mapping):
                    out += echoed_reads(bound, is_bad, tainted)
                    inner = tainted | {
                        name for name, init in bound.items() if _bad_reads(init, is_bad, tainted)
                    }
                out += echoed_reads(value.get("in"), is_bad, inner)
            elif key in ("$map", "$filter", "$reduce") and isinstance(value, Mapping):
                names = {"this", "value"} if key == "$reduce" else {value.get("as", "this")}
                sources = [value.get("input"), value.get("initialValue")]
                inner = tainted
                if _bad_reads(sources, is_bad, tainted):
                    inner = tainted | {name for name in names if isinstance(name, str)}
                out += echoed_reads(sources, is_bad, tainted)
                for part in ("in", "cond", "limit"):
                    out += echoed_reads(value.get(part), is_bad, inner)
            else:
                out += echoed_reads(value, is_bad, tainted)
    elif isinstance(expr, list | tuple):
        for item in expr:
            out += echoed_reads(item, is_bad, tainted)
    return out


def _filter_expressions(query: Any) -> Iterator[Any]:
    """The ``$expr`` expressions of a query document (at any depth)."""
    if isinstance(query, Mapping):
        for key, value in query.items():
            if key == "$expr":
                yield value
            else:
                yield from _filter_expressions(value)
    elif isinstance(query, list | tuple):
        for item in query:
            yield from _filter_expressions(item)


def check_filter(query: Any, is_bad: IsBad, *, collection: str, deny: Deny) -> None:
    """Refuse a filter (a query document) that runs code or makes the server quote a value.

    ``is_bad`` says which paths may not reach an operator that quotes its operand: the
    collection's sensitive and undeclared paths (``lambda path: True`` where paths are
    relative to a subdocument, as in ``$redact``).
    """
    check_expression(query, collection)
    echoed: list[str] = []
    for expr in _filter_expressions(query):
        echoed += echoed_reads(expr, is_bad)
    if echoed:
        deny(tuple(dict.fromkeys(echoed)), reason=_ECHO_REASON)


def check_redact(expr: Any, *, collection: str, deny: Deny) -> None:
    """``$redact`` re-evaluates its expression in every subdocument, with relative paths."""
    check_expression(expr, collection)
    echoed = echoed_reads(expr, lambda _path: True)
    if echoed:
        deny(tuple(dict.fromkeys(echoed)), reason=_ECHO_REASON)
