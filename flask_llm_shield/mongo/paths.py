"""Dotted paths and aggregation expressions, resolved against a schema shape."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..schemas import FieldSpec, Shape

#: The shape of a document nothing is known about (an unregistered collection, the
#: output of a stage the analysis cannot describe).
OPAQUE = Shape({}, opaque=True)


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a dotted path leads in a shape.

    ``status``: ``"ok"``; ``"sensitive"`` (at or inside an unrevealed sensitive field);
    ``"contains"`` (an ancestor of one); ``"undeclared"``.
    """

    status: str
    spec: FieldSpec | None
    #: The shape below the path (``None`` for a value that passes whole).
    below: Shape | None
    walked: str


def resolve_path(shape: Shape, path: str, reveal: frozenset[str]) -> Resolved:
    current: Shape | None = shape
    spec: FieldSpec | None = None
    walked: list[str] = []
    for part in path.split(".") if path else ():
        if current is None:
            # Deeper than a value that passes whole (a Raw/Dict field, a computed field).
            return Resolved("ok", spec, None, ".".join(walked))
        if current.opaque:
            return Resolved("ok", None, OPAQUE, ".".join(walked))
        if part not in current.fields and (part.isdigit() or part == "$"):
            continue  # an array index or the positional operator: same element shape
        spec = current.fields.get(part)
        walked.append(part)
        where = ".".join(walked)
        if spec is None:
            return Resolved("undeclared", None, None, where)
        if spec.sensitive:
            return Resolved("ok" if where in reveal else "sensitive", spec, None, where)
        current = spec.children
    where = ".".join(walked)
    if current is not None and current.sensitive_paths:
        base = where + "." if where else ""
        if any(base + p not in reveal for p in current.sensitive_paths):
            return Resolved("contains", spec, current, where)
    return Resolved("ok", spec, current, where)


def expression_refs(expr: Any) -> Iterator[str]:
    """Document paths an aggregation expression reads (``""`` is the whole document).

    Variables other than ``$$ROOT``/``$$CURRENT`` are bound from expressions that are
    themselves scanned where they are bound (``$let`` vars, ``$map`` input, ...).
    """
    if isinstance(expr, str):
        if expr.startswith("$$"):
            var, _, rest = expr[2:].partition(".")
            if var in ("ROOT", "CURRENT"):
                yield rest
        elif expr.startswith("$"):
            yield expr[1:]
    elif isinstance(expr, Mapping):
        for key, value in expr.items():
            if key == "$literal":
                continue
            if key == "$getField":
                yield from _get_field_refs(value)
                continue
            if key in ("$setField", "$unsetField") and isinstance(value, Mapping):
                # These return their whole input (default $$CURRENT) with one field changed.
                yield from expression_refs(value.get("input", "$$CURRENT"))
                yield from expression_refs(value.get("value"))
                yield from expression_refs(value.get("field"))
                continue
            yield from expression_refs(value)
    elif isinstance(expr, list | tuple):
        for item in expr:
            yield from expression_refs(item)


def _get_field_refs(value: Any) -> Iterator[str]:
    """``$getField`` reads one field, named by a literal, of its input ($$CURRENT by default)."""
    if isinstance(value, str):
        yield value  # shorthand: a field of the current document
        return
    if not isinstance(value, Mapping):
        yield from expression_refs(value)
        return
    name = value.get("field")
    source = value.get("input", "$$CURRENT")
    if isinstance(name, str) and isinstance(source, str) and source.startswith("$"):
        for base in expression_refs(source):
            yield f"{base}.{name}" if base else name
    else:
        # A computed name or input: everything it reads counts, and the input is surfaced.
        yield from expression_refs(name)
        yield from expression_refs(source)


def pure_ref(expr: Any) -> str | None:
    """The path of an expression that is just a field reference (``"$a.b"``), else None."""
    if isinstance(expr, str) and expr.startswith("$"):
        refs = list(expression_refs(expr))
        return refs[0] if refs else None
    return None


def flatten_projection(projection: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``{"a": {"b": 1}}`` -> ``[("a.b", 1)]``; operator and expression values stay whole."""
    out: list[tuple[str, Any]] = []
    for key, value in projection.items():
        path = prefix + key
        if isinstance(value, Mapping) and value and not any(k.startswith("$") for k in value):
            out.extend(flatten_projection(value, path + "."))
        else:
            out.append((path, value))
    return out
