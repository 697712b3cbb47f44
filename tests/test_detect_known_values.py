"""Known values: exact matching of values the application marked sensitive."""

from __future__ import annotations

from flask_llm_shield.detect import Scanner
from flask_llm_shield.detect.known_values import MIN_LENGTH, KnownValueMatcher


def spans(scanner: Scanner, text: str) -> list[str]:
    return [text[f.start : f.end] for f in scanner.scan(text) if f.kind == "known_value"]


def test_verbatim_case_folded_and_whitespace_insensitive() -> None:
    scanner = Scanner(known_values=["Margaret Hamilton", "42 Elm Street, Springfield"])
    text = "Owner: MARGARET\n  hamilton lives at 42 elm street, springfield."
    assert spans(scanner, text) == ["MARGARET\n  hamilton", "42 elm street, springfield"]


def test_mostly_digit_values_match_digits_only() -> None:
    scanner = Scanner(known_values=["555-123-4567"], allow=["phone"])
    text = "call 5551234567 or (555) 123 4567 or 555.123.4567"
    assert spans(scanner, text) == ["5551234567", "(555) 123 4567", "555.123.4567"]


def test_values_inside_longer_words_do_not_match() -> None:
    scanner = Scanner(known_values=["Jane", "8675309"])
    assert spans(scanner, "Janet called 18675309 times") == []
    assert spans(scanner, "Jane called 8675309") == ["Jane", "8675309"]


def test_short_values_are_ignored() -> None:
    matcher = KnownValueMatcher(["ab", "x" * MIN_LENGTH, "  ", ""])
    assert matcher.values == frozenset({"x" * MIN_LENGTH})


def test_many_values_in_one_pass_with_fingerprints() -> None:
    values = [f"customer-note-{i:04d} secret" for i in range(500)]
    scanner = Scanner(known_values=values, fingerprint_key=b"k")
    text = "... customer-note-0421 secret ... customer-note-0007 SECRET"
    found = [f for f in scanner.scan(text) if f.kind == "known_value"]
    assert [text[f.start : f.end] for f in found] == [
        "customer-note-0421 secret",
        "customer-note-0007 SECRET",
    ]
    assert found[0].fingerprint == scanner.fingerprint("customer-note-0421 secret")
    assert found[1].fingerprint == scanner.fingerprint("Customer-Note-0007 Secret")


def test_known_values_obfuscated_with_look_alikes() -> None:
    scanner = Scanner(known_values=["Rue de la Paix 12"])
    text = "adresse: rue\u00a0de la\u200b Paix 12"
    assert len(spans(scanner, text)) == 1
