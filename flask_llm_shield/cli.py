"""``flask shield ...`` commands."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import click
from flask import current_app
from flask.cli import AppGroup

from . import audit
from .config import DEFAULTS
from .detect.examples import documented_examples
from .probe import DEFAULT_SUITE, FORMATS, SEVERITIES, SUITE_NAMES, ProbeError, render, run_probe
from .probe.survey import audit_json, audit_text, run_audit
from .state import get_state

shield_cli = AppGroup("shield", help="flask-llm-shield: inspect settings, scan, probe and audit.")

#: Exit codes: 0 clean, 1 findings, 2 usage or input errors (click's own convention).
EXIT_FINDINGS = 1


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
@click.argument("source", type=click.File("rb"), default="-")
@click.option("--json", "as_json", is_flag=True, help="Treat the input as a JSON document.")
def scan(source: Any, as_json: bool) -> None:
    """Scan a file (or standard input) with the app's scanner; exit 1 on findings.

    Prints kinds, offsets, JSON paths and fingerprints, never the values. Invalid input
    (not UTF-8, or not JSON with --json) is a usage error: exit code 2.
    """
    scanner = get_state().scanner
    name = getattr(source, "name", "-")
    name = "standard input" if name in ("-", "<stdin>") else str(name)
    try:
        text = source.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise click.UsageError(
            f"{name} is not UTF-8 text (invalid byte at offset {exc.start})"
        ) from None
    if as_json:
        try:
            doc = json.loads(text)
        except ValueError as exc:
            line, col = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
            raise click.UsageError(
                f"{name} is not valid JSON (line {line}, column {col}); drop --json to "
                "scan it as text"
            ) from None
        findings = scanner.scan_json(doc)
    else:
        findings = scanner.scan(text)
    click.echo(f"flask-llm-shield scan of {name} ({len(text)} characters)")
    if findings:
        click.echo("KIND\tCATEGORY\tPATH\tSPAN\tFINGERPRINT")
    for f in findings:
        where = f.path if f.path is not None else "-"
        click.echo(f"{f.kind}\t{f.category}\t{where}\t{f.start}-{f.end}\t{f.fingerprint}")
    examples = len(documented_examples(text))
    if examples:
        click.echo(
            f"{examples} key-shaped value(s) recognised as documented examples or "
            "placeholders (such as AKIAIOSFODNN7EXAMPLE) and ignored: they are not leaks."
        )
    if findings:
        click.echo(f"{len(findings)} finding(s)")
        sys.exit(EXIT_FINDINGS)
    click.echo("no findings")


def _pairs(values: tuple[str, ...], sep: str, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, found, value = item.partition(sep)
        if not found or not name.strip():
            # Never repeat the value: a header is often a credential.
            raise click.BadParameter(f"expected NAME{sep}VALUE", param_hint=what)
        out[name.strip()] = value.strip()
    return out


@contextmanager
def _quiet(verbose: bool) -> Iterator[None]:
    """Probing sends hundreds of hostile requests; the shield's per-request log lines
    (kinds only) would bury the report, so they are held at ERROR unless --verbose."""
    logger = logging.getLogger("flask_llm_shield")
    old = logger.level
    if not verbose:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(old)


def progress_reporter(
    stream: TextIO,
) -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """A click progress bar on ``stream`` when it is a terminal; nothing otherwise.

    The label shows the route rule and the probe id, never a request or a reply.
    """
    if not stream.isatty():
        return (lambda label, done, total: None), (lambda: None)
    state: dict[str, Any] = {}

    def update(label: str, done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(
                length=total,
                label="Probing",
                file=stream,
                item_show_func=lambda item: item,
            )
            bar.__enter__()
            state["bar"] = bar
        bar.update(1, label)

    def close() -> None:
        bar = state.pop("bar", None)
        if bar is not None:
            bar.__exit__(None, None, None)

    return update, close


@shield_cli.command("probe")
@click.option("--suite", type=click.Choice(SUITE_NAMES), default=DEFAULT_SUITE, show_default=True,
              help="Probes after the five sequential ones.")  # fmt: skip
@click.option("--route", "routes", multiple=True, metavar="RULE",
              help="Also probe this route (URL rule or endpoint); repeatable.")  # fmt: skip
@click.option("--guarded/--no-guarded", default=True, show_default=True,
              help="Probe every guarded route.")  # fmt: skip
@click.option("--unguarded", is_flag=True,
              help="Also probe unguarded routes whose code calls a model.")  # fmt: skip
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Value of a path variable (default: an _id from the collection).")  # fmt: skip
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="Header sent with every probe (authentication); repeatable.")  # fmt: skip
@click.option("--body", default=None, metavar="JSON",
              help="JSON body template; the probe goes into its first string field.")  # fmt: skip
@click.option("--url", "base_url", default=None, metavar="BASE",
              help="Probe a running server over HTTP instead of the test client.")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(min=0.1, max=600), default=10.0,
              show_default=True, help="Seconds per HTTP request (with --url).")  # fmt: skip
@click.option("--retries", type=click.IntRange(min=0, max=10), default=2, show_default=True,
              help="Retries on connection errors and 502/503/504 (with --url).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")  # fmt: skip
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a finding of this severity or worse exists, or when a "
                   "request got no answer.")  # fmt: skip
@click.option("--verbose", is_flag=True, help="Keep the shield's own log lines.")
def probe(
    suite: str,
    routes: tuple[str, ...],
    guarded: bool,
    unguarded: bool,
    params: tuple[str, ...],
    headers: tuple[str, ...],
    body: str | None,
    base_url: str | None,
    timeout: float,
    retries: int,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    verbose: bool,
) -> None:
    """Probe the app's LLM routes with prompt-injection and exfiltration attacks.

    Every guarded route by default, through the test client (no server needed). Each
    reply is judged with the app's own detectors, schemas, system prompts and canaries;
    findings carry kinds, JSON paths and fingerprints, never values.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    get_state()
    template: Any = None
    if body is not None:
        try:
            template = json.loads(body)
        except ValueError:
            raise click.BadParameter("not valid JSON", param_hint="--body") from None
    update, close = progress_reporter(sys.stderr)
    try:
        with _quiet(verbose):
            report = run_probe(
                app,
                suite=suite,
                routes=routes,
                include_guarded=guarded,
                include_unguarded=unguarded,
                params=_pairs(params, "=", "--param"),
                headers=_pairs(headers, ":", "--header"),
                body=template,
                base_url=base_url,
                timeout=timeout,
                retries=retries,
                progress=update,
            )
    except ProbeError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        close()
    if not report.targets:
        click.echo(
            "no route to probe: no guarded route found; name one with --route RULE", err=True
        )
    text = render(report, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(report.summary(), err=True)
    else:
        click.echo(text, nl=False)
    if report.unreachable:
        click.echo(
            f"warning: {report.unreachable} probe request(s) got no answer; "
            "an unprobed route is not a clean route",
            err=True,
        )
    # Fail closed: with --fail-on, requests that never got an answer fail the run too.
    if fail_on is not None and (report.at_least(fail_on) or report.unreachable):
        sys.exit(EXIT_FINDINGS)


@shield_cli.command("events")
@click.option("--since", default=None, metavar="WHEN",
              help="Only events since then: 15m, 2h, 7d, or an ISO time.")  # fmt: skip
@click.option("--kind", "kinds", multiple=True, help="Only events with this finding kind.")
@click.option("--endpoint", default=None, help="Only events of this endpoint.")
@click.option("--action", default=None, help="Only this action (signal name).")
@click.option("--limit", type=click.IntRange(min=1, max=100_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def events(
    since: str | None,
    kinds: tuple[str, ...],
    endpoint: str | None,
    action: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List recent audit events from LLM_SHIELD_AUDIT_COLLECTION, newest first.

    Events carry kinds, JSON paths and fingerprints, never values.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    get_state()
    trail = audit.trail_of(app)
    if trail is None or trail.sink is None:
        raise click.UsageError(
            "LLM_SHIELD_AUDIT_COLLECTION is not set: events go to the "
            "'flask_llm_shield.audit' logger only"
        )
    try:
        when = audit.parse_since(since) if since else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    try:
        found = audit.recent_events(
            trail.sink, since=when, kinds=kinds, endpoint=endpoint, action=action, limit=limit
        )
    except Exception as exc:
        raise click.ClickException(
            f"the audit collection {trail.sink.name!r} cannot be read ({type(exc).__name__})"
        ) from None
    if as_json:
        for event in found:
            click.echo(audit.event_json(event))
        return
    click.echo(f"{len(found)} event(s) from {trail.sink.name!r}, newest first")
    for event in found:
        stamp = event.get("time")
        when_text = stamp.isoformat(timespec="seconds") if stamp is not None else "-"
        prints = ",".join(fp[:12] for fp in event.get("fingerprints", []))
        click.echo(
            f"{when_text}  {event.get('action')}  {event.get('endpoint') or '-'}  "
            f"kinds={','.join(event.get('kinds', [])) or '-'}  "
            f"paths={','.join(event.get('paths', [])) or '-'}  fp={prints or '-'}"
        )


@shield_cli.command("audit")
@click.option("--sample", type=click.IntRange(min=1, max=100_000), default=100, show_default=True,
              help="Documents sampled per collection.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")
def audit_command(sample: int, as_json: bool) -> None:
    """Audit routes (guarded? mode, inputs, streams) and schemas against live documents.

    Exit 1 when something is found. Names fields, kinds and counts, never values.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    get_state()
    try:
        report = run_audit(app, sample=sample)
    except Exception as exc:
        raise click.ClickException(
            f"the database could not be read ({type(exc).__name__})"
        ) from None
    click.echo(audit_json(report) if as_json else audit_text(report), nl=False)
    if report.findings:
        sys.exit(EXIT_FINDINGS)
