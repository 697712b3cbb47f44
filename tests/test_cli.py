"""``flask shield scan`` on bad input, its header, and documented example keys (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.mark.parametrize("body", ["{bad", '{"a": 1,}', "", "[1, 2"])
def test_invalid_json_is_a_usage_error_not_a_traceback(runner: FlaskCliRunner, body: str) -> None:
    result = runner.invoke(args=["shield", "scan", "--json"], input=body)
    assert result.exit_code == 2  # usage error, not 1 ("findings")
    assert "not valid JSON" in result.output
    assert "line 1" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_invalid_utf8_is_a_usage_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9 123-45-6789".encode("latin-1"))
    result = runner.invoke(args=["shield", "scan", str(path)])
    assert result.exit_code == 2
    assert "not UTF-8" in result.output
    assert "123-45-6789" not in result.output  # the error names an offset, not the text


def test_missing_file_is_a_usage_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["shield", "scan", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_output_has_a_header_and_a_column_line(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["shield", "scan"], input="mail jane.doe@mailhost.com now\n")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("flask-llm-shield scan of standard input")
    assert lines[1].split("\t") == ["KIND", "CATEGORY", "PATH", "SPAN", "FINGERPRINT"]
    assert lines[2].startswith("email\tpii\t-\t5-26\t")
    assert lines[-1] == "1 finding(s)"
    assert "jane.doe" not in result.output


def test_json_findings_carry_paths(runner: FlaskCliRunner) -> None:
    doc = json.dumps({"user": {"ssn": "123-45-6789"}})
    result = runner.invoke(args=["shield", "scan", "--json"], input=doc)
    assert result.exit_code == 1
    assert "us_ssn\tpii\t/user/ssn\t" in result.output
    assert "123-45-6789" not in result.output


@pytest.mark.parametrize(
    "text",
    [
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "stripe: sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    ],
)
def test_documented_example_keys_are_named_as_ignored(runner: FlaskCliRunner, text: str) -> None:
    result = runner.invoke(args=["shield", "scan"], input=text)
    assert result.exit_code == 0
    assert "recognised as documented examples" in result.output
    assert "ignored" in result.output
    assert result.output.splitlines()[-1] == "no findings"


def test_real_looking_key_is_a_finding_and_no_example_note(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["shield", "scan"], input="key AKIA4TQ7ZK2M9XWJ3HBN here")
    assert result.exit_code == 1
    assert "aws_access_key" in result.output
    assert "documented examples" not in result.output


def test_clean_text_says_no_findings_without_an_example_note(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["shield", "scan"], input="nothing to see here\n")
    assert result.exit_code == 0
    assert "documented examples" not in result.output
    assert result.output.splitlines()[-1] == "no findings"
