from __future__ import annotations

from flask_llm_shield.detect import Scanner
from flask_llm_shield.state import RequestShieldState


def test_remember_values_keeps_only_non_blank_strings() -> None:
    state = RequestShieldState()
    state.remember_values(["jane@mailhost.org", "", "   ", 42, None, ["x"], {"a": 1}])  # type: ignore[list-item]
    assert state.known_values == {"jane@mailhost.org"}
    state.remember_values(v for v in ("123-45-6789", "jane@mailhost.org"))
    assert state.known_values == {"jane@mailhost.org", "123-45-6789"}


def test_remember_values_rebuilds_the_scanner_only_for_new_values() -> None:
    base = Scanner()
    state = RequestShieldState()
    state.remember_values(["Zebra Quartz"])
    first = state.scanner(base)
    assert [f.kind for f in first.scan("name: Zebra Quartz")] == ["known_value"]
    state.remember_values(["Zebra Quartz", "", 7])  # type: ignore[list-item]
    assert state.scanner(base) is first
    state.remember_values(["Marble Finch"])
    second = state.scanner(base)
    assert second is not first
    assert [f.kind for f in second.scan("Marble Finch")] == ["known_value"]
