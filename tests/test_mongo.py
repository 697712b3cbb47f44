"""The scoped MongoDB accessor, on mongomock and on a real mongod (every test runs on both)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from bson import Decimal128, ObjectId
from flask import Flask, Response, request, stream_with_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields

from flask_llm_shield import (
    ConfigError,
    LLMShield,
    ReadOnlyAccessorError,
    SensitiveFieldError,
    UnregisteredCollectionError,
    guarded_llm_route,
)
from flask_llm_shield.mongo import ScopedCollection, UnsupportedPipelineError
from flask_llm_shield.mongo.filters import field_texts, leaf_strings
from flask_llm_shield.schemas import sensitive
from flask_llm_shield.state import request_state

if TYPE_CHECKING:
    from .conftest import SignalRecorder

EMAIL = "jane.doe@mailhost.com"
SSN = "123-45-6789"
STREET = "742 Evergreen Terrace"
CONTACT_EMAIL = "bart@mailhost.org"
NOTES = "internal: VIP, call before renewal"
CARD = "4111 1111 1111 1111"


class AddressSchema(Schema):
    street = fields.String(metadata=sensitive())
    city = fields.String()


class ContactSchema(Schema):
    name = fields.String()
    email = fields.Email(metadata=sensitive("email"))


class UserSchema(Schema):
    _id = fields.Raw()
    name = fields.String()
    plan = fields.String()
    last_login = fields.DateTime()
    balance = fields.Raw()
    email = fields.Email(metadata=sensitive("email"))
    ssn = fields.String(metadata=sensitive("us_ssn"))
    address = fields.Nested(AddressSchema)
    contacts = fields.List(fields.Nested(ContactSchema))
    tags = fields.List(fields.String())


class OrderSchema(Schema):
    _id = fields.Raw()
    user_id = fields.Raw()
    total = fields.Raw()
    card = fields.String(metadata=sensitive("credit_card"))


USER_ID = ObjectId("65f0c0ffee0000000000abcd")
LAST_LOGIN = dt.datetime(2024, 3, 1, 12, 30)


def user_doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "_id": USER_ID,
        "name": "Homer",
        "plan": "pro",
        "last_login": LAST_LOGIN,
        "balance": Decimal128("12.50"),
        "email": EMAIL,
        "ssn": SSN,
        "address": {"street": STREET, "city": "Springfield", "zip": "49007"},
        "contacts": [{"name": "Bart", "email": CONTACT_EMAIL}, {"name": "Lisa"}],
        "tags": ["donut", "beer"],
        "internal_notes": NOTES,
    }
    doc.update(overrides)
    return doc


SENSITIVE_VALUES = (EMAIL, SSN, STREET, CONTACT_EMAIL, NOTES, CARD)


def assert_clean(result: Any) -> None:
    """No sensitive or undeclared value anywhere in ``result``."""
    text = repr(result)
    for value in SENSITIVE_VALUES:
        assert value not in text


@dataclass
class Env:
    app: Flask
    shield: LLMShield
    db: Any


@pytest.fixture
def make_env(database: Any) -> Callable[..., Env]:
    database.users.insert_many(
        [
            user_doc(),
            user_doc(
                _id=ObjectId(),
                name="Marge",
                plan="free",
                email="marge@mailhost.com",
                ssn="987-65-4320",
                contacts=[],
                tags=["hair"],
            ),
            user_doc(
                _id=ObjectId(),
                name="Ned",
                plan="pro",
                email="ned@mailhost.com",
                ssn="111-22-3334",
                address=None,
                contacts=[],
            ),
        ]
    )
    database.orders.insert_many(
        [
            {"_id": 1, "user_id": USER_ID, "total": Decimal128("9.99"), "card": CARD},
            {"_id": 2, "user_id": USER_ID, "total": Decimal128("20.00"), "card": CARD},
        ]
    )
    database.logs.insert_one({"_id": 1, "line": "ok"})

    def make(**config: Any) -> Env:
        shield = LLMShield(db=database)
        shield.register_schema("users", UserSchema)
        shield.register_schema("orders", OrderSchema)
        app = Flask("mongo_test_app")
        app.config.update(TESTING=True, SECRET_KEY="test-secret-key-for-fingerprints", **config)
        shield.init_app(app)
        return Env(app, shield, database)

    return make


@pytest.fixture
def env(make_env: Callable[..., Env]) -> Iterator[Env]:
    e = make_env()
    with e.app.test_request_context("/summary"):
        yield e


def users(env: Env, **kwargs: Any) -> ScopedCollection:
    return env.shield.collection("users", **kwargs)


# -- plain reads -------------------------------------------------------------------------


def test_find_one_returns_only_declared_non_sensitive_fields(env: Env) -> None:
    doc = users(env).find_one({"_id": USER_ID})
    assert doc == {
        "_id": USER_ID,
        "name": "Homer",
        "plan": "pro",
        "last_login": LAST_LOGIN,
        "balance": Decimal128("12.50"),
        "address": {"city": "Springfield"},
        "contacts": [{"name": "Bart"}, {"name": "Lisa"}],
        "tags": ["donut", "beer"],
    }
    assert isinstance(doc["_id"], ObjectId)


def test_find_one_by_id_value_and_missing_document(env: Env) -> None:
    assert users(env).find_one(USER_ID)["name"] == "Homer"
    assert users(env).find_one({"_id": ObjectId()}) is None


def test_filter_on_sensitive_field_is_allowed_but_not_returned(env: Env) -> None:
    doc = users(env).find_one({"email": EMAIL, "ssn": SSN})
    assert doc is not None
    assert doc["name"] == "Homer"
    assert_clean(doc)


def test_find_cursor_sorts_limits_skips(env: Env) -> None:
    cursor = users(env).find({"plan": "pro"}).sort("name", -1).limit(5)
    names = [d["name"] for d in cursor]
    assert names == ["Ned", "Homer"]
    page = users(env).find({}, sort=[("name", 1)]).skip(1).limit(1).to_list()
    assert [d["name"] for d in page] == ["Marge"]
    everything = list(users(env).find())
    assert len(everything) == 3
    assert_clean(everything)
    assert users(env).find().sort("name").to_list(2)[1]["name"] == "Marge"


def test_documents_without_nested_values_keep_nulls(env: Env) -> None:
    ned = users(env).find_one({"name": "Ned"})
    assert ned["address"] is None
    assert ned["contacts"] == []


def test_counts(env: Env) -> None:
    assert users(env).count_documents({"plan": "pro"}) == 2
    assert users(env).count_documents({"email": EMAIL}) == 1
    assert users(env).estimated_document_count() == 3


# -- projections -------------------------------------------------------------------------


def test_inclusion_projection_of_safe_fields(env: Env) -> None:
    assert users(env).find_one({"_id": USER_ID}, {"plan": 1, "_id": 0}) == {"plan": "pro"}
    assert users(env).find_one({"_id": USER_ID}, ["plan", "name"]) == {
        "_id": USER_ID,
        "plan": "pro",
        "name": "Homer",
    }


def test_including_a_document_strips_its_sensitive_fields(env: Env) -> None:
    doc = users(env).find_one({"_id": USER_ID}, {"address": 1, "contacts": 1, "_id": 0})
    assert doc == {
        "address": {"city": "Springfield"},
        "contacts": [{"name": "Bart"}, {"name": "Lisa"}],
    }


@pytest.mark.parametrize(
    ("projection", "denied"),
    [
        ({"email": 1}, ("email",)),
        (["plan", "ssn"], ("ssn",)),
        ({"address.street": 1}, ("address.street",)),
        ({"address": {"street": 1}}, ("address.street",)),
        ({"contacts.email": 1, "plan": 1}, ("contacts.email",)),
        ({"contacts": {"$elemMatch": {"name": "Bart"}}, "contacts.email": 1}, ("contacts.email",)),
        ({"plan": "$ssn"}, ("ssn",)),
        ({"plan": {"$concat": ["$address.street", "!"]}}, ("address.street",)),
        ({"plan": "$$ROOT"}, ("$$ROOT",)),
    ],
)
def test_asking_for_a_sensitive_field_raises_and_signals(
    env: Env, signal_recorder: SignalRecorder, projection: Any, denied: tuple[str, ...]
) -> None:
    with pytest.raises(SensitiveFieldError) as info:
        users(env).find_one({"_id": USER_ID}, projection)
    assert info.value.fields == denied
    assert info.value.collection == "users"
    assert "reveal=" in str(info.value)
    assert_clean(str(info.value))
    [event] = signal_recorder.named("sensitive-field-denied")
    assert event == {"endpoint": None, "collection": "users", "fields": denied}
    assert signal_recorder.senders() == [env.app]


def test_exclusion_projection_is_merged(env: Env) -> None:
    doc = users(env).find_one({"_id": USER_ID}, {"tags": 0, "address": 0})
    assert set(doc) == {"_id", "name", "plan", "last_login", "balance", "contacts"}
    doc = users(env).find_one({"_id": USER_ID}, {"address.city": 0, "_id": 0})
    assert doc["address"] == {}
    assert "_id" not in doc
    assert_clean(doc)


def test_exclusion_projection_with_tracking_off(make_env: Callable[..., Env]) -> None:
    env = make_env(LLM_SHIELD_TRACK_WITHHELD=False)
    with env.app.test_request_context("/"):
        doc = users(env).find_one({"_id": USER_ID}, {"address.street": 0, "contacts": 0})
        assert doc["address"] == {"city": "Springfield"}
        sliced = users(env).find_one({"_id": USER_ID}, {"contacts": {"$slice": 1}})
        assert sliced["contacts"] == [{"name": "Bart"}]
        assert_clean([doc, sliced])


# -- the allow-list ----------------------------------------------------------------------


def test_undeclared_fields_are_dropped_and_reported_once_per_app(
    env: Env, signal_recorder: SignalRecorder, make_env: Callable[..., Env]
) -> None:
    for _ in range(3):
        docs = users(env).find().to_list()
        assert all("internal_notes" not in d for d in docs)
        assert all("zip" not in (d.get("address") or {}) for d in docs)
    events = signal_recorder.named("undeclared-field")
    assert sorted(e["field"] for e in events) == ["address.zip", "internal_notes"]
    assert {e["collection"] for e in events} == {"users"}
    assert all(s is env.app for s in signal_recorder.senders())
    # Another app reports its own drift once too.
    other = make_env()
    with other.app.test_request_context("/"):
        users(other).find_one({"_id": USER_ID})
    assert len(signal_recorder.named("undeclared-field")) == 4


def test_scalar_where_a_document_is_declared_is_dropped(env: Env) -> None:
    env.db.users.insert_one(user_doc(_id=ObjectId(), name="Odd", address=STREET))
    doc = users(env).find_one({"name": "Odd"})
    assert "address" not in doc
    assert_clean(doc)


# -- withheld values ---------------------------------------------------------------------


def test_withheld_values_become_known_values_of_the_request(env: Env) -> None:
    users(env).find_one({"_id": USER_ID})
    known = request_state().known_values  # type: ignore[union-attr]
    assert {EMAIL, SSN, STREET, CONTACT_EMAIL} <= known
    assert NOTES not in known  # undeclared, not sensitive: dropped, not remembered
    assert "Homer" not in known


def test_withheld_values_are_forgotten_with_the_request(make_env: Callable[..., Env]) -> None:
    env = make_env()
    with env.app.test_request_context("/"):
        users(env).find_one({"_id": USER_ID})
        assert request_state().known_values  # type: ignore[union-attr]
    with env.app.test_request_context("/"):
        assert not request_state().known_values  # type: ignore[union-attr]


def test_tracking_off_remembers_nothing(make_env: Callable[..., Env]) -> None:
    env = make_env(LLM_SHIELD_TRACK_WITHHELD=False)
    with env.app.test_request_context("/"):
        doc = users(env).find_one({"_id": USER_ID})
        assert doc["address"] == {"city": "Springfield"}
        assert_clean(doc)
        assert not request_state().known_values  # type: ignore[union-attr]


def test_non_string_sensitive_values_are_remembered_as_text(make_env: Callable[..., Env]) -> None:
    class Account(Schema):
        _id = fields.Raw()
        owner = fields.String()
        salary = fields.Raw(metadata=sensitive())
        born = fields.DateTime(metadata=sensitive())
        pins = fields.List(fields.Integer(), metadata=sensitive())

    env = make_env()
    env.shield.register_schema("accounts", Account)
    env.db.accounts.insert_one(
        {
            "_id": 7,
            "owner": "Moe",
            "salary": Decimal128("84123.45"),
            "born": dt.datetime(1970, 5, 4, 8, 0),
            "pins": [48213, 99017],
        }
    )
    with env.app.test_request_context("/"):
        doc = env.shield.collection("accounts").find_one({"_id": 7})
        assert doc == {"_id": 7, "owner": "Moe"}
        known = request_state().known_values  # type: ignore[union-attr]
    assert {"84123.45", "1970-05-04T08:00:00", "1970-05-04", "48213", "99017"} <= known


# Field values as the compiled filters collect them: every BSON type the driver decodes,
# nested in documents and arrays, and None for an absent field.
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.dates(),
    st.builds(ObjectId),
    st.integers(-(10**12), 10**12).map(lambda cents: Decimal128(f"{cents / 100:.2f}")),
)
_FIELD_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FIELD_VALUES, max_size=8))
def test_collected_values_become_the_same_text_in_bulk(values: list[Any]) -> None:
    # The fast path (every value a string) and the general walk must agree exactly.
    expected: list[str] = []
    leaf_strings(values, expected)
    assert set(field_texts(values)) == set(expected)
    strings = [v for v in values if isinstance(v, str)]
    assert set(field_texts([*strings, None])) == set(strings)


@pytest.mark.parametrize(
    "read",
    ["find_one", "to_list", "iterate", "aggregate", "aggregate_iterate", "two_reads"],
)
def test_every_read_form_registers_withheld_values_before_the_response_is_scanned(
    make_env: Callable[..., Env], read: str
) -> None:
    env = make_env()
    reads: dict[str, Callable[[ScopedCollection], object]] = {
        "find_one": lambda u: u.find_one({"name": "Marge"}),
        "to_list": lambda u: u.find({}).to_list(),
        "iterate": lambda u: list(u.find({})),
        "aggregate": lambda u: u.aggregate([{"$match": {"plan": "free"}}]).to_list(),
        "aggregate_iterate": lambda u: list(u.aggregate([{"$sort": {"name": 1}}])),
        "two_reads": lambda u: (u.find_one({"name": "Homer"}), u.find({}).to_list()),
    }

    @env.app.get("/echo")
    @guarded_llm_route
    def echo() -> dict[str, str]:
        reads[read](env.shield.collection("users"))
        # The model "knows" Marge's SSN from elsewhere and says it, spaced out.
        return {"reply": "Her number is 987 65 4320."}

    response = env.app.test_client().get("/echo")
    assert response.status_code == 400
    assert "987" not in response.get_data(as_text=True)
    assert [f["kind"] for f in response.get_json()["findings"]] == ["known_value"]


def test_a_stream_sees_values_its_generator_reads_after_it_started(
    make_env: Callable[..., Env],
) -> None:
    env = make_env()

    def reply() -> Iterator[str]:
        yield "Looking it up. "
        env.shield.collection("users").find({"plan": "free"}).to_list()
        yield from f"Marge lives at {STREET}, Springfield."  # one character per chunk

    @env.app.get("/stream")
    @guarded_llm_route(mode="redact")
    def stream() -> Response:
        return Response(stream_with_context(reply()), mimetype="text/plain")

    body = env.app.test_client().get("/stream").get_data(as_text=True)
    assert "Looking it up. Marge lives at" in body
    assert not [STREET[i : i + 4] for i in range(len(STREET) - 3) if STREET[i : i + 4] in body]


# -- reveal ------------------------------------------------------------------------------


def test_reveal_returns_the_field_signals_and_remembers(
    env: Env, signal_recorder: SignalRecorder
) -> None:
    doc = users(env, reveal={"email", "contacts.email"}).find_one({"_id": USER_ID})
    assert doc["email"] == EMAIL
    assert doc["contacts"][0]["email"] == CONTACT_EMAIL
    assert "ssn" not in doc
    [event] = signal_recorder.named("sensitive-field-revealed")
    assert event == {
        "endpoint": None,
        "collection": "users",
        "fields": ("contacts.email", "email"),
    }
    assert {EMAIL, CONTACT_EMAIL, SSN} <= request_state().known_values  # type: ignore[union-attr]
    assert users(env, reveal={"email"}).find_one({"_id": USER_ID}, {"email": 1}) == {
        "_id": USER_ID,
        "email": EMAIL,
    }


def test_reveal_remembers_values_even_with_tracking_off(make_env: Callable[..., Env]) -> None:
    env = make_env(LLM_SHIELD_TRACK_WITHHELD=False)
    with env.app.test_request_context("/"):
        doc = users(env, reveal={"ssn"}).find_one({"_id": USER_ID})
        assert doc["ssn"] == SSN
        assert "email" not in doc
        assert request_state().known_values == {SSN}  # type: ignore[union-attr]


@pytest.mark.parametrize("reveal", [{"plan"}, {"nope"}, {"address"}])
def test_reveal_only_names_sensitive_fields(env: Env, reveal: set[str]) -> None:
    with pytest.raises(ConfigError, match="not sensitive fields"):
        users(env, reveal=reveal)


def test_reveal_rejects_a_bare_string(env: Env) -> None:
    with pytest.raises(ConfigError, match="reveal="):
        users(env, reveal="email")


# -- distinct ----------------------------------------------------------------------------


def test_distinct(env: Env, signal_recorder: SignalRecorder) -> None:
    assert sorted(users(env).distinct("plan")) == ["free", "pro"]
    assert sorted(users(env).distinct("contacts.name")) == ["Bart", "Lisa"]
    for key in ("ssn", "contacts.email", "address", "internal_notes"):
        with pytest.raises(SensitiveFieldError):
            users(env).distinct(key)
    assert [e["fields"] for e in signal_recorder.named("sensitive-field-denied")] == [
        ("ssn",),
        ("contacts.email",),
        ("address",),
        ("internal_notes",),
    ]
    revealed = users(env, reveal={"email"}).distinct("email", {"plan": "pro"})
    assert sorted(revealed) == [EMAIL, "ned@mailhost.com"]
    assert "ned@mailhost.com" in request_state().known_values  # type: ignore[union-attr]


# -- writes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("insert_one", ({"plan": "x"},)),
        ("insert_many", ([{"plan": "x"}],)),
        ("update_one", ({}, {"$set": {"plan": "x"}})),
        ("replace_one", ({}, {"plan": "x"})),
        ("delete_many", ({},)),
        ("bulk_write", ([],)),
        ("find_one_and_update", ({}, {"$set": {"plan": "x"}})),
        ("drop", ()),
    ],
)
def test_writes_are_refused(env: Env, method: str, args: tuple[Any, ...]) -> None:
    with pytest.raises(ReadOnlyAccessorError, match=rf"db\['users'\]\.{method}"):
        getattr(users(env), method)(*args)
    assert env.db.users.count_documents({}) == 3


@pytest.mark.parametrize("method", ["watch", "find_raw_batches", "with_options"])
def test_reads_that_bypass_the_allow_list_are_not_offered(env: Env, method: str) -> None:
    with pytest.raises(ReadOnlyAccessorError, match="bypass the schema's allow-list"):
        getattr(users(env), method)()


def test_unknown_attribute_is_an_attribute_error(env: Env) -> None:
    assert not hasattr(users(env), "insert_one")
    with pytest.raises(AttributeError):
        users(env).no_such_method  # noqa: B018


def test_options_that_change_the_result_shape_are_refused(env: Env) -> None:
    with pytest.raises(TypeError, match="show_record_id"):
        users(env).find({}, show_record_id=True)


# -- unregistered collections ------------------------------------------------------------


def test_unregistered_collection_is_refused_when_strict(env: Env) -> None:
    with pytest.raises(UnregisteredCollectionError, match="register_schema"):
        env.shield.collection("logs").find_one({})


def test_unregistered_collection_reads_with_a_signal_when_not_strict(
    make_env: Callable[..., Env], signal_recorder: SignalRecorder
) -> None:
    env = make_env(LLM_SHIELD_STRICT_COLLECTIONS=False)
    with env.app.test_request_context("/"):
        assert env.shield.collection("logs").find_one({}) == {"_id": 1, "line": "ok"}
    assert signal_recorder.named("unregistered-collection") == [
        {"endpoint": None, "collection": "logs"}
    ]


# -- aggregate ---------------------------------------------------------------------------


def test_aggregate_safe_pipeline(env: Env) -> None:
    rows = (
        users(env)
        .aggregate(
            [
                {"$match": {"email": EMAIL}},
                {
                    "$project": {
                        "name": 1,
                        "city": "$address.city",
                        "first": {"$arrayElemAt": ["$tags", 0]},
                    }
                },
            ]
        )
        .to_list()
    )
    assert rows == [{"_id": USER_ID, "name": "Homer", "city": "Springfield", "first": "donut"}]


def test_aggregate_whole_documents_go_through_the_allow_list(env: Env) -> None:
    rows = list(users(env).aggregate([{"$match": {"_id": USER_ID}}]))
    assert rows == [users(env).find_one({"_id": USER_ID})]
    assert {EMAIL, SSN, STREET} <= request_state().known_values  # type: ignore[union-attr]


def test_aggregate_group_and_count(env: Env) -> None:
    rows = (
        users(env)
        .aggregate([{"$group": {"_id": "$plan", "n": {"$sum": 1}}}, {"$sort": {"_id": 1}}])
        .to_list()
    )
    assert rows == [{"_id": "free", "n": 1}, {"_id": "pro", "n": 2}]
    assert list(users(env).aggregate([{"$match": {"plan": "pro"}}, {"$count": "n"}])) == [{"n": 2}]


def test_aggregate_replace_root_keeps_the_nested_schema(env: Env) -> None:
    rows = (
        users(env)
        .aggregate([{"$match": {"_id": USER_ID}}, {"$replaceRoot": {"newRoot": "$address"}}])
        .to_list()
    )
    assert rows == [{"city": "Springfield"}]
    rows = (
        users(env)
        .aggregate([{"$match": {"_id": USER_ID}}, {"$replaceRoot": {"newRoot": "$$ROOT"}}])
        .to_list()
    )
    assert_clean(rows)
    assert rows[0]["name"] == "Homer"


def test_aggregate_unwind_keeps_the_element_schema(env: Env) -> None:
    rows = (
        users(env)
        .aggregate(
            [
                {"$match": {"_id": USER_ID}},
                {"$unwind": "$contacts"},
                {"$project": {"_id": 0, "contacts": 1}},
            ]
        )
        .to_list()
    )
    assert rows == [{"contacts": {"name": "Bart"}}, {"contacts": {"name": "Lisa"}}]


def test_aggregate_lookup_applies_the_joined_collection_schema(env: Env) -> None:
    rows = (
        users(env)
        .aggregate(
            [
                {"$match": {"_id": USER_ID}},
                {
                    "$lookup": {
                        "from": "orders",
                        "localField": "_id",
                        "foreignField": "user_id",
                        "as": "orders",
                    }
                },
                {"$project": {"name": 1, "orders": 1}},
            ]
        )
        .to_list()
    )
    [row] = rows
    assert [o["total"] for o in row["orders"]] == [Decimal128("9.99"), Decimal128("20.00")]
    assert all(set(o) == {"_id", "user_id", "total"} for o in row["orders"])
    assert CARD in request_state().known_values  # type: ignore[union-attr]
    assert_clean(rows)


def test_aggregate_facet(env: Env) -> None:
    [row] = (
        users(env)
        .aggregate(
            [{"$facet": {"plans": [{"$project": {"_id": 0, "plan": 1}}], "all": [{"$match": {}}]}}]
        )
        .to_list()
    )
    assert sorted(p["plan"] for p in row["plans"]) == ["free", "pro", "pro"]
    assert_clean(row)


def test_aggregate_with_tracking_off_projects_sensitive_fields_out(
    make_env: Callable[..., Env],
) -> None:
    env = make_env(LLM_SHIELD_TRACK_WITHHELD=False)
    with env.app.test_request_context("/"):
        rows = users(env).aggregate([{"$match": {"_id": USER_ID}}]).to_list()
        assert rows[0]["address"] == {"city": "Springfield"}
        assert_clean(rows)
        assert not request_state().known_values  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("pipeline", "denied"),
    [
        ([{"$project": {"x": "$ssn"}}], ("ssn",)),
        ([{"$project": {"contact_emails": "$contacts.email"}}], ("contacts.email",)),
        ([{"$project": {"email": 1}}], ("email",)),
        ([{"$addFields": {"hint": {"$substr": ["$email", 0, 3]}}}], ("email",)),
        ([{"$set": {"plan": {"$concat": ["$plan", "$ssn"]}}}], ("ssn",)),
        ([{"$group": {"_id": "$plan", "emails": {"$push": "$email"}}}], ("email",)),
        ([{"$group": {"_id": None, "docs": {"$push": "$$ROOT"}}}], ("$$ROOT",)),
        ([{"$group": {"_id": "$address"}}], ("address",)),
        ([{"$replaceRoot": {"newRoot": {"s": "$address.street"}}}], ("address.street",)),
        ([{"$replaceWith": "$ssn"}], ("ssn",)),
        (
            [{"$project": {"x": {"$map": {"input": "$contacts", "in": "$$this.email"}}}}],
            ("contacts",),
        ),
        ([{"$project": {"x": {"$getField": "ssn"}}}], ("ssn",)),
        ([{"$project": {"x": {"$getField": {"field": "email", "input": "$$ROOT"}}}}], ("email",)),
        ([{"$project": {"x": {"$let": {"vars": {"s": "$ssn"}, "in": "$$s"}}}}], ("ssn",)),
        (
            [{"$project": {"x": {"$setField": {"field": "plan", "input": "$$ROOT", "value": 1}}}}],
            ("$$ROOT",),
        ),
        (
            [{"$project": {"x": {"$unsetField": {"field": "plan", "input": "$$ROOT"}}}}],
            ("$$ROOT",),
        ),
        ([{"$project": {"x": {"$unsetField": {"field": "plan"}}}}], ("$$ROOT",)),
        (
            [{"$project": {"x": {"$getField": {"field": "street", "input": "$address"}}}}],
            ("address.street",),
        ),
        ([{"$project": {"x": {"$getField": {"field": {"$concat": ["s", "sn"]}}}}}], ("$$ROOT",)),
        ([{"$sortByCount": "$email"}], ("email",)),
        ([{"$project": {"x": "$internal_notes"}}], ("internal_notes",)),
        (
            [
                {
                    "$lookup": {
                        "from": "orders",
                        "localField": "_id",
                        "foreignField": "user_id",
                        "as": "o",
                    }
                },
                {"$project": {"c": "$o.card"}},
            ],
            ("o.card",),
        ),
        (
            [
                {
                    "$lookup": {
                        "from": "orders",
                        "as": "o",
                        "pipeline": [{"$project": {"c": "$card"}}],
                    }
                }
            ],
            ("card",),
        ),
        (
            [{"$lookup": {"from": "orders", "as": "o", "let": {"e": "$email"}, "pipeline": []}}],
            ("email",),
        ),
        ([{"$facet": {"a": [{"$project": {"x": "$ssn"}}]}}], ("ssn",)),
    ],
)
def test_aggregate_refuses_stages_that_surface_sensitive_fields(
    env: Env, signal_recorder: SignalRecorder, pipeline: list[Any], denied: tuple[str, ...]
) -> None:
    with pytest.raises(SensitiveFieldError) as info:
        users(env).aggregate(pipeline)
    assert info.value.fields == denied
    assert_clean(str(info.value))
    assert [e["fields"] for e in signal_recorder.named("sensitive-field-denied")] == [denied]


def test_aggregate_get_field_of_a_safe_field(env: Env) -> None:
    if type(env.db).__module__.startswith("mongomock"):
        pytest.skip("mongomock has no $getField")
    rows = (
        users(env)
        .aggregate(
            [
                {"$match": {"_id": USER_ID}},
                {
                    "$project": {
                        "_id": 0,
                        "c": {"$getField": {"field": "city", "input": "$address"}},
                    }
                },
            ]
        )
        .to_list()
    )
    assert rows == [{"c": "Springfield"}]


def test_aggregate_exclusion_projection_keeps_the_rest(
    env: Env, signal_recorder: SignalRecorder
) -> None:
    projection: dict[str, int] = {"tags": 0, "address": 0}
    if not type(env.db).__module__.startswith("mongomock"):
        projection["_id"] = 1  # MongoDB allows it beside exclusions; mongomock does not
    pipeline = [{"$match": {"_id": USER_ID}}, {"$project": projection}]
    [row] = users(env).aggregate(pipeline).to_list()
    assert set(row) == {"_id", "name", "plan", "last_login", "balance", "contacts"}
    if type(env.db).__module__.startswith("mongomock"):
        return  # no $mergeObjects
    [computed] = (
        users(env)
        .aggregate(
            [
                {"$match": {"_id": USER_ID}},
                {"$replaceRoot": {"newRoot": {"$mergeObjects": [{"a": "$plan", "b": "$name"}]}}},
                {"$project": {"b": 0}},
            ]
        )
        .to_list()
    )
    assert computed == {"a": "pro"}
    assert signal_recorder.named("undeclared-field") == [
        {"collection": "users", "field": "internal_notes"}
    ]


def test_aggregate_revealed_field_may_be_projected(env: Env) -> None:
    rows = (
        users(env, reveal={"email"})
        .aggregate([{"$match": {"_id": USER_ID}}, {"$project": {"_id": 0, "email": 1}}])
        .to_list()
    )
    assert rows == [{"email": EMAIL}]


@pytest.mark.parametrize("stage", ["$out", "$merge"])
def test_aggregate_refuses_writes(env: Env, stage: str) -> None:
    with pytest.raises(ReadOnlyAccessorError, match=stage.replace("$", r"\$")):
        users(env).aggregate([{"$match": {}}, {stage: "stolen"}])
    assert "stolen" not in env.db.list_collection_names()


@pytest.mark.parametrize(
    "pipeline",
    [
        [{"$unionWith": "orders"}],
        [{"$densify": {"field": "x", "range": {"step": 1}}}],
        [{"$match": {}, "$limit": 1}],
        ["$match"],
    ],
)
def test_aggregate_refuses_what_it_cannot_analyse(env: Env, pipeline: list[Any]) -> None:
    with pytest.raises(UnsupportedPipelineError):
        users(env).aggregate(pipeline)


def test_aggregate_lookup_into_unregistered_collection_is_refused(env: Env) -> None:
    with pytest.raises(UnregisteredCollectionError, match="logs"):
        users(env).aggregate(
            [{"$lookup": {"from": "logs", "localField": "_id", "foreignField": "_id", "as": "l"}}]
        )


# -- registration through the shield ---------------------------------------------------


def test_collection_schema_decorator_registers_and_returns_the_class(
    make_env: Callable[..., Env],
) -> None:
    env = make_env()

    @env.shield.collection_schema("orders_v2")
    class OrderV2(OrderSchema):
        pass

    assert issubclass(OrderV2, OrderSchema)
    env.db.orders_v2.insert_one({"_id": 3, "total": 1, "card": CARD})
    with env.app.test_request_context("/"):
        assert env.shield.collection("orders_v2").find_one({}) == {"_id": 3, "total": 1}


def test_accessor_follows_the_current_app(make_env: Callable[..., Env]) -> None:
    env = make_env()
    accessor = users(env)  # created once, e.g. at import time
    other_app = Flask("other")
    other_app.config.update(LLM_SHIELD_TRACK_WITHHELD=False)
    env.shield.init_app(other_app)
    with other_app.test_request_context("/"):
        assert accessor.find_one({"_id": USER_ID})["name"] == "Homer"
        assert not request_state().known_values  # type: ignore[union-attr]
    with env.app.test_request_context("/"):
        accessor.find_one({"_id": USER_ID})
        assert SSN in request_state().known_values  # type: ignore[union-attr]


# -- guarded routes: the prompt never sees what the accessor withholds ---------------------


def echo_model(prompt: str) -> str:
    """The worst model there is: it repeats its whole prompt."""
    return f"Summary: {prompt}"


def build_prompt(user: dict[str, Any]) -> str:
    # The naive interpolation that leaks whole documents without the accessor (the id is
    # left out: an ObjectId in a reply is itself an ``object_id`` finding).
    lines = [f"{key}: {value}" for key, value in user.items() if key != "_id"]
    return "Summarise this customer for the support agent.\n" + "\n".join(lines)


def test_guarded_route_prompt_never_gets_sensitive_or_undeclared_fields(
    make_env: Callable[..., Env],
) -> None:
    env = make_env()
    prompts: list[str] = []

    @env.app.get("/summary/<name>")
    @guarded_llm_route
    def summary(name: str) -> dict[str, str]:
        user = env.shield.collection("users").find_one({"name": name})
        prompt = build_prompt(user)
        prompts.append(prompt)
        return {"summary": echo_model(prompt)}

    client = env.app.test_client()
    for name in ("Homer", "Marge", "Ned"):
        response = client.get(f"/summary/{name}")
        assert response.status_code == 200
        assert name in response.get_json()["summary"]
    assert "plan: pro" in prompts[0]
    assert "city" in prompts[0]
    for text in [*prompts, *(client.get(f"/summary/{n}").get_data(True) for n in ("Homer",))]:
        assert_clean(text)
        for other in ("marge@mailhost.com", "987-65-4320", "ned@mailhost.com", "111-22-3334"):
            assert other not in text


def test_guarded_route_echoing_a_withheld_address_is_blocked_without_the_value(
    make_env: Callable[..., Env], signal_recorder: SignalRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    env = make_env()

    @env.app.get("/shipping/<name>")
    @guarded_llm_route
    def shipping(name: str) -> dict[str, str]:
        user = env.shield.collection("users").find_one({"name": name}, {"name": 1, "address": 1})
        if request.args.get("say") == "city":
            return {"reply": f"{user['name']}'s parcel goes to {user['address']['city']}."}
        # The model "knows" the street from elsewhere (memory, another tool) and says it.
        return {"reply": f"{user['name']}'s parcel goes to {STREET}, Springfield."}

    caplog.set_level("DEBUG")
    response = env.app.test_client().get("/shipping/Homer")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert STREET not in body
    assert "known_value" in [f["kind"] for f in response.get_json()["findings"]]
    [event] = signal_recorder.named("response-blocked")
    assert "known_value" in [kind for kind, _path, _fp in event["findings"]]
    assert STREET not in repr(signal_recorder.events)
    # Our logs (and the app's); pymongo's own DEBUG command log prints whole replies.
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("pymongo")]
    assert any("blocked" in line for line in ours)
    assert all(STREET not in line for line in ours)
    # The same route saying only what the accessor returned goes out untouched.
    ok = env.app.test_client().get("/shipping/Homer?say=city")
    assert ok.status_code == 200
    assert ok.get_json() == {"reply": "Homer's parcel goes to Springfield."}


def test_guarded_route_with_a_revealed_field_still_cannot_echo_it(
    make_env: Callable[..., Env],
) -> None:
    env = make_env()

    @env.app.get("/greet/<name>")
    @guarded_llm_route
    def greet(name: str) -> str:
        user = env.shield.collection("users", reveal={"email"}).find_one({"name": name})
        # e.g. the app sends the email itself; the model must not repeat it to the client.
        return echo_model(f"Write to {user['email']}")

    response = env.app.test_client().get("/greet/Homer")
    assert response.status_code == 400
    assert EMAIL not in response.get_data(as_text=True)


def test_reads_leave_the_stored_documents_untouched(env: Env) -> None:
    users(env).find_one({"_id": USER_ID})
    users(env).find().to_list()
    stored = env.db.users.find_one({"_id": USER_ID})
    assert stored == user_doc()


def test_aggregate_join_after_an_undescribed_stage_is_refused(env: Env) -> None:
    lookup = {
        "$lookup": {"from": "users", "localField": "name", "foreignField": "name", "as": "u"}
    }
    pipeline = [{"$replaceRoot": {"newRoot": {"$mergeObjects": [{"k": "$plan"}]}}}, lookup]
    with pytest.raises(UnsupportedPipelineError, match="cannot describe"):
        users(env).aggregate(pipeline)


def test_aggregate_unwound_array_as_root_keeps_its_schema(env: Env) -> None:
    rows = (
        users(env)
        .aggregate(
            [
                {"$match": {"_id": USER_ID}},
                {"$unwind": "$contacts"},
                {"$replaceRoot": {"newRoot": "$contacts"}},
            ]
        )
        .to_list()
    )
    assert rows == [{"name": "Bart"}, {"name": "Lisa"}]
    assert CONTACT_EMAIL in request_state().known_values  # type: ignore[union-attr]


def test_aggregate_graph_lookup_applies_the_joined_schema(env: Env) -> None:
    if type(env.db).__module__.startswith("mongomock"):
        pytest.skip("mongomock has no $graphLookup")
    [row] = (
        users(env)
        .aggregate(
            [
                {"$match": {"_id": USER_ID}},
                {
                    "$graphLookup": {
                        "from": "orders",
                        "startWith": "$_id",
                        "connectFromField": "user_id",
                        "connectToField": "user_id",
                        "as": "orders",
                        "depthField": "depth",
                    }
                },
                {"$project": {"orders": 1}},
            ]
        )
        .to_list()
    )
    assert sorted(o["_id"] for o in row["orders"]) == [1, 2]
    assert all(set(o) == {"_id", "user_id", "total", "depth"} for o in row["orders"])
    assert_clean(row)


# -- property: whatever the stored documents hold, only declared safe fields come out -----

SECRET = "SECRET-"

_scalars = st.one_of(
    st.none(),
    st.integers(-5, 5),
    st.text("abc xyz", max_size=6),
    st.builds(lambda n: f"{SECRET}{n}", st.integers(0, 999)),  # might sit in undeclared keys
)
_extra_keys = st.sampled_from(["zip", "notes", "x", "tags2", "plan_old"])


def _safe(value: Any) -> Any:
    """Declared non-sensitive values never hold a secret in these documents."""
    if isinstance(value, str) and value.startswith(SECRET):
        return "public"
    return value


def _with_extras(base: dict[str, Any], extras: dict[str, Any]) -> dict[str, Any]:
    return {**extras, **base}


_address = st.builds(
    lambda street, city, extras: _with_extras(
        {"street": f"{SECRET}{street}", "city": _safe(city)}, extras
    ),
    st.integers(0, 99),
    _scalars,
    st.dictionaries(_extra_keys, _scalars, max_size=2),
)
_contact = st.builds(
    lambda name, extras: _with_extras({"name": _safe(name), "email": f"{SECRET}c"}, extras),
    _scalars,
    st.dictionaries(_extra_keys, _scalars, max_size=2),
)
_user = st.builds(
    lambda plan, address, contacts, extras: _with_extras(
        {
            "plan": _safe(plan),
            "email": f"{SECRET}e",
            "ssn": f"{SECRET}s",
            "address": address,
            "contacts": contacts,
        },
        extras,
    ),
    _scalars,
    st.one_of(st.none(), _address, _scalars.map(_safe)),
    st.lists(st.one_of(_contact, st.none()), max_size=3),
    st.dictionaries(_extra_keys, _scalars, max_size=3),
)
_projections = st.sampled_from(
    [
        None,
        {"plan": 1},
        {"address": 1, "_id": 0},
        ["contacts", "plan"],
        {"plan": 0},
        {"address.city": 0},
        {"contacts": {"$slice": 1}},
        {"notes": 1},
    ]
)


def _declared_only(value: Any, shape: Any) -> None:
    from flask_llm_shield.schemas import Shape

    assert isinstance(shape, Shape)
    if isinstance(value, list):
        for item in value:
            _declared_only(item, shape)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        spec = shape.fields.get(key)
        assert spec is not None, key
        assert not spec.sensitive, key
        if spec.children is not None:
            _declared_only(item, spec.children)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=st.lists(_user, min_size=1, max_size=4), projection=_projections)
def test_property_only_declared_safe_fields_leave(
    docs: list[dict[str, Any]], projection: Any
) -> None:
    import mongomock

    database = mongomock.MongoClient()["prop"]
    database.users.insert_many(docs)
    shield = LLMShield(db=database)
    shield.register_schema("users", UserSchema)
    app = Flask("prop")
    app.config.update(LLM_SHIELD_STRICT_COLLECTIONS=True)
    shield.init_app(app)
    shape = shield._schemas.get("users").shape  # type: ignore[union-attr]
    with app.test_request_context("/"):
        scoped = shield.collection("users")
        results = [
            scoped.find({}, projection).to_list(),
            [scoped.find_one({"_id": doc["_id"]}, projection) for doc in docs],
            scoped.aggregate([{"$match": {}}]).to_list(),
        ]
    for result in results:
        assert SECRET not in repr(result)
        _declared_only(result, shape)


def test_denial_inside_a_route_names_the_endpoint(
    make_env: Callable[..., Env], signal_recorder: SignalRecorder
) -> None:
    env = make_env()

    @env.app.errorhandler(SensitiveFieldError)
    def refused(error: SensitiveFieldError) -> tuple[dict[str, Any], int]:
        return {"error": str(error), "fields": list(error.fields)}, 403

    @env.app.get("/contact/<name>")
    @guarded_llm_route
    def contact(name: str) -> dict[str, Any]:
        user = env.shield.collection("users").find_one({"name": name}, {"email": 1})
        return {"email": user["email"]}

    response = env.app.test_client().get("/contact/Homer")
    assert response.status_code == 403
    assert response.get_json()["fields"] == ["email"]
    assert EMAIL not in response.get_data(as_text=True)
    assert signal_recorder.named("sensitive-field-denied") == [
        {"endpoint": "contact", "collection": "users", "fields": ("email",)}
    ]


def test_lookup_into_unregistered_collection_when_not_strict(
    make_env: Callable[..., Env], signal_recorder: SignalRecorder
) -> None:
    env = make_env(LLM_SHIELD_STRICT_COLLECTIONS=False)
    with env.app.test_request_context("/"):
        [row] = (
            users(env)
            .aggregate(
                [
                    {"$match": {"_id": USER_ID}},
                    {
                        "$lookup": {
                            "from": "logs",
                            "localField": "x",
                            "foreignField": "y",
                            "as": "l",
                        }
                    },
                    {"$project": {"name": 1, "l": 1}},
                ]
            )
            .to_list()
        )
    # Missing join keys match each other (null == null): the log line joins, unfiltered.
    assert row == {"_id": USER_ID, "name": "Homer", "l": [{"_id": 1, "line": "ok"}]}
    assert signal_recorder.named("unregistered-collection") == [
        {"endpoint": None, "collection": "logs"}
    ]


def test_flat_documents_in_bulk(env: Env, signal_recorder: SignalRecorder) -> None:
    env.db.orders.insert_one({"_id": 3, "user_id": None, "total": 1, "card": "5500", "memo": "x"})
    orders = env.shield.collection("orders").find({}, sort=[("_id", 1)]).to_list()
    assert [set(o) for o in orders] == [{"_id", "user_id", "total"}] * 3
    assert {CARD, "5500"} <= request_state().known_values  # type: ignore[union-attr]
    assert signal_recorder.named("undeclared-field") == [{"collection": "orders", "field": "memo"}]
    assert env.shield.collection("orders").find().to_list(2) == orders[:2]


@pytest.mark.parametrize("track", [True, False])
def test_undeclared_id_is_dropped_not_reported(
    make_env: Callable[..., Env], signal_recorder: SignalRecorder, track: bool
) -> None:
    class Plan(Schema):
        plan = fields.String()
        email = fields.Email(metadata=sensitive("email"))

    class Bare(Schema):  # nothing sensitive: not even a projection for the server
        plan = fields.String()

    env = make_env(LLM_SHIELD_TRACK_WITHHELD=track)
    env.shield.register_schema("plans", Plan)
    env.shield.register_schema("bare", Bare)
    env.db.plans.insert_many([{"plan": "pro", "email": EMAIL}, {"plan": "free", "email": EMAIL}])
    env.db.bare.insert_many([{"plan": "pro"}, {"plan": "free"}])
    with env.app.test_request_context("/"):
        for name in ("plans", "bare"):
            scoped = env.shield.collection(name)
            assert scoped.find_one({"plan": "pro"}) == {"plan": "pro"}
            both = [{"plan": "free"}, {"plan": "pro"}]
            assert scoped.find({}, {"plan": 1}).sort("plan").to_list() == both
            assert scoped.find({}).sort("plan").to_list() == both
            assert list(scoped.find({}, sort=[("plan", 1)])) == both
            assert scoped.find({}, ["plan", "_id"]).sort("plan").to_list() == both
            assert scoped.aggregate([{"$sort": {"plan": 1}}]).to_list() == both
            assert list(scoped.aggregate([{"$sort": {"plan": 1}}])) == both
        known = request_state().known_values  # type: ignore[union-attr]
        assert (EMAIL in known) is track
    assert signal_recorder.named("undeclared-field") == []


def test_an_id_inside_a_subdocument_is_still_drift(
    make_env: Callable[..., Env], signal_recorder: SignalRecorder
) -> None:
    # Only a whole document's _id goes silently; one in a subdocument is reported.
    class Area(Schema):
        name = fields.String()

    class Place(Schema):
        _id = fields.Raw()
        area = fields.Nested(Area)

    env = make_env()
    env.shield.register_schema("places", Place)
    env.db.places.insert_one({"_id": 1, "area": {"_id": 7, "name": "north"}})
    with env.app.test_request_context("/"):
        places = env.shield.collection("places")
        assert places.distinct("area") == [{"name": "north"}]
        assert places.find_one({}) == {"_id": 1, "area": {"name": "north"}}
    # distinct names the path from the subdocument it returns.
    fields_reported = [e["field"] for e in signal_recorder.named("undeclared-field")]
    assert fields_reported in (["_id", "area._id"], ["area._id", "area._id"])


class _Leaf(Schema):
    label = fields.String()
    secret = fields.String(metadata=sensitive())


class _Branch(Schema):
    label = fields.String()
    leaves = fields.List(fields.Nested(_Leaf))


class _Trunk(Schema):
    label = fields.String()
    pin = fields.Integer(metadata=sensitive())
    branch = fields.Nested(_Branch)


class _Tree(Schema):
    _id = fields.Raw()
    trunks = fields.List(fields.Nested(_Trunk))


def test_deeply_nested_documents_and_odd_arrays_are_filtered_at_every_level(
    env: Env, signal_recorder: SignalRecorder
) -> None:
    # Four document levels, so the walk goes past the levels handled inline; arrays mix
    # documents with nulls, scalars and nested arrays at each depth.
    leaves = [
        {"label": "a", "secret": "leaf-secret-1", "junk": 1},
        None,
        "scalar-leaf",
        [{"label": "b", "secret": "leaf-secret-2"}],
    ]
    tree = {
        "_id": 1,
        "trunks": [
            {"label": "t1", "pin": 4242, "branch": {"label": "b1", "leaves": leaves, "x": 0}},
            "scalar-trunk",
            {"label": "t2", "branch": [{"label": "b2", "leaves": {"secret": "leaf-secret-3"}}]},
        ],
        "extra": "dropped",
    }
    env.shield.register_schema("trees", _Tree)
    env.db.trees.insert_many([tree, {**tree, "_id": 2}])
    expected_trunks = [
        {
            "label": "t1",
            "branch": {"label": "b1", "leaves": [{"label": "a"}, None, [{"label": "b"}]]},
        },
        {"label": "t2", "branch": [{"label": "b2", "leaves": {}}]},
    ]
    trees = env.shield.collection("trees")
    assert trees.find_one({"_id": 1}) == {"_id": 1, "trunks": expected_trunks}
    assert trees.find({}, sort=[("_id", 1)]).to_list() == [
        {"_id": 1, "trunks": expected_trunks},
        {"_id": 2, "trunks": expected_trunks},
    ]
    known = request_state().known_values  # type: ignore[union-attr]
    assert {"4242", "leaf-secret-1", "leaf-secret-2", "leaf-secret-3"} <= known
    assert sorted(e["field"] for e in signal_recorder.named("undeclared-field")) == [
        "extra",
        "trunks.branch.leaves.junk",
        "trunks.branch.x",
    ]
