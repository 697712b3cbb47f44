"""Secrets and identifiers: cloud and API keys, JWTs, PEM private keys, MongoDB URIs with
credentials, password assignments and MongoDB ObjectIds.

Key formats are recognised by their documented prefixes and alphabets; the validators
reject the placeholders that fill documentation and LLM answers (``AKIAIOSFODNN7EXAMPLE``,
``sk-...``, ``ghp_xxxx…``, ``YOUR_API_KEY``) by requiring the random part to look random.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re

from ._base import (
    ALNUM,
    ALNUM_UNDERSCORE,
    B64URL,
    Detector,
    char_after,
    char_before,
    extend,
    is_word_char,
    looks_random,
)
from .documented import DOCUMENTED_OBJECT_IDS, documented_jwt_claims
from .normalize import PASSWORD_WORDS_NON_ASCII

#: Longest PEM block reported, in characters. A 4096-bit RSA key is about 3.2-3.4 KB in
#: PKCS#1, PKCS#8 and OpenSSH form; a block without its END line within this many
#: characters is reported from its BEGIN line to the end of its base64 body (or this
#: cap), so a truncated or streamed key is still caught by its header.
PEM_MAX = 4096
#: Longest JWT reported; a token longer than this is reported up to the cap.
JWT_MAX = 4096


# Fixed prefixes of key formats; what follows must look random. Longest first.
_KEY_PREFIXES = (
    "github_pat_", "sk-svcacct-", "sk-admin-", "sk-proj-", "sk_live_", "rk_live_", "sk_test_",
    "rk_test_", "ghp_",
    "gho_", "ghu_", "ghs_", "ghr_", "sk-",
)  # fmt: skip


# Test keys that vendors print in their public documentation (Stripe's API reference and
# guides); like AKIAIOSFODNN7EXAMPLE they are examples, not leaks.
_DOCUMENTED_EXAMPLES = frozenset(
    ("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_BQokikJOvBiI2HlWgH4olfQ2")
)


def _prefixed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Keys made of a fixed prefix and a random part (GitHub, OpenAI, Stripe)."""
    alphabet = B64URL if text.startswith("sk-", start) else ALNUM
    if text.startswith("github_pat_", start):
        alphabet = ALNUM_UNDERSCORE
    end = extend(text, end, alphabet, start + 300)
    value = text[start:end]
    if char_before(text, start).isalnum() or char_after(text, end).isalnum():
        return None
    if char_before(text, start) == "-" or char_before(text, start) == "_":
        return None
    prefix = next((p for p in _KEY_PREFIXES if value.startswith(p)), "")
    if value in _DOCUMENTED_EXAMPLES or not looks_random(value[len(prefix) :]):
        return None
    return start, end


# --------------------------------------------------------------------------------------
# AWS

_AWS_ID = r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b"


def _aws_id(text: str, start: int, end: int) -> tuple[int, int] | None:
    body = text[start + 4 : end]
    if not looks_random(body, min_distinct=6):
        return None
    return start, end


# "aws ... secret" or "secret access key" before the value, up to eight words apart
# ("SecretAccessKey on file is ...", "aws_secret_access_key for Joël Doe: ..."; the
# pattern sees non-ASCII letters as "?"); or a plain "secret (key)"
# label, accepted only when AWS is named shortly before (validated below).
# ...or a key id followed closely by a 40-character token on the same line
# ("AKIA… / wJalr…", "access key AKIA…, secret wJalr…").
_AWS_SECRET = (
    r"(?i:(?:aws.{0,20}secret|secret.{0,3}access.{0,3}key|aws.{0,3}sk\b|\bsecret(?:.key)?\b)"
    r"[^A-Za-z0-9/+]{0,5}(?:[a-z_?]{0,20}[^A-Za-z0-9/+]{1,5}){0,8}"
    r"[A-Za-z0-9/+]{40})"
    r"|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b[^\n]{0,80}?[^A-Za-z0-9/+][A-Za-z0-9/+]{40}"
)
_AWS_NEARBY = re.compile(r"(?i)\baws|amazon|\bAKIA|\bASIA|\biam\b")


def _aws_secret(text: str, start: int, end: int) -> tuple[int, int] | None:
    value_start = end - 40
    value = text[value_start:end]
    label = text[start:value_start].lower()
    if "aws" not in label and "access" not in label and not label.startswith(("akia", "asia")):
        # A bare "secret: ..." is an AWS secret key only in an AWS context.
        if not _AWS_NEARBY.search(text, max(0, start - 300), start):
            return None
    if char_after(text, end).isalnum() or char_after(text, end) in "/+=":
        return None
    if char_before(text, value_start).isalnum() or char_before(text, value_start) in "/+":
        return None
    if not aws_secret_value_ok(value):
        return None
    return value_start, end


_AWS_SECRET_VALUE = re.compile(r"[A-Za-z0-9/+]{40}")


def aws_secret_value_ok(value: str) -> bool:
    """Whether *value* has the shape of an AWS secret access key and looks generated."""
    # Both cases, and a digit or "/"/"+" (one random key in a thousand has no digit).
    return (
        _AWS_SECRET_VALUE.fullmatch(value) is not None
        and any(c.islower() for c in value)
        and any(c.isupper() for c in value)
        and any(c.isdigit() or c in "/+" for c in value)
        and "EXAMPLE" not in value
        and looks_random(value, min_distinct=12)
    )


# A 40-character key with no English label next to it: it counts when the 160 characters
# before it name an AWS secret access key in another language, or AWS, or an access key id.
_AWS_BARE = r"(?:^|[^A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?:$|[^A-Za-z0-9/+=])"
_AWS_LABELS = re.compile(
    r"(?i)\baws|amazon|\bAKIA[A-Z0-9]{16}|\bASIA[A-Z0-9]{16}|secret.{0,3}access.{0,3}key|"
    r"clave de acceso secreta|chiave di accesso segreta|cl\u00e9 d.acc\u00e8s secr\u00e8te|"
    r"geheimer zugriffsschl\u00fcssel|geheime toegangssleutel|chave de acesso secreta|"
    r"tajny klucz dost\u0119pu|\u0441\u0435\u043a\u0440\u0435\u0442\u043d\u044b\u0439 "
    r"\u043a\u043b\u044e\u0447 \u0434\u043e\u0441\u0442\u0443\u043f\u0430|"
    r"\u30b7\u30fc\u30af\u30ec\u30c3\u30c8\u30a2\u30af\u30bb\u30b9\u30ad\u30fc|"
    r"\u79d8\u5bc6\u8bbf\u95ee\u5bc6\u94a5|\u79d8\u5bc6\u5b58\u53d6\u91d1\u9470"
)


def _aws_bare(text: str, start: int, end: int) -> tuple[int, int] | None:
    if not (text[start].isalnum() or text[start] in "/+"):
        start += 1
    if not (text[end - 1].isalnum() or text[end - 1] in "/+"):
        end -= 1
    if end - start != 40 or not aws_secret_value_ok(text[start:end]):
        return None
    if char_before(text, start) in "-_." and char_before(text, start - 1).isalnum():
        return None  # part of a longer dotted or dashed token
    if _AWS_LABELS.search(text, max(0, start - 160), start) is None:
        return None
    return start, end


# --------------------------------------------------------------------------------------
# GitHub, OpenAI, Slack, Stripe, Google

# Long tokens: the patterns match a bounded prefix; validators extend to the whole token.
_GITHUB = r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{30})"
_OPENAI = r"\bsk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_\-]{20}"
# (Incoming-webhook URLs are their own kind, slack_webhook: see service_keys.py.)
_SLACK = (
    r"\bxox[abposre]-[0-9A-Za-z]{1,40}(?:-[0-9A-Za-z]{1,80}){1,5}"
    r"|\bxapp-\d-[A-Z0-9]{8,20}-\d{6,20}-[a-f0-9]{20,80}"
)
# Test-mode secret keys are reported too: they authenticate to the account's API (its test
# data, webhooks and settings), and GitHub push protection blocks them alike. Publishable
# keys (pk_) are public by design.
_STRIPE = r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20}"
_GOOGLE = r"\bAIza[0-9A-Za-z_\-]{35}"


def _openai(text: str, start: int, end: int) -> tuple[int, int] | None:
    if char_before(text, start) in "-_" or text.startswith("sk-ant-", start):
        return None  # (sk-ant-: an Anthropic key)
    return _prefixed(text, start, end)


def _slack(text: str, start: int, end: int) -> tuple[int, int] | None:
    parts = text[start:end].split("-")
    if len("".join(parts[1:])) < 20:
        return None
    # The numeric parts are workspace/user ids (often written out as 1234567890 in a
    # made-up example); the secret is the last part.
    body = parts[-1] if len(parts[-1]) >= 20 else "".join(parts[1:])
    if not looks_random(body, min_distinct=8):
        return None
    return start, end


def _google(text: str, start: int, end: int) -> tuple[int, int] | None:
    a = char_after(text, end)
    if a.isalnum() or a in "-_" or char_before(text, start).isalnum():
        return None
    if not looks_random(text[start + 4 : end]):
        return None
    return start, end


# --------------------------------------------------------------------------------------
# JWT

# Header and the start of the payload; the validator extends over payload and signature.
_JWT = r"\beyJ[A-Za-z0-9_\-]{8,300}\.ey[A-Za-z0-9_\-]{2,40}"


@functools.lru_cache(maxsize=512)
def _jwt_header_ok(header: str) -> bool:
    """Whether a JWT header decodes to JSON with an ``alg`` (cached: one issuer's tokens
    share their header)."""
    decoded = _b64url_json(header)
    return isinstance(decoded, dict) and "alg" in decoded


def _b64url_json(part: str) -> object:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _jwt(text: str, start: int, end: int) -> tuple[int, int] | None:
    limit = start + JWT_MAX
    end = extend(text, end, B64URL, limit)
    if end < limit and char_after(text, end) == ".":
        end = extend(text, end + 1, B64URL, limit)  # the signature (may be empty)
    parts = text[start:end].split(".")
    if end >= limit and len(parts) >= 2:
        parts = [*parts[:2], ""][:3]  # longer than the cap: judged by its header
    if len(parts) != 3:
        return None
    header, payload, _sig = parts
    if not _jwt_header_ok(header):
        return None
    if not payload.startswith("eyJ") and _b64url_json(payload) is None:
        return None
    if len(payload) < 160 and documented_jwt_claims(_b64url_json(payload)):
        return None  # jwt.io's sample token
    if end < limit and (is_word_char(char_after(text, end)) or char_after(text, end) == "-"):
        return None
    return start, end


# --------------------------------------------------------------------------------------
# PEM private keys

_PEM = (
    r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |ED25519 )?PRIVATE KEY(?: BLOCK)?-----"
)
_PEM_END = re.compile(r"-----END [A-Z0-9 ]{0,20}PRIVATE KEY(?: BLOCK)?-----")
# The body: base64, line breaks (also JSON-escaped), the headers of encrypted PKCS#1, and
# the "> " that quotes each line of a block in markdown or e-mail.
_B64_BODY = re.compile(
    r"(?:[A-Za-z0-9+/=\s>]|\\[nr]|Proc-Type:[^\r\n\\]{0,80}|DEK-Info:[^\r\n\\]{0,80})*+"
)


def _pem(text: str, start: int, end: int) -> tuple[int, int] | None:
    limit = min(len(text), start + PEM_MAX)
    run = _B64_BODY.match(text, end, limit)
    stop = run.end() if run else end
    body = text[end:stop]
    tail = _PEM_END.match(text, stop, limit)
    if tail is not None:
        stop = tail.end()
    if sum(c.isalnum() for c in body) < 40:
        return None  # "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"
    # (a run of four x is one random key in a few thousand; eight is a placeholder)
    if "..." in body or "xxxxxxxx" in body.lower() or "<" in body:
        return None
    return start, stop


# --------------------------------------------------------------------------------------
# MongoDB connection strings with credentials

# Up to the "@"; the validator extends over the hosts, path and options.
# The password may hold a "/" (percent-decoded "%2F" after normalisation); "?" starts the
# options, so an "@" after it is not the end of the credentials.
# The user name may hold an "@" too (a percent-encoded "%40" decoded).
_MONGO = r"mongodb(?:\+srv)?://[^\s:/\"'<>]{1,128}:[^\s@?\"']{1,256}@"
_URI_TAIL = re.compile(r"[^\s\"'<>`]{1,600}")
_TEMPLATE_VAR = re.compile(
    r"^(?:\$[A-Z_][A-Z0-9_]*|%\([a-z_]+\)s|\{[A-Za-z_]*\}|"
    r"(?:os\.environ|process\.env|getenv|env)\b.*)$"
)
_PLACEHOLDER_PASSWORDS = frozenset(
    "password pass pwd passwd secret changeme xxx xxxx xxxxx xxxxxx xxxxxxxx *** **** ***** "
    "****** ******** db_password your_password yourpassword mypassword <password> "
    "<db_password> [password] {password} example placeholder redacted ... pw".split()
)


_COMMAND_SUBST = re.compile(r"^(?:\$\(|`)[a-z_][a-z0-9_\-]*(?:\s|\)|`|$)")


def _placeholder_password(value: str) -> bool:
    v = value.strip().lower()
    if not v or v in _PLACEHOLDER_PASSWORDS:
        return True
    if set(v) <= set("*x.•●#-_?") or v.startswith(("<", "${", "{{", "[redacted")):
        return True
    if _COMMAND_SUBST.match(value.strip()):
        return True  # $(cat /run/secrets/db), `pass show db`
    if _TEMPLATE_VAR.match(value.strip()):
        return True  # $DB_PASSWORD, %(password)s, {password}, os.environ[...]
    return any(w in v for w in _PLACEHOLDER_PARTS)


_PLACEHOLDER_PARTS = (
    "your_", "your-", "yourpass", "placeholder", "redacted", "<", "example", "change-me",
    "change_me", "changethis", "xxxx", "...",
)  # fmt: skip


def _mongo(text: str, start: int, end: int) -> tuple[int, int] | None:
    tail = _URI_TAIL.match(text, end)
    if tail is None:
        return None
    end = tail.end()
    value = text[start:end]
    creds = value.split("://", 1)[1].rsplit("@", 1)[0] if "@" in value else ""
    password = creds.split(":", 1)[1] if ":" in creds else ""
    if _placeholder_password(password):
        return None
    # Trailing sentence punctuation is not part of the URI.
    while end > start and text[end - 1] in ".,;:)]}":
        end -= 1
    return start, end


# --------------------------------------------------------------------------------------
# Credentials in other connection URIs (postgres://, mysql://, redis://, amqp://, https://):
# the password part is reported as a password assignment.

# ("?" may stand in the password: the pattern sees any non-ASCII character as "?")
_URI_CREDS = r"\b[A-Za-z][A-Za-z0-9+.\-]{1,20}://[^\s:/@\"'<>]{0,128}:[^\s@/\"'<>]{1,128}@"
# A password typed with a raw "@" (it should be percent-encoded): the credentials end at
# the last "@" before the host.
_MORE_USERINFO = re.compile(r"[^\s@/\"'<>]{1,128}@")


def _uri_password(text: str, start: int, end: int) -> tuple[int, int] | None:
    scheme_end = text.find("://", start, end)
    if text[start:scheme_end].lower() in ("mongodb", "mongodb+srv"):
        return None  # reported whole as mongodb_uri
    colon = text.find(":", scheme_end + 3, end)
    for _ in range(3):
        more = _MORE_USERINFO.match(text, end)
        if more is None:
            break
        end = more.end()
    password = text[colon + 1 : end - 1]
    if _placeholder_password(password) or password.lower() in _NOT_PASSWORDS:
        return None
    if len(password) < 4 or (password.isalpha() and len(password) < 10):
        return None  # "user:token@", "user:pass@": a word standing for the password
    return colon + 1, end - 1


# --------------------------------------------------------------------------------------
# password assignments

# The key (also in German, French, Spanish, Dutch and Portuguese), an assignment or a
# plain-language "is"/"lautet"/"est"/"es", and the value. The pattern runs on text whose
# non-ASCII characters read as "?", hence "contrase.a".
# ("pw" also stands for the non-ASCII words of normalize.PASSWORD_WORDS_NON_ASCII, which
# the patterns read as "pw", "pw_x", ...)
_PASSWORD_WORDS = (
    "password|passwd|passphrase|pwd|pw|pass|secret|passwort|kennwort|mot de passe|mdp|"
    "contrase.a|contrasenya|wachtwoord|senha|has.o|parola|heslo|geslo|lozinka|salasana|"
    "passord|adgangskode|l.senord|jelsz."
)
_PROSE_IS = (
    r"is|ist|lautet|est|es|era|was|to|jest|will be|is now|has been|set to|changed to|wird|"
    r"wordt|sera|ser.|ist jetzt|est maintenant|es ahora"
)
# Markdown emphasis around the key or its colon: "**Password:** `...`", "__pwd__: ...".
_EMPH = r"(?:\*{1,2}|_{1,2})?"
# ">" is an XML element: <password>...</password> (checked in the validator).
# The long key words may be glued to a prefix: PGPASSWORD, adminPassword, clientSecret.
_GLUED_WORDS = r"password|passwd|passwort|passphrase|secret|kennwort|wachtwoord"
# A quoted value may also follow the key after plain spaces, as in SQL
# (WITH PASSWORD 'x', IDENTIFIED BY 'x') and prose (the password "x").
_PASSWORD = (
    rf"(?i)\b(?:[A-Za-z0-9]{{1,20}}[_\-.]){{0,3}}"
    rf"(?:[A-Za-z0-9]{{0,20}}(?:{_GLUED_WORDS})|{_PASSWORD_WORDS}|identified by)"
    rf"(?:[_\-][A-Za-z0-9]{{1,20}}){{0,3}}"
    # "(senha): ...", "(hasło) to ...": the key in parentheses
    rf"(?:\)?{_EMPH}[\"']?\s{{0,3}}"
    rf"(?:=>|:=|=|:|>|\s{{1,3}}(?:{_PROSE_IS}):?){_EMPH}"
    r"\s{0,3}"
    r"(?:\"[^\"\r\n]{1,200}\"|'[^'\r\n]{1,200}'|`[^`\r\n]{1,200}`|[^\s\"'`,;]{1,200})"
    r"|\s{1,3}(?:\"[^\"\r\n]{1,200}\"|'[^'\r\n]{1,200}')"
    # HTML: <td>password</td><td>value</td>, <input name="password" value="value">
    r"|</t[dh]>\s{0,3}<td[^>]{0,40}>[^<\r\n]{1,200}<"
    r"|[\"']\s{1,3}value=[\"'][^\"'\r\n]{1,200}[\"'])"
)
# The clean check's form (Detector.clean): a key word where _PASSWORD can have one, and
# the character after it (a key suffix, a bracket, emphasis, a quote, a space, an
# assignment or a tag): no counted prefixes and no value.
_PASSWORD_CLEAN = (
    rf"(?i:(?:{_GLUED_WORDS})|(?:\b|[_\-.])(?:{_PASSWORD_WORDS}|identified by))"
    r"[_\-)*\"'\s=:><]"
)
_ASSIGN = re.compile(
    rf"(?i)</t[dh]>\s*<td[^>]*>|[\"']\s+value=[\"']|[\u306f\u304c\u662f\u4e3a\u70ba]:?\s*"
    rf"|\)?{_EMPH}[\"']?\s*(?:=>|:=|=|:|>|\s+(?:{_PROSE_IS}):?){_EMPH}\s*|\s+(?=[\"'])"
)
_KEY_RE = re.compile(
    r"(?i)(?:password|passwort|passwd|passphrase|pwd|pass|secret|kennwort|mot de passe|mdp|"
    r"identified by|"
    r"contrase[\u00f1n]a|contrasenya|wachtwoord|senha|parola|heslo|geslo|lozinka|salasana|"
    r"passord|adgangskode|l\u00f6senord|jelsz\u00f3|"
    + "|".join(PASSWORD_WORDS_NON_ASCII)
    + r"|pw)(?:[_\-][a-z0-9]{1,20})*"
)
# Unquoted values that read as code: a lower-case identifier or a constant name without
# digits, an attribute access or a call.
_CODE_VALUE = re.compile(
    r"^(?:[a-z_][A-Za-z_]*|[A-Z_]+|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)$"
    r"|^[A-Za-z_][A-Za-z0-9_.]*(?:\(.*\)|\[.*\])$"
)
# The start of a call or subscript: get_pass(, bcrypt.hashpw(pw (a function-style name,
# so that a password such as Tr0ub4dor(3 or z(rbg is not one)
_CALL_START = re.compile(
    r"^(?:[A-Za-z_][A-Za-z0-9_.]*[(\[]$"
    r"|[a-z_]{3,}[a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*[(\[][A-Za-z_\"'\])])"
)
# A whole call chain: get_password(), input().strip() (but not a password such as Pa()ss2)
_CALL_VALUE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*\(\)(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\(\))?)*$")
# "sommer.admin974": dotted like an attribute, but a last part ending in digits is a value
_DOTTED_VALUE = re.compile(r"^[a-z]+(?:\.[a-z]+)*\.[a-z]*[0-9]{2,}$")
# A YAML tag standing for the value: "password: !vault |", "Password: !Ref DbPassword"
_YAML_TAG = re.compile(r"^![A-Za-z][A-Za-z_:]*$")
_NOT_PASSWORDS = frozenset(
    "true false null none nil undefined required optional string str int bool hidden "
    "text type field input masked empty yes no".split()
)


def password_cell_ok(value: str) -> bool:
    """Whether a table cell under a password header holds a password (not a
    placeholder, a mask or a word)."""
    value = value.strip()
    if not 4 <= len(value) <= 200 or _placeholder_password(value):
        return False
    return value.lower() not in _NOT_PASSWORDS and _password_strength_ok(value)


def _password_strength_ok(value: str) -> bool:
    classes = (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )
    return len(value) >= 6 and classes >= 2 and any(not c.isalpha() for c in value)


# Quote-led pieces of a token after an unquoted password value ('"mQ2!vL' of Xk9"mQ2!vL).
_QUOTE_INSIDE = re.compile(r"(?:\"[^\s\"'`,;:}\])]+)+")


def _ends_value(ch: str) -> bool:
    return ch.isspace() or ch in "\"'`,;\0"


def _password(text: str, start: int, end: int) -> tuple[int, int] | None:
    match = text[start:end]
    key = _KEY_RE.search(match)
    if key is None:
        return None
    keyword = key.group().lower()
    if keyword.startswith("pass") and not keyword.startswith(("passw", "passp")):
        # "pass" alone: only as a whole key ("pass:", "db_pass="), not "passes", "passed"
        if key.end() < len(match) and match[key.end()].isalpha():
            return None
    if keyword.startswith("secret") and any(
        keyword.endswith(s) for s in ("_name", "_id", "_arn", "_ref", "_path", "_file")
    ):
        return None
    sep = _ASSIGN.match(match, key.end())
    if sep is None:
        return None
    value_start = start + sep.end()
    value_end = end
    if sep.group().startswith("</t") or "value=" in sep.group().lower():
        # <td>password</td><td>value</td>, name="password" value="value"
        value_end = end - 1
        value = text[value_start:value_end].strip()
        if _placeholder_password(value) or value.lower() in _NOT_PASSWORDS:
            return None
        return (value_start, value_start + len(value)) if 4 <= len(value) <= 200 else None
    if ">" in sep.group() and "=" not in sep.group():
        # <password>value</password>: the element's text, nothing else (also when it
        # starts with "*" or "_", which the pattern may have read as emphasis)
        value_start = start + match.index(">", key.end()) + 1
        close = text.find("</", value_start, end)
        if char_before(text, start) != "<" or close <= value_start:
            return None
        value = text[value_start:close]
        if _placeholder_password(value) or value.lower() in _NOT_PASSWORDS:
            return None
        return (value_start, close) if 4 <= len(value) <= 200 else None
    quoted = text[value_start] in "\"'`"
    if quoted:
        value_start += 1
        value_end -= 1
    value = text[value_start:value_end].strip()
    if not quoted and not _ends_value(char_after(text, end)):
        return None  # the 200-character cap cut a longer run: not a password
    if not quoted and text.startswith('"', end) and value and value[-1] not in "([{=<,":
        # A double quote inside an unquoted value (Xk9"mQ2!vL): the value goes on to the
        # end of the token. A quote that ends a JSON string or a quoted phrase is followed
        # by a space, punctuation or the end, and stays out; so does the argument of a call
        # (os.getenv("X"): the value is code, judged below).
        inner = _QUOTE_INSIDE.match(text, end)
        if inner is not None and _ends_value(char_after(text, inner.end())):
            value = text[value_start : inner.end()].strip()
    if not quoted and value.endswith((".", ",", ";")) and len(value) > 1:
        value = value[:-1]  # the sentence's full stop, not the password's
    if not value or _placeholder_password(value) or value.lower() in _NOT_PASSWORDS:
        return None
    prose = "=" not in sep.group() and ":" not in sep.group()  # "password is ..."
    if not sep.group().strip() and any(c.isspace() for c in value):
        return None  # 1Password "Secure Notes": a quoted phrase, not a password
    if prose and not _password_strength_ok(value):
        return None
    # DB_PASSWORD=word in an env file, --password=word on a command line
    env_style = sep.group() == "=" and (key.group().isupper() or char_before(text, start) == "-")
    if not quoted and not prose:
        plain_word = env_style and not value.isupper() and "." not in value
        if _CODE_VALUE.match(value) and not plain_word and not _DOTTED_VALUE.match(value):
            # password = get_password(), pwd: input.value, PASS=PASSWORD; but in an env
            # file DB_PASSWORD=supersecret is a value, not a variable.
            return None
        call = _CALL_START.match(value) and not env_style  # DB_PASSWORD=k7b(IlF is a value
        if value.startswith(("/", "~")) or _CALL_VALUE.match(value) or call:
            return None  # a path, or the start of a call: password = input("Password: ")
        if _YAML_TAG.match(value):
            return None
    if keyword == "pwd" and value.startswith(("/", "~")):
        return None
    if not 4 <= len(value) <= 200:
        return None
    return value_start, value_start + len(value)


# --------------------------------------------------------------------------------------
# MongoDB ObjectIds

_OBJECT_ID = r"\b[0-9a-fA-F]{24}\b"


def _object_id(text: str, start: int, end: int) -> tuple[int, int] | None:
    value = text[start:end]
    if value.isdigit() or not any(c.isdigit() for c in value):
        return None
    if value.lower() in DOCUMENTED_OBJECT_IDS:
        return None
    if not (value.islower() or value.isupper()):
        return None  # mixed-case hex is not how ObjectIds are printed
    b, a = char_before(text, start), char_after(text, end)
    # A 24-hex piece of a longer token (hash-hash, uuid-like, path segment with hex).
    if (b in "-." and char_before(text, start - 1).isalnum()) or (
        a in "-." and char_after(text, end + 1).isalnum()
    ):
        return None
    return start, end


# The words the two patterns above start from: a stream tail without one of them holds no
# unfinished candidate of theirs beyond its last word (see Detector.stream_gate).
_AWS_SECRET_GATE = r"(?i)aws|secret|akia|asia"
_PASSWORD_GATE = r"(?i)pass|pwd|secret|kennwort|mot de|mdp|contrase|wachtwoord|senha|identified"


DETECTORS: tuple[Detector, ...] = (
    Detector("aws_access_key", _AWS_ID, _aws_id, 20),
    Detector("aws_secret_key", _AWS_SECRET, _aws_secret, 40, stream_gate=_AWS_SECRET_GATE),
    Detector("aws_secret_key", _AWS_BARE, _aws_bare, 40),
    Detector("github_token", _GITHUB, _prefixed, 255),
    Detector("openai_api_key", _OPENAI, _openai, 260),
    Detector("slack_token", _SLACK, _slack, 400),
    Detector("stripe_key", _STRIPE, _prefixed, 255),
    Detector("google_api_key", _GOOGLE, _google, 39),
    Detector("jwt", _JWT, _jwt, JWT_MAX),
    Detector("private_key", _PEM, _pem, PEM_MAX),
    Detector("mongodb_uri", _MONGO, _mongo, 900),
    Detector(
        "password_assignment",
        _PASSWORD,
        _password,
        200,
        stream_gate=_PASSWORD_GATE,
        clean=_PASSWORD_CLEAN,
    ),
    Detector("password_assignment", _URI_CREDS, _uri_password, 128),
    Detector("object_id", _OBJECT_ID, _object_id, 24),
)
