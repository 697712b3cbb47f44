"""Numbers in API bodies: fractions, timestamps and counts are no candidates of the
combined pass (see ``Detector.combined`` and ``Detector.gate``), with the findings the
scanner had when every detector's own pattern ran in that pass."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
import re2
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flask_llm_shield.detect import Finding, Scanner
from flask_llm_shield.detect._scanner import DETECTORS, _Engine
from flask_llm_shield.detect.pii import _PHONE_GATE

DATA = Path(__file__).parent / "data"


def _unnarrowed() -> Scanner:
    """A scanner whose combined pass uses every detector's own pattern, no gate: the
    candidate handling before narrowed forms existed."""
    engine = _Engine(tuple(dataclasses.replace(d, combined="", gate="") for d in DETECTORS))
    scanner = Scanner()
    scanner._engine = engine
    scanner._setup()
    return scanner


NEW = Scanner()
OLD = _unnarrowed()


def spans(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.kind, f.start, f.end) for f in findings]


def same_places(a: list[Finding], b: list[Finding]) -> bool:
    """The same kinds at overlapping places (a window pass may find a span a few
    characters longer, as for an obfuscated e-mail form next to a plain one)."""
    return all(
        any(x.kind == y.kind and x.start < y.end and y.start < x.end for y in b) for x in a
    ) and all(any(x.kind == y.kind and x.start < y.end and y.start < x.end for x in a) for y in b)


@pytest.mark.parametrize("corpus", ["corpus.jsonl", "probe_corpus.jsonl", "injection.jsonl"])
def test_labelled_corpora_have_the_same_findings(corpus: str) -> None:
    with (DATA / corpus).open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    differ = [t[:60] for t in texts if not same_places(NEW.scan(t), OLD.scan(t))]
    assert not differ


# Numbers as APIs write them, values, the words that make a bare number a phone number,
# and the separators between them.
FRAGMENTS = [
    "0.",
    "1.",
    "12.",
    "-0.",
    "4111111111111111",
    "4111 1111 1111 1111",
    "123-45-6789",
    "123456789",
    "2125551234",
    "1712345678",
    "1712345678901",
    "0201234567",
    "+44 20 7946 0958",
    "(555) 123-4567",
    "192.168.1.20",
    "jane@mailhost.com",
    "@mailhost.com",
    " ",
    ",",
    ".",
    "-",
    "\n",
    ": ",
    '"created": ',
    '"ts": ',
    "[",
    "]",
    "}",
    "5",
    "99",
    "0",
    "e-5",
    "call ",
    "phone: ",
    "ssn ",
    "card ",
    "mobile",
    "isabel",
    "tel",
    "_",
    "a.",
    "x",
    "\\n",
    "1800",
]
fragment_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join)


def _covered(a: list[Finding], b: list[Finding]) -> bool:
    return all(any(x.start < y.end and y.start < x.end for y in b) for x in a)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragment_texts)
# A card candidate starting inside an accepted address reads along the run of digit
# groups after it and finds a card past the address.
@example("192.168.1.20+44 20 7946 0958-4111111111111111")
def test_narrowed_candidates_flag_what_the_full_patterns_flag(text: str) -> None:
    new, old = NEW.scan(text), OLD.scan(text)
    # Nothing the full patterns flag is lost. The narrowed pass may flag more: it looks
    # around a narrowed candidate or a gate word inside an accepted one, where the full
    # pass went on after the first candidate ("mobile@mailhost.com 1712345678901" also
    # holds a number led by a phone word).
    assert _covered(old, new)


def test_api_numbers_are_not_findings_and_values_among_them_are() -> None:
    rng = random.Random(5)
    records = [
        {
            "score": rng.random(),
            "created": rng.randint(1_600_000_000, 1_800_000_000),
            "ts": rng.randint(1_600_000_000_000, 1_800_000_000_000),
            "lat": round(rng.uniform(-90, 90), 6),
            "logprobs": [-rng.random() * 5 for _ in range(4)],
            "count": rng.randint(0, 10**6),
        }
        for _ in range(200)
    ]
    assert NEW.scan(json.dumps(records)) == []
    records[50]["note"] = "card 4111 1111 1111 1111"
    records[120]["ssn"] = "123-45-6789"
    found = NEW.scan(json.dumps(records))
    assert sorted(f.kind for f in found) == ["credit_card", "us_ssn"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("call 1712345678 today", "phone"),  # a bare number after a phone word
        ('{"mobileNumber": 2125551234}', "phone"),
        ("Contact Isabel at isabel@mailhost.com or 2125551234", "phone"),
        ("ts 1712345678901 4111 1111 1111 1111", "credit_card"),  # after a timestamp
        ("1712345678901\\n4111111111111111", "credit_card"),
        ("a.4111111111111111", "credit_card"),  # a sentence's period, not a fraction
        ("ssn:123456789", "us_ssn"),
        ("phone 0201234567", "phone"),
        # a card after a run whose first group is a decimal's or a dashed token's tail
        ("0.0-1712345678 4111 1111 1111 1111", "credit_card"),
        ("[ssn 0.0-1712345678 4111 1111 1111 1111", "credit_card"),
        ("ab-1712345678 4111 1111 1111 1111", "credit_card"),
    ],
)
def test_numbers_next_to_values_do_not_hide_them(text: str, kind: str) -> None:
    assert kind in {f.kind for f in NEW.scan(text)}
    assert spans(NEW.scan(text)) == spans(OLD.scan(text))


@pytest.mark.parametrize(
    "text",
    ["0.4111111111111111", "score 0.123456789", "0.2125551234", '"created": 1712345678'],
)
def test_fractions_and_timestamps_are_not_values(text: str) -> None:
    assert NEW.scan(text) == [] == OLD.scan(text)


@pytest.mark.parametrize(
    "text",
    ["Tél : 4155238866", "número 4155238866", "numéro: 4155238866", "Móvil 4155238866"],
)
def test_phone_words_with_accents_still_open_the_gate(text: str) -> None:
    assert [f.kind for f in NEW.scan(text)] == ["phone"]


def test_ascii_letters_do_not_stand_in_for_the_accented_ones_of_phone_words() -> None:
    # "first last" once read as "t l" = "tél" and made a 10-digit fraction a gate candidate.
    gate = re2.compile(_PHONE_GATE)
    assert gate.search('"title": "first last", "score": 0.4054193295') is None
    assert gate.search("Tél : 4155238866") is not None
    assert gate.search("T?l 4155238866") is not None  # text folded to "?"
    record = '{"title": "first last", "score": 0.4054193295}'
    assert NEW.is_clean_ascii(record.encode())
