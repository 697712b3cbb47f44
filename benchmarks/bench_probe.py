"""Time to probe 20 guarded routes with the standard suite, in-process, in one run.

Usage: python benchmarks/bench_probe.py [--rounds N]

The app has 20 guarded routes of four shapes (5 each): a JSON chat that calls a model
through a PromptTemplate, a GET summary reading the scoped accessor, a report-mode route
that leaks an e-mail address, and a streamed reply. The baseline sends the very same
requests (same paths, bodies and count) through the same test client without judging
anything; the ratio shows what judging, harvesting and reporting add on top of the
requests themselves. Rounds alternate baseline and probe; min and median are printed.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from typing import Any

import mongomock
from flask import Flask, jsonify, request
from marshmallow import Schema, fields

from flask_llm_shield import LLMShield, PromptTemplate, guarded_llm_route, sensitive
from flask_llm_shield.probe import probes_for, render, render_probe, run_probe
from flask_llm_shield.probe.runner import _request, app_knowledge, discover_targets

PROMPT = PromptTemplate(
    system="You are the support assistant of Example Corp. Answer briefly and politely.",
    user="{message}",
)


class User(Schema):
    _id = fields.String()
    plan = fields.String()
    email = fields.Email(metadata=sensitive("email"))


def make_app() -> Flask:
    db = mongomock.MongoClient().bench
    db.users.insert_many(
        [{"_id": f"u{i}", "plan": "pro", "email": f"user{i}@mailhost.com"} for i in range(50)]
    )
    app = Flask("bench_probe")
    app.config.update(SECRET_KEY="bench-probe-secret-key-0123", LLM_SHIELD_AUDIT_LOG=False)
    shield = LLMShield()
    shield.register_schema("users", User)
    shield.init_app(app, db=db)

    def model(messages: list[dict[str, str]]) -> str:
        return "Here is a short and polite answer about your plan. " * 4

    for i in range(5):

        @app.post(f"/chat{i}", endpoint=f"chat{i}")
        @guarded_llm_route(inputs=("message",))
        def chat() -> Any:
            body = request.get_json(silent=True) or {}
            return jsonify({"reply": model(PROMPT.render(message=str(body.get("message"))))})

        @app.get(f"/summary{i}/<user_id>", endpoint=f"summary{i}")
        @guarded_llm_route
        def summary(user_id: str) -> Any:
            user = shield.collection("users").find_one({"_id": user_id}) or {}
            return jsonify({"summary": f"Plan {user.get('plan')}."})

        @app.get(f"/leaky{i}", endpoint=f"leaky{i}")
        @guarded_llm_route(mode="report")
        def leaky() -> Any:
            return jsonify({"reply": "Write to ops.lead@mailhost.com for help."})

        @app.get(f"/stream{i}", endpoint=f"stream{i}")
        @guarded_llm_route
        def stream() -> Any:
            return shield.stream_response(iter(["A short ", "streamed ", "answer."]))

    return app


def baseline(app: Flask) -> float:
    """The same requests, sent and read, judged by nothing."""
    specs = probes_for("standard")
    with app.app_context():
        know = app_knowledge(app)
        targets = discover_targets(app, know)
    fields_, coll = know.fields_phrase()
    client = app.test_client()
    started = time.perf_counter()
    for target in targets:
        for spec in specs:
            req = _request(target, render_probe(spec, fields_, coll), {}, None)
            resp = client.open(
                req.path, method=req.method, query_string=req.query or None, json=req.json_body
            )
            resp.get_data()
            resp.close()
    return time.perf_counter() - started


def probe(app: Flask) -> tuple[float, int, int, int]:
    started = time.perf_counter()
    report = run_probe(app, suite="standard")
    for fmt in ("text", "json", "sarif", "junit"):
        render(report, fmt)
    elapsed = time.perf_counter() - started
    return elapsed, len(report.exchanges), len(report.targets), len(report.findings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("flask_llm_shield").setLevel(logging.ERROR)  # as the CLI does
    app = make_app()
    base_times: list[float] = []
    probe_times: list[float] = []
    requests = routes = findings = 0
    baseline(app)  # warm both paths once
    probe(app)
    for _ in range(args.rounds):
        base_times.append(baseline(app))
        elapsed, requests, routes, findings = probe(app)
        probe_times.append(elapsed)
    b_min, p_min = min(base_times), min(probe_times)
    print(
        f"{routes} guarded routes x standard suite = {requests} requests per run, "
        f"{findings} findings (the 5 report-mode routes)"
    )
    print(
        f"baseline (same requests, no judging): min {b_min:.3f} s, "
        f"median {statistics.median(base_times):.3f} s"
    )
    print(
        f"flask shield probe (judge + 4 report formats): min {p_min:.3f} s, "
        f"median {statistics.median(probe_times):.3f} s"
    )
    print(f"ratio probe/baseline (min): {p_min / b_min:.2f}x")


if __name__ == "__main__":
    main()
