"""Decoding of base64 runs that an attacker or a model uses to hide text."""

from __future__ import annotations

import base64
import binascii

import re2

__all__ = ["base64_runs", "readable"]


def readable(raw: bytes) -> str | None:
    """``raw`` as text if it decodes to mostly printable letters, else ``None``."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not decoded:
        return None
    printable = sum(1 for ch in decoded if ch.isprintable() or ch in "\n\r\t")
    letters = sum(1 for ch in decoded if ch.isalpha())
    if printable / len(decoded) < 0.9 or letters / len(decoded) < 0.4:
        return None
    return decoded


def base64_runs(text: str, pattern: re2._Regexp, limit: int) -> list[tuple[int, int, str]]:
    """``(start, end, decoded)`` for runs of ``pattern`` that decode to readable text.

    Standard and URL-safe alphabets, padding optional; at most ``limit`` decoded runs.
    """
    out: list[tuple[int, int, str]] = []
    for m in pattern.finditer(text):
        if len(out) >= limit:
            break
        run = m.group()
        if run.isalpha() and (run.islower() or run.isupper()):
            continue  # a long plain word, not an encoding
        padded = run + "=" * (-len(run) % 4)
        try:
            raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"))
        except (binascii.Error, ValueError):
            continue
        decoded = readable(raw)
        if decoded is not None:
            out.append((m.start(), m.end(), decoded))
    return out
