"""Longer coverage-guided fuzzing of the whole app at the WSGI boundary (not run in CI).

The same app and oracle as ``tests/test_fuzz_wsgi.py`` (shield on, mongomock with planted
values, an echo model), driven by atheris (``pip install atheris``)::

    python -m benchmarks.load.fuzz_atheris -atheris_runs=200000 -max_len=4096

A crash is an exception from the oracle: a 5xx, a traceback in a body, a planted value in
the visible text, or a non-JSON refusal on a guarded route.
"""

from __future__ import annotations

import sys
from typing import Any

import mongomock

from benchmarks.load import wsgi_fuzz
from benchmarks.load.app import create_app, planted_users, planted_values, seed
from tests.test_fuzz_wsgi import (
    CHARSETS,
    GUARDED,
    ROUTES,
    echo_model,
    visible_text,
)

USERS = planted_users(4)
PLANTED = planted_values(USERS)
CONTENT_TYPES = [
    None,
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    *(f"application/json; charset={c}" for c in CHARSETS),
]


def build_app() -> Any:
    db = mongomock.MongoClient().llm_shield_load
    seed(db, USERS)
    return create_app({"MONGO_DB": db, "LLM_CLIENT": echo_model, "LOAD_SHIELD": "on"})


def one_input(app: Any, data: bytes) -> None:
    import atheris  # type: ignore[import-not-found]

    fdp = atheris.FuzzedDataProvider(data)
    method, template = ROUTES[fdp.ConsumeIntInRange(0, len(ROUTES) - 1)]
    path = template.format(fdp.ConsumeUnicodeNoSurrogates(20)) if "{}" in template else template
    content_type = CONTENT_TYPES[fdp.ConsumeIntInRange(0, len(CONTENT_TYPES) - 1)]
    chunks = [fdp.ConsumeIntInRange(1, 64) for _ in range(fdp.ConsumeIntInRange(0, 4))]
    headers = {"Accept-Charset": fdp.ConsumeUnicodeNoSurrogates(10).encode().decode("latin-1")}
    body = fdp.ConsumeBytes(fdp.remaining_bytes())
    env = wsgi_fuzz.environ(
        method, path, body, content_type=content_type, headers=headers, chunks=chunks
    )
    status, response_headers, out = wsgi_fuzz.call(app, env)
    if status >= 500 or b"Traceback" in out:
        raise AssertionError(f"{status} on {method} {path}")
    text = visible_text(out)
    if any(value in text for value in PLANTED):
        raise AssertionError(f"planted value out on {method} {path}")
    if status >= 400 and status not in (404, 405) and path.startswith(GUARDED):
        if not response_headers.get("content-type", "").startswith("application/json"):
            raise AssertionError(f"non-JSON refusal {status} on {method} {path}")


def main() -> None:
    import atheris

    app = build_app()
    atheris.instrument_all()  # coverage feedback from every loaded module
    atheris.Setup(sys.argv, lambda data: one_input(app, data))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
