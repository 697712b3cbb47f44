"""Response bodies shaped like real API traffic, shared by the benchmarks.

- :func:`api_body`: clean JSON full of numbers, as search, analytics and model APIs
  return them: float scores, Unix timestamps in seconds and milliseconds, coordinates,
  counts, logprobs. Nothing in it is sensitive.
- :func:`dense_body`: JSON dense with personal data, as an admin export or a search over
  customers returns it: every record holds an e-mail, a phone number, an SSN, a card, an
  IP address and an ObjectId (about one finding per 45 bytes).
"""

from __future__ import annotations

import json
import random
from typing import Any

FIRST = "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth".split()
LAST = "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez".split()
WORDS = (
    "the results match your query about renewal invoices shipping delays and refunds for "
    "the last quarter sorted by relevance with the most recent documents first"
).split()


def api_record(rng: random.Random, i: int) -> dict[str, Any]:
    return {
        "id": f"doc-{i}",
        "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))),
        "score": rng.random(),
        "relevance": round(rng.uniform(0, 100), 4),
        "created": rng.randint(1_600_000_000, 1_800_000_000),
        "ts": rng.randint(1_600_000_000_000, 1_800_000_000_000),
        "location": {
            "lat": round(rng.uniform(-90, 90), 6),
            "lng": round(rng.uniform(-180, 180), 6),
        },
        "count": rng.randint(0, 100_000),
        "logprobs": [round(-rng.random() * 5, 8) for _ in range(4)],
        "usage": {"prompt_tokens": rng.randint(1, 4000), "completion_tokens": rng.randint(1, 900)},
    }


def api_body(size: int, seed: int = 7) -> dict[str, Any]:
    """A clean API-shaped JSON document of about *size* bytes once serialised."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    total = 0
    while total < size:
        item = api_record(rng, len(items))
        items.append(item)
        total += len(json.dumps(item)) + 2
    return {"object": "list", "created": 1_733_443_200, "data": items}


def _luhn_complete(prefix: str) -> str:
    for check in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(prefix + check)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return prefix + check
    raise AssertionError("unreachable")


def dense_body(size: int, seed: int = 7) -> dict[str, Any]:
    """A JSON export of customer records of about *size* bytes, dense with PII."""
    rng = random.Random(seed)
    users: list[dict[str, Any]] = []
    total = 0
    while total < size:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        card = _luhn_complete("4" + "".join(rng.choice("0123456789") for _ in range(14)))
        user = {
            "_id": f"{rng.getrandbits(96):024x}",
            "name": f"{first} {last}",
            "email": f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@example.com",
            "phone": (
                f"+1 {rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
            ),
            "ssn": f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
            "card": f"{card[:4]} {card[4:8]} {card[8:12]} {card[12:]}",
            "ip": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            "created": rng.randint(1_600_000_000, 1_800_000_000),
            "balance": round(rng.uniform(0, 10_000), 2),
            "plan": rng.choice(["free", "pro", "team"]),
        }
        users.append(user)
        total += len(json.dumps(user)) + 2
    return {"users": users}


# Replies in other languages (German, French, Spanish, Russian, Chinese, Japanese,
# Arabic): served by jsonify(), whose default ensure_ascii writes every non-ASCII
# character as a \uXXXX escape, so these bodies take the decoding path of the scan.
MULTILINGUAL = [
    "Ihre Bestellung wurde am Dienstag versandt und kommt voraussichtlich übermorgen an.",
    "Votre abonnement sera renouvelé le mois prochain ; aucune action n'est requise.",
    "La factura del último trimestre ya está disponible en su panel de control.",
    "Ваш запрос обработан, ответ придёт на указанный адрес в течение суток.",
    "您的订单已发货，预计三天内送达。如有问题请联系客服。",  # noqa: RUF001 (real punctuation)
    "ご注文の商品は明日発送予定です。配送状況はマイページで確認できます。",
    "تم تحديث إعدادات حسابك بنجاح، ويمكنك مراجعتها في أي وقت.",
]


def multilingual_body(size: int, seed: int = 7) -> dict[str, Any]:
    """A clean JSON reply of about *size* bytes once serialised with ensure_ascii."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    total = 0
    while total < size:
        item = {
            "id": f"msg-{len(items)}",
            "text": " ".join(rng.choice(MULTILINGUAL) for _ in range(rng.randint(1, 3))),
            "score": round(rng.random(), 4),
        }
        items.append(item)
        total += len(json.dumps(item)) + 2
    return {"object": "list", "data": items}
