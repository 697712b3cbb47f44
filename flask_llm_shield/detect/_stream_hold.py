"""How much of a stream's end may still become part of a finding.

A guarded stream sends a character once no finding can still contain it. A finding not
complete yet is a prefix of some detector's candidate (or of a known value, a canary, a
run of system-prompt words), so the hold starts at the earliest position from which the
rest of the text is such a prefix:

- one end-anchored RE2 search of the prefix closures (:mod:`._prefix`) of every enabled
  candidate pattern, leak marker and known value; RE2 runs it backwards from the end, so
  it costs what the unfinished part costs, not the tail's length. Patterns with long
  keyword-led gaps are only asked when their keyword is in the tail
  (``Detector.stream_gate``);
- a canary whose beginning ends the text, and the trailing words that continue a
  registered system prompt;
- a complete candidate that ends close to the end: validators look a few characters past
  a candidate (``ssn`` after a bare number, a card continuing after a separator), so it
  is held until that look-ahead has arrived;
- the long formats with a fixed opener (PEM blocks, JWTs), from the opener on, within
  their cap.

For prose that is the last word or two.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import re2

from ._base import UNANCHORED, compile_private
from ._base import matches as _found
from ._prefix import literal_openers, pattern_bytes, pattern_width, prefix_pattern
from .normalize import _INVISIBLE

if TYPE_CHECKING:
    from ._base import Detector

#: Characters a validator may read past the end of its candidate (the longest: context
#: after a bare nine-digit SSN, 32; a card's swallowed-start search, 40).
LOOKAHEAD = 48

#: Long formats and the text every finding of theirs starts with (after folding): their
#: candidate pattern matches only the opener, the validator extends it up to the cap.
OPENERS: dict[str, tuple[str, ...]] = {
    "jwt": ("eyJ",),
    "private_key": ("-----BEGIN",),
    "mongodb_uri": ("mongodb",),
    "bearer_token": ("Bearer", "bearer", "BEARER"),
    "pypi_token": ("pypi-",),
}

_WORD = re.compile(r"\w+")
# Trailing words of a tail checked against registered prompts: a longer run of prompt
# words is a finding already (prompt_leak's run rule), so never more than this.
_PROMPT_WORDS = 16


def _options() -> Any:
    options = re2.Options()
    options.max_mem = 64 << 20
    return options


def _prefix_or_any(pattern: str, width: int) -> str:
    """The prefix closure of *pattern*; for a pattern it cannot read, anything up to
    *width* characters (holds more, never less)."""
    try:
        return prefix_pattern(pattern)
    except (ValueError, TypeError, re.error, OverflowError):
        return f"(?s:.){{0,{max(width, 1)}}}"


def _width(pattern: str, fallback: int) -> int:
    """The longest match of *pattern* (*fallback* when unbounded or unreadable)."""
    try:
        hi = pattern_width(pattern)
    except (re.error, OverflowError, TypeError, ValueError):
        return fallback
    return hi if hi < (1 << 16) else fallback


def _compile_end(prefix: str) -> Any:
    return re2.compile(f"(?:{prefix})$", _options())


def _bytes_or_all(pattern: str) -> bytes:
    try:
        return pattern_bytes(pattern)
    except (ValueError, TypeError, re.error, OverflowError):
        return bytes(range(128))


def _end_start(regex: Any, data: bytes) -> int:
    """Start of the leftmost match of an end-anchored *regex* in *data* (``len``: none).

    Straight to the compiled RE2 object: the Python wrapper's match objects cost more
    than the backwards search itself.
    """
    spans = regex._regexp.Match(UNANCHORED, data, 0, len(data))
    start = spans[0][0]
    return len(data) if start < 0 else int(start)


class PrefixSet:
    """The prefix checks of one set of patterns, compiled once (per engine and set).

    One regex per pattern: RE2 runs each backwards from the end and stops where it can no
    longer match, a few characters into prose. The union of them all would be one search,
    but its automaton is the product of theirs and costs a hundred times more per call.
    So that prose costs a handful of calls, a pattern is only asked when the text's last
    byte may occur in its matches, and a pattern that starts with a fixed opener (``ghp_``,
    ``AKIA``, ``eyJ``) only when the opener is in the text: before that, its unfinished
    matches are beginnings of the opener, which one search over all openers finds.
    """

    __slots__ = (
        "any_gate",
        "any_long",
        "by_last",
        "long_openers",
        "opener_partial",
        "openers",
        "width",
    )

    def __init__(self, detectors: list[Detector], leak_patterns: tuple[str, ...]) -> None:
        # (bytes that may occur, gate or None, gate is an opener, end regex)
        checks: list[tuple[bytes, Any, bool, Any]] = []
        all_openers: list[str] = []
        width = 1
        #: (opener, cap) of the long formats: held from the opener on, within the cap.
        self.long_openers: list[tuple[str, int]] = []
        for d in detectors:
            width = max(width, _width(d.pattern, d.max_len))
            self.long_openers.extend((o, d.max_len) for o in OPENERS.get(d.kind, ()))
            pre = _compile_end(_prefix_or_any(d.pattern, d.max_len))
            openers = literal_openers(d.pattern)
            gate: Any = None
            if d.stream_gate:
                gate = re2.compile(d.stream_gate, _options())
            elif openers:
                all_openers.extend(openers)
                gate = re2.compile("|".join(re2.escape(o) for o in openers), _options())
            checks.append(
                (_bytes_or_all(d.pattern), gate, bool(openers and not d.stream_gate), pre)
            )
        for pattern in leak_patterns:
            width = max(width, _width(pattern, 128))
            pre = _compile_end(_prefix_or_any(pattern, 128))
            checks.append((_bytes_or_all(pattern), None, False, pre))
        #: For each last byte (non-ASCII reads as ``?``), the checks that may apply.
        self.by_last: list[list[tuple[Any, bool, Any]]] = [
            [(gate, by_opener, pre) for allowed, gate, by_opener, pre in checks if b in allowed]
            for b in range(128)
        ]
        gates = sorted({d.stream_gate for d in detectors if d.stream_gate})
        #: Any stream gate at all: one search instead of one per gated pattern.
        self.any_gate: Any = (
            re2.compile("|".join(f"(?:{g})" for g in gates), _options()) if gates else None
        )
        longs = sorted({o for o, _ in self.long_openers})
        self.any_long: Any = (
            re2.compile("|".join(re2.escape(o) for o in longs), _options()) if longs else None
        )
        escaped = "|".join(re2.escape(o) for o in sorted(set(all_openers)))
        self.openers: Any = re2.compile(escaped, _options()) if escaped else None
        self.opener_partial: Any = (
            _compile_end(prefix_pattern(f"(?:{escaped})")) if escaped else None
        )
        #: The longest candidate: no unfinished one starts further back.
        self.width = width

    def start(self, data: bytes) -> int:
        """Where the earliest unfinished candidate in *data* starts (``len(data)``: none)."""
        n = len(data)
        if not n:
            return n
        best = n
        any_opener = self.openers is not None and _found(self.openers, data)
        if self.opener_partial is not None:
            best = _end_start(self.opener_partial, data)
        any_gate = self.any_gate is not None and _found(self.any_gate, data)
        for gate, by_opener, pre in self.by_last[data[-1] & 0x7F]:
            if gate is not None:
                if not (any_opener if by_opener else any_gate) or not _found(gate, data):
                    continue
            best = min(best, _end_start(pre, data))
        return best

    def opener_start(self, data: bytes, ntext: str) -> int:
        """Where the last opener of a long format within its cap starts (``len``: none).

        *data* and *ntext* are the same text, as the scanner's bytes and as ``str``.
        """
        n = len(ntext)
        best = n
        if self.any_long is None or not _found(self.any_long, data):
            return best
        for opener, cap in self.long_openers:
            at = ntext.rfind(opener, max(0, n - cap))
            if 0 <= at < best:
                best = at
        return best


class ValuePrefixes:
    """The prefix checks of one scanner's known values, canaries and system prompts."""

    __slots__ = ("prompts", "regex", "width")

    def __init__(
        self, known_pattern: str | None, known_width: int, canaries: tuple[str, ...],
        prompts: tuple[str, ...],
    ) -> None:  # fmt: skip
        parts: list[str] = []
        width = 1
        if known_pattern:
            parts.append(_prefix_or_any(known_pattern, known_width))
            width = max(width, known_width)
        for canary in canaries:
            folded = canary.strip()
            if folded:
                parts.append("(?i:" + prefix_pattern(re2.escape(folded)) + ")")
                width = max(width, len(folded))
        self.regex: Any = (
            compile_private("(?:" + "|".join(f"(?:{p})" for p in parts) + ")$", _options())
            if parts
            else None
        )
        self.width = width
        #: Each prompt's words and, per word, where it occurs.
        self.prompts: list[tuple[list[str], dict[str, list[int]]]] = []
        for prompt in prompts:
            words = _WORD.findall(prompt.casefold())
            where: dict[str, list[int]] = {}
            for i, w in enumerate(words):
                where.setdefault(w, []).append(i)
            if words:
                self.prompts.append((words, where))

    def start(self, data: bytes, text: str) -> int:
        """Where the earliest unfinished value in the tail starts (``len``: none).

        *data* is the tail as the scanner's bytes, *text* as folded text (same length).
        """
        best = len(data)
        if self.regex is not None:
            best = _end_start(self.regex, data)
        if self.prompts:
            best = min(best, self._prompt_start(text))
        return best

    def _prompt_start(self, text: str) -> int:
        """Start of the trailing words that continue some prompt's words in order (the
        last one may be unfinished: a prefix of a prompt word)."""
        tail = text[-_PROMPT_WORDS * 24 :]
        offset = len(text) - len(tail)
        matches = list(_WORD.finditer(tail.casefold()))[-_PROMPT_WORDS:]
        if not matches:
            return len(text)
        best = len(text)
        ends_in_word = matches[-1].end() == len(tail)
        for words, where in self.prompts:
            # Positions in the prompt where the current suffix of tail words ends.
            last = matches[-1].group()
            if ends_in_word:
                ends = [i for i, w in enumerate(words) if w.startswith(last)]
            else:
                ends = list(where.get(last, ()))
            k = 1
            start = matches[-1].start() if ends else len(tail)
            while ends and k < len(matches):
                prev = matches[-1 - k].group()
                ends = [i for i in ends if i - k >= 0 and words[i - k] == prev]
                if ends:
                    start = matches[-1 - k].start()
                    k += 1
            best = min(best, offset + start)
        return best


#: Invisible characters kept in a row by :func:`squeeze_invisible`.
INVISIBLE_RUN = 8
_INVISIBLE_RUN_RE = re.compile(f"[{_INVISIBLE}]+")


def squeeze_invisible(text: str, carried: int) -> tuple[str, int]:
    """*text* with every run of invisible characters (zero-width spaces and joiners, soft
    hyphens: what the scanner drops before matching) cut to :data:`INVISIBLE_RUN`.

    *carried* is the length of the run that ended the previous piece of the stream; the
    length of the run ending *text* is returned with it. Padding a value with hundreds of
    them between its characters would stretch it beyond any hold-back window while the
    reader sees it whole; eight in a row are more than any real text needs (a joiner in an
    emoji sequence is one).
    """
    if not carried and (text.isascii() or _INVISIBLE_RUN_RE.search(text) is None):
        return text, 0
    out: list[str] = []
    pos = 0
    for m in _INVISIBLE_RUN_RE.finditer(text):
        start, end = m.span()
        if start > pos:
            out.append(text[pos:start])
            carried = 0
        keep = max(0, INVISIBLE_RUN - carried)
        out.append(text[start : min(end, start + keep)])
        carried += end - start
        pos = end
    if pos < len(text):
        out.append(text[pos:])
        carried = 0
    return "".join(out), carried
