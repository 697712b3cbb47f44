"""Personal data: email, US SSN, payment cards, phone numbers, IBAN and IPv4 addresses.

Each detector pairs a cheap RE2 candidate pattern with a Python validator that applies
the format's rules (Luhn, mod 97, SSN area/group/serial, octet ranges) and the context
checks that keep order numbers, dates, versions and ISBNs out.
"""

from __future__ import annotations

# stdlib re only ever runs on a candidate or a bounded slice around it; RE2 does the
# scanning of whole texts.
import re as _re

from ._base import (
    ContextPattern,
    Detector,
    char_after,
    char_before,
    context_before,
    digits_of,
    luhn_ok,
)
from .documented import fictional_phone, reserved_email_domain

# --------------------------------------------------------------------------------------
# email

# Bounded parts (RFC 5321 limits): see _base.extend for why nothing here is unbounded.
# The local part may hold non-ASCII letters (RFC 6531), which the pattern sees as "?";
# the validator tells them from a real "?".
_EMAIL = r"[A-Za-z0-9._+'\-?]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,6}"

_NOT_TLDS = frozenset(
    "png jpg jpeg gif svg webp ico bmp tif tiff js css py map json txt md html".split()
)


def _valid_domain_tail(domain: str) -> bool:
    labels = domain.split(".")
    tld = labels[-1]
    if not (2 <= len(tld) <= 24 and tld.isalpha()) or tld.lower() in _NOT_TLDS:
        return False
    return all(label and label[0] != "-" and label[-1] != "-" for label in labels)


def _email(text: str, start: int, end: int) -> tuple[int, int] | None:
    value = text[start:end]
    local, _, domain = value.rpartition("@")
    # The pattern's "?" is a real "?" or any non-ASCII character; the address starts after
    # the last one that is not a letter (a "?" ending a URL path, a curly quote).
    cut = 0
    for i, c in enumerate(local):
        if c == "?" or (not c.isascii() and not c.isalpha()):
            cut = i + 1
    if cut:
        local = local[cut:]
        start += cut
    # Trailing dots/hyphens belong to the sentence, not the address.
    while domain and domain[-1] in ".-":
        domain = domain[:-1]
        end -= 1
    while local and local[0] in ".'-+":  # "6789+jane@x.org" after an SSN: "+" joins, not leads
        local = local[1:]
        start += 1
    if not local or not _valid_domain_tail(domain) or ".." in local:
        return None
    if reserved_email_domain(domain):
        return None  # documentation (RFC 2606): no mailbox there
    before = char_before(text, start)
    if before.isalpha() and not before.isascii():
        # An internationalised local part (RFC 6531: jürgen.müller@...): the pattern,
        # which sees non-ASCII letters as "?", matched only its ASCII tail.
        stop = max(0, start - 64)
        while start > stop and (text[start - 1].isalnum() or text[start - 1] in "._+-"):
            start -= 1
        before = char_before(text, start)
    # a@b@c.com, j***@gmail.com. A letter or digit right before the candidate means an
    # earlier finding took the head of the local part (an IBAN's last group glued to the
    # address by "_"): the rest is still an address and must not go unreported.
    if before in "@*$%&!#\\|^~":
        return None
    if before in ":/" and not context_before(text, start, 8).endswith("mailto:"):
        # user:password@host inside a URL, or a path segment
        return None
    after = char_after(text, end)
    if after == ":" and end + 1 < len(text) and not text[end + 1].isspace():
        return None  # git@github.com:org/repo.git
    if after == "@":
        return None
    return start, end


# Bracketed spellings also in German, French, Spanish, Dutch, Italian and Portuguese
# ("info (at) firma (punkt) de", "juan [arroba] correo [punto] es"); bare words only in
# English, where "at"/"dot" between words are unambiguous enough.
_AT_WORDS = r"at|@|arroba|chez"
_DOT_WORDS = r"dot|\.|punkt|point|punto|punt|ponto"
_AT = (
    rf"(?:\s{{0,3}}[\[\(\{{<]\s{{0,2}}(?:{_AT_WORDS})\s{{0,2}}[\]\)\}}>]\s{{0,3}}"
    r"|\s{1,3}at\s{1,3}|@|\s{1,2}@\s{0,2}|@\s{1,2})"
)
_DOT = (
    rf"(?:\s{{0,3}}[\[\(\{{<]\s{{0,2}}(?:{_DOT_WORDS})\s{{0,2}}[\]\)\}}>]\s{{0,3}}"
    r"|\s{1,3}dot\s{1,3}|\.|\s{1,2}\.\s{1,2})"
)
_WORD = r"[A-Za-z0-9_+\-]{1,64}"
_OBF_EMAIL = rf"(?i){_WORD}(?:{_DOT}{_WORD}){{0,5}}{_AT}{_WORD}(?:{_DOT}{_WORD}){{1,5}}"


_OBF_HINT = _re.compile(r"\s|[\[\(\{<]")
# What every candidate with an _OBF_HINT holds (its words cannot hold one, so a spaced or
# bracketed separator does): see Detector.need.
_OBF_NEED = (
    rf"(?i)[\[\(\{{<]\s{{0,2}}(?:{_AT_WORDS}|{_DOT_WORDS})\s{{0,2}}[\]\)\}}>]"
    r"|\sat\s|\s@|@\s|\sdot\s|\s\.\s"
)
_AT_RE = _re.compile(
    rf"\s*[\[\(\{{<]\s*(?:{_AT_WORDS})\s*[\]\)\}}>]\s*|\s+at\s+|\s*@\s*", _re.IGNORECASE
)
_DOT_RE = _re.compile(
    rf"\s*[\[\(\{{<]\s*(?:{_DOT_WORDS})\s*[\]\)\}}>]\s*|\s+dot\s+|\s*\.\s*", _re.IGNORECASE
)
# "jane @ example . com": spaced symbols are also how sentences look ("meet @ noon .
# Then"), so such forms count only with a common top-level domain.
_COMMON_TLDS = frozenset(
    "com org net edu gov io co uk de fr es nl it eu info biz me us ca au ch at be se dk no "
    "fi pl pt ie lu cz ru jp cn in br mx ar ai app dev".split()
)


def _obfuscated_email(text: str, start: int, end: int) -> tuple[int, int] | None:
    value = text[start:end]
    if not _OBF_HINT.search(value):
        return None  # a plain address: the plain detector reports it
    at = list(_AT_RE.finditer(value))
    if len(at) != 1:
        return None
    at_sep = at[0]
    domain_raw = value[at_sep.end() :]
    dots = list(_DOT_RE.finditer(domain_raw))
    if not dots:
        return None
    plain_at = at_sep.group() == "@"
    spelled_dot = any(d.group().strip() not in (".", "") for d in dots)
    spaced = at_sep.group().strip() == "@" and not plain_at
    spaced = spaced or any(d.group() != "." and d.group().strip() == "." for d in dots)
    local_dots = list(_DOT_RE.finditer(value[: at_sep.start()]))
    if plain_at and not spelled_dot and all(d.group() == "." for d in local_dots):
        return None  # an ordinary address; the plain detector reports it
    local = value[: at_sep.start()]
    if (
        at_sep.group().strip().lower() == "at"
        and not spelled_dot
        and not any(c in "._+-" or c.isdigit() for c in local)
    ):
        # "works at example.com" is prose; "john at example dot com" and
        # "john.doe at example.com" are addresses.
        return None
    domain = _DOT_RE.sub(".", domain_raw)
    if not _valid_domain_tail(domain) or reserved_email_domain(domain):
        return None
    if spaced and domain.rsplit(".", 1)[-1].lower() not in _COMMON_TLDS:
        return None
    if char_before(text, start) in "@*":
        return None
    return start, end


# --------------------------------------------------------------------------------------
# US social security numbers

# The left edge of a digit-led candidate in the scanner's combined pass (see
# Detector.combined). Where the pattern has ``\b`` before a digit, this consumes the
# boundary's character instead, so that it can leave out a digit run right after
# "<digit>.": the digits of a fraction (a JSON score, coordinate or logprob), which every
# digit-led validator rejects (_digit_neighbour, _card, _phone). Bodies full of such
# numbers then cost the combined pass no more than prose.
NUMBER_LEAD = r"(?:^|[^0-9A-Za-z_.]|(?:^|[^0-9])\.)"

# (also "536-22 / 1234": a slash or bar between the group and the serial)
_SSN = (
    r"\b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b|\b\d{3}\.\d{2}\.\d{4}\b|\b\d{9}\b"
    r"|\b\d{3}-\d{2} ?[/|] ?\d{4}\b"
)
_SSN_COMBINED = _SSN.replace(r"|\b\d{9}\b", rf"|{NUMBER_LEAD}\d{{9}}\b")
_SSN_CONTEXT = ContextPattern(
    r"(?i)\b(?:ssn|social[ -]security|social sec|ss ?#|soc\.? sec|ss no)"
)


def _digit_neighbour(text: str, start: int, end: int) -> bool:
    """Whether the span continues a longer number (``1-123-45-6789``, ``…6789-12``)."""
    b, a = char_before(text, start), char_after(text, end)
    if b.isdigit() or a.isdigit():
        return True
    if b in "-./" and char_before(text, start - 1).isdigit():
        return True
    return a in "-./" and char_after(text, end + 1).isdigit()


def ssn_ok(digits: str) -> bool:
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return not (area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000")


def _ssn(text: str, start: int, end: int) -> tuple[int, int] | None:
    digits = digits_of(text[start:end])
    if not ssn_ok(digits) or _digit_neighbour(text, start, end):
        return None
    spaced = text[start + 3] == " "
    if spaced and (
        (char_before(text, start) == " " and char_before(text, start - 1).isdigit())
        or (char_after(text, end) == " " and char_after(text, end + 1).isdigit())
    ):
        return None  # one group of a longer spaced number
    if end - start == 9 or (spaced and digits[0] == "0") or text[start + 3] == ".":
        # A bare nine-digit number (or a spaced one that reads like a phone number, or a
        # dotted one) is an SSN only when the text says so, before or just after it.
        ctx = context_before(text, start, 40) + " " + text[end : end + 32].lower()
        if not _SSN_CONTEXT.found(ctx):
            return None
    elif char_before(text, start) == " " and char_before(text, start - 1).isdigit():
        return None
    return start, end


# --------------------------------------------------------------------------------------
# payment cards

# Between digit groups: a space or dash (also " - ", as an en dash is often spaced), a "+"
# (a space in a form-encoded query string), or a line break (also JSON-escaped, also after
# a dash).
# Dots and slashes group digits too ("4421.4060.3661.8298", "4421/4060/...", and middle
# dots, which normalisation folds to ".").
_CARD_SEP = r"(?:[ \t\-]?(?:\r?\n|\\[rn])[ \t]?|[ \t]?[\-./][ \t]?|[ \t+])"
_CARD = rf"\b\d(?:{_CARD_SEP}?\d){{11,18}}\b"
#: A run of digit groups going on at a position: a card candidate that ends there may be
#: followed along it, past its end, by _card's look-ahead (up to 40 characters).
CARD_RUN_GOES_ON = rf"(?:{_CARD_SEP})\d"
# In the combined pass, also no run of digits that cannot be a card and holds none: no
# issuer number starts with 7, 8 or 9, or with 1 but for 1800 (_issuer_length_ok), so a
# millisecond timestamp (1712345678901) is no candidate. Such a run stays one when it has
# groups, or when digits follow after a separator (_card looks there for a card that the
# run swallowed the start of). Dots and slashes group digits only in runs of groups of
# three to six digits: a float's one dot before a long fraction (0.5123456789012345) is
# no grouping, and _card would reject what follows it as a decimal's tail.
_CARD_SEP_PLAIN = r"(?:[ \t\-]?(?:\r?\n|\\[rn])[ \t]?|[ \t]?-[ \t]?|[ \t+])"
_CARD_BAD_GROUPED = "|".join(
    rf"\d{{{a}}}{_CARD_SEP_PLAIN}\d(?:{_CARD_SEP_PLAIN}?\d){{{max(0, 10 - a)},{17 - a}}}\b"
    for a in range(18)
)
_CARD_DOTTED = rf"\d{{3,6}}(?:(?:{_CARD_SEP_PLAIN}|[ \t]?[./][ \t]?)\d{{3,6}}){{2,5}}\b"
_CARD_COMBINED = (
    rf"{NUMBER_LEAD}(?:[02-6](?:{_CARD_SEP_PLAIN}?\d){{11,18}}\b"
    r"|18\d{10,17}\b"
    rf"|[1789](?:{_CARD_BAD_GROUPED})"
    r"|[1789]\d{11,18}[ \t\-\r\n\\][\\rn\n]?\d"
    rf"|{_CARD_DOTTED})"
)
# Words that make a number an identifier; matched at a word start, so that names such as
# "Dean" or "Orleans" do not hide a card ("ean").
_CARD_NEGATIVE = ContextPattern(
    r"\b(?:order|tracking|invoice|isbn|imei|serial|ean|upc|msisdn|gtin)"
)


def _issuer_length_ok(digits: str) -> bool:
    n = len(digits)
    p2, p4 = int(digits[:2]), int(digits[:4])
    p3 = p4 // 10
    if digits[0] == "4":  # Visa
        return n in (13, 16, 19)
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:  # Mastercard
        return n == 16
    if p2 in (34, 37):  # American Express
        return n == 15
    if p4 == 6011 or 644 <= p3 <= 649 or p2 in (65, 62):  # Discover, UnionPay
        return 16 <= n <= 19
    if 3500 <= p4 <= 3599 or p4 in (3088, 3096, 3112, 3158, 3337):  # JCB
        return 15 <= n <= 19
    if p4 in (2131, 1800):  # JCB 15-digit
        return n == 15
    if p2 in (36, 38, 39) or 300 <= p3 <= 305:  # Diners Club
        return 14 <= n <= 19
    # (0604 is an early Maestro range that card generators such as Faker still use)
    if p4 in (604, 5018, 5020, 5038, 5893, 6304, 6390, 6759, 6761, 6762, 6763) or 56 <= p2 <= 58:
        # Maestro: 12 to 19 digits, but a 13-digit run is far more often an EAN-13
        # barcode that happens to pass Luhn.
        return n != 13
    return False


def card_ok(digits: str) -> bool:
    """Length, issuer prefix and Luhn check of a card number."""
    return 12 <= len(digits) <= 19 and _issuer_length_ok(digits) and luhn_ok(digits)


_DIGIT_RUN = _re.compile(r"[0-9]+")


def _digit_groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the runs of ASCII digits in ``text[start:end]``."""
    return [m.span() for m in _DIGIT_RUN.finditer(text, start, end)]


_THREE_DIGITS = _re.compile(r"[0-9]{3}")
_IBAN_HEAD = _re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ \-][A-Za-z0-9]{4}){0,2}[ \-]$")
_CARD_RUN = _re.compile(rf"\d+(?:{_CARD_SEP}\d+)*")


_SPACE_GROUPS = _re.compile(r"[ \t+\-./]")
_ANY_GROUPS = _re.compile(r"(?:[ \t+\-./]|\r?\n|\\[rn])+")


def _grouping_ok(span: str) -> bool:
    """Printed cards group their digits by at most six (4-4-4-4, 4-6-5); a long run next
    to a short one ("3564118313904 023") is two numbers. Digits only split by a line break
    are a wrapped card."""
    if _SPACE_GROUPS.search(span) is None:
        return True
    if "\\" in span or "\r" in span:
        return all(len(g) <= 6 for g in _ANY_GROUPS.split(span))
    # (the same groups, split without a regex: every other separator becomes a space)
    spaced = span.replace("-", " ").replace(".", " ").replace("/", " ").replace("+", " ")
    return max(map(len, spaced.split()), default=0) <= 6


# Words that name a payment card, for forms that need them (one digit per group).
_CARD_WORDS = _re.compile(
    r"(?i)(?:card|carte|tarjeta|karte|carta|kaart|karty|kort|cart\u00e3o|\u043a\u0430\u0440\u0442|"
    r"\u30ab\u30fc\u30c9|\u5361|visa|mastercard|amex|pan\b)"
)
_SPACED_DIGITS = _re.compile(r"\d(?: \d){12,18}")


def _spaced_card(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A card number written one digit at a time ("4 1 3 6 5 4 ..."), after a card word."""
    run = _SPACED_DIGITS.match(text, start, min(len(text), start + 40))
    if run is None or char_after(text, run.end()).isdigit():
        return None
    digits = run.group().replace(" ", "")
    if not card_ok(digits) or not _CARD_WORDS.search(context_before(text, start, 40)):
        return None
    return start, run.end()


def _card(text: str, start: int, end: int) -> tuple[int, int] | list[tuple[int, int]] | None:
    if _THREE_DIGITS.search(text, start, end) is None:
        # runs of single digits or pairs ("1 2 3 …", "12-34-…") are no card, unless the
        # text says it is one
        return _spaced_card(text, start, end)
    b = char_before(text, start)
    if char_after(text, end) == "-" and char_after(text, end + 1).isalnum():
        return None
    # The candidate's first group may be the tail of something else: a group of a longer
    # dashed token (an all-digit stretch of a UUID), or of a decimal or a longer number.
    # It is no card's start then, but a card may still follow it in the same run
    # ("0.0-1712345678 4111 1111 1111 1111"): only the look-ahead below, past that group.
    tail = (b == "-" and char_before(text, start - 1).isalnum()) or (
        b.isdigit() or (b in ".," and char_before(text, start - 1).isdigit())
    )
    ctx = context_before(text, start, 30)
    if _CARD_NEGATIVE.found(ctx):
        return None
    if b in " -" and _IBAN_HEAD.search(text, max(0, start - 16), start):
        return None  # the account digits of an IBAN ("PL14 9557 7145 ...", "IE55 DBUK 5691 ...")
    digits = digits_of(text[start:end])
    a = char_after(text, end)
    continues = a in " \t-\r\n\\" and text[end + 1 : end + 3].strip("\\rn\n").isdigit()
    if tail and not continues and len(_digit_groups(text, start, end)) < 2:
        return None
    if not continues and not tail:
        # The common cases, without looking further: a whole card or too few digits.
        if card_ok(digits) and _grouping_ok(text[start:end]):
            return start, end
        if len(digits) < 12 or not any(not c.isdigit() for c in text[start:end]):
            return None
    # The candidate may have swallowed the start of a card that follows another number
    # (an SSN, a date); look a little past it and try every run of whole digit groups,
    # longest first. The look-ahead is bounded so that the work stays linear.
    run = _CARD_RUN.match(text, start, min(len(text), end + 40))
    stop = run.end() if run else end
    # Printed cards group their digits in threes to sixes (4-4-4-4, 4-6-5, 4-4-4-4-3), so
    # only runs of up to five such groups are tried; runs of single digits or pairs are
    # not card numbers and cost nothing.
    groups = _digit_groups(text, start, stop)
    found: list[tuple[int, int]] = []
    n = len(groups)
    first = 1 if tail else 0
    while first < n:
        g = groups[first][0]
        if groups[first][1] - g < 3 or (
            g > start and text[g - 1] in ".," and text[g - 2 : g - 1].isdigit()
        ):
            first += 1  # too short, or the digits of a decimal's fraction
            continue
        last = first
        while last + 1 < n and last - first < 4 and groups[last + 1][1] - groups[last + 1][0] >= 3:
            last += 1
        hit = None
        for end_group in range(last, first - 1, -1):
            s, e = groups[first][0], groups[end_group][1]
            digits = digits_of(text[s:e])
            if len(digits) < 13:
                break  # a 12-digit Maestro number only counts as a whole run
            if card_ok(digits) and _grouping_ok(text[s:e]):
                hit = end_group
                found.append((s, e))
                break
        first = (hit + 1) if hit is not None else first + 1
    return found or None


# --------------------------------------------------------------------------------------
# phone numbers

_EXT = r"(?:\s?(?:x|ext\.?|#)\s?\d{1,6})?"
_PHONE = (
    r"(?:\+[1-9][\d \-.()/]{6,20}\d"
    r"|\b00[1-9][\d \-.()/]{6,20}\d"
    r"|\(\+?\d{1,5}\)[\d \-./]{5,18}\d"
    r"|\b0[1-9][\d \-./()]{5,18}\d"
    r"|\b\d{3}[ .\-]\d{3}[ .\-]\d{4}"
    r"|\b1[ .\-]\d{3}[ .\-]\d{3}[ .\-]\d{4}"
    r"|\b1[ .\-]?\(\d{3}\)\s?\d{3}[ .\-]\d{4}"
    r"|\b\d{10,11})" + _EXT + r"\b"
)
# In the combined pass: fractions' digits left out (NUMBER_LEAD), and a bare run of ten or
# eleven digits only when it starts with 0. _phone takes any other bare run only after a
# phone word (_PHONE_CONTEXT_RE, 30 characters back), so those are found through
# _PHONE_GATE: a Unix timestamp ("created": 1712345678) is no candidate.
_PHONE_COMBINED = (
    r"(?:\+[1-9][\d \-.()/]{6,20}\d"
    rf"|{NUMBER_LEAD}00[1-9][\d \-.()/]{{6,20}}\d"
    r"|\(\+?\d{1,5}\)[\d \-./]{5,18}\d"
    rf"|{NUMBER_LEAD}0[1-9][\d \-./()]{{5,18}}\d"
    r"|\b\d{3}[ .\-]\d{3}[ .\-]\d{4}"
    r"|\b1[ .\-]\d{3}[ .\-]\d{3}[ .\-]\d{4}"
    r"|\b1[ .\-]?\(\d{3}\)\s?\d{3}[ .\-]\d{4}"
    rf"|{NUMBER_LEAD}0\d{{9,10}})" + _EXT + r"\b"
)
_PHONE_CONTEXT_RE = ContextPattern(
    r"(?i)\b(?:phone|tel|call|mobile|cell|fax|contact|reach|text me|whatsapp|sms|telefon|"
    r"handy|t\u00e9l\u00e9phone|t\u00e9l|portable|tel\u00e9fono|m\u00f3vil|movil|telefoon|"
    r"mobiel|bel|n\u00famero|num\u00e9ro|nummer|numer|dial|gsm|tlf)"
)
# Every word _PHONE_CONTEXT_RE finds, as the scanner sees it (its non-ASCII letters as any
# non-ASCII character, or "?" where text was folded; no word boundary: the context is a
# slice that may start mid-word), up to the first ten digits of a bare number within its
# 30-character reach. (With "." for those letters, "first last", "0.4054193295" in an
# API body was a gate candidate: "t l" read as "tél".)
_NON_ASCII = r"[^\x00-\x3e\x40-\x7f]"
_PHONE_GATE = (
    rf"(?i:phone|tel|call|mobile|cell|fax|contact|reach|text me|whatsapp|sms|handy|"
    rf"t{_NON_ASCII}l|portable|m{_NON_ASCII}vil|movil|mobiel|bel|n{_NON_ASCII}mero|"
    rf"num{_NON_ASCII}ro|nummer|numer|dial|gsm|tlf)"
    r"(?s:.){0,30}?\b[1-9][0-9]{9}"
)
# The gate's own end: a bare ten-digit number, whatever word comes before it.
_PHONE_GATE_CLEAN = r"\b[1-9][0-9]{9}"
# Words that make a number an identifier rather than a phone number (unless a phone word
# is also there).
_PHONE_NEGATIVE = ContextPattern(
    r"(?i)(?:order|tracking|invoice|isbn|\bref|account|iban|card|ssn|serial|\bcase|ticket|"
    r"\bids?\b|#|sku|\bpo\b|\bzip|post ?code|routing|transaction|confirmation|customer|"
    r"version|build|\bean\b|upc|gtin|barcode)"
)


_EXT_TAIL = _re.compile(r"\s?(?:x|ext\.?|#)\s?\d{1,6}$")
_PHONE_SEPARATORS = _re.compile(r"[ \-./()]+")


def _without_ext(value: str) -> str:
    """*value* without a trailing extension ("x 12", "ext. 3", "#45")."""
    if "x" not in value and "#" not in value:
        return value  # (the common case, without a regex call)
    return _EXT_TAIL.sub("", value)


def _phone_shape_ok(core: str, digits: str | None = None) -> bool:
    """Whether *core* is shaped like a phone number; *digits*: ``digits_of(core)`` if the
    caller has it."""
    if digits is None or "(0)" in core:
        digits = digits_of(core.replace("(0)", ""))
    if not 8 <= len(digits) <= 15:
        return False
    parts = [p for p in _PHONE_SEPARATORS.split(core) if p]
    if core.count("/") > 1:
        return False
    if core.count(".") > 3 and not all(len(p) == 2 for p in parts[1:]):
        return False  # dotted numbers other than the French 01.23.45.67.89
    if "." in core or "/" in core or "-" in core:
        lens = [len(p) for p in parts]
        # dates such as 2023-10-15, 15.10.2023, 10/15/2023 12 and dotted versions
        # (a fourth group of two, as in the Swedish 0219-93 51 81, is not a date)
        if len(lens) >= 3 and (lens[:3] in ([4, 2, 2], [2, 2, 4], [1, 2, 4], [2, 1, 4])):
            if not (core[0] == "0" and lens == [4, 2, 2, 2]):
                return False
        if core.count(".") == 3 and all(len(p) <= 3 for p in core.split(".")):
            return False
        if lens == [3, 2, 4] and core.count("-") == 2:
            return False  # the AAA-GG-SSSS shape of a US SSN (also an invalid one)
    # ISBN-10 style grouping ends in a single check digit
    return not (len(parts) >= 3 and len(parts[-1]) == 1)


_HEX_GROUP_BEFORE = _re.compile(r"[:.][0-9A-Fa-f]{1,4}:$")


def _phone(text: str, start: int, end: int) -> tuple[int, int] | None:
    b = char_before(text, start)
    b2 = char_before(text, start - 1)
    if b.isalnum() or b in "+_" or (b in "-./" and b2.isalnum()) or (b in ": " and b2.isdigit()):
        return None  # the tail of a longer number, a time (04:26:01.99), a path
    if b == ":" and _HEX_GROUP_BEFORE.search(text, max(0, start - 7), start):
        return None  # the last group of a MAC or IPv6 address (a8:0e:7a:05 ...)
    a = char_after(text, end)
    if a in "-./ " and char_after(text, end + 1).isdigit():
        return None
    if a in "-./" and char_after(text, end + 1).isalnum():
        return None
    core = _without_ext(text[start:end])
    digits = digits_of(core)
    n_digits = len(digits)
    bare = core.isdigit() and not (core[0] == "0" and n_digits in (10, 11))
    if not bare and not _phone_shape_ok(core, digits):
        return None
    ctx = context_before(text, start, 30)
    positive = _PHONE_CONTEXT_RE.found(ctx)
    if bare and not positive:
        # A bare run of digits (an EAN, a UPC, an order number, a timestamp) is a phone
        # number only when the text says so; a national 0-prefixed 10/11-digit number is
        # the exception.
        return None
    if bare and not _phone_shape_ok(core, digits):
        return None
    if not positive and _PHONE_NEGATIVE.found(ctx[-16:]):
        return None
    if core[0] == "0" and not core.startswith("00") and n_digits < 9:
        return None
    if fictional_phone(digits):
        return None  # 555-01xx, Ofcom's drama numbers
    return start, end


# A number introduced by a phone word ("Tel.: 22 282 02 79", "phone 531 694 149"): the
# word makes formats without a trunk prefix or country code unambiguous.
_PHONE_WORDS = (
    r"phone|telephone|tel|mobile|cell|cellphone|fax|call|whatsapp|sms|telefon|telefono|"
    r"tel.fono|t.l.phone|portable|handy|mobiel|telefoon|m.vil|movil|tlf|tfn|gsm|"
    r"reach (?:me|us|him|her|them)(?: at| on)?|contact|contacto|kontakt|contatto|contato"
)
# Also as a key in code and config: phone_number, home_phone, tel_no.
_LED_KEY = rf"(?:[A-Za-z]{{1,12}}[_\-])?(?:{_PHONE_WORDS})(?:[_\-][A-Za-z0-9]{{0,12}}){{0,2}}\b"
_LED_KEY_RE = _re.compile("(?i)" + _LED_KEY)
_PHONE_LED = (
    rf"(?i)\b{_LED_KEY}"
    rf"[^0-9+(\n]{{0,48}}[+(]?\d[\d \-.()/]{{6,20}}\d" + _EXT + r"\b"
)
_LED_NUMBER = _re.compile(r"[+(]?\d")
# Every phone word, as the stream sees it (see Detector.stream_gate).
_PHONE_LED_GATE = (
    r"(?i)phone|tel|t\?l|mobile|cell|fax|call|whatsapp|sms|portable|handy|mobiel|m\?vil|movil|"
    r"tfn|gsm|reach|contact|kontakt|contatto|contato"
)


def _phone_led(text: str, start: int, end: int) -> tuple[int, int] | None:
    key = _LED_KEY_RE.match(text, start, end)
    # The number follows the key word ("PHONE_1>+44 ...": not the 1 of the key).
    number = _LED_NUMBER.search(text, key.end() if key else start, end)
    if number is None:
        return None
    s = number.start()
    a = char_after(text, end)
    if a in "-./ " and char_after(text, end + 1).isdigit():
        return None
    core = _without_ext(text[s:end]).rstrip(" -./(")
    digits = digits_of(core)
    if not _phone_shape_ok(core, digits) or len(digits) < 8:
        return None
    if fictional_phone(digits):
        return None
    return s, end


# --------------------------------------------------------------------------------------
# IBAN

IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22,
    "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19,
    "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip

# Printed IBANs start with an upper-case country code. A typed, lower-case one is taken
# when grouped ("de89 3704 0044 ...") or introduced by "IBAN"/"account": a bare lower-case
# run would make every hex id that starts with two letters ("de12...") a candidate.
_IBAN_WORDS = r"iban|account|konto|kontonummer|compte|cuenta|rekening|conto|conta"
_IBAN_BODY = r"\d{2}(?:(?:[ \-.]|\r?\n|\\n)?[A-Za-z0-9]){11,32}"
_IBAN_LOWER_COUNTRIES = "|".join(sorted(c.lower() for c in IBAN_LENGTHS))
_IBAN = (
    rf"\b[A-Z]{{2}}{_IBAN_BODY}"
    r"|\b[a-z]{2}\d{2}(?:[ \-][a-z0-9]{4}){2,7}(?:[ \-][a-z0-9]{1,3})?\b"
    # A typed, ungrouped lower-case IBAN counts only after an account word (checked by
    # the validator). Matching "account ... de89..." as one candidate made the combined
    # pattern's DFA track a 48-character gap after every such word, doubling the scan
    # cost of ordinary prose; a country-code prefix keeps hex ids from being candidates.
    rf"|\b(?:{_IBAN_LOWER_COUNTRIES}){_IBAN_BODY}"
)
_LOWER_GROUPED = _re.compile(r"[a-z]{2}\d{2}(?:[ \-][a-z0-9]{4}){2,7}(?:[ \-][a-z0-9]{1,3})?\b")
_IBAN_LEAD = _re.compile(rf"(?i)\b(?:{_IBAN_WORDS})\b[^0-9\n]{{0,48}}$")


def iban_ok(compact: str) -> bool:
    """Country length and ISO 7064 mod-97 check of an IBAN without spaces."""
    compact = compact.upper()  # printed IBANs are upper case, typed ones not always
    if IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    moved = compact[4:] + compact[:4]
    try:
        number = int("".join(str(int(c, 36)) for c in moved))
    except ValueError:
        return False
    return number % 97 == 1


def _iban(text: str, start: int, end: int) -> tuple[int, int] | None:
    if text[start].islower() and not _LOWER_GROUPED.match(text, start, end):
        # "IBAN: de89370400440532013000": typed lower case needs an account word before it.
        if _IBAN_LEAD.search(text, max(0, start - 64), start) is None:
            return None
    if char_before(text, start).isalnum():
        return None
    length = IBAN_LENGTHS.get(text[start : start + 2].upper())
    if length is None:
        return None
    chars: list[str] = []
    pos = start
    while pos < end and len(chars) < length:
        ch = text[pos]
        if ch == "\\" and text[pos + 1 : pos + 2] in ("n", "r"):
            pos += 2  # a JSON-escaped line break inside the value
            continue
        if ch.isalnum():
            chars.append(ch)
        pos += 1
    if len(chars) < length:
        return None
    # The value must end at a token boundary, not in the middle of a longer run.
    if char_after(text, pos).isalnum():
        return None
    if not iban_ok("".join(chars)):
        return None
    return start, pos


# --------------------------------------------------------------------------------------
# IPv4

_IPV4 = r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b"
# Dotted numbers that a preceding word marks as a version, an OID or a document section.
_VERSION_RE = ContextPattern(
    r"\b(?:version|release|build|firmware|ver|oid|v|rv|section|sect|sec|chapter|ch|"
    r"clause|paragraph|para|article|art|step|item|figure|fig|table|rule|appendix|"
    r"abschnitt|kapitel|chapitre|secci.n|cap.tulo|artikel|article)\b[\s.:=#-]*$"
    r"|[A-Za-z]/$|\u00a7\s*$"
    # a key or element named for a version: <AssemblyVersion>, "build": ", Version="
    r"|(?:version|build|release)[\"'>:=\s]{1,6}$"
    # a changelog heading: "## 9.20.6.116 (2024-09-01)"
    r"|(?:^|\n)#{1,6}[ \t]*\[?$"
)
_VERSION_AFTER = _re.compile(r"(?i)[ \t]{1,3}(?:release|version|build|firmware|update)s?\b")
_CIDR_SUFFIX = _re.compile(r"/([0-9]{1,2})\b")


_DOCUMENTATION_NETS = frozenset({(192, 0, 2), (198, 51, 100), (203, 0, 113)})


def _not_a_host(octets: list[int], text: str, end: int) -> bool:
    """Addresses that identify no one: the unspecified and broadcast addresses, loopback,
    netmasks (255.x.x.x) and a CIDR block's network address (``10.8.0.0/16``)."""
    if octets[0] in (0, 127, 255):
        return True
    if (octets[0], octets[1], octets[2]) in _DOCUMENTATION_NETS:
        return True  # RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24
    cidr = _CIDR_SUFFIX.match(text, end)
    if cidr is not None:
        prefix = int(cidr.group(1))
        value = (octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]
        host_bits = 32 - prefix if prefix <= 32 else 0
        return prefix < 32 and value & ((1 << host_bits) - 1) == 0
    return False


def _ipv4(text: str, start: int, end: int) -> tuple[int, int] | None:
    return _ipv4_octets(text, start, end, text[start:end].split("."))


def _ipv4_octets(text: str, start: int, end: int, octets: list[str]) -> tuple[int, int] | None:
    values: list[int] = []
    for o in octets:
        value = int(o)
        if value > 255 or (len(o) > 1 and o[0] == "0"):
            return None
        values.append(value)
    if octets[3] == "0":
        return None  # a network (10.12.4.0) or a version (8.5.4.0), not a host
    b, a = char_before(text, start), char_after(text, end)
    if b in "vV" or (b == "." and char_before(text, start - 1).isdigit()):
        return None
    if a == "." and char_after(text, end + 1).isdigit():
        return None
    if b == "-" or (a == "-" and char_after(text, end + 1).isdigit()):
        return None
    if _VERSION_RE.found(context_before(text, start, 20)):
        return None
    if _VERSION_AFTER.match(text, end, end + 24):
        return None  # "10.5.3.2 release notes"
    if _not_a_host(values, text, end):
        return None
    return start, end


# Defanged addresses, as threat reports write them so that nobody clicks:
# 192[.]168[.]1[.]1, 10(.)0(.)0(.)7, 18[dot]209[dot]43[dot]58, 185{.}100{.}116{.}34.
_DEFANG_SEP = r"(?:\.|\s?[\[\(\{]\s?(?:\.|dot|DOT|Dot)\s?[\]\)\}]\s?)"
_IPV4_DEFANGED = rf"\b\d{{1,3}}(?:{_DEFANG_SEP}\d{{1,3}}){{3}}\b"
# What every defanged address holds (a plain one is the plain detector's): Detector.need.
_DEFANG_NEED = r"[\[\(\{]\s?(?:\.|dot|DOT|Dot)\s?[\]\)\}]"
_DEFANG_SPLIT = _re.compile(r"\s?[\[\(\{]\s?(?:\.|dot)\s?[\]\)\}]\s?|\.", _re.IGNORECASE)


def _ipv4_defanged(text: str, start: int, end: int) -> tuple[int, int] | None:
    value = text[start:end]
    if "." in value and value.count(".") == 3 and value.replace(".", "").isdigit():
        return None  # a plain address: the plain detector judges it
    return _ipv4_octets(text, start, end, _DEFANG_SPLIT.split(value))


DETECTORS: tuple[Detector, ...] = (
    Detector("email", _EMAIL, _email, 254),
    Detector("email", _OBF_EMAIL, _obfuscated_email, 600, need=_OBF_NEED),
    Detector("us_ssn", _SSN, _ssn, 15, combined=_SSN_COMBINED),
    Detector("credit_card", _CARD, _card, 60, combined=_CARD_COMBINED),
    Detector(
        "phone",
        _PHONE,
        _phone,
        40,
        combined=_PHONE_COMBINED,
        gate=_PHONE_GATE,
        clean_gate=_PHONE_GATE_CLEAN,
    ),
    Detector("phone", _PHONE_LED, _phone_led, 40, stream_gate=_PHONE_LED_GATE),
    Detector("iban", _IBAN, _iban, 70, clean=r"\b[A-Za-z]{2}\d{2}"),
    Detector("ipv4", _IPV4, _ipv4, 15),
    Detector("ipv4", _IPV4_DEFANGED, _ipv4_defanged, 40, need=_DEFANG_NEED),
)
