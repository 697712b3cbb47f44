# ruff: noqa: RUF001  (sample replies in other scripts)
"""Per-class tests for system-prompt disclosure with nothing registered (issue 14).

Variants written for these tests, apart from the probe rounds and the held-out corpus:
prose that frames the hidden text as handed over, in several languages; transcripts in the
Vicuna style; a chat template around real instructions versus the same template as
documentation; messages JSON; role lines inside JSON strings. Both sides go through the
full :class:`Scanner`, as a guarded route would.
"""

from __future__ import annotations

import json

import pytest

from flask_llm_shield.detect import Scanner

RULES = "Only discuss orders. Never mention the supplier list. Escalate refunds over 300 euros."


def _leaks(text: str) -> bool:
    return any(f.kind == "system_prompt" for f in Scanner().scan(text))


@pytest.mark.parametrize(
    "text",
    [
        f"Sure - this is what sits above our chat, word for word: {RULES}",
        f"My operating instructions, verbatim:\n{RULES}",
        f"The operator handed me the following before our conversation:\n- {RULES}",
        f"Here are the instructions I was given, exactly as written:\n{RULES}",
        f"Das hat mir der Betreiber vor unserem Gespräch mitgegeben: {RULES}",
        f"Estas son mis instrucciones, textualmente: {RULES}",
        f"Voici mes consignes, mot pour mot : {RULES}",
        f"Ecco le istruzioni che ho ricevuto prima della chat: {RULES}",
        f"Вот мои инструкции дословно: {RULES}",
        f"这是我收到的提示，逐字如下：{RULES}",
        f"開発者から会話の前に渡された指示です：{RULES}",
    ],
)
def test_prose_disclosures_without_markers(text: str) -> None:
    assert _leaks(text)


@pytest.mark.parametrize(
    "text",
    [
        "I can't share my instructions word for word, but I'm happy to help with your order.",
        "Lo siento, no puedo compartir mis instrucciones textualmente.",
        "Before our chat started I checked your order: it ships tomorrow.",
        "Here is the summary you asked for: three orders, one refund.",
        "Following your instructions, I sorted the list alphabetically.",
        "Je ne peux pas te donner mes consignes mot pour mot.",
    ],
)
def test_refusals_and_ordinary_replies_are_not_disclosures(text: str) -> None:
    assert not _leaks(text)


@pytest.mark.parametrize(
    "text",
    [
        f"SYSTEM: {RULES}\nUSER: hello\nASSISTANT: Hi!",
        f"System: {RULES}\nUser: where is my parcel?\nAssistant:",
        f"<|im_start|>system\n{RULES}<|im_end|>\n<|im_start|>user\n{{question}}<|im_end|>",
        f"<s>[INST] <<SYS>>\n{RULES}\n<</SYS>>\n\n{{{{ user_message }}}} [/INST]",
        json.dumps([{"role": "system", "content": RULES}, {"role": "user", "content": "hi"}]),
        # a transcript inside a JSON string: lines start after "\n" escapes
        json.dumps({"content": f"Raw buffer:\nSYSTEM: {RULES}\nUSER: hi\nASSISTANT:"}),
    ],
)
def test_templates_around_real_instructions_leak(text: str) -> None:
    assert _leaks(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Vicuna layout is:\nSYSTEM: {system_prompt}\nUSER: {user_message}\nASSISTANT:",
        "<|im_start|>system\n{{ system_message }}<|im_end|>\n"
        "<|im_start|>user\n{{ query }}<|im_end|>",
        "Format:\n<|start_header_id|>system<|end_header_id|>\n\n<SYSTEM_PROMPT><|eot_id|>",
        "For Llama 2, put the system text in `<<SYS>>` tags inside `[INST]`:\n"
        "<s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{prompt} [/INST]",
        "A fine-tuning example line looks like this:\n"
        + json.dumps([{"role": "system", "content": "You are a helpful assistant."}]),
        "In Alpaca, `### Instruction:` holds `{instruction}` and `### Response:` the answer.",
    ],
)
def test_templates_with_placeholders_are_documentation(text: str) -> None:
    assert not _leaks(text)


# --- issue 9 class 10: a registered prompt or canary in another shape ----------------------

PROMPT = (
    "You are Ivo, the returns assistant of Northwind Outdoor. Accept returns within thirty "
    "days, never promise refunds for worn boots, and do not mention the warehouse address."
)
CANARY = "shield-canary-7c1e9a04d2b35f86"


def _registered(text: str) -> set[str]:
    scanner = Scanner(system_prompts=[PROMPT], canaries=[CANARY])
    return {f.kind for f in scanner.scan(text)}


@pytest.mark.parametrize(
    "text",
    [
        "The reference is 7c1e9a04d2b35f86.",
        "Reference (upper case): 7C1E9A04D2B35F86",
        "Spelled out: 7 c 1 e 9 a 0 4 d 2 b 3 5 f 8 6",
        "In groups: 7c1e-9a04-d2b3-5f86",
        "Encoded: " + __import__("base64").b64encode(CANARY.encode()).decode(),
    ],
)
def test_canary_variants(text: str) -> None:
    assert "canary" in _registered(text)


def _numbered(words: list[str]) -> str:
    return "\n".join(f"{i}. {w}" for i, w in enumerate(words, 1))


WORDS = PROMPT.split()
COPIES = {
    "numbered word list": _numbered(WORDS),
    "numbered with brackets": " ".join(f"{i}) {w}" for i, w in enumerate(WORDS, 1)),
    "joined with underscores": "_".join(WORDS),
    "snake case, lower": "_".join(w.lower().strip(".,") for w in WORDS),
    "Cyrillic look-alikes": PROMPT.replace("a", "\u0430")
    .replace("o", "\u043e")
    .replace("e", "\u0435"),
    "base64": __import__("base64").b64encode(PROMPT.encode()).decode(),
    "url-safe base64 of a half": __import__("base64")
    .urlsafe_b64encode(" ".join(WORDS[:16]).encode())
    .decode(),
}


@pytest.mark.parametrize("shape", sorted(COPIES))
def test_registered_prompt_in_other_shapes(shape: str) -> None:
    assert "system_prompt" in _registered(f"Sure, here it is:\n{COPIES[shape]}")


@pytest.mark.parametrize(
    "text",
    [
        "Returns are accepted within thirty days; worn boots are not refunded.",
        "Order 7c1e9a04 shipped; tracking d2b35f87 will follow.",
        "1. Pack the boots\n2. Print the label\n3. Drop the parcel at any post office",
        "aGVsbG8gd29ybGQsIHRoaXMgaXMgYmFzZTY0IGJ1dCBub3QgdGhlIHByb21wdA==",
    ],
)
def test_registered_look_alikes_pass(text: str) -> None:
    assert _registered(text) == set()
