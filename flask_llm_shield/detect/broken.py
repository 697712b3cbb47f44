"""Values broken across a line or into space-separated chunks.

A model that wraps its output, or is asked to "split it so it is easier to read", writes
``sk_live_51WdMY`` and ``Zaj6J00NQeMl…`` on two lines, ``356\\n-12-6117``, or
``ghs_3ZcG6SScgMVOgwsg clTiCKPB5unbvMUJGyyC``. The candidates here are such breaks next
to a token holding a digit (line breaks) or after a known key prefix (spaces); the
validator joins the pieces into a small view, with some context before it, and asks the
ordinary detectors of its kind whether a value spans the join. Spans map back to the
original text, break included. Views are bounded (a few hundred characters), so the
work per candidate is constant.
"""

from __future__ import annotations

import re
from typing import Any

import re2

from . import pii, secrets, service_keys
from ._base import Detector

#: Kinds whose values are looked for across a break.
KINDS = (
    "email", "us_ssn", "phone", "credit_card", "iban", "jwt", "aws_access_key",
    "aws_secret_key", "github_token", "openai_api_key", "anthropic_api_key", "stripe_key",
    "google_api_key", "slack_token", "huggingface_token", "gitlab_token",
)  # fmt: skip

_TOKEN = r"[A-Za-z0-9_+/=@.\-]"
# A line break (also JSON-escaped, or a shell continuation) with the indentation or quote
# marker of the next line.
_LINE_BREAK = r"(?:\r?\n|\\r?\\n|\\\r?\n)[ \t>]{0,8}"
# Key prefixes whose random part may be broken by a line or written in space-separated
# chunks.
_PREFIXES = (
    r"AKIA|ASIA|AIza|gh[pousr]_|github_pat_|sk-|sk_live_|sk_test_|rk_live_|xox[abposr]-|"
    r"glpat-|hf_|gsk_|eyJ"
)
# Where a value can be broken: inside a key after its prefix, between digits, on either
# side of an e-mail's "@". (Patterns that start at any token character would make the
# combined pass track every word of a body; these start at rarer characters.)
_BROKEN_LINE = (
    rf"\b(?:{_PREFIXES})[A-Za-z0-9_\-]{{0,60}}{_LINE_BREAK}[A-Za-z0-9_\-]{{2}}"
    rf"|[0-9]{{2}}[ \-.]?{_LINE_BREAK}[\-. ]?[0-9]{{2}}"
    rf"|@[A-Za-z0-9.\-]{{1,40}}{_LINE_BREAK}[A-Za-z0-9.\-]{{2}}"
    rf"|[A-Za-z0-9._+\-]{{2}}{_LINE_BREAK}[A-Za-z0-9._+\-]{{1,64}}@"
)
_CHUNKED = rf"\b(?:{_PREFIXES})[A-Za-z0-9_\-]{{2,60}} [A-Za-z0-9_\-]{{3}}"
# The chunks the validator takes in: up to three more after the first.
_MORE_CHUNKS = re.compile(r"[A-Za-z0-9_\-.]*(?: [A-Za-z0-9_\-.]{3,60}){0,2}")
_LINE_TAIL = re.compile(rf"{_TOKEN}*(?:{_LINE_BREAK}{_TOKEN}{{2,80}})?")
_HAS_BREAK = re.compile(r"\n|\\n")
_BREAK_RE = re.compile(r"\r?\n[ \t>]*|\\r?\\n[ \t>]*|\\\r?\n[ \t>]*| ")
_CONTEXT = 60
_TAIL = 300

_BASE: dict[str, list[tuple[Detector, Any]]] = {}
for _d in pii.DETECTORS + secrets.DETECTORS + service_keys.DETECTORS:
    if _d.kind in KINDS:
        _BASE.setdefault(_d.kind, []).append((_d, re2.compile(_d.pattern)))

_TOKEN_RUN = re.compile(r"[A-Za-z0-9_+/=@.\-]*")


def base_detectors(kind: str) -> list[tuple[Detector, Any]]:
    """The ordinary detectors of *kind*, with their compiled patterns."""
    return _BASE.get(kind, [])


def _views(text: str, start: int, end: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """Joined views of the candidate: ``(view, pieces)`` where each piece maps a stretch of
    the view to the original text as ``(view start, original start)``; the first view
    joins every break, the next ones one break fewer (a value followed by a word)."""
    breaks = [m.span() for m in _BREAK_RE.finditer(text, start, end)]
    if not breaks:
        return []
    # the last piece may continue past the candidate (long tokens)
    tail = _TOKEN_RUN.match(text, end, min(len(text), end + _TAIL))
    stop = tail.end() if tail else end
    ctx = max(0, start - _CONTEXT)
    out: list[tuple[str, list[tuple[int, int]]]] = []
    for n in range(len(breaks), 0, -1):
        parts = [text[ctx:start]]
        pieces = [(0, ctx)]
        pos = start
        vlen = start - ctx
        for b_start, b_end in breaks[:n]:
            parts.append(text[pos:b_start])
            vlen += b_start - pos
            pieces.append((vlen, b_end))
            pos = b_end
        parts.append(text[pos : min(len(text), stop + 20)])
        out.append(("".join(parts), pieces))
    return out


def _to_original(pieces: list[tuple[int, int]], pos: int, *, end: bool = False) -> int:
    """An offset in a view mapped to the original text."""
    best = pieces[0]
    for piece in pieces:
        if piece[0] < pos or (not end and piece[0] == pos):
            best = piece
    return best[1] + (pos - best[0])


def _complete(detector: Detector, regex: Any, text: str, start: int, cut: int) -> bool:
    """Whether ``text[start:cut]``, the part before a break, is already a whole value."""
    m = regex.match(text, start, cut)
    if m is None:
        return False
    result = detector.validate(text, m.start(), m.end())
    spans = [result] if isinstance(result, tuple) else result or []
    return any(item[1] == cut for item in spans)


def _token_start(text: str, pos: int) -> int:
    """Where the token holding *pos* starts (at most 80 characters back)."""
    stop = max(0, pos - 80)
    while pos > stop and (text[pos - 1].isalnum() or text[pos - 1] in "_+/=@.-"):
        pos -= 1
    return pos


def _validate(text: str, start: int, end: int) -> list[tuple[int, int, str]] | None:
    """Join the pieces and ask the ordinary detectors of every kind in :data:`KINDS`."""
    if _HAS_BREAK.search(text, start, end):  # a line break candidate
        start = _token_start(text, start)
        tail = _LINE_TAIL.match(text, end, min(len(text), end + 200))
    else:
        tail = _MORE_CHUNKS.match(text, end, min(len(text), end + 200))
    end = tail.end() if tail else end
    for view, pieces in _views(text, start, end):
        joins = [p[0] for p in pieces[1:]]
        found: list[tuple[int, int, str]] = []
        for kind in KINDS:
            for detector, regex in _BASE[kind]:
                for m in regex.finditer(view):
                    s, e = m.span()
                    if s >= joins[-1]:
                        break  # starts after every join: the ordinary pass has it
                    result = detector.validate(view, s, e)
                    spans = [result] if isinstance(result, tuple) else result or []
                    for item in spans:
                        vs, ve = item[0], item[1]
                        crossed = [j for j in joins if vs < j < ve]
                        if not crossed:
                            continue
                        a = _to_original(pieces, vs)
                        cut = _to_original(pieces, crossed[0], end=True)
                        if _complete(detector, regex, text, a, cut):
                            continue  # a whole value ends at the break: nothing is joined
                        found.append((a, _to_original(pieces, ve, end=True), kind))
        if found:
            return found
    return None


#: Two candidate patterns (line breaks, chunks); each may report any kind of KINDS.
DETECTORS: tuple[Detector, ...] = tuple(
    Detector("broken_value", pattern, _validate, 400, frozenset(KINDS))
    for pattern in (_BROKEN_LINE, _CHUNKED)
)
