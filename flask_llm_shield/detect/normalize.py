"""Folding of look-alike text, with a map back to the original offsets.

LLM output and hostile users hide values behind Unicode look-alikes and encodings:
fullwidth digits and Unicode hyphens in an SSN, zero-width spaces inside a card number,
``john%40example.com``, ``&#64;``, ``\\u0040``. :func:`normalize` rewrites such text
into plain ASCII-ish text that the detectors understand and keeps enough bookkeeping to
map every offset in the folded text back to the span of the original text it came from,
so a finding always covers the original, obfuscated characters.

Most text has nothing to fold; :func:`needs_normalizing` answers that at C speed so the
common case costs two string scans.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from dataclasses import dataclass

import re2

#: Characters folded one-to-one (the text keeps its length).
_FOLD: dict[int, str] = {}
for _cp in (*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63, 0xFF0D):
    _FOLD[_cp] = "-"
for _cp in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000):
    _FOLD[_cp] = " "
# Fullwidth ASCII (digits, letters and punctuation such as the fullwidth at sign).
for _cp in range(0xFF01, 0xFF5F):
    _FOLD[_cp] = chr(_cp - 0xFEE0)
_FOLD[0x3002] = "."  # ideographic full stop, used as a "dot" look-alike
_FOLD[0xFF61] = "."
_FOLD[0x2024] = "."  # one dot leader
_FOLD[0xFE6B] = "@"  # small commercial at

#: Characters that disappear entirely (zero-width and invisible formatting).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"

_TRANSLATE = {**_FOLD, **{ord(c): None for c in _INVISIBLE}}

# One pass finds every length-changing construct. Bounded repetitions keep each
# replacement short, which bounds how far an obfuscated value can stretch (see
# :data:`MAX_EXPANSION`).
_CHANGING = re2.compile(
    "[" + _INVISIBLE + "]+"
    r"|%[0-9A-Fa-f]{2}"
    r"|&#[0-9]{1,7};|&#[xX][0-9A-Fa-f]{1,6};|&[A-Za-z][A-Za-z0-9]{1,9};"
    r"|\\u[0-9A-Fa-f]{4}|\\/"
)

#: How many original characters one folded character may come from (``&#x0040;``), used
#: to size streaming windows. Runs of invisible characters are not bounded; a stream that
#: pads a value with hundreds of them between every character is beyond the window.
MAX_EXPANSION = 10


def needs_normalizing(text: str) -> bool:
    """Whether *text* might hold anything :func:`normalize` would change."""
    if text.isascii():
        return "%" in text or "&" in text or "\\" in text
    return True


@dataclass(slots=True)
class Normalized:
    """Folded text plus the segments where it differs in length from the original.

    Each segment is ``(norm_start, norm_end, orig_start, orig_end)``: folded characters
    ``[norm_start, norm_end)`` replace original characters ``[orig_start, orig_end)``.
    """

    text: str
    segments: list[tuple[int, int, int, int]]
    starts: list[int]

    def orig_start(self, pos: int) -> int:
        """Map a start offset in the folded text to the original text."""
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return pos
        _ns, ne, os_, oe = self.segments[i]
        if pos < ne:
            return os_
        return oe + (pos - ne)

    def orig_end(self, pos: int) -> int:
        """Map an (exclusive) end offset in the folded text to the original text."""
        if pos <= 0:
            return 0
        last = pos - 1
        i = bisect_right(self.starts, last) - 1
        if i < 0:
            return pos
        _ns, ne, _os, oe = self.segments[i]
        if last < ne:
            return oe
        return oe + (last - ne) + 1


def _decode(token: str) -> str:
    first = token[0]
    if first == "%":
        char = chr(int(token[1:], 16))
    elif first == "&":
        if token[1] == "#":
            num = token[3:-1] if token[2] in "xX" else token[2:-1]
            code = int(num, 16 if token[2] in "xX" else 10)
            char = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else token
        else:
            char = html.unescape(token)
    elif first == "\\":
        if token[1] == "/":
            char = "/"
        else:
            code = int(token[2:], 16)
            # A lone surrogate cannot be represented; keep the escape as it was.
            char = token if 0xD800 <= code < 0xE000 else chr(code)
    else:  # a run of invisible characters
        return ""
    return char.translate(_TRANSLATE)


def normalize(text: str) -> Normalized | None:
    """Fold *text*; ``None`` when nothing changes (the caller scans *text* as it is)."""
    if not needs_normalizing(text):
        return None
    folded = text.translate(_FOLD) if not text.isascii() else text
    parts: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    last = 0
    npos = 0
    for match in _CHANGING.finditer(folded):
        start, end = match.span()
        token = match.group()
        replacement = _decode(token)
        if replacement == token:
            continue
        parts.append(folded[last:start])
        npos += start - last
        parts.append(replacement)
        segments.append((npos, npos + len(replacement), start, end))
        npos += len(replacement)
        last = end
    if not segments:
        return None if folded == text else Normalized(folded, [], [])
    parts.append(folded[last:])
    return Normalized("".join(parts), segments, [s[0] for s in segments])
