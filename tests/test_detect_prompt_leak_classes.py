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
