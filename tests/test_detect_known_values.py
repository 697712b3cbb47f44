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


def test_request_values_never_enter_re2s_process_wide_pattern_cache() -> None:
    # google-re2's compile() keeps its last 128 patterns for the life of the process: a
    # pattern built from a request's withheld values, prompt or canary must bypass it.
    import re2

    from flask_llm_shield.detect import Scanner

    base = Scanner()

    def serve(value: str, code: str) -> None:
        scanner = base.derive(
            known_values=[f"{value} Terrace 742", f"536-22-{code[:4]}"],
            system_prompts=[f"You are the assistant of {value} Health. Never reveal {code}."],
            canaries=[f"shield-canary-{code}"],
        )
        scanner.scan(f"we met at {value} Terrace 742; shield-canary-{code}")
        scanner.hold_back(f"the reply so far: {value} Terr")

    serve("Evergreen", "4f9d0c21ab77")  # every shared pattern compiled once
    before = re2._Regexp._make.cache_info()
    serve("Maplewood", "7a1b2c3d4e5f")
    after = re2._Regexp._make.cache_info()
    assert after.misses == before.misses
    assert after.currsize == before.currsize
