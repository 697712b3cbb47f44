"""Keys and tokens of the services LLM applications hold: model providers (Anthropic,
Hugging Face, Cohere, Mistral, Groq, Perplexity, Replicate, Azure OpenAI), code and
package hosts (GitLab, npm, PyPI), messaging (Slack webhooks, SendGrid, Twilio, Mailgun),
GCP service-account files and ``Bearer`` tokens.

Formats with a documented prefix are matched by it and their random part must look
random (placeholders such as ``hf_xxxx…`` or ``gsk_YOUR_KEY…`` fail); formats without a
prefix (Cohere, Mistral, Azure OpenAI, Twilio auth tokens, Mailgun's newer keys) count
only after a label naming the service. The format facts (prefixes, alphabets, lengths)
live in :data:`PREFIXED` and :data:`LABELLED`; the code below only reads them.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass

from ._base import Detector, char_after, char_before, extend, looks_random


@dataclass(frozen=True, slots=True)
class Prefixed:
    """A key made of a fixed prefix and a random part.

    ``body`` is the RE2 class of the random part, ``length`` its exact length or
    ``(minimum, maximum)`` when the validator extends over ``body`` (long tokens).
    """

    kind: str
    prefixes: tuple[str, ...]
    body: str
    length: int | tuple[int, int]
    min_distinct: int = 8
    check: Callable[[str], bool] | None = None


def _pypi_macaroon(value: str) -> bool:
    """A PyPI token's body is a base64url macaroon whose location is (test.)pypi.org."""
    body = value.split("-", 1)[1]
    try:
        raw = base64.urlsafe_b64decode(body[:40] + "=" * (-len(body[:40]) % 4))
    except (binascii.Error, ValueError):
        return False
    return b"pypi.org" in raw


def _hex_lower(value: str) -> bool:
    return value[2:].islower() or value[2:].isdigit()


#: Prefixed formats. Lengths are those the services issue (checked against their docs
#: and the rules other scanners publish); a token cut or padded to another length is
#: not one of them.
PREFIXED: tuple[Prefixed, ...] = (
    # sk-ant-api03-<93 characters>AA, sk-ant-admin01-..., sk-ant-oat01-... (OAuth)
    Prefixed(
        "anthropic_api_key", ("sk-ant-api", "sk-ant-admin", "sk-ant-oat"), "[A-Za-z0-9_-]",
        (80, 200),
    ),
    Prefixed("huggingface_token", ("hf_", "api_org_"), "[A-Za-z]", 34),
    Prefixed("groq_api_key", ("gsk_",), "[A-Za-z0-9]", 52),
    Prefixed("perplexity_api_key", ("pplx-",), "[A-Za-z0-9]", 48),
    Prefixed("replicate_api_token", ("r8_",), "[A-Za-z0-9]", 37),
    Prefixed(
        "gitlab_token",
        ("glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glft-", "glsoat-", "gloas-",
         "glimt-", "glagent-", "glffct-", "glwt-"),
        "[A-Za-z0-9_-]", (20, 200),
    ),
    Prefixed("npm_token", ("npm_",), "[A-Za-z0-9]", 36),
    Prefixed(
        "pypi_token", ("pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"), "[A-Za-z0-9_-]",
        (60, 400), check=_pypi_macaroon,
    ),
    Prefixed("twilio_api_key", ("SK",), "[0-9a-f]", 32, min_distinct=10, check=_hex_lower),
    Prefixed("mailgun_api_key", ("key-",), "[0-9a-z]", 32, min_distinct=10),
)  # fmt: skip


def _prefix_alternatives(spec: Prefixed) -> str:
    # Anthropic's prefixes carry a two-digit version: sk-ant-api03-
    return "|".join(
        re.escape(p) + (r"\d{2}-" if p.startswith("sk-ant-") else "") for p in spec.prefixes
    )


def _max_len(spec: Prefixed) -> int:
    prefix = max(len(p) for p in spec.prefixes) + 3
    return prefix + (spec.length if isinstance(spec.length, int) else spec.length[1])


def _prefixed_pattern(spec: Prefixed) -> str:
    prefixes = _prefix_alternatives(spec)
    if isinstance(spec.length, int):
        return rf"\b(?:{prefixes}){spec.body}{{{spec.length}}}\b"
    # Long tokens: a bounded prefix; the validator extends (see _base.extend)
    return rf"\b(?:{prefixes}){spec.body}{{{spec.length[0]}}}"


def _make_prefixed(spec: Prefixed) -> Callable[[str, int, int], tuple[int, int] | None]:
    alphabet = re.compile(spec.body + "*")
    prefix_re = re.compile(_prefix_alternatives(spec))

    def validate(text: str, start: int, end: int) -> tuple[int, int] | None:
        b = char_before(text, start)
        if b.isalnum() or b in "_-":
            return None
        prefix = prefix_re.match(text, start, end)
        if prefix is None:
            return None
        prefix_len = prefix.end() - start
        if isinstance(spec.length, tuple):
            end = extend(text, end, alphabet, start + prefix_len + spec.length[1])
            if not spec.length[0] <= end - start - prefix_len <= spec.length[1]:
                return None
        a = char_after(text, end)
        if a.isalnum() or (a in "_-" and isinstance(spec.length, int)):
            return None
        value = text[start:end]
        if not looks_random(value[prefix_len:], min_distinct=spec.min_distinct):
            return None
        if spec.check is not None and not spec.check(value):
            return None
        return start, end

    return validate


# --------------------------------------------------------------------------------------
# keys without a prefix, after a label naming the service


@dataclass(frozen=True, slots=True)
class Labelled:
    """A key recognised by a label before it: ``words`` (case-insensitive RE2) then up to
    30 characters of the variable name, an assignment or "is", and ``value`` (RE2,
    case-sensitive, fixed length)."""

    kind: str
    words: str
    value: str
    length: tuple[int, ...]


LABELLED: tuple[Labelled, ...] = (
    Labelled("cohere_api_key", r"cohere|co_api_key", r"[A-Za-z0-9]{40}", (40,)),
    Labelled("mistral_api_key", r"mistral", r"[A-Za-z0-9]{32}", (32,)),
    # Azure OpenAI: 32 hexadecimal characters, or the newer 84-character keys.
    Labelled(
        "azure_openai_key",
        r"azure[_\-. ]?(?:openai|oai|ai|cognitive)|aoai",
        r"(?:[0-9a-fA-F]{32}|[A-Za-z0-9]{84})",
        (32, 84),
    ),
    Labelled(
        "twilio_api_key", r"twilio[_\-. ]?(?:auth|api)?[_\-. ]?(?:token|secret)",
        r"[0-9a-f]{32}", (32,),
    ),
    Labelled(
        "mailgun_api_key", r"mailgun", r"[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}", (50,)
    ),
)  # fmt: skip

# an assignment, "is", or a call: cohere.Client('...'), Mistral(api_key="...")
_ASSIGN = r"[\"'`]?\s{0,3}(?:=>|:=|=|:|\(|\s(?:is|key|token)\b:?)\s{0,3}[\"'`]?\s{0,2}"


def _labelled_pattern(spec: Labelled) -> str:
    return rf"(?i:\b(?:{spec.words})[A-Za-z0-9_.\-( ]{{0,30}}?{_ASSIGN}){spec.value}\b"


def _make_labelled(spec: Labelled) -> Callable[[str, int, int], tuple[int, int] | None]:
    lengths = sorted(spec.length, reverse=True)
    value_re = re.compile(spec.value)

    def validate(text: str, start: int, end: int) -> tuple[int, int] | None:
        for n in lengths:
            s = end - n
            if s <= start:
                continue
            b = char_before(text, s)
            if b.isalnum() or b in "-_/+":
                continue
            value = text[s:end]
            if not value_re.fullmatch(value):
                continue
            if char_after(text, end) in "-_/+=":
                return None
            digits = any(c.isdigit() for c in value)
            letters = any(c.isalpha() for c in value)
            if not (digits and letters) or not looks_random(value, min_distinct=10):
                return None
            return s, end
        return None

    return validate


# --------------------------------------------------------------------------------------
# Slack webhooks, GCP service accounts, Bearer tokens

_SLACK_WEBHOOK = (
    r"https://hooks\.slack\.com/(?:services|workflows|triggers)/"
    r"T[A-Z0-9]{6,12}/[A-Za-z0-9]{6,12}/[A-Za-z0-9/]{10,80}"
)


def _slack_webhook(text: str, start: int, end: int) -> tuple[int, int] | None:
    while end > start and text[end - 1] == "/":
        end -= 1
    secret = text[start:end].rsplit("/", 1)[-1]
    if len(secret) < 16 or not looks_random(secret, min_distinct=8):
        return None
    if char_after(text, end).isalnum():
        return None
    return start, end


_SENDGRID = r"\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}"


def _sendgrid(text: str, start: int, end: int) -> tuple[int, int] | None:
    a = char_after(text, end)
    if a.isalnum() or a in "_-" or char_before(text, start) in "_-.":
        return None
    _sg, key_id, secret = text[start:end].split(".")
    if not looks_random(key_id, min_distinct=8) or not looks_random(secret, min_distinct=12):
        return None
    return start, end


# The key id of a service-account file: reported, and next to it the "private_key" PEM is
# reported by the private-key detector. JSON-escaped quotes (a file inside a JSON string)
# are allowed.
_GCP = r"\\?\"private_key_id\\?\"\s{0,3}:\s{0,3}\\?\"[0-9a-f]{40}\\?\""


def _gcp(text: str, start: int, end: int) -> tuple[int, int] | None:
    value_end = end - 2 if text[end - 2] == "\\" else end - 1
    value_start = value_end - 40
    if not looks_random(text[value_start:value_end], min_distinct=10):
        return None
    return value_start, value_end


_BEARER = r"(?i:\bbearer)[ \t]{1,3}[A-Za-z0-9._~+/\-]{20}"
_TOKEN68 = re.compile(r"[A-Za-z0-9._~+/\-]*=*")
BEARER_MAX = 1024


def _bearer(text: str, start: int, end: int) -> tuple[int, int] | None:
    s = start + 6
    while text[s] in " \t":
        s += 1
    end = extend(text, end, _TOKEN68, s + BEARER_MAX)
    while end > s and text[end - 1] in ".":
        end -= 1  # the sentence's full stop
    a = char_after(text, end)
    if a.isalnum() or end - s < 20:
        return None
    value = text[s:end]
    if value.startswith("eyJ") and value.count(".") == 2:
        return None  # a JWT: the JWT detector judges it (jwt.io's sample is no leak)
    core = value.rstrip("=")
    if not any(c.isdigit() for c in core) or not any(c.isalpha() for c in core):
        return None
    if not looks_random(core.replace(".", "").replace("-", "").replace("_", ""), min_distinct=10):
        return None
    return s, end


DETECTORS: tuple[Detector, ...] = (
    *(Detector(p.kind, _prefixed_pattern(p), _make_prefixed(p), _max_len(p)) for p in PREFIXED),
    *(Detector(lab.kind, _labelled_pattern(lab), _make_labelled(lab), 84) for lab in LABELLED),
    Detector("sendgrid_api_key", _SENDGRID, _sendgrid, 69),
    Detector("slack_webhook", _SLACK_WEBHOOK, _slack_webhook, 200),
    Detector("gcp_service_account", _GCP, _gcp, 40),
    Detector("bearer_token", _BEARER, _bearer, BEARER_MAX),
)
