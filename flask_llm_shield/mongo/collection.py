"""``ScopedCollection``: the read-only, allow-listed accessor itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, Protocol
from weakref import WeakKeyDictionary

from .. import signals
from ..errors import (
    ConfigError,
    ReadOnlyAccessorError,
    SensitiveFieldError,
    UnregisteredCollectionError,
    UnsupportedPipelineError,
)
from ..schemas import SchemaRegistry, Shape
from ..state import request_state
from ._request import current_app_object, current_endpoint
from .cursors import ScopedCommandCursor, ScopedCursor
from .failures import call
from .filters import DocFilter, leaf_strings
from .paths import OPAQUE, expression_refs, flatten_projection, resolve_path
from .pipeline import PipelineAnalyser
from .queries import check_expression, check_filter, is_literal, projection_flag

if TYPE_CHECKING:
    from flask import Flask
    from pymongo.database import Database

    from ..config import ShieldConfig


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


class ScopedCollection:
    """Read-only, allow-listed access to one MongoDB collection. See the module docs.

    Obtain it with ``shield.collection(name, reveal=...)``; it may be created once and
    reused: the app, its config and its database are looked up at each read.
    """

    __slots__ = ("_bound", "_name", "_registry", "_reveal", "_state")

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
        #: (database, its pymongo collection): pymongo builds a new Collection object on
        #: every ``db[name]``, which costs as much as the rest of a read's set-up.
        self._bound: tuple[Any, Any] = (None, None)
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

    def _prepare(self) -> tuple[Any, Shape, DocFilter, bool]:
        """(pymongo collection, shape, result filter, track withheld values)."""
        state = self._state()
        config = state.config
        entry = self._registry.get(self._name)
        app = current_app_object()
        if entry is None:
            if config.strict_collections:
                raise UnregisteredCollectionError(
                    f"collection {self._name!r} has no schema: register one with "
                    f"shield.register_schema({self._name!r}, Schema) or "
                    f"@shield.collection_schema({self._name!r}), or set "
                    "LLM_SHIELD_STRICT_COLLECTIONS = False"
                )
            self._check_reveal(None)
            signals.unregistered_collection.send(
                app, endpoint=current_endpoint(), collection=self._name
            )
            shape = OPAQUE
        else:
            shape = entry.shape
        track = config.track_withheld
        if self._reveal:
            signals.sensitive_field_revealed.send(
                app,
                endpoint=current_endpoint(),
                collection=self._name,
                fields=tuple(sorted(self._reveal)),
            )
        reported = _REPORTED.get(app)
        if reported is None:
            reported = _REPORTED.setdefault(app, set())
        known = request_state() if (track or self._reveal) else None
        doc_filter = DocFilter(
            shape,
            collection=self._name,
            reveal=self._reveal,
            harvest=track,
            known=known,
            reported=reported,
        )
        database = state.database()
        bound_db, collection = self._bound
        if bound_db is not database:
            collection = database[self._name]
            self._bound = (database, collection)
        return collection, shape, doc_filter, track

    def _deny(
        self, paths: tuple[str, ...], *, undeclared: bool = False, reason: str = ""
    ) -> NoReturn:
        signals.sensitive_field_denied.send(
            current_app_object(), endpoint=current_endpoint(), collection=self._name, fields=paths
        )
        if reason:
            message = f"{self._name}: {list(paths)} {reason}"
        elif undeclared:
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
            check_expression(caller, self._name)
            return caller if caller else None
        hidden = () if track else tuple(p for p in shape.sensitive_paths if p not in self._reveal)
        hide_id = "_id" not in shape.fields
        if not caller:
            proj = dict.fromkeys(hidden, 0)
            if hide_id and proj:
                proj["_id"] = 0
            # Else no projection: any projection, even {"_id": 0} alone, makes mongod
            # rebuild every document (about +30% on a read of 100 small ones); the
            # allow-list drops an undeclared _id as cheaply (see filters.Level.silent).
            return proj or None
        if isinstance(caller, Mapping):
            items = flatten_projection(caller)
        elif isinstance(caller, Iterable) and not isinstance(caller, str | bytes):
            items = [(str(path), 1) for path in caller]
        else:
            raise TypeError("projection must be a mapping or a list of field names")
        inclusion = False
        only_id = False
        denied: list[str] = []
        for path, value in items:
            flag = projection_flag(value)
            if flag is not None:
                # Every number and boolean is a flag to the server, Decimal128 included.
                if flag and path != "_id":
                    inclusion = True
                    found = resolve_path(shape, path, self._reveal)
                    if found.status == "sensitive":
                        denied.append(found.walked)
                only_id = only_id or (flag and path == "_id")
                continue
            if not is_literal(value):
                raise UnsupportedPipelineError(
                    f"{self._name}: a projection value of type {type(value).__name__} is "
                    "neither a flag nor a literal MongoDB knows; refused",
                    collection=self._name,
                )
            check_expression(value, self._name)
            if isinstance(value, Mapping) and set(value) <= {"$slice", "$elemMatch", "$meta"}:
                # Projection operators on ``path`` ($meta is a number here: checked above).
                inclusion = inclusion or "$elemMatch" in value
                found = resolve_path(shape, path, self._reveal)
                if found.status == "sensitive":
                    denied.append(found.walked)
                continue
            # An aggregation expression (MongoDB 4.4+): it must not read what we withhold.
            inclusion = True
            for ref in expression_refs(value):
                found = resolve_path(shape, ref, self._reveal)
                if found.status != "ok":
                    denied.append(found.walked or "$$ROOT")
        if denied:
            self._deny(tuple(dict.fromkeys(denied)))
        proj = dict(items)
        if not inclusion and only_id and all(p == "_id" for p, _ in items):
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

    def _check_filter(self, query: Any, shape: Shape) -> None:
        """Refuse a filter that runs code or makes the server quote a withheld value."""
        if not query or not isinstance(query, Mapping):
            return  # no filter, or an _id value
        reveal = self._reveal
        check_filter(
            query,
            lambda path: resolve_path(shape, path, reveal).status != "ok",
            collection=self._name,
            deny=self._deny,
        )

    # -- reads

    def find(self, filter: Any = None, projection: Any = None, **kwargs: Any) -> ScopedCursor:
        """Like ``Collection.find``; returns a :class:`ScopedCursor`."""
        self._check_options(kwargs)
        collection, shape, doc_filter, track = self._prepare()
        self._check_filter(filter, shape)
        proj = self._projection(projection, shape, track)
        cursor = call(self._name, collection.find, filter, proj, **kwargs)
        return ScopedCursor(cursor, doc_filter, self._name)

    def find_one(self, filter: Any = None, projection: Any = None, **kwargs: Any) -> Any:
        """Like ``Collection.find_one``: one allow-listed document or ``None``."""
        self._check_options(kwargs)
        collection, shape, doc_filter, track = self._prepare()
        self._check_filter(filter, shape)
        proj = self._projection(projection, shape, track)
        doc = call(self._name, collection.find_one, filter, proj, **kwargs)
        return None if doc is None else doc_filter(doc)

    def count_documents(self, filter: Mapping[str, Any], **kwargs: Any) -> int:
        collection, shape, _doc_filter, _track = self._prepare()
        self._check_filter(filter, shape)
        return int(call(self._name, collection.count_documents, filter, **kwargs))

    def estimated_document_count(self, **kwargs: Any) -> int:
        collection = self._prepare()[0]
        return int(call(self._name, collection.estimated_document_count, **kwargs))

    def distinct(
        self, key: str, filter: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> list[Any]:
        """Like ``Collection.distinct``; refused for sensitive or undeclared fields."""
        collection, shape, doc_filter, _track = self._prepare()
        found = resolve_path(shape, key, self._reveal)
        if found.status != "ok":
            self._deny((found.walked,), undeclared=found.status == "undeclared")
        self._check_filter(filter, shape)
        values: list[Any] = list(call(self._name, collection.distinct, key, filter, **kwargs))
        if found.spec is not None and found.spec.sensitive:
            # A revealed field: its values become known values for the request.
            known = request_state()
            if known is not None:
                strings: list[str] = []
                leaf_strings(values, strings)
                known.remember_values(strings)
            return values
        if found.below is not None and not found.below.opaque:
            sub = DocFilter(
                found.below,
                collection=self._name,
                reveal=frozenset(),
                harvest=False,
                known=None,
                reported=doc_filter.reported,
                root=False,
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
        check_expression(kwargs.get("let"), self._name)
        final = PipelineAnalyser(self._name, self._registry, config, self._deny).run(
            pipeline, shape, self._reveal
        )
        stages = list(pipeline)
        if not final.opaque:
            hidden: dict[str, Any] = {}
            if not track:
                hidden = {p: 0 for p in final.sensitive_paths if p not in self._reveal}
            if hidden and "_id" not in final.fields:
                hidden["_id"] = 0  # alone it would only cost (see _projection)
            if hidden:
                stages.append({"$project": hidden})
        doc_filter = DocFilter(
            final,
            collection=self._name,
            reveal=self._reveal,
            harvest=track,
            known=_doc_filter.known,
            reported=_doc_filter.reported,
        )
        cursor = call(self._name, collection.aggregate, stages, **kwargs)
        return ScopedCommandCursor(cursor, doc_filter, self._name)

    def _check_options(self, kwargs: Mapping[str, Any]) -> None:
        unknown = sorted(set(kwargs) - _FIND_OPTIONS)
        if unknown:
            # e.g. return_key/show_record_id change what comes back: not allowed here.
            raise TypeError(f"unsupported option(s) for a scoped read: {', '.join(unknown)}")
        # ``let`` variables are expressions and ``sort`` may hold {"$meta": ...}.
        if "let" in kwargs or "sort" in kwargs:
            check_expression([kwargs.get("let"), kwargs.get("sort")], self._name)

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
