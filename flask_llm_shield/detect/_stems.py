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

__all__ = ["CLAUSE_END", "TO_SPACE", "clauses_of", "stem_pattern"]

# Blanks and punctuation separate words. Texts are matched after :data:`TO_SPACE` turns
# each of these into a plain space (one character for one: offsets do not move), so the
# patterns need no large Unicode classes and RE2's automata stay small.
_SEPARATORS = (
    " \t\n\r\f\v\u00a0,.;:!?\u00a1\u00bf'\"()[]-\u2013\u2014\u00ab\u00bb\u201e\u201c\u201d"
    "\u2018\u2019\u2026/\u3000\u3001\u3002\uff0c\uff01\uff1f\uff1a\uff1b\u300c\u300d"
)
TO_SPACE = str.maketrans(dict.fromkeys(_SEPARATORS, " "))
#: Sentence ends in Latin, Cyrillic and CJK punctuation (commas and colons do not end one).
#: Find them before :data:`TO_SPACE` erases them.
#: A Latin full stop ends one only before a blank or the end ("box.example" goes on).
CLAUSE_END = "[.!?;]+(?:\\s|$)|[\n\u3002\uff01\uff1f\uff1b]+"


def stem_pattern(
    stems: Iterable[str],
    *,
    word_start: bool,
    fold: Callable[[str], str] = str.lower,
    gap: str = " +",
) -> str:
    """One RE2 alternation for ``stems``, each folded with ``fold`` as the text will be.

    The text is expected with separators turned into spaces (:data:`TO_SPACE`); ``gap`` is
    what stands between the words of a stem.
    """
    alternatives = []
    for stem in stems:
        parts: list[str] = []
        for ch in fold(stem).translate(TO_SPACE):
            if ch == " ":
                if not parts or parts[-1] != gap:
                    parts.append(gap)
            elif ch == "*":
                parts.append("[^ ]*")
            else:
                parts.append(re2.escape(ch))
        alternatives.append("".join(parts))
    prefix = "(?:^| )" if word_start else ""
    return prefix + "(?:" + "|".join(alternatives) + ")"


def clauses_of(rx: re2._Regexp, view: str, ends: list[int]) -> set[int]:
    """Indexes of the clauses (split at ``ends``) in which ``rx`` matches.

    A word-start match may begin at the separator before the word; its last character is
    in the clause of the stem.
    """
    return {bisect_right(ends, m.end() - 1) for m in rx.finditer(view)}
