"""Probe report formats: a text table, JSON, SARIF 2.1.0 and JUnit XML.

Every writer reads the report only: kinds, JSON paths and fingerprints, never a value.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .results import ProbeFinding, ProbeReport
from .rules import RULES

FORMATS: tuple[str, ...] = ("text", "json", "sarif", "junit")
INFORMATION_URI = "https://github.com/flask-llm-shield/flask-llm-shield"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"high": "error", "medium": "warning", "low": "note"}
#: GitHub code scanning reads ``security-severity`` (0-10) to rank security alerts.
_SECURITY_SEVERITY = {"high": "8.0", "medium": "5.5", "low": "3.0"}


def _tool_version() -> str:
    try:
        return version("flask-llm-shield")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def _evidence_text(finding: ProbeFinding, limit: int = 4) -> str:
    parts = []
    for e in finding.evidence[:limit]:
        where = e.path or ""
        fp = f"#{e.fingerprint[:12]}" if e.fingerprint else ""
        parts.append(f"{e.kind}{where and ' ' + where}{fp and ' ' + fp}")
    more = len(finding.evidence) - limit
    if more > 0:
        parts.append(f"+{more} more")
    return "; ".join(parts)


def to_text(report: ProbeReport) -> str:
    """A readable table, one row per finding, then the per-route outcomes and a summary."""
    lines = [f"flask-llm-shield probe report (suite: {report.suite})", ""]
    if report.findings:
        rows = [
            (
                f.severity.upper(),
                f"{f.rule.id} {f.rule.name}",
                f.route,
                ",".join(f.probes[:3]) + (f" +{len(f.probes) - 3}" if len(f.probes) > 3 else ""),
                _evidence_text(f),
            )
            for f in report.findings
        ]
        header = ("SEVERITY", "RULE", "ROUTE", "PROBES", "EVIDENCE (kind path #fingerprint)")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            lines.append(
                "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4]
            )
        lines.append("")
        for rule in dict.fromkeys(f.rule for f in report.findings):
            maps = ", ".join((*rule.owasp_llm, *rule.owasp_api, *rule.cwe))
            lines.append(f"{rule.id} {rule.title} [{maps}]")
    else:
        lines.append("No findings.")
    lines.append("")
    lines.append("Outcomes per route:")
    for target in report.targets:
        outcomes: dict[str, int] = {}
        for x in report.exchanges:
            if x.route == target.name:
                outcomes[x.outcome] = outcomes.get(x.outcome, 0) + 1
        desc = ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
        guard = "guarded" if target.guarded else "unguarded"
        lines.append(f"  {target.name} ({guard}, input {target.field}): {desc}")
    lines.append("")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def to_json(report: ProbeReport) -> str:
    return json.dumps(report.as_dict(), indent=2, sort_keys=False) + "\n"


def _sarif_rule(rule_name: str) -> dict[str, Any]:
    rule = RULES[rule_name]
    maps = ", ".join((*rule.owasp_llm, *rule.owasp_api, *rule.cwe))
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} ({maps})."},
        "help": {
            "text": rule.help,
            "markdown": f"**{rule.title}** ({maps})\n\n{rule.help}",
        },
        "helpUri": INFORMATION_URI,
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {
            "tags": list(rule.tags),
            "security-severity": _SECURITY_SEVERITY[rule.severity],
            "precision": "high",
            "problem.severity": {"high": "error", "medium": "warning", "low": "recommendation"}[
                rule.severity
            ],
        },
    }


def to_sarif(report: ProbeReport) -> str:
    """SARIF 2.1.0, as GitHub code scanning accepts it: rules with help, locations,
    ``partialFingerprints`` so an alert keeps its identity across runs."""
    names = list(RULES)
    index = {name: i for i, name in enumerate(names)}
    results = []
    for f in report.findings:
        location: dict[str, Any] = {
            "logicalLocations": [{"name": f.route, "kind": "function"}],
        }
        if f.source:
            location["physicalLocation"] = {
                "artifactLocation": {"uri": f.source},
                "region": {"startLine": max(f.line or 1, 1)},
            }
        results.append(
            {
                "ruleId": f.rule.id,
                "ruleIndex": index[f.rule.name],
                "level": _SARIF_LEVEL[f.severity],
                "message": {
                    "text": f"{f.rule.title} on {f.route} (probes: {', '.join(f.probes)}). "
                    f"Evidence: {_evidence_text(f, limit=10) or 'n/a'}."
                },
                "locations": [location],
                "partialFingerprints": {"llmShieldFinding/v1": f.fingerprint},
                "properties": {
                    "route": f.route,
                    "probes": list(f.probes),
                    "evidence": [e.as_dict() for e in f.evidence],
                    "tags": list(f.rule.tags),
                },
            }
        )
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flask-llm-shield",
                        "informationUri": INFORMATION_URI,
                        "version": _tool_version(),
                        "rules": [_sarif_rule(name) for name in names],
                    }
                },
                "automationDetails": {"id": f"flask-llm-shield/probe/{report.suite}/"},
                "invocations": [{"executionSuccessful": True}],
                "results": results,
                "properties": {"summary": report.as_dict()["summary"]},
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def to_junit(report: ProbeReport) -> str:
    """JUnit XML: one test suite per route, one test case per probe request."""
    root = ET.Element("testsuites", name="flask-llm-shield probe")
    total = failures = errors = 0
    for target in report.targets:
        cases = [x for x in report.exchanges if x.route == target.name]
        suite = ET.SubElement(root, "testsuite", name=target.name)
        s_fail = s_err = 0
        for x in cases:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"llm_shield.probe.{target.rule}",
                name=x.probe,
                time=f"{x.duration_ms / 1000:.4f}",
            )
            if x.outcome == "unreachable":
                s_err += 1
                ET.SubElement(case, "error", message="route unreachable", type="unreachable")
                continue
            broken = [f for f in report.findings if f.route == target.name and x.probe in f.probes]
            if broken:
                s_fail += 1
                worst = broken[0]
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{worst.severity}: {worst.rule.title}",
                    type=worst.rule.id,
                )
                failure.text = "\n".join(
                    f"{f.rule.id} {f.severity} {f.rule.name}: {_evidence_text(f, limit=10)}"
                    for f in broken
                )
            ET.SubElement(case, "system-out").text = f"status {x.status}, outcome {x.outcome}"
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(s_fail))
        suite.set("errors", str(s_err))
        suite.set("time", f"{sum(x.duration_ms for x in cases) / 1000:.4f}")
        total += len(cases)
        failures += s_fail
        errors += s_err
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    root.set("time", f"{report.duration_s:.4f}")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


WRITERS: dict[str, Callable[[ProbeReport], str]] = {
    "text": to_text,
    "json": to_json,
    "sarif": to_sarif,
    "junit": to_junit,
}


def render(report: ProbeReport, fmt: str) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`)."""
    return WRITERS[fmt](report)
