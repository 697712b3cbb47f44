"""Regression tests for the Flask-layer bypass classes of issue 9, one section per class.

Each class is a family: the red team's example and our own variants (other body formats,
encodings, nestings, orders). A guarded route in block mode must never let the value out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, Response

from flask_llm_shield import Scanner, guarded_llm_route
from flask_llm_shield.detect.views import derived_views, strip_markup

# A value the scanner finds only with its word boundaries intact.
RED_SSN = "536-22-1234"


def serve(app: Flask, body: Any, mimetype: str, **route: Any) -> Flask:
    """A guarded ``GET /r`` that returns *body* as it is, with *mimetype*."""

    @app.get("/r")
    @guarded_llm_route(**route)
    def view() -> Any:
        return Response(body, mimetype=mimetype)

    return app


def assert_blocked(response: Any, *values: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    text = response.get_data(as_text=True) + str(response.headers)
    for value in values or (RED_SSN,):
        assert value not in text
        assert value.replace("-", "") not in text


# -- class 3: JSON inside text ------------------------------------------------------------

_ESCAPED = json.dumps({"reply": f"Here it is:\n{RED_SSN}"})  # ...\\n536-22-1234
_DOUBLE = json.dumps({"event": json.dumps({"reply": f"ok\n{RED_SSN}"})})  # \\\\n
_UNICODE = json.dumps({"reply": f"ok\t{RED_SSN}"}).replace("\\t", "\\u0009")

CLASS3 = {
    "sse": (f"data: {_ESCAPED}\n\n", "text/event-stream"),
    "sse-many-events": ("".join(f"data: {{\"i\": {i}}}\n\n" for i in range(50))
                        + f"data: {_ESCAPED}\n\n", "text/event-stream"),
    "ndjson": ('{"a": 1}\n' + _ESCAPED + "\n", "application/x-ndjson"),
    "html-script": (f"<html><script>var d = {_ESCAPED};</script></html>", "text/html"),
    "json-unparsable": (_ESCAPED + "}", "application/json"),
    "json-unparsable-tab": (json.dumps({"r": f"x\t{RED_SSN}"})[:-1], "application/json"),
    "json-in-json": (_DOUBLE, "application/json"),
    "json-in-json-text": (_DOUBLE, "text/plain"),
    "unicode-escape-in-sse": (f"data: {_UNICODE}\n\n", "text/event-stream"),
    "escaped-quote-plain": (f'say \\"{RED_SSN}\\"', "text/plain"),
    "slash-escape": ('{"r": "536\\/22\\/1234 and \\n' + RED_SSN + '"', "application/json"),
    "utf8-body": (json.dumps({"r": f"café\n{RED_SSN}"}, ensure_ascii=False), "text/plain"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CLASS3))
def test_class3_value_behind_a_json_escape_in_any_text_body(app: Flask, name: str) -> None:
    body, mimetype = CLASS3[name]
    serve(app, body, mimetype)
    assert_blocked(app.test_client().get("/r"))


def test_class3_redaction_covers_the_original_characters(
    app_factory: Callable[..., Flask],
) -> None:
    app = serve(app_factory(), f"data: {_ESCAPED}\n\n", "text/event-stream", mode="redact")
    response = app.test_client().get("/r")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert RED_SSN not in text
    assert text == 'data: {"reply": "Here it is:\\n[REDACTED:us_ssn]"}\n\n'


@pytest.mark.parametrize(
    "body",
    [
        'data: {"reply": "line one\\nline two \\"quoted\\" \\\\ done"}\n\n',
        '{"a": "x\\ty"}\n{"b": "regex \\\\d+ and \\\\w"}\n',
        "C:\\new\\table and \\u00e9t\\u00e9",
    ],
)
def test_class3_clean_text_with_escapes_passes_byte_identical(app: Flask, body: str) -> None:
    serve(app, body, "text/plain")
    response = app.test_client().get("/r")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == body


def test_class3_views_map_offsets_back_through_two_levels() -> None:
    text = _DOUBLE
    views = derived_views(text)
    assert len(views) == 2
    [finding] = Scanner().scan(views[-1].text)
    start, end = views[-1].span(finding.start, finding.end)
    assert text[start:end] == RED_SSN


# -- class 15: markup -----------------------------------------------------------------------

CLASS15 = {
    "span": ("<p>536<span></span>-22-<!-- -->1234</p>", "text/html"),
    "comment-only": ("<p>536<!-- x -->-22<!---->-1234</p>", "text/html"),
    "bold": ("<b>536</b>-<i>22</i>-<em>1234</em>", "text/html"),
    "xml-cdata": ("<r><![CDATA[536]]>-22-1234</r>", "application/xml"),
    "svg": ('<svg><text>536<tspan x="1"></tspan>-22-1234</text></svg>', "image/svg+xml"),
    "attributes": ('536<span class="a" data-x="y"></span>-22-1234', "text/html"),
    "email": ("jane<span>.</span>roe<!-- -->@acme-corp<b></b>.io", "text/html"),
    "html-in-json": (json.dumps({"html": "536<span></span>-22-1234"}), "application/json"),
    "escaped-html-in-json": (
        json.dumps({"html": "536<span></span>-22-1234"}).replace("<", "\\u003c"),
        "application/json",
    ),
    "markdown-html": ("Your number: 536<wbr>-22<wbr>-1234", "text/markdown"),
}


@pytest.mark.parametrize("name", sorted(CLASS15))
def test_class15_value_split_by_markup_is_blocked(app: Flask, name: str) -> None:
    body, mimetype = CLASS15[name]
    serve(app, body, mimetype)
    assert_blocked(app.test_client().get("/r"), RED_SSN, "jane.roe@acme-corp.io")


def test_class15_block_elements_do_not_join_table_cells(app: Flask) -> None:
    body = "<table><tr><td>536</td><td>22</td><td>1234</td></tr></table><p>ok</p><br>"
    serve(app, body, "text/html")
    response = app.test_client().get("/r")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == body


def test_class15_stripping_is_linear_on_unclosed_markup() -> None:
    # Thousands of "<a" with no ">" and an unclosed comment: one pass, bounded matches.
    text = "<a " * 20000 + "<!--" + "x" * 10000
    view = strip_markup(text)
    assert view is None or len(view.text) <= len(text)
