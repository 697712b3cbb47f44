"""Pure detection of sensitive data: no Flask, no MongoDB.

``Scanner().scan(text)`` finds PII, secrets, identifiers, system-prompt leaks and values the
application marked sensitive; ``detect_injection(text)`` screens user input.
"""

from __future__ import annotations

from ._scanner import Scanner
from ._stream_hold import squeeze_invisible
from ._types import ALL_CATEGORIES, ALL_KINDS, KIND_CATEGORIES, Category, Finding
from .custom import CustomDetector, GitleaksRuleWarning, SkippedRule, load_gitleaks
from .injection import InjectionVerdict, detect_injection
from .redaction import OPERATORS, PseudonymScope

__all__ = [
    "ALL_CATEGORIES",
    "ALL_KINDS",
    "KIND_CATEGORIES",
    "OPERATORS",
    "Category",
    "CustomDetector",
    "Finding",
    "GitleaksRuleWarning",
    "InjectionVerdict",
    "PseudonymScope",
    "Scanner",
    "SkippedRule",
    "detect_injection",
    "load_gitleaks",
    "squeeze_invisible",
]
