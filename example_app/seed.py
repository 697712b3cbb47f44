"""The demo users collection, its schema, and the ``flask --app example_app seed`` command."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, fields

from flask_llm_shield import sensitive


class UserSchema(Schema):
    """What the LLM features may see of a user; sensitive fields never leave the accessor."""

    _id = fields.String()
    name = fields.String()
    plan = fields.String()
    last_login = fields.DateTime()
    notes = fields.String()
    email = fields.Email(metadata=sensitive("email"))
    ssn = fields.String(metadata=sensitive("us_ssn"))
    phone = fields.String(metadata=sensitive("phone"))
    address = fields.String(metadata=sensitive())


#: Made-up people. Max's notes repeat his (withheld) address: free text copies sensitive
#: data more often than schemas admit, and that is what the ``known_value`` check is for.
USERS: list[dict[str, Any]] = [
    {
        "_id": "u1",
        "name": "Jane Doe",
        "plan": "pro",
        "last_login": datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        "notes": "Asked about annual billing.",
        "email": "jane.doe@mailhost.com",
        "ssn": "123-45-6789",
        "phone": "+1 415 362 7719",
        "address": "742 Evergreen Terrace, Springfield",
        "internal_risk_score": 0.93,
    },
    {
        "_id": "u2",
        "name": "Max Mustermann",
        "plan": "free",
        "last_login": datetime(2026, 10, 2, 17, 5, tzinfo=UTC),
        "notes": "Prefers German. Moved: ship to Musterstrasse 1, 10115 Berlin.",
        "email": "max.mustermann@mailhost.de",
        "ssn": "212-33-4455",
        "phone": "+49 30 901820",
        "address": "Musterstrasse 1, 10115 Berlin",
    },
    {
        "_id": "u3",
        "name": "Aiko Tanaka",
        "plan": "enterprise",
        "last_login": datetime(2026, 11, 28, 23, 12, tzinfo=UTC),
        "notes": "Renewal due in January; wants SSO.",
        "email": "aiko.tanaka@mailhost.jp",
        "ssn": "501-22-3344",
        "phone": "+81 3 1234 5678",
        "address": "1-1 Chiyoda, Tokyo 100-8111",
        "internal_risk_score": 0.12,
    },
]


def seed_users(db: Any) -> int:
    """Upsert the demo users (idempotent: a real database is not duplicated).

    :returns: how many users were written.
    """
    for user in USERS:
        db.users.replace_one({"_id": user["_id"]}, user, upsert=True)
    return len(USERS)
