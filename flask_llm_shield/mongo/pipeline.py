"""Aggregation-pipeline analysis: the document shape a pipeline produces, leaks refused."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from .. import signals
from ..errors import ReadOnlyAccessorError, UnregisteredCollectionError, UnsupportedPipelineError
from ..schemas import FieldSpec, SchemaRegistry, Shape
from ._request import current_app_object, current_endpoint
from .paths import OPAQUE, expression_refs, flatten_projection, pure_ref, resolve_path
from .queries import (
    Deny,
    check_expression,
    check_filter,
    check_redact,
    is_literal,
    projection_flag,
)

if TYPE_CHECKING:
    from ..config import ShieldConfig


# Mutable shape trees: the analysis builds the shape each stage produces.
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


class PipelineAnalyser:
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

    def __init__(
        self, name: str, registry: SchemaRegistry, config: ShieldConfig, deny: Deny
    ) -> None:
        self._name = name
        self._registry = registry
        self._config = config
        self._deny = deny

    def run(self, pipeline: Sequence[Any], shape: Shape, reveal: frozenset[str]) -> Shape:
        for stage in pipeline:
            if not isinstance(stage, Mapping) or len(stage) != 1:
                raise UnsupportedPipelineError(
                    "each aggregation stage must be a mapping with exactly one operator",
                    collection=self._name,
                )
            ((op, arg),) = stage.items()
            shape = self._stage(op, arg, shape, reveal)
        return shape

    # -- checks

    def _check(self, expr: Any, shape: Shape, reveal: frozenset[str]) -> None:
        """Refuse an expression that reads a sensitive, sensitive-holding or undeclared path,
        runs JavaScript or asks for ``$meta`` values that can be document values."""
        check_expression(expr, self._name)
        bad: dict[str, str] = {}
        for path in expression_refs(expr):
            found = resolve_path(shape, path, reveal)
            if found.status != "ok":
                bad[found.walked or "$$ROOT"] = found.status
        if bad:
            self._deny(tuple(bad), undeclared=all(s == "undeclared" for s in bad.values()))

    def _value_spec(self, expr: Any, shape: Shape, reveal: frozenset[str]) -> FieldSpec:
        """The spec of a computed field: a plain reference keeps the referenced schema."""
        path = pure_ref(expr)
        if path is not None:
            found = resolve_path(shape, path, reveal)
            if found.status in ("sensitive", "undeclared"):
                self._deny((found.walked or "$$ROOT",), undeclared=found.status == "undeclared")
            if found.below is not None:
                return FieldSpec(children=found.below)
            if found.spec is not None and found.spec.sensitive:
                # A revealed sensitive field moved elsewhere stays sensitive there.
                return FieldSpec(sensitive=True, kind=found.spec.kind)
            return FieldSpec()
        self._check(expr, shape, reveal)
        return FieldSpec()

    # -- stages

    def _check_filter(self, query: Any, shape: Shape, reveal: frozenset[str]) -> None:
        check_filter(
            query,
            lambda path: resolve_path(shape, path, reveal).status != "ok",
            collection=self._name,
            deny=self._deny,
        )

    def _stage(self, op: str, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        if op in self._FILTER_STAGES:
            # They choose documents and return them unchanged, but what they evaluate
            # can still run code or make the server quote a value in an error.
            if op == "$match":
                self._check_filter(arg, shape, reveal)
            elif op == "$redact":
                check_redact(arg, collection=self._name, deny=self._deny)
            else:
                check_expression(arg, self._name)
            return shape
        if op in ("$out", "$merge"):
            raise ReadOnlyAccessorError(
                f"the scoped accessor of {self._name!r} is read-only: {op} writes; "
                "run that pipeline on the pymongo collection itself"
            )
        handler = getattr(self, "_stage_" + op[1:], None) if op.startswith("$") else None
        if handler is None:
            raise UnsupportedPipelineError(
                f"aggregation stage {op} is not supported by the scoped accessor of "
                f"{self._name!r}; run it on the pymongo collection if it is safe",
                collection=self._name,
            )
        return handler(arg, shape, reveal)  # type: ignore[no-any-return]

    def _stage_project(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        items = [
            (path, value, self._flag(value))
            for path, value in flatten_projection(_mapping(arg, "$project"))
        ]
        non_id = [item for item in items if item[0] != "_id"]
        id_item = next((item for item in items if item[0] == "_id"), ("_id", 1, True))
        id_flag = id_item[2]
        excluding = all(flag is False for _, _, flag in non_id)
        if items and excluding and id_flag is not None and (non_id or not id_flag):
            # The exclusion form ({"_id": 1} beside exclusions changes nothing).
            if shape.opaque:
                return OPAQUE
            tree = _thaw(shape)
            for path, _value, flag in items:
                if flag is False:
                    _remove_path(tree, path)
            return _freeze(tree)
        out: _Tree = {}
        if id_flag is None:
            _set_path(out, "_id", self._value_spec(id_item[1], shape, reveal))
        elif id_flag:
            self._include(out, "_id", shape, reveal)
        for path, value, flag in non_id:
            if flag is None:
                _set_path(out, path, self._value_spec(value, shape, reveal))
            elif flag:
                self._include(out, path, shape, reveal)
        return _freeze(out)

    def _flag(self, value: Any) -> bool | None:
        """Include/exclude as the server reads a ``$project`` value (``None``: an expression)."""
        flag = projection_flag(value)
        if flag is None and not is_literal(value):
            raise UnsupportedPipelineError(
                f"{self._name}: a $project value of type {type(value).__name__} is neither a "
                "flag nor a literal MongoDB knows; refused",
                collection=self._name,
            )
        return flag

    def _include(self, out: _Tree, path: str, shape: Shape, reveal: frozenset[str]) -> None:
        found = resolve_path(shape, path, reveal)
        if found.status == "sensitive":
            self._deny((found.walked,))
        if found.status == "undeclared":
            return  # absent from the output shape: the allow-list drops it
        if found.spec is not None and found.below is not OPAQUE:
            _set_path(out, path, found.spec)
        else:
            _set_path(out, path, FieldSpec())  # inside computed output: passes whole

    def _stage_addFields(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        tree = _thaw(shape)
        for path, value in flatten_projection(_mapping(arg, "$addFields")):
            parent = resolve_path(shape, path.rpartition(".")[0], reveal) if "." in path else None
            if parent is not None and parent.spec is not None and parent.spec.sensitive:
                self._deny((parent.walked,))
            _set_path(tree, path, self._value_spec(value, shape, reveal))
        return _freeze(tree) if not shape.opaque else OPAQUE

    _stage_set = _stage_addFields

    def _stage_unset(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        paths = [arg] if isinstance(arg, str) else list(arg)
        tree = _thaw(shape)
        for path in paths:
            _remove_path(tree, path)
        return _freeze(tree) if not shape.opaque else OPAQUE

    def _replace_root(self, expr: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        if isinstance(expr, Mapping) and not any(str(k).startswith("$") for k in expr):
            # An object literal: each key is an expression.
            tree: _Tree = {}
            for path, value in flatten_projection(expr):
                _set_path(tree, path, self._value_spec(value, shape, reveal))
            return _freeze(tree)
        spec = self._value_spec(expr, shape, reveal)
        if spec.sensitive:
            self._deny((str(pure_ref(expr)),))
        return spec.children if spec.children is not None else OPAQUE

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
        check_expression(spec.get("sortBy"), self._name)
        self._check({k: v for k, v in spec.items() if k != "sortBy"}, shape, reveal)
        tree = _thaw(shape)
        for path in _mapping(spec.get("output", {}), "output"):
            _set_path(tree, path, FieldSpec())
        return _freeze(tree) if not shape.opaque else OPAQUE

    def _stage_unwind(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        # An array of documents and one of its documents have the same shape here.
        if isinstance(arg, Mapping) and isinstance(arg.get("includeArrayIndex"), str):
            tree = _thaw(shape)
            _set_path(tree, arg["includeArrayIndex"], FieldSpec())
            return _freeze(tree) if not shape.opaque else OPAQUE
        return shape

    def _joined(self, target: Any) -> Shape:
        if not isinstance(target, str):
            raise UnsupportedPipelineError(
                "$lookup/$graphLookup 'from' must be a collection name",
                collection=self._name,
            )
        entry = self._registry.get(target)
        if entry is not None:
            return entry.shape
        if self._config.strict_collections:
            raise UnregisteredCollectionError(
                f"$lookup into {target!r}, which has no schema: register one with "
                f"shield.register_schema({target!r}, Schema)"
            )
        signals.unregistered_collection.send(
            current_app_object(), endpoint=current_endpoint(), collection=target
        )
        return OPAQUE

    def _attach(self, shape: Shape, target: str, joined: Shape) -> Shape:
        if shape.opaque:
            if joined.opaque:
                return OPAQUE
            # An undescribed document cannot carry a described one: the joined schema
            # (its allow-list and its sensitive fields) would be lost.
            raise UnsupportedPipelineError(
                f"a join into a registered collection after a stage whose output the scoped "
                f"accessor of {self._name!r} cannot describe is refused",
                collection=self._name,
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
            raise UnsupportedPipelineError("$lookup needs 'as'", collection=self._name)
        return self._attach(shape, target, joined)

    def _stage_graphLookup(self, arg: Any, shape: Shape, reveal: frozenset[str]) -> Shape:
        spec = _mapping(arg, "$graphLookup")
        joined = self._joined(spec.get("from"))
        self._check(spec.get("startWith"), shape, reveal)
        if "restrictSearchWithMatch" in spec:
            # A filter on the joined collection's documents.
            self._check_filter(spec["restrictSearchWithMatch"], joined, frozenset())
        depth = spec.get("depthField")
        if isinstance(depth, str) and not joined.opaque:
            jtree = _thaw(joined)
            _set_path(jtree, depth, FieldSpec())
            joined = _freeze(jtree)
        target = spec.get("as")
        if not isinstance(target, str):
            raise UnsupportedPipelineError("$graphLookup needs 'as'", collection=self._name)
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
