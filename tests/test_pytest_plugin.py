"""The pytest plugin, run as a user would: pytest in a fresh project directory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.test_probe import assert_no_planted

REPO = Path(__file__).resolve().parent.parent

CONFTEST = """
import pytest
from example_app import create_app

@pytest.fixture
def app():
    return create_app({"TESTING": True, "DEMO_STREAM_DELAY": 0})
"""

TESTS = """
def naive(app):
    return next(r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/naive/"))

# The leaky code on the redacting route lets withheld values through (see test_probe).
LEAKY_REDACT = "/naive-redacted/summary/<user_id>"

def clean(app):
    from flask_llm_shield.probe.runner import route_options
    return [r.rule for r in app.url_map.iter_rules()
            if route_options(app, r.endpoint) and r.rule != LEAKY_REDACT]

def test_unguarded_route_leaks(app, client, shield_probe):
    assert client.get("/").status_code == 200   # pytest-flask's client on the same app
    report = shield_probe(routes=[naive(app)], include_guarded=False)
    assert report.at_least("high")
    assert {f.route for f in report.findings} == {"GET " + naive(app)}

def test_guarded_routes_are_clean(app, shield_probe):
    report = shield_probe.assert_clean(fail_on="low", routes=clean(app), include_guarded=False)
    assert len(report.targets) >= 5 and not report.findings
    assert shield_probe.report is report

def test_every_guarded_route_leaves_only_the_redact_route_flagged(shield_probe):
    report = shield_probe()
    assert {f.route for f in report.findings} == {"GET " + LEAKY_REDACT}

def test_assert_clean_fails_on_the_unguarded_route(app, shield_probe):
    try:
        shield_probe.assert_clean(routes=[naive(app)])
    except AssertionError as exc:
        assert "LLMS001" in str(exc)
    else:
        raise AssertionError("the leak was not reported")
"""

LEAKY_APP = """
from flask import Flask, jsonify
from flask_llm_shield import LLMShield, guarded_llm_route

def create_app():
    app = Flask("leaky")
    app.config["SECRET_KEY"] = "leaky-app-secret-key-0123"
    LLMShield(app)

    @app.get("/report-only")
    @guarded_llm_route(mode="report")
    def report_only():
        return jsonify({"reply": "Card 4111 1111 1111 1111 on file."})

    @app.get("/blocked")
    @guarded_llm_route
    def blocked():
        return jsonify({"reply": "Card 4111 1111 1111 1111 on file."})

    return app
"""


def run_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{project}{os.pathsep}{REPO}"}
    env.pop("FLASK_APP", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST), encoding="utf-8")
    (tmp_path / "test_llm.py").write_text(textwrap.dedent(TESTS), encoding="utf-8")
    (tmp_path / "leaky.py").write_text(textwrap.dedent(LEAKY_APP), encoding="utf-8")
    return tmp_path


def test_shield_probe_fixture_works_with_pytest_flask(project: Path) -> None:
    result = run_pytest(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_probe_option_adds_a_test_per_guarded_route_of_the_example_app(project: Path) -> None:
    (project / "demo_app.py").write_text(
        "from example_app import create_app as make\n"
        "def create_app():\n"
        "    return make({'TESTING': True, 'DEMO_STREAM_DELAY': 0})\n",
        encoding="utf-8",
    )
    result = run_pytest(
        project, "--llm-shield-probe", "--llm-shield-app", "demo_app:create_app", "-v",
        "-k", "probe",
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr  # one route leaks
    probe_lines = [
        line for line in result.stdout.splitlines() if line.startswith("::llm-shield::probe[")
    ]
    assert len(probe_lines) >= 6
    failed = [line for line in probe_lines if "FAILED" in line]
    assert len(failed) == 1
    assert "/naive-redacted/" in failed[0]
    assert all("PASSED" in line for line in probe_lines if line not in failed)
    assert not [line for line in probe_lines if "/naive/" in line]  # unguarded: not added
    assert_no_planted(result.stdout, result.stderr)


def test_probe_tests_fail_exactly_on_the_leaking_guarded_route(project: Path) -> None:
    result = run_pytest(
        project, "--llm-shield-probe", "--llm-shield-app", "leaky:create_app", "-v",
        "-k", "probe",
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "probe[GET /report-only] FAILED" in result.stdout
    assert "flask-llm-shield probe report" in result.stdout  # the route's own report
    assert "probe[GET /blocked] PASSED" in result.stdout
    assert "LLMS001" in result.stdout
    # No piece of the card (a keyed fingerprint's hex may hold the digits "4111").
    assert re.search(r"(?<![0-9a-f])4111(?![0-9a-f])", result.stdout) is None


def test_probe_option_without_an_app_is_a_usage_error(project: Path) -> None:
    result = run_pytest(project, "--llm-shield-probe")
    assert result.returncode == 4  # pytest's usage-error exit code
    assert "--llm-shield-app" in result.stderr
