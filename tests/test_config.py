from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from flask_llm_shield import ConfigError
from flask_llm_shield.config import DEFAULTS
from flask_llm_shield.state import get_state


def test_every_default_is_set_on_the_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        assert app.config[key] == value


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("LLM_SHIELD_MODE", "explode"),
        ("LLM_SHIELD_BLOCK_STATUS", 200),
        ("LLM_SHIELD_BLOCK_STATUS", "400"),
        ("LLM_SHIELD_RESPONSE_SCAN", "maybe"),
        ("LLM_SHIELD_MAX_SCAN_BYTES", 0),
        ("LLM_SHIELD_KINDS", ["email", "ssn"]),
        ("LLM_SHIELD_ALLOW_KINDS", "email"),
        ("LLM_SHIELD_REDACTION", "blur"),
        ("LLM_SHIELD_FINGERPRINT_KEY", "short"),
        ("LLM_SHIELD_STRICT_COLLECTIONS", "yes"),
        ("LLM_SHIELD_TRACK_WITHHELD", 1),
        ("LLM_SHIELD_CANARY", None),
        ("LLM_SHIELD_INPUT_MODE", "redact"),
        ("LLM_SHIELD_PROMPT_PII", "drop"),
        ("LLM_SHIELD_MAX_VALUE_CHARS", 3),
        ("LLM_SHIELD_ALLOW_INSECURE_LLM", "false"),
        ("LLM_SHIELD_STREAM_WINDOW", 0),
    ],
)
def test_bad_value_raises_at_init_app_naming_the_key(
    app_factory: Callable[..., Flask], key: str, value: Any
) -> None:
    with pytest.raises(ConfigError, match=key):
        app_factory(**{key: value})


def test_fingerprint_key_is_derived_from_secret_key_but_differs_from_it(
    app_factory: Callable[..., Flask],
) -> None:
    app1 = app_factory(SECRET_KEY="one-secret-key")
    app2 = app_factory(SECRET_KEY="one-secret-key")
    app3 = app_factory(SECRET_KEY="another-secret-key")
    key1 = get_state(app1).config.fingerprint_key
    assert key1 == get_state(app2).config.fingerprint_key
    assert key1 != get_state(app3).config.fingerprint_key
    assert b"one-secret-key" not in key1


def test_explicit_fingerprint_key_wins(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(LLM_SHIELD_FINGERPRINT_KEY="k" * 32)
    assert get_state(app).config.fingerprint_key == b"k" * 32
