"""What only a real mongod can show: flask-pymongo wiring and what crosses the wire."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask
from flask_pymongo import PyMongo
from marshmallow import Schema, fields
from pymongo import MongoClient, monitoring

from flask_llm_shield import LLMShield, NotInitialisedError, guarded_llm_route
from flask_llm_shield.schemas import sensitive
from flask_llm_shield.state import request_state

pytestmark = pytest.mark.realmongo

EMAIL = "jane.doe@mailhost.com"
SSN = "123-45-6789"


class UserSchema(Schema):
    _id = fields.Raw()
    name = fields.String()
    plan = fields.String()
    email = fields.Email(metadata=sensitive("email"))
    ssn = fields.String(metadata=sensitive("us_ssn"))


def with_database(uri: str, name: str) -> str:
    parts = urlsplit(uri)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@pytest.fixture
def seeded(mongo_db: Any) -> Any:
    mongo_db.users.insert_one(
        {"_id": 1, "name": "Homer", "plan": "pro", "email": EMAIL, "ssn": SSN, "pin": "0451"}
    )
    return mongo_db


def test_flask_pymongo_database_is_used(mongo_uri: str, seeded: Any) -> None:
    app = Flask("pymongo_app")
    app.config.update(MONGO_URI=with_database(mongo_uri, seeded.name), TESTING=True)
    mongo = PyMongo(app)
    shield = LLMShield(app, db=mongo)
    shield.register_schema("users", UserSchema)

    @app.get("/summary/<int:user_id>")
    @guarded_llm_route
    def summary(user_id: int) -> dict[str, Any]:
        user = shield.collection("users").find_one({"_id": user_id})
        return {"prompt": f"Summarise {user}"}

    try:
        response = app.test_client().get("/summary/1")
        assert response.status_code == 200
        text = response.get_json()["prompt"]
        assert "Homer" in text
        for value in (EMAIL, SSN, "0451"):
            assert value not in text
    finally:
        mongo.cx.close()


def test_flask_pymongo_without_a_database_name_says_so(mongo_uri: str) -> None:
    app = Flask("pymongo_app")
    app.config.update(MONGO_URI=mongo_uri, TESTING=True)
    mongo = PyMongo(app)
    shield = LLMShield(app, db=mongo)
    shield.register_schema("users", UserSchema)
    try:
        with app.app_context(), pytest.raises(NotInitialisedError, match="database name"):
            shield.collection("users").find_one({})
    finally:
        mongo.cx.close()


class FindRecorder(monitoring.CommandListener):
    def __init__(self) -> None:
        self.commands: list[dict[str, Any]] = []
        self.replies: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in ("find", "aggregate"):
            self.commands.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        if event.command_name in ("find", "aggregate"):
            self.replies.append(repr(event.reply))

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture
def recorded(mongo_uri: str, seeded: Any) -> Iterator[tuple[Any, FindRecorder]]:
    recorder = FindRecorder()
    client: Any = MongoClient(mongo_uri, event_listeners=[recorder])
    try:
        yield client[seeded.name], recorder
    finally:
        client.close()


@contextmanager
def scoped_users(database: Any, schema: type[Schema], track: bool) -> Iterator[Any]:
    """``shield.collection("users")`` inside a request context of a fresh app."""
    app = Flask("wire")
    app.config.update(LLM_SHIELD_TRACK_WITHHELD=track)
    shield = LLMShield(app, db=database)
    shield.register_schema("users", schema)
    with app.test_request_context("/"):
        yield shield.collection("users")


@pytest.mark.parametrize("track", [True, False])
def test_what_crosses_the_wire(recorded: tuple[Any, FindRecorder], track: bool) -> None:
    """Tracking reads sensitive fields (to remember them); without it they stay in the server."""
    database, recorder = recorded
    with scoped_users(database, UserSchema, track) as users:
        assert users.find_one({"email": EMAIL}) == {"_id": 1, "name": "Homer", "plan": "pro"}
        assert users.find({}, {"plan": 0}).to_list() == [{"_id": 1, "name": "Homer"}]
        assert users.aggregate([{"$match": {"ssn": SSN}}]).to_list()[0]["name"] == "Homer"
    replies = "".join(recorder.replies)
    assert len(recorder.commands) == 3
    if track:
        assert SSN in replies
    else:
        assert SSN not in replies
        assert EMAIL not in replies
        # Undeclared fields still come back, so that schema drift is reported.
        assert "0451" in replies


class NamelessUserSchema(Schema):  # no _id: the accessor never returns it
    name = fields.String()
    email = fields.Email(metadata=sensitive("email"))


@pytest.mark.parametrize("track", [True, False])
def test_an_undeclared_id_costs_the_server_no_projection(
    recorded: tuple[Any, FindRecorder], track: bool
) -> None:
    """A projection of {"_id": 0} alone makes mongod rebuild every document; the
    allow-list drops the id instead. Sensitive paths are still projected out without
    tracking, and the id with them, as the server is projecting anyway."""
    database, recorder = recorded
    with scoped_users(database, NamelessUserSchema, track) as users:
        assert users.find_one({"name": "Homer"}) == {"name": "Homer"}
        assert users.find({}).to_list() == [{"name": "Homer"}]
        assert users.aggregate([{"$match": {}}]).to_list() == [{"name": "Homer"}]
    sent = [c.get("projection") for c in recorder.commands[:2]]
    stages = recorder.commands[2]["pipeline"]
    if track:
        assert sent == [None, None]
        assert stages == [{"$match": {}}]
    else:
        assert sent == [{"email": 0, "_id": 0}] * 2
        assert stages[-1] == {"$project": {"email": 0, "_id": 0}}
        assert EMAIL not in "".join(recorder.replies)


def test_documents_of_any_mapping_class_are_filtered(mongo_uri: str, seeded: Any) -> None:
    from bson.raw_bson import RawBSONDocument

    client: Any = MongoClient(mongo_uri, document_class=RawBSONDocument)
    try:
        app = Flask("raw_bson")
        shield = LLMShield(app, db=client[seeded.name])
        shield.register_schema("users", UserSchema)
        with app.test_request_context("/"):
            doc = shield.collection("users").find_one({"_id": 1})
        assert doc == {"_id": 1, "name": "Homer", "plan": "pro"}
    finally:
        client.close()


@pytest.mark.parametrize("document_class", ["RawBSONDocument", "SON"])
def test_batches_of_any_mapping_class_are_filtered(
    mongo_uri: str, seeded: Any, document_class: str
) -> None:
    from bson.raw_bson import RawBSONDocument
    from bson.son import SON

    seeded.users.insert_many(
        [{"_id": i, "name": f"n{i}", "plan": "free", "ssn": f"{i:03d}-45-6789"} for i in (2, 3)]
    )
    cls = {"RawBSONDocument": RawBSONDocument, "SON": SON}[document_class]
    client: Any = MongoClient(mongo_uri, document_class=cls)
    try:
        app = Flask("mapping_batches")
        shield = LLMShield(app, db=client[seeded.name])
        shield.register_schema("users", UserSchema)
        with app.test_request_context("/"):
            users = shield.collection("users")
            docs = users.find({}, sort=[("_id", 1)]).to_list()
            one = users.find({}, sort=[("_id", 1)]).to_list(1)
            known = request_state().known_values  # type: ignore[union-attr]
        assert [dict(d) for d in docs] == [
            {"_id": 1, "name": "Homer", "plan": "pro"},
            {"_id": 2, "name": "n2", "plan": "free"},
            {"_id": 3, "name": "n3", "plan": "free"},
        ]
        assert [dict(d) for d in one] == [{"_id": 1, "name": "Homer", "plan": "pro"}]
        assert {SSN, EMAIL, "002-45-6789", "003-45-6789"} <= set(known)
    finally:
        client.close()
