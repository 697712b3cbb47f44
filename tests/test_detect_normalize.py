"""Folding of look-alike text and the map back to original offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flask_llm_shield.detect import Scanner
from flask_llm_shield.detect import normalize as normalize_module
from flask_llm_shield.detect.normalize import fold_confusables, needs_normalizing, normalize


def test_plain_ascii_is_left_alone() -> None:
    assert not needs_normalizing('{"a": "plain text, 100 items\\n \\"quoted\\""}')
    assert needs_normalizing('{"a": "jane\\u0040mailhost.org"}')
    assert normalize("plain ascii text") is None


def test_escapes_that_fold_to_nothing_need_no_work() -> None:
    # ensure_ascii bodies escape every accented letter; only escapes of ASCII and of
    # look-alike characters can hide a value, and only those are decoded.
    accented = '{"a": "caf\\u00e9 na\\u00efve \\u6771\\u4eac"}'
    assert not needs_normalizing(accented)
    assert normalize(accented) is None
    for hiding in ("\\u0040", "\\u2011", "\\uFF10", "\\/"):
        assert needs_normalizing(accented + hiding)
        assert needs_normalizing("\u00e9" + accented + hiding)  # non-ASCII text too


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("\uff11\uff12\uff13\u2010\uff14\uff15", "123-45"),
        ("a\u200bb\u200c\u200dc\ufeffd\u2060e", "abcde"),
        ("x\u00a0y\u2009z", "x y z"),
        ("jane%40mailhost.org", "jane@mailhost.org"),
        ("caf%C3%A9 %E2%80%8Bx", "café x"),
        ("a&#64;b&#x2e;c&amp;d&commat;e", "a@b.c&d@e"),
        ("a\\u0040b\\/c", "a@b/c"),
        ("%26%2364%3B", "@"),  # an entity inside percent-encoding
    ],
)
def test_folding(text: str, folded: str) -> None:
    norm = normalize(text)
    assert norm is not None
    assert norm.text == folded


def test_offsets_map_back_to_the_original_characters() -> None:
    text = "id: 1\u200b2%33&#52; end"
    norm = normalize(text)
    assert norm is not None
    assert norm.text == "id: 1234 end"
    start = norm.text.index("1")
    end = norm.text.index(" end")
    s, e = norm.orig_start(start), norm.orig_end(end)
    assert text[s:e] == "1\u200b2%33&#52;"
    # Every folded character maps inside the original text, in order.
    positions = [norm.orig_start(i) for i in range(len(norm.text))]
    assert positions == sorted(positions)
    assert all(0 <= p < len(text) for p in positions)


def test_invalid_escapes_are_kept() -> None:
    for text in ("100% sure", "a & b", "\\ud800 lone", "&#xD800;", "%zz"):
        norm = normalize(text)
        assert norm is None or norm.text == text


# Issue 9, class 12: look-alike characters.
def digits_in(text: str, zero: int) -> str:
    """*text* with its ASCII digits written in the script whose zero is *zero*."""
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


BOLD, DOUBLE_STRUCK, MONO, ARABIC, DEVANAGARI, BENGALI, THAI = (
    0x1D7CE, 0x1D7D8, 0x1D7F6, 0x0660, 0x0966, 0x09E6, 0x0E50,
)  # fmt: skip
CYR_A, CYR_O, CYR_DZE, GREEK_O = "\u0430", "\u043e", "\u0455", "\u03bf"
SANS_BOLD_A = 0x1D5D4  # mathematical sans-serif bold capital A


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        (digits_in("SSN 536-22-1234", BOLD), "us_ssn", None),
        (digits_in("card 4111 1111 1111 1111", DOUBLE_STRUCK), "credit_card", None),
        (digits_in("card 4111-1111-1111-1111", MONO), "credit_card", None),
        (digits_in("\u0631\u0642\u0645 536-22-1234", ARABIC), "us_ssn", None),
        (digits_in("phone: +91 98765 43210", DEVANAGARI), "phone", None),
        (digits_in("SSN 536-22-1234", BENGALI), "us_ssn", None),
        (digits_in("SSN 536 22 1234", THAI), "us_ssn", None),
        (f"mail j{CYR_A}ne.r{CYR_O}e@m{CYR_A}ilhost.com today", "email", None),
        (f"mail jane@{CYR_DZE}ecure-b{CYR_A}nk.{GREEK_O}rg now", "email", None),
        (
            "key AKIA" + "".join(chr(SANS_BOLD_A + ord(c) - 65) for c in "RQSP") + "LMNB4XKW2PRT",
            "aws_access_key",
            None,
        ),
    ],
)
def test_look_alikes_fold_to_the_value_they_show(text: str, kind: str, value: str | None) -> None:
    [finding] = Scanner().scan(text)
    assert finding.kind == kind
    if value is not None:
        assert text[finding.start : finding.end] == value


def test_look_alike_folding_leaves_other_scripts_alone() -> None:
    russian = (
        "\u041f\u0440\u0438\u0432\u0435\u0442, \u044d\u0442\u043e \u0442\u0435\u043a\u0441\u0442."
    )
    assert normalize(russian) is None
    assert Scanner().scan(russian) == []
    mixed = fold_confusables("x \u0430\u0431\u0432 j\u0430ne@x.io")
    assert mixed == "x \u0430\u0431\u0432 jane@x.io"


_FOLDED_CHARS = sorted(chr(cp) for cp in normalize_module._FOLD)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_FOLDED_CHARS), st.characters(), st.sampled_from("ab 1.")),
        max_size=200,
    ).map("".join)
)
def test_folding_by_replacement_equals_one_translate(text: str) -> None:
    # Few distinct folded characters take str.replace passes, many take translate.
    assert normalize_module._fold_chars(text) == text.translate(normalize_module._FOLD)


def test_folding_by_replacement_takes_both_paths() -> None:
    few = "您的订单已发货，预计三天内送达。" * 50  # noqa: RUF001 (the folded characters)
    many = "".join(_FOLDED_CHARS[:200]) + "x"
    for text in (few, many):
        assert normalize_module._fold_chars(text) == text.translate(normalize_module._FOLD)
    assert len(set(many) & set(normalize_module._FOLD_BY_CHAR)) > normalize_module._FEW_FOLDED
