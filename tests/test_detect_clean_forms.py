"""The clean check's cheaper patterns (``Detector.clean``) never hide a candidate.

``Scanner.is_clean_ascii`` runs on every response. It first searches an alternation of
each detector's *clean form* (a keyword where the detector's pattern has one, the first
repetitions of a counted group) and passes the text when that finds nothing. That is
sound only if every match of the detector's own pattern contains a match of its clean
form: checked here match by match, on every corpus of the test suite and on texts built
to sit on each form's edges.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from flask_llm_shield.detect import Scanner
from flask_llm_shield.detect._base import has_match
from flask_llm_shield.detect._scanner import DETECTORS

DATA = Path(__file__).parent / "data"

WITH_CLEAN = [d for d in DETECTORS if d.clean or d.clean_gate]


def _corpus() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else {}
            if isinstance(record.get("text"), str):
                texts.append(record["text"])
    return texts


CORPUS = _corpus()

# Texts on the edges of the clean forms: keys glued to prefixes and suffixes, short key
# words at a word start or after a separator, every assignment the password pattern
# reads, digit words, reversal and base64 cues, IBANs in each case, bare ten-digit
# numbers after phone words.
EDGES = [
    "adminPassword=hunter2xyz",
    "db_pass: s3cr3tvalue",
    "app.pwd = 'abcdefgh'",
    "my-pw_x => zzzzzzzz",
    "(senha): minhasenha1",
    "**Password:** `t0pS3cret!`",
    "__pwd__: hunter22",
    "the password is correct-horse",
    'password "quoted value"',
    "IDENTIFIED BY 'dbpass99'",
    "<td>password</td> <td>pa55word</td>",
    '<input name="password" value="v4lue">',
    "<password>hunter2</password>",
    "clientSecret:abc123def",
    "mot de passe: bonjour123",
    "passphrase=\tcorrect horse battery",
    "PGPASSWORD=postgres",
    "Contraseña: hola12345",
    "hasło to tajne123",
    "one two three four five six seven eight nine",
    "zero-one-two-three-four-five-six",
    "eins zwei drei vier fünf sechs sieben",
    "in base64: c2VjcmV0dmFsdWU=",
    "b64 -> c2VjcmV0dmFsdWU=",
    "reversed: 6789-45-321",
    "written backwards: moc.liam@ejna",
    "rückwärts: 4321 8765",
    "umgekehrt gelesen abcd1234",
    "czytaj odwrotnie: 9876 5432",
    "omgekeerd gelezen: 6789-45-321",
    "número invertido 4321 8765",
    "lu à l'envers : 4321 8765",
    "leído al revés: 4321 8765",
    "in inverse order 4321 8765",
    "GB82 WEST 1234 5698 7654 32",
    "de89370400440532013000",
    "DE89 3704 0044 0532 0130 00",
    "fr14 2004 1010 0505 0001 3m02 606",
    "call me at 2125550123",
    "Telefon:\n 3015550199 ext",
    "reach out (mobile) - 4155550134",
]


@pytest.mark.parametrize("detector", WITH_CLEAN, ids=lambda d: d.kind)
def test_every_match_of_a_pattern_holds_a_match_of_its_clean_form(detector: object) -> None:
    pairs = []
    if detector.clean:  # type: ignore[attr-defined]
        exact = detector.combined or detector.pattern  # type: ignore[attr-defined]
        pairs.append((exact, detector.clean))  # type: ignore[attr-defined]
    if detector.clean_gate:  # type: ignore[attr-defined]
        pairs.append((detector.gate, detector.clean_gate))  # type: ignore[attr-defined]
    checked = 0
    for exact_source, clean_source in pairs:
        exact, clean = re2.compile(exact_source), re2.compile(clean_source)
        for text in [*EDGES, *CORPUS]:
            for m in exact.finditer(text):
                checked += 1
                # Within the match's own span (\b still sees the characters around it).
                assert clean.search(text, m.start(), m.end()) is not None, (
                    detector.kind,  # type: ignore[attr-defined]
                    text[max(0, m.start() - 20) : m.end() + 20],
                )
    # The check saw matches of every form (a form no text exercises proves nothing).
    assert checked > 0


def test_the_edges_exercise_every_clean_form() -> None:
    for d in WITH_CLEAN:
        sources = [d.combined or d.pattern] if d.clean else []
        if d.clean_gate:
            sources.append(d.gate)
        for source in sources:
            compiled = re2.compile(source)
            assert any(compiled.search(t) for t in EDGES), (d.kind, source[:60])


def test_clean_pass_agrees_with_the_exact_pass_on_every_corpus_text() -> None:
    scanner = Scanner()
    disagreements = 0
    for text in [*EDGES, *CORPUS]:
        data = text.encode("ascii", "replace")
        if scanner._plain_hit is not None and scanner._plain_hit(data):
            assert scanner._clean_hit is not None
            assert scanner._clean_hit(data), text[:80]
        if scanner.is_clean_ascii(data):
            disagreements += bool(scanner.scan(data.decode("ascii")))
    assert disagreements == 0


def test_has_match_answers_as_search_does() -> None:
    for source in (rb"\d{3}-\d{2}-\d{4}", rb"", rb"^$", rb"\bword\b", rb"(?i)KEY"):
        compiled = re2.compile(source)
        found = has_match(compiled)
        for data in (b"", b"x", b"123-45-6789", b"a word.", b"sword", b"key", b"\xff\xfe"):
            assert found(data) == (compiled.search(data) is not None), (source, data)


class _NoInnerRegexp:
    """A compiled pattern without the RE2 object ``has_match`` reaches for."""

    def __init__(self, source: bytes) -> None:
        self._compiled = re2.compile(source)

    def search(self, data: bytes) -> object:
        return self._compiled.search(data)


def test_has_match_falls_back_to_search() -> None:
    found = has_match(_NoInnerRegexp(rb"abc"))
    assert found(b"xxabcxx")
    assert not found(b"ab c")


def test_remembered_verdicts_are_only_clean_ones_and_bounded() -> None:
    scanner = Scanner()
    block = b"Content-Type: application/json"
    assert scanner.is_clean_ascii(block, remember=True)
    assert scanner.is_clean_ascii(block, remember=True)
    leaking = b"X-Debug: ssn 536-22-1234"
    assert not scanner.is_clean_ascii(leaking, remember=True)
    assert not scanner.is_clean_ascii(leaking, remember=True)
    for i in range(600):
        scanner.is_clean_ascii(b"X-Id: r%d" % i, remember=True)
    assert len(scanner._remembered) <= 256
    # What is kept is a keyed hash, never the header bytes.
    assert all(isinstance(k, tuple) and len(k) == 2 for k in scanner._remembered)


words = st.sampled_from(
    "password pass pwd secret one two three base64 reverse backwards hex call phone "
    "de89 GB82 1234567890 2125550123 = : is to \" ' ) * _ - . \n , / x".split(" ")
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(words, min_size=1, max_size=14), st.sampled_from([" ", "", "\t", "_", "-"]))
def test_clean_forms_hold_on_texts_built_from_their_parts(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    for d in WITH_CLEAN:
        if d.clean:
            exact, clean = re2.compile(d.combined or d.pattern), re2.compile(d.clean)
            for m in exact.finditer(text):
                assert clean.search(text, m.start(), m.end()) is not None, (d.kind, text)
        if d.clean_gate:
            exact, clean = re2.compile(d.gate), re2.compile(d.clean_gate)
            for m in exact.finditer(text):
                assert clean.search(text, m.start(), m.end()) is not None, (d.kind, text)


def test_a_scanner_whose_detectors_have_no_clean_form_still_finds() -> None:
    # The clean pattern is then the exact one (the same object): a hit is a candidate.
    spec = {"kind": "staff_badge", "pattern": r"\bEMP-\d{6}\b", "category": "identifier"}
    only = Scanner(extra=[spec], kinds=["staff_badge"])
    assert only._clean_hit is only._plain_hit
    assert not only.is_clean_ascii(b'{"answer": "badge EMP-482913"}')
    assert only.is_clean_ascii(b'{"answer": "badge EMP-4829"}')
