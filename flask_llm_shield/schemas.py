"""Sensitive-field metadata on marshmallow schemas, compiled into document shapes.

A collection's marshmallow schema is the allow-list of the scoped MongoDB accessor: it
says which fields a document may carry out of the accessor, and which of them are
sensitive (withheld unless explicitly revealed)::

    class UserSchema(Schema):
        plan = fields.String()
        email = fields.Email(metadata=sensitive("email"))
        address = fields.Nested(AddressSchema)          # its sensitive fields are followed

The schema is compiled once, at registration, into a :class:`Shape`: a tree of
:class:`FieldSpec` keyed by the *stored* key (``data_key`` when set, else the field
name). Followed: ``fields.Nested`` (also ``many=True``, ``only``/``exclude``, lambdas and
class-registry names), ``fields.List`` of any depth around them, and ``fields.Pluck``.
Not followed: ``fields.Dict``/``fields.Tuple`` values, which pass whole; registration
refuses them when they hide a sensitive field (mark the whole field sensitive instead),
and refuses recursive schemas.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from marshmallow import Schema, fields
from marshmallow.exceptions import RegistryError

from .detect._types import ALL_KINDS
from .errors import ConfigError

#: The key ``sensitive()`` adds to a field's ``metadata``.
METADATA_KEY = "llm_shield_sensitive"

S = TypeVar("S", bound=Schema)


@dataclass(frozen=True, slots=True)
class SensitiveMarker:
    """What :func:`sensitive` records on a field: the optional finding kind of its values."""

    kind: str | None = None


def sensitive(kind: str | None = None, **extra: Any) -> dict[str, Any]:
    """Field metadata marking a marshmallow field as sensitive.

    ``fields.String(metadata=sensitive("us_ssn"))``. ``kind`` names the finding kind its
    values would produce (one of the detection engine's kinds, or ``None`` for values
    without a shape, such as a street address). ``extra`` is merged into the metadata,
    so other metadata can ride along: ``sensitive("email", description="login")``.

    Passed as ``metadata=`` because marshmallow 4 no longer accepts arbitrary keyword
    arguments on fields; this works on marshmallow 3.10+ as well.
    """
    if kind is not None and kind not in ALL_KINDS:
        raise ConfigError(
            f"sensitive(kind={kind!r}): unknown finding kind; use None or one of "
            f"{sorted(ALL_KINDS)}"
        )
    if METADATA_KEY in extra:
        raise ConfigError(f"sensitive(): {METADATA_KEY!r} is reserved")
    return {**extra, METADATA_KEY: SensitiveMarker(kind)}


def sensitive_marker(fld: fields.Field[Any]) -> SensitiveMarker | None:
    """The marker :func:`sensitive` put on ``fld``, if any."""
    marker = fld.metadata.get(METADATA_KEY)
    return marker if isinstance(marker, SensitiveMarker) else None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One declared key of a document shape.

    ``children`` is set for a nested document or an array of nested documents (MongoDB
    treats both alike in paths and projections); ``None`` means the value passes whole.
    """

    sensitive: bool = False
    kind: str | None = None
    children: Shape | None = None


@dataclass(frozen=True, eq=False)
class Shape:
    """The allow-list of one document level: declared keys and what each holds.

    ``opaque`` shapes allow every key: they describe aggregation output whose fields
    were all computed from expressions the accessor checked (see ``mongo.py``).
    """

    fields: Mapping[str, FieldSpec]
    opaque: bool = False
    #: Keys whose value passes whole (declared, not sensitive, no children).
    plain_keys: frozenset[str] = field(init=False)
    #: Every sensitive path below this level, dotted; no path is a prefix of another.
    sensitive_paths: tuple[str, ...] = field(init=False)
    #: Sensitive path -> finding kind.
    sensitive_kinds: Mapping[str, str | None] = field(init=False)
    #: Derived data the accessor computes once per shape (its filtering plans).
    cache: dict[Any, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        plain = frozenset(
            k for k, s in self.fields.items() if not s.sensitive and s.children is None
        )
        kinds = dict(_walk_sensitive(self, ""))
        object.__setattr__(self, "plain_keys", plain)
        object.__setattr__(self, "sensitive_paths", tuple(kinds))
        object.__setattr__(self, "sensitive_kinds", kinds)
        object.__setattr__(self, "cache", {})

    @property
    def has_sensitive(self) -> bool:
        return bool(self.sensitive_paths)


def _walk_sensitive(shape: Shape, prefix: str) -> Iterator[tuple[str, str | None]]:
    for key, spec in shape.fields.items():
        path = f"{prefix}{key}"
        if spec.sensitive:
            yield path, spec.kind
        elif spec.children is not None:
            yield from _walk_sensitive(spec.children, path + ".")


def _unwrap_lists(fld: fields.Field[Any]) -> tuple[fields.Field[Any], SensitiveMarker | None]:
    marker = sensitive_marker(fld)
    while marker is None and isinstance(fld, fields.List):
        fld = fld.inner
        marker = sensitive_marker(fld)
    return fld, marker


def _field_spec(where: str, fld: fields.Field[Any], stack: tuple[type[Schema], ...]) -> FieldSpec:
    fld, marker = _unwrap_lists(fld)
    if marker is not None:
        return FieldSpec(sensitive=True, kind=marker.kind)
    if isinstance(fld, fields.Nested):
        try:
            nested = fld.schema
        except (RegistryError, ValueError) as exc:
            raise ConfigError(f"{where}: cannot resolve the nested schema ({exc})") from exc
        if isinstance(fld, fields.Pluck):
            # The stored value is the plucked field's own value.
            plucked = nested.fields[fld.field_name]
            return _field_spec(where, plucked, stack)
        cls = type(nested)
        if cls in stack:
            raise ConfigError(
                f"{where}: recursive schema {cls.__name__} is not supported by the scoped "
                "accessor; declare the nested levels explicitly"
            )
        return FieldSpec(children=compile_shape(nested, where=where, _stack=(*stack, cls)))
    inner: list[fields.Field[Any]] = []
    if isinstance(fld, fields.Mapping) and fld.value_field is not None:
        inner.append(fld.value_field)
    if isinstance(fld, fields.Tuple):
        inner.extend(fld.tuple_fields)
    for sub in inner:
        spec = _field_spec(where, sub, stack)
        if spec.sensitive or (spec.children is not None and spec.children.has_sensitive):
            raise ConfigError(
                f"{where}: sensitive fields inside fields.{type(fld).__name__} values are "
                "not supported; mark the whole field sensitive()"
            )
    return FieldSpec()


def compile_shape(
    schema: Schema | type[Schema], *, where: str = "", _stack: tuple[type[Schema], ...] = ()
) -> Shape:
    """Compile a marshmallow schema (class or instance) into its document :class:`Shape`."""
    instance = schema() if isinstance(schema, type) else schema
    if not _stack:
        _stack = (type(instance),)
    specs: dict[str, FieldSpec] = {}
    for name, fld in instance.fields.items():
        key = fld.data_key or name
        specs[key] = _field_spec(f"{where}.{key}" if where else key, fld, _stack)
    return Shape(specs)


@dataclass(frozen=True, eq=False)
class CollectionSchema:
    """A registered collection: its name, its marshmallow schema and the compiled shape."""

    name: str
    schema: Schema
    shape: Shape

    @property
    def sensitive_paths(self) -> tuple[str, ...]:
        return self.shape.sensitive_paths


class SchemaRegistry:
    """Collection name -> :class:`CollectionSchema`; owned by one ``LLMShield`` instance.

    App-independent: a schema describes the data, whichever app reads it.
    """

    def __init__(self) -> None:
        self._schemas: dict[str, CollectionSchema] = {}

    def register(self, name: str, schema: type[Schema] | Schema) -> CollectionSchema:
        """Compile and register ``schema`` for collection ``name``.

        Registering the same schema class again is a no-op (module reloads in tests);
        a different schema under a taken name raises :class:`ConfigError`.
        """
        if not isinstance(name, str) or not name or "$" in name or "\x00" in name:
            raise ConfigError(f"register_schema(): invalid collection name {name!r}")
        instance = schema() if isinstance(schema, type) else schema
        if not isinstance(instance, Schema):
            raise ConfigError(
                f"register_schema({name!r}, ...): expected a marshmallow Schema class or "
                f"instance, got {type(schema).__name__}"
            )
        existing = self._schemas.get(name)
        if existing is not None:
            if type(existing.schema) is type(instance):
                return existing
            raise ConfigError(
                f"collection {name!r} already has schema {type(existing.schema).__name__}"
            )
        compiled = CollectionSchema(name, instance, compile_shape(instance, where=name))
        self._schemas[name] = compiled
        return compiled

    def get(self, name: str) -> CollectionSchema | None:
        return self._schemas.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._schemas

    def __iter__(self) -> Iterator[str]:
        return iter(self._schemas)

    def __len__(self) -> int:
        return len(self._schemas)
