"""The scoped MongoDB accessor: allow-listed, read-only access to registered collections.

``shield.collection("users")`` returns a :class:`ScopedCollection`. Every read:

1. refuses a request for a sensitive field (inclusion projection, ``distinct``, an
   aggregation stage that surfaces it) with :class:`SensitiveFieldError` and the
   ``sensitive-field-denied`` signal; filters *on* sensitive fields are allowed;
2. projects the sensitive fields out in the query itself, unless withheld-value tracking
   (``LLM_SHIELD_TRACK_WITHHELD``) is on: then it reads them, strips them before returning
   and registers their values as the request's known values, so a response or stream
   that repeats one of them is a ``known_value`` finding;
3. passes each result through the collection's schema as an allow-list: undeclared
   fields are dropped and reported once per (app, collection, field) with
   ``undeclared-field``.

Aggregation pipelines are analysed stage by stage against the document shape the
pipeline produces (see :class:`_PipelineAnalyser` for what is understood and where the
analysis stops). Writes are not offered: use the pymongo collection itself.

Limits, stated plainly:

* Filters, sorts and join keys may use sensitive fields. That is the point (look a user
  up by email), but it makes every such query an oracle: whoever controls the filter can
  learn a value by asking yes/no questions (``{"ssn": {"$regex": "^1"}}`` + a count).
  Never let model output or user input choose filters on sensitive fields.
* With an inclusion projection only the sensitive values inside the included paths are
  read, so only those become known values.
* The signals ``sensitive-field-revealed`` and ``unregistered-collection`` are sent on
  every read that uses them; ``undeclared-field`` once per (app, collection, field path).
* pymongo's own DEBUG logging (``pymongo.command``) prints whole server replies, withheld
  fields included when tracking is on: keep it off in production.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, Self, TypeAlias
from weakref import WeakKeyDictionary

from flask import current_app, has_request_context, request

from . import signals
from .errors import (
    ConfigError,
    ReadOnlyAccessorError,
    SensitiveFieldError,
    UnregisteredCollectionError,
)
from .schemas import FieldSpec, SchemaRegistry, Shape
from .state import request_state

if TYPE_CHECKING:
    from flask import Flask
    from pymongo.database import Database

    from .config import ShieldConfig
    from .state import RequestShieldState

__all__ = [
    "ScopedCollection",
    "ScopedCommandCursor",
    "ScopedCursor",
    "UnsupportedPipelineError",
]


class UnsupportedPipelineError(SensitiveFieldError):
    """An aggregation stage or expression the accessor cannot analyse; refused (fail closed)."""


class AccessorState(Protocol):
    """What the accessor needs from the app: its config and its database."""

    @property
    def config(self) -> ShieldConfig: ...

    def database(self) -> Database[Any]: ...


#: pymongo ``Collection`` methods that write or change the collection.
WRITE_METHODS = frozenset(
    {
        "insert_one",
        "insert_many",
        "update_one",
        "update_many",
        "replace_one",
        "delete_one",
        "delete_many",
        "bulk_write",
        "find_one_and_update",
        "find_one_and_replace",
        "find_one_and_delete",
        "create_index",
        "create_indexes",
        "create_search_index",
        "create_search_indexes",
        "drop_index",
        "drop_indexes",
        "drop_search_index",
        "update_search_index",
        "drop",
        "rename",
    }
)

#: pymongo ``Collection`` reads that would bypass the allow-list (raw BSON, change events,
#: a differently configured collection).
UNFILTERED_READS = frozenset(
    {"watch", "find_raw_batches", "aggregate_raw_batches", "with_options", "map_reduce"}
)

#: Keyword arguments of ``find`` that cannot change which fields come back.
_FIND_OPTIONS = frozenset(
    {
        "sort",
        "limit",
        "skip",
        "batch_size",
        "max_time_ms",
        "hint",
        "collation",
        "comment",
        "allow_disk_use",
        "no_cursor_timeout",
        "session",
        "let",
        "max",
        "min",
        "max_scan",
        "cursor_type",
        "allow_partial_results",
        "oplog_replay",
    }
)

#: Undeclared fields already reported, per app: {(collection, dotted path)}.
_REPORTED: WeakKeyDictionary[Flask, set[tuple[str, str]]] = WeakKeyDictionary()

_OPAQUE = Shape({}, opaque=True)
_MISSING: Any = object()


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _endpoint() -> str | None:
    return request.endpoint if has_request_context() else None


# --------------------------------------------------------------------------------------
# Values -> known-value strings


def _leaf_strings(value: Any, out: list[str]) -> None:
    """Append the string forms of every leaf of ``value`` (a field value of any BSON type)."""
    if isinstance(value, str):
        out.append(value)
    elif value is None or isinstance(value, bool | bytes | bytearray):
        # A boolean would make "True" a known value; binary has no text form to match.
        return
    elif isinstance(value, Mapping):
        for item in value.values():
            _leaf_strings(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _leaf_strings(item, out)
    elif isinstance(value, _dt.datetime):
        out.append(value.isoformat())
        out.append(value.date().isoformat())
    elif isinstance(value, _dt.date):
        out.append(value.isoformat())
    else:
        # int, float, Decimal128, ObjectId, UUID, ...: their usual text form.
        out.append(str(value))


# --------------------------------------------------------------------------------------
# The allow-list filter

#: Drops the undeclared keys of one document level and reports them.
_Report: TypeAlias = Callable[[dict[str, Any], "_Level"], None]
#: A level's compiled filter: strips ``doc`` in place, appends known-value strings.
_Strip: TypeAlias = Callable[[dict[str, Any], list[str], _Report], None]
#: A compiled handler for one nested key: (document, key, its value, strings, report).
_Child: TypeAlias = Callable[[dict[str, Any], str, Any, list[str], _Report], None]


@dataclass(frozen=True, slots=True, eq=False)
class _Level:
    """One document level of a shape, prepared for fast filtering with a given reveal set."""

    prefix: str
    #: Keys that may stay: declared non-sensitive keys and revealed sensitive ones.
    allowed: frozenset[str]
    #: Sensitive keys of this level whose values are revealed (kept and remembered).
    revealed: tuple[str, ...]
    #: Sensitive keys (withheld).
    withheld: tuple[str, ...]
    #: Keys holding nested documents (or arrays of them) and the level below.
    nested: tuple[tuple[str, _Level], ...]
    #: The compiled filter of this level, per "harvest withheld values" flag.
    compiled: dict[bool, _Strip] = field(default_factory=dict)


def _level(shape: Shape, reveal: frozenset[str], prefix: str = "") -> _Level:
    """The filtering plan of ``shape`` (cached on the shape per reveal set)."""
    cache: dict[Any, Any] = shape.cache
    key = (prefix, reveal)
    level: _Level | None = cache.get(key)
    if level is not None:
        return level
    allowed: set[str] = set()
    revealed: list[str] = []
    withheld: set[str] = set()
    nested: list[tuple[str, _Level]] = []
    for name, spec in shape.fields.items():
        if spec.sensitive:
            if prefix + name in reveal:
                allowed.add(name)
                revealed.append(name)
            else:
                withheld.add(name)
            continue
        allowed.add(name)
        if spec.children is not None and not spec.children.opaque:
            nested.append((name, _level(spec.children, reveal, f"{prefix}{name}.")))
    level = _Level(
        prefix,
        frozenset(allowed),
        tuple(revealed),
        tuple(withheld),
        tuple(nested),
    )
    cache[key] = level
    return level


# The filter is the accessor's hot path: it runs on every document. Each level is
# compiled once (per reveal set and tracking flag) into a closure that knows its keys, so
# a document costs a few dict operations per declared sensitive or nested key, one
# C-level subset test for undeclared keys, and no attribute lookups or flag tests. It
# works in place on the documents the driver just decoded (nobody else holds them) and
# appends the text forms of stripped (when harvesting) and revealed values as it goes.


#: How many levels of nested documents one compiled filter handles inline; deeper ones
#: (rare) call the compiled handler of their level.
_INLINE_DEPTH = 3


def _compile(level: _Level, harvest: bool) -> _Strip:
    """The compiled filter of ``level`` (cached on it).

    It is generated Python source: one straight-line function per level, with the levels
    below it inlined for both a nested document and an array of them. In CPython a call
    per nested document and a loop over key tuples per level cost more than the dict
    operations themselves. Names from the schema enter the source only as ``repr()``
    string literals; every object it uses is passed in as a global.
    """
    strip = level.compiled.get(harvest)
    if strip is not None:
        return strip
    names: dict[str, Any] = {"_leaf": _leaf_strings, "_array": _array, "_M": _MISSING}
    lines = ["def strip(d0, values, report):"]
    _emit(level, harvest, 0, "    ", lines, names)
    namespace: dict[str, Any] = {}
    code = compile("\n".join(lines), f"<llm-shield filter {level.prefix!r}>", "exec")
    exec(code, names, namespace)
    strip = namespace["strip"]
    level.compiled[harvest] = strip
    return strip  # type: ignore[no-any-return]


def _emit(
    level: _Level, harvest: bool, depth: int, pad: str, lines: list[str], names: dict[str, Any]
) -> None:
    """Append the statements that filter the document ``d{depth}`` against ``level``."""
    doc = f"d{depth}"
    ref = f"_L{len(names)}"
    names[ref] = level
    names[ref + "a"] = level.allowed
    for name in level.withheld:
        if harvest:
            lines += [
                f"{pad}v = {doc}.pop({name!r}, _M)",
                f"{pad}if v is not _M:",
                f"{pad}    if type(v) is str:",
                f"{pad}        values.append(v)",
                f"{pad}    else:",
                f"{pad}        _leaf(v, values)",
            ]
        else:
            lines.append(f"{pad}{doc}.pop({name!r}, None)")
    lines += [f"{pad}if not {doc}.keys() <= {ref}a:", f"{pad}    report({doc}, {ref})"]
    for name in level.revealed:
        lines += [f"{pad}if {name!r} in {doc}:", f"{pad}    _leaf({doc}[{name!r}], values)"]
    for key, below in level.nested:
        child = f"_C{len(names)}"
        names[child] = _compile_child(below, harvest)
        value = f"c{depth}"
        fallback = f"{child}({doc}, {key!r}, {value}, values, report)"
        lines += [f"{pad}{value} = {doc}.get({key!r})", f"{pad}if {value} is not None:"]
        if depth + 1 >= _INLINE_DEPTH:
            lines.append(f"{pad}    {fallback}")
            continue
        inner = f"d{depth + 1}"
        sub = f"_S{len(names)}"
        names[sub] = _compile(below, harvest)
        lines += [f"{pad}    if type({value}) is dict:", f"{pad}        {inner} = {value}"]
        _emit(below, harvest, depth + 1, pad + "        ", lines, names)
        lines += [
            f"{pad}    elif type({value}) is list:",
            f"{pad}        for {inner} in {value}:",
            f"{pad}            if type({inner}) is not dict:",
            # Something else in the array: the general walk (filtering the documents
            # already done once more changes nothing).
            f"{pad}                _array({value}, {sub}, values, report)",
            f"{pad}                break",
        ]
        _emit(below, harvest, depth + 1, pad + "            ", lines, names)
        lines += [f"{pad}    else:", f"{pad}        {fallback}"]


def _compile_child(below: _Level, harvest: bool) -> _Child:
    """The handler of a key declared as a nested document (or an array of them)."""
    sub = _compile(below, harvest)

    def handle(
        doc: dict[str, Any], key: str, value: Any, values: list[str], report: _Report
    ) -> None:
        cls = type(value)
        if cls is dict:
            sub(value, values, report)
        elif cls is list:
            for item in value:
                if type(item) is not dict:
                    # Something else in the array: the general walk (filtering again
                    # the items already done changes nothing).
                    _array(value, sub, values, report)
                    break
                sub(item, values, report)
        elif isinstance(value, list):
            _array(value, sub, values, report)
        elif isinstance(value, Mapping):
            doc[key] = value = dict(value)
            sub(value, values, report)
        else:
            # A scalar where the schema declares a document could hold anything.
            del doc[key]

    return handle


def _array(items: list[Any], sub: _Strip, values: list[str], report: _Report) -> None:
    keep = True
    for index, item in enumerate(items):
        if type(item) is dict:
            sub(item, values, report)
        elif isinstance(item, Mapping):
            items[index] = item = dict(item)
            sub(item, values, report)
        elif isinstance(item, list):
            _array(item, sub, values, report)
        elif item is not None:
            keep = False
    if not keep:
        items[:] = [i for i in items if i is None or isinstance(i, Mapping | list)]


class _DocFilter:
    """Applies a shape to result documents: drop undeclared fields, strip sensitive ones.

    Stripped values (when tracking) and revealed values go to the request's known-value
    matcher.
    """

    __slots__ = ("_collection", "_known", "_reported", "_strip", "shape")

    def __init__(
        self,
        shape: Shape,
        *,
        collection: str,
        reveal: frozenset[str],
        harvest: bool,
        known: RequestShieldState | None,
        reported: set[tuple[str, str]],
    ) -> None:
        self.shape = shape
        self._collection = collection
        self._strip = None if shape.opaque else _compile(_level(shape, reveal), harvest)
        self._known = known
        self._reported = reported

    def __call__(self, doc: Any) -> Any:
        strip = self._strip
        if strip is None:
            return doc
        if type(doc) is not dict:
            doc = dict(doc)  # e.g. RawBSONDocument: read-only
        values: list[str] = []
        strip(doc, values, self._drop_undeclared)
        if values and self._known is not None:
            self._known.remember_values(values)
        return doc

    def many(self, docs: Iterable[Any]) -> list[Any]:
        """Filter a batch; its values are remembered in one go."""
        strip = self._strip
        if strip is None:
            return list(docs)
        values: list[str] = []
        report = self._drop_undeclared
        out = []
        for doc in docs:
            if type(doc) is not dict:
                doc = dict(doc)  # e.g. RawBSONDocument: read-only
            strip(doc, values, report)
            out.append(doc)
        if values and self._known is not None:
            self._known.remember_values(values)
        return out

    def _drop_undeclared(self, doc: dict[str, Any], level: _Level) -> None:
        for key in doc.keys() - level.allowed:
            del doc[key]
            self._undeclared(level.prefix + key)

    def _undeclared(self, path: str) -> None:
        marker = (self._collection, path)
        if marker in self._reported:
            return
        self._reported.add(marker)
        signals.undeclared_field.send(_app(), collection=self._collection, field=path)


# --------------------------------------------------------------------------------------
# Cursors


class ScopedCursor:
    """A pymongo ``Cursor`` whose documents pass through the collection's allow-list.

    ``sort``, ``limit``, ``skip``, ``batch_size``, ``max_time_ms``, ``hint``,
    ``collation`` and ``comment`` chain as on pymongo; iterate it or call :meth:`to_list`.
    """

    __slots__ = ("_convert", "_cursor")

    def __init__(self, cursor: Any, convert: Callable[[Any], Any]) -> None:
        self._cursor = cursor
        self._convert = convert

    def _chain(self, method: str, *args: Any, **kwargs: Any) -> Self:
        getattr(self._cursor, method)(*args, **kwargs)
        return self

    def sort(self, key_or_list: Any, direction: Any = None) -> Self:
        if direction is None:
            return self._chain("sort", key_or_list)
        return self._chain("sort", key_or_list, direction)

    def limit(self, limit: int) -> Self:
        return self._chain("limit", limit)

    def skip(self, skip: int) -> Self:
        return self._chain("skip", skip)

    def batch_size(self, batch_size: int) -> Self:
        return self._chain("batch_size", batch_size)

    def max_time_ms(self, max_time_ms: int | None) -> Self:
        return self._chain("max_time_ms", max_time_ms)

    def hint(self, index: Any) -> Self:
        return self._chain("hint", index)

    def collation(self, collation: Any) -> Self:
        return self._chain("collation", collation)

    def comment(self, comment: Any) -> Self:
        return self._chain("comment", comment)

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> dict[str, Any]:
        return self._convert(next(self._cursor))  # type: ignore[no-any-return]

    def next(self) -> dict[str, Any]:
        return self.__next__()

    def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        """The remaining documents (at most ``length`` of them) as a list."""
        convert = self._convert
        many = getattr(convert, "many", None)
        if length is None:
            return many(self._cursor) if many else [convert(doc) for doc in self._cursor]
        docs: list[Any] = []
        for doc in self._cursor:
            docs.append(doc)
            if len(docs) >= length:
                break
        return many(docs) if many else [convert(doc) for doc in docs]

    def close(self) -> None:
        self._cursor.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ScopedCommandCursor(ScopedCursor):
    """The result of :meth:`ScopedCollection.aggregate`: iterate it or call ``to_list``."""

    __slots__ = ()

    def _chain(self, method: str, *args: Any, **kwargs: Any) -> Self:
        raise AttributeError(f"an aggregation cursor has no {method}(); add a pipeline stage")


# --------------------------------------------------------------------------------------
# Paths and expressions


@dataclass(frozen=True, slots=True)
class _Resolved:
    """Where a dotted path leads in a shape.

    ``status``: ``"ok"``; ``"sensitive"`` (at or inside an unrevealed sensitive field);
    ``"contains"`` (an ancestor of one); ``"undeclared"``.
    """

    status: str
    spec: FieldSpec | None
    #: The shape below the path (``None`` for a value that passes whole).
    below: Shape | None
    walked: str


def _resolve(shape: Shape, path: str, reveal: frozenset[str]) -> _Resolved:
    current: Shape | None = shape
    spec: FieldSpec | None = None
    walked: list[str] = []
    for part in path.split(".") if path else ():
        if current is None:
            # Deeper than a value that passes whole (a Raw/Dict field, a computed field).
            return _Resolved("ok", spec, None, ".".join(walked))
        if current.opaque:
            return _Resolved("ok", None, _OPAQUE, ".".join(walked))
        if part not in current.fields and (part.isdigit() or part == "$"):
            continue  # an array index or the positional operator: same element shape
        spec = current.fields.get(part)
        walked.append(part)
        where = ".".join(walked)
        if spec is None:
            return _Resolved("undeclared", None, None, where)
        if spec.sensitive:
            return _Resolved("ok" if where in reveal else "sensitive", spec, None, where)
        current = spec.children
    where = ".".join(walked)
    if current is not None and current.sensitive_paths:
        base = where + "." if where else ""
        if any(base + p not in reveal for p in current.sensitive_paths):
            return _Resolved("contains", spec, current, where)
    return _Resolved("ok", spec, current, where)


def _refs(expr: Any) -> Iterator[str]:
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
                yield from _refs(value.get("input", "$$CURRENT"))
                yield from _refs(value.get("value"))
                yield from _refs(value.get("field"))
                continue
            yield from _refs(value)
    elif isinstance(expr, list | tuple):
        for item in expr:
            yield from _refs(item)


def _get_field_refs(value: Any) -> Iterator[str]:
    """``$getField`` reads one field, named by a literal, of its input ($$CURRENT by default)."""
    if isinstance(value, str):
        yield value  # shorthand: a field of the current document
        return
    if not isinstance(value, Mapping):
        yield from _refs(value)
        return
    name = value.get("field")
    source = value.get("input", "$$CURRENT")
    if isinstance(name, str) and isinstance(source, str) and source.startswith("$"):
        for base in _refs(source):
            yield f"{base}.{name}" if base else name
    else:
        # A computed name or input: everything it reads counts, and the input is surfaced.
        yield from _refs(name)
        yield from _refs(source)


def _pure_ref(expr: Any) -> str | None:
    """The path of an expression that is just a field reference (``"$a.b"``), else None."""
    if isinstance(expr, str) and expr.startswith("$"):
        refs = list(_refs(expr))
        return refs[0] if refs else None
    return None


def _is_flag(value: Any) -> bool:
    return isinstance(value, bool | int | float) and not isinstance(value, str)


def _flatten_projection(projection: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``{"a": {"b": 1}}`` -> ``[("a.b", 1)]``; operator and expression values stay whole."""
    out: list[tuple[str, Any]] = []
    for key, value in projection.items():
        path = prefix + key
        if isinstance(value, Mapping) and value and not any(k.startswith("$") for k in value):
            out.extend(_flatten_projection(value, path + "."))
        else:
            out.append((path, value))
    return out


# --------------------------------------------------------------------------------------
# Mutable shape trees (aggregation analysis builds the shape a pipeline produces)

_Tree: TypeAlias = dict[str, "FieldSpec | _Tree"]


def _thaw(shape: Shape) -> _Tree:
    return dict(shape.fields)


def _freeze(tree: _Tree) -> Shape:
    fields: dict[str, FieldSpec] = {}
    for key, node in tree.items():
        fields[key] = node if isinstance(node, FieldSpec) else FieldSpec(children=_freeze(node))
    return Shape(fields)


def _child_tree(tree: _Tree, key: str) -> _Tree | None:
    node = tree.get(key)
    if isinstance(node, dict):
        return node
    if isinstance(node, FieldSpec) and node.children is not None and not node.children.opaque:
        sub = _thaw(node.children)
        tree[key] = sub
        return sub
    return None


def _set_path(tree: _Tree, path: str, spec: FieldSpec) -> None:
    *parents, last = path.split(".")
    for part in parents:
        sub = _child_tree(tree, part)
        if sub is None:
            sub = {}
            tree[part] = sub
        tree = sub
    tree[last] = spec


def _remove_path(tree: _Tree, path: str) -> None:
    *parents, last = path.split(".")
    for part in parents:
        sub = _child_tree(tree, part)
        if sub is None:
            return
        tree = sub
    tree.pop(last, None)


# --------------------------------------------------------------------------------------
# Pipeline analysis


class _PipelineAnalyser:
    """Follows the document shape through an aggregation pipeline, refusing leaks.

    Understood stages: ``$match``, ``$sort``, ``$limit``, ``$skip``, ``$sample``,
    ``$redact`` (they only choose documents); ``$project``, ``$addFields``/``$set``,
    ``$unset``, ``$replaceRoot``/``$replaceWith`` (a plain field reference keeps that
    field's schema; any other expression must not read a sensitive field, an ancestor of
    one, or an undeclared field, and yields a computed value); ``$group``, ``$bucket``,
    ``$bucketAuto``, ``$sortByCount``, ``$count``, ``$setWindowFields`` (computed values;
    same rule); ``$unwind``; ``$lookup``/``$graphLookup`` into a registered collection
    (the joined documents get that collection's schema; ``let``/``startWith`` must not
    read sensitive fields; a sub-pipeline is analysed the same way); ``$facet``.

    Refused: ``$out``/``$merge`` (writes), and every other stage (``$unionWith``,
    ``$densify``, ``$fill``, ``$documents``, search stages, ...), since their output
    cannot be checked. Join keys (``localField``/``foreignField``) and ``$match``
    filters may use sensitive fields: they choose documents, they are not returned.
    """

    _FILTER_STAGES = frozenset({"$match", "$sort", "$limit", "$skip", "$sample", "$redact"})

    def __init__(self, accessor: ScopedCollection, config: ShieldConfig) -> None:
        self._accessor = accessor
        self._config = config

    def run(self, pipeline: Sequence[Any], shape: Shape, reveal: frozenset[str]) -> Shape:
        for stage in pipeline:
            if not isinstance(stage, Mapping) or len(stage) != 1:
                raise UnsupportedPipelineError(
                    "each aggregation stage must be a mapping with exactly one operator",
                    collection=self._accessor.name,
                )
            ((op, arg),) = stage.items()
            shape = self._stage(op, arg, shape, reveal)
        return shape

    # -- checks

    def _check(self, expr: Any, shape: Shape, reveal: frozenset[str]) -> None:
        """Refuse an expression that reads a sensitive, sensitive-holding or undeclared path."""
        bad: dict[str, str] = {}
        for path in _refs(expr):
            found = _resolve(shape, path, reveal)
            if found.status != "ok":
                bad[found.walked or "$$ROOT"] = found.status
        if bad:
            self._accessor._deny(
                tuple(bad), undeclared=all(s == "undeclared" for s in bad.values())
            )

    def _value_spec(self, expr: Any, shape: Shape, reveal: frozenset[str]) -> FieldSpec:
        """The spec of a computed field: a plain reference keeps the referenced schema."""
        path = _pure_ref(expr)
        if path is not None:
            found = _resolve(shape, path, reveal)
            if found.status in ("sensitive", "undeclared"):
                self._accessor._deny(
                    (found.walked or "$$ROOT",), undeclared=found.status == "undeclared"
                )
            if found.below is not None:
                return FieldSpec(children=found.below)
            if found.spec is not None and found.spec.sensitive:
                # A revealed sensitive field moved elsewhere stays sensitive there.
                return FieldSpec(sensitive=True, kind=found.spec.kind)
            return FieldSpec()
        self._check(expr, shape, reveal)
        return FieldSpec()

    # -- stages

    def _stage(self, op: str, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        if op in self._FILTER_STAGES:
            return shape
        if op in ("$out", "$merge"):
            raise ReadOnlyAccessorError(
                f"the scoped accessor of {self._accessor.name!r} is read-only: {op} writes; "
                "run that pipeline on the pymongo collection itself"
            )
        handler = getattr(self, "_stage_" + op[1:], None) if op.startswith("$") else None
        if handler is None:
            raise UnsupportedPipelineError(
                f"aggregation stage {op} is not supported by the scoped accessor of "
                f"{self._accessor.name!r}; run it on the pymongo collection if it is safe",
                collection=self._accessor.name,
            )
        return handler(arg, shape, reveal)  # type: ignore[no-any-return]

    def _stage_project(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        items = _flatten_projection(_mapping(arg, "$project"))
        non_id = [(p, v) for p, v in items if p != "_id"]
        id_value = dict(items).get("_id", 1)
        excluding = all(_is_flag(v) and not v for _, v in non_id)
        if items and excluding and _is_flag(id_value) and (non_id or not id_value):
            # The exclusion form ({"_id": 1} beside exclusions changes nothing).
            if shape.opaque:
                return _OPAQUE
            tree = _thaw(shape)
            for path, value in items:
                if not value:
                    _remove_path(tree, path)
            return _freeze(tree)
        out: _Tree = {}
        if not _is_flag(id_value):
            _set_path(out, "_id", self._value_spec(id_value, shape, reveal))
        elif id_value:
            self._include(out, "_id", shape, reveal)
        for path, value in non_id:
            if _is_flag(value):
                if value:
                    self._include(out, path, shape, reveal)
                continue
            _set_path(out, path, self._value_spec(value, shape, reveal))
        return _freeze(out)

    def _include(self, out: _Tree, path: str, shape: Shape, reveal: frozenset[str]) -> None:
        found = _resolve(shape, path, reveal)
        if found.status == "sensitive":
            self._accessor._deny((found.walked,))
        if found.status == "undeclared":
            return  # absent from the output shape: the allow-list drops it
        if found.spec is not None and found.below is not _OPAQUE:
            _set_path(out, path, found.spec)
        else:
            _set_path(out, path, FieldSpec())  # inside computed output: passes whole

    def _stage_addFields(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        tree = _thaw(shape)
        for path, value in _flatten_projection(_mapping(arg, "$addFields")):
            parent = _resolve(shape, path.rpartition(".")[0], reveal) if "." in path else None
            if parent is not None and parent.spec is not None and parent.spec.sensitive:
                self._accessor._deny((parent.walked,))
            _set_path(tree, path, self._value_spec(value, shape, reveal))
        return _freeze(tree) if not shape.opaque else _OPAQUE

    _stage_set = _stage_addFields

    def _stage_unset(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        paths = [arg] if isinstance(arg, str) else list(arg)
        tree = _thaw(shape)
        for path in paths:
            _remove_path(tree, path)
        return _freeze(tree) if not shape.opaque else _OPAQUE

    def _replace_root(self, expr: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        if isinstance(expr, Mapping) and not any(str(k).startswith("$") for k in expr):
            # An object literal: each key is an expression.
            tree: _Tree = {}
            for path, value in _flatten_projection(expr):
                _set_path(tree, path, self._value_spec(value, shape, reveal))
            return _freeze(tree)
        spec = self._value_spec(expr, shape, reveal)
        if spec.sensitive:
            self._accessor._deny((str(_pure_ref(expr)),))
        return spec.children if spec.children is not None else _OPAQUE

    def _stage_replaceRoot(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        return self._replace_root(_mapping(arg, "$replaceRoot").get("newRoot"), shape, reveal)

    def _stage_replaceWith(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        return self._replace_root(arg, shape, reveal)

    def _computed(self, keys: Iterable[str]) -> Shape:
        return Shape({key: FieldSpec() for key in keys})

    def _stage_group(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        spec = _mapping(arg, "$group")
        self._check(spec, shape, reveal)
        return self._computed(spec)

    def _stage_bucket(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        spec = _mapping(arg, "$bucket")
        self._check(spec, shape, reveal)
        return self._computed(["_id", *(spec.get("output") or {"count": 1})])

    _stage_bucketAuto = _stage_bucket

    def _stage_sortByCount(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        self._check(arg, shape, reveal)
        return self._computed(["_id", "count"])

    def _stage_count(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        if not isinstance(arg, str):
            raise UnsupportedPipelineError("$count takes a field name", collection="")
        return self._computed([arg])

    def _stage_setWindowFields(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        spec = _mapping(arg, "$setWindowFields")
        self._check({k: v for k, v in spec.items() if k != "sortBy"}, shape, reveal)
        tree = _thaw(shape)
        for path in _mapping(spec.get("output", {}), "output"):
            _set_path(tree, path, FieldSpec())
        return _freeze(tree) if not shape.opaque else _OPAQUE

    def _stage_unwind(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        # An array of documents and one of its documents have the same shape here.
        if isinstance(arg, Mapping) and isinstance(arg.get("includeArrayIndex"), str):
            tree = _thaw(shape)
            _set_path(tree, arg["includeArrayIndex"], FieldSpec())
            return _freeze(tree) if not shape.opaque else _OPAQUE
        return shape

    def _joined(self, target: Any) -> Shape:
        if not isinstance(target, str):
            raise UnsupportedPipelineError(
                "$lookup/$graphLookup 'from' must be a collection name",
                collection=self._accessor.name,
            )
        entry = self._accessor._registry.get(target)
        if entry is not None:
            return entry.shape
        if self._config.strict_collections:
            raise UnregisteredCollectionError(
                f"$lookup into {target!r}, which has no schema: register one with "
                f"shield.register_schema({target!r}, Schema)"
            )
        signals.unregistered_collection.send(_app(), endpoint=_endpoint(), collection=target)
        return _OPAQUE

    def _attach(self, shape: Shape, target: str, joined: Shape) -> Shape:
        if shape.opaque:
            if joined.opaque:
                return _OPAQUE
            # An undescribed document cannot carry a described one: the joined schema
            # (its allow-list and its sensitive fields) would be lost.
            raise UnsupportedPipelineError(
                f"a join into a registered collection after a stage whose output the scoped "
                f"accessor of {self._accessor.name!r} cannot describe is refused",
                collection=self._accessor.name,
            )
        tree = _thaw(shape)
        _set_path(tree, target, FieldSpec(children=joined))
        return _freeze(tree)

    def _stage_lookup(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        spec = _mapping(arg, "$lookup")
        joined = self._joined(spec.get("from"))
        if "let" in spec:
            self._check(spec["let"], shape, reveal)
        if "pipeline" in spec:
            joined = self.run(spec["pipeline"], joined, frozenset())
        target = spec.get("as")
        if not isinstance(target, str):
            raise UnsupportedPipelineError("$lookup needs 'as'", collection=self._accessor.name)
        return self._attach(shape, target, joined)

    def _stage_graphLookup(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        spec = _mapping(arg, "$graphLookup")
        joined = self._joined(spec.get("from"))
        self._check(spec.get("startWith"), shape, reveal)
        depth = spec.get("depthField")
        if isinstance(depth, str) and not joined.opaque:
            jtree = _thaw(joined)
            _set_path(jtree, depth, FieldSpec())
            joined = _freeze(jtree)
        target = spec.get("as")
        if not isinstance(target, str):
            raise UnsupportedPipelineError(
                "$graphLookup needs 'as'", collection=self._accessor.name
            )
        return self._attach(shape, target, joined)

    def _stage_facet(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        facets = _mapping(arg, "$facet")
        return Shape(
            {
                name: FieldSpec(children=self.run(sub, shape, reveal))
                for name, sub in facets.items()
            }
        )


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise UnsupportedPipelineError(f"{where} expects a document", collection="")
    return value


# --------------------------------------------------------------------------------------
# The accessor


class ScopedCollection:
    """Read-only, allow-listed access to one MongoDB collection. See the module docs.

    Obtain it with ``shield.collection(name, reveal=...)``; it may be created once and
    reused: the app, its config and its database are looked up at each read.
    """

    __slots__ = ("_name", "_registry", "_reveal", "_state")

    def __init__(
        self,
        registry: SchemaRegistry,
        name: str,
        *,
        state: Callable[[], AccessorState],
        reveal: Iterable[str] = (),
    ) -> None:
        if isinstance(reveal, str):
            raise ConfigError(
                f"collection({name!r}, reveal=...) takes a collection of field paths, "
                f"e.g. reveal={{{reveal!r}}}"
            )
        self._registry = registry
        self._name = name
        self._state = state
        self._reveal = frozenset(reveal)
        entry = registry.get(name)
        if entry is not None:
            self._check_reveal(entry.shape)

    @property
    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        reveal = f", reveal={sorted(self._reveal)}" if self._reveal else ""
        return f"<ScopedCollection {self._name!r}{reveal}>"

    def _check_reveal(self, shape: Shape | None) -> None:
        if not self._reveal:
            return
        known = set(shape.sensitive_paths) if shape is not None else set()
        unknown = sorted(self._reveal - known)
        if unknown:
            raise ConfigError(
                f"collection({self._name!r}, reveal=...): {unknown} are not sensitive fields "
                f"of {self._name!r}; its sensitive fields are {sorted(known)}"
            )

    # -- plumbing

    def _prepare(self) -> tuple[Any, Shape, _DocFilter, bool]:
        """(pymongo collection, shape, result filter, track withheld values)."""
        state = self._state()
        config = state.config
        entry = self._registry.get(self._name)
        app = _app()
        if entry is None:
            if config.strict_collections:
                raise UnregisteredCollectionError(
                    f"collection {self._name!r} has no schema: register one with "
                    f"shield.register_schema({self._name!r}, Schema) or "
                    f"@shield.collection_schema({self._name!r}), or set "
                    "LLM_SHIELD_STRICT_COLLECTIONS = False"
                )
            self._check_reveal(None)
            signals.unregistered_collection.send(app, endpoint=_endpoint(), collection=self._name)
            shape = _OPAQUE
        else:
            shape = entry.shape
        track = config.track_withheld
        if self._reveal:
            signals.sensitive_field_revealed.send(
                app,
                endpoint=_endpoint(),
                collection=self._name,
                fields=tuple(sorted(self._reveal)),
            )
        reported = _REPORTED.get(app)
        if reported is None:
            reported = _REPORTED.setdefault(app, set())
        known = request_state() if (track or self._reveal) else None
        doc_filter = _DocFilter(
            shape,
            collection=self._name,
            reveal=self._reveal,
            harvest=track,
            known=known,
            reported=reported,
        )
        return state.database()[self._name], shape, doc_filter, track

    def _deny(self, paths: tuple[str, ...], *, undeclared: bool = False) -> NoReturn:
        signals.sensitive_field_denied.send(
            _app(), endpoint=_endpoint(), collection=self._name, fields=paths
        )
        if undeclared:
            message = (
                f"{self._name}: {list(paths)} are not declared in the collection's schema, "
                "so they never leave the scoped accessor; declare them to read them"
            )
        else:
            message = (
                f"{self._name}: {list(paths)} are sensitive and never leave the scoped "
                f"accessor; to return them deliberately use "
                f"shield.collection({self._name!r}, reveal={{...}})"
            )
        raise SensitiveFieldError(message, collection=self._name, fields=paths)

    def _projection(self, caller: Any, shape: Shape, track: bool) -> dict[str, Any] | None:
        """The query projection: the caller's, merged with the exclusion of sensitive paths."""
        if shape.opaque:
            return caller if caller else None
        hidden = () if track else tuple(p for p in shape.sensitive_paths if p not in self._reveal)
        hide_id = "_id" not in shape.fields
        if not caller:
            proj = dict.fromkeys(hidden, 0)
            if hide_id:
                proj["_id"] = 0
            return proj or None
        if isinstance(caller, Mapping):
            items = _flatten_projection(caller)
        elif isinstance(caller, Iterable) and not isinstance(caller, str | bytes):
            items = [(str(path), 1) for path in caller]
        else:
            raise TypeError("projection must be a mapping or a list of field names")
        inclusion = False
        denied: list[str] = []
        for path, value in items:
            if _is_flag(value):
                if value and path != "_id":
                    inclusion = True
                    found = _resolve(shape, path, self._reveal)
                    if found.status == "sensitive":
                        denied.append(found.walked)
                continue
            if isinstance(value, Mapping) and set(value) <= {"$slice", "$elemMatch", "$meta"}:
                inclusion = inclusion or "$elemMatch" in value
                found = _resolve(shape, path, self._reveal)
                if found.status == "sensitive":
                    denied.append(found.walked)
                continue
            # An aggregation expression (MongoDB 4.4+): it must not read what we withhold.
            inclusion = True
            for ref in _refs(value):
                found = _resolve(shape, ref, self._reveal)
                if found.status != "ok":
                    denied.append(found.walked or "$$ROOT")
        if denied:
            self._deny(tuple(dict.fromkeys(denied)))
        proj = dict(items)
        if not inclusion and all(p == "_id" for p, _ in items) and proj.get("_id"):
            inclusion = True  # {"_id": 1}: only the id
        if inclusion:
            # Inclusion projections cannot also exclude: sensitive values inside an
            # included document are stripped by the allow-list instead.
            if hide_id and "_id" not in proj:
                proj["_id"] = 0
            return proj
        for path in hidden:
            # MongoDB rejects overlapping paths ("path collision"). Under a path the caller
            # already excludes or slices, the allow-list strips the value instead.
            if any(path == p or path.startswith(p + ".") for p in proj):
                continue
            for p in [p for p in proj if p.startswith(path + ".")]:
                del proj[p]
            proj[path] = 0
        if hide_id:
            proj.setdefault("_id", 0)
        return proj

    # -- reads

    def find(self, filter: Any = None, projection: Any = None, **kwargs: Any) -> ScopedCursor:
        """Like ``Collection.find``; returns a :class:`ScopedCursor`."""
        self._check_options(kwargs)
        collection, shape, doc_filter, track = self._prepare()
        proj = self._projection(projection, shape, track)
        return ScopedCursor(collection.find(filter, proj, **kwargs), doc_filter)

    def find_one(self, filter: Any = None, projection: Any = None, **kwargs: Any) -> Any:
        """Like ``Collection.find_one``: one allow-listed document or ``None``."""
        self._check_options(kwargs)
        collection, shape, doc_filter, track = self._prepare()
        proj = self._projection(projection, shape, track)
        doc = collection.find_one(filter, proj, **kwargs)
        return None if doc is None else doc_filter(doc)

    def count_documents(self, filter: Mapping[str, Any], **kwargs: Any) -> int:
        collection = self._prepare()[0]
        return int(collection.count_documents(filter, **kwargs))

    def estimated_document_count(self, **kwargs: Any) -> int:
        collection = self._prepare()[0]
        return int(collection.estimated_document_count(**kwargs))

    def distinct(
        self, key: str, filter: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> list[Any]:
        """Like ``Collection.distinct``; refused for sensitive or undeclared fields."""
        collection, shape, doc_filter, _track = self._prepare()
        found = _resolve(shape, key, self._reveal)
        if found.status != "ok":
            self._deny((found.walked,), undeclared=found.status == "undeclared")
        values: list[Any] = list(collection.distinct(key, filter, **kwargs))
        if found.spec is not None and found.spec.sensitive:
            # A revealed field: its values become known values for the request.
            known = request_state()
            if known is not None:
                strings: list[str] = []
                _leaf_strings(values, strings)
                known.remember_values(strings)
            return values
        if found.below is not None and not found.below.opaque:
            sub = _DocFilter(
                found.below,
                collection=self._name,
                reveal=frozenset(),
                harvest=False,
                known=None,
                reported=doc_filter._reported,
            )
            return [sub(v) if isinstance(v, Mapping) else v for v in values]
        return values

    def aggregate(
        self, pipeline: Sequence[Mapping[str, Any]], **kwargs: Any
    ) -> ScopedCommandCursor:
        """Like ``Collection.aggregate``, after checking the pipeline (see the module docs)."""
        collection, shape, _doc_filter, track = self._prepare()
        config = self._state().config
        if not isinstance(pipeline, Sequence) or isinstance(pipeline, str | bytes):
            raise TypeError("pipeline must be a list of stages")
        final = _PipelineAnalyser(self, config).run(pipeline, shape, self._reveal)
        stages = list(pipeline)
        if not final.opaque:
            hidden: dict[str, Any] = {}
            if not track:
                hidden = {p: 0 for p in final.sensitive_paths if p not in self._reveal}
            if "_id" not in final.fields:
                hidden["_id"] = 0
            if hidden:
                stages.append({"$project": hidden})
        doc_filter = _DocFilter(
            final,
            collection=self._name,
            reveal=self._reveal,
            harvest=track,
            known=_doc_filter._known,
            reported=_doc_filter._reported,
        )
        return ScopedCommandCursor(collection.aggregate(stages, **kwargs), doc_filter)

    @staticmethod
    def _check_options(kwargs: Mapping[str, Any]) -> None:
        unknown = sorted(set(kwargs) - _FIND_OPTIONS)
        if unknown:
            # e.g. return_key/show_record_id change what comes back: not allowed here.
            raise TypeError(f"unsupported option(s) for a scoped read: {', '.join(unknown)}")

    def __getattr__(self, name: str) -> Any:
        if name in WRITE_METHODS:
            raise ReadOnlyAccessorError(
                f"shield.collection({self._name!r}) is read-only and has no {name}(): write "
                f"through the pymongo collection itself, e.g. db[{self._name!r}].{name}(...)"
            )
        if name in UNFILTERED_READS:
            raise ReadOnlyAccessorError(
                f"shield.collection({self._name!r}) has no {name}(): its results would bypass "
                f"the schema's allow-list; use db[{self._name!r}].{name}(...) where that is safe"
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
