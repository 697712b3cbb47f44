"""Start and stop the pieces of a load or fault run, all on 127.0.0.1, all by PID.

- :func:`start_mongod`: a real mongod as a one-node replica set (``tests/mongod_server.py``);
- :class:`Stub`: ``tests/openai_stub.py`` as its own process (echoes prompts, obeys
  ``[[fault:...]]`` directives);
- :class:`Gunicorn`: ``benchmarks.load.app:create_app()`` under gunicorn, N workers;
- :func:`proc_stats`: RSS, open file descriptors and threads of a process from ``/proc``.

Every wait is bounded; every process started here is stopped by its PID.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import mongod_server  # noqa: E402

APP = "benchmarks.load.app:create_app()"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], bool], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception as exc:  # still starting
            last = exc
        time.sleep(0.05)
    raise TimeoutError(f"{what} not ready within {timeout}s ({last!r})")


def _stop_pid(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def start_mongod(directory: Path, port: int | None = None) -> mongod_server.Server:
    return mongod_server.start(port or free_port(), directory)


def get_json(url: str, timeout: float = 5.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.loads(resp.read())


@dataclass
class Stub:
    """The OpenAI-compatible stub server in its own process."""

    latency: float = 0.0
    delay: float = 0.0
    hang: float = 30.0
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0

    def start(self, directory: Path) -> Stub:
        port_file = directory / "stub.port"
        port_file.unlink(missing_ok=True)
        log = open(directory / "stub.log", "ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "openai_stub.py"),
                "--port-file", str(port_file),
                "--latency", str(self.latency),
                "--delay", str(self.delay),
                "--hang", str(self.hang),
            ],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        log.close()
        wait_for(port_file.exists, "stub server", 20)
        self.port = int(port_file.read_text())
        return self

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def stats(self) -> dict[str, int]:
        return dict(get_json(f"http://127.0.0.1:{self.port}/stats"))

    def stop(self) -> None:
        if self.proc is not None:
            _stop_pid(self.proc)
            self.proc = None


@dataclass
class Gunicorn:
    """``benchmarks.load.app`` under gunicorn: ``worker_class`` is ``sync`` or ``gthread``."""

    env: Mapping[str, str]
    worker_class: str = "sync"
    workers: int = 2
    threads: int = 4
    timeout: int = 30
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0
    log_path: Path | None = None
    extra_args: list[str] = field(default_factory=list)

    def start(self, directory: Path) -> Gunicorn:
        self.port = free_port()
        self.log_path = directory / f"gunicorn-{self.port}.log"
        log = open(self.log_path, "ab")
        command = [
            sys.executable, "-m", "gunicorn",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", self.worker_class,
            "--timeout", str(self.timeout),
            "--graceful-timeout", "5",
            "--worker-tmp-dir", tempfile.gettempdir(),
            *(["--threads", str(self.threads)] if self.worker_class == "gthread" else []),
            *self.extra_args,
            APP,
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        try:
            wait_for(self._ready, "gunicorn", 60)
        except BaseException:
            self.stop()
            raise
        return self

    def _ready(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
        get_json(f"{self.url}/health", timeout=2)
        return len(self.worker_pids()) == self.workers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        return children(self.proc.pid)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def stop(self) -> None:
        if self.proc is not None:
            _stop_pid(self.proc)
            self.proc = None


def children(pid: int) -> list[int]:
    """PIDs whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces; the ppid follows it.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def proc_stats(pid: int) -> dict[str, int]:
    """``rss_kib``, ``fds`` and ``threads`` of a live process."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {
        "rss_kib": int(values["VmRSS"].split()[0]),
        "threads": int(values["Threads"]),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
    }
