"""``flask shield audit``: routes and schemas against live documents (mongomock + mongod)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask, jsonify
from marshmallow import Schema, fields

from flask_llm_shield import LLMShield, guarded_llm_route, sensitive

SSNS = ["123-45-6789", "212-33-4455", "345-67-8901"]
EMAIL = "max.power@mailhost.com"
PLANTED = [*SSNS, *(s.replace("-", "") for s in SSNS), EMAIL]


class UserSchema(Schema):
    _id = fields.String()
    plan = fields.String()
    email = fields.Email(metadata=sensitive("email"))
    ssn = fields.String(metadata=sensitive("us_ssn"))


def fake_llm(prompt: str) -> str:
    return prompt


def make_app(db: Any, *, clean: bool = False) -> Flask:
    app = Flask("surveyed")
    app.config.update(SECRET_KEY="survey-test-secret-key-012")
    shield = LLMShield()
    shield.register_schema("users", UserSchema)
    shield.init_app(app, db=db)

    @app.get("/health")
    def health() -> Any:
        return jsonify({"ok": True})

    if not clean:

        @app.get("/ask-raw/<user_id>")
        def ask_raw(user_id: str) -> Any:
            user = db.users.find_one({"_id": user_id}) or {}
            prompt = f"Summarise {user}"
            return jsonify({"reply": fake_llm(prompt)})

    @app.post("/chat")
    @guarded_llm_route(inputs=("message",), mode="redact")
    def chat() -> Any:
        return jsonify({"reply": fake_llm("hi")})

    @app.get("/stream")
    @guarded_llm_route
    def stream() -> Any:
        return shield.stream_response(iter(["a", "b"]))

    return app


def seed(db: Any, *, clean: bool = False) -> None:
    if clean:
        db.users.insert_many(
            [{"_id": f"u{i}", "plan": "pro", "ssn": s} for i, s in enumerate(SSNS)]
        )
        return
    db.users.insert_many(
        [
            {
                "_id": f"u{i}",
                "plan": "pro",
                "email": EMAIL,
                "ssn": s,
                "tax_id": s,
                "nickname": "Max",
                "contacts": {EMAIL: "colleague"},
            }
            for i, s in enumerate(SSNS)
        ]
    )
    db.users.update_one({"_id": "u0"}, {"$set": {"plan": f"pro, billing {EMAIL}"}})
    db.orders.insert_one({"_id": "o1", "total": 12})


@pytest.fixture(params=["mongomock", pytest.param("mongod", marks=pytest.mark.realmongo)])
def database(request: pytest.FixtureRequest) -> Any:
    name = "db" if request.param == "mongomock" else "mongo_db"
    return request.getfixturevalue(name)


def test_audit_flags_undeclared_ssn_field_and_unguarded_route(database: Any) -> None:
    seed(database)
    app = make_app(database)
    result = app.test_cli_runner().invoke(args=["shield", "audit", "--json"])
    assert result.exit_code == 1, result.output
    for value in PLANTED:
        assert value not in result.output
    report = json.loads(result.output)
    found = {(f["check"], f["where"]): f for f in report["findings"]}
    ssn = found[("sensitive-data-in-undeclared-field", "users.tax_id")]
    assert ssn["severity"] == "high"
    assert ssn["kinds"] == ["us_ssn"]
    assert ssn["documents"] == 3
    assert found[("unguarded-llm-route", "GET /ask-raw/<user_id>")]["severity"] == "high"
    assert found[("sensitive-data-in-plain-field", "users.plan")]["kinds"] == ["email"]
    assert ("undeclared-field", "users.nickname") in found
    assert ("collection-without-schema", "orders") in found
    assert not [w for _check, w in found if "health" in w or "/chat" in w or "/stream" in w]
    # Declared sensitive fields are where they belong: never a finding.
    assert not [w for _check, w in found if w in ("users.ssn", "users.email")]
    routes = {r["rule"]: r for r in report["routes"]}
    assert routes["/chat"]["guarded"] is True
    assert routes["/chat"]["mode"] == "redact"
    assert routes["/chat"]["inputs"] == "message"
    assert routes["/stream"]["streams"] == "yes"
    assert routes["/stream"]["inputs"] == "every string field"
    assert routes["/health"]["guarded"] is False
    assert routes["/health"]["streams"] == "no"
    assert report["collections"]["users"]["undeclared_fields"] == [
        "contacts", "contacts.[REDACTED:email]", "nickname", "tax_id",
    ]  # fmt: skip
    assert "max.power" not in result.output  # a key that is an address is masked


def test_audit_text_output(database: Any) -> None:
    seed(database)
    result = make_app(database).test_cli_runner().invoke(args=["shield", "audit", "--sample", "2"])
    assert result.exit_code == 1
    assert "UNGUARDED" in result.output
    assert "sensitive-data-in-undeclared-field  users.tax_id kinds=us_ssn" in result.output
    assert "2 document(s) sampled" in result.output
    assert result.output.rstrip().splitlines()[-1].endswith("2 collection(s)")
    for value in PLANTED:
        assert value not in result.output


def test_clean_app_exits_zero(database: Any) -> None:
    seed(database, clean=True)
    result = make_app(database, clean=True).test_cli_runner().invoke(args=["shield", "audit"])
    assert result.exit_code == 0, result.output
    assert "No findings." in result.output


def test_audit_without_a_database_still_lists_routes() -> None:
    app = Flask("nodb")
    app.config.update(SECRET_KEY="survey-test-secret-key-012")
    LLMShield(app)
    result = app.test_cli_runner().invoke(args=["shield", "audit"])
    assert result.exit_code == 0
    assert "not configured" in result.output
