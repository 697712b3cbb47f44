"""Before/after overhead of the response path, both versions in one process, one run.

Usage: python benchmarks/bench_overhead_ab.py --before DIR [--quick]

``DIR`` holds another checkout of the package (``git archive main | tar -x -C DIR``). Its
``flask_llm_shield`` is loaded under the name ``flask_llm_shield_before`` (the package
imports itself relatively only), next to this tree's package. For each body, three apps
serve the same view: plain Flask, guarded by the *before* package and guarded by this one;
rounds alternate their order so machine noise hits all three alike. Printed: min and
median per request, and each version's added time over plain Flask (min over rounds).

The bodies are clean: what every request pays. Rows beyond bench_overhead.py's JSON bodies
cover the formats the issue-9 fixes scan differently: text with JSON escapes (an SSE
stream built by a view), HTML (markup-stripped view), a response that sets a session
cookie (decoded and scanned), and input screening (``in:`` rows, POSTed JSON: a clean chat
message, and 20 KB of 4,000 one-character strings, the CPU-amplification case).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Flask, Response, jsonify, request, session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_overhead import make_body
from bodies import api_body, multilingual_body

import flask_llm_shield as after_pkg


def load_before(root: Path) -> ModuleType:
    init = root / "flask_llm_shield" / "__init__.py"
    spec = importlib.util.spec_from_file_location(
        "flask_llm_shield_before", init, submodule_search_locations=[str(init.parent)]
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["flask_llm_shield_before"] = module
    spec.loader.exec_module(module)
    return module


def make_view(kind: str, size: int) -> Callable[[], Any]:
    body = make_body(size)
    if kind == "json":
        return lambda: jsonify(body)
    if kind == "escapes":  # LLM-style text: \n and \" escapes in the JSON
        escaped = make_body(size, breaks=True)
        return lambda: jsonify(escaped)
    if kind == "api":  # scores, timestamps, coordinates, counts
        numbers = api_body(size)
        return lambda: jsonify(numbers)
    if kind == "i18n":  # seven languages, \uXXXX escapes under ensure_ascii
        replies = multilingual_body(size)
        return lambda: jsonify(replies)
    if kind == "sse":
        events = "".join(f"data: {json.dumps(item)}\n\n" for item in body["items"])
        events = events.replace("summary", "summary\\n")  # a \n escape in every event
        return lambda: Response(events, mimetype="text/event-stream")
    if kind == "html":
        rows = "".join(
            f"<tr><td>{item['title']}</td><td><span>{item['summary']}</span></td></tr>"
            for item in body["items"]
        )
        page = f"<html><body><table>{rows}</table></body></html>"
        return lambda: Response(page, mimetype="text/html")
    if kind == "session":

        def view() -> Any:
            session["turn"] = session.get("turn", 0) + 1
            session["last_title"] = body["items"][0]["title"]
            return jsonify(body)

        return view
    raise ValueError(kind)


def request_body(kind: str, size: int) -> bytes | None:
    """The POSTed body of the input-screening rows (``None``: a GET)."""
    if kind == "strings":  # issue 9 class 7: thousands of one-character strings
        return json.dumps(["a"] * (size // 5)).encode()
    if kind == "chat":  # a clean chat request
        words = " ".join(make_body(size)["items"][0]["summary"] for _ in range(size // 200))
        return json.dumps({"messages": [{"role": "user", "content": words[:size]}]}).encode()
    return None


def build(kind: str, size: int, package: ModuleType | None) -> Flask:
    app = Flask(f"bench_{kind}_{package.__name__ if package else 'plain'}")
    app.config["SECRET_KEY"] = "bench"
    if request_body(kind, size) is not None:

        def echo() -> Any:
            return {"n": len(request.get_json())}

        view: Callable[[], Any] = echo
        if package is not None:
            package.LLMShield(app)
            view = package.guarded_llm_route(view)
        app.add_url_rule("/r", "r", view, methods=["POST"])
        return app
    view = make_view(kind, size)
    if package is not None:
        package.LLMShield(app)
        view = package.guarded_llm_route(view)
    app.add_url_rule("/r", "r", view)
    return app


def time_requests(get: Callable[[], Any], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        get()
    return (time.perf_counter() - start) / n


def bench(kind: str, size: int, rounds: int, before: ModuleType) -> list[list[float]]:
    apps = [build(kind, size, None), build(kind, size, before), build(kind, size, after_pkg)]
    clients = [app.test_client() for app in apps]
    payload = request_body(kind, size)

    def call(client: Any) -> Any:
        if payload is None:
            return client.get("/r")
        return client.post("/r", data=payload, content_type="application/json")

    bodies = []
    for client in clients:
        response = call(client)
        assert response.status_code == 200, response.get_data(as_text=True)[:200]
        bodies.append(response.get_data())
    assert bodies[0] == bodies[1] == bodies[2]
    n = max(2, int(15 / (0.15 + size * 9e-6)))
    if kind == "strings":
        n = 1  # seconds per request before the fix
    times: list[list[float]] = [[], [], []]
    for i in range(rounds):
        order = (0, 1, 2) if i % 3 == 0 else (1, 2, 0) if i % 3 == 1 else (2, 0, 1)
        for j in order:
            client = clients[j]
            times[j].append(time_requests(functools.partial(call, client), n))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, required=True, help="checkout to compare")
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--rounds", type=int, help="rounds per row (default 31, quick 9)")
    parser.add_argument(
        "--only", help="comma-separated kinds: json,escapes,api,i18n,sse,html,session,chat,strings"
    )
    args = parser.parse_args()
    before = load_before(args.before)
    rounds = args.rounds or (9 if args.quick else 31)
    only = set(args.only.split(",")) if args.only else None
    print(f"{rounds} rotating rounds per row; min / median per request in ms")
    print(
        f"{'body':>14} {'plain':>15} {'before':>15} {'after':>15}"
        f" {'before added':>13} {'after added':>12}"
    )
    rows = (
        ("json 1 KB", "json", 1_000),
        ("json 10 KB", "json", 10_000),
        ("json 100 KB", "json", 100_000),
        ("json 1 MB", "json", 1_000_000),
        ("json\\n 100 KB", "escapes", 100_000),
        ("api 1 KB", "api", 1_000),
        ("api 10 KB", "api", 10_000),
        ("api 100 KB", "api", 100_000),
        ("i18n 10 KB", "i18n", 10_000),
        ("i18n 100 KB", "i18n", 100_000),
        ("sse\\n 10 KB", "sse", 10_000),
        ("sse\\n 100 KB", "sse", 100_000),
        ("html 10 KB", "html", 10_000),
        ("html 100 KB", "html", 100_000),
        ("session 1 KB", "session", 1_000),
        ("in: chat 1 KB", "chat", 1_000),
        ("in: chat 10 KB", "chat", 10_000),
        ("in: 4000 str", "strings", 20_000),
    )
    for label, kind, size in rows:
        if only is not None and kind not in only:
            continue
        # The CPU-amplification row took seconds per request before the fix: 3 rounds.
        plain, old, new = bench(kind, size, 3 if kind == "strings" else rounds, before)
        mins = [min(t) for t in (plain, old, new)]
        meds = [statistics.median(t) for t in (plain, old, new)]
        cells = " ".join(f"{m * 1e3:7.3f}/{d * 1e3:7.3f}" for m, d in zip(mins, meds, strict=True))
        print(
            f"{label:>14} {cells}"
            f" {100 * (mins[1] / mins[0] - 1):+12.1f}% {100 * (mins[2] / mins[0] - 1):+11.1f}%"
        )


if __name__ == "__main__":
    main()
