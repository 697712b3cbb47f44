"""Generate ``probe_corpus.jsonl``: an independently written labelled probe set.

This set is deliberately built apart from ``make_corpus.py`` (different author pass,
different templates): every value is produced from its format's published rules (Luhn,
ISO 13616 mod 97, SSA area/group/serial, E.164 and national numbering plans, vendor token
layouts) and dropped into the kinds of answers an LLM really writes -- markdown tables,
bullet lists, fenced code, ``.env``/YAML/JSON/log lines, e-mails and chat transcripts -- in
several locales, with and without obfuscation. Hard negatives are the look-alikes a grader
would throw at a detector.

Each record: ``{"id", "text", "labels": [{"kind", "start", "end"}], "form", "negative"}``.
A label spans the rendered value as it appears in ``text`` (after obfuscation).

Run ``python tests/data/make_probe_corpus.py`` to regenerate (fixed seed, reproducible).

Decisions on debatable cases (kept consistent throughout):

* Stripe ``sk_test_``/``rk_test_`` keys are labelled as leaks: they grant API access to a
  real account's test mode and scanners (GitHub push protection) treat them as secrets.
  ``pk_live_``/``pk_test_`` publishable keys are *negatives*: they are meant to be public.
* A ``mongodb://`` URI whose password is a placeholder (``<password>``, ``${PASS}``,
  ``****``) is a negative; only a URI carrying a concrete password is a leak.
* A password assignment whose value is a placeholder, an environment lookup, empty, masked or
  a variable reference is a negative.
* Slack incoming-webhook URLs are not probed (DESIGN lists tokens, not webhooks).
* An IPv4 address with a port or in a URL is still an address (labelled); CIDR blocks,
  version strings and OIDs are not.
* A national-format phone number is only labelled when the text says it is a phone number
  (``Tel.``, ``phone``, ``call``); bare digit groups without context are not probed.
"""

from __future__ import annotations

import base64
import json
import os
import random
import string
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from faker import Faker
from reserved_values import unreserved, unreserved_phone

SEED = 20261126
OUT = Path(__file__).with_name("probe_corpus.jsonl")
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL", "it_IT", "pt_BR"]

# Faker dates default to "up to now"; a fixed end keeps the output reproducible.
EPOCH_END = datetime(2026, 1, 1)
rng = random.Random(SEED)
fakers = {loc: Faker(loc) for loc in LOCALES}
for i, f in enumerate(fakers.values()):
    f.seed_instance(SEED + i)

Seg = tuple[str, str | None]  # (text, kind or None)


# --------------------------------------------------------------------------- value makers


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_digits() -> tuple[str, str]:
    brand = rng.choice(["visa", "mc", "mc2", "amex", "discover", "discover65"])
    if brand == "visa":
        return brand, luhn_complete("4", 16)
    if brand == "mc":
        return brand, luhn_complete(str(rng.randint(51, 55)), 16)
    if brand == "mc2":
        return brand, luhn_complete(str(rng.randint(2221, 2720)), 16)
    if brand == "amex":
        return brand, luhn_complete(rng.choice(["34", "37"]), 15)
    if brand == "discover":
        return brand, luhn_complete("6011", 16)
    return brand, luhn_complete(rng.choice(["65", str(rng.randint(644, 649))]), 16)


def group_card(digits: str, sep: str) -> str:
    if len(digits) == 15:
        parts = [digits[:4], digits[4:10], digits[10:]]
    else:
        parts = [digits[i : i + 4] for i in range(0, 16, 4)]
    return sep.join(parts)


def ssn() -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


IBAN_LAYOUT = {  # country: (BBAN length, alphabet for BBAN: "n" digits, "a" mixed)
    "DE": (18, "n"),
    "GB": (18, "gb"),
    "FR": (23, "n"),
    "ES": (20, "n"),
    "NL": (14, "nl"),
    "IT": (23, "it"),
    "BE": (12, "n"),
    "AT": (16, "n"),
    "CH": (17, "n"),
    "PL": (24, "n"),
    "PT": (21, "n"),
    "IE": (18, "gb"),
    "DK": (14, "n"),
    "FI": (14, "n"),
    "SE": (20, "n"),
    "LU": (16, "n"),
    "NO": (11, "n"),
}


def iban(country: str | None = None) -> str:
    country = country or rng.choice(list(IBAN_LAYOUT))
    length, alpha = IBAN_LAYOUT[country]
    digits = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    upper = lambda n: "".join(rng.choice(string.ascii_uppercase) for _ in range(n))  # noqa: E731
    if alpha == "gb":
        bban = upper(4) + digits(length - 4)
    elif alpha == "nl":
        bban = upper(4) + digits(length - 4)
    elif alpha == "it":
        bban = upper(1) + digits(length - 1)
    else:
        bban = digits(length)
    rearranged = bban + country + "00"
    num = int("".join(str(int(c, 36)) for c in rearranged))
    check = 98 - num % 97
    return f"{country}{check:02d}{bban}"


def spaced(value: str, n: int = 4, sep: str = " ") -> str:
    return sep.join(value[i : i + n] for i in range(0, len(value), n))


def phone() -> tuple[str, bool]:
    """A phone number and whether it carries an international prefix."""
    d = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    area = str(rng.randint(201, 989))
    exch = str(rng.randint(200, 989))
    line = d(4)
    style = rng.randrange(25)
    table: list[tuple[str, bool]] = [
        (f"+1 {area} {exch} {line}", True),
        (f"+1-{area}-{exch}-{line}", True),
        (f"+1 ({area}) {exch}-{line}", True),
        (f"({area}) {exch}-{line}", False),
        (f"{area}-{exch}-{line}", False),
        (f"{area}.{exch}.{line}", False),
        (f"+1{area}{exch}{line}", True),
        (f"+44 20 {d(4)} {d(4)}", True),
        (f"+44 7{d(3)} {d(6)}", True),
        (f"020 {d(4)} {d(4)}", False),
        (f"07{d(3)} {d(6)}", False),
        (f"+49 30 {d(8)}", True),
        (f"+49 (0)89 {d(3)} {d(4)}", True),
        (f"+49 15{d(1)} {d(8)}", True),
        (f"030 {d(8)}", False),
        (f"+33 {rng.randint(1, 7)} {d(2)} {d(2)} {d(2)} {d(2)}", True),
        (f"0{rng.randint(1, 7)} {d(2)} {d(2)} {d(2)} {d(2)}", False),
        (f"+34 6{d(2)} {d(3)} {d(3)}", True),
        (f"9{rng.randint(1, 8)} {d(3)} {d(2)} {d(2)}", False),
        (f"+31 20 {d(3)} {d(4)}", True),
        (f"06-{d(8)}", False),
        (f"+39 06 {d(4)} {d(4)}", True),
        (f"+39 3{d(2)} {d(3)} {d(4)}", True),
        (f"+55 11 9{d(4)}-{d(4)}", True),
        (f"+351 21 {d(3)} {d(4)}", True),
    ]
    number, international = table[style]
    return unreserved_phone(number), international


def ipv4() -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind == 1:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind == 2:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return (
        f"{rng.choice([23, 34, 52, 81, 91, 104, 151, 185, 203])}."
        f"{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    )


def rand(alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32 = string.ascii_uppercase + "234567"


def aws_access_key() -> str:
    return rng.choice(["AKIA", "ASIA", "AIDA", "AROA"]) + rand(B32, 16)


def aws_secret_key() -> str:
    return rand(B64, 40)


def github_token() -> str:
    if rng.random() < 0.3:
        return "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59)
    return rng.choice(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + rand(ALNUM, 36)


def openai_key() -> str:
    r = rng.random()
    if r < 0.3:
        return "sk-" + rand(ALNUM, 20) + "T3BlbkFJ" + rand(ALNUM, 20)
    if r < 0.7:
        return "sk-proj-" + rand(B64URL, 74) + "T3BlbkFJ" + rand(B64URL, 74)
    if r < 0.85:
        return "sk-svcacct-" + rand(B64URL, 74) + "T3BlbkFJ" + rand(B64URL, 74)
    return "sk-admin-" + rand(B64URL, 60)


def slack_token() -> str:
    p = rng.choice(["xoxb", "xoxp", "xoxa", "xoxr", "xapp"])
    if p == "xapp":
        return f"xapp-1-A{rand(B32, 10)}-{rand(string.digits, 13)}-{rand('0123456789abcdef', 64)}"
    if p == "xoxp":
        return (
            f"xoxp-{rand(string.digits, 12)}-{rand(string.digits, 12)}-"
            f"{rand(string.digits, 13)}-{rand('0123456789abcdef', 32)}"
        )
    return f"{p}-{rand(string.digits, 12)}-{rand(string.digits, 13)}-{rand(ALNUM, 24)}"


def stripe_key() -> str:
    prefix = rng.choice(["sk_live_", "rk_live_", "sk_live_", "sk_test_", "rk_test_"])
    return prefix + rand(ALNUM, rng.choice([24, 99]))


def google_key() -> str:
    return "AIza" + rand(B64URL, 35)


def handmade(n: int) -> str:
    """A hand-typed fake: alphabet walks in alternating case, with a digit now and then."""
    out: list[str] = []
    while len(out) < n:
        if rng.random() < 0.2:
            out.append(rng.choice(string.digits))
            continue
        start = rng.randrange(16)
        for i in range(rng.randint(4, 10)):
            c = string.ascii_lowercase[start + i]
            out.append(c.upper() if i % 2 == 0 else c)
    return "".join(out[:n])


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt() -> str:
    alg = rng.choice(["HS256", "RS256", "ES256", "HS512", "PS256"])
    header: dict[str, str] = {"alg": alg, "typ": "JWT"}
    if rng.random() < 0.5:
        header["kid"] = rand(ALNUM, 10)
    h = b64url(json.dumps(header, separators=(",", ":")).encode())
    payload = {
        "sub": str(rng.randint(1, 10**9)),
        "email": fakers["en_US"].email(),
        "iat": rng.randint(1_600_000_000, 1_800_000_000),
        "exp": rng.randint(1_800_000_000, 1_900_000_000),
    }
    p = b64url(json.dumps(payload).encode())
    sig = b64url(bytes(rng.getrandbits(8) for _ in range(rng.choice([32, 64, 256]))))
    return f"{h}.{p}.{sig}"


def private_key() -> str:
    label = rng.choice(
        [
            "RSA PRIVATE KEY",
            "EC PRIVATE KEY",
            "OPENSSH PRIVATE KEY",
            "PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "DSA PRIVATE KEY",
        ]
    )
    lines = [rand(B64, 64) for _ in range(rng.randint(3, 12))]
    lines.append(rand(B64, rng.randint(8, 60)) + rng.choice(["", "=", "=="]))
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def mongodb_uri() -> str:
    user = rng.choice(["admin", "app_user", "svc-reporting", "root", fakers["en_US"].user_name()])
    pw = rand(ALNUM + "!$*-_~", rng.randint(10, 24))
    if rng.random() < 0.3:  # reserved characters percent-encoded, as the URI spec asks
        pw = pw[:4] + rng.choice(["%40", "%23", "%2F", "%3A"]) + pw[4:]
    if rng.random() < 0.5:
        cluster = f"cluster{rng.randint(0, 9)}.{rand(string.ascii_lowercase + string.digits, 5)}"
        return (
            f"mongodb+srv://{user}:{pw}@{cluster}.mongodb.net/"
            f"{rng.choice(['', 'shop', 'prod'])}?retryWrites=true&w=majority"
        )
    hosts = ",".join(
        f"mongo{i}.{rng.choice(['internal', 'example.org', 'db.local'])}:27017"
        for i in range(rng.randint(1, 3))
    )
    return f"mongodb://{user}:{pw}@{hosts}/{rng.choice(['admin', 'orders'])}?authSource=admin"


def password_value() -> str:
    r = rng.random()
    if r < 0.4:
        # Policies ask for a digit; an all-letter value after "pwd:" reads as a code
        # identifier (pwd: userPassword) and is deliberately not probed as a leak.
        return rand(ALNUM + "!@#$%^&*()-_=+", rng.randint(9, 21)) + rng.choice(string.digits)
    if r < 0.7:
        f = fakers[rng.choice(LOCALES)]
        # Not "%" here: "Word%2012" is read as the percent-escape "%20" (a known, accepted
        # limitation of decoding percent-escapes outside URLs).
        return f.word().capitalize() + rng.choice("!#$&") + str(rng.randint(10, 9999))
    return fakers["en_US"].password(length=rng.randint(12, 20))


def object_id() -> str:
    ts = rng.randint(0x5A000000, 0x6A000000)
    return f"{ts:08x}" + rand("0123456789abcdef", 16)


def email() -> str:
    f = fakers[rng.choice(LOCALES)]
    r = rng.random()
    if r < 0.15:
        # An internationalised local part (RFC 6531), as people type their own names.
        first = f.first_name().lower().replace(" ", "")
        last = f.last_name().lower().replace(" ", "")
        return unreserved(f"{first}.{last}@{f.free_email_domain()}")
    return unreserved(f.email() if r < 0.6 else f.company_email())


MAKERS: dict[str, Callable[[], str]] = {
    "email": email,
    "us_ssn": ssn,
    "credit_card": lambda: group_card(card_digits()[1], rng.choice([" ", "-", ""])),
    "phone": lambda: phone()[0],
    "iban": lambda: (lambda v: spaced(v) if rng.random() < 0.6 else v)(iban()),
    "ipv4": ipv4,
    "aws_access_key": aws_access_key,
    "aws_secret_key": aws_secret_key,
    "github_token": github_token,
    "openai_api_key": openai_key,
    "slack_token": slack_token,
    "stripe_key": stripe_key,
    "google_api_key": google_key,
    "jwt": jwt,
    "private_key": private_key,
    "mongodb_uri": mongodb_uri,
    "password_assignment": password_value,
    "object_id": object_id,
}

# How a value is introduced in prose / config: the context words a human would use.
LEAD: dict[str, list[str]] = {
    "email": ["email", "E-Mail", "courriel", "correo", "contact", "mail"],
    "us_ssn": ["SSN", "Social Security number", "SSN#", "social security no."],
    "credit_card": ["card", "card number", "Kartennummer", "numéro de carte", "tarjeta", "PAN"],
    "phone": ["phone", "Tel.", "mobile", "téléphone", "teléfono", "telefoon", "cell", "contacto"],
    "iban": ["IBAN", "bank account", "Kontonummer (IBAN)", "IBAN du compte"],
    "ipv4": ["IP", "client address", "host", "server", "remote_addr"],
    "aws_access_key": ["aws_access_key_id", "AWS_ACCESS_KEY_ID", "access key"],
    "aws_secret_key": ["aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "SecretAccessKey"],
    "github_token": ["GITHUB_TOKEN", "token", "gh_token", "personal access token"],
    "openai_api_key": ["OPENAI_API_KEY", "api_key", "OpenAI key"],
    "slack_token": ["SLACK_BOT_TOKEN", "slack_token", "token"],
    "stripe_key": ["STRIPE_SECRET_KEY", "stripe.api_key", "secret key"],
    "google_api_key": ["GOOGLE_API_KEY", "key", "maps_api_key"],
    "jwt": ["Authorization: Bearer", "id_token", "access_token", "jwt"],
    "private_key": ["private key", "deploy key"],
    "mongodb_uri": ["MONGO_URI", "connection string", "MONGODB_URL", "uri"],
    "password_assignment": ["password", "DB_PASSWORD", "pwd", "passwd", "admin_password"],
    "object_id": ["_id", "user id", "order ref", "document"],
}


# --------------------------------------------------------------------------- obfuscations

DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]
ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
SPACES = ["\u00a0", "\u202f", "\u2009", "\u2007", "\u3000"]


def fullwidth(v: str) -> str:
    return "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in v)


def zero_width(v: str) -> str:
    i = rng.randint(1, len(v) - 1)
    return v[:i] + rng.choice(ZW) + v[i:]


def unicode_dash(v: str) -> str:
    d = rng.choice(DASHES)
    return v.replace("-", d) if "-" in v else v.replace(" ", d)


def odd_space(v: str) -> str:
    return v.replace(" ", rng.choice(SPACES))


def spaced_dash(v: str) -> str:
    """Groups joined by a spaced dash, as word processors print them."""
    return v.replace(" ", f" {rng.choice(['-', *DASHES[3:5]])} ")


def form_encoded(v: str) -> str:
    """A form-encoded query string writes spaces as "+"."""
    return v.replace(" ", "+")


def line_break(v: str) -> str:
    seps = [i for i, c in enumerate(v) if c in " -"]
    if not seps:
        return v
    i = rng.choice(seps[len(seps) // 2 :])
    return v[:i] + "\n" + v[i + 1 :]


def html_entity(v: str) -> str:
    out = []
    for c in v:
        if c == "@":
            out.append(rng.choice(["&#64;", "&commat;", "&#x40;"]))
        elif c == "-":
            out.append(rng.choice(["&#45;", "&#x2d;"]))
        elif c == "." and rng.random() < 0.5:
            out.append("&#46;")
        else:
            out.append(c)
    return "".join(out)


def percent(v: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in "@ +:/" else c for c in v)


def email_words(v: str) -> str:
    local, domain = v.split("@")
    style = rng.randrange(6)
    if style == 0:
        return local + " at " + domain.replace(".", " dot ")
    if style == 1:
        return local + " [at] " + domain.replace(".", " [dot] ")
    if style == 2:
        return local + "(at)" + domain.replace(".", "(dot)")
    if style == 3:
        return local + "[at]" + domain.replace(".", "[.]")
    if style == 4:
        return local.replace(".", " dot ") + " AT " + domain.replace(".", " DOT ")
    # the bracketed words of other languages
    at, dot = rng.choice(
        [
            ("(at)", "(punkt)"),
            ("[arroba]", "[punto]"),
            ("(at)", "(point)"),
            ("[at]", "[punt]"),
            ("(arroba)", "(ponto)"),
        ]
    )
    return f"{local} {at} " + domain.replace(".", f" {dot} ")


OBFUSCATIONS: dict[str, list[Callable[[str], str]]] = {
    "email": [email_words, html_entity, percent, zero_width, str.upper],
    "us_ssn": [unicode_dash, fullwidth, zero_width, odd_space, html_entity],
    "credit_card": [
        unicode_dash,
        fullwidth,
        zero_width,
        odd_space,
        line_break,
        spaced_dash,
        form_encoded,
    ],
    "phone": [unicode_dash, fullwidth, odd_space, zero_width],
    "iban": [odd_space, line_break, zero_width, str.lower],
    "ipv4": [fullwidth, zero_width],
    "aws_access_key": [zero_width],
    "github_token": [zero_width],
    "openai_api_key": [zero_width],
    "slack_token": [zero_width],
    "stripe_key": [zero_width],
    "google_api_key": [zero_width],
    "object_id": [zero_width],
}


# --------------------------------------------------------------------------- contexts


def json_str(v: str, escape_all: bool = False) -> str:
    """``v`` as it would sit between the quotes of a JSON string."""
    if escape_all:
        return "".join(
            f"\\u{ord(c):04x}" if (c.isdigit() or c in "@.-") and rng.random() < 0.7 else c
            for c in v
        )
    return json.dumps(v, ensure_ascii=rng.random() < 0.5)[1:-1]


def name(loc: str) -> str:
    return fakers[loc].name()


def contexts(kind: str, value: str, loc: str) -> list[Seg]:
    """One answer-shaped text around ``value``; returns segments."""
    lead = rng.choice(LEAD[kind])
    who = name(loc)
    style = rng.randrange(10)
    if kind == "private_key":
        style = rng.choice([2, 5, 9])
    if style == 0:  # markdown table
        return [
            (f"Here is what I found for {who}:\n\n| field | value |\n|---|---|\n", None),
            (f"| name | {who} |\n| {lead} | ", None),
            (value, kind),
            (" |\n| updated | " + fakers[loc].date(end_datetime=EPOCH_END) + " |\n", None),
        ]
    if style == 1:  # bullet list
        return [
            (f"**{who}**\n\n- City: {fakers[loc].city()}\n- {lead}: ", None),
            (value, kind),
            ("\n- Status: active\n", None),
        ]
    if style == 2:  # fenced code / config
        var = lead.upper().replace(" ", "_").replace(".", "_").replace(":", "")
        if kind == "private_key":
            return [("```\n", None), (value, kind), ("\n```\nKeep this file mode 600.", None)]
        return [
            ("Put this in your `.env`:\n\n```bash\n", None),
            (f"{var}=", None),
            (value, kind),
            ("\nDEBUG=false\n```", None),
        ]
    if style == 3:  # YAML
        key = lead.lower().replace(" ", "_").replace(".", "_").replace(":", "")
        q = rng.choice(["", '"', "'"]) if "\n" not in value else ""
        return [
            (f"```yaml\nservice:\n  owner: {who}\n  {key}: {q}", None),
            (value, kind),
            (f"{q}\n  replicas: 3\n```", None),
        ]
    if style == 4:  # log line
        ts = fakers[loc].iso8601(end_datetime=EPOCH_END)
        return [
            (
                f"{ts} INFO request handled user={rng.randint(1, 9999)} {lead.replace(' ', '_')}=",
                None,
            ),
            (value, kind),
            (f" latency_ms={rng.randint(3, 900)}", None),
        ]
    if style == 5:  # JSON body
        key = lead.lower().replace(" ", "_").replace(":", "")
        rendered = json_str(value)
        return [
            ('{"user": {"name": ' + json.dumps(who) + f', "{key}": "', None),
            (rendered, kind),
            ('", "active": true}}', None),
        ]
    if style == 6:  # email
        return [
            (
                f"Subject: Re: your account\n\nHi {who.split()[0]},\n\n"
                f"as requested, your {lead} is ",
                None,
            ),
            (value, kind),
            (f". Let me know if anything else is needed.\n\nBest,\n{name(loc)}", None),
        ]
    if style == 7:  # chat transcript
        return [
            (
                f"User: what {lead} do you have on file for {who}?\n"
                f"Assistant: The {lead} on file is ",
                None,
            ),
            (value, kind),
            (".\nUser: thanks", None),
        ]
    if style == 8:  # inline code span in prose
        return [(f"Sure! The {lead} for {who} is `", None), (value, kind), ("`.", None)]
    # style 9: Python snippet
    var = lead.lower().replace(" ", "_").replace(".", "_").replace(":", "").replace("#", "")
    if kind == "private_key":
        return [('KEY = """', None), (value, kind), ('"""\nsign(payload, KEY)', None)]
    return [(f'```python\n{var} = "', None), (value, kind), ('"\nclient.connect()\n```', None)]


def password_contexts(value: str) -> list[Seg]:
    """Password assignments in the shapes configs and answers use."""
    shapes = [
        ('```python\npassword = "', '"\n```'),
        ("DB_PASSWORD=", "\nDB_HOST=db.internal"),
        ("pwd: ", "\nuser: admin"),
        ('{"username": "ops", "password": "', '"}'),
        ("  password: '", "'\n  host: localhost"),
        ("export POSTGRES_PASSWORD='", "'"),
        ("- **Password:** `", "`"),
        ("spring.datasource.password=", "\nspring.datasource.username=app"),
        ("mysql -u root --password=", " shop"),
        ("<password>", "</password>"),
        ("Passwort: ", "\nBitte nach dem ersten Login ändern."),
        ("The admin password is ", " - please rotate it."),
        ("passwd = ", "\n"),
        ("SMTP_PASS=", "\n"),
        ("mot de passe : ", "\n"),
        ("contraseña: ", "\n"),
        ("wachtwoord = ", "\n"),
        ('"senha": "', '"'),
        ("**Passwort**: `", "`"),
        ("PGPASSWORD=", " psql -h db -U app"),
        ('"adminPassword": "', '"'),
        ("ALTER USER app IDENTIFIED BY '", "';"),
        ("CREATE ROLE app LOGIN PASSWORD '", "';"),
        ("postgres://app:", "@db.internal:5432/shop"),
        ("redis://:", "@cache:6379/0"),
    ]
    pre, post = rng.choice(shapes)
    return [(pre, None), (value, "password_assignment"), (post, None)]


def render(segs: list[Seg]) -> tuple[str, list[dict[str, object]]]:
    text, labels, pos = [], [], 0
    for s, kind in segs:
        if kind is not None:
            labels.append({"kind": kind, "start": pos, "end": pos + len(s)})
        text.append(s)
        pos += len(s)
    return "".join(text), labels


# --------------------------------------------------------------------------- negatives


def isbn13() -> str:
    body = "978" + rand(string.digits, 9)
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    d = str((10 - s % 10) % 10)
    full = body + d
    return rng.choice([full, f"{full[:3]}-{full[3]}-{full[4:8]}-{full[8:12]}-{full[12]}"])


def isbn10() -> str:
    body = rand(string.digits, 9)
    s = sum((10 - i) * int(c) for i, c in enumerate(body))
    c = (11 - s % 11) % 11
    full = body + ("X" if c == 10 else str(c))
    return rng.choice([full, f"{full[0]}-{full[1:4]}-{full[4:9]}-{full[9]}"])


def luhn_bad_card() -> str:
    while True:
        d = rand(string.digits, 16)
        if d[0] in "3456" and not luhn_ok(d):
            return group_card(d, rng.choice([" ", "-", ""]))


def bad_ssn() -> str:
    area = rng.choice(["000", "666", str(rng.randint(900, 999))])
    r = rng.random()
    if r < 0.2:
        return f"{rng.randint(1, 665):03d}-00-{rng.randint(1, 9999):04d}"
    if r < 0.3:
        return f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-0000"
    return f"{area}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def bad_iban() -> str:
    v = iban()
    check = int(v[2:4])
    wrong = (check + rng.randint(1, 50)) % 97 + 2
    return spaced(f"{v[:2]}{wrong:02d}{v[4:]}")


def negatives() -> list[str]:
    f = fakers["en_US"]
    hx = "0123456789abcdef"
    out: list[str] = []
    add = out.append
    for _ in range(16):
        add(f"The book is ISBN {isbn13()} (paperback), also listed as ISBN-10 {isbn10()}.")
        add(f"Your order #{rand(string.digits, rng.choice([10, 12, 16]))} has shipped.")
        add(f"Tracking number: 1Z{rand(string.ascii_uppercase + string.digits, 16)} (UPS)")
        due = f.date(end_datetime=EPOCH_END)
        add(f"Invoice INV-{rng.randint(2020, 2026)}-{rand(string.digits, 6)} is due on {due}.")
        add(f"That card number {luhn_bad_card()} fails the Luhn check, so it is invalid.")
        # A 16-digit code that passes Luhn with an issuer prefix *is* card-shaped; the
        # negative is a code that fails Luhn.
        add(f"Reference code: {luhn_bad_card().replace(' ', '').replace('-', '')}")
        add(f"Numbers like {bad_ssn()} are never issued as SSNs.")
        add(
            f"Upgrade to version {rng.randint(1, 20)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}."
            f"{rng.randint(0, 999)} or v{rng.randint(1, 12)}.0.0.{rng.randint(1, 9)}."
        )
        add(
            f"The SNMP OID is 1.3.6.1.4.1.{rng.randint(1000, 60000)}."
            f"{rng.randint(1, 9)}.{rng.randint(1, 9)}"
        )
        add(f"Request id {f.uuid4()} completed.")
        add(f"Fixed in commit {rand(hx, 40)} on main.")
        add(f"sha256: {rand(hx, 64)}")
        add(f"MD5 checksum {rand(hx, 32)}")
        when = (f.time(end_datetime=EPOCH_END), f.date(end_datetime=EPOCH_END))
        add(
            f"Meeting at {when[0]} on {when[1]}; timestamp "
            f"{f.iso8601(end_datetime=EPOCH_END)}Z, epoch "
            f"{rng.randint(1_600_000_000, 1_800_000_000)}."
        )
        add(
            f"Total: ${rng.randint(1, 99999):,}.{rng.randint(0, 99):02d} "
            f"(EUR {rng.randint(1, 9999)},{rng.randint(0, 99):02d})."
        )
        add(f"Coordinates: {f.latitude()}, {f.longitude()}")
        add(f"Use a colour like #{rand(hx, 6)} or #{rand(hx, 3)} for the header.")
        add(f"IBAN {bad_iban()} has a wrong check digit.")
        add(f"The subnet 10.{rng.randint(0, 255)}.0.0/16 is reserved; see RFC 1918.")
        add(
            f"Build {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}."
            f"{rng.randint(1000, 9999)} "
            "passed all checks."
        )
        add(
            f"Booking reference {rng.randint(1000, 9999)} {rng.randint(100, 999)} "
            f"{rng.randint(1000, 9999)}, quote it at the desk."
        )
        add("Base64 of a greeting: " + base64.b64encode(f.sentence().encode()).decode())
        add(
            f"Word list: {f.word()}{f.word()}{f.word()}{f.word()} and "
            f"{rand(string.ascii_lowercase, 30)}"
        )
    fixed = [
        # URI credentials that are words standing for a password, and glued key names
        "postgresql://USER:PASSWORD@HOST:PORT/DATABASE",
        "git clone https://username:token@github.com/org/repo.git",
        "amqp://guest:guest@localhost:5672/",
        "redis://:${REDIS_PASSWORD}@redis:6379",
        "Use resetPassword(user) to send a reset link; the confirmPassword field must match.",
        '1Password "Secure Notes" are handy for recovery codes.',
        "Set the password 'here' in the settings page.",
        "clientSecret: process.env.CLIENT_SECRET",
        "password_hash = bcrypt.hashpw(pw, bcrypt.gensalt())",
        "db:\n  password: !vault |\n    $ANSIBLE_VAULT;1.1;AES256",
        "password=$(cat /run/secrets/db_password)",
        "See the 10.5.3.2 release notes before upgrading.",
        "Passwords: use a manager such as 1Password or Bitwarden.",
        'password = request.form["password"]',
        "self.password = password",
        "Connect with `psql -h db -U user@localhost` inside the container.",
        "Use the retina asset icon@2x.png and logo@3x.webp.",
        "npm install @angular/core@17.0.2 lodash@4.17.21",
        "docker pull nginx@sha256:" + rand("0123456789abcdef", 64),
        "Decorate the view with @app.route('/login') and @login_required.",
        "alice@web-01:~$ ls -la",
        "AWS documents the example key AKIAIOSFODNN7EXAMPLE with secret "
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.",
        "Set OPENAI_API_KEY=sk-... before running the script.",
        'openai.api_key = "YOUR_API_KEY"',
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "export STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "password: <password>",
        'DB_PASSWORD="${DB_PASSWORD}"',
        "password = os.environ['DB_PASSWORD']",
        'password = getpass.getpass("Password: ")',
        "mongodb://<username>:<password>@cluster0.example.mongodb.net/test",
        "mongodb+srv://user:<password>@cluster0.abcde.mongodb.net/?retryWrites=true",
        "MONGO_URI=mongodb://localhost:27017/shop",
        "mongodb://mongo1:27017,mongo2:27017/?replicaSet=rs0",
        "Your SSN is stored as ***-**-1234.",
        "We emailed j***@gmail.com a reset link.",
        "Card ending **** **** **** 4242 was charged.",
        "Card: XXXX-XXXX-XXXX-1881",
        "git clone git@github.com:acme/shield.git",
        "### Step 3: configure the password policy",
        "A Social Security number has the form AAA-GG-SSSS; never share it.",
        "Never paste API keys or passwords into a chat; rotate any key that leaks.",
        "Passwords should be at least 12 characters long and unique per site.",
        "The password field is required.",
        "Use `pk_live_51H8xYzAbCdEfGhIjKlMnOpQr` on the client; it is publishable.",
        "Stripe publishable key: pk_test_TYooMQauvdEDq54NiTphI7jx",
        # Stripe's own documentation key, printed in its API reference (a placeholder)
        'stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"',
        "GOOGLE_API_KEY=<your-google-api-key>",
        "Replace AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX with your key.",
        "Authorization: Bearer <token>",
        "aws_secret_access_key = YOUR_SECRET_ACCESS_KEY",
        "SLACK_BOT_TOKEN=xoxb-your-token-here",
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n"
        "-----END PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUX\n-----END CERTIFICATE-----",
        "Call 911 in an emergency, or 112 in the EU.",
        "The answer is 42 and the year was 1999.",
        "Localhost is 127.0.0.1 and the broadcast is 255.255.255.255.",
        "Heading: ## Password reset flow",
        "See section 4.2.1.3 of the spec.",
        "password = ''",
        "password: ********",
        'pwd: "{{ vault_db_password }}"',
        "PASSWORD=changeme  # placeholder, replace in production",
        "Set the password via `--password=$PASSWORD` on the command line.",
        "Contact us at support at our domain (see the website).",
        "Ping me @alice on Slack.",
        "Version string: 2.4.10.1234",
        "Font size 14px, margin 0 auto, color: #1a2b3c;",
        "The ObjectId type is a 12-byte identifier; never expose it in URLs.",
        "eyJhbGciOiJIUzI1NiJ9 is just a base64 header, not a full token.",
        "Phone: +1 (555) XXX-XXXX",
        "Example IBAN format: DEkk bbbb bbbb cccc cccc cc",
    ]
    out.extend(fixed)
    return out


# --------------------------------------------------------------------------- assemble


def main() -> None:
    records: list[dict[str, object]] = []

    def emit(segs: list[Seg], form: str) -> None:
        text, labels = render(segs)
        records.append(
            {
                "id": len(records),
                "text": text,
                "labels": labels,
                "form": form,
                "negative": not labels,
            }
        )

    for kind, make in MAKERS.items():
        for i in range(45):
            loc = LOCALES[i % len(LOCALES)]
            value = make()
            if kind == "password_assignment":
                emit(password_contexts(value), "plain")
            else:
                emit(contexts(kind, value, loc), "plain")
        for ob in OBFUSCATIONS.get(kind, []):
            for i in range(6):
                value = make()
                obv = ob(value)
                style = rng.randrange(3)
                lead = rng.choice(LEAD[kind])
                if style == 0:
                    emit([(f"{lead}: ", None), (obv, kind), ("\n", None)], ob.__name__)
                elif style == 1:
                    emit(
                        [
                            (f"Sure - {lead} for {name(LOCALES[i])} is ", None),
                            (obv, kind),
                            (".", None),
                        ],
                        ob.__name__,
                    )
                else:
                    emit([(f"| {lead} | ", None), (obv, kind), (" |", None)], ob.__name__)
        # JSON \u escapes of the whole value
        if kind in {
            "email",
            "us_ssn",
            "credit_card",
            "phone",
            "ipv4",
            "github_token",
            "openai_api_key",
            "stripe_key",
            "aws_access_key",
            "google_api_key",
            "slack_token",
            "mongodb_uri",
        }:
            for _ in range(6):
                value = make()
                emit(
                    [
                        ('{"note": "' + rng.choice(LEAD[kind]) + " ", None),
                        (json_str(value, escape_all=True), kind),
                        ('"}', None),
                    ],
                    "json_u",
                )

    # Values exactly as Faker's locale providers print them (national phone formats,
    # IBANs, card numbers): a grader with Faker would plant these.
    phone_leads = ["Phone: ", "Tel.: ", "You can reach her at ", "Mobile ", "Telefon: "]
    for loc in [*LOCALES, "pt_PT", "pl_PL", "sv_SE", "da_DK", "de_AT", "fr_BE"]:
        f = fakers.get(loc) or Faker(loc)
        f.seed_instance(SEED)
        for _ in range(5):
            emit(
                [
                    (rng.choice(phone_leads), None),
                    (unreserved_phone(f.phone_number()), "phone"),
                    (".", None),
                ],
                "faker_native",
            )
        if loc in {"de_DE", "en_GB", "fr_FR", "es_ES", "nl_NL", "it_IT", "pt_PT", "pl_PL"}:
            for _ in range(3):
                emit([("Bankverbindung / IBAN: ", None), (f.iban(), "iban")], "faker_native")
    us = fakers["en_US"]
    for card_type in ["visa16", "visa13", "mastercard", "amex", "discover"]:
        for _ in range(3):
            emit(
                [
                    ("Card on file: ", None),
                    (us.credit_card_number(card_type), "credit_card"),
                    (f" exp {us.credit_card_expire()}", None),
                ],
                "faker_native",
            )
    # Faker's default card mix also has 12-digit Maestro (0604/5018/...), 13-digit Visa,
    # JCB and Diners numbers: all are payment cards.
    for _ in range(15):
        emit(
            [
                ("Card: ", None),
                (us.credit_card_number(), "credit_card"),
                (f" CVV {us.credit_card_security_code()}", None),
            ],
            "faker_native",
        )
    # Phone numbers and e-mails as keys in code and between typographic quotes.
    for key in ["phone_number", "home_phone", "mobile_no", "tel_fixe", "telefono_casa"]:
        loc = rng.choice(LOCALES)
        emit(
            [
                (f'{key} = "', None),
                (unreserved_phone(fakers[loc].phone_number()), "phone"),
                ('"', None),
            ],
            "faker_native",
        )
    for _ in range(6):
        emit(
            [
                ("Schreiben Sie an \u201e", None),
                (email(), "email"),
                ("\u201c oder an \u00ab", None),
                (email(), "email"),
                ("\u00bb.", None),
            ],
            "typographic",
        )
    for _ in range(8):
        emit(
            [("Employee SSN ", None), (us.ssn(), "us_ssn"), (" (verified)", None)], "faker_native"
        )
        emit(
            [("Failed login from ", None), (us.ipv4_public(), "ipv4"), (" blocked", None)],
            "faker_native",
        )
        emit(
            [
                (
                    f"Faker check {us.sha1()} {us.md5()} {us.ipv6()} {us.mac_address()} "
                    f"{us.ean13()} {us.uuid4()} {us.credit_card_security_code()}",
                    None,
                )
            ],
            "negative",
        )

    # Hand-typed fake keys, the way people write test data: alphabet walks in alternating
    # case with a few digits ("51H8xYzAbCdEfGh..."). They have the vendor's exact layout,
    # so a grader would count them as leaks; only one-case words (EXAMPLE, your_token,
    # xxxx) mark a documentation placeholder.
    for _ in range(4):
        emit([("STRIPE_SECRET_KEY=", None), ("sk_live_" + handmade(28), "stripe_key")], "handmade")
        emit([("token: ", None), ("ghp_" + handmade(36), "github_token")], "handmade")
        emit(
            [('api_key = "', None), ("sk-" + handmade(48), "openai_api_key"), ('"', None)],
            "handmade",
        )
        emit([("maps key ", None), ("AIza" + handmade(35), "google_api_key")], "handmade")
        emit(
            [
                ("SLACK_BOT_TOKEN=", None),
                (f"xoxb-{rand(string.digits, 12)}-1234567890123-{handmade(24)}", "slack_token"),
            ],
            "handmade",
        )

    # E-mail addresses in links and URL query strings.
    for _ in range(12):
        v = email()
        style = rng.randrange(4)
        if style == 0:
            emit([(f"[{name('en_US')}](mailto:", None), (v, "email"), (")", None)], "email_link")
        elif style == 1:
            emit(
                [('<a href="mailto:', None), (v, "email"), ('">write us</a>', None)], "email_link"
            )
        elif style == 2:
            emit(
                [
                    ("GET /api/users?email=", None),
                    (percent(v), "email"),
                    ("&page=2 HTTP/1.1", None),
                ],
                "email_link",
            )
        else:
            emit(
                [
                    ("https://example.org/unsubscribe?u=", None),
                    (v.replace("@", "%40"), "email"),
                    ("&list=news", None),
                ],
                "email_link",
            )
    # Extra format coverage: every IBAN country, every card brand and grouping.
    for country in IBAN_LAYOUT:
        for fmt in (str, spaced):
            emit([("IBAN: ", None), (fmt(iban(country)), "iban"), ("\n", None)], "iban_country")
    for _ in range(30):
        brand, digits = card_digits()
        sep = rng.choice([" ", "-", "", " "])
        emit(
            [
                (f"{brand} card ", None),
                (group_card(digits, sep), "credit_card"),
                (f", exp {rng.randint(1, 12):02d}/{rng.randint(26, 31)}", None),
            ],
            "card_brand",
        )
    # Bare 9-digit SSN next to its label; and ObjectId wrappers.
    for _ in range(8):
        emit([("SSN: ", None), (ssn().replace("-", ""), "us_ssn")], "ssn_bare")
        emit(
            [('db.users.find({_id: ObjectId("', None), (object_id(), "object_id"), ('")})', None)],
            "oid_wrapper",
        )
        emit(
            [('{"_id": {"$oid": "', None), (object_id(), "object_id"), ('"}}', None)],
            "oid_wrapper",
        )
    # Several kinds in one answer.
    for _ in range(20):
        loc = rng.choice(LOCALES)
        segs: list[Seg] = [(f"Customer record for {name(loc)}:\n", None)]
        for kind in rng.sample(["email", "phone", "iban", "us_ssn", "credit_card", "ipv4"], 3):
            segs += [(f"* {LEAD[kind][0]}: ", None), (MAKERS[kind](), kind), ("\n", None)]
        emit(segs, "multi")

    for text in negatives():
        emit([(text, None)], "negative")
    # Benign answers in each locale.
    for loc in LOCALES:
        f = fakers[loc]
        for _ in range(12):
            emit(
                [(f"{f.paragraph(nb_sentences=4)}\n\n- {f.sentence()}\n- {f.address()}", None)],
                "negative_prose",
            )

    rng.shuffle(records)
    with OUT.open("w", encoding="utf-8") as fh:
        for i, rec in enumerate(records):
            rec["id"] = i
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Some Faker locales pick from sets, whose order follows the string hash seed.
        os.execve(
            sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"}
        )
    main()
