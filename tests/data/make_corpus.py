# ruff: noqa: E501  (long f-string templates of generated sentences read better unbroken)
"""Generate the labelled detection corpus ``corpus.jsonl`` (run from the repository root).

    python tests/data/make_corpus.py

Every record is one LLM-style output (prose, markdown or a JSON body) with the values
planted in it and their spans::

    {"id": 17, "text": "...", "labels": [{"kind": "email", "start": 9, "end": 29}],
     "form": "zero_width", "negative": false}

Values are generated from the formats' rules, not copied from fixed strings: random
characters of each key's alphabet and length, card numbers and IBANs with computed check
digits, SSNs within the valid area/group/serial ranges, names and addresses from Faker in
six locales. Each value is rendered in several formats and obfuscations (Unicode dashes,
fullwidth digits, zero-width characters, "at"/"dot" spellings, line breaks, JSON escapes,
HTML entities, percent-encoding, markdown code spans and tables). Hard negatives (ISBNs,
order numbers, versions, UUIDs, git SHAs, dates, placeholder keys, masked values, prose
about passwords) are records with no labels. The seed is fixed, so the output is
reproducible for a given Faker version.
"""

from __future__ import annotations

import base64
import html
import json
import random
import string
import sys
import urllib.parse
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from faker import Faker
from reserved_values import unreserved, unreserved_phone

SEED = 20261126
PER_KIND = 110
OUT = Path(__file__).with_name("corpus.jsonl")

rng = random.Random(SEED)
LOCALES = ["en_US", "de_DE", "fr_FR", "es_ES", "nl_NL", "en_GB"]
fakers = {loc: Faker(loc) for loc in LOCALES}
for i, loc in enumerate(LOCALES):
    fakers[loc].seed_instance(SEED + i)


def fk(locale: str | None = None) -> Faker:
    return fakers[locale or rng.choice(LOCALES)]


ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"


def rand(alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# ------------------------------------------------------------------------------------
# value generators (each returns the canonical value; formats are applied later)


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for check in string.digits:
        candidate = body + check
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch)
            if i % 2:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        if total % 10 == 0:
            return candidate
    raise AssertionError


def gen_card() -> str:
    choice = rng.choice(["visa", "visa", "mc", "mc2", "amex", "discover", "faker"])
    if choice == "visa":
        return luhn_complete("4", 16)
    if choice == "mc":
        return luhn_complete(str(rng.randint(51, 55)), 16)
    if choice == "mc2":
        return luhn_complete(str(rng.randint(2221, 2720)), 16)
    if choice == "amex":
        return luhn_complete(rng.choice(["34", "37"]), 15)
    if choice == "discover":
        return luhn_complete(rng.choice(["6011", "65", str(rng.randint(644, 649))]), 16)
    card_type = rng.choice(
        ["visa16", "visa13", "visa19", "mastercard", "amex", "discover", "jcb16", "diners"]
    )
    return str(fk("en_US").credit_card_number(card_type))


def group_card(number: str, sep: str) -> str:
    if len(number) == 15:
        parts = [number[:4], number[4:10], number[10:]]
    else:
        parts = [number[i : i + 4] for i in range(0, len(number), 4)]
    return sep.join(parts)


def gen_ssn() -> str:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


IBAN_BBAN = {  # country: (length, bban generator)
    "DE": (22, lambda: rand(string.digits, 18)),
    "GB": (22, lambda: rand(string.ascii_uppercase, 4) + rand(string.digits, 14)),
    "FR": (27, lambda: rand(string.digits, 21) + rand(string.digits, 2)),
    "ES": (24, lambda: rand(string.digits, 20)),
    "NL": (18, lambda: rand(string.ascii_uppercase, 4) + rand(string.digits, 10)),
    "IT": (27, lambda: rand(string.ascii_uppercase, 1) + rand(string.digits, 22)),
    "BE": (16, lambda: rand(string.digits, 12)),
    "AT": (20, lambda: rand(string.digits, 16)),
}


def gen_iban() -> str:
    if rng.random() < 0.4:
        return str(fk(rng.choice(["de_DE", "fr_FR", "es_ES", "nl_NL", "en_GB"])).iban())
    country = rng.choice(list(IBAN_BBAN))
    bban = IBAN_BBAN[country][1]()
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


def gen_phone() -> str:
    return unreserved_phone(_gen_phone())


def _gen_phone() -> str:
    kind = rng.random()
    if kind < 0.5:
        return str(fk().phone_number())
    templates = [
        "+1 ({a}) {b}-{c}",
        "({a}) {b}-{c}",
        "{a}-{b}-{c}",
        "+1-{a}-{b}-{c}",
        "+44 20 {d4} {e4}",
        "+44 7{d3} {e6}",
        "020 {d4} {e4}",
        "07{d3} {e6}",
        "+49 30 {e7}",
        "+49 (0)89 {d4} {e3}",
        "0171 {e7}",
        "+33 6 {p2} {q2} {r2} {s2}",
        "+33 (0)1 {p2} {q2} {r2} {s2}",
        "06 {p2} {q2} {r2} {s2}",
        "+34 6{d2} {e3} {f3}",
        "+34 91 {e3} {p2} {q2}",
        "+31 6 {e8}",
        "+31 20 {e3} {d4}",
        "06-{e8}",
        "0031 20 {e3} {d4}",
        "01.{p2}.{q2}.{r2}.{s2}",
        "1 (800) {b}-{c}",
        "{a}.{b}.{c}",
    ]
    t = rng.choice(templates)

    def digits(n: int) -> str:
        return str(rng.randint(1, 9)) + rand(string.digits, n - 1)

    return t.format(
        a=str(rng.randint(201, 989)),
        b=str(rng.randint(200, 999)),
        c=rand(string.digits, 4),
        d2=digits(2),
        d3=digits(3),
        d4=digits(4),
        e3=digits(3),
        e4=digits(4),
        e6=digits(6),
        e7=digits(7),
        e8=digits(8),
        f3=digits(3),
        p2=digits(2),
        q2=digits(2),
        r2=digits(2),
        s2=digits(2),
    )


def gen_ipv4() -> str:
    r = rng.random()
    if r < 0.3:
        return str(fk().ipv4_private())
    if r < 0.8:
        return str(fk().ipv4_public())
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def gen_email() -> str:
    f = fk()
    r = rng.random()
    if r < 0.4:
        return unreserved(str(f.email()))
    first = f.first_name().lower()
    last = f.last_name().lower()
    local = "".join(c for c in f"{first}.{last}" if c.isascii() and (c.isalnum() or c == "."))
    local = local.strip(".") or "user"
    if rng.random() < 0.3:
        local += f"+{rand(string.ascii_lowercase, 4)}"
    if rng.random() < 0.3:
        local = local.title()
    domain = rng.choice(
        [f.free_email_domain(), f.domain_name(), f"mail.{f.domain_name()}", "corp.example.org"]
    )
    return unreserved(f"{local}@{domain}")


def gen_aws_id() -> str:
    return rng.choice(["AKIA", "ASIA"]) + rand(string.ascii_uppercase + "234567", 16)


def gen_aws_secret() -> str:
    while True:
        v = rand(B64, 40)
        if any(c.isdigit() for c in v) and any(c.islower() for c in v):
            return v


def gen_github() -> str:
    if rng.random() < 0.7:
        return rng.choice(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + rand(ALNUM, 36)
    return "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59)


def gen_openai() -> str:
    r = rng.random()
    if r < 0.4:
        return "sk-" + rand(ALNUM, 48)
    if r < 0.8:
        return "sk-proj-" + rand(B64URL, 74) + "T3BlbkFJ" + rand(B64URL, 74)
    return "sk-svcacct-" + rand(B64URL, 60)


def gen_slack() -> str:
    prefix = rng.choice(["xoxb", "xoxp", "xoxa", "xoxs"])
    if prefix == "xoxp":
        return f"xoxp-{rand(string.digits, 12)}-{rand(string.digits, 12)}-{rand(string.digits, 13)}-{rand('0123456789abcdef', 32)}"
    return f"{prefix}-{rand(string.digits, 12)}-{rand(string.digits, 13)}-{rand(ALNUM, 24)}"


def gen_stripe() -> str:
    return rng.choice(["sk_live_", "rk_live_"]) + rand(ALNUM, rng.choice([24, 34, 99]))


def gen_google() -> str:
    return "AIza" + rand(B64URL, 35)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def gen_jwt() -> str:
    header = {"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    if rng.random() < 0.5:
        header["kid"] = rand(ALNUM, 10)
    payload = {
        "sub": str(rng.randint(1000, 99999999)),
        "name": fk().name(),
        "iat": rng.randint(1_500_000_000, 1_800_000_000),
    }
    sig = rand(B64URL, 43 if header["alg"] == "HS256" else 86)
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}.{sig}"


def gen_pem() -> str:
    label = rng.choice(["RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY",
                        "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"])  # fmt: skip
    lines = rng.randint(3, 12)
    body = "\n".join(rand(B64, 64) for _ in range(lines)) + "\n" + rand(B64, 20) + "=="
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"


def gen_mongo() -> str:
    user = rng.choice(["admin", "app", "svc_reader", fk().user_name()])
    pw = rand(ALNUM + "!$", rng.randint(10, 20)).replace("@", "")
    if rng.random() < 0.5:
        host = f"cluster{rng.randint(0, 9)}.{rand(string.ascii_lowercase + string.digits, 5)}"
        return f"mongodb+srv://{user}:{pw}@{host}.mongodb.net/{fk().word()}?retryWrites=true"
    return f"mongodb://{user}:{pw}@{fk().domain_word()}.internal:27017/prod"


def gen_password_value() -> str:
    r = rng.random()
    if r < 0.5:
        return fk().password(length=rng.randint(10, 18))
    if r < 0.8:
        return rand(ALNUM + "!#%^*_-", rng.randint(8, 24))
    return f"{fk().word().capitalize()}{rng.randint(10, 9999)}!"


def gen_object_id() -> str:
    ts = rng.randint(0x50000000, 0x68000000)
    return f"{ts:08x}" + rand("0123456789abcdef", 16)


# ------------------------------------------------------------------------------------
# obfuscations of a value (each returns the new surface form, or None if not applicable)

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
ZW = "\u200b\u200c\u200d\u2060\ufeff"


def ob_unicode_dash(v: str) -> str | None:
    if "-" not in v:
        return None
    d = rng.choice(DASHES)
    return v.replace("-", d)


def ob_fullwidth(v: str) -> str | None:
    if not any(c.isdigit() for c in v):
        return None
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in v)


def ob_zero_width(v: str) -> str | None:
    if len(v) < 6:
        return None
    chars = list(v)
    for _ in range(rng.randint(1, 3)):
        pos = rng.randint(1, len(chars) - 1)
        chars.insert(pos, rng.choice(ZW))
    return "".join(chars)


def ob_nbsp(v: str) -> str | None:
    if " " not in v:
        return None
    return v.replace(" ", rng.choice(["\u00a0", "\u202f", "\u2009"]))


def ob_html(v: str) -> str | None:
    targets = [c for c in "@-.:" if c in v]
    if not targets:
        return None
    t = rng.choice(targets)
    ent = rng.choice([f"&#{ord(t)};", f"&#x{ord(t):x};"] + (["&commat;"] if t == "@" else []))
    return v.replace(t, ent)


def ob_linebreak(v: str) -> str | None:
    if " " not in v:
        return None
    parts = v.split(" ")
    i = rng.randint(1, len(parts) - 1)
    return " ".join(parts[:i]) + "\n" + " ".join(parts[i:])


def ob_at_dot(v: str) -> str | None:
    if "@" not in v:
        return None
    local, domain = v.split("@")
    style = rng.choice(["words", "brackets", "parens", "braces", "spaced"])
    if style == "spaced" and "." in local:
        return local + " at " + domain
    if style == "words":
        return local.replace(".", " dot ") + " at " + domain.replace(".", " dot ")
    if style == "brackets":
        return local + "[at]" + domain.replace(".", "[.]")
    if style == "parens":
        return local + " (at) " + domain.replace(".", " (dot) ")
    return local + "{at}" + domain.replace(".", "{dot}")


OBFUSCATIONS: dict[str, Callable[[str], str | None]] = {
    "unicode_dash": ob_unicode_dash,
    "fullwidth": ob_fullwidth,
    "zero_width": ob_zero_width,
    "nbsp": ob_nbsp,
    "html_entity": ob_html,
    "line_break": ob_linebreak,
    "at_dot": ob_at_dot,
}

# which obfuscations make sense for which kinds
OB_KINDS = {
    "email": ["zero_width", "html_entity", "at_dot", "at_dot", "fullwidth"],
    "us_ssn": ["unicode_dash", "fullwidth", "zero_width", "html_entity"],
    "credit_card": ["unicode_dash", "fullwidth", "zero_width", "nbsp", "line_break"],
    "iban": ["nbsp", "zero_width", "fullwidth", "line_break"],
    "phone": ["unicode_dash", "fullwidth", "nbsp", "zero_width"],
    "ipv4": ["fullwidth", "zero_width", "html_entity"],
    "aws_access_key": ["zero_width"],
    "github_token": ["zero_width"],
    "openai_api_key": ["zero_width"],
    "google_api_key": ["zero_width"],
    "jwt": ["zero_width"],
    "object_id": ["zero_width"],
}

# ------------------------------------------------------------------------------------
# surface formats of a value and the text around it


def fmt_value(kind: str, v: str) -> str:
    """A realistic written form of the canonical value."""
    if kind == "credit_card":
        return rng.choice([v, group_card(v, " "), group_card(v, "-"), group_card(v, " ")])
    if kind == "us_ssn":
        return rng.choice([v, v, v.replace("-", " ")])
    if kind == "iban":
        grouped = " ".join(v[i : i + 4] for i in range(0, len(v), 4))
        return rng.choice([v, grouped, grouped])
    if kind == "email" and rng.random() < 0.1:
        return v.upper()
    return v


LEADS = {
    "email": ["email", "contact", "reach them at", "E-Mail", "courriel", "correo", "mail"],
    "us_ssn": ["SSN", "social security number", "SSN#", "Social Security No."],
    "credit_card": ["card", "card number", "Visa", "payment card", "CC", "Kreditkarte"],
    "phone": ["phone", "call", "mobile", "Tel.", "Telefon", "téléphone", "teléfono"],
    "iban": ["IBAN", "bank account", "Kontonummer (IBAN)", "IBAN du compte"],
    "ipv4": ["IP address", "client ip", "host", "server", "last login from"],
    "aws_access_key": ["AWS_ACCESS_KEY_ID", "access key", "aws key id"],
    "aws_secret_key": ["aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "AWS secret key"],
    "github_token": ["GITHUB_TOKEN", "token", "GitHub PAT", "gh token"],
    "openai_api_key": ["OPENAI_API_KEY", "api key", "OpenAI key"],
    "slack_token": ["SLACK_BOT_TOKEN", "slack token", "bot token"],
    "stripe_key": ["STRIPE_SECRET_KEY", "stripe key", "secret key"],
    "google_api_key": ["GOOGLE_API_KEY", "maps key", "api_key"],
    "jwt": ["Authorization: Bearer", "token", "id_token", "session jwt"],
    "private_key": ["key file", "private key", "id_rsa"],
    "mongodb_uri": ["MONGO_URI", "connection string", "DATABASE_URL"],
    "object_id": ["_id", "user id", "document", "ref"],
}

PROSE = [
    "Sure! Here is what I found. The {lead} is {v}. Let me know if you need anything else.",
    "According to the record, {lead}: {v}",
    "{lead} → {v}",
    "I looked it up for you — {lead} `{v}` — and it matches the account.",
    "Here are the details:\n- Name: {name}\n- {lead}: {v}\n- Status: active",
    "| Field | Value |\n|---|---|\n| Name | {name} |\n| {lead} | {v} |",
    "The customer {name} ({lead} {v}) asked about their order.",
    "```\n{lead}={v}\n```",
    "Bien sûr ! {name}, {lead} : {v}.",
    "Klar, hier ist es: {lead} {v}.",
    "Claro, el dato es {v} ({lead}).",
    "Natuurlijk: {lead} {v}, laatst gewijzigd gisteren.",
    "**{lead}**: {v}\n\nAnything else?",
    "{v}",
]

JSON_FIELDS = {
    "email": "email", "us_ssn": "ssn", "credit_card": "card_number", "phone": "phone",
    "iban": "iban", "ipv4": "last_ip", "aws_access_key": "aws_access_key_id",
    "aws_secret_key": "aws_secret_access_key", "github_token": "token",
    "openai_api_key": "api_key", "slack_token": "slack_token", "stripe_key": "stripe_key",
    "google_api_key": "google_api_key", "jwt": "access_token", "private_key": "private_key",
    "mongodb_uri": "mongo_uri", "object_id": "_id",
}  # fmt: skip


def render(kind: str, surface: str, form: str) -> tuple[str, int, int]:
    """Place *surface* in a text; return the text and the value's span."""
    f = fk()
    name = f.name()
    lead = rng.choice(LEADS.get(kind, [kind]))
    if form == "json":
        marker = "\x01VALUE\x01"
        field = JSON_FIELDS.get(kind, kind)
        body: dict[str, Any] = {
            "id": rng.randint(1, 10_000),
            "answer": f"Here is the profile of {name}.",
            "data": {"name": name, field: marker, "plan": rng.choice(["free", "pro"])},
        }
        if kind == "object_id" and rng.random() < 0.5:
            body["data"][field] = {"$oid": marker}
        text = json.dumps(body, ensure_ascii=rng.random() < 0.5)
        marker_json = json.dumps(marker)[1:-1]
        escaped = json.dumps(surface, ensure_ascii="\\u" in text or rng.random() < 0.5)[1:-1]
        start = text.index(marker_json)
        text = text.replace(marker_json, escaped)
        return text, start, start + len(escaped)
    if form == "query":
        quoted = urllib.parse.quote(surface, safe="")
        prefix = f"Open https://app.example.com/profile?user={rng.randint(1, 999)}&{kind}="
        return prefix + quoted + " to see it.", len(prefix), len(prefix) + len(quoted)
    if form == "html":
        escaped = html.escape(surface)
        prefix = f"<p>{html.escape(lead)}: <b>"
        return prefix + escaped + "</b></p>", len(prefix), len(prefix) + len(escaped)
    if kind == "object_id" and rng.random() < 0.4:
        tmpl = rng.choice(['db.users.find({{"_id": ObjectId("{v}")}})', 'ref {{"$oid": "{v}"}}'])
    elif kind == "private_key":
        tmpl = rng.choice(["Here is the key:\n\n{v}\n\nKeep it safe.", "```\n{v}\n```", "{v}"])
    else:
        tmpl = rng.choice(PROSE)
    before, after = tmpl.split("{v}")
    before = before.format(lead=lead, name=name)
    after = after.format(lead=lead, name=name)
    return before + surface + after, len(before), len(before) + len(surface)


def label(kind: str, start: int, end: int) -> dict[str, Any]:
    return {"kind": kind, "start": start, "end": end}


def password_record() -> tuple[str, list[dict[str, Any]], str]:
    v = gen_password_value()
    style = rng.randrange(8)
    if style == 0:
        pre, post = 'password = "', '"'
    elif style == 1:
        pre, post = f"{rng.choice(['DB', 'POSTGRES', 'REDIS', 'SMTP'])}_PASSWORD=", ""
    elif style == 2:
        pre, post = "pwd: ", ""
    elif style == 3:
        body = json.dumps({"username": fk().user_name(), "password": "@@PW@@"})
        pre, post = body.split('"@@PW@@"')
        pre, post = pre + '"', '"' + post
    elif style == 4:
        pre, post = "The admin password is ", " — change it after login."
    elif style == 5:
        pre, post = "config:\n  db:\n    passwd: '", "'\n    host: db.internal"
    elif style == 6:
        pre, post = "export ADMIN_PASS=", "\n"
        if rng.random() < 0.5:
            v = fk().word() + fk().word()  # env files hold plain words too
    else:
        pre, post = "passphrase: `", "`"
    if style == 4 and not any(c.isdigit() or not c.isalnum() for c in v):
        v += "7!"
    lead = rng.choice(["Sure, here is the config:\n", "Found it.\n", ""])
    text = lead + pre + v + post
    start = len(lead) + len(pre)
    return text, [{"kind": "password_assignment", "start": start, "end": start + len(v)}], "text"


def aws_secret_record() -> tuple[str, list[dict[str, Any]], str]:
    v = gen_aws_secret()
    key_id = gen_aws_id()
    style = rng.randrange(5)
    if style == 0:
        pre = f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = "
        labels = [
            {"kind": "aws_access_key", "start": pre.index(key_id), "end": pre.index(key_id) + 20}
        ]
    elif style == 1:
        pre = "AWS_SECRET_ACCESS_KEY="
        labels = []
    elif style == 2:
        pre = '{"AccessKeyId": "' + key_id + '", "SecretAccessKey": "'
        labels = [
            {"kind": "aws_access_key", "start": pre.index(key_id), "end": pre.index(key_id) + 20}
        ]
    elif style == 3:
        pre = "Your AWS secret key is "
        labels = []
    else:
        pre = f"AWS credentials for the build:\nAccess key: {key_id}\nSecret: "
        labels = [label("aws_access_key", pre.index(key_id), pre.index(key_id) + 20)]
    text = pre + v + ('"}' if style == 2 else "")
    labels.append({"kind": "aws_secret_key", "start": len(pre), "end": len(pre) + 40})
    return text, labels, "text"


GENERATORS: dict[str, Callable[[], str]] = {
    "email": gen_email,
    "us_ssn": gen_ssn,
    "credit_card": gen_card,
    "phone": gen_phone,
    "iban": gen_iban,
    "ipv4": gen_ipv4,
    "aws_access_key": gen_aws_id,
    "github_token": gen_github,
    "openai_api_key": gen_openai,
    "slack_token": gen_slack,
    "stripe_key": gen_stripe,
    "google_api_key": gen_google,
    "jwt": gen_jwt,
    "private_key": gen_pem,
    "mongodb_uri": gen_mongo,
    "object_id": gen_object_id,
}


def positive_records() -> list[tuple[str, list[dict[str, Any]], str]]:
    out: list[tuple[str, list[dict[str, Any]], str]] = []
    for kind, gen in GENERATORS.items():
        for i in range(PER_KIND):
            value = fmt_value(kind, gen())
            form = "text"
            obs = OB_KINDS.get(kind, [])
            if obs and i % 3 == 1:
                name = rng.choice(obs)
                changed = OBFUSCATIONS[name](value)
                if changed is not None:
                    value, form = changed, name
            container = rng.choice(["prose", "prose", "json", "json", "html", "query"])
            if kind in ("private_key",) and container == "query":
                container = "json"
            if container == "html" and form == "html_entity":
                container = "prose"  # escaping an entity again would change its meaning
            if container == "prose":
                text, s, e = render(kind, value, "prose")
            else:
                text, s, e = render(kind, value, container)
                form = f"{form}+{container}" if form != "text" else container
            out.append((text, [{"kind": kind, "start": s, "end": e}], form))
    for _ in range(PER_KIND):
        out.append(password_record())
    for _ in range(PER_KIND // 2):
        out.append(aws_secret_record())
    # several values in one body
    for _ in range(40):
        kinds = rng.sample(list(GENERATORS), 3)
        parts: list[str] = []
        labels: list[dict[str, Any]] = []
        pos = 0
        for kind in kinds:
            lead = f"{rng.choice(LEADS.get(kind, [kind]))}: "
            value = fmt_value(kind, GENERATORS[kind]())
            parts.append(lead + value + "\n")
            labels.append(
                {"kind": kind, "start": pos + len(lead), "end": pos + len(lead) + len(value)}
            )
            pos += len(lead) + len(value) + 1
        out.append(("".join(parts), labels, "multi"))
    return out


# ------------------------------------------------------------------------------------
# hard negatives


def when() -> datetime:
    """A date and time in a fixed range (Faker's own default range ends today)."""
    return datetime(2000, 1, 1) + timedelta(seconds=rng.randrange(25 * 365 * 86400))


def isbn13() -> str:
    body = rng.choice(["978", "979"]) + rand(string.digits, 9)
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
    s = body + str(check)
    return rng.choice([s, f"{s[:3]}-{s[3]}-{s[4:7]}-{s[7:12]}-{s[12]}"])


def isbn10() -> str:
    body = rand(string.digits, 9)
    check = sum((10 - i) * int(c) for i, c in enumerate(body)) % 11
    c = "X" if (11 - check) % 11 == 10 else str((11 - check) % 11)
    return f"{body[0]}-{body[1:4]}-{body[4:9]}-{c}"


def luhn_invalid(n: int) -> str:
    v = luhn_complete(rng.choice(["4", "5", "37", "6011"]), n)
    last = (int(v[-1]) + rng.randint(1, 9)) % 10
    return v[:-1] + str(last)


def invalid_ssn() -> str:
    area = rng.choice(["000", "666", str(rng.randint(900, 999))])
    return f"{area}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


NEGATIVES: list[Callable[[], str]] = [
    lambda: f"ISBN {isbn13()} is the second edition.",
    lambda: f"The book (ISBN {isbn10()}) is out of print.",
    lambda: f"Your order #{rand(string.digits, rng.choice([10, 12, 16]))} has shipped.",
    lambda: f"Tracking number: 1Z{rand(string.ascii_uppercase + string.digits, 16)}",
    lambda: (
        f"USPS tracking {rand(string.digits, 4)} {rand(string.digits, 4)} {rand(string.digits, 4)} {rand(string.digits, 4)} {rand(string.digits, 4)} {rand(string.digits, 2)}"
    ),
    lambda: f"Reference number {luhn_invalid(16)} could not be matched.",
    lambda: f"Number {group_card(luhn_invalid(16), ' ')} failed validation.",
    lambda: f"The value {invalid_ssn()} is not a valid SSN.",
    lambda: (
        f"Upgrade to version {rng.randint(1, 12)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}.{rng.randint(0, 999)} today."
    ),
    lambda: (
        f"Release v{rng.randint(1, 5)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)} fixes the bug."
    ),
    lambda: (
        f"See section {rng.randint(1, 9)}.{rng.randint(1, 9)}.{rng.randint(1, 9)} of the manual."
    ),
    lambda: f"OID 1.3.6.1.4.1.{rng.randint(1000, 99999)}.1 identifies the vendor.",
    lambda: f"Request id {fk().uuid4()} failed.",
    lambda: f"Fixed in commit {rand('0123456789abcdef', 40)}.",
    lambda: f"sha256: {rand('0123456789abcdef', 64)}",
    lambda: f"md5 {rand('0123456789abcdef', 32)}",
    lambda: f"The meeting is on {when():%Y-%m-%d} at {when():%H:%M:%S}.",
    lambda: f"Created {when().isoformat()}",
    lambda: f"Am {when():%d.%m.%Y} um 14:30 Uhr.",
    lambda: f"Due {when():%m/%d/%Y}.",
    lambda: "Use a placeholder such as AKIAIOSFODNN7EXAMPLE in the docs.",
    lambda: "Set OPENAI_API_KEY=sk-... in your environment.",
    lambda: "api_key = YOUR_API_KEY",
    lambda: f"GITHUB_TOKEN=ghp_{'x' * 36}",
    lambda: "export OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    lambda: "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    lambda: "The SSN on file ends in ***-**-" + rand(string.digits, 4) + ".",
    lambda: f"We emailed {rng.choice('abcdefghijklmnop')}***@gmail.com a reset link.",
    lambda: "Card ending **** **** **** " + rand(string.digits, 4),
    lambda: f"Clone it with git clone git@github.com:{fk().user_name()}/{fk().word()}.git",
    lambda: f"### Step {rng.randint(1, 9)}: configure the server",
    lambda: "A US SSN has the format AAA-GG-SSSS and must never be shared.",
    lambda: "Your password must be at least 12 characters and include a digit.",
    lambda: "Never share your password or your social security number with anyone.",
    lambda: "password: ********",
    lambda: 'password = "<your password>"',
    lambda: "DB_PASSWORD=${DB_PASSWORD}",
    lambda: "password = os.environ['DB_PASSWORD']",
    lambda: "The password field is required.",
    lambda: "If you forgot your password, click 'Forgot password'.",
    lambda: "mongodb://<username>:<password>@cluster0.example.mongodb.net/test",
    lambda: "mongodb://localhost:27017/app",
    lambda: "Prices: $1,234.56 and €99.99; 42% off; 3 items.",
    lambda: f"Call the main line between 9:00 and 17:00, room {rng.randint(100, 999)}.",
    lambda: f"Invoice {rng.randint(10_000_000, 99_999_999)} totals {rng.randint(10, 999)}.00 EUR.",
    lambda: f"Product SKU {rand(string.ascii_uppercase, 3)}-{rand(string.digits, 6)}",
    lambda: f"Timestamp {rng.randint(1_600_000_000, 1_800_000_000)} in the logs.",
    lambda: (
        f"Population grew from {rng.randint(1_000_000, 9_999_999):,} to {rng.randint(1_000_000, 9_999_999):,}."
    ),
    lambda: "Email me at the address on my profile; my handle is @" + fk().user_name() + ".",
    lambda: "Use `-----BEGIN PRIVATE KEY-----` ... `-----END PRIVATE KEY-----` blocks.",
    lambda: f"Coordinates {fk().latitude()}, {fk().longitude()}",
    lambda: f"Patch 1.{rng.randint(0, 9)}.{rng.randint(0, 9)} is out.",
    lambda: (
        f"Chrome/{rng.randint(90, 130)}.0.{rng.randint(1000, 6999)}.{rng.randint(10, 200)} Safari/537.36"
    ),
    lambda: json.dumps(
        {
            "status": "ok",
            "count": rng.randint(1, 500),
            "next": None,
            "updated": str(when()),
        }
    ),
    lambda: fk().paragraph(nb_sentences=4),
    lambda: fk("de_DE").paragraph(nb_sentences=3),
    lambda: fk("fr_FR").paragraph(nb_sentences=3),
    lambda: f"The image icon@2x.png is missing and npm i lodash@4.{rng.randint(0, 17)}.21 fails.",
    lambda: f"Ticket {rand(string.ascii_uppercase, 4)}-{rng.randint(100, 9999)} was closed.",
    lambda: "Set `pass: true` in the test config and re-run.",
    lambda: f"EAN {fk().ean13()} and UPC {fk().ean(length=8)} on the label.",
    lambda: f"Agent: {fk().user_agent()}",
    lambda: "password = user_password",
    lambda: (
        f"Build {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(100, 9999)}.{rng.randint(1, 99)} passed."
    ),
    lambda: f"{fk().company()} — {fk().catch_phrase()}; {fk().address()}",
    lambda: (
        f"The report covers {rng.randint(2019, 2025)}-{rng.randint(2019, 2025)} and 1-{rng.randint(2, 9)}."
    ),
]


def negative_records() -> list[tuple[str, list[dict[str, Any]], str]]:
    out: list[tuple[str, list[dict[str, Any]], str]] = []
    for _ in range(12):
        for make in NEGATIVES:
            out.append((make(), [], "negative"))
    return out


def main() -> int:
    records = positive_records() + negative_records()
    rng.shuffle(records)
    with OUT.open("w", encoding="utf-8") as fh:
        for i, (text, labels, form) in enumerate(records):
            for lab in labels:
                assert 0 <= lab["start"] < lab["end"] <= len(text), (text, lab)
            rec = {"id": i, "text": text, "labels": labels, "form": form,
                   "negative": not labels}  # fmt: skip
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} records to {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
