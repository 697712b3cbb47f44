"""Stem tables to RE2 patterns, for vocabularies written in any script.

A stem is written as a speaker writes it. In a stem a space stands for any run of blanks
and punctuation, and ``*`` for letters that may follow (an inflected ending inside a
phrase); a stem may run on at its end. With ``word_start`` a stem must begin at a word;
scripts written without spaces between words (Chinese, Japanese) match anywhere.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable

import re2

__all__ = ["CLAUSE_END", "SEPARATOR", "clauses_of", "stem_pattern"]

# Blanks and punctuation separate words. A small explicit class: Unicode letter classes
# would multiply the automata of many languages' stems beyond RE2's DFA budget.
SEPARATOR = (
    "[\\s,.;:!?\u00a1\u00bf'\"()\\[\\]\\-\u2013\u2014\u00ab\u00bb\u201e\u201c\u201d"
    "\u2018\u2019\u2026/\u3001\u3002\uff0c\uff01\uff1f\uff1a\uff1b\u300c\u300d]"
)
_NOT_SEPARATOR = SEPARATOR[0] + "^" + SEPARATOR[1:]
#: Sentence ends in Latin, Cyrillic and CJK punctuation (commas and colons do not end one).
CLAUSE_END = "[.!?;\\n\u3002\uff01\uff1f\uff1b]+"


def stem_pattern(
    stems: Iterable[str], *, word_start: bool, fold: Callable[[str], str] = str.lower
) -> str:
    """One RE2 alternation for ``stems`` (each folded with ``fold``, as the text will be)."""
    alternatives = []
    for stem in stems:
        parts = []
        for ch in fold(stem):
            if ch == " ":
                parts.append(SEPARATOR + "+")
            elif ch == "*":
                parts.append(_NOT_SEPARATOR + "*")
            else:
                parts.append(re2.escape(ch))
        alternatives.append("".join(parts))
    prefix = "(?:^|" + SEPARATOR + ")" if word_start else ""
    return prefix + "(?:" + "|".join(alternatives) + ")"


def clauses_of(rx: re2._Regexp, view: str, ends: list[int]) -> set[int]:
    """Indexes of the clauses (split at ``ends``) in which ``rx`` matches.

    A word-start match may begin at the separator before the word; its last character is
    in the clause of the stem.
    """
    return {bisect_right(ends, m.end() - 1) for m in rx.finditer(view)}
