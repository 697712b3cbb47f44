"""PII detectors: what fires, what must not, and the obfuscated forms."""

from __future__ import annotations

import pytest

from flask_llm_shield.detect import Scanner
from flask_llm_shield.detect.pii import card_ok, iban_ok, ssn_ok


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


def found(scanner: Scanner, text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in scanner.scan(text)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("write to Jane.Roe+news@mail.example.co.uk today", "Jane.Roe+news@mail.example.co.uk"),
        ("JOHN.SMITH@MAILHOST.COM", "JOHN.SMITH@MAILHOST.COM"),
        ("mailto:ops@mailhost.org", "ops@mailhost.org"),
        ("reach me: john dot doe at mailhost dot com.", "john dot doe at mailhost dot com"),
        ("john[at]mailhost[.]com", "john[at]mailhost[.]com"),
        ("jane (at) corp (dot) io", "jane (at) corp (dot) io"),
        ("j.doe{at}mailhost{dot}org", "j.doe{at}mailhost{dot}org"),
        ("write john.doe at mailhost.com", "john.doe at mailhost.com"),
        ("mail jane @ mailhost . com today", "jane @ mailhost . com"),
    ],
)
def test_emails(scanner: Scanner, text: str, value: str) -> None:
    assert found(scanner, text) == [("email", value)]


@pytest.mark.parametrize(
    "text",
    [
        "git clone git@github.com:org/repo.git",
        "We emailed j***@gmail.com a link.",
        "The logo is icon@2x.png and npm i lodash@4.17.21",
        "She works at mailhost.com now.",
        "Follow @jane_doe on the site.",
        "Let us meet @ noon . Then lunch.",
    ],
)
def test_email_negatives(scanner: Scanner, text: str) -> None:
    assert [k for k, _ in found(scanner, text)] == []


def test_ssn_rules() -> None:
    assert ssn_ok("123456789")
    for bad in ("000123456", "666123456", "900123456", "123001234", "123450000"):
        assert not ssn_ok(bad)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("SSN: 123-45-6789", "123-45-6789"),
        ("ssn 078 05 1120 on file", "078 05 1120"),
        ("Social Security Number 219099999", "219099999"),
        ("number 328 30 7247 (SSN)", "328 30 7247"),
        ("SSN 219.09.9999", "219.09.9999"),
    ],
)
def test_ssns(scanner: Scanner, text: str, value: str) -> None:
    assert found(scanner, text) == [("us_ssn", value)]


@pytest.mark.parametrize(
    "text",
    [
        "000-12-3456",
        "666-12-3456",
        "912-34-5678",
        "The SSN on file ends in ***-**-6789.",
        "An SSN has the format AAA-GG-SSSS.",
        "order 219099999",
    ],
)
def test_ssn_negatives(scanner: Scanner, text: str) -> None:
    assert [k for k, _ in found(scanner, text) if k == "us_ssn"] == []


def test_card_rules() -> None:
    assert card_ok("4111111111111111")  # Visa
    assert card_ok("5500000000000004")  # Mastercard
    assert card_ok("2223000048400011")  # Mastercard 2-series
    assert card_ok("378282246310005")  # Amex
    assert card_ok("6011111111111117")  # Discover
    assert not card_ok("4111111111111112")  # Luhn
    assert not card_ok("9780306406157")  # an ISBN-13 passes no issuer prefix


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("card 4111 1111 1111 1111.", "4111 1111 1111 1111"),
        ("card 4111-1111-1111-1111", "4111-1111-1111-1111"),
        ("amex 3782 822463 10005", "3782 822463 10005"),
        ("pay with 5500000000000004", "5500000000000004"),
        ("card 4111 1111\n1111 1111 thanks", "4111 1111\n1111 1111"),
        ("SSN 123-45-6789 4111 1111 1111 1111", "4111 1111 1111 1111"),
    ],
)
def test_cards(scanner: Scanner, text: str, value: str) -> None:
    assert ("credit_card", value) in found(scanner, text)


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1112",
        "ISBN 978-0-306-40615-7",
        "Your order #4111111111111111 has shipped.",
        "Card ending **** **** **** 1111",
    ],
)
def test_card_negatives(scanner: Scanner, text: str) -> None:
    assert [k for k, _ in found(scanner, text) if k == "credit_card"] == []


@pytest.mark.parametrize(
    "value",
    [
        "(555) 123-4567",
        "555-123-4567",
        "+1-780-563-6083x7783",
        "+44 20 7946 1958",
        "020 7946 1958",
        "+49 (0)30 1234567",
        "+33 1 23 45 67 89",
        "01 23 45 67 89",
        "+34 912 345 678",
        "+31 20 123 4567",
        "06-12345678",
    ],
)
def test_phones(scanner: Scanner, value: str) -> None:
    assert found(scanner, f"Call me on {value} tomorrow.") == [("phone", value)]


@pytest.mark.parametrize(
    "text",
    [
        "Meeting on 2023-10-15 at 14:30.",
        "Am 15.10.2023 um 14:30 Uhr.",
        "Order 1234567890 shipped.",
        "ISBN 0-306-40615-2",
        "Created 1990-01-28T04:26:01.993277",
        "Timestamp 1700000000 in the logs.",
        "USPS tracking 9400 1000 0000 0000 0000 00",
    ],
)
def test_phone_negatives(scanner: Scanner, text: str) -> None:
    assert [k for k, _ in found(scanner, text) if k == "phone"] == []


def test_iban_rules() -> None:
    assert iban_ok("DE89370400440532013000")
    assert iban_ok("GB82WEST12345698765432")
    assert not iban_ok("DE89370400440532013001")
    assert not iban_ok("DE8937040044053201300")  # wrong length for DE


@pytest.mark.parametrize(
    "value",
    [
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91ABNA0417164300",
        "ES91 2100 0418 4502 0005 1332",
    ],
)
def test_ibans(scanner: Scanner, value: str) -> None:
    assert found(scanner, f"IBAN {value} for the refund") == [("iban", value)]


@pytest.mark.parametrize("value", ["192.168.1.10", "8.8.8.8", "203.0.114.7"])
def test_ipv4(scanner: Scanner, value: str) -> None:
    assert found(scanner, f"login from {value} at noon") == [("ipv4", value)]


@pytest.mark.parametrize(
    "text",
    [
        "Upgrade to version 1.2.3.4 today.",
        "Release v2.10.3.1 fixes it.",
        "OID 1.3.6.1.4.1.311 identifies the vendor.",
        "not an address: 256.1.1.1 or 01.02.03.04",
    ],
)
def test_ipv4_negatives(scanner: Scanner, text: str) -> None:
    assert [k for k, _ in found(scanner, text) if k == "ipv4"] == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SSN \uff11\uff12\uff13\u2011\uff14\uff15\u2011\uff16\uff17\uff18\uff19", "us_ssn"),
        ("card 4111\u200b1111\u200c1111\u20601111", "credit_card"),
        ("mail jane&#64;mailhost&#x2e;org", "email"),
        ("see ?email=jane%40mailhost.org&x=1", "email"),
        ('{"email": "jane\\u0040mailhost.org"}', "email"),
        ("ssn 123\u00a045\u00a06789", "us_ssn"),
        ("phone +44\u202f20\u202f7946\u202f1958", "phone"),
    ],
)
def test_obfuscated_values_map_back_to_the_original_span(
    scanner: Scanner, text: str, kind: str
) -> None:
    (finding,) = scanner.scan(text)
    assert finding.kind == kind
    span = text[finding.start : finding.end]
    # The span covers the obfuscated characters themselves, first to last.
    assert span[0].isalnum() or span[0] in "+("
    assert span[-1].isalnum()
    assert finding.start > 2


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("IBAN: de89370400440532013000", True),
        ("Kontonummer (IBAN) lautet de89370400440532013000.", True),
        ("my iban is de89 3704 0044 0532 0130 00", True),
        ("id de89370400440532013000", False),  # typed lower case needs an account word
    ],
)
def test_lower_case_iban_needs_grouping_or_an_account_word(text: str, found: bool) -> None:
    assert ("iban" in {f.kind for f in Scanner().scan(text)}) is found


@pytest.mark.parametrize(
    "text",
    [
        # RFC 2606 / 6761 documentation domains, in every form the detectors read
        "Use a reserved domain in tests, e.g. `first.last@example.com`.",
        '{"email": "test@example.net", "score": 0.5}',
        "Contact <jane.doe@corp.example> or bob@company.invalid or me@host.test",
        "user@mycompany.example.com",
        "JOHN@EXAMPLE.ORG",
        "john dot doe at example dot com",
        "jane&#64;example&#x2e;org",
        "taro@example.jp",
        # numbers reserved for fiction: NANP 555-01xx, Ofcom drama ranges
        "In the script the detective's number is (212) 555-0178.",
        "call 555-0151 for a demo",
        "Phone: +1-312-555-0169",
        "Use 07700 900547 in UI mockups",
        "phone +44 20 7946 0958",
        "tel: 0113 496 0123",
    ],
)
def test_documentation_values_are_not_leaks(scanner: Scanner, text: str) -> None:
    assert scanner.scan(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # near the reserved values, but real
        ("mail jane@example-corp.com", "email"),
        ("mail jane@examples.org", "email"),
        ("mail jane@mytest.io", "email"),
        ("call (212) 555-0278", "phone"),
        ("phone +44 20 7946 1958", "phone"),
        ("Use 07700 901547 today", "phone"),
    ],
)
def test_values_next_to_reserved_ranges_are_found(scanner: Scanner, text: str, kind: str) -> None:
    assert [f.kind for f in scanner.scan(text)] == [kind]
