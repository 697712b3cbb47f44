"""``flask shield ...`` commands."""

from __future__ import annotations

import json
import sys
from typing import TextIO

import click
from flask import current_app
from flask.cli import AppGroup

from .config import DEFAULTS
from .state import get_state

shield_cli = AppGroup("shield", help="flask-llm-shield: inspect settings and scan text.")


@shield_cli.command("config")
def show_config() -> None:
    """Print the effective LLM_SHIELD_* settings (the fingerprint key is never shown)."""
    get_state()  # fails clearly when init_app was not called
    for key in DEFAULTS:
        value = current_app.config[key]
        if key == "LLM_SHIELD_FINGERPRINT_KEY":
            value = "<set>" if value else "<derived from SECRET_KEY>"
        click.echo(f"{key} = {value!r}")


@shield_cli.command("scan")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--json", "as_json", is_flag=True, help="Treat the input as a JSON document.")
def scan(source: TextIO, as_json: bool) -> None:
    """Scan a file (or standard input) with the app's scanner; exit 1 on findings.

    Prints kinds, offsets, JSON paths and fingerprints, never the values.
    """
    scanner = get_state().scanner
    text = source.read()
    findings = scanner.scan_json(json.loads(text)) if as_json else scanner.scan(text)
    for f in findings:
        where = f.path if f.path is not None else ""
        click.echo(f"{f.kind}\t{f.category}\t{where}\t{f.start}-{f.end}\t{f.fingerprint}")
    if findings:
        click.echo(f"{len(findings)} finding(s)", err=True)
        sys.exit(1)
    click.echo("no findings", err=True)
