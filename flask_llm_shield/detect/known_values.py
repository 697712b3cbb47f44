"""Exact matching of values the application itself marked sensitive.

Withheld values (a name, an address, a note) have no recognisable shape, so the only way to
catch them in a reply is to look for them. All values are compiled into one RE2
alternation, so matching is a single linear pass whatever the number of values. Each value
matches

- verbatim and case-folded (``Jane Roe`` also finds ``JANE ROE``),
- whitespace-insensitively when it has several words (``Jane  Roe``, ``Jane\\nRoe``),
  with other separators or none between them (``jane.roe``, ``Jane_Roe``, ``Jane+Roe``,
  ``**Jane** Roe``, ``JaneRoe``),
- digits-only when it is mostly digits (a phone ``555-123-4567`` also finds
  ``5551234567`` and ``(555) 123 4567``).

Values shorter than :data:`MIN_LENGTH` characters (after trimming) are ignored: they
would match inside ordinary words and numbers and flood every response with alarms.
"""

from __future__ import annotations

from collections.abc import Iterable

import re2

from ._base import char_after, char_before, compile_private

#: Shortest value, in characters, that is matched; shorter values are ignored.
MIN_LENGTH = 4
#: Longest value matched; longer values are matched on their first MAX_LENGTH characters.
MAX_LENGTH = 512
# Separators tolerated between the digits of a mostly-digit value and between words.
_DIGIT_GAP = r"[\s\-.()/+]{0,3}"
# Between the words of a value: whitespace, or what a writer puts there instead (a
# hyphen, underscore, dot, "+" that a query string decodes to a space, Markdown's
# emphasis and code marks), or nothing ("742EvergreenTerrace").
_SPACE_GAP = r"[\s\-_+.*~`]{0,4}"


def _mostly_digits(value: str) -> bool:
    alnum = [c for c in value if c.isalnum()]
    digits = sum(c.isdigit() for c in alnum)
    return digits >= 6 and digits >= 0.6 * len(alnum)


def _value_pattern(value: str) -> str:
    if _mostly_digits(value):
        # An opening parenthesis (area codes) belongs to the value when present.
        return r"\(?" + _DIGIT_GAP.join(c for c in value if c.isalnum())
    words = value.split()
    return _SPACE_GAP.join(re2.escape(w) for w in words)


class KnownValueMatcher:
    """Finds any of a set of values in a text in one pass."""

    __slots__ = ("_regex", "max_len", "values")

    def __init__(self, values: Iterable[str]) -> None:
        cleaned: set[str] = set()
        for raw in values:
            value = " ".join(str(raw).split())[:MAX_LENGTH]
            if len(value) >= MIN_LENGTH:
                cleaned.add(value)
        self.values: frozenset[str] = frozenset(cleaned)
        # Longest alternatives first so that "Jane Roe" wins over "Jane" at one position.
        ordered = sorted(cleaned, key=len, reverse=True)
        self._regex = (
            compile_private("(?i)(?:" + "|".join(_value_pattern(v) for v in ordered) + ")")
            if ordered
            else None
        )
        #: Longest match, in folded characters (gaps included).
        self.max_len = max((len(v) * 4 for v in ordered), default=0)

    @property
    def pattern(self) -> str | None:
        """The one pattern of every value (``None`` without values)."""
        return None if self._regex is None else str(self._regex.pattern)

    def __bool__(self) -> bool:
        return self._regex is not None

    def find(self, text: str | bytes) -> list[tuple[int, int]]:
        """Spans of every known value in *text* (non-overlapping, left to right)."""
        if self._regex is None:
            return []
        return [m.span() for m in self._regex.finditer(text)]

    @staticmethod
    def bounded(text: str, start: int, end: int) -> bool:
        """Whether a match stands alone rather than inside a longer word or number."""
        first, last = text[start], text[end - 1]
        b, a = char_before(text, start), char_after(text, end)
        if first.isalnum() and b.isalnum() and (b.isdigit() == first.isdigit()):
            return False
        return not (last.isalnum() and a.isalnum() and (a.isdigit() == last.isdigit()))
