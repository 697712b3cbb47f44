"""Load run: the app under gunicorn, with and without the shield, in the same run.

Starts on 127.0.0.1 a real mongod (one-node replica set), the OpenAI-compatible stub as
its own process and ``benchmarks.load.app`` under gunicorn (2 workers, ``sync`` and
``gthread``), then drives it with wrk (``apt-get install wrk``) through ``mix.lua``: a mix
of guarded, unguarded, streaming and attack requests; every body is checked for the
planted values. Shield on and shield off alternate, round by round, on the same services.
Reports requests/s, p50/p99 latency, 5xx, leaks and each worker's RSS at start and end::

    python -m benchmarks.load.run                 # 3 rounds of 10 s per configuration
    python -m benchmarks.load.run --short         # what the test suite runs
    python -m benchmarks.load.run --soak 100000   # the soak (shield on, 2 gthread workers)

Every wrk run is bounded by a duration and, in the soak, by a request count.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymongo

from benchmarks.load import harness
from benchmarks.load.app import planted_users, planted_values, seed

LUA = Path(__file__).with_name("mix.lua")


@dataclass
class Services:
    directory: Path
    mongod: Any
    stub: harness.Stub
    planted_file: Path
    users: int

    def env(self, shield: bool, **extra: str) -> dict[str, str]:
        return {
            "MONGO_URI": self.mongod.uri,
            "LLM_BASE_URL": self.stub.base_url,
            "LLM_API_KEY": "load-test-key",
            "LLM_MODEL": "stub-model",
            "LOAD_SHIELD": "on" if shield else "off",
            **extra,
        }

    def stop(self) -> None:
        self.stub.stop()
        self.mongod.stop()


def start_services(directory: Path, *, users: int = 20, latency: float = 0.005) -> Services:
    mongod = harness.start_mongod(directory / "mongo")
    stub: harness.Stub | None = None
    try:
        stub = harness.Stub(latency=latency).start(directory)
        people = planted_users(users)
        client: Any = pymongo.MongoClient(mongod.uri, serverSelectionTimeoutMS=5000)
        try:
            seed(client["llm_shield_load"], people)
        finally:
            client.close()
        planted_file = directory / "planted.txt"
        planted_file.write_text("\n".join(planted_values(people)) + "\n")
    except BaseException:
        if stub is not None:
            stub.stop()
        mongod.stop()
        raise
    return Services(directory, mongod, stub, planted_file, users)


def wrk(
    services: Services,
    url: str,
    *,
    duration: float,
    connections: int,
    threads: int = 2,
    limit: int = 0,
) -> dict[str, Any]:
    """One wrk run of ``duration`` seconds; ``limit`` stops each wrk thread sending after
    that many responses (wrk itself still exits only when ``duration`` is over)."""
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    command = [
        binary, "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration))}s",
        "--timeout", "15s", "-s", str(LUA), url, "--", str(limit),
    ]  # fmt: skip
    env = {
        **os.environ,
        "LOAD_PLANTED": str(services.planted_file),
        "LOAD_USERS": str(services.users),
    }
    proc = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    out = proc.stdout
    if proc.returncode:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr[-2000:]}{out[-2000:]}")
    line = next((ln for ln in out.splitlines() if ln.startswith("LOADRESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    result: dict[str, Any] = json.loads(line.removeprefix("LOADRESULT "))
    seconds = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / seconds if seconds else 0.0
    result["5xx"] = sum(n for code, n in result["statuses"].items() if int(code) >= 500)
    return result


@dataclass
class Measurement:
    worker_class: str
    shield: bool
    runs: list[dict[str, Any]] = field(default_factory=list)
    rss_start: list[int] = field(default_factory=list)
    rss_end: list[int] = field(default_factory=list)


def measure(
    services: Services,
    worker_class: str,
    shield: bool,
    *,
    duration: float,
    warmup: float,
    connections: int,
) -> Measurement:
    app = harness.Gunicorn(services.env(shield), worker_class=worker_class).start(
        services.directory
    )
    try:
        wrk(services, app.url, duration=warmup, connections=connections)
        pids = app.worker_pids()
        m = Measurement(worker_class, shield)
        m.rss_start = [harness.proc_stats(p)["rss_kib"] for p in pids]
        m.runs.append(wrk(services, app.url, duration=duration, connections=connections))
        m.rss_end = [harness.proc_stats(p)["rss_kib"] for p in pids]
        if app.worker_pids() != pids:
            raise RuntimeError(f"a worker was replaced during the run; see {app.log_path}")
        return m
    finally:
        app.stop()


def compare(
    services: Services,
    *,
    worker_classes: tuple[str, ...] = ("sync", "gthread"),
    rounds: int = 3,
    duration: float = 10.0,
    warmup: float = 2.0,
    connections: int = 8,
) -> list[Measurement]:
    """Shield on and off for each worker class; the two alternate, round by round."""
    results: dict[tuple[str, bool], Measurement] = {}
    for _ in range(rounds):
        for worker_class in worker_classes:
            for shield in (True, False):
                m = measure(
                    services,
                    worker_class,
                    shield,
                    duration=duration,
                    warmup=warmup,
                    connections=connections,
                )
                kept = results.setdefault((worker_class, shield), m)
                if kept is not m:
                    kept.runs += m.runs
                    kept.rss_end = m.rss_end
    return list(results.values())


def summary(m: Measurement) -> dict[str, Any]:
    """Best of the rounds (a shared machine only ever slows a round down)."""
    return {
        "worker_class": m.worker_class,
        "shield": m.shield,
        "rounds": len(m.runs),
        "requests": sum(r["requests"] for r in m.runs),
        "rps": max(r["rps"] for r in m.runs),
        "p50_ms": min(r["p50_us"] for r in m.runs) / 1000,
        "p99_ms": min(r["p99_us"] for r in m.runs) / 1000,
        "5xx": sum(r["5xx"] for r in m.runs),
        "leaks": sum(r["leaks"] for r in m.runs),
        "tracebacks": sum(r["tracebacks"] for r in m.runs),
        "socket_errors": sum(sum(r["socket_errors"].values()) for r in m.runs),
        "statuses": _merge([r["statuses"] for r in m.runs]),
        "rss_start_kib": m.rss_start,
        "rss_end_kib": m.rss_end,
    }


def _merge(counts: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for c in counts:
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    return dict(sorted(total.items()))


def print_table(rows: list[dict[str, Any]]) -> None:
    print(
        f"{'workers':9} {'shield':6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'5xx':>4} "
        f"{'leaks':>5}  statuses / worker RSS KiB start -> end"
    )
    by_class: dict[str, dict[bool, dict[str, Any]]] = {}
    for r in rows:
        by_class.setdefault(r["worker_class"], {})[r["shield"]] = r
        print(
            f"{r['worker_class']:9} {'on' if r['shield'] else 'off':6} {r['rps']:7.1f} "
            f"{r['p50_ms']:7.1f} {r['p99_ms']:7.1f} {r['5xx']:4d} {r['leaks']:5d}  "
            f"{r['statuses']} / {r['rss_start_kib']} -> {r['rss_end_kib']}"
        )
    for worker_class, pair in by_class.items():
        if True in pair and False in pair:
            on, off = pair[True], pair[False]
            print(
                f"{worker_class}: shield on/off  req/s x{on['rps'] / off['rps']:.2f}  "
                f"p50 x{on['p50_ms'] / off['p50_ms']:.2f}  p99 x{on['p99_ms'] / off['p99_ms']:.2f}"
            )


def soak(
    services: Services,
    total: int,
    *,
    chunk_seconds: float = 30.0,
    warmup_seconds: float = 30.0,
    connections: int = 8,
    worker_class: str = "gthread",
    minutes: float = 60.0,
) -> dict[str, Any]:
    """``total`` requests after a warm-up, in wrk runs of ``chunk_seconds`` (each also
    capped at the requests still to do); worker RSS, fds and threads sampled between runs.
    Stops after ``minutes`` even if ``total`` is not reached (the result says how many ran).
    """
    deadline = time.monotonic() + minutes * 60
    app = harness.Gunicorn(services.env(True), worker_class=worker_class).start(services.directory)
    samples: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    try:
        pids = app.worker_pids()

        def sample(done: int) -> None:
            stats = {str(p): harness.proc_stats(p) for p in pids}
            samples.append({"requests": done, "workers": stats})
            print(f"  after {done:7d} requests: {stats}", flush=True)

        sample(0)
        warm = wrk(services, app.url, duration=warmup_seconds, connections=connections)
        print(f"  warm-up: {warm['requests']} requests", flush=True)
        sample(0)  # after warm-up: the baseline for growth
        done = 0
        while done < total and time.monotonic() < deadline:
            # wrk stops sending at the cap but only exits at the end of its duration
            cap = -(-(total - done) // 2)  # per wrk thread
            result = wrk(
                services, app.url, duration=chunk_seconds, connections=connections, limit=cap
            )
            runs.append(result)
            done += result["requests"]
            sample(done)
        if app.worker_pids() != pids:
            raise RuntimeError("a worker was replaced during the soak")
    finally:
        app.stop()
    base, end = samples[1]["workers"], samples[-1]["workers"]
    growth = {
        p: {
            "rss_kib": (base[p]["rss_kib"], end[p]["rss_kib"]),
            "rss_growth_pct": 100.0
            * (end[p]["rss_kib"] - base[p]["rss_kib"])
            / base[p]["rss_kib"],
            "fds": (base[p]["fds"], end[p]["fds"]),
            "threads": (base[p]["threads"], end[p]["threads"]),
        }
        for p in base
    }
    return {
        "requests": sum(r["requests"] for r in runs),
        "rps": sum(r["requests"] for r in runs) / sum(r["duration_us"] / 1e6 for r in runs),
        "5xx": sum(r["5xx"] for r in runs),
        "leaks": sum(r["leaks"] for r in runs),
        "tracebacks": sum(r["tracebacks"] for r in runs),
        "statuses": _merge([r["statuses"] for r in runs]),
        "workers": growth,
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="1 round of 4 s (the CI run)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.005, help="model latency, seconds")
    parser.add_argument("--workers", default="sync,gthread")
    parser.add_argument("--soak", type=int, default=0, help="run the soak with N requests")
    parser.add_argument("--soak-minutes", type=float, default=60.0, help="the soak's time bound")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    if args.short:
        args.rounds, args.duration = 1, 4.0
    with tempfile.TemporaryDirectory(prefix="llm-shield-load-") as tmp:
        services = start_services(Path(tmp), latency=args.latency)
        try:
            if args.soak:
                result: Any = soak(
                    services, args.soak, connections=args.connections, minutes=args.soak_minutes
                )
                print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
            else:
                started = time.monotonic()
                measured = compare(
                    services,
                    worker_classes=tuple(args.workers.split(",")),
                    rounds=args.rounds,
                    duration=args.duration,
                    connections=args.connections,
                )
                result = [summary(m) for m in measured]
                print(
                    f"model latency {args.latency * 1000:.0f} ms, {args.connections} connections, "
                    f"{args.rounds} round(s) of {args.duration:.0f} s, "
                    f"{time.monotonic() - started:.0f} s in all; best of rounds"
                )
                print_table(result)
        finally:
            services.stop()
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
