"""Values reserved for documentation and fiction are not leaks, so the corpus generators
move Faker's ``safe_email`` domains (RFC 2606) and its Ofcom drama phone numbers (Faker's
en_GB numbers come from those ranges) to ordinary ones. Only the string changes (no random
draw), so the rest of each corpus stays as it was."""

from __future__ import annotations

import re

_RESERVED = re.compile(
    r"(?i)^(?:[a-z0-9-]+\.)*"
    r"(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|test|invalid|localhost))$"
)
# Ofcom drama ranges and the NANP 555-01xx block, as digit strings after +44/0 or +1.
_DRAMA = re.compile(
    r"(?:44|0)(?:7700900|2079460|11[3-8]4960|1[2-6]14960|1914980|2896496|2920180|1632960|3069990|8081570|9098790)"
    r"|55501"
)


def unreserved(address: str) -> str:
    """*address* with a reserved domain replaced by ``mailhost.<tld>`` (case kept)."""
    local, _, domain = address.rpartition("@")
    if not _RESERVED.match(domain):
        return address
    tld = domain.rsplit(".", 1)[-1]
    new = f"mailhost.{tld if tld.lower() in ('com', 'net', 'org') else 'com'}"
    if domain.split(".")[0].lower() == "corp":
        new = "corp." + new
    return f"{local}@{new.upper() if domain.isupper() else new}"


def unreserved_phone(number: str) -> str:
    """*number* with the last digit of a fictional range's prefix changed (format kept)."""
    positions = [i for i, c in enumerate(number) if c.isdigit()]
    digits = "".join(number[i] for i in positions)
    match = _DRAMA.search(digits)
    if match is None:
        return number
    i = positions[match.end() - 1]
    return number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1 :]
