"""A deterministic stand-in for a careless LLM, so the demo runs with no services.

It behaves like the real models that leak data: it paraphrases what it is given but
repeats some of the fields it was handed (an SSN "for verification", an e-mail "to follow
up"), it obeys "ignore previous instructions", it recites its system prompt to anyone who
asks, and it regurgitates secrets it "memorised" in training, in the middle of a long,
streamed answer. The same messages always give the same reply, chunked the same way.
What it says is data, in :mod:`example_app.script`.
"""

from __future__ import annotations

import json
import re
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from . import script

_SUMMARY_REQUEST = re.compile(r"summari[sz]e this (customer|user)", re.IGNORECASE)
_CHAT_RULES = tuple((re.compile(p, re.IGNORECASE | re.DOTALL), r) for p, r in script.CHAT_RULES)
_FIELD = re.compile(r"\b(\w+)=(.*?)(?=,\s*\w+=|\n|$)")
_TOKENS = re.compile(r"\S+\s*|\s+")
# PromptTemplate wraps each value in these marks; a model reading the prompt drops them.
_DATA_MARKS = str.maketrans("", "", "\u27ea\u27eb")


def _fields(text: str) -> dict[str, str]:
    """Field values the prompt carries: a JSON document, or ``key=value`` pairs."""
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        try:
            document = json.loads(text[start : end + 1])
        except ValueError:
            document = None
        if isinstance(document, dict):
            return {str(k): str(v) for k, v in document.items()}
    return {k: v.translate(_DATA_MARKS).strip() for k, v in _FIELD.findall(text)}


def _date(value: str) -> str:
    return value[:10] if value else "an unknown date"


def _content(message: Mapping[str, Any]) -> str:
    content = message.get("content", "")
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return str(content)


class DemoModel:
    """A callable ``(messages, **params) -> iterator of text chunks``, like a chat model.

    :param delay: seconds to wait between chunks when called with ``stream=True`` (a real
        model takes time to generate; the demo page needs it to show streaming).
    """

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def reply(self, messages: Sequence[Mapping[str, Any]]) -> str:
        """The whole reply to ``messages``."""
        user = next((_content(m) for m in reversed(messages) if m.get("role") == "user"), "")
        system = "\n".join(_content(m) for m in messages if m.get("role") == "system")
        if _SUMMARY_REQUEST.search(user):
            return self._summary(_fields(user))
        context = _fields(system)
        values = {
            "system": system,
            "name": context.get("name", "there"),
            "plan": context.get("plan", "current"),
            "date": _date(context.get("last_login", "")),
            **script.MEMORISED,
        }
        for pattern, template in _CHAT_RULES:
            if pattern.search(user):
                return template.format(**values)
        return script.CHAT_DEFAULT.format(**values)

    def _summary(self, fields: dict[str, str]) -> str:
        text = script.SUMMARY_HEAD.format(
            name=fields.get("name", "This customer"),
            plan=fields.get("plan", "unknown"),
            date=_date(fields.get("last_login", "")),
        )
        if fields.get("notes"):
            text += script.SUMMARY_NOTES.format(notes=fields["notes"])
        # The careless part: repeat some of the sensitive fields it was handed. Which ones
        # depends on the customer, as a real model's choice depends on its input.
        tails = script.SUMMARY_TAILS
        first = zlib.crc32(fields.get("name", "").encode()) % len(tails)
        for i in range(len(tails)):
            for tail in tails[(first + i) % len(tails)]:
                names = re.findall(r"{(\w+)}", tail)
                if all(fields.get(n) for n in names):
                    return text + " " + tail.format(**fields)
        return text

    def __call__(
        self, messages: Sequence[Mapping[str, Any]], *, stream: bool = False, **params: Any
    ) -> Iterator[str]:
        """Yield the reply a word at a time (``complete`` joins the chunks)."""
        for chunk in _TOKENS.findall(self.reply(messages)):
            if stream and self.delay:
                time.sleep(self.delay)
            yield chunk
