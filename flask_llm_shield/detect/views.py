"""Derived views of a text body: what a client decodes or renders, with offsets mapped back.

A value can reach a reader without ever appearing in the bytes the server sends:

* behind a JSON string escape in text that is not parsed as JSON (an SSE ``data: {json}``
  line, NDJSON, JSON inlined in an HTML ``<script>``, a JSON body that does not parse):
  ``\\n536-22-1234`` has no word boundary before the ``5`` until the escape is decoded;
  JSON inside a JSON string doubles the escapes (``\\\\n``);
* split by markup a browser does not render: ``536<span></span>-22-<!-- -->1234``.

:func:`decode_escapes` and :func:`strip_markup` build such views in one linear pass each
(one regular-expression scan, constant work per escape or tag), and a :class:`View` maps an
offset in the view back to the span of the original text it came from, so a finding in a
view covers the original characters (redaction replaces whole escapes and tags).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import re2

if TYPE_CHECKING:
    from ._scanner import Scanner
    from ._types import Finding

__all__ = [
    "MAX_ESCAPE_LEVELS",
    "View",
    "ViewScanner",
    "decode_escapes",
    "derived_views",
    "has_markup",
    "has_markup_bytes",
    "strip_markup",
    "with_views",
]

#: JSON nested in JSON strings is decoded this many times at most (each level is one pass).
MAX_ESCAPE_LEVELS = 2

# The rewriting passes use the standard library's engine: its substitutions run at C
# speed, where RE2's Python binding pays several microseconds per match (an HTML page has
# thousands of tags). Every pattern here is linear: bounded alternatives, and each
# unbounded run stops at the next angle bracket, where the next match attempt starts.
# JSON's string escapes; a surrogate pair first, so it decodes to one character. Anything
# else after a backslash is left as it is (this is text, not a document to validate).
_ESCAPE = re.compile(
    r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\"\\/bfnrt])"
)
_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "/": "/"}

#: Elements rendered inline: removed without a trace, so text on both sides joins (as a
#: browser shows it). Other tags stay in the view: block elements, ``<br>``, table cells
#: render apart, and joining them would make numbers out of neighbouring table cells.
INLINE_ELEMENTS = frozenset(
    """a abbr b bdi bdo big blink button cite code data del dfn em font i img ins kbd label
    mark nobr output q rp rt ruby s samp small span strike strong sub sup time tt u var wbr
    tspan textpath tref""".split()
)

_ATTRS = r"(?:[\s/][^<>]*)?>"
# Markup removed without a trace: CDATA markers, processing instructions, declarations
# and inline elements' tags. Comments are removed before (see _comments).
_INVISIBLE = re.compile(
    r"<!\[CDATA\[|\]\]>|<\?[^<>]*\?>|<![A-Za-z][^<>]*>"
    r"|</?(?i:" + "|".join(sorted(INLINE_ELEMENTS, key=len, reverse=True)) + r")" + _ATTRS
)
# Detection (one search, no rewriting): markup that joins two visible characters, i.e. a
# run of invisible markup with no space on either side. Other tags (block elements, table
# cells) render apart and are left in the view, where their brackets keep words apart;
# a page without such a junction needs no stripped view at all.
_JUNCTION_SOURCE = (
    r"[^\s<>](?:<!--(?s:.*?)-->|<!\[CDATA\[|\]\]>|<\?[^<>]*\?>|<![A-Za-z][^<>]*>"
    r"|</?(?i:" + "|".join(sorted(INLINE_ELEMENTS, key=len, reverse=True)) + r")"
    r"(?:[\s/][^<>]*)?>)+[^\s<>]"
)
_MARKUP = re2.compile(_JUNCTION_SOURCE)
_MARKUP_BYTES = re2.compile(_JUNCTION_SOURCE.encode())

Segment = tuple[int, int, int, int]


class View:
    """A text derived from a parent text, with the spans where the two differ.

    Each segment ``(out_start, out_end, in_start, in_end)`` says that view characters
    ``[out_start, out_end)`` stand for parent characters ``[in_start, in_end)``; between
    segments the two texts are equal. Segments are computed on first use: most views are
    scanned and found clean, and need no map.
    """

    __slots__ = ("_make", "_segments", "_starts", "parent", "text")

    def __init__(self, text: str, make: Callable[[], list[Segment]], parent: View | None) -> None:
        self.text = text
        self.parent = parent
        self._make = make
        self._segments: list[Segment] | None = None
        self._starts: list[int] = []

    def _load(self) -> list[Segment]:
        if self._segments is None:
            self._segments = self._make()
            self._starts = [seg[0] for seg in self._segments]
        return self._segments

    def _start(self, pos: int) -> int:
        segments = self._load()
        i = bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        _os, oe, is_, ie = segments[i]
        return is_ if pos < oe else ie + (pos - oe)

    def _end(self, pos: int) -> int:
        if pos <= 0:
            return 0
        segments = self._load()
        last = pos - 1
        i = bisect_right(self._starts, last) - 1
        if i < 0:
            return pos
        _os, oe, _is, ie = segments[i]
        return ie if last < oe else ie + (last - oe) + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the root text that view characters ``[start, end)`` come from."""
        view: View | None = self
        while view is not None:
            start, end = view._start(start), view._end(end)
            view = view.parent
        return start, end


def _segments(edits: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """Segments of the text made by applying ``(start, end, replacement)`` edits (in order,
    disjoint)."""
    segments: list[Segment] = []
    shift = 0
    for start, end, replacement in edits:
        out = start + shift
        segments.append((out, out + len(replacement), start, end))
        shift += len(replacement) - (end - start)
    return segments


def _substituted(
    pattern: re.Pattern[str],
    text: str,
    replace: Callable[[re.Match[str]], str] | str,
    parent: View | None,
) -> View | None:
    """*text* with *pattern*'s matches replaced, as a view; ``None`` if nothing matched."""
    new, count = pattern.subn(replace, text)
    if not count:
        return None

    def make() -> list[Segment]:
        return _segments(
            (m.start(), m.end(), replace if isinstance(replace, str) else replace(m))
            for m in pattern.finditer(text)
        )

    return View(new, make, parent)


def _unescape(match: re.Match[str]) -> str:
    token = match.group()
    if token[1] != "u":
        return _SIMPLE[token[1]]
    if len(token) == 12:  # a surrogate pair
        high, low = int(token[2:6], 16), int(token[8:12], 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    code = int(token[2:], 16)
    # A lone surrogate cannot be scanned as text; a space keeps what is around it apart.
    return " " if 0xD800 <= code < 0xE000 else chr(code)


def decode_escapes(text: str, parent: View | None = None) -> View | None:
    """*text* with its JSON string escapes decoded; ``None`` when it has none."""
    if "\\" not in text:
        return None
    return _substituted(_ESCAPE, text, _unescape, parent)


def has_markup(text: str) -> bool:
    """Whether *text* holds markup that joins two visible characters (a stripped view
    could show a value the text itself does not)."""
    return "<" in text and _MARKUP.search(text) is not None


def has_markup_bytes(data: bytes) -> bool:
    """:func:`has_markup` on ASCII bytes (no decoding)."""
    return b"<" in data and _MARKUP_BYTES.search(data) is not None


def _comments(text: str, parent: View | None) -> View | None:
    """*text* without its closed ``<!-- ... -->`` comments (``str.find``: linear; an
    unclosed comment is left, as everything after it is text to the scan)."""
    edits: list[tuple[int, int, str]] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        close = text.find("-->", start + 4)
        if close < 0:
            break
        edits.append((start, close + 3, ""))
        pos = close + 3
    if not edits:
        return None
    parts: list[str] = []
    last = 0
    for start, end, _ in edits:
        parts.append(text[last:start])
        last = end
    parts.append(text[last:])
    return View("".join(parts), lambda: _segments(edits), parent)


def strip_markup(text: str, parent: View | None = None) -> View | None:
    """*text* as rendered: comments, inline tags, CDATA markers, processing instructions
    and declarations removed (other tags stay: they render apart)."""
    if "<" not in text:
        return None
    current = parent
    source = text
    result: View | None = None
    for step in range(2):
        if step == 0:
            view = _comments(source, current)
        else:
            view = _substituted(_INVISIBLE, source, "", current)
        if view is not None:
            result = current = view
            source = view.text
    return result


def derived_views(text: str) -> list[View]:
    """The views of *text* worth scanning besides *text* itself, in one pass each.

    Escapes are decoded up to :data:`MAX_ESCAPE_LEVELS` times (JSON in a JSON string);
    the most decoded text is then stripped of markup (HTML escaped inside JSON is markup
    only once decoded).
    """
    views: list[View] = []
    current: View | None = None
    source = text
    for _ in range(MAX_ESCAPE_LEVELS):
        decoded = decode_escapes(source, current)
        if decoded is None:
            break
        views.append(decoded)
        current, source = decoded, decoded.text
    if has_markup(source):
        stripped = strip_markup(source, current)
        if stripped is not None:
            views.append(stripped)
    return views


def with_views(
    scanner: Scanner, text: str, findings: list[Finding] | None = None
) -> list[Finding]:
    """*findings* (``scanner.scan(text)`` when ``None``) plus what only the derived views
    of *text* show, mapped onto *text*; a value already found (same kind and fingerprint)
    is not added again."""
    if findings is None:
        findings = scanner.scan(text)
    seen = {(f.kind, f.fingerprint) for f in findings}
    extra: list[Finding] = []
    for view in derived_views(text):
        for f in scanner.scan(view.text):
            if (f.kind, f.fingerprint) in seen:
                continue
            seen.add((f.kind, f.fingerprint))
            start, end = view.span(f.start, f.end)
            extra.append(dataclasses.replace(f, start=start, end=end, path=None))
    if not extra:
        return findings
    return sorted([*findings, *extra], key=lambda f: f.start)


class ViewScanner:
    """A scanner whose :meth:`scan` also reads the derived views of the text (offsets
    mapped back onto it); everything else is the wrapped scanner's. For streamed bodies,
    whose hold-back window is scanned as text arrives."""

    __slots__ = ("_base",)

    def __init__(self, base: Scanner) -> None:
        self._base = base

    def scan(self, text: str) -> list[Finding]:
        return with_views(self._base, text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)
