"""Text dense with values (an admin export, a search over customers): the scanner's fast
paths for it give what the plain ones give."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import random

import pytest
import re2
from hypothesis import example, given, settings
from hypothesis import strategies as st

from flask_llm_shield.detect import Finding, Scanner, pii
from flask_llm_shield.detect._base import ContextPattern, digits_of, luhn_ok, match_spans
from flask_llm_shield.detect._scanner import DETECTORS, canonical
from flask_llm_shield.detect._types import new_finding


def _luhn_complete(prefix: str) -> str:
    for check in "0123456789":
        if _luhn_slow(prefix + check):
            return prefix + check
    raise AssertionError("unreachable")


def _luhn_slow(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _export(rng: random.Random, n: int) -> list[dict[str, object]]:
    """Customer records as an admin export returns them."""
    names = ["ana", "bo", "chen", "dara", "eli", "fay", "gus", "hana"]
    records: list[dict[str, object]] = []
    for i in range(n):
        card = _luhn_complete("4" + "".join(rng.choice("0123456789") for _ in range(14)))
        records.append(
            {
                "_id": f"{rng.getrandbits(96):024x}",
                "email": f"{rng.choice(names)}.{i}@mailhost{rng.randint(1, 9)}.com",
                "phone": f"+1 {rng.randint(201, 989)}-{rng.randint(200, 999)}-"
                f"{rng.randint(1000, 9999)}",
                "ssn": f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                "card": f"{card[:4]} {card[4:8]} {card[8:12]} {card[12:]}",
                "ip": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                "created": rng.randint(1_600_000_000, 1_800_000_000),
                "balance": round(rng.uniform(0, 10_000), 2),
            }
        )
    return records


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_dense_export_has_the_findings_of_its_records_scanned_one_by_one(seed: int) -> None:
    scanner = Scanner(fingerprint_key=b"k")
    records = _export(random.Random(seed), 120)
    alone = [(f.kind, f.fingerprint) for r in records for f in scanner.scan(json.dumps(r))]
    together = [(f.kind, f.fingerprint) for f in scanner.scan(json.dumps(records))]
    assert together == alone
    kinds = {kind for kind, _ in together}
    assert kinds == {"object_id", "email", "phone", "us_ssn", "credit_card", "ipv4"}
    assert len(together) == 6 * len(records)
    # and the same through scan_json, which joins the values with their keys
    assert sorted(f.fingerprint for f in scanner.scan_json(records)) == sorted(
        fp for _, fp in alone
    )


@pytest.mark.parametrize("key", [b"", b"k", b"x" * 32, b"y" * 64, b"z" * 65, bytes(range(200))])
def test_fingerprints_are_hmac_sha256_of_the_canonical_value(key: bytes) -> None:
    scanner = Scanner(fingerprint_key=key)
    for value in ("123-45-6789", "Jane.Roe@Example.org", "ü 4111 1111 1111 1111", ""):
        expected = hmac.new(key, canonical(value).encode(), hashlib.sha256).hexdigest()[:20]
        assert scanner.fingerprint(value) == expected
    (finding,) = scanner.scan("ssn 123-45-6789")
    assert finding.fingerprint == scanner.fingerprint("123 45 6789")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab1-@ .\n", max_size=40),
    st.sampled_from([r"a+", r"\d*", r"b?", r"(?:a|1)-?", r"\b", r"a@b|\.", r"x*"]),
    st.integers(0, 45),
    st.integers(0, 45),
)
def test_match_spans_are_finditer_spans(text: str, pattern: str, pos: int, endpos: int) -> None:
    data = text.encode()
    regex = re2.compile(pattern.encode())
    expected = [m.span() for m in regex.finditer(data, pos, endpos)]
    assert list(match_spans(regex, data, pos, endpos)) == expected


CONTEXT_PATTERNS = [
    pii._PHONE_CONTEXT_RE,
    pii._PHONE_NEGATIVE,
    pii._SSN_CONTEXT,
    pii._CARD_NEGATIVE,
    pii._VERSION_RE,
    ContextPattern(r"\s+x\S$|[\s.]y$"),
    ContextPattern(r"(?i)\b(?:t\u00e9l|ss ?#|zip)\b|[^a-z ]x|(?i:k)m"),
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"phonetlcaridsSN#zipxKkm .-9_\u00e9\u00c9\u212a\u017f\x0b\x1c\n",
                *("tel", "ssn", "card", "order", "Phone", "ZIP", "ss #", "t\u00e9l", "serial"),
                *("version", "v", "/", "\u00a7", "##", "[", "\t", "\r", ":", "y", "x"),
            ]
        ),
        max_size=16,
    ).map("".join)
)
@example(" y\n")  # CPython's $ also matches before a final newline
@example("a/\n")
@example("version\x0b")  # and its \s takes \x0b
def test_context_patterns_answer_as_the_stdlib_pattern(text: str) -> None:
    for pattern in CONTEXT_PATTERNS:
        for probe in (text, text.lower()):
            assert pattern.found(probe) == (pattern._text.search(probe) is not None), probe


@pytest.mark.parametrize("source", [r"[\S.]x", r"ssn\Z", "(?i)\u017fsn", "\u212a"])
def test_context_patterns_refuse_what_re2_reads_otherwise(source: str) -> None:
    with pytest.raises(ValueError, match="RE2"):
        ContextPattern(source)


@given(st.text(alphabet="0123456789", min_size=1, max_size=25))
def test_luhn_check_of_digit_strings(digits: str) -> None:
    assert luhn_ok(digits) == _luhn_slow(digits)


@given(st.text(max_size=30))
def test_digits_of_keeps_ascii_digits_only(value: str) -> None:
    assert digits_of(value) == "".join(c for c in value if c in "0123456789")


NEEDY = [d for d in DETECTORS if d.need]
NEED_FRAGMENTS = [
    "jane", "doe", "mailhost", "com", "org", "1", "10", "192", "168", "0",
    ".", "@", " ", "  ", "\n", "\t", "[", "]", "(", ")", "{", "}", "<", ">",
    "at", "AT", "dot", "DOT", "Dot", "punkt", "arroba", "chez", "_", "-", "+",
    " at ", " @ ", "@ ", " @", " dot ", " . ", "[.]", "(at)", "{dot}", "jane.doe", "x.com",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(NEED_FRAGMENTS), max_size=24).map("".join))
@example("jane.doe at mailhost.com")
@example("jane @ mailhost.com")
@example("jane@ mailhost.com")
@example("jane.doe @mailhost.com")
@example("jane(at)mailhost(dot)com")
@example("jane@mailhost dot com")
@example("jane . doe@mailhost.com")
@example("10 [.] 0 (.) 0 {dot} 7")
@example("10[Dot]0[Dot]0[Dot]7")
def test_text_without_a_detectors_need_gives_it_nothing(text: str) -> None:
    data = text.encode()
    for d in NEEDY:
        if re2.search(d.need, data) is not None:
            continue
        accepted = [m.span() for m in re2.finditer(d.pattern, data) if d.validate(text, *m.span())]
        assert accepted == [], (d.kind, text)


def test_needs_are_tried_in_text_dense_with_values() -> None:
    """A dense export with one obfuscated address and one defanged one among its records:
    the dense route skips those detectors only where nothing needs them."""
    scanner = Scanner()
    records = _export(random.Random(9), 60)
    records[30]["note"] = "write to dana (at) mailhost (dot) com or 185[.]100[.]116[.]34"
    kinds = [f.kind for f in scanner.scan(json.dumps(records))]
    assert kinds.count("email") == 61
    assert kinds.count("ipv4") == 61


def test_findings_built_through_slots_are_ordinary_findings() -> None:
    made = new_finding("us_ssn", "pii", 4, 15, "/a/0", "0123456789abcdef0123")
    plain = Finding("us_ssn", "pii", 4, 15, "/a/0", "0123456789abcdef0123")
    assert made == plain
    assert hash(made) == hash(plain)
    assert repr(made) == repr(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.start = 0  # type: ignore[misc]


_SCANNERS = [
    Scanner(),
    Scanner(kinds=["credit_card", "ipv4"]),
    Scanner(known_values=["Evergreen Terrace 742"], canaries=["zq-canary-19"]),
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                '{"phone": "+1 415-555-2671", ',
                '"ssn": "536-22-1234", ',
                '"ip": "10.1.2.3", "card": "4111 1111 1111 1111", ',
                '"note": "Evergreen Terrace 742", "c": "zq-canary-19", ',
                '"email": "ana@mailhost.com", "created": 1712345678, "score": 0.25, ',
                '"_id": "65a1f0c2e4b0a1b2c3d4e5f6", ',
                "x" * 40,
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_has_findings_says_whether_a_scan_finds_anything(text: str) -> None:
    for scanner in _SCANNERS:
        assert scanner.has_findings(text) == bool(scanner.scan(text))


def test_has_findings_on_a_dense_export() -> None:
    records = _export(random.Random(4), 200)
    for r in records:
        r["email"] = "ana@example.com"  # documentation addresses: no findings
    only_cards = Scanner(kinds=["credit_card"])
    assert only_cards.has_findings(json.dumps(records))
    assert not Scanner(kinds=["iban"]).has_findings(json.dumps(records))
    for r in records:
        r["card"] = "none"
    assert not only_cards.has_findings(json.dumps(records))


def test_a_leak_marker_in_dense_text_under_a_scanner_without_leak_kinds() -> None:
    """A dense body with a chat-template marker, scanned by a scanner that reports no
    prompt leaks (route option ``kinds=``): its findings, not an AttributeError."""
    text = "call +1 415-555-2671 " * 20 + "<|im_start|>system"
    phones = Scanner(kinds=["phone"])
    assert [f.kind for f in phones.scan(text)] == ["phone"] * 20
    assert phones.has_findings(text)
    assert Scanner(kinds=["us_ssn"]).scan(text) == []
