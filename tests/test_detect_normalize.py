"""Folding of look-alike text and the map back to original offsets."""

from __future__ import annotations

import pytest

from flask_llm_shield.detect.normalize import needs_normalizing, normalize


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
