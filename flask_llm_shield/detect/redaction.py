"""Redaction operators: ``label``, ``mask`` and ``pseudonym``.

Redaction replaces exactly the spans of the findings and nothing else; overlapping
findings are merged into one replacement (named after the finding that starts first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ._types import Finding, custom_label

Operator = Literal["label", "mask", "pseudonym"]
OPERATORS: tuple[str, ...] = ("label", "mask", "pseudonym")

# Kinds whose mask keeps the last four characters (digits or IBAN characters).
_MASK_TAIL = frozenset({"us_ssn", "credit_card", "phone", "iban"})


class PseudonymScope:
    """Numbered placeholders that stay stable for one value within one scope.

    The scope is keyed by the findings' keyed fingerprints, so it never holds a raw value.
    Use one scope per conversation or response to keep ``<EMAIL_1>`` meaning the same
    address everywhere in it.
    """

    __slots__ = ("_counts", "_names")

    def __init__(self) -> None:
        self._names: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def name(self, kind: str, fingerprint: str) -> str:
        """The placeholder for the value with *fingerprint* of *kind*."""
        key = (kind, fingerprint)
        name = self._names.get(key)
        if name is None:
            count = self._counts.get(kind, 0) + 1
            self._counts[kind] = count
            name = f"<{kind.upper()}_{count}>"
            self._names[key] = name
        return name

    def __len__(self) -> int:
        return len(self._names)


def label(kind: str) -> str:
    """The replacement used by the ``label`` operator (a custom detector may choose it)."""
    return custom_label(kind) or f"[REDACTED:{kind}]"


def mask(kind: str, value: str) -> str:
    """The replacement used by the ``mask`` operator for *value* of *kind*."""
    if kind in _MASK_TAIL:
        keep = 4
        out: list[str] = []
        for ch in reversed(value):
            if ch.isalnum():
                if keep:
                    keep -= 1
                    out.append(ch)
                else:
                    out.append("*")
            else:
                out.append(ch)
        if keep:  # too short to keep four characters: hide it all
            return label(kind)
        return "".join(reversed(out))
    if kind == "email" and "@" in value:
        return "***" + value[value.rindex("@") :]
    return label(kind)


def merge_spans(findings: Sequence[Finding], length: int) -> list[tuple[int, int, Finding]]:
    """Findings clipped to ``[0, length)`` and merged where they overlap, sorted."""
    spans: list[tuple[int, int, Finding]] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        start, end = max(0, f.start), min(length, f.end)
        if start >= end:
            continue
        if spans and start < spans[-1][1]:
            prev_start, prev_end, first = spans[-1]
            spans[-1] = (prev_start, max(prev_end, end), first)
        else:
            spans.append((start, end, f))
    return spans


def redact_text(
    text: str,
    findings: Sequence[Finding],
    operator: str = "label",
    *,
    pseudonyms: PseudonymScope | None = None,
) -> str:
    """Replace every finding's span in *text* according to *operator*."""
    if operator not in OPERATORS:
        raise ValueError(f"unknown redaction operator {operator!r}; use one of {OPERATORS}")
    if not findings:
        return text
    scope = pseudonyms if pseudonyms is not None else PseudonymScope()
    parts: list[str] = []
    last = 0
    for start, end, f in merge_spans(findings, len(text)):
        parts.append(text[last:start])
        if operator == "label":
            parts.append(label(f.kind))
        elif operator == "mask":
            parts.append(mask(f.kind, text[start:end]))
        else:
            parts.append(scope.name(f.kind, f.fingerprint or text[start:end]))
        last = end
    parts.append(text[last:])
    return "".join(parts)
