"""Values in encodings an attacker asks a model to use: base64, hex, reversed text, digits
spelled out in words.

Candidates are the places a model writes such an encoding: a base64 or hex run after the
word naming it, a run after "reversed"/"backwards" (in several languages), and a run of
at least seven spelled digits. The validator decodes a bounded view (at most
:data:`MAX_VIEW` characters), keeps the words before it as context, and asks the
ordinary detectors whether the decoded text holds a value; a finding covers the whole
encoded run. Runs elsewhere in a body (hashes, ids) are not decoded: that would put a
decoder behind every long token of every response.
"""

from __future__ import annotations

import base64
import binascii
import re

from . import broken
from ._base import Detector, context_before

MAX_VIEW = 512
#: Longest encoded run reported (it sizes streaming windows).
MAX_SPAN = 400
_B64_RUN = re.compile(r"[A-Za-z0-9+/_\-]{8,300}={0,2}")
_HEX_RUN = re.compile(r"(?:[0-9A-Fa-f]{2}[ :]?){6,120}")
_REVERSED_RUN = re.compile(r"[^\n]{4,200}")

_BASE64_WORD = r"(?i:\bbase ?64|\bb64\b)"
_BASE64 = _BASE64_WORD + r"[^\n]{0,30}?[A-Za-z0-9+/]{8}"
_HEX = (
    r"(?i:\bhex(?:adecimal)?|\bhexadezimal|\bhexad.cimal)[^0-9A-Fa-f]{1,20}"
    r"(?:[0-9A-Fa-f]{2}[ :]?){4}"
)
_REVERSED_WORDS = (
    r"(?i:\brevers|\bbackwards|r.ckw.rts|umgekehrt|\.l'envers|invers|al rev.s|invertid|"
    r"odwrotn|omgekeerd)"
)
_REVERSED = _REVERSED_WORDS + r"[^\n]{0,40}?[0-9A-Za-z]{4}"
# A part of each cue word that starts with a rarer letter (in the clean check, a word that
# may start anywhere keeps the automaton busy after every common letter).
_REVERSED_CLEAN = (
    r"(?i:\brevers|\bbackwards|kw.rts|kehrt|'envers|invers|al rev.s|vertid|dwrot|keerd)"
)

#: Digit words; each language's zero to nine, in order.
DIGIT_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "de": ("null", "eins", "zwei", "drei", "vier", "f\u00fcnf", "sechs", "sieben", "acht", "neun"),
    "fr": ("z\u00e9ro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    "es": ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
    "it": ("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"),
    "pt": ("zero", "um", "dois", "tr\u00eas", "quatro", "cinco", "seis", "sete", "oito", "nove"),
    "nl": ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"),
}
_WORD_VALUE: dict[str, str] = {"oh": "0"}
for _words in DIGIT_WORDS.values():
    for _i, _w in enumerate(_words):
        _WORD_VALUE.setdefault(_w, str(_i))
# In the candidate pattern the words are ASCII ("f?nf" for fünf: non-ASCII reads as "?").
_ASCII_WORDS = sorted({re.sub(r"[^a-z]", ".", w) for w in _WORD_VALUE}, key=len, reverse=True)
_WORD_ALT = "|".join(_ASCII_WORDS)
_SEP = r"[ \t,\-/]{1,3}"
_SPELLED = rf"(?i)\b(?:{_WORD_ALT})(?:{_SEP}(?:{_WORD_ALT})){{6,24}}\b"
# The clean check's forms (Detector.clean): the keyword alone; three digit words.
_SPELLED_CLEAN = rf"(?i)\b(?:{_WORD_ALT})(?:{_SEP}(?:{_WORD_ALT})){{2}}"
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_GROUP_SEP = re.compile(r"\s*[-/]\s*")


def _findings_in(view: str, body_start: int) -> list[tuple[int, int, str]]:
    """Values the ordinary detectors find in *view* past its context."""
    out: list[tuple[int, int, str]] = []
    for kind in broken.KINDS:
        for detector, regex in broken.base_detectors(kind):
            for m in regex.finditer(view):
                result = detector.validate(view, m.start(), m.end())
                spans = [result] if isinstance(result, tuple) else result or []
                out.extend((s, e, kind) for s, e, *_ in spans if e > body_start)
    return out


def _report(
    text: str, start: int, run_start: int, run_end: int, decoded: str
) -> list[tuple[int, int, str]] | None:
    context = context_before(text, start, 60)
    view = f"{context} {decoded[:MAX_VIEW]} "
    found = _findings_in(view, len(context) + 1)
    if not found:
        return None
    return [(run_start, run_end, kind) for kind in dict.fromkeys(k for _, _, k in found)]


def _printable(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text or sum(c.isprintable() or c.isspace() for c in text) < 0.9 * len(text):
        return None
    return text


def _base64(text: str, start: int, end: int) -> list[tuple[int, int, str]] | None:
    # the first run after the cue that decodes to text (skipping "64-encoded" and the like)
    for n, run in enumerate(_B64_RUN.finditer(text, start + 6, min(len(text), end + 310))):
        if n == 4:
            break
        token = run.group()
        padded = token.replace("-", "+").replace("_", "/") + "=" * (-len(token) % 4)
        try:
            raw = base64.b64decode(padded)
        except (binascii.Error, ValueError):
            continue
        decoded = _printable(raw)
        if decoded and len(decoded) >= 4:
            return _report(text, start, *run.span(), decoded)
    return None


def _hex(text: str, start: int, end: int) -> list[tuple[int, int, str]] | None:
    run = _HEX_RUN.search(text, start + 3, min(len(text), end + 370))
    if run is None:
        return None
    digits = re.sub(r"[ :]", "", run.group())
    if len(digits) % 2:
        digits = digits[:-1]
    decoded = _printable(bytes.fromhex(digits))
    return _report(text, start, *run.span(), decoded) if decoded else None


def _reversed(text: str, start: int, end: int) -> list[tuple[int, int, str]] | None:
    # the rest of the line after the cue (after its colon, if any), read backwards
    colon = text.find(":", start, min(len(text), start + 60))
    if colon < 0:
        colon = text.find(" ", start)
    run = _REVERSED_RUN.match(text, colon + 1, min(len(text), colon + 201))
    if run is None:
        return None
    s, e = run.span()
    while s < e and text[s] in " \t`\"'":
        s += 1
    while e > s and text[e - 1] in " \t`\"'.":
        e -= 1
    return _report(text, start, s, e, text[s:e][::-1]) if e - s >= 4 else None


def _spelled(text: str, start: int, end: int) -> list[tuple[int, int, str]] | None:
    digits: list[str] = []
    last = start
    for m in _WORD_RE.finditer(text, start, end):
        value = _WORD_VALUE.get(m.group().lower())
        if value is None:
            return None
        if digits and _GROUP_SEP.fullmatch(text, last, m.start()):
            digits.append("-")
        digits.append(value)
        last = m.end()
    decoded = "".join(digits)
    if sum(c.isdigit() for c in decoded) < 7:
        return None
    return _report(text, start, start, end, decoded)


#: Each candidate may decode to a value of any kind the broken-value detectors know.
DETECTORS: tuple[Detector, ...] = tuple(
    Detector("encoded_value", pattern, validate, MAX_SPAN, frozenset(broken.KINDS), clean=clean)
    for pattern, validate, clean in (
        (_BASE64, _base64, _BASE64_WORD),
        (_HEX, _hex, ""),
        (_REVERSED, _reversed, _REVERSED_CLEAN),
        (_SPELLED, _spelled, _SPELLED_CLEAN),
    )
)
