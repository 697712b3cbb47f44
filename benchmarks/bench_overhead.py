"""Overhead of the shield on a JSON route, against the same route without it, in one run.

Usage: python benchmarks/bench_overhead.py [--quick]

For each body size (1 KB, 10 KB, 100 KB, 1 MB of realistic, clean JSON) it times the same
view on a plain Flask app and on an app where the view is ``@guarded_llm_route``, through
the test client, interleaving the two so machine noise hits both alike. It prints min and
median per request and the added time as a ratio of the baseline. Both apps share their
configuration (the same SECRET_KEY). Further rows use 100 KB of text with line breaks and
quotes, i.e. ``\\n`` and ``\\"`` escapes, as LLM replies have; API-shaped clean JSON full of
numbers (scores, Unix timestamps, coordinates, counts, logprobs: ``bodies.api_body``);
replies in seven languages as ``jsonify`` serves them, with ``\\uXXXX`` escapes
(``bodies.multilingual_body``); and
JSON dense with personal data (``bodies.dense_body``, on a route in report mode so that the
response goes out and every finding is computed).

The last column is the floor of any RE2-based response scan: a third app whose
after_request hook searches the body's bytes once for one trivial pattern (no Python match
objects), timed in the same rounds. The shield's clean path is one such search with its
own, larger pattern, plus the Flask-layer work around it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import re2
from flask import Flask, jsonify

from flask_llm_shield import LLMShield, guarded_llm_route
from flask_llm_shield.detect._base import has_match

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bodies import api_body, dense_body, multilingual_body

WORDS = (
    "the user asked about their subscription plan renewal invoice summary account "
    "settings upgrade downgrade support ticket weekly report meeting notes project "
    "deadline delivery status feedback product feature request analytics dashboard"
).split()


def make_body(target_bytes: int, seed: int = 7, breaks: bool = False) -> dict[str, Any]:
    """A clean JSON body; with *breaks*, its texts hold line breaks and quotes (as LLM
    replies do), which JSON serialises as ``\\n`` and ``\\"`` escapes."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    size = 0
    while size < target_bytes:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
        if breaks:
            text = text.replace(" ", '.\n\n"', 1).replace(" ", '" ', 1)
        item = {
            "id": f"doc-{len(items)}",
            "title": "".join(rng.choice(string.ascii_letters) for _ in range(12)),
            "summary": text.capitalize() + ".",
            "score": round(rng.random() * 100, 2),
            "tags": rng.sample(WORDS, 3),
            "created": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }
        items.append(item)
        size += len(str(item))
    return {"model": "demo", "items": items}


def build_apps(body: dict[str, Any], mode: str = "block") -> tuple[Flask, Flask]:
    # Both apps get the same SECRET_KEY: with one, Flask opens a signed session on every
    # request (~25 us), a cost of the app's configuration, not of the shield.
    plain = Flask("plain")
    plain.config["SECRET_KEY"] = "bench"

    @plain.get("/r")
    def plain_view() -> Any:
        return jsonify(body)

    guarded = Flask("guarded")
    guarded.config["SECRET_KEY"] = "bench"
    LLMShield(guarded)

    @guarded.get("/r")
    @guarded_llm_route(mode=mode)  # type: ignore[arg-type]
    def guarded_view() -> Any:
        return jsonify(body)

    return plain, guarded


#: The floor of any RE2 scan: one trivial pattern (no candidate in these bodies), searched
#: once over the response bytes in an after_request hook, through RE2's own call (no
#: Python match objects). What a response scan cannot go below with RE2 on this machine.
FLOOR_PATTERN = re2.compile(rb"\d{3}-\d{2}-\d{4}")


def build_floor_app(body: dict[str, Any]) -> Flask:
    floor = Flask("floor")
    floor.config["SECRET_KEY"] = "bench"
    found = has_match(FLOOR_PATTERN)

    @floor.get("/r")
    def floor_view() -> Any:
        return jsonify(body)

    @floor.after_request
    def one_pass(response: Any) -> Any:
        found(response.get_data())
        return response

    return floor


def time_requests(get: Callable[[], Any], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        get()
    return (time.perf_counter() - start) / n


def bench(
    size: int, rounds: int, shape: str = "prose", mode: str = "block"
) -> tuple[list[float], list[float], list[float]]:
    """Per-request seconds of the plain, the guarded and the floor app, one value per round.

    Many short rounds, alternating which app goes first, so that a burst of load from
    other processes on a shared machine hits both apps alike and the minimum over rounds
    is a stable estimate of each app's own cost.
    """
    if shape == "api":
        body = api_body(size)
    elif shape == "dense":
        body = dense_body(size)
    elif shape == "multilingual":
        body = multilingual_body(size)
    else:
        body = make_body(size, breaks=shape == "escapes")
    plain, guarded = build_apps(body, mode)
    pc, gc = plain.test_client(), guarded.test_client()
    fc = build_floor_app(body).test_client()
    check = gc.get("/r")
    assert check.status_code == 200, check.get_data(as_text=True)[:200]
    assert check.get_data() == pc.get("/r").get_data()
    # About 15 ms of requests per batch (a request costs ~0.15 ms + ~9 us per KB).
    n = max(2, int(15 / (0.15 + size * 9e-6)))
    times: list[list[float]] = [[], [], []]
    clients = [pc, gc, fc]
    for i in range(rounds):
        # Rotate which app goes first, so that a burst of load hits each alike.
        for k in range(3):
            j = (i + k) % 3
            client = clients[j]
            times[j].append(time_requests(lambda c=client: c.get("/r"), n))
    return times[0], times[1], times[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args()
    rounds = 9 if args.quick else 41
    print(f"{rounds} alternating rounds per size; min and median of the per-round means")
    print(
        f"{'body':>10} {'plain min/med (ms)':>20} {'shield min/med (ms)':>21} "
        f"{'added (min)':>12} {'added (med)':>12} {'RE2 floor (min)':>16}"
    )
    for label, size, shape, mode in (
        ("1 KB", 1_000, "prose", "block"),
        ("10 KB", 10_000, "prose", "block"),
        ("100 KB", 100_000, "prose", "block"),
        ("1 MB", 1_000_000, "prose", "block"),
        # LLM replies are full of \n and \" escapes, which a value could hide behind, so
        # such bodies are also scanned with the escapes decoded.
        ("100 KB\\n", 100_000, "escapes", "block"),
        # Clean API-shaped JSON full of numbers: the same targets as prose.
        ("api 1 KB", 1_000, "api", "block"),
        ("api 10 KB", 10_000, "api", "block"),
        ("api 100KB", 100_000, "api", "block"),
        # Replies in seven languages, as jsonify() serves them (\uXXXX escapes).
        ("i18n 10 KB", 10_000, "multilingual", "block"),
        ("i18n 100KB", 100_000, "multilingual", "block"),
        # Dense with personal data, reported (every finding computed, response sent).
        ("dense 10KB", 10_000, "dense", "report"),
        ("dense 100K", 100_000, "dense", "report"),
    ):
        base, shielded, floor = bench(size, rounds, shape, mode)
        bmin, bmed = min(base), statistics.median(base)
        smin, smed = min(shielded), statistics.median(shielded)
        print(
            f"{label:>10} {bmin * 1e3:9.3f} /{bmed * 1e3:8.3f}"
            f" {smin * 1e3:10.3f} /{smed * 1e3:8.3f}"
            f" {100 * (smin / bmin - 1):+11.1f}% {100 * (smed / bmed - 1):+11.1f}%"
            f" {100 * (min(floor) / bmin - 1):+15.1f}%"
        )


if __name__ == "__main__":
    main()
