"""Sensitive-field metadata and the compilation of marshmallow schemas into shapes."""

from __future__ import annotations

import pytest
from marshmallow import Schema, fields

from flask_llm_shield import ConfigError, LLMShield
from flask_llm_shield.schemas import (
    METADATA_KEY,
    SchemaRegistry,
    SensitiveMarker,
    compile_shape,
    sensitive,
    sensitive_marker,
)


class Address(Schema):
    street = fields.String(metadata=sensitive())
    city = fields.String()


class Contact(Schema):
    name = fields.String()
    email = fields.Email(metadata=sensitive("email"))


class User(Schema):
    _id = fields.String()
    plan = fields.String()
    last_login = fields.DateTime()
    email = fields.Email(metadata=sensitive("email"))
    ssn = fields.String(metadata=sensitive("us_ssn"))
    address = fields.Nested(Address)
    contacts = fields.List(fields.Nested(Contact))
    emergency = fields.Nested(Contact, many=True, data_key="emergencyContacts")
    manager_email = fields.Pluck(Contact, "email")
    manager_name = fields.Pluck(Contact, "name")
    work = fields.Nested(lambda: Address(only=("city",)))
    grid = fields.List(fields.List(fields.Nested(Contact)))
    pins = fields.List(fields.Integer(metadata=sensitive()))
    extra = fields.Dict()


def test_sensitive_returns_metadata_for_any_marshmallow_version() -> None:
    meta = sensitive("email", description="login address")
    assert meta == {"description": "login address", METADATA_KEY: SensitiveMarker("email")}
    field = fields.Email(metadata=meta)
    assert sensitive_marker(field) == SensitiveMarker("email")
    assert field.metadata["description"] == "login address"
    assert sensitive_marker(fields.String()) is None
    assert sensitive() == {METADATA_KEY: SensitiveMarker(None)}


def test_sensitive_validates_the_kind() -> None:
    with pytest.raises(ConfigError, match="e-mail"):
        sensitive("e-mail")


def test_sensitive_paths_follow_nested_lists_pluck_and_data_key() -> None:
    shape = compile_shape(User)
    assert shape.sensitive_kinds == {
        "email": "email",
        "ssn": "us_ssn",
        "address.street": None,
        "contacts.email": "email",
        "emergencyContacts.email": "email",
        "manager_email": "email",
        "grid.email": "email",
        "pins": None,
    }
    # Nested(only=...) limits what is declared.
    work = shape.fields["work"].children
    assert work is not None
    assert set(work.fields) == {"city"}
    assert {"_id", "plan", "last_login", "manager_name", "extra"} == shape.plain_keys
    assert not shape.fields["manager_name"].sensitive


def test_schema_instances_are_accepted() -> None:
    shape = compile_shape(User(only=("plan", "email")))
    assert set(shape.fields) == {"plan", "email"}
    assert shape.sensitive_paths == ("email",)


def test_sensitive_values_hidden_in_dict_values_are_refused() -> None:
    class Bad(Schema):
        by_id = fields.Dict(keys=fields.String(), values=fields.Nested(Contact))

    with pytest.raises(ConfigError, match="mark the whole field"):
        compile_shape(Bad)

    class Fine(Schema):
        by_id = fields.Dict(keys=fields.String(), values=fields.Nested(Address(only=("city",))))
        all_private = fields.Dict(metadata=sensitive())

    assert compile_shape(Fine).sensitive_paths == ("all_private",)


def test_recursive_schemas_are_refused_with_a_clear_message() -> None:
    class Node(Schema):
        name = fields.String()
        child = fields.Nested(lambda: Node())

    with pytest.raises(ConfigError, match="recursive schema Node"):
        compile_shape(Node)


def test_registry_keeps_one_schema_per_collection() -> None:
    registry = SchemaRegistry()
    first = registry.register("users", User)
    assert registry.register("users", User) is first
    assert "users" in registry
    assert list(registry) == ["users"]
    with pytest.raises(ConfigError, match="already has schema User"):
        registry.register("users", Address)
    with pytest.raises(ConfigError, match="invalid collection name"):
        registry.register("$cmd", User)
    with pytest.raises(ConfigError, match="marshmallow Schema"):
        registry.register("things", dict)  # type: ignore[arg-type]


def test_shield_decorator_returns_the_class() -> None:
    shield = LLMShield()

    @shield.collection_schema("people")
    class People(Schema):
        email = fields.Email(metadata=sensitive("email"))

    assert People.__name__ == "People"
    assert People().dump({"email": "a@b.c"}) == {"email": "a@b.c"}  # still a normal schema
    shield.register_schema("staff", People())
    with pytest.raises(ConfigError, match="already has schema"):
        shield.register_schema("people", User)
