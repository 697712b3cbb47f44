"""``flask shield audit``: what is guarded, and do the schemas match the live data?

Routes: every rule of the URL map with guarded/unguarded, mode, screened inputs and
whether its code streams; an unguarded route whose code names a model or a prompt is a
finding. Collections: each registered schema against a sample of its live documents:
undeclared fields, PII- or secret-looking values in fields the schema does not mark
sensitive (the scoped accessor hands those to prompts), and collections with no schema.
Findings name collections, field paths, kinds and counts, never values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from flask import Flask

from ..audit import mask_name
from ..detect import KIND_CATEGORIES, Scanner
from ..schemas import Shape
from ..state import get_state
from .codeinfo import calls_model, code_names, streams
from .runner import route_options

Severity = Literal["low", "medium", "high"]
_COUNTED = frozenset({"pii", "secret"})


@dataclass(frozen=True, slots=True)
class RouteInfo:
    methods: tuple[str, ...]
    rule: str
    endpoint: str
    guarded: bool
    mode: str
    inputs: str
    streams: str
    calls_model: bool


@dataclass(frozen=True, slots=True)
class AuditFinding:
    severity: Severity
    check: str
    where: str
    detail: str
    kinds: tuple[str, ...] = ()
    documents: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "check": self.check,
            "where": self.where,
            "detail": self.detail,
            "kinds": list(self.kinds),
            "documents": self.documents,
        }


@dataclass
class AuditReport:
    routes: list[RouteInfo] = field(default_factory=list)
    collections: dict[str, dict[str, Any]] = field(default_factory=dict)
    findings: list[AuditFinding] = field(default_factory=list)
    database: str = "not configured"

    def as_dict(self) -> dict[str, Any]:
        return {
            "routes": [
                {
                    "methods": list(r.methods),
                    "rule": r.rule,
                    "endpoint": r.endpoint,
                    "guarded": r.guarded,
                    "mode": r.mode,
                    "inputs": r.inputs,
                    "streams": r.streams,
                    "calls_model": r.calls_model,
                }
                for r in self.routes
            ],
            "database": self.database,
            "collections": self.collections,
            "findings": [f.as_dict() for f in self.findings],
        }


def survey_routes(app: Flask) -> list[RouteInfo]:
    config = get_state(app).config
    out: list[RouteInfo] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions.get(rule.endpoint)
        options = route_options(app, rule.endpoint)
        names = code_names(view)
        if options is not None:
            mode = options.mode or f"{config.mode} (app default)"
            if not options.screen_inputs:
                inputs = "not screened"
            elif options.inputs is None:
                inputs = "every string field"
            else:
                inputs = ", ".join(options.inputs)
        else:
            mode = f"unguarded (response scan: {config.response_scan})"
            inputs = "-"
        stream = streams(names)
        model = calls_model(names)
        methods = tuple(sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}))
        out.append(
            RouteInfo(
                methods, rule.rule, rule.endpoint, options is not None, mode, inputs, stream,
                model,
            )
        )  # fmt: skip
    return out


Status = Literal["undeclared", "plain", "sensitive"]


class _Keys:
    """Document keys as printed (:func:`~flask_llm_shield.audit.mask_name`), checked once
    per distinct key."""

    def __init__(self, scanner: Scanner) -> None:
        self.scanner = scanner
        self.cache: dict[str, str] = {}

    def __call__(self, key: Any) -> str:
        key = str(key)
        shown = self.cache.get(key)
        if shown is None:
            shown = self.cache[key] = mask_name(key, self.scanner)
        return shown


def _walk(
    node: Any, shape: Shape | None, prefix: str, keys: _Keys
) -> Iterator[tuple[str, Status, Any]]:
    """``(path, status, value)`` for every leaf of a document against its shape."""
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, shape, prefix, keys)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        path = f"{prefix}{keys(key)}"
        if shape is None:
            yield from _leaves(value, path, "undeclared", keys)
            continue
        if shape.opaque:
            yield from _leaves(value, path, "plain", keys)
            continue
        spec = shape.fields.get(key)
        if spec is None:
            yield from _leaves(value, path, "undeclared", keys)
        elif spec.sensitive:
            yield path, "sensitive", None
        elif spec.children is not None and isinstance(value, dict | list):
            yield from _walk(value, spec.children, path + ".", keys)
        else:
            yield from _leaves(value, path, "plain", keys)


def _leaves(
    value: Any, path: str, status: Status, keys: _Keys
) -> Iterator[tuple[str, Status, Any]]:
    if isinstance(value, dict):
        if status == "undeclared":
            yield path, status, None
        for key, sub in value.items():
            yield from _leaves(sub, f"{path}.{keys(key)}", status, keys)
    elif isinstance(value, list):
        yield path, status, None
        for item in value:
            if isinstance(item, str | dict | list):
                yield from _leaves(item, path, status, keys)
    else:
        yield path, status, value


def _sample(collection: Any, size: int) -> list[dict[str, Any]]:
    try:
        return list(collection.aggregate([{"$sample": {"size": size}}]))
    except Exception:  # a backend without $sample (old mongomock): the first documents
        return list(collection.find().limit(size))


def survey_collections(app: Flask, report: AuditReport, sample: int) -> None:
    state = get_state(app)
    if state.db_source is None:
        report.database = "not configured (pass db= to init_app); schemas not checked"
        return
    scanner: Scanner = state.scanner
    schemas = state.schemas
    db = state.database()
    report.database = str(getattr(db, "name", "?"))
    live = sorted(n for n in db.list_collection_names() if not n.startswith("system."))
    skip = {state.config.audit_collection}
    for name in live:
        if name in skip:
            continue
        registered = schemas.get(name)
        docs = _sample(db[name], sample)
        info: dict[str, Any] = {"schema": registered is not None, "sampled": len(docs)}
        report.collections[name] = info
        if registered is None:
            severity: Severity = "low" if state.config.strict_collections else "medium"
            report.findings.append(
                AuditFinding(
                    severity,
                    "collection-without-schema",
                    name,
                    "collection has no registered schema"
                    + (
                        " (the scoped accessor refuses it in strict mode)"
                        if state.config.strict_collections
                        else " and LLM_SHIELD_STRICT_COLLECTIONS is off: it is readable whole"
                    ),
                )
            )
            shape = None
        else:
            shape = registered.shape
        undeclared: dict[str, int] = {}
        keys = _Keys(scanner)
        flagged: dict[tuple[str, str], dict[str, int]] = {}
        for doc in docs:
            seen_undeclared: set[str] = set()
            seen_flagged: dict[tuple[str, str], set[str]] = {}
            for path, status, value in _walk(doc, shape, "", keys):
                if status == "sensitive":
                    continue
                if status == "undeclared" and shape is not None:
                    seen_undeclared.add(path)
                if isinstance(value, str) and value:
                    kinds = {
                        f.kind
                        for f in scanner.scan(value)
                        if KIND_CATEGORIES.get(f.kind) in _COUNTED
                    }
                    if kinds:
                        seen_flagged.setdefault((path, status), set()).update(kinds)
            for path in seen_undeclared:
                undeclared[path] = undeclared.get(path, 0) + 1
            for key, kinds in seen_flagged.items():
                bucket = flagged.setdefault(key, {})
                for kind in kinds:
                    bucket[kind] = bucket.get(kind, 0) + 1
        info["undeclared_fields"] = sorted(undeclared)
        for (path, field_status), per_kind in sorted(flagged.items()):
            where = f"{name}.{path}"
            count = max(per_kind.values())
            if shape is None:
                check, detail = "sensitive-data-without-schema", "values look sensitive"
            elif field_status == "undeclared":
                check = "sensitive-data-in-undeclared-field"
                detail = (
                    "undeclared field holds sensitive-looking values; declare it with sensitive()"
                )
            else:
                check = "sensitive-data-in-plain-field"
                detail = (
                    "field is declared but not sensitive(), so the scoped accessor hands its "
                    "values to prompts; mark it sensitive()"
                )
            report.findings.append(
                AuditFinding("high", check, where, detail, tuple(sorted(per_kind)), count)
            )
        for path, count in sorted(undeclared.items()):
            if any(f.where == f"{name}.{path}" for f in report.findings):
                continue
            report.findings.append(
                AuditFinding(
                    "medium",
                    "undeclared-field",
                    f"{name}.{path}",
                    "field is in live documents but not in the schema (dropped by the "
                    "scoped accessor); declare it",
                    documents=count,
                )
            )


def run_audit(app: Flask, *, sample: int = 100) -> AuditReport:
    """Audit ``app``'s routes and its collections (``sample`` documents each)."""
    report = AuditReport()
    report.routes = survey_routes(app)
    for route in report.routes:
        if not route.guarded and route.calls_model:
            report.findings.append(
                AuditFinding(
                    "high",
                    "unguarded-llm-route",
                    f"{','.join(route.methods)} {route.rule}",
                    "the view's code calls a model or builds a prompt but the route is not "
                    "@guarded_llm_route",
                )
            )
    survey_collections(app, report, sample)
    rank = {"high": 0, "medium": 1, "low": 2}
    report.findings.sort(key=lambda f: (rank[f.severity], f.check, f.where))
    return report


def audit_text(report: AuditReport) -> str:
    lines = ["flask-llm-shield audit", "", "Routes:"]
    header = ("METHODS", "RULE", "GUARD", "MODE", "INPUTS", "STREAMS")
    rows = [
        (
            ",".join(r.methods),
            r.rule,
            "guarded" if r.guarded else "UNGUARDED",
            r.mode,
            r.inputs,
            r.streams,
        )
        for r in report.routes
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        lines.append("  " + "  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    lines += ["", f"Database: {report.database}"]
    for name, info in report.collections.items():
        schema = "schema" if info["schema"] else "NO SCHEMA"
        lines.append(f"  {name}: {schema}, {info['sampled']} document(s) sampled")
    lines.append("")
    if report.findings:
        lines.append("Findings:")
        for f in report.findings:
            extra = f" kinds={','.join(f.kinds)}" if f.kinds else ""
            extra += f" documents={f.documents}" if f.documents else ""
            lines.append(f"  {f.severity.upper():6}  {f.check}  {f.where}{extra}")
            lines.append(f"          {f.detail}")
    else:
        lines.append("No findings.")
    counts = {
        s: sum(1 for f in report.findings if f.severity == s) for s in ("high", "medium", "low")
    }
    lines += [
        "",
        f"{len(report.findings)} finding(s) ({counts['high']} high, {counts['medium']} medium, "
        f"{counts['low']} low); {len(report.routes)} route(s), "
        f"{len(report.collections)} collection(s)",
    ]
    return "\n".join(lines) + "\n"


def audit_json(report: AuditReport) -> str:
    return json.dumps(report.as_dict(), indent=2) + "\n"
