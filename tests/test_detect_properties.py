"""Properties of scanning and redaction that hold for any text (hypothesis)."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flask_llm_shield.detect import Scanner

SCANNER = Scanner(known_values=["Margaret Hamilton", "555-123-4567"])

VALUES = [
    "jane.roe@mailhost.org",
    "john dot doe at mailhost dot com",
    "123-45-6789",
    "4111 1111 1111 1111",
    "+44 20 7946 1958",
    "DE89 3704 0044 0532 0130 00",
    "192.168.1.10",
    "AKIAZ3MSJV4WWNKWVHQ7",
    "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A",
    'password = "hunter2!x"',
    "507f1f77bcf86cd799439011",
    "Margaret Hamilton",
    "&#64;",
    "%40",
    "\u200b",
    "\uff11",
    "\u2011",
]

# Text built from fragments that trigger detectors, obfuscations and plain noise, so that
# the properties are exercised on findings, not only on empty results.
fragment = st.one_of(
    st.sampled_from(VALUES),
    st.text(max_size=20),
    st.text(alphabet="0123456789 -.@()+", max_size=25),
)
texts = st.lists(fragment, max_size=12).map("".join)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_offsets_point_into_the_original_text(text: str) -> None:
    findings = SCANNER.scan(text)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end].strip()
    assert [f.start for f in findings] == sorted(f.start for f in findings)


@SETTINGS
@given(texts, st.sampled_from(["label", "mask", "pseudonym"]))
def test_redaction_removes_findings_and_nothing_else(text: str, operator: str) -> None:
    findings = SCANNER.scan(text)
    redacted = SCANNER.redact(text, findings, operator)
    # Outside the spans the text is unchanged and in order; each span became one
    # non-empty replacement.
    gaps, pos = [], 0
    for f in findings:
        gaps.append(text[pos : f.start])
        pos = f.end
    gaps.append(text[pos:])
    if operator == "label":
        labels = [f"[REDACTED:{f.kind}]" for f in findings] + [""]
        assert redacted == "".join(g + lab for g, lab in zip(gaps, labels, strict=True))
    shape = "(.+?)".join(re.escape(g) for g in gaps)
    match = re.fullmatch(shape, redacted, re.DOTALL)
    assert match is not None
    # Nothing sensitive is left where a finding was: a re-scan finds nothing inside the
    # replacements (masked forms keep at most the last four characters).
    replaced = [match.span(i) for i in range(1, len(findings) + 1)]
    for f in SCANNER.scan(redacted):
        assert all(f.end <= s or f.start >= e for s, e in replaced)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_scanning_never_raises_on_arbitrary_unicode(text: str) -> None:
    SCANNER.scan(text)
    SCANNER.scan_json({"k": text, text: [text, 1, 2.5, None, True]})


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.sampled_from("0123456789@. -"))
def test_long_runs_are_handled(n: int, ch: str) -> None:
    text = ch * n
    for f in SCANNER.scan(text):
        assert 0 <= f.start < f.end <= n


@pytest.mark.parametrize("operator", ["label", "mask", "pseudonym"])
def test_redact_json_leaves_no_finding(operator: str) -> None:
    doc = {"notes": [v + " trailing" for v in VALUES], "n": 4111111111111111}
    findings = SCANNER.scan_json(doc)
    assert findings
    out = SCANNER.redact_json(doc, findings, operator)
    left = {(f.kind, f.fingerprint) for f in SCANNER.scan_json(out)}
    assert left.isdisjoint({(f.kind, f.fingerprint) for f in findings})


PLAIN = Scanner()


@SETTINGS
@given(texts)
def test_bytes_precheck_never_hides_a_finding(text: str) -> None:
    # The response hook passes ASCII bodies that is_clean_ascii calls clean without
    # decoding them; for those, the full scan must agree that there is nothing.
    data = text.encode("ascii", "replace")
    ascii_text = data.decode("ascii")
    for scanner in (PLAIN, SCANNER):
        if scanner.is_clean_ascii(data):
            assert scanner.scan(ascii_text) == []


KINDS = ["email", "phone", "credit_card", "password_assignment", "stripe_key", "known_value"]
spans = st.lists(
    st.tuples(st.integers(0, 300), st.integers(1, 40), st.sampled_from(KINDS)).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    min_size=65,
    max_size=150,
)


@settings(max_examples=100, deadline=None)
@given(spans)
def test_overlap_resolution_is_the_same_for_many_candidates(
    raw: list[tuple[int, int, str]],
) -> None:
    from flask_llm_shield.detect._scanner import _RANK, _resolve, _resolve_inserted

    order = sorted(
        set(raw),
        key=lambda r: (r[2] == "password_assignment", r[0] - r[1], _RANK.get(r[2], 99), r[0]),
    )
    kept = _resolve(list(raw))
    assert kept == _resolve_inserted(order)
    assert all(a[1] <= b[0] for a, b in pairwise(kept))
    # Every candidate left out overlaps a kept one.
    for s, e, _ in set(raw) - set(kept):
        assert any(s < ke and ks < e for ks, ke, _ in kept)
