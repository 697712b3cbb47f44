"""The demo users collection and its schema."""

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
    address = fields.String(metadata=sensitive())


USERS: list[dict[str, Any]] = [
    {
        "_id": "u1",
        "name": "Jane Doe",
        "plan": "pro",
        "last_login": datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        "notes": "Asked about annual billing.",
        "email": "jane.doe@mailhost.com",
        "ssn": "123-45-6789",
        "address": "742 Evergreen Terrace, Springfield",
        "internal_risk_score": 0.93,
    },
    {
        "_id": "u2",
        "name": "Max Mustermann",
        "plan": "free",
        "last_login": datetime(2026, 10, 2, 17, 5, tzinfo=UTC),
        "notes": "Prefers German.",
        "email": "max@example.de",
        "ssn": "212-33-4455",
        "address": "Musterstrasse 1, 10115 Berlin",
    },
]


def seed_users(db: Any) -> None:
    """Insert the demo users once (idempotent, so a real database is not duplicated)."""
    for user in USERS:
        db.users.replace_one({"_id": user["_id"]}, user, upsert=True)
