"""A mongod killed while guarded requests are in flight: clean 503 JSON, then recovery.

Runs its own throw-away mongod (``tests/mongod_server.py``), never the session's shared
one: the test kills it with SIGKILL mid-traffic, checks what clients, logs and signals
saw, restarts it on the same port and data directory and waits for the same app (same
``MongoClient``, no restart) to answer 200 again.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from marshmallow import Schema, fields
from pymongo import MongoClient

from flask_llm_shield import LLMShield, guarded_llm_route
from flask_llm_shield.schemas import sensitive

from .mongod_server import Server, start

if TYPE_CHECKING:
    from .conftest import SignalRecorder

pytestmark = pytest.mark.realmongo

SSNS = [f"{100 + i:03d}-45-{6000 + i:04d}" for i in range(300)]


class UserSchema(Schema):
    _id = fields.Integer()
    name = fields.String()
    ssn = fields.String(metadata=sensitive("us_ssn"))


@pytest.fixture
def own_mongod(mongo_uri: str, tmp_path: Path) -> Iterator[Server]:
    """A mongod of this test's own (``mongo_uri`` only decides skip/fail when none runs)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    try:
        server = start(port, tmp_path / "mongod")
    except BaseException as exc:  # SystemExit from the helper included
        pytest.skip(f"cannot start a second mongod: {exc}")
    try:
        yield server
    finally:
        server.stop()


def test_killed_mongod_answers_clean_503_json_and_recovers(
    own_mongod: Server,
    caplog: pytest.LogCaptureFixture,
    signal_recorder: SignalRecorder,
) -> None:
    client: MongoClient[Any] = MongoClient(
        own_mongod.uri, serverSelectionTimeoutMS=800, connectTimeoutMS=800, socketTimeoutMS=3000
    )
    try:
        db = client.outage
        db.users.insert_many(
            [{"_id": i, "name": f"user {i}", "ssn": s} for i, s in enumerate(SSNS)]
        )
        app = Flask("outage_app")
        app.config.update(TESTING=True, SECRET_KEY="k")
        shield = LLMShield(app, db=db)
        shield.register_schema("users", UserSchema)

        @app.get("/users")
        @guarded_llm_route
        def users() -> dict[str, Any]:
            # Small batches: the kill can land between two getMore calls of one request.
            docs = shield.collection("users").find({}, batch_size=20).to_list()
            return {"names": [d["name"] for d in docs]}

        # pymongo's own DEBUG logging quotes server replies (the module docs say: keep it
        # off); what is checked here is the shield's and Flask's logging.
        caplog.set_level(logging.WARNING, logger="pymongo")
        caplog.set_level(logging.DEBUG, logger="flask_llm_shield")
        first = app.test_client().get("/users")
        assert first.status_code == 200
        assert len(first.get_json()["names"]) == len(SSNS)

        seen: list[tuple[int, str, str]] = []
        stop = threading.Event()

        def traffic() -> None:
            http = app.test_client()
            while not stop.is_set():
                response = http.get("/users")
                seen.append(
                    (response.status_code, response.content_type, response.get_data(as_text=True))
                )

        workers = [threading.Thread(target=traffic) for _ in range(4)]
        for worker in workers:
            worker.start()
        try:
            while len(seen) < 8:
                time.sleep(0.01)
            os.kill(own_mongod.pid, signal.SIGKILL)  # in flight: no clean shutdown
            deadline = time.monotonic() + 60
            while sum(s == 503 for s, _, _ in seen) < 6 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            stop.set()
            for worker in workers:
                worker.join()

        statuses = {status for status, _, _ in seen}
        assert statuses <= {200, 503}, statuses
        outages = [(ctype, body) for status, ctype, body in seen if status == 503]
        assert len(outages) >= 6
        for ctype, body in outages:
            assert ctype == "application/json"
            assert body == '{"error": "the database is unavailable", "collection": "users"}'
        # Nothing of the server's or the driver's text, and no value, anywhere.
        logged = [record.getMessage() for record in caplog.records]
        assert any("scoped read of 'users' failed" in line for line in logged)
        assert not [record for record in caplog.records if record.exc_info]
        for text in (*logged, repr(signal_recorder.events)):
            assert "Traceback" not in text
            assert not any(ssn in text for ssn in SSNS)

        # Same port, same data: the app (and its MongoClient) recover without a restart.
        start(own_mongod.port, own_mongod.directory)
        http = app.test_client()
        deadline = time.monotonic() + 90
        response = http.get("/users")
        while response.status_code != 200 and time.monotonic() < deadline:
            assert response.status_code == 503
            time.sleep(0.2)
            response = http.get("/users")
        assert response.status_code == 200
        assert len(response.get_json()["names"]) == len(SSNS)
    finally:
        client.close()
