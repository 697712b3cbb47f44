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
    # Services LLM applications hold (detect/service_keys.py)
    "anthropic_api_key": "secret",
    "huggingface_token": "secret",
    "cohere_api_key": "secret",
    "mistral_api_key": "secret",
    "groq_api_key": "secret",
    "perplexity_api_key": "secret",
    "replicate_api_token": "secret",
    "azure_openai_key": "secret",
    "gitlab_token": "secret",
    "npm_token": "secret",
    "pypi_token": "secret",
    "slack_webhook": "secret",
    "sendgrid_api_key": "secret",
    "twilio_api_key": "secret",
    "mailgun_api_key": "secret",
    "gcp_service_account": "secret",
    "bearer_token": "secret",
    "object_id": "identifier",
    "system_prompt": "prompt_leak",
    "canary": "prompt_leak",
    "known_value": "known_value",
}

ALL_KINDS: frozenset[str] = frozenset(KIND_CATEGORIES)
ALL_CATEGORIES: frozenset[str] = frozenset(KIND_CATEGORIES.values())

#: Kinds added by custom detectors (see :mod:`.custom`): kind -> (category, label).
#: Process-wide, like the built-in table, so that route options and config keys naming a
#: custom kind validate wherever they are read. A name is registered once per category.
_CUSTOM_KINDS: dict[str, tuple[Category, str | None]] = {}


def register_kind(kind: str, category: Category, label: str | None = None) -> None:
    """Make *kind* a known finding kind of *category*.

    Registering the same kind again with the same category is allowed (the label may be
    updated); a built-in name or another category raises :class:`ValueError`.
    """
    if kind in KIND_CATEGORIES:
        raise ValueError(f"{kind!r} is a built-in finding kind; choose another name")
    if category not in ALL_CATEGORIES:
        raise ValueError(
            f"unknown category {category!r} for kind {kind!r}; "
            f"categories: {', '.join(sorted(ALL_CATEGORIES))}"
        )
    known = _CUSTOM_KINDS.get(kind)
    if known is not None and known[0] != category:
        raise ValueError(f"kind {kind!r} is already registered with category {known[0]!r}")
    _CUSTOM_KINDS[kind] = (category, label)


def is_known_kind(kind: str) -> bool:
    """Whether *kind* is built in or registered by a custom detector."""
    return kind in KIND_CATEGORIES or kind in _CUSTOM_KINDS


def known_kinds() -> frozenset[str]:
    """Every finding kind: the built-in ones and those of registered custom detectors."""
    return ALL_KINDS | frozenset(_CUSTOM_KINDS)


def category_of(kind: str) -> Category:
    """The category of a built-in or registered kind."""
    category = KIND_CATEGORIES.get(kind)
    if category is None:
        category = _CUSTOM_KINDS[kind][0]
    return category


def custom_label(kind: str) -> str | None:
    """The redaction label a custom detector chose for *kind*, if any."""
    known = _CUSTOM_KINDS.get(kind)
    return known[1] if known is not None else None


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


_FINDING_FIELDS = ("kind", "category", "start", "end", "path", "fingerprint")
_SET_KIND, _SET_CATEGORY, _SET_START, _SET_END, _SET_PATH, _SET_FINGERPRINT = (
    Finding.__dict__[name].__set__ for name in _FINDING_FIELDS
)


def new_finding(
    kind: str, category: Category, start: int, end: int, path: str | None, fingerprint: str
) -> Finding:
    """``Finding(kind, category, start, end, path, fingerprint)``, built through its slots.

    The frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``;
    filling the slots directly takes half the time, and a body dense with values makes
    thousands of findings.
    """
    finding = object.__new__(Finding)
    _SET_KIND(finding, kind)
    _SET_CATEGORY(finding, category)
    _SET_START(finding, start)
    _SET_END(finding, end)
    _SET_PATH(finding, path)
    _SET_FINGERPRINT(finding, fingerprint)
    return finding
