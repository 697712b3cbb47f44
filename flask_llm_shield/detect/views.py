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
from bisect import bisect_right
from typing import TYPE_CHECKING

import re2

if TYPE_CHECKING:
    from ._scanner import Scanner
    from ._types import Finding

__all__ = [
    "MAX_ESCAPE_LEVELS",
    "View",
    "decode_escapes",
    "derived_views",
    "has_markup",
    "has_markup_bytes",
    "strip_markup",
    "with_views",
]

#: JSON nested in JSON strings is decoded this many times at most (each level is one pass).
MAX_ESCAPE_LEVELS = 2

# JSON's string escapes; a surrogate pair first, so it decodes to one character. Anything
# else after a backslash is left as it is (this is text, not a document to validate).
_ESCAPE = re2.compile(
    r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\"\\/bfnrt])"
)
_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "/": "/"}

# Markup that changes what a reader sees without being seen: comments, CDATA markers,
# processing instructions, declarations and tags. ``[^<>]`` keeps every match bounded by
# the next angle bracket, so the scan is linear. Only the tag name is captured.
_MARKUP_SOURCE = (
    r"<!--(?s:.*?)-->|<!\[CDATA\[|\]\]>|<\?[^<>]*\?>|<![A-Za-z][^<>]*>"
    r"|</?([A-Za-z][A-Za-z0-9:-]{0,31})(?:[\s/][^<>]*)?>"
)
_MARKUP = re2.compile(_MARKUP_SOURCE)
_MARKUP_BYTES = re2.compile(_MARKUP_SOURCE.encode())

#: Elements rendered inline: removed without a trace, so text on both sides joins (as a
#: browser shows it). Any other tag becomes a space (block elements, ``<br>``, table cells
#: render apart, and joining them would make numbers out of neighbouring table cells).
INLINE_ELEMENTS = frozenset(
    """a abbr b bdi bdo big blink button cite code data del dfn em font i img ins kbd label
    mark nobr output q rp rt ruby s samp small span strike strong sub sup time tt u var wbr
    tspan textpath tref""".split()
)


class View:
    """A text derived from a parent text, with the spans where the two differ.

    Each segment ``(out_start, out_end, in_start, in_end)`` says that view characters
    ``[out_start, out_end)`` stand for parent characters ``[in_start, in_end)``; between
    segments the two texts are equal.
    """

    __slots__ = ("_segments", "_starts", "parent", "text")

    def __init__(
        self, text: str, segments: list[tuple[int, int, int, int]], parent: View | None
    ) -> None:
        self.text = text
        self.parent = parent
        self._segments = segments
        self._starts = [seg[0] for seg in segments]

    def _start(self, pos: int) -> int:
        i = bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        _os, oe, is_, ie = self._segments[i]
        return is_ if pos < oe else ie + (pos - oe)

    def _end(self, pos: int) -> int:
        if pos <= 0:
            return 0
        last = pos - 1
        i = bisect_right(self._starts, last) - 1
        if i < 0:
            return pos
        _os, oe, _is, ie = self._segments[i]
        return ie if last < oe else ie + (last - oe) + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the root text that view characters ``[start, end)`` come from."""
        view: View | None = self
        while view is not None:
            start, end = view._start(start), view._end(end)
            view = view.parent
        return start, end


def _rewrite(text: str, matches: list[tuple[int, int, str]], parent: View | None) -> View | None:
    """Apply ``(start, end, replacement)`` edits (in order, disjoint) to *text*."""
    if not matches:
        return None
    parts: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    last = out = 0
    for start, end, replacement in matches:
        parts.append(text[last:start])
        out += start - last
        parts.append(replacement)
        segments.append((out, out + len(replacement), start, end))
        out += len(replacement)
        last = end
    parts.append(text[last:])
    return View("".join(parts), segments, parent)


def _unescape(token: str) -> str:
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
    edits = [(m.start(), m.end(), _unescape(m.group())) for m in _ESCAPE.finditer(text)]
    return _rewrite(text, edits, parent)


def has_markup(text: str) -> bool:
    """Whether *text* holds a tag, comment or CDATA marker that :func:`strip_markup` removes."""
    return "<" in text and _MARKUP.search(text) is not None


def has_markup_bytes(data: bytes) -> bool:
    """:func:`has_markup` on ASCII bytes (no decoding)."""
    return b"<" in data and _MARKUP_BYTES.search(data) is not None


def strip_markup(text: str, parent: View | None = None) -> View | None:
    """*text* as rendered: comments and inline tags removed, other tags made a space."""
    if "<" not in text:
        return None
    edits: list[tuple[int, int, str]] = []
    for m in _MARKUP.finditer(text):
        name = m.group(1)
        inline = name is None or name.lower() in INLINE_ELEMENTS
        edits.append((m.start(), m.end(), "" if inline else " "))
    return _rewrite(text, edits, parent)


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
