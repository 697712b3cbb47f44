"""Key-shaped strings that are documentation placeholders, not secrets.

The secret detectors reject values such as ``AKIAIOSFODNN7EXAMPLE`` on purpose: vendors
print them in their docs, and reporting them would drown real leaks. Tools that show scan
results to people (``flask shield scan``) use :func:`documented_examples` to say that
such a value was recognised and ignored, instead of a bare "no findings".
"""

from __future__ import annotations

import re

from ._base import looks_random

# Bounded quantifiers only: linear in the input.
_KEY_SHAPED = re.compile(
    r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"
    r"|\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{10,99}\b"
    r"|\bgh[pousr]_[A-Za-z0-9]{20,40}\b"
    r"|\bsk-(?:proj-)?[A-Za-z0-9_\-]{20,99}"
    r"|\bAIza[0-9A-Za-z_\-]{35}"
    r"|[A-Za-z0-9/+]{10,60}EXAMPLE[A-Za-z0-9/+]{0,30}"
)

#: Vendor test keys printed in public documentation (Stripe's API reference and guides).
_KNOWN = frozenset(("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_BQokikJOvBiI2HlWgH4olfQ2"))
_PREFIXES = ("AKIA", "ASIA", "sk_test_", "sk_live_", "rk_test_", "rk_live_", "sk-proj-", "sk-")


def documented_examples(text: str) -> list[tuple[int, int]]:
    """Spans of key-shaped placeholders: documented example keys or non-random bodies."""
    spans: list[tuple[int, int]] = []
    for m in _KEY_SHAPED.finditer(text):
        value = m.group(0)
        body = value
        for prefix in _PREFIXES:
            if value.startswith(prefix):
                body = value[len(prefix) :]
                break
        if value in _KNOWN or "EXAMPLE" in value or not looks_random(body, min_distinct=6):
            spans.append(m.span())
    return spans
