from __future__ import annotations

import pytest

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


def test_deferred_values_count_from_the_first_look_and_never_show_in_a_repr() -> None:
    base = Scanner()
    state = RequestShieldState()
    calls: list[list[object]] = []

    def to_strings(values: list[object]) -> list[str]:
        calls.append(values)
        return [v for v in values if isinstance(v, str)]

    state.defer_values(["Zebra Quartz", None, "  "], to_strings)
    assert not calls  # nothing is turned into text before someone needs it
    assert "Zebra" not in repr(state)
    assert [f.kind for f in state.scanner(base).scan("it is Zebra Quartz")] == ["known_value"]
    assert len(calls) == 1
    state.defer_values(["Marble Finch"], to_strings)
    assert state.known_values == {"Zebra Quartz", "Marble Finch"}
    assert len(calls) == 2  # each batch once
    assert state.known_values == {"Zebra Quartz", "Marble Finch"}
    assert len(calls) == 2
    assert "Zebra" not in repr(state)
    assert "Marble" not in repr(state)


def test_a_deferred_batch_rebuilds_a_scanner_already_built() -> None:
    base = Scanner()
    state = RequestShieldState()
    state.remember_values(["Zebra Quartz"])
    first = state.scanner(base)
    state.defer_values(["Marble Finch"], list)
    second = state.scanner(base)
    assert second is not first
    assert [f.kind for f in second.scan("Marble Finch, Zebra Quartz")] == 2 * ["known_value"]
    state.defer_values(["Marble Finch", None], lambda values: [v for v in values if v])
    assert state.scanner(base) is second  # nothing new: no rebuild


def test_remember_values_takes_any_collection_of_strings() -> None:
    # Sets, frozensets, lists, tuples and iterators: blanks and non-strings dropped alike.
    for kind in (set, frozenset, list, tuple, iter):
        state = RequestShieldState()
        state.remember_values(kind({"Zebra Quartz", "", " \t", "\u2003"}))
        state.remember_values(kind({"Zebra Quartz", "Marble Finch"}))
        assert state.known_values == {"Zebra Quartz", "Marble Finch"}, kind
    state = RequestShieldState()
    state.remember_values({"Zebra Quartz", 7, None, b"Marble Finch"})  # type: ignore[arg-type]
    assert state.known_values == {"Zebra Quartz"}
    mine = {"Marble Finch", " ", "Zebra Quartz"}
    state.remember_values(mine)
    assert mine == {"Marble Finch", " ", "Zebra Quartz"}  # the caller's set is left alone
    assert state.known_values == {"Zebra Quartz", "Marble Finch"}


def test_a_batch_that_cannot_become_text_fails_every_scan_not_just_the_first() -> None:
    base = Scanner()
    state = RequestShieldState()
    state.defer_values(["Zebra Quartz"], list)

    def broken(values: list[object]) -> list[str]:
        raise ValueError("a value whose text form raises")

    state.defer_values(["Marble Finch"], broken)
    for _ in range(2):
        with pytest.raises(ValueError, match="text form"):
            state.scanner(base)
        with pytest.raises(ValueError, match="text form"):
            state.known_values  # noqa: B018
