"""Issue 9, classes 1, 2 and 8: the scoped accessor's high-severity bypasses, as families.

* ``$meta`` kinds that return document values (``sortKey``, ``indexKey``, ...), wherever
  an expression can stand: find projections, every aggregation stage, sub-pipelines;
* projection values the server reads as "include" (every numeric BSON type and booleans,
  ``Decimal128`` included) while mongomock reads some as literals;
* server error messages that quote a value: JavaScript, conversions, dates, regexes, in
  filters and ``$redact``; and every driver error leaves as a value-free ``ShieldError``.

Each attack is run against mongomock and the real mongod. Where it matters, the same
attack through raw pymongo on the real server is shown to leak first, so a test that
passes is a test that could have failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from bson import Decimal128, Int64, ObjectId
from flask import Flask
from marshmallow import Schema, fields

from flask_llm_shield import LLMShield, SensitiveFieldError, guarded_llm_route
from flask_llm_shield.errors import (
    DatabaseError,
    QueryRefusedError,
    ShieldError,
    UnsupportedPipelineError,
)
from flask_llm_shield.schemas import sensitive

if TYPE_CHECKING:
    from .conftest import SignalRecorder

SSN = "123-45-6789"
EMAIL = "jane.doe@mailhost.com"
STREET = "742 Evergreen Terrace"
CARD = "4111 1111 1111 1111"
NOTES = "internal: VIP, call before renewal"
SECRETS = (SSN, EMAIL, STREET, CARD, NOTES)
USER_ID = ObjectId("65f0c0ffee0000000000abcd")


class AddressSchema(Schema):
    street = fields.String(metadata=sensitive())
    city = fields.String()


class UserSchema(Schema):
    _id = fields.Raw()
    name = fields.String()
    plan = fields.String()
    last_login = fields.DateTime()
    email = fields.Email(metadata=sensitive("email"))
    ssn = fields.String(metadata=sensitive("us_ssn"))
    address = fields.Nested(AddressSchema)
    tags = fields.List(fields.String())


class OrderSchema(Schema):
    _id = fields.Raw()
    user_id = fields.Raw()
    total = fields.Raw()
    card = fields.String(metadata=sensitive("credit_card"))


@dataclass
class Env:
    app: Flask
    shield: LLMShield
    db: Any

    @property
    def real(self) -> bool:
        return not type(self.db).__module__.startswith("mongomock")

    def users(self) -> Any:
        return self.shield.collection("users")


@pytest.fixture
def env(database: Any) -> Iterator[Env]:
    database.users.insert_one(
        {
            "_id": USER_ID,
            "name": "Homer",
            "plan": "pro",
            "last_login": dt.datetime(2024, 3, 1, 12, 30),
            "email": EMAIL,
            "ssn": SSN,
            "address": {"street": STREET, "city": "Springfield"},
            "tags": ["donut"],
            "internal_notes": NOTES,
        }
    )
    database.orders.insert_one({"_id": 1, "user_id": USER_ID, "total": 9.99, "card": CARD})
    database.logs.insert_one({"_id": 1, "ssn": SSN, "plan": "pro"})
    if not type(database).__module__.startswith("mongomock"):
        database.users.create_index("ssn")
    shield = LLMShield(db=database)
    shield.register_schema("users", UserSchema)
    shield.register_schema("orders", OrderSchema)
    app = Flask("bypass_app")
    app.config.update(TESTING=True, SECRET_KEY="k", LLM_SHIELD_STRICT_COLLECTIONS=False)
    shield.init_app(app)
    with app.test_request_context("/"):
        yield Env(app, shield, database)


def assert_clean(*things: Any) -> None:
    text = " ".join(repr(t) + str(t) for t in things)
    for value in SECRETS:
        assert value not in text


def raw_leaks(fn: Callable[[], Any]) -> bool:
    """Whether a raw pymongo call returns or quotes a secret (in its result or its error)."""
    try:
        text = repr(fn())
    except Exception as exc:  # the leak through the error message is the point
        text = str(exc)
    return any(value in text for value in SECRETS)


# -- class 1: $meta ------------------------------------------------------------------------

SORT_BY_SSN = {"$sort": {"ssn": 1}}
SORT_BY_STREET = {"$sort": {"address.street": 1}}

#: (name, pipeline) pairs that return a sort key or index key (a withheld value) under a
#: declared, harmless field name on a real server.
META_PIPELINES = [
    ("project-sortKey", [SORT_BY_STREET, {"$project": {"plan": {"$meta": "sortKey"}}}]),
    ("addFields-sortKey", [SORT_BY_SSN, {"$addFields": {"plan": {"$meta": "sortKey"}}}]),
    ("set-sortKey", [SORT_BY_SSN, {"$set": {"name": {"$meta": "sortKey"}}}]),
    (
        "group-first-sortKey",
        [SORT_BY_SSN, {"$group": {"_id": None, "plan": {"$first": {"$meta": "sortKey"}}}}],
    ),
    (
        "nested-in-expression",
        [SORT_BY_SSN, {"$project": {"plan": {"$arrayElemAt": [{"$meta": "sortKey"}, 0]}}}],
    ),
    (
        "setWindowFields",
        [
            {
                "$setWindowFields": {
                    "sortBy": {"ssn": 1},
                    "output": {"plan": {"$first": {"$meta": "sortKey"}}},
                }
            }
        ],
    ),
    (
        "replaceRoot-literal",
        [SORT_BY_SSN, {"$replaceRoot": {"newRoot": {"plan": {"$meta": "sortKey"}}}}],
    ),
    ("facet", [SORT_BY_SSN, {"$facet": {"f": [{"$project": {"plan": {"$meta": "sortKey"}}}]}}]),
    (
        "lookup-sub-pipeline",
        [
            {
                "$lookup": {
                    "from": "orders",
                    "pipeline": [
                        {"$sort": {"card": 1}},
                        {"$set": {"total": {"$meta": "sortKey"}}},
                    ],
                    "as": "orders",
                }
            }
        ],
    ),
    (
        "indexKey",
        [{"$match": {"ssn": {"$gt": ""}}}, {"$project": {"plan": {"$meta": "indexKey"}}}],
    ),
    ("match-expr", [SORT_BY_SSN, {"$match": {"$expr": {"$eq": [{"$meta": "sortKey"}, []]}}}]),
    ("bucket-output", [{"$sortByCount": {"$meta": "indexKey"}}]),
    ("geoNearPoint", [{"$project": {"plan": {"$meta": "geoNearPoint"}}}]),
    ("searchHighlights", [{"$project": {"plan": {"$meta": "searchHighlights"}}}]),
    ("unknown-kind", [{"$project": {"plan": {"$meta": "someFutureKind"}}}]),
    ("computed-kind", [{"$project": {"plan": {"$meta": {"$concat": ["sort", "Key"]}}}}]),
]


@pytest.mark.parametrize(("name", "pipeline"), META_PIPELINES, ids=[n for n, _ in META_PIPELINES])
def test_meta_that_can_carry_values_is_refused_in_every_stage(
    env: Env, name: str, pipeline: list[Any]
) -> None:
    if env.real and name in ("project-sortKey", "group-first-sortKey", "set-sortKey", "indexKey"):
        # The attack is real: raw pymongo hands the withheld value back.
        assert raw_leaks(lambda: list(env.db.users.aggregate(pipeline)))
    with pytest.raises(UnsupportedPipelineError, match=r"\$meta") as info:
        env.users().aggregate(pipeline).to_list()
    assert_clean(info.value, info.value.get_body())


FIND_META = [
    ({"plan": {"$meta": "sortKey"}}, {"sort": [("ssn", 1)]}),
    ({"address.city": {"$meta": "sortKey"}}, {"sort": [("address.street", 1)]}),
    ({"plan": {"$meta": "indexKey"}}, {"hint": "ssn_1"}),
    ({"plan": {"$arrayElemAt": [{"$meta": "sortKey"}, 0]}}, {"sort": [("ssn", 1)]}),
    ({"plan": {"$meta": "geoNearPoint"}}, {}),
]


@pytest.mark.parametrize(("projection", "options"), FIND_META)
def test_meta_that_can_carry_values_is_refused_in_find_projections(
    env: Env, projection: dict[str, Any], options: dict[str, Any]
) -> None:
    if env.real and "geoNearPoint" not in repr(projection):
        assert raw_leaks(lambda: env.db.users.find_one({}, projection, **options))
    for read in (env.users().find_one, lambda *a, **k: env.users().find(*a, **k).to_list()):
        with pytest.raises(UnsupportedPipelineError, match=r"\$meta"):
            read({}, projection, **options)


def test_numeric_meta_and_literal_meta_still_work(env: Env) -> None:
    literal = env.users().aggregate([{"$project": {"plan": {"$literal": {"$meta": "sortKey"}}}}])
    assert literal.to_list() == [{"_id": USER_ID, "plan": {"$meta": "sortKey"}}]
    if not env.real:
        return  # mongomock has no text search
    env.db.users.create_index([("name", "text")])
    # In find, a computed field must be declared to pass the allow-list: "plan" here.
    doc = env.users().find_one({"$text": {"$search": "homer"}}, {"plan": {"$meta": "textScore"}})
    assert isinstance(doc["plan"], float)
    assert "ssn" not in doc
    rows = env.users().aggregate(
        [
            {"$match": {"$text": {"$search": "homer"}}},
            {"$project": {"name": 1, "score": {"$meta": "textScore"}}},
        ]
    )
    assert [set(r) for r in rows.to_list()] == [{"_id", "name", "score"}]


# -- class 2: projection flags -------------------------------------------------------------

INCLUDE_FLAGS = [
    True,
    1,
    -1,
    Int64(1),
    1.0,
    0.5,
    float("nan"),
    float("inf"),
    Decimal128("1"),
    Decimal128("-3"),
    Decimal128("NaN"),
    Decimal128("Infinity"),
    Decimal128("1E+10"),
]


@pytest.mark.parametrize("flag", INCLUDE_FLAGS, ids=repr)
@pytest.mark.parametrize("form", ["dotted", "nested", "top-level"])
def test_every_numeric_include_flag_on_a_sensitive_field_is_refused(
    env: Env, signal_recorder: SignalRecorder, flag: Any, form: str
) -> None:
    projection: dict[str, Any] = {
        "dotted": {"address.street": flag},
        "nested": {"address": {"street": flag}},
        "top-level": {"ssn": flag},
    }[form]
    if env.real:
        assert raw_leaks(lambda: list(env.db.users.aggregate([{"$project": projection}])))
    with pytest.raises(SensitiveFieldError) as info:
        env.users().aggregate([{"$project": projection}]).to_list()
    assert info.value.fields in (("address.street",), ("ssn",))
    with pytest.raises(SensitiveFieldError):
        env.users().find_one({}, projection)
    denied = signal_recorder.named("sensitive-field-denied")
    assert len(denied) == 2
    assert_clean(denied)


EXCLUDE_FLAGS = [
    False,
    0,
    Int64(0),
    0.0,
    -0.0,
    Decimal128("0"),
    Decimal128("-0"),
    Decimal128("0E-10"),
]


@pytest.mark.parametrize("flag", EXCLUDE_FLAGS, ids=repr)
def test_every_zero_flag_excludes_as_on_the_server(env: Env, flag: Any) -> None:
    if not env.real and isinstance(flag, Decimal128):
        pytest.skip("mongomock projects Decimal128 as a literal; the server excludes")
    rows = env.users().aggregate([{"$project": {"tags": flag, "last_login": flag}}]).to_list()
    assert set(rows[0]) == {"_id", "name", "plan", "address"}
    assert rows[0]["address"] == {"city": "Springfield"}
    doc = env.users().find_one({}, {"tags": flag})
    assert set(doc) == {"_id", "name", "plan", "last_login", "address"}
    assert_clean(rows, doc)


def test_decimal128_include_of_safe_fields_is_an_inclusion_projection(env: Env) -> None:
    if not env.real:
        pytest.skip("mongomock projects Decimal128 as a literal; the server includes")
    rows = env.users().aggregate([{"$project": {"plan": Decimal128("1"), "address": Int64(1)}}])
    assert rows.to_list() == [{"_id": USER_ID, "plan": "pro", "address": {"city": "Springfield"}}]


class Opaque:
    """A type a custom codec could encode as anything, a number included."""


@pytest.mark.parametrize("stage", ["$project", "find"])
def test_projection_value_of_unknown_type_is_refused(env: Env, stage: str) -> None:
    users = env.users()
    if stage == "find":
        with pytest.raises(UnsupportedPipelineError, match="Opaque"):
            users.find_one({}, {"ssn": Opaque()})
    else:
        with pytest.raises(UnsupportedPipelineError, match="Opaque"):
            users.aggregate([{"$project": {"ssn": Opaque()}}])


def test_literal_values_in_project_are_still_literals(env: Env) -> None:
    rows = env.users().aggregate([{"$project": {"plan": 1, "source": {"$literal": "db"}}}])
    assert rows.to_list() == [{"_id": USER_ID, "plan": "pro", "source": "db"}]


# -- class 8: values quoted in server error messages --------------------------------------

CODE_FILTERS = [
    {"$where": "throw this.ssn"},
    {"$where": "throw new Error(this.address.street)"},
    {"$or": [{"plan": "x"}, {"$where": "this.ssn == '1'"}]},
    {"$expr": {"$function": {"body": "function(s) { throw s }", "args": ["$plan"], "lang": "js"}}},
]


@pytest.mark.parametrize("query", CODE_FILTERS, ids=["where-throw", "where-error", "or", "fn"])
def test_javascript_in_filters_is_refused_everywhere(env: Env, query: dict[str, Any]) -> None:
    if env.real and "throw this" in repr(query):
        assert raw_leaks(lambda: env.db.users.find_one(query))
    users = env.users()
    reads: list[Callable[[], Any]] = [
        lambda: users.find_one(query),
        lambda: users.find(query).to_list(),
        lambda: users.count_documents(query),
        lambda: users.distinct("plan", query),
        lambda: users.aggregate([{"$match": query}]).to_list(),
        lambda: users.aggregate([{"$facet": {"f": [{"$match": query}]}}]).to_list(),
        lambda: users.aggregate(
            [{"$lookup": {"from": "orders", "pipeline": [{"$match": query}], "as": "o"}}]
        ),
        lambda: env.shield.collection("logs").find_one(query),  # unregistered: still refused
    ]
    for read in reads:
        with pytest.raises(UnsupportedPipelineError, match="JavaScript"):
            read()


def test_javascript_in_expressions_is_refused(env: Env) -> None:
    function = {"$function": {"body": "function(){return 1}", "args": [], "lang": "js"}}
    accumulator = {
        "$accumulator": {
            "init": "function(){return 0}",
            "accumulate": "function(s, v){throw v}",
            "accumulateArgs": ["$plan"],
            "merge": "function(a, b){return a}",
            "lang": "js",
        }
    }
    for pipeline in (
        [{"$project": {"x": function}}],
        [{"$group": {"_id": None, "x": accumulator}}],
        [{"$redact": {"$cond": [function, "$$KEEP", "$$PRUNE"]}}],
        [{"$sort": {"plan": 1}}, {"$setWindowFields": {"output": {"x": {"$max": function}}}}],
    ):
        with pytest.raises(UnsupportedPipelineError, match="JavaScript"):
            env.users().aggregate(pipeline)
    with pytest.raises(UnsupportedPipelineError, match="JavaScript"):
        env.users().find_one({}, {"x": function})
    with pytest.raises(UnsupportedPipelineError, match="JavaScript"):
        env.users().find_one({}, let={"v": function})
    with pytest.raises(UnsupportedPipelineError, match="JavaScript"):
        env.users().aggregate([], let={"v": function})


#: $expr operators whose failure quotes the value they read.
ECHOING = {
    "toInt": {"$toInt": "$ssn"},
    "toLong-substr": {"$toLong": {"$substrCP": ["$ssn", 0, 6]}},
    "toDate": {"$toDate": "$ssn"},
    "toObjectId": {"$toObjectId": "$address.street"},
    "convert-input": {"$convert": {"input": "$email", "to": "double"}},
    "convert-to": {"$convert": {"input": 1, "to": "$ssn"}},
    "dateFromString": {"$dateFromString": {"dateString": "$ssn"}},
    "timezone": {"$dateToString": {"date": "$last_login", "timezone": "$ssn"}},
    "unit": {"$dateTrunc": {"date": "$last_login", "unit": "$ssn"}},
    "hour-timezone": {"$hour": {"date": "$last_login", "timezone": "$address.street"}},
    "regex-options": {"$regexMatch": {"input": "x", "regex": "a", "options": "$ssn"}},
    "nested-in-date": {"$dateToString": {"date": "$last_login", "format": {"$toLower": "$ssn"}}},
    "getField": {"$toInt": {"$getField": "ssn"}},
    "root": {"$toInt": "$$ROOT.ssn"},
    "let": {"$let": {"vars": {"v": "$ssn"}, "in": {"$toInt": "$$v"}}},
    "map": {"$map": {"input": ["$ssn"], "as": "s", "in": {"$toInt": "$$s"}}},
    "undeclared": {"$toInt": "$internal_notes"},
}


@pytest.mark.parametrize("name", list(ECHOING))
def test_filters_cannot_make_the_server_quote_a_withheld_value(
    env: Env, signal_recorder: SignalRecorder, name: str
) -> None:
    expr = {"$eq": [ECHOING[name], 1]}
    query = {"$expr": expr}
    if env.real and name in ("toInt", "toDate", "toObjectId", "convert-to", "timezone", "let"):
        assert raw_leaks(lambda: env.db.users.find_one(query))
    users = env.users()
    reads: list[Callable[[], Any]] = [
        lambda: users.find_one(query),
        lambda: users.find({"$and": [{"plan": "pro"}, query]}).to_list(),
        lambda: users.count_documents(query),
        lambda: users.distinct("plan", query),
        lambda: users.aggregate([{"$match": query}]).to_list(),
        lambda: users.aggregate([{"$facet": {"f": [{"$match": query}]}}]).to_list(),
    ]
    for read in reads:
        with pytest.raises(SensitiveFieldError, match="quote the value") as info:
            read()
        assert_clean(info.value, info.value.get_body())
    assert len(signal_recorder.named("sensitive-field-denied")) == len(reads)


def test_lookup_sub_pipeline_filters_are_checked_against_the_joined_schema(env: Env) -> None:
    query = {"$expr": {"$eq": [{"$toInt": "$card"}, 1]}}
    lookup = {"$lookup": {"from": "orders", "pipeline": [{"$match": query}], "as": "o"}}
    with pytest.raises(SensitiveFieldError, match="quote the value"):
        env.users().aggregate([lookup])
    graph = {
        "$graphLookup": {
            "from": "orders",
            "startWith": "$_id",
            "connectFromField": "user_id",
            "connectToField": "user_id",
            "as": "o",
            "restrictSearchWithMatch": query,
        }
    }
    with pytest.raises(SensitiveFieldError, match="quote the value"):
        env.users().aggregate([graph])


@pytest.mark.parametrize(
    "expr",
    [
        {"$toInt": "$street"},
        {"$toInt": "$plan"},
        {"$dateFromString": {"dateString": "$$CURRENT.x"}},
    ],
)
def test_redact_cannot_convert_any_field(env: Env, expr: Any) -> None:
    # $redact descends into subdocuments, where "$street" is address.street.
    pipeline = [{"$redact": {"$cond": [{"$eq": [expr, 1]}, "$$KEEP", "$$DESCEND"]}}]
    if env.real and expr == {"$toInt": "$street"}:
        assert raw_leaks(lambda: list(env.db.users.aggregate(pipeline)))
    with pytest.raises(SensitiveFieldError, match="quote the value"):
        env.users().aggregate(pipeline)


def test_filters_on_sensitive_fields_without_conversion_still_work(env: Env) -> None:
    users = env.users()
    assert users.find_one({"ssn": SSN})["name"] == "Homer"
    query = {"$expr": {"$eq": [{"$toLower": "$email"}, EMAIL]}}
    assert users.count_documents(query) == 1
    if env.real:  # mongomock has no $regexMatch; the input of a regex is never quoted
        regex = {"$expr": {"$regexMatch": {"input": "$email", "regex": "^jane"}}}
        assert users.find_one(regex)["name"] == "Homer"
    assert users.aggregate([{"$match": query}, {"$project": {"name": 1}}]).to_list() == [
        {"_id": USER_ID, "name": "Homer"}
    ]
    # A conversion of a declared, non-sensitive field is the app's business.
    converted = {"$expr": {"$eq": [{"$toString": "$_id"}, str(USER_ID)]}}
    assert users.find_one(converted)["plan"] == "pro"
    if not env.real:
        return  # mongomock has no let in $lookup
    joined = users.aggregate(
        [
            {
                "$lookup": {
                    "from": "orders",
                    "let": {"uid": {"$toString": "$_id"}},
                    "pipeline": [
                        {"$match": {"$expr": {"$eq": [{"$toObjectId": "$$uid"}, "$user_id"]}}}
                    ],
                    "as": "orders",
                }
            }
        ]
    ).to_list()
    assert joined[0]["orders"] == [{"_id": 1, "user_id": USER_ID, "total": 9.99}]


# -- every driver error leaves the accessor value-free ------------------------------------


def _errors_from(read: Callable[[], Any]) -> DatabaseError:
    with pytest.raises(DatabaseError) as info:
        read()
    return info.value


def test_server_errors_quoting_a_value_become_value_free_400s(
    env: Env, caplog: pytest.LogCaptureFixture, signal_recorder: SignalRecorder
) -> None:
    # The unregistered collection passes the analysis (it has no declared sensitive
    # fields): the server evaluates the conversion and quotes the SSN in its error
    # (mongomock raises a ValueError quoting it).
    logs = env.shield.collection("logs")
    query = {"$expr": {"$eq": [{"$toInt": "$ssn"}, 1]}}
    assert raw_leaks(lambda: env.db.logs.find_one(query))
    caplog.set_level(logging.DEBUG, logger="flask_llm_shield")
    reads: list[Callable[[], Any]] = [
        lambda: logs.find_one(query),
        lambda: logs.find(query).to_list(),
        lambda: list(logs.find(query)),
        lambda: next(iter(logs.find(query))),
        lambda: logs.aggregate([{"$match": query}]).to_list(),
        lambda: logs.aggregate([{"$project": {"x": {"$toInt": "$ssn"}}}]).to_list(),
    ]
    if env.real:  # mongomock's count and distinct do not evaluate $expr
        reads += [
            lambda: logs.count_documents(query),
            lambda: logs.distinct("plan", query),
            lambda: logs.aggregate([{"$project": {"x": {"$toDate": "$ssn"}}}]),
        ]
    for read in reads:
        error = _errors_from(read)
        assert isinstance(error, QueryRefusedError)
        assert isinstance(error, ShieldError)
        assert error.code == 400
        if env.real:
            assert error.server_code == 241
            assert error.code_name == "ConversionFailure"
        # Nothing points back at the driver's exception and its server reply.
        assert error.__cause__ is None
        assert error.__context__ is None
        text = "".join(traceback.format_exception(error))
        assert "OperationFailure" not in text
        assert "ValueError" not in text
        assert_clean(text, error.get_body(), error.args)
    failures = [r for r in caplog.records if "scoped read of" in r.getMessage()]
    assert len(failures) == len(reads)
    assert_clean([r.getMessage() for r in caplog.records])
    assert_clean(signal_recorder.events)


def test_a_guarded_route_answers_a_server_refusal_with_clean_json(env: Env) -> None:

    @env.app.get("/convert")
    @guarded_llm_route
    def convert() -> dict[str, Any]:
        doc = env.shield.collection("logs").find_one({"$expr": {"$toInt": "$ssn"}})
        return {"doc": repr(doc)}

    @env.app.get("/ssn")
    @guarded_llm_route
    def ssn() -> dict[str, Any]:
        return {"doc": env.users().find_one({}, {"ssn": Decimal128("1")})}

    response = env.app.test_client().get("/convert")
    assert response.status_code == 400
    server = {"code": 241, "code_name": "ConversionFailure"} if env.real else {}
    assert response.get_json() == {
        "error": "the database refused the query",
        "collection": "logs",
        **server,
    }
    refused = env.app.test_client().get("/ssn")
    assert refused.status_code == 403
    assert refused.get_json() == {
        "error": "refused by the scoped database accessor",
        "collection": "users",
        "fields": ["ssn"],
    }
    assert_clean(response.get_data(as_text=True), refused.get_data(as_text=True))


def test_bson_encoding_errors_do_not_echo_the_query(env: Env) -> None:
    if not env.real:
        pytest.skip("mongomock does not encode queries to BSON")
    error = _errors_from(lambda: env.users().find_one({"ssn": Opaque(), "x": SSN}))
    assert isinstance(error, QueryRefusedError)
    assert error.__context__ is None
    assert_clean(error, "".join(traceback.format_exception(error)))
