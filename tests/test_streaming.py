from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, Response, request, stream_with_context
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from flask_llm_shield import LeakBlockedError, LLMShield, Scanner, guarded_llm_route
from flask_llm_shield.state import request_state
from flask_llm_shield.streaming import StreamScan, guard_stream

SSN = "123-45-6789"
AWS_KEY = "AKIAZ7Q3LMNB4XKW2PRT"
KNOWN = "Margaret Quillfeather of Lower Wallop"
PROSE = "Here is the summary you asked for. The account looks healthy and active. "


def pieces(secret: str, n: int = 4) -> set[str]:
    return {secret[i : i + n] for i in range(len(secret) - n + 1)}


def sse_events(body: str) -> list[tuple[str, str]]:
    """``(event, data)`` pairs of an SSE body."""
    events = []
    for block in body.split("\n\n"):
        if not block:
            continue
        event, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
        events.append((event, "\n".join(data)))
    return events


def sse_text(body: str) -> str:
    return "".join(json.loads(d)["text"] for e, d in sse_events(body) if e == "message")


def chars(text: str) -> Iterator[str]:
    yield from text


@pytest.fixture
def stream_app(app_factory: Callable[..., Flask], shield: LLMShield) -> Callable[..., Flask]:
    """An app whose ``/s/<mode>`` streams ``reply`` one char per chunk via stream_response."""

    def make(reply: str, mimetype: str = "text/event-stream", **config: Any) -> Flask:
        app = app_factory(**config)

        def view() -> Response:
            state = request_state()
            assert state is not None
            state.remember_values([KNOWN])
            return shield.stream_response(chars(reply), mimetype)  # type: ignore[arg-type]

        for mode in ("block", "redact", "report"):
            app.add_url_rule(
                f"/s/{mode}",
                f"s_{mode}",
                guarded_llm_route(mode=mode)(view),  # type: ignore[arg-type]
            )
        return app

    return make


@pytest.mark.parametrize("secret", [SSN, AWS_KEY, KNOWN], ids=["ssn", "aws", "known"])
@pytest.mark.parametrize("mode", ["redact", "block"])
@pytest.mark.parametrize("window", [None, 48], ids=["scanner-window", "window-48"])
def test_secret_streamed_one_char_per_chunk_never_reaches_client(
    stream_app: Callable[..., Flask], secret: str, mode: str, window: int | None
) -> None:
    # With a 48-char window the guard emits mid-stream, right up to the secret.
    reply = PROSE * 3 + f"The value is {secret} and that is all. " + PROSE * 3
    app = stream_app(reply, LLM_SHIELD_STREAM_WINDOW=window)
    body = app.test_client().get(f"/s/{mode}").get_data(as_text=True)
    delivered = sse_text(body)
    if window is not None:
        # Really streamed: many pieces, not one flush at the end.
        assert len(sse_events(body)) >= 4
    for piece in pieces(secret):
        assert piece not in body
        assert piece not in delivered
    # The text before the secret was delivered; redact mode also delivers what follows.
    assert delivered.startswith(PROSE * 3 + "The value is ")
    if mode == "redact":
        assert delivered.endswith(" and that is all. " + PROSE * 3)
        assert "[REDACTED:" in delivered
    else:
        assert sse_events(body)[-1][0] == "error"


def test_plain_text_stream_is_guarded_too(stream_app: Callable[..., Flask]) -> None:
    app = stream_app(PROSE + SSN + " " + PROSE, mimetype="text/plain")
    body = app.test_client().get("/s/block").get_data(as_text=True)
    assert not any(p in body for p in pieces(SSN))
    assert body.startswith(PROSE)
    assert "withheld" in body


def test_block_ends_with_error_event_and_signal(
    stream_app: Callable[..., Flask], signal_recorder: Any
) -> None:
    app = stream_app(PROSE + f"ssn {SSN} more text")
    body = app.test_client().get("/s/block").get_data(as_text=True)
    event, data = sse_events(body)[-1]
    assert event == "error"
    payload = json.loads(data)
    assert payload["kinds"] == ["us_ssn"]
    assert SSN not in data
    (sent,) = signal_recorder.named("stream-terminated")
    assert sent["mode"] == "block"
    assert sent["endpoint"] == "s_block"
    assert [f[0] for f in sent["findings"]] == ["us_ssn"]
    assert all(SSN not in str(f) for f in sent["findings"])
    assert app in signal_recorder.senders()


def test_report_mode_streams_unchanged_and_signals(
    stream_app: Callable[..., Flask], signal_recorder: Any
) -> None:
    reply = PROSE + SSN + " " + PROSE
    app = stream_app(reply)
    body = app.test_client().get("/s/report").get_data(as_text=True)
    assert sse_text(body) == reply
    (sent,) = signal_recorder.named("leak-detected")
    assert [f[0] for f in sent["findings"]] == ["us_ssn"]


@pytest.mark.parametrize("mimetype", ["text/plain", "text/event-stream"])
def test_clean_stream_delivered_identically(
    stream_app: Callable[..., Flask], mimetype: str
) -> None:
    reply = "Plain answer with unicode: naïve café — ✓, a lone \r and\nnew lines.\n" * 5
    app = stream_app(reply, mimetype=mimetype)
    body = app.test_client().get("/s/redact").get_data(as_text=True)
    assert (body if mimetype == "text/plain" else sse_text(body)) == reply


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        # Lone surrogates cannot be sent to a client at all.
        alphabet=st.characters(blacklist_characters="@0123456789", blacklist_categories=("Cs",)),
        max_size=400,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=30),
)
def test_clean_text_survives_any_chunking(text: str, cuts: list[int]) -> None:
    # "Clean" means the scanner finds nothing in the whole text (random text can spell a
    # chat-template marker such as "[AVAILABLETOOLS]").
    assume(not Scanner().scan(text))
    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    chunks = [text[a:b] for a, b in itertools.pairwise(bounds)]
    out = "".join(guard_stream(chunks, scanner=Scanner(), mode="redact"))
    assert out == text


def test_nothing_is_emitted_that_could_still_become_a_finding() -> None:
    scanner = Scanner()
    core = StreamScan(scanner, mode="redact", step=1)
    fed, emitted = "", ""
    for ch in PROSE * 3:
        fed += ch
        emitted += core.feed(ch)
        # Everything but the last ``window`` characters has been released...
        assert len(emitted) >= len(fed) - core.window - core.step
        # ...and never any of the held-back tail.
        assert len(emitted) <= max(len(fed) - scanner.hold_back(fed[-core.window :]), 0)
    assert emitted + core.finish() == PROSE * 3


@pytest.mark.parametrize("window", [None, 48])
def test_first_byte_waits_for_the_window_only(window: int | None) -> None:
    scanner = Scanner()
    core = StreamScan(scanner, mode="block", window=window)
    out = ""
    sent = 0
    while not out:
        out = core.feed("x")
        sent += 1
    # Plain text: the adaptive hold is the scanner's min_hold, far below its full window.
    expected = window if window is not None else scanner.min_hold
    assert sent == expected + 1
    assert scanner.min_hold < scanner.window
    assert out == "x"


def test_obfuscated_text_makes_the_guard_hold_the_full_window() -> None:
    scanner = Scanner()
    plain = "x" * scanner.window
    assert scanner.hold_back(plain) == scanner.min_hold
    for marker in ("&amp;", "%41", "\\u0041", "a\u200bb"):
        assert scanner.hold_back(plain[: -len(marker)] + marker) == scanner.window
    for opener in ("-----BEGIN", "eyJ", "mongodb"):
        assert scanner.hold_back(opener + plain[len(opener) :]) > scanner.min_hold


PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    + "\n".join(
        "MIIEowIBAAKCAQEA7rLxQmZ2aV9pN4sT8uW1yB3cD6eF0gH5iJ2kL7mO9nP4qR1s"[: 64 - i]
        + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/"[:i]
        for i in range(0, 36, 3)
    )
    + "\n-----END RSA PRIVATE KEY-----"
)
ENTITY_SSN = "123&#8209;45&#8209;6789"


@pytest.mark.parametrize(
    ("secret", "body_part"),
    [
        (ENTITY_SSN, "6789"),
        ("mongodb://app:S3cr3tPassw0rd@db.internal:27017/prod", "S3cr3tPassw0rd"),
        (PEM, "MIIEowIBAAKCAQEA"),
    ],
    ids=["entity-ssn", "mongodb-uri", "pem"],
)
@pytest.mark.parametrize("mode", ["redact", "block"])
def test_long_and_obfuscated_secrets_are_held_after_a_long_clean_prefix(
    stream_app: Callable[..., Flask], secret: str, body_part: str, mode: str
) -> None:
    # A long clean prefix makes the guard stream with its small plain-text hold first;
    # the secret must still never be delivered in any part.
    reply = PROSE * 40 + f"Here it is: {secret} done. " + PROSE * 2
    app = stream_app(reply, mimetype="text/plain")
    body = app.test_client().get(f"/s/{mode}").get_data(as_text=True)
    assert body.startswith(PROSE * 40)
    for piece in pieces(body_part):
        assert piece not in body


def test_stream_with_context_upstream(app: Flask, shield: LLMShield) -> None:
    @app.get("/ctx")
    @guarded_llm_route(mode="redact")
    def ctx() -> Response:
        def gen() -> Iterator[str]:
            # Needs the request context while the response is being sent.
            yield f"Hello {request.args['name']}, "
            yield from chars(f"your number is {SSN}.")

        return shield.stream_response(stream_with_context(gen()), "text/plain")

    body = app.test_client().get("/ctx?name=Ada").get_data(as_text=True)
    assert body == "Hello Ada, your number is [REDACTED:us_ssn]."


def test_client_disconnect_closes_upstream(app: Flask, shield: LLMShield) -> None:
    closed: list[bool] = []

    def upstream() -> Iterator[str]:
        try:
            while True:
                yield "endless clean text "
        finally:
            closed.append(True)

    @app.get("/endless")
    @guarded_llm_route
    def endless() -> Response:
        return shield.stream_response(upstream())

    response = app.test_client().get("/endless", buffered=False)
    it = iter(response.response)
    assert next(it)
    assert closed == []
    response.close()
    assert closed == [True]


def test_upstream_error_ends_stream_without_flushing_held_text(
    app: Flask, shield: LLMShield
) -> None:
    def upstream() -> Iterator[str]:
        yield PROSE * 4
        yield "secret starts 123-45-"
        raise RuntimeError("connection lost")

    @app.get("/broken")
    @guarded_llm_route
    def broken() -> Response:
        return shield.stream_response(upstream())

    body = app.test_client().get("/broken").get_data(as_text=True)
    assert "123-45" not in body
    assert sse_events(body)[-1][0] == "error"


def test_guarded_stream_raises_after_safe_prefix() -> None:
    stream = guard_stream(chars(PROSE + SSN), scanner=Scanner(), mode="block")
    got = []
    with pytest.raises(LeakBlockedError) as info:
        got.extend(stream)
    assert info.value.kinds == ("us_ssn",)
    assert "".join(got) == PROSE[: len("".join(got))]


def test_view_returning_its_own_stream_is_scanned(app: Flask) -> None:
    @app.get("/own")
    @guarded_llm_route(mode="redact")
    def own() -> Response:
        def gen() -> Iterator[str]:
            yield from chars(PROSE + SSN + " done")

        return Response(gen(), mimetype="text/plain")

    body = app.test_client().get("/own").get_data(as_text=True)
    assert body == PROSE + "[REDACTED:us_ssn] done"


def test_view_returning_its_own_sse_stream_is_blocked(app: Flask) -> None:
    @app.get("/own-sse")
    @guarded_llm_route
    def own_sse() -> Response:
        def gen() -> Iterator[bytes]:
            yield b"data: hello\n\n"
            yield f"data: my ssn is {SSN}\n\n".encode()

        return Response(gen(), mimetype="text/event-stream")

    body = app.test_client().get("/own-sse").get_data(as_text=True)
    assert SSN not in body
    assert body.startswith("data: hello")
    assert sse_events(body)[-1][0] == "error"


class BrokenScanner(Scanner):
    """A scanner that fails, as a bug or a resource limit in a detector would."""

    def scan(self, text: str) -> list[Any]:
        raise MemoryError("detector failed")


def test_scanner_failure_fails_closed(app: Flask, shield: LLMShield, signal_recorder: Any) -> None:
    @app.get("/broken-scanner")
    @guarded_llm_route
    def broken_scanner() -> Response:
        stream = guard_stream(chars(PROSE + SSN), scanner=BrokenScanner(), window=16)
        return shield.stream_response(stream)

    body = app.test_client().get("/broken-scanner").get_data(as_text=True)
    assert sse_events(body) == [
        ("error", '{"error": "response blocked by flask-llm-shield", "kinds": []}')
    ]
    (failed,) = signal_recorder.named("scan-failed")
    assert failed["reason"] == "scanner-error"
    assert failed["blocked"] is True


def test_utf8_split_across_byte_chunks_is_reassembled(app: Flask) -> None:
    text = "Café crème — 日本語 ✓ " * 20
    data = text.encode()

    @app.get("/bytes")
    @guarded_llm_route
    def as_bytes() -> Response:
        # Three-byte chunks cut through multi-byte characters.
        return Response((data[i : i + 3] for i in range(0, len(data), 3)), mimetype="text/plain")

    assert app.test_client().get("/bytes").get_data(as_text=True) == text


def test_invalid_utf8_stream_is_blocked(app: Flask) -> None:
    @app.get("/bad-bytes")
    @guarded_llm_route
    def bad_bytes() -> Response:
        return Response(iter([b"fine so far ", b"\xff\xfe broken"]), mimetype="text/plain")

    body = app.test_client().get("/bad-bytes").get_data(as_text=True)
    assert "broken" not in body
    assert "withheld" in body


def test_prompt_rendered_inside_the_generator_is_known_to_the_guard(
    app_factory: Callable[..., Flask], shield: LLMShield
) -> None:
    from flask_llm_shield import PromptTemplate

    template = PromptTemplate(system="You answer questions about invoices.", user="{q}")
    app = app_factory(LLM_SHIELD_STREAM_WINDOW=64)

    @app.get("/late")
    @guarded_llm_route
    def late() -> Response:
        def gen() -> Iterator[str]:
            # The canary only exists once the generator runs, after stream_response().
            messages = template.render(q=request.args["q"])
            yield from chars(PROSE + f"token {messages.canary} " + PROSE)

        return shield.stream_response(stream_with_context(gen()))

    body = app.test_client().get("/late?q=hi").get_data(as_text=True)
    assert "shield-canary" not in body
    assert sse_events(body)[-1][0] == "error"
    assert json.loads(sse_events(body)[-1][1])["kinds"] == ["canary"]


def test_pseudonyms_stay_stable_across_the_stream() -> None:
    email = "ada.lovelace@mailhub.org"
    text = (f"Write to {email} today. " + PROSE) * 4
    # A small window: the four copies are redacted in different rescans.
    core = StreamScan(Scanner(), mode="redact", window=48, operator="pseudonym")
    out = "".join(core.feed(ch) for ch in text) + core.finish()
    assert email not in out
    assert out.count("<EMAIL_1>") == 4
    assert "<EMAIL_2>" not in out
