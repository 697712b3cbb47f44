from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, Response, jsonify, stream_with_context
from hypothesis import given, settings
from hypothesis import strategies as st

from flask_llm_shield import LLMShield, Scanner, guarded_llm_route
from flask_llm_shield.detect import Finding

from .conftest import EMAIL, SSN, SignalRecorder

LEAKY = {"summary": f"User {EMAIL} has SSN {SSN}.", "plan": "pro", "visits": [1, 2, 3]}


def leaky_app(app: Flask, **options: Any) -> Flask:
    @app.get("/guarded")
    @guarded_llm_route(**options)
    def guarded() -> Any:
        return jsonify(LEAKY)

    @app.get("/plain")
    def plain() -> Any:
        return jsonify(LEAKY)

    return app


def assert_no_raw_values(*texts: str) -> None:
    for text in texts:
        assert SSN not in text
        assert "6789" not in text
        assert EMAIL not in text
        assert "jane.doe" not in text


def test_block_mode_replaces_response_with_kinds_and_paths(
    app: Flask, signal_recorder: SignalRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    leaky_app(app)
    response = app.test_client().get("/guarded")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "response blocked due to potential data leakage"
    assert sorted(body["findings"], key=lambda f: f["kind"]) == [
        {"kind": "email", "path": "/summary"},
        {"kind": "us_ssn", "path": "/summary"},
    ]
    [event] = signal_recorder.named("response-blocked")
    assert event["endpoint"] == "guarded"
    assert event["mode"] == "block"
    assert event["status"] == 400
    assert {kind for kind, _path, _fp in event["findings"]} == {"email", "us_ssn"}
    assert signal_recorder.senders() == [app]
    assert_no_raw_values(
        response.get_data(as_text=True), repr(signal_recorder.events), caplog.text
    )


def test_redact_mode_keeps_json_shape(app: Flask, signal_recorder: SignalRecorder) -> None:
    leaky_app(app, mode="redact")
    response = app.test_client().get("/guarded")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == set(LEAKY)
    assert body["plan"] == "pro"
    assert body["visits"] == [1, 2, 3]
    assert body["summary"] == "User [REDACTED:email] has SSN [REDACTED:us_ssn]."
    assert len(signal_recorder.named("response-redacted")) == 1
    assert_no_raw_values(response.get_data(as_text=True), repr(signal_recorder.events))


def test_redact_mode_mask_operator(app_factory: Callable[..., Flask]) -> None:
    app = leaky_app(app_factory(LLM_SHIELD_REDACTION="mask"), mode="redact")
    summary = app.test_client().get("/guarded").get_json()["summary"]
    assert SSN not in summary
    assert "6789" in summary
    assert "mailhost.com" in summary
    assert "jane.doe" not in summary


def test_report_mode_passes_body_and_emits_leak_detected(
    app: Flask, signal_recorder: SignalRecorder
) -> None:
    leaky_app(app, mode="report")
    response = app.test_client().get("/guarded")
    assert response.status_code == 200
    assert response.get_json() == LEAKY
    [event] = signal_recorder.named("leak-detected")
    assert event["mode"] == "report"
    assert {kind for kind, _p, _f in event["findings"]} == {"email", "us_ssn"}
    assert_no_raw_values(repr(signal_recorder.events))


def test_clean_guarded_response_is_byte_identical(app: Flask) -> None:
    payload = {"summary": "The user is on the pro plan since 2021-03-04.", "n": [1.5, None]}

    @app.get("/guarded")
    @guarded_llm_route
    def guarded() -> Any:
        return jsonify(payload)

    @app.get("/plain")
    def plain() -> Any:
        return jsonify(payload)

    client = app.test_client()
    guarded_response = client.get("/guarded")
    plain_response = client.get("/plain")
    assert guarded_response.status_code == 200
    assert guarded_response.get_data() == plain_response.get_data()
    assert guarded_response.headers == plain_response.headers


def test_text_responses_are_scanned(app: Flask) -> None:
    @app.get("/text")
    @guarded_llm_route(mode="redact")
    def text() -> Response:
        return Response(f"Reach her at {EMAIL}\n", mimetype="text/plain")

    response = app.test_client().get("/text")
    assert response.get_data(as_text=True) == "Reach her at [REDACTED:email]\n"
    assert response.mimetype == "text/plain"


def test_value_behind_json_unicode_escapes_is_found(app: Flask) -> None:
    # Flask's default provider escapes non-ASCII: U+2011 dashes arrive as \u2011.
    @app.get("/escaped")
    @guarded_llm_route(mode="redact")
    def escaped() -> Any:
        return jsonify({"reply": "SSN 123\u201145\u20116789, ok \u00e9"})

    @app.get("/escaped-block")
    @guarded_llm_route
    def escaped_block() -> Response:
        text = '{"reply": "SSN 123\\u201145\\u20116789"}'
        return Response(text, mimetype="application/json")

    raw = app.test_client().get("/escaped")
    assert raw.status_code == 200
    body = raw.get_json()
    assert "6789" not in body["reply"]
    assert body["reply"].endswith(", ok \u00e9")

    blocked = app.test_client().get("/escaped-block")
    assert blocked.status_code == 400
    assert blocked.get_json()["findings"] == [{"kind": "us_ssn", "path": "/reply"}]


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (f"Details:\n{SSN} on file", "us_ssn"),  # no word boundary in the raw "\\n123"
        ('config: password = "hunter2xyz" end', "password_assignment"),  # behind \\"
        (f"to:\t{EMAIL}", "email"),
    ],
)
def test_values_behind_two_character_json_escapes_are_found(
    app: Flask, reply: str, kind: str
) -> None:
    @app.get("/r")
    @guarded_llm_route
    def r() -> Any:
        return jsonify({"reply": reply, "note": 'a\nb "c" d\\e'})

    response = app.test_client().get("/r")
    assert response.status_code == 400
    assert response.get_json()["findings"] == [{"kind": kind, "path": "/reply"}]


def test_clean_reply_with_escapes_passes_unchanged(app: Flask) -> None:
    payload = {"reply": 'Line one.\n\nShe said "fine"\tand left C:\\temp\\ at 10:30.'}

    @app.get("/r")
    @guarded_llm_route
    def r() -> Any:
        return jsonify(payload)

    response = app.test_client().get("/r")
    assert response.status_code == 200
    assert response.get_json() == payload


def test_ensure_ascii_replies_are_scanned_decoded(app: Flask) -> None:
    # Flask escapes non-ASCII as \\uXXXX (astral characters as surrogate pairs); a value
    # glued to an escaped letter has no word boundary in the serialised text.
    clean = {"reply": 'Gr\u00fc\u00dfe \U0001f600 from \u6771\u4eac,\n"ok"'}

    @app.get("/clean")
    @guarded_llm_route
    def clean_view() -> Any:
        return jsonify(clean)

    @app.get("/glued")
    @guarded_llm_route
    def glued() -> Any:
        return jsonify({"reply": f"n\u00e9{SSN} \U0001f600", "other": "caf\u00e9"})

    client = app.test_client()
    response = client.get("/clean")
    assert response.status_code == 200
    assert response.get_json() == clean
    blocked = client.get("/glued")
    assert blocked.status_code == 400
    assert blocked.get_json()["findings"] == [{"kind": "us_ssn", "path": "/reply"}]


def test_redaction_reserialises_valid_json_with_escapes(app: Flask) -> None:
    @app.get("/r")
    @guarded_llm_route(mode="redact")
    def r() -> Response:
        text = '{"a": "caf\\u00e9 \\"quoted\\" jane.doe@mailhost.com", "b": {"c": [SSN]}}'
        return Response(text.replace("SSN", '"' + SSN + '"'), mimetype="application/json")

    body = app.test_client().get("/r").get_json()
    assert body == {
        "a": 'caf\u00e9 "quoted" [REDACTED:email]',
        "b": {"c": ["[REDACTED:us_ssn]"]},
    }


def test_unguarded_routes_default_to_report(app: Flask, signal_recorder: SignalRecorder) -> None:
    leaky_app(app)
    response = app.test_client().get("/plain")
    assert response.status_code == 200
    assert response.get_json() == LEAKY
    [event] = signal_recorder.named("leak-detected")
    assert event["endpoint"] == "plain"


@pytest.mark.parametrize(("scan", "status"), [("off", 200), ("redact", 200), ("block", 400)])
def test_unguarded_response_scan_modes(
    app_factory: Callable[..., Flask],
    signal_recorder: SignalRecorder,
    scan: str,
    status: int,
) -> None:
    app = leaky_app(app_factory(LLM_SHIELD_RESPONSE_SCAN=scan))
    response = app.test_client().get("/plain")
    assert response.status_code == status
    if scan == "off":
        assert response.get_json() == LEAKY
        assert signal_recorder.events == []
    if scan == "redact":
        assert SSN not in response.get_data(as_text=True)


class ExplodingScanner(Scanner):
    """Every way of scanning a body raises (JSON bodies are first asked has_findings)."""

    def scan(self, text: str) -> list[Finding]:
        raise RuntimeError(f"boom while scanning {text}")

    def has_findings(self, text: str) -> bool:
        raise RuntimeError(f"boom while scanning {text}")

    def scan_json(self, obj: Any) -> list[Finding]:
        raise RuntimeError(f"boom while scanning {obj}")


def test_scanner_exception_fails_closed_on_guarded_routes(
    signal_recorder: SignalRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    app = Flask(__name__)
    LLMShield(app, scanner=ExplodingScanner())
    leaky_app(app)
    client = app.test_client()
    response = client.get("/guarded")
    assert response.status_code == 400
    assert response.get_json()["reason"] == "scanner-error"
    [event] = signal_recorder.named("scan-failed")
    assert event["blocked"] is True
    # unguarded, report mode: passes through, still signalled
    assert client.get("/plain").status_code == 200
    assert len(signal_recorder.named("scan-failed")) == 2
    assert_no_raw_values(caplog.text, repr(signal_recorder.events))
    # the app keeps serving
    assert client.get("/guarded").status_code == 400


def test_too_large_body_fails_closed(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(LLM_SHIELD_MAX_SCAN_BYTES=64)

    @app.get("/big")
    @guarded_llm_route
    def big() -> Any:
        return jsonify({"reply": "x" * 100})

    response = app.test_client().get("/big")
    assert response.status_code == 400
    assert response.get_json()["reason"] == "too-large"


def test_invalid_utf8_body_fails_closed(app: Flask) -> None:
    @app.get("/bytes")
    @guarded_llm_route
    def raw() -> Response:
        return Response(b"\xff\xfe SSN 123-45-6789", mimetype="text/plain")

    response = app.test_client().get("/bytes")
    assert response.status_code == 400
    assert response.get_json()["reason"] == "invalid-encoding"
    assert "6789" not in response.get_data(as_text=True)


def test_deeply_nested_json_fails_closed_or_scans(app: Flask) -> None:
    depth = 100_000
    text = "[" * depth + '"\\u0031' + '23-45-6789"' + "]" * depth

    @app.get("/deep")
    @guarded_llm_route
    def deep() -> Response:
        return Response(text, mimetype="application/json")

    response = app.test_client().get("/deep")
    assert response.status_code == 400
    assert "6789" not in response.get_data(as_text=True)


def test_guarded_streamed_response_is_scanned_not_passed(app: Flask) -> None:
    @app.get("/stream")
    @guarded_llm_route
    def stream() -> Response:
        def gen() -> Any:
            yield "SSN "
            yield SSN

        return Response(stream_with_context(gen()), mimetype="text/plain")

    # Issue 5: guarded text streams go through the hold-back window instead of being
    # refused; the SSN never reaches the client and the stream ends with a marker.
    response = app.test_client().get("/stream")
    body = response.get_data(as_text=True)
    assert SSN not in body
    assert body.startswith("SSN ")
    assert "withheld" in body


def test_binary_bodies_on_guarded_routes_are_refused(app: Flask) -> None:
    @app.get("/png")
    @guarded_llm_route
    def png() -> Response:
        return Response(b"\x89PNG...", mimetype="image/png")

    response = app.test_client().get("/png")
    assert response.status_code == 400
    assert response.get_json()["reason"] == "unsupported-content-type"


def test_error_handler_responses_are_scanned(app: Flask) -> None:
    @app.errorhandler(409)
    def conflict(_e: Exception) -> Any:
        return jsonify({"detail": f"duplicate user {EMAIL}"}), 409

    @app.get("/conflict")
    @guarded_llm_route
    def conflicting() -> Any:
        from flask import abort

        abort(409)

    response = app.test_client().get("/conflict")
    assert response.status_code == 400
    assert EMAIL not in response.get_data(as_text=True)


def test_fingerprints_correlate_without_revealing(
    app: Flask, signal_recorder: SignalRecorder
) -> None:
    leaky_app(app, mode="report")
    client = app.test_client()
    client.get("/guarded")
    client.get("/guarded")
    first, second = signal_recorder.named("leak-detected")
    assert first["findings"] == second["findings"]
    fingerprints = [fp for _k, _p, fp in first["findings"]]
    assert all(fp and SSN not in fp and "123456789" not in fp for fp in fingerprints)
    assert json.dumps(first["findings"])  # plain data, serialisable for audit sinks


_FRAGMENTS = st.sampled_from(
    [
        "jane.doe@mailhost.com", "123-45-6789", "4111 1111\n1111 1111", "password = ",
        '"hunter2xyz"', "\n", "\t", '"', "\\", "/", "caf\u00e9", "n", "call +1 415 555 0100",
        "plain words ", "10:30", "%40", "&amp;", "\u2011",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=10).map("".join))
def test_bytes_shortcut_for_escaped_json_agrees_with_scan_body(value: str) -> None:
    from flask_llm_shield.responses import _clean_ascii_json, scan_body

    scanner = Scanner()
    text = json.dumps({"reply": value, "n": 1})  # ASCII, with escapes
    if _clean_ascii_json(scanner, text.encode("ascii")):
        assert scan_body(scanner, text, True)[0] == []


def serve_guarded(app: Flask, body: str, mimetype: str) -> Any:
    """GET a guarded route of *app* that returns *body* as it is, with *mimetype*."""

    @app.get("/r")
    @guarded_llm_route
    def view() -> Response:
        return Response(body, mimetype=mimetype)

    return app.test_client().get("/r")


# A JSON document is judged on its content: its escapes are serialisation.
_RK = "rk_live_" + "51HqLyjWDarjtT1zdp7dcXYZ"


@pytest.mark.parametrize(
    ("body", "mimetype", "blocked"),
    [
        # A carriage return then "k_live_...": the serialised "\rk_live_..." is no key.
        (json.dumps({"reply": "note\r" + _RK[1:]}), "application/json", False),
        # Code that reads a password from the environment, with \" escapes.
        (json.dumps({"reply": 'pw = 1\npassword = os.getenv("DB_PASSWORD")\n'}), None, False),
        # A literal backslash before the key: the decoded text holds the key.
        (json.dumps({"reply": "C:\\" + _RK}), "application/json", True),
        (json.dumps({"reply": "line one\nkey " + _RK}), "application/json", True),
        # Not JSON: the backslash is text the client shows, and the scan reads it so.
        ("note\\" + _RK, "text/plain", True),
        # JSON in a JSON string (two levels of escapes): both levels are scanned.
        (json.dumps({"reply": json.dumps({"k": "note\\" + _RK})}), "application/json", True),
    ],
)
def test_json_bodies_are_judged_on_their_decoded_text(
    app: Flask, body: str, mimetype: str | None, blocked: bool
) -> None:
    response = serve_guarded(app, body, mimetype or "application/json")
    assert (response.status_code == 400) is blocked
    if blocked:
        assert _RK not in response.get_data(as_text=True)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["\r", "\n", "\t", '"', "\\", "\b", "\f", "rk", "k_live_", "x"]),
        max_size=8,
    ).map("".join)
)
def test_escape_artifacts_never_hide_what_the_decoded_text_holds(prefix: str) -> None:
    scanner = Scanner()
    from flask_llm_shield.responses import _clean_ascii_json, scan_body

    content = prefix + _RK
    text = json.dumps({"reply": content})
    # Whatever the content holds, both paths find in its serialisation.
    if any(f.kind == "stripe_key" for f in scanner.scan(content)):
        assert scan_body(scanner, text, True)[0]
        assert not _clean_ascii_json(scanner, text.encode("ascii"))
    # And the key after a separator is always there.
    spaced = json.dumps({"reply": prefix + " " + _RK})
    assert scan_body(scanner, spaced, True)[0]
    assert not _clean_ascii_json(scanner, spaced.encode("ascii"))


def _records(seed: int, count: int) -> list[dict[str, Any]]:
    import random

    rng = random.Random(seed)
    pieces = [
        "renewal invoice for the team plan", "call me at 415 523 8866", SSN, EMAIL,
        "4111 1111 1111 1111", "password = hunter2xyz", "10.1.2.3", "version 1.2.3.4",
        "line\nbreak", 'quote " inside', "<b>bold</b>", "caf\u00e9 cr\u00e8me",
        "507f1f77bcf86cd799439011", "1712345678", "0.4155238866",
    ]  # fmt: skip
    return [
        {"id": i, "note": " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))}
        for i in range(count)
    ]


@pytest.mark.parametrize("seed", range(12))
def test_parsing_a_dense_body_first_finds_what_the_text_path_finds(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    import flask_llm_shield.responses as responses

    scanner = Scanner()
    for text in (
        json.dumps(_records(seed, 300)),
        json.dumps(_records(seed, 300), ensure_ascii=False),
        json.dumps({"a": "x" * 9000, "b": _records(seed, 5)}),  # the start is clean
        json.dumps({"n": SSN[:7], "rest": ["-6789"] + ["y" * 50] * 200}),  # across tokens
    ):
        first = responses.scan_body(scanner, text, True)
        monkeypatch.setattr(responses, "_PARSE_FIRST_MIN", 10**12)
        usual = responses.scan_body(scanner, text, True)
        monkeypatch.undo()
        assert [(f.kind, f.path, f.start, f.end) for f in first[0]] == [
            (f.kind, f.path, f.start, f.end) for f in usual[0]
        ]
        assert first[1:] == usual[1:]


# Markup that only its escapes complete: "<span\t>" is a tag once "\t" is a tab, and a
# browser showing the string joins "536" and "-22-1234". The byte shortcut read the
# decoded bytes without looking for markup there, while scan_body strips it.
@pytest.mark.parametrize(
    "value",
    [
        "536<span\t>-22-1234",
        "536<b\n>-22-1234",
        "a <span\tclass=x>536</span\t>-22-1234 b",
        json.dumps({"inner": "536<i\r>-22-1234"}),  # two levels of escapes
    ],
)
@pytest.mark.parametrize("mimetype", ["application/json", "text/plain"])
def test_markup_made_by_escapes_is_scanned_as_rendered(
    app: Flask, value: str, mimetype: str
) -> None:
    from flask_llm_shield.responses import _clean_ascii_escaped, scan_body

    body = json.dumps({"reply": value})
    scanner = Scanner()
    is_json = mimetype == "application/json"
    assert scan_body(scanner, body, is_json)[0]
    assert not _clean_ascii_escaped(scanner, body.encode("ascii"), is_json)

    response = serve_guarded(app, body, mimetype)
    assert response.status_code == 400
    assert "1234" not in response.get_data(as_text=True)


# A password holding a double quote, as the client reads it: 'password: Xk9"mQ2!vL'.
# At 79b2443 the serialised form ('Xk9\"mQ2!vL') was an accepted value and the JSON body
# was blocked by chance, while the same text as text/plain passed (the unquoted value
# stopped at the quote: 'Xk9', too short). Found by the attacker review of the decoded-text
# rule; the password detector now reads the value to the end of its token.
@pytest.mark.parametrize(
    ("text", "mimetype"),
    [
        ('Your new password: Xk9"mQ2!vL (keep it safe)', "application/json"),
        ('export PGPASSWORD=hun"ter2xyz', "application/json"),
        ('password = hun"ter2xyz', "text/plain"),
    ],
)
def test_a_password_holding_a_quote_is_blocked(app: Flask, text: str, mimetype: str) -> None:
    body = json.dumps({"reply": text}) if mimetype == "application/json" else text
    assert serve_guarded(app, body, mimetype).status_code == 400


# scan_json gives each value its key as context ("ssn: 536221234"), but a JSON body is
# parsed only when the scan of its text finds something: a value more than the context
# reach away from its key (a list, say) is never read with its key (also at 79b2443).
@pytest.mark.xfail(
    strict=True,
    reason="scan_body reads key context only through scan_json, which a body whose "
    "text scan finds nothing never reaches",
)
@pytest.mark.parametrize(
    "doc",
    [
        {"ssn": ["x" * 45, "536221234"]},
        {"phone": ["x" * 45, "4155551234"]},
    ],
)
def test_values_far_from_their_key_are_read_with_it(app: Flask, doc: dict[str, Any]) -> None:
    scanner = Scanner()
    assert scanner.scan_json(doc)  # what the key says about the value

    @app.get("/r")
    @guarded_llm_route
    def view() -> Response:
        return jsonify(doc)

    response = app.test_client().get("/r")
    assert response.status_code == 400


# Text labelled JSON that does not parse: no JSON client decodes its escapes, so what
# it shows is the text as sent, where a path separator's backslash sits before the key
# ("D:\backup\rk_live_..."). Blocked at 79b2443; judged on its "decoded" text since.
@pytest.mark.parametrize(
    "body",
    [
        "Restore it from D:\\backup\\" + _RK + " tonight",
        '{"p": "D:\\backup\\' + _RK + '"',  # a truncated document
        '{"p": "x"} D:\\backup\\' + _RK,  # a document, then text
        "cache at C:\\npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8" + " (copy it)",
    ],
)
def test_text_labelled_json_that_does_not_parse_keeps_its_backslashes(
    app: Flask, body: str
) -> None:
    from flask_llm_shield.responses import _clean_ascii_json, scan_body

    scanner = Scanner()
    assert scan_body(scanner, body, True)[0]
    assert not _clean_ascii_json(scanner, body.encode("ascii"))

    response = serve_guarded(app, body, "application/json")
    assert response.status_code == 400
    assert "51HqLyjWDarjtT1zdp7dcXYZ" not in response.get_data(as_text=True)
    assert "a1B2c3D4e5F6" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "blocked"),
    [
        (json.dumps({"reply": "Ваш заказ отправлен. 您的订单已发货。"}), False),
        (json.dumps({"reply": f"Ваш номер социального страхования {SSN}, 谢谢"}), True),
        # The value itself written as \\u escapes: decoded, it is the value.
        ('{"reply": "ssn \\u0035\\u0033\\u0036-22-1234 \\u00e9t\\u00e9"}', True),
        # Not JSON (no JSON client decodes it): read as sent, escapes decoded by the scan.
        ("reply: ssn \\u0035\\u0033\\u0036-22-1234 \\u00e9t\\u00e9", True),
    ],
)
def test_replies_in_other_languages_are_judged_on_their_decoded_text(
    app: Flask, body: str, blocked: bool
) -> None:
    response = serve_guarded(app, body, "application/json")
    assert (response.status_code == 400) is blocked
    if blocked:
        assert "1234" not in response.get_data(as_text=True)
    else:
        assert response.get_data(as_text=True) == body
