"""Types shared by every detector: the finding and the kind/category tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Category = Literal["pii", "secret", "identifier", "prompt_leak", "known_value"]

#: Every finding kind and the category it belongs to. Names are part of the public API.
KIND_CATEGORIES: dict[str, Category] = {
    "email": "pii",
    "us_ssn": "pii",
    "credit_card": "pii",
    "phone": "pii",
    "iban": "pii",
    "ipv4": "pii",
    "aws_access_key": "secret",
    "aws_secret_key": "secret",
    "github_token": "secret",
    "openai_api_key": "secret",
    "slack_token": "secret",
    "stripe_key": "secret",
    "google_api_key": "secret",
    "jwt": "secret",
    "private_key": "secret",
    "mongodb_uri": "secret",
    "password_assignment": "secret",
    "object_id": "identifier",
    "system_prompt": "prompt_leak",
    "canary": "prompt_leak",
    "known_value": "known_value",
}

ALL_KINDS: frozenset[str] = frozenset(KIND_CATEGORIES)
ALL_CATEGORIES: frozenset[str] = frozenset(KIND_CATEGORIES.values())


@dataclass(frozen=True, slots=True)
class Finding:
    """One sensitive value found in a text.

    ``start``/``end`` are offsets into the *original* text that was scanned (for a JSON
    scan: into the string at ``path``). The raw value is never stored; ``fingerprint`` is
    a keyed hash of the normalised value so that events can be correlated.
    """

    kind: str
    category: Category
    start: int
    end: int
    path: str | None = None
    fingerprint: str = ""
