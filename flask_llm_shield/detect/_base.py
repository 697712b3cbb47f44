"""The shape every pattern detector shares, and small validation helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import re2

#: ``validate(text, start, end)`` receives a candidate match and returns the span of the
#: sensitive value (often narrower than the match, which may include context words), a
#: list of spans (when one candidate holds several values), or ``None`` to reject it. A
#: detector that reports several kinds (see ``Detector.kinds``) returns a list of
#: ``(start, end, kind)``.
Validator = Callable[
    [str, int, int],
    "tuple[int, int] | list[tuple[int, int]] | list[tuple[int, int, str]] | None",
]


@dataclass(frozen=True, slots=True)
class Detector:
    """A candidate pattern (RE2 syntax, no capture groups) and its validator.

    :param max_len: the longest span the detector can report, in folded characters; it
        sizes the streaming window.
    :param kinds: for a detector that reports several kinds (its validator returns
        ``(start, end, kind)``), those kinds; it runs when any of them is enabled.
    :param combined: the candidate pattern of the scanner's one combined pass, when it can
        be narrower than ``pattern``: it may leave out candidates that ``validate`` rejects
        whatever the text (a digit run right after ``<digit>.`` is a fraction), and may
        start one or two characters early to see that left context, which the scanner
        strips. Everything else it must still match. Empty: ``pattern`` itself.
    :param gate: candidates that ``combined`` leaves out because only a word before them
        makes them valid (a bare ten-digit number after "call"): a pattern matching that
        word up to such a candidate. Its matches make the scanner run ``pattern`` around
        them. Empty: none.
    :param need: a pattern that every candidate ``validate`` can accept contains a match
        of (the obfuscated forms of a format need their obfuscation): text in which it
        matches nowhere gives the detector nothing, so text dense with candidates skips
        its pass. Empty: every candidate may count.
    :param stream_gate: for a pattern whose prefix check is costly (long gaps after a
        keyword), words one of which a stream's tail must hold before that check runs. A
        prefix without any of them lies within the last word, which the prefixes of the
        address patterns hold anyway. Empty: always checked.
    :param clean: for the clean check alone (``Scanner.is_clean_ascii``, run on every
        response): a pattern that matches inside every match of ``combined`` (or
        ``pattern``): its leading keywords, or its first repetitions. Keyword windows
        and counted repetitions multiply the states of the one automaton every pattern
        shares, which then no longer stays in the CPU's caches; the smaller form keeps
        the clean pass fast, and a hit sends the text to the exact pass. Empty: the
        pattern itself.
    :param clean_gate: the same for ``gate``.
    """

    kind: str
    pattern: str
    validate: Validator
    max_len: int
    kinds: frozenset[str] = frozenset()
    combined: str = ""
    gate: str = ""
    stream_gate: str = ""
    clean: str = ""
    clean_gate: str = ""
    need: str = ""

    def reports(self, enabled: frozenset[str]) -> bool:
        """Whether a scanner reporting the *enabled* kinds runs this detector."""
        return self.kind in enabled or not self.kinds.isdisjoint(enabled)


def regex_tokens(source: str) -> Iterator[tuple[int, str]]:
    """Split RE2 source into ``(offset, token)``: an escape (``\\x``), a whole bracket
    expression (``[...]``, where a ``]`` right after ``[`` or ``[^`` is literal), or one
    character. Code that rewrites patterns walks these, so escapes and classes stay intact.
    """
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            yield i, source[i : i + 2]
            i += 2
        elif ch == "[":
            j = i + 1
            if source.startswith("^", j):
                j += 1
            if source.startswith("]", j):
                j += 1
            while j < n and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            yield i, source[i : j + 1]
            i = j + 1
        else:
            yield i, ch
            i += 1


def extend(text: str, end: int, alphabet: re.Pattern[str], limit: int) -> int:
    """Move *end* forward over a run of *alphabet* (a ``[...]*`` pattern), at most to
    *limit*.

    Candidate patterns match only a bounded prefix of long tokens: unbounded repetition
    in the combined pattern would let RE2 scan ahead to the end of any long run after
    every match (quadratic). Validators extend the span here instead, within the cap.
    """
    run = alphabet.match(text, end, min(len(text), limit))
    return run.end() if run else end


def compile_private(pattern: str, options: Any = None) -> Any:
    """``re2.compile`` for a pattern that holds a request's data (withheld values, system
    prompts, canaries): google-re2's ``compile`` keeps its last 128 patterns in a
    process-wide cache, which would keep those values alive after the request. Compiled
    here without the cache (its class directly, or the cache emptied where this version
    of google-re2 has no such class)."""
    options = options if options is not None else re2.Options()
    regexp = getattr(re2, "_Regexp", None)
    if regexp is not None:
        return regexp(pattern, options)
    compiled = re2.compile(pattern, options)  # pragma: no cover - other google-re2 versions
    re2.purge()  # pragma: no cover
    return compiled  # pragma: no cover


#: The unanchored mode of google-re2's compiled object (see has_match, match_spans).
UNANCHORED: Any = getattr(
    getattr(getattr(getattr(re2, "_re2", None), "RE2", None), "Anchor", None), "UNANCHORED", None
)


def matches(compiled: Any, data: bytes) -> bool:
    """Whether RE2 pattern *compiled* matches anywhere in *data*, in one call to RE2 (see
    :func:`has_match`, which also looks the call up once for a pattern asked often)."""
    match = getattr(getattr(compiled, "_regexp", None), "Match", None)
    if match is None or UNANCHORED is None:
        return compiled.search(data) is not None
    return bool(match(UNANCHORED, data, 0, len(data))[0][1] >= 0)


def has_match(compiled: Any) -> Callable[[bytes], bool]:
    """A function telling whether RE2 pattern *compiled* matches anywhere in some bytes.

    ``compiled.search`` builds a generator, converts offsets and wraps a match object:
    about a microsecond, paid on every response by the clean checks. The RE2 object
    under it answers in one call; where this version of google-re2 does not offer it,
    ``search`` does the same job.
    """
    regexp = getattr(compiled, "_regexp", None)
    match = getattr(regexp, "Match", None)
    unanchored = UNANCHORED
    if match is None or unanchored is None:
        return lambda data: compiled.search(data) is not None

    def found(data: bytes) -> bool:
        return bool(match(unanchored, data, 0, len(data))[0][1] >= 0)

    return found


B64URL = re.compile(r"[A-Za-z0-9_\-]*")
ALNUM = re.compile(r"[A-Za-z0-9]*")
ALNUM_UNDERSCORE = re.compile(r"[A-Za-z0-9_]*")


_NOT_DIGITS = re.compile(r"[^0-9]+")
# Validators run per candidate, thousands of times on text dense with values: on ASCII
# strings, deleting or mapping bytes through a table is several times cheaper than a regex
# substitution or a loop in Python.
_NOT_DIGIT_BYTES = bytes(c for c in range(256) if not 48 <= c <= 57)
# A digit's contribution to the Luhn sum when doubled, as a byte value.
_LUHN_DOUBLED = bytes.maketrans(b"0123456789", bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9)))


def digits_of(value: str) -> str:
    """The ASCII digits of *value*, in order."""
    if value.isascii():
        return value.encode("ascii").translate(None, _NOT_DIGIT_BYTES).decode("ascii")
    return _NOT_DIGITS.sub("", value)


def luhn_ok(digits: str) -> bool:
    """Whether *digits* passes the Luhn check used by payment cards."""
    if digits.isascii() and digits.isdigit():
        kept = digits[::-2].encode("ascii")
        doubled = digits[-2::-2].encode("ascii").translate(_LUHN_DOUBLED)
        return (sum(kept) - 48 * len(kept) + sum(doubled)) % 10 == 0
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# The wrapper's finditer builds a match object (and a generator frame) per match: on text
# dense with candidates that costs more than RE2's search itself. Its underlying compiled
# object answers one search with the spans directly; used when present (google-re2 keeps
# it as ``_regexp``), else the public API.


def match_spans(regex: Any, data: bytes, pos: int, endpos: int) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each match of *regex* in ``data[pos:endpos]``, exactly as
    ``regex.finditer(data, pos, endpos)`` would give them."""
    raw = getattr(regex, "_regexp", None)
    if raw is None or UNANCHORED is None:
        for m in regex.finditer(data, pos, endpos):
            yield m.span()
        return
    endpos = max(0, min(endpos, len(data)))
    pos = max(0, min(pos, len(data)))
    if pos > endpos:
        return
    search = raw.Match
    anchor = UNANCHORED
    while True:
        span = search(anchor, data, pos, endpos)[0]
        if span[0] < 0:
            return
        yield span
        if pos == endpos:
            return
        # an empty match: step over one byte, as finditer does
        pos = pos + 1 if span[1] == pos else span[1]


class ContextPattern:
    """A stdlib pattern that validators search in short slices of text (the words before
    a candidate), once per candidate.

    On ASCII text (nearly every slice) RE2 gives the same answer several times faster
    than CPython's engine, above all with ``IGNORECASE``. Where the two read ASCII
    differently the RE2 form spells out CPython's meaning: ``\\s`` (CPython also counts
    ``\\x0b`` and ``\\x1c``-``\\x1f`` as spaces) and ``$`` (CPython also matches before
    a final newline). Characters that fold to an ASCII letter are refused. Other text is
    searched with the stdlib pattern.
    """

    __slots__ = ("_ascii", "_text")

    def __init__(self, source: str) -> None:
        self._text = re.compile(source)
        self._ascii = has_match(re2.compile(_re2_source(source)))

    def found(self, text: str) -> bool:
        """Whether the pattern occurs in *text*."""
        if text.isascii():
            return self._ascii(text.encode("ascii"))
        return self._text.search(text) is not None


# What CPython's \s matches in ASCII text.
_ASCII_SPACES = "\\t\\n\\x0b\\f\\r\\x1c-\\x1f "


def _re2_source(source: str) -> str:
    """*source* (stdlib syntax) as RE2 reads it with the same meaning on ASCII text."""
    # RE2 reads no \\uXXXX escape: the character itself means the same to both.
    source = _UNICODE_ESCAPE.sub(lambda m: m[1] + re.escape(chr(int(m[2], 16))), source)
    out: list[str] = []
    for _, token in regex_tokens(source):
        folds = not token.startswith("\\") and any(
            re.fullmatch(re.escape(c), a, re.IGNORECASE)
            for c in token
            if not c.isascii()
            for a in _ASCII_LETTERS
        )
        bracket = token.startswith("[")
        if folds or token == "\\Z" or (bracket and ("\\S" in token or "\\\\" in token)):
            raise ValueError(f"ContextPattern cannot run {token!r} through RE2 on ASCII")
        if token == "$":
            token = "(?:\\n?$)"
        elif token == "\\s":
            token = f"[{_ASCII_SPACES}]"
        elif token == "\\S":
            token = f"[^{_ASCII_SPACES}]"
        elif bracket:
            token = token.replace("\\s", _ASCII_SPACES)
        out.append(token)
    return "".join(out)


_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9A-Fa-f]{4})")
_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# Outside the text we answer NUL rather than "", because `"" in "-./"` is true.
def char_before(text: str, pos: int) -> str:
    """The character before *pos*, or NUL at the start of the text."""
    return text[pos - 1] if pos > 0 else "\0"


def char_after(text: str, pos: int) -> str:
    """The character at *pos*, or NUL past the end of the text."""
    return text[pos] if pos < len(text) else "\0"


def context_before(text: str, pos: int, width: int = 40) -> str:
    """The lower-cased *width* characters before *pos*."""
    return text[max(0, pos - width) : pos].lower()


_PLACEHOLDER_WORDS = (
    "example",
    "xxxx",
    "your",
    "placeholder",
    "dummy",
    "sample",
    "redacted",
    "insert",
    "token",
    "secret",
    "12345678",
    "abcdefgh",
    "...",
    "***",
    "<",
    ">",
)


def looks_random(body: str, *, min_distinct: int = 8) -> bool:
    """Whether *body* looks like generated key material rather than a placeholder.

    Real keys are uniformly random over their alphabet, so they have many distinct
    characters, no long runs and no words such as ``EXAMPLE`` or ``xxxx``; documentation
    placeholders fail at least one of those.
    """
    if len(set(body)) < min(min_distinct, max(2, len(body) // 3)):
        return False
    # Placeholders are written in one case ("your_token", "EXAMPLE", "YourKey"); a
    # hand-made random-looking key such as "AbCdEfGhIj" alternates case and is not one.
    if any(
        word in body or word.upper() in body or word.capitalize() in body
        for word in _PLACEHOLDER_WORDS
    ):
        return False
    same = rising = 1
    for prev, cur in pairwise(body):
        same = same + 1 if cur == prev else 1
        rising = rising + 1 if cur.isalnum() and ord(cur) == ord(prev) + 1 else 1
        if same >= 6 or rising >= 6:  # "xxxxxx", "123456", "abcdef"
            return False
    return True
