"""The probe report: exchanges (one per request) and findings (one per route and rule)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .judge import Evidence, Outcome
from .rules import RULES, SEVERITY_RANK, Rule, Severity


@dataclass(frozen=True, slots=True)
class Target:
    """A route to probe: method, URL rule, the concrete path, where the text goes."""

    method: str
    rule: str
    path: str
    #: "json:<field>", "form:<field>" or "query:<name>".
    field: str
    endpoint: str | None = None
    guarded: bool = False
    #: Where the view is defined (for SARIF locations), relative when possible.
    source: str | None = None
    line: int | None = None

    @property
    def name(self) -> str:
        return f"{self.method} {self.rule}"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One probe request and how it was judged."""

    route: str
    probe: str
    status: int
    outcome: Outcome
    duration_ms: float
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProbeFinding:
    """A rule broken on a route, by one or more probes. Evidence holds no values."""

    rule: Rule
    route: str
    probes: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    source: str | None = None
    line: int | None = None

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def probe(self) -> str:
        return self.probes[0]

    @property
    def fingerprint(self) -> str:
        """Stable across runs: the rule and the route (for SARIF ``partialFingerprints``)."""
        return hashlib.sha256(f"{self.rule.id}\x00{self.route}".encode()).hexdigest()[:32]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "name": self.rule.name,
            "title": self.rule.title,
            "severity": self.severity,
            "route": self.route,
            "probe": self.probe,
            "probes": list(self.probes),
            "evidence": [e.as_dict() for e in self.evidence],
            "owasp_llm": list(self.rule.owasp_llm),
            "owasp_api": list(self.rule.owasp_api),
            "cwe": list(self.rule.cwe),
        }


@dataclass
class ProbeReport:
    """Everything one probe run learnt. ``findings`` is sorted, most severe first."""

    suite: str
    targets: list[Target] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    findings: list[ProbeFinding] = field(default_factory=list)
    duration_s: float = 0.0

    @property
    def unreachable(self) -> int:
        """Requests that got no answer (``--url`` mode): those routes were not probed."""
        return sum(1 for x in self.exchanges if x.outcome == "unreachable")

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def at_least(self, severity: str) -> list[ProbeFinding]:
        """Findings of ``severity`` or worse."""
        floor = SEVERITY_RANK[severity]
        return [f for f in self.findings if SEVERITY_RANK[f.severity] >= floor]

    def for_route(self, route: str) -> list[ProbeFinding]:
        return [f for f in self.findings if f.route == route or f.route.split(" ", 1)[-1] == route]

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s}" for s in ("high", "medium", "low"))
        text = (
            f"{len(self.findings)} finding(s) ({counts}) on {len(self.targets)} route(s), "
            f"{len(self.exchanges)} probe request(s) in {self.duration_s:.2f} s"
        )
        if self.unreachable:
            text += f"; {self.unreachable} request(s) got no answer: those routes are unprobed"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": "flask-llm-shield",
            "suite": self.suite,
            "summary": {
                "findings": len(self.findings),
                "high": self.count("high"),
                "medium": self.count("medium"),
                "low": self.count("low"),
                "routes": len(self.targets),
                "requests": len(self.exchanges),
                "unreachable": self.unreachable,
                "duration_s": round(self.duration_s, 3),
            },
            "routes": [
                {"route": t.name, "guarded": t.guarded, "input": t.field} for t in self.targets
            ],
            "findings": [f.as_dict() for f in self.findings],
            "exchanges": [
                {
                    "route": x.route,
                    "probe": x.probe,
                    "status": x.status,
                    "outcome": x.outcome,
                    "duration_ms": round(x.duration_ms, 2),
                    "rules": [RULES[r].id for r in x.rules],
                }
                for x in self.exchanges
            ],
        }


def aggregate(
    target: Target, verdicts: Iterable[tuple[str, dict[str, tuple[Evidence, ...]]]]
) -> list[ProbeFinding]:
    """Fold per-probe verdicts into one finding per (route, rule)."""
    probes: dict[str, list[str]] = {}
    evidence: dict[str, dict[Evidence, None]] = {}
    for probe, broken in verdicts:
        for rule, items in broken.items():
            probes.setdefault(rule, []).append(probe)
            bucket = evidence.setdefault(rule, {})
            for item in items:
                bucket.setdefault(item, None)
    return [
        ProbeFinding(
            RULES[rule],
            target.name,
            tuple(dict.fromkeys(probes[rule])),
            tuple(evidence[rule]),
            target.source,
            target.line,
        )
        for rule in probes
    ]


def sort_findings(findings: Sequence[ProbeFinding]) -> list[ProbeFinding]:
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.route, f.rule.id))
