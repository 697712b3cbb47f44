"""Values reserved or published for documentation: they identify no one and open nothing.

Models write them every day when they explain an API or fill an example, so reporting
them would make the shield cry wolf:

- e-mail domains reserved for documentation (RFC 2606, RFC 6761: ``example.com``,
  ``example.org``, ``example.net``, and the ``.example``, ``.test``, ``.invalid`` and
  ``.localhost`` top-level domains; JPRS reserves ``example.jp`` and its second levels);
- telephone numbers reserved for fiction: the North American ``555-0100`` to
  ``555-0199``, and Ofcom's drama ranges for the United Kingdom;
- the sample token jwt.io prints (any signature: its claims give it away), and the
  ObjectIds of MongoDB's and Mongoose's documentation.

Only data and lookups live here; detectors call them on a candidate they validated.
"""

from __future__ import annotations

import re

_RESERVED_DOMAIN = re.compile(
    r"(?i)(?:^|\.)(?:example\.(?:com|net|org|jp|co\.jp|ne\.jp|or\.jp|ac\.jp|ad\.jp|gr\.jp|ed\.jp)"
    r"|[a-z0-9-]+\.(?:example|test|invalid|localhost)|example|test|invalid|localhost)\.?$"
)


def reserved_email_domain(domain: str) -> bool:
    """Whether *domain* (the part after ``@``) is reserved for documentation."""
    return _RESERVED_DOMAIN.search(domain) is not None


#: National significant numbers (no trunk 0, no +44) of Ofcom's drama ranges: each prefix
#: is followed by three more digits.
_UK_DRAMA = (
    "7700900", "2079460", "1134960", "1144960", "1154960", "1164960", "1174960", "1184960",
    "1214960", "1314960", "1414960", "1514960", "1614960", "1914980", "2896496", "2920180",
    "1632960", "3069990", "8081570", "9098790",
)  # fmt: skip


def fictional_phone(digits: str) -> bool:
    """Whether the digits of a phone number are reserved for fiction and examples."""
    if len(digits) in (7, 10, 11):
        nanp = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
        local = nanp[-7:]
        if local.startswith("55501") and (len(nanp) in (7, 10)):
            return True
    national = digits
    if national.startswith("0044"):
        national = national[4:]
    elif national.startswith("44") and len(national) >= 12:
        national = national[2:]
    national = national.removeprefix("0")
    return len(national) == 10 and national.startswith(_UK_DRAMA)


#: Claims of the sample token on jwt.io (signed with several algorithms over the years).
_JWT_IO_CLAIMS = ({"sub": "1234567890", "name": "John Doe", "iat": 1516239022},)


def documented_jwt_claims(claims: object) -> bool:
    """Whether a JWT payload is jwt.io's sample (with or without its ``admin`` claim)."""
    if not isinstance(claims, dict):
        return False
    core = {k: v for k, v in claims.items() if k != "admin"}
    return core in _JWT_IO_CLAIMS


#: ObjectIds printed in MongoDB's reference (``ObjectId()``, ``getTimestamp()``) and in
#: Mongoose's documentation.
DOCUMENTED_OBJECT_IDS = frozenset(
    {"507f1f77bcf86cd799439011", "507f191e810c19729de860ea", "5099803df3f4948bd2f98391"}
)
