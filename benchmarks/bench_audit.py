"""Cost of the audit trail per request, against the same app with it off, in one run.

Usage: python benchmarks/bench_audit.py [--rounds N]

Two guarded routes: one clean (the trail only keeps the request id: one dict lookup) and
one whose reply is blocked (one event per request). Each is timed with the trail off
(``LLM_SHIELD_AUDIT_LOG = False``), on with the audit logger at its default level (no
handler wants INFO: the event is not built), on with a handler at INFO (the event is built
and formatted as JSON), and on with a mongomock audit collection (queued for the writer
thread). Rounds alternate the variants; min and median of per-round means are printed.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from typing import Any

import mongomock
from flask import Flask, jsonify

from flask_llm_shield import LLMShield, guarded_llm_route
from flask_llm_shield.audit import AUDIT_LOGGER, trail_of

REQUESTS = 300


def make_app(**config: Any) -> Flask:
    app = Flask("bench_audit")
    app.config.update(SECRET_KEY="bench-audit-secret-key-0123", **config)
    LLMShield(app, db=mongomock.MongoClient().bench)

    @app.get("/clean")
    @guarded_llm_route
    def clean() -> Any:
        return jsonify({"reply": "Your plan renews next month."})

    @app.get("/blocked")
    @guarded_llm_route
    def blocked() -> Any:
        return jsonify({"reply": "Mail ops.lead@mailhost.com for help."})

    return app


def per_request_ms(app: Flask, path: str) -> float:
    client = app.test_client()
    started = time.perf_counter()
    for _ in range(REQUESTS):
        client.get(path).close()
    return (time.perf_counter() - started) * 1000 / REQUESTS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    logging.getLogger("flask_llm_shield").setLevel(logging.ERROR)  # the block warnings
    variants = {
        "off": (make_app(LLM_SHIELD_AUDIT_LOG=False), False),
        "log, no INFO handler": (make_app(), False),
        "log to a handler": (make_app(), True),
        "log + collection": (make_app(LLM_SHIELD_AUDIT_COLLECTION="events"), True),
    }
    sink = logging.NullHandler()
    for path in ("/clean", "/blocked"):
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.rounds):
            for name, (app, handler) in variants.items():
                if handler:
                    AUDIT_LOGGER.addHandler(sink)
                    AUDIT_LOGGER.setLevel(logging.INFO)
                try:
                    times[name].append(per_request_ms(app, path))
                finally:
                    AUDIT_LOGGER.removeHandler(sink)
                    AUDIT_LOGGER.setLevel(logging.NOTSET)
                trail = trail_of(app)
                if trail is not None and trail.sink is not None:
                    trail.sink.flush()
        base = min(times["off"])
        print(f"{path}: {REQUESTS} requests per round, {args.rounds} rounds")
        for name, values in times.items():
            low = min(values)
            print(
                f"  {name:22} min {low:.3f} ms  median {statistics.median(values):.3f} ms  "
                f"ratio {low / base:.2f}x"
            )


if __name__ == "__main__":
    main()
