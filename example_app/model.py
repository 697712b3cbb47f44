"""A deterministic stand-in for an LLM, so the example runs with no services."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any


class DemoModel:
    """Answers like a (too) helpful model: it summarises by echoing what it was given.

    That is exactly how real models leak: whatever sensitive data is in the prompt tends to
    come back in the reply. Asked for its instructions, it repeats its system prompt.
    """

    def __init__(self, system_prompt: str = "") -> None:
        self.system_prompt = system_prompt

    def _reply(self, messages: Sequence[dict[str, Any]]) -> str:
        user = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        lowered = str(user).lower()
        if "instruction" in lowered or "system prompt" in lowered:
            return f"Sure! My instructions are: {system}"
        return f"Summary: {user}"

    def __call__(self, messages: Sequence[dict[str, Any]], **params: Any) -> Iterator[str]:
        """Reply in small chunks, like a streaming model (``complete`` joins them)."""
        reply = self._reply(messages)
        for i in range(0, len(reply), 7):
            yield reply[i : i + 7]
