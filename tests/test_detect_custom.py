"""Custom detectors and gitleaks rules: one combined pass, validated like built-in kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from flask_llm_shield.detect import (
    CustomDetector,
    Finding,
    GitleaksRuleWarning,
    Scanner,
    load_gitleaks,
)
from flask_llm_shield.detect.custom import shannon_entropy, strip_groups

GITLEAKS = Path(__file__).parent / "data" / "gitleaks_small.toml"
ACME = "acme_" + "k3v9x0q2m7b1n8c4z6w5r2t9y1u3i7o0"

EMPLOYEE = CustomDetector(
    kind="employee_badge",
    pattern=r"\bEMP-(\d{6})\b",
    category="identifier",
    context=("employee", "badge", "staff"),
    label="[BADGE]",
    allow=("000000",),
    validator=lambda v: sum(map(int, v)) % 7 == 0,  # a made-up check digit rule
)


def spans(text: str, findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in findings]


def test_custom_kind_is_found_validated_and_redacted_with_its_label() -> None:
    scanner = Scanner(extra=[EMPLOYEE], fingerprint_key=b"k" * 16)
    text = "Employee badge EMP-123457 (staff). Badge EMP-123456, badge EMP-000000."
    findings = scanner.scan(text)
    # 1+2+3+4+5+7 = 22 fails the check; 123456 sums to 21 and passes; 000000 is allowed
    assert spans(text, findings) == [("employee_badge", "123456")]
    assert findings[0].category == "identifier"
    assert scanner.redact(text, findings) == (
        "Employee badge EMP-123457 (staff). Badge EMP-[BADGE], badge EMP-000000."
    )
    assert "123456" not in repr(findings)


def test_custom_kind_needs_its_context_words() -> None:
    scanner = Scanner(extra=[EMPLOYEE])
    assert scanner.scan("order EMP-123456 shipped") == []
    assert spans("ref EMP-123456 of the employee", scanner.scan("x EMP-123456 employee")) == []


def test_custom_kinds_take_part_in_kinds_allow_json_and_overlaps() -> None:
    scanner = Scanner(extra=[EMPLOYEE])
    text = "staff badge EMP-123456, mail jane@acme-corp.io"
    assert [f.kind for f in scanner.scan(text)] == ["employee_badge", "email"]
    assert [f.kind for f in Scanner(extra=[EMPLOYEE], kinds=["employee_badge"]).scan(text)] == [
        "employee_badge"
    ]
    assert [f.kind for f in Scanner(extra=[EMPLOYEE], allow=["employee_badge"]).scan(text)] == [
        "email"
    ]
    [found] = scanner.scan_json({"staff": {"badge": "EMP-123456"}})
    assert (found.kind, found.path) == ("employee_badge", "/staff/badge")
    # derive() keeps the custom detectors (per-request scanners)
    assert [f.kind for f in scanner.derive(known_values=["x"]).scan(text)] == [
        "employee_badge",
        "email",
    ]
    assert "employee_badge" in scanner.kinds


def test_custom_pattern_is_found_where_a_built_in_candidate_won_the_alternation() -> None:
    # The IPv4 alternative matches first at the same position; the longer custom value
    # (address and port of an internal service) must still be found and win.
    service = CustomDetector(kind="internal_endpoint", pattern=r"\b10\.\d+\.\d+\.\d+:\d{4,5}\b")
    text = "call 10.20.30.40:8443 now"
    assert spans(text, Scanner(extra=[service]).scan(text)) == [
        ("internal_endpoint", "10.20.30.40:8443")
    ]


def test_custom_detectors_in_a_stream_window_and_mappings() -> None:
    spec = {"kind": "ticket_secret", "pattern": r"TS-[A-Z0-9]{30}", "max_len": 33}
    scanner = Scanner(extra=[spec])
    assert scanner.window >= 33
    value = "TS-" + "Q7W3E9R1T5Y2U8I4O6P0A3S7D1F5G9"
    assert spans(value, scanner.scan(f"a {value} b"))[0][0] == "ticket_secret"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "Bad-Name", "pattern": "x"}, "snake_case"),
        ({"kind": "email", "pattern": "x"}, "built-in"),
        ({"kind": "zz_bad_regex", "pattern": "(?<=a)b"}, "does not compile"),
        ({"kind": "zz_bad_category", "pattern": "x", "category": "nope"}, "category"),
        ({"kind": "zz_bad_field", "pattern": "x", "regex": "y"}, "unknown field"),
        ({"kind": "zz_bad_group", "pattern": "(a)", "secret_group": 2}, "secret_group"),
    ],
)
def test_bad_custom_detectors_raise_naming_the_problem(spec: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Scanner(extra=[spec])


def test_a_kind_keeps_one_category() -> None:
    CustomDetector(kind="zz_one_category", pattern="zzq[0-9]{4}", category="pii")
    with pytest.raises(ValueError, match="already registered"):
        CustomDetector(kind="zz_one_category", pattern="zzq[0-9]{4}", category="secret")


def test_strip_groups_keeps_escapes_and_classes() -> None:
    assert strip_groups(r"(a)(?:b)(?P<n>c)\((d)[(]") == r"(?:a)(?:b)(?:c)\((?:d)[(]"
    assert strip_groups(r"[]()](x)") == r"[]()](?:x)"
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == 2.0


def test_gitleaks_rules_become_detectors_and_bad_rules_are_reported() -> None:
    detectors, skipped = load_gitleaks(GITLEAKS)
    assert [d.kind for d in detectors] == [
        "acme_api_token",
        "internal_db_password",
        "build_key",
    ]
    assert {s.rule_id: s.reason for s in skipped}.keys() == {"needs-lookahead", "path-only"}
    assert "RE2" in next(s.reason for s in skipped if s.rule_id == "needs-lookahead")
    with pytest.warns(GitleaksRuleWarning) as warned:
        scanner = Scanner.from_gitleaks(GITLEAKS)
    assert sorted(str(w.message).split("'")[1] for w in warned) == ["needs-lookahead", "path-only"]
    assert {s.rule_id for s in scanner.skipped_rules} == {"needs-lookahead", "path-only"}


@pytest.fixture(scope="module")
def gitleaks_scanner() -> Scanner:
    with pytest.warns(GitleaksRuleWarning):
        return Scanner.from_gitleaks(GITLEAKS)


def test_gitleaks_regex_keywords_entropy_and_secret_group(gitleaks_scanner: Scanner) -> None:
    text = f"token={ACME} and dsn=app/Qz8#pLm2vX@db1 done"
    assert spans(text, gitleaks_scanner.scan(text)) == [
        ("acme_api_token", ACME),
        ("internal_db_password", "Qz8#pLm2vX"),  # the secret group, not the whole match
    ]
    low_entropy = "acme_" + "a" * 32
    assert gitleaks_scanner.scan(f"token={low_entropy}") == []


def test_gitleaks_allowlists(gitleaks_scanner: Scanner) -> None:
    # rule allowlist on the secret, global stopword, line-target allowlist
    assert gitleaks_scanner.scan("dsn=app/changeme123@db1") == []
    assert gitleaks_scanner.scan("dsn=app/placeholder1@db1") == []
    assert gitleaks_scanner.scan("for example BK-0123456789ABCDEF0123") == []
    text = "deploy with BK-0123456789ABCDEF0123"
    assert spans(text, gitleaks_scanner.scan(text)) == [("build_key", "BK-0123456789ABCDEF0123")]


def test_gitleaks_kinds_never_shadow_built_in_names() -> None:
    detectors, skipped = load_gitleaks(
        {"rules": [{"id": "jwt", "regex": "zzjwt[0-9]{8}"}, {"id": "x", "regex": "("}]}
    )
    assert [d.kind for d in detectors] == ["gitleaks_jwt"]
    assert [s.rule_id for s in skipped] == ["x"]
