"""Shapes to compiled allow-list filters: the code that strips every result document.

A :class:`Level` is one document level of a schema shape prepared for a reveal set; it
compiles (once) into generated straight-line Python that drops undeclared keys, strips
sensitive ones and collects the text of withheld and revealed values as known values.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from .. import signals
from ..schemas import Shape
from ._request import current_app_object

if TYPE_CHECKING:
    from ..state import RequestShieldState


def leaf_strings(value: Any, out: list[str]) -> None:
    """Append the string forms of every leaf of ``value`` (a field value of any BSON type)."""
    if isinstance(value, str):
        out.append(value)
    elif value is None or isinstance(value, bool | bytes | bytearray):
        # A boolean would make "True" a known value; binary has no text form to match.
        return
    elif isinstance(value, Mapping):
        for item in value.values():
            leaf_strings(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            leaf_strings(item, out)
    elif isinstance(value, _dt.datetime):
        out.append(value.isoformat())
        out.append(value.date().isoformat())
    elif isinstance(value, _dt.date):
        out.append(value.isoformat())
    else:
        # int, float, Decimal128, ObjectId, UUID, ...: their usual text form.
        out.append(str(value))


def field_texts(values: list[Any]) -> Iterable[str]:
    """The text forms (:func:`leaf_strings`) of field values as a filter collected them.

    ``None`` stands for an absent field. Nearly always every value is a string: then one
    set holds them all and no value is visited in Python.
    """
    try:
        texts = set(values)
        texts.discard(None)
        # str.join raises TypeError on the first item that is not a str: a C-level
        # proof that the set holds only strings.
        "".join(texts)
    except TypeError:  # a document, an array, a number, a date, ...
        out: list[str] = []
        leaf_strings(values, out)
        return out
    return texts


# --------------------------------------------------------------------------------------
# The allow-list filter

#: Drops the undeclared keys of one document level and reports them.
Report: TypeAlias = Callable[[dict[str, Any], "Level"], None]
#: A level's compiled filter: strips ``doc`` in place, appends the raw values of its
#: withheld (when harvesting) and revealed fields (see :func:`field_texts`).
Strip: TypeAlias = Callable[[dict[str, Any], list[Any], Report], None]
#: A level's compiled batch filter: strips every document of a list in place (all of
#: them must be ``dict``; it raises :class:`_NotDict` at the first that is not).
StripMany: TypeAlias = Callable[[list[Any], list[Any], Report], None]
#: A compiled handler for one nested key: (document, key, its value, strings, report).
_Child: TypeAlias = Callable[[dict[str, Any], str, Any, list[Any], Report], None]


@dataclass(frozen=True, slots=True, eq=False)
class Level:
    """One document level of a shape, prepared for fast filtering with a given reveal set."""

    prefix: str
    #: Keys that may stay: declared non-sensitive keys and revealed sensitive ones.
    allowed: frozenset[str]
    #: Sensitive keys of this level whose values are revealed (kept and remembered).
    revealed: tuple[str, ...]
    #: Sensitive keys (withheld).
    withheld: tuple[str, ...]
    #: Keys holding nested documents (or arrays of them) and the level below.
    nested: tuple[tuple[str, Level], ...]
    #: Keys dropped without a report: a document's ``_id`` when the schema leaves it out
    #: (it is in every document; leaving it out means "not wanted", not drift).
    silent: tuple[str, ...] = ()
    #: The compiled filters of this level (one document, a batch), per "harvest
    #: withheld values" flag.
    compiled: dict[bool, tuple[Strip, StripMany]] = field(default_factory=dict)


def level_plan(
    shape: Shape, reveal: frozenset[str], prefix: str = "", *, root: bool = False
) -> Level:
    """The filtering plan of ``shape`` (cached on the shape per reveal set).

    ``root``: the level is a whole document (not a subdocument ``distinct`` returns).
    """
    cache: dict[Any, Any] = shape.cache
    key = (prefix, reveal, root)
    level: Level | None = cache.get(key)
    if level is not None:
        return level
    allowed: set[str] = set()
    revealed: list[str] = []
    withheld: set[str] = set()
    nested: list[tuple[str, Level]] = []
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
            nested.append((name, level_plan(spec.children, reveal, f"{prefix}{name}.")))
    level = Level(
        prefix,
        frozenset(allowed),
        tuple(revealed),
        tuple(withheld),
        tuple(nested),
        ("_id",) if root and "_id" not in shape.fields else (),
    )
    cache[key] = level
    return level


# The filter is the accessor's hot path: it runs on every document. Each level is
# compiled once (per reveal set and tracking flag) into straight-line code that knows its
# keys, so a document costs a few dict operations per declared sensitive or nested key,
# one C-level subset test for undeclared keys, and no attribute lookups or flag tests. It
# works in place on the documents the driver just decoded (nobody else holds them) and
# appends the text forms of stripped (when harvesting) and revealed values as it goes.
# Measured on CPython 3.11 (100 nested documents): a batch function with the loop inside
# it, ``frozenset.issuperset`` bound once (no keys view per level) and ``values.append``
# bound once cost about a third less than a call per document with ``d.keys() <= a``.


class _NotDict(Exception):
    """A batch held a document that is not a plain ``dict`` (e.g. ``RawBSONDocument``)."""


#: How many levels of nested documents one compiled filter handles inline; deeper ones
#: (rare) call the compiled handler of their level.
_INLINE_DEPTH = 3


def compile_level(level: Level, harvest: bool) -> Strip:
    """The compiled filter of ``level`` for one document (cached on it)."""
    return _compiled(level, harvest)[0]


def compile_many(level: Level, harvest: bool) -> StripMany:
    """The compiled filter of ``level`` for a list of documents (cached on it)."""
    return _compiled(level, harvest)[1]


def _compiled(level: Level, harvest: bool) -> tuple[Strip, StripMany]:
    """Both compiled filters of ``level``.

    They are generated Python source: straight-line code per level, with the levels below
    it inlined for both a nested document and an array of them. In CPython a call per
    nested document and a loop over key tuples per level cost more than the dict
    operations themselves. Names from the schema enter the source only as ``repr()``
    string literals; every object it uses is passed in as a global.
    """
    found = level.compiled.get(harvest)
    if found is not None:
        return found
    names: dict[str, Any] = {
        "_array": _array,
        "_NotDict": _NotDict,
    }
    body: list[str] = []
    _emit(level, harvest, 0, "", body, names)
    lines = ["def strip(d0, values, report):", "    add = values.append"]
    lines += ["    " + line for line in body]
    lines += [
        "def strip_many(docs, values, report):",
        "    add = values.append",
        "    for d0 in docs:",
        "        if type(d0) is not dict:",
        "            raise _NotDict",
    ]
    lines += ["        " + line for line in body]
    namespace: dict[str, Any] = {}
    code = compile("\n".join(lines), f"<llm-shield filter {level.prefix!r}>", "exec")
    exec(code, names, namespace)
    found = (namespace["strip"], namespace["strip_many"])
    level.compiled[harvest] = found
    return found


def _emit(
    level: Level, harvest: bool, depth: int, pad: str, lines: list[str], names: dict[str, Any]
) -> None:
    """Append the statements that filter the document ``d{depth}`` against ``level``."""
    doc = f"d{depth}"
    ref = f"_L{len(names)}"
    names[ref] = level
    names[ref + "s"] = level.allowed.issuperset
    for name in level.withheld:
        if harvest:
            # The value as read; None (no text form) doubles as "absent". They become
            # text in bulk, later: see field_texts.
            lines.append(f"{pad}add({doc}.pop({name!r}, None))")
        else:
            lines.append(f"{pad}{doc}.pop({name!r}, None)")
    lines += [f"{pad}{doc}.pop({name!r}, None)" for name in level.silent]
    lines += [f"{pad}if not {ref}s({doc}):", f"{pad}    report({doc}, {ref})"]
    for name in level.revealed:
        lines.append(f"{pad}add({doc}.get({name!r}))")
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
        names[sub] = compile_level(below, harvest)
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


def _compile_child(below: Level, harvest: bool) -> _Child:
    """The handler of a key declared as a nested document (or an array of them)."""
    sub = compile_level(below, harvest)

    def handle(
        doc: dict[str, Any], key: str, value: Any, values: list[Any], report: Report
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


def _array(items: list[Any], sub: Strip, values: list[Any], report: Report) -> None:
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


class DocFilter:
    """Applies a shape to result documents: drop undeclared fields, strip sensitive ones.

    Stripped values (when tracking) and revealed values go to the request's known-value
    matcher.
    """

    __slots__ = ("_collection", "_strip", "_strip_many", "known", "reported", "shape")

    def __init__(
        self,
        shape: Shape,
        *,
        collection: str,
        reveal: frozenset[str],
        harvest: bool,
        known: RequestShieldState | None,
        reported: set[tuple[str, str]],
        root: bool = True,
    ) -> None:
        self.shape = shape
        self._collection = collection
        if shape.opaque:
            self._strip: Strip | None = None
            self._strip_many: StripMany | None = None
        else:
            plan = level_plan(shape, reveal, root=root)
            self._strip, self._strip_many = _compiled(plan, harvest)
        self.known = known
        self.reported = reported

    def __call__(self, doc: Any) -> Any:
        strip = self._strip
        if strip is None:
            return doc
        if type(doc) is not dict:
            doc = dict(doc)  # e.g. RawBSONDocument: read-only
        values: list[Any] = []
        strip(doc, values, self._drop_undeclared)
        if values and self.known is not None:
            self.known.defer_values(values, field_texts)
        return doc

    def many(self, docs: Iterable[Any]) -> list[Any]:
        """Filter a batch (read to a list at C speed, stripped in place); its values are
        handed to the request state in one go."""
        batch = list(docs)
        strip_many = self._strip_many
        if strip_many is None:
            return batch
        values: list[Any] = []
        try:
            strip_many(batch, values, self._drop_undeclared)
        except _NotDict:
            # e.g. RawBSONDocument (read-only): copy, then filter again; the documents
            # already done are unchanged by a second pass.
            batch = [doc if type(doc) is dict else dict(doc) for doc in batch]
            strip_many(batch, values, self._drop_undeclared)
        if values and self.known is not None:
            self.known.defer_values(values, field_texts)
        return batch

    def _drop_undeclared(self, doc: dict[str, Any], level: Level) -> None:
        for key in doc.keys() - level.allowed:
            del doc[key]
            self._undeclared(level.prefix + key)

    def _undeclared(self, path: str) -> None:
        marker = (self._collection, path)
        if marker in self.reported:
            return
        self.reported.add(marker)
        signals.undeclared_field.send(
            current_app_object(), collection=self._collection, field=path
        )
