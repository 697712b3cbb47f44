"""Prefix closure of a pattern: text that could still grow into a match.

A guarded stream may send a character only once no finding can still contain it. A
finding in progress is a prefix of a candidate: :func:`prefix_pattern` turns a candidate
pattern (RE2 syntax, bounded repetitions) into a pattern that matches every prefix of
every string the original matches (the empty string included), so one end-anchored RE2
search over the tail of a stream tells where the earliest such prefix starts.

The result may match more than the exact prefixes (never less): assertions are kept
where they can be checked and dropped where they cannot, which only widens it.
"""

from __future__ import annotations

import re

# The parser of the standard library reads the RE2 syntax the detectors use (bounded
# repetitions, classes, scoped flags); only \x{...} needs rewriting for it.
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

_HEX_BRACES = re.compile(r"\\x\{([0-9A-Fa-f]{1,6})\}")
_CATEGORIES = {
    c.CATEGORY_DIGIT: r"\d",
    c.CATEGORY_NOT_DIGIT: r"\D",
    c.CATEGORY_SPACE: r"\s",
    c.CATEGORY_NOT_SPACE: r"\S",
    c.CATEGORY_WORD: r"\w",
    c.CATEGORY_NOT_WORD: r"\W",
}
_ASSERTIONS = {
    c.AT_BOUNDARY: r"\b",
    c.AT_BEGINNING: "^",
    c.AT_BEGINNING_STRING: r"\A",
}
_SCOPED = ((c.SRE_FLAG_IGNORECASE, "i"), (c.SRE_FLAG_DOTALL, "s"), (c.SRE_FLAG_MULTILINE, "m"))


def prefix_pattern(pattern: str) -> str:
    """An RE2 pattern matching every prefix of every match of *pattern* (or more)."""
    parsed = sre.parse(_HEX_BRACES.sub(lambda m: f"\\U{int(m.group(1), 16):08x}", pattern))
    flags = _flag_letters(parsed.state.flags)
    body = _pre(list(parsed))
    return f"(?{flags}:{body})" if flags else body


def _flag_letters(flags: int) -> str:
    return "".join(letter for bit, letter in _SCOPED if flags & bit)


def _char(code: int) -> str:
    ch = chr(code)
    if ch.isascii() and ch.isalnum():
        return ch
    return f"\\x{{{code:x}}}"


def _full(items: list[Any]) -> str:
    return "".join(_full_item(op, av) for op, av in items)


def _full_item(op: Any, av: Any) -> str:
    if op is c.LITERAL:
        return _char(av)
    if op is c.NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op is c.ANY:
        return "."
    if op is c.IN:
        return _class(av)
    if op is c.BRANCH:
        return "(?:" + "|".join(_full(list(alt)) for alt in av[1]) + ")"
    if op is c.SUBPATTERN:
        _group, add, delete, sub = av
        on, off = _flag_letters(add), _flag_letters(delete)
        flags = on + (f"-{off}" if off else "")
        return f"(?{flags}:{_full(list(sub))})"
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        return f"(?:{_full(list(sub))}){_count(lo, hi)}"
    if op is c.AT:
        # Assertions this module cannot rewrite are dropped: the pattern only widens.
        return _ASSERTIONS.get(av, "")
    if op is c.CATEGORY:  # pragma: no cover - the parser puts categories inside IN
        return _CATEGORIES[av]
    raise ValueError(f"unsupported construct in a candidate pattern: {op}")


def _count(lo: int, hi: int) -> str:
    if hi is c.MAXREPEAT or hi == c.MAXREPEAT or hi > _EXACT_COUNTS:
        # A long count becomes a star: the automaton need not count (which is what makes
        # a backwards search over prose slow), and the pattern only widens.
        return "*"
    return f"{{{lo},{hi}}}"


#: Repetition counts kept exact; longer ones are relaxed (see _count).
_EXACT_COUNTS = 24


def _class(items: list[Any]) -> str:
    out = []
    negate = False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            out.append(_char(av))
        elif op is c.RANGE:
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is c.CATEGORY:
            out.append(_CATEGORIES[av])
        else:
            raise ValueError(f"unsupported class item in a candidate pattern: {op}")
    return "[" + ("^" if negate else "") + "".join(out) + "]"


def _pre(items: list[Any]) -> str:
    """Prefixes of the concatenation *items*: ``pre(a) | a pre(rest)``, built from the end."""
    acc = ""
    for op, av in reversed(items):
        head = _pre_item(op, av)
        full = _full_item(op, av)
        if not acc:
            acc = head
        elif op is c.AT:
            acc = f"(?:{full}{acc})?" if full else acc
        else:
            acc = f"(?:{head}|{full}{acc})"
    return acc


def _pre_item(op: Any, av: Any) -> str:
    """Prefixes of one item (always including the empty string)."""
    if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
        return f"{_full_item(op, av)}?"
    if op is c.BRANCH:
        return "(?:" + "|".join(_pre(list(alt)) or "" for alt in av[1]) + ")"
    if op is c.SUBPATTERN:
        _group, add, delete, sub = av
        on, off = _flag_letters(add), _flag_letters(delete)
        flags = on + (f"-{off}" if off else "")
        return f"(?{flags}:{_pre(list(sub))})"
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        _lo, hi, sub = av
        if hi == 0:
            return ""
        inner_full = _full(list(sub))
        inner_pre = _pre(list(sub))
        if hi is c.MAXREPEAT or hi == c.MAXREPEAT or hi > _EXACT_COUNTS:
            return f"(?:{inner_full})*{inner_pre}"
        if hi == 1:
            return inner_pre
        return f"(?:{inner_full}){{0,{hi - 1}}}{inner_pre}"
    if op is c.AT:
        return ""
    raise ValueError(f"unsupported construct in a candidate pattern: {op}")


def pattern_bytes(pattern: str) -> bytes:
    """Every ASCII byte that may occur in a match of *pattern* (any byte for non-ASCII
    classes, which the scanner's bytes read as ``?``): a text whose last byte is not
    among them ends in no unfinished match."""
    parsed = sre.parse(_HEX_BRACES.sub(lambda m: f"\\U{int(m.group(1), 16):08x}", pattern))
    allowed = bytearray(128)
    _collect(list(parsed), allowed)
    if any(allowed[c] for c in range(65, 91)) or any(allowed[c] for c in range(97, 123)):
        # Case-insensitive flags may sit anywhere: letters count in both cases.
        for c in range(65, 91):
            if allowed[c] or allowed[c + 32]:
                allowed[c] = allowed[c + 32] = 1
    return bytes(i for i in range(128) if allowed[i])


_ALL = range(128)
_CATEGORY_BYTES = {
    c.CATEGORY_DIGIT: range(48, 58),
    c.CATEGORY_SPACE: b" \t\n\r\x0b\x0c",
    c.CATEGORY_WORD: b"_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
}


def _collect(items: list[Any], allowed: bytearray) -> None:
    for op, av in items:
        if op is c.LITERAL:
            allowed[av if av < 128 else ord("?")] = 1
        elif op in (c.NOT_LITERAL, c.ANY):
            allowed[:] = b"\x01" * 128
        elif op is c.IN:
            if any(o is c.NEGATE for o, _ in av):
                allowed[:] = b"\x01" * 128
                continue
            for o, a in av:
                if o is c.LITERAL:
                    allowed[a if a < 128 else ord("?")] = 1
                elif o is c.RANGE:
                    lo, hi = a
                    for b in range(lo, min(hi, 127) + 1):
                        allowed[b] = 1
                    if hi >= 128:
                        allowed[ord("?")] = 1
                elif o is c.CATEGORY:
                    for b in _CATEGORY_BYTES.get(a, _ALL):
                        allowed[b] = 1
        elif op is c.BRANCH:
            for alt in av[1]:
                _collect(list(alt), allowed)
        elif op is c.SUBPATTERN:
            _collect(list(av[3]), allowed)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            _collect(list(av[2]), allowed)


def literal_openers(pattern: str) -> tuple[str, ...] | None:
    """The literal texts one of which every match of *pattern* starts with (``gh``,
    ``sk-``, ``AKIA``...), or ``None`` when it has no such opener of two or more
    characters (or matches case-insensitively)."""
    try:
        parsed = sre.parse(_HEX_BRACES.sub(lambda m: f"\\U{int(m.group(1), 16):08x}", pattern))
    except (re.error, OverflowError, TypeError, ValueError):
        return None
    if parsed.state.flags & c.SRE_FLAG_IGNORECASE:
        return None
    found = _openers(list(parsed))
    if not found or any(len(o) < 2 for o in found):
        return None
    return tuple(sorted(set(found)))


def _openers(items: list[Any]) -> list[str] | None:
    """Literal prefixes of *items*, one of which every match starts with (at most 64)."""
    heads = [""]
    for op, av in items:
        if op is c.AT and heads == [""]:
            continue
        if op is c.LITERAL and av < 128:
            heads = [h + chr(av) for h in heads]
        elif op is c.IN and all(o is c.LITERAL and a < 128 for o, a in av):
            heads = [h + chr(a) for h in heads for _, a in av]
        elif op in (c.BRANCH, c.SUBPATTERN):
            if op is c.SUBPATTERN and av[1] & c.SRE_FLAG_IGNORECASE:
                break
            alts = av[1] if op is c.BRANCH else [av[3]]
            tails: list[str] = []
            for alt in alts:
                found = _openers(list(alt))
                if not found:
                    return [h for h in heads if h] or None
                tails.extend(found)
            heads = [h + t for h in heads for t in tails]
            break  # what follows a group is not needed: the heads are long enough
        else:
            break
        if len(heads) > 64:
            return None
    return [h for h in heads if h] or None


def pattern_width(pattern: str) -> int:
    """The longest match of *pattern*, in characters (huge when unbounded)."""
    parsed = sre.parse(_HEX_BRACES.sub("x", pattern))
    return int(parsed.getwidth()[1])
