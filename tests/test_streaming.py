from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, Response, request, stream_with_context
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields

from flask_llm_shield import (
    LeakBlockedError,
    LLMShield,
    PromptTemplate,
    Scanner,
    guarded_llm_route,
    sensitive,
)
from flask_llm_shield.detect import squeeze_invisible
from flask_llm_shield.state import request_state
from flask_llm_shield.streaming import PLAIN_BLOCK_MARKER, StreamScan, guard_stream

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
    # Longer runs of invisible characters are cut (padding; see squeeze_invisible).
    assume(squeeze_invisible(text, 0)[0] == text)
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


def test_first_byte_waits_for_the_window_only() -> None:
    core = StreamScan(Scanner(), mode="block", window=48)
    out = ""
    sent = 0
    while not out:
        out = core.feed("x")
        sent += 1
    assert sent == 48 + 1
    assert out == "x"


def test_prose_is_sent_a_word_behind_the_model() -> None:
    # Adaptive hold: what is held is the unfinished end (the last word or two), so the
    # first byte comes after a step of characters, not after the scanner's window.
    scanner = Scanner()
    core = StreamScan(scanner, mode="block")
    fed, out = "", ""
    lags = []
    for ch in PROSE:
        fed += ch
        out += core.feed(ch)
        lags.append(len(fed) - len(out))
    assert max(lags) <= 64 < scanner.window
    assert out + core.finish() == PROSE


@pytest.mark.parametrize(
    ("text", "unfinished"),
    [
        ("Please call me. My SSN is 536-22-12", "536-22-12"),
        ("Reach me as jane.roe@exam", "jane.roe@exam"),
        ("Reach me as jane dot roe at example dot c", "jane dot roe at example dot c"),
        ("the password is hunt", "password is hunt"),
        ("card 4111 1111 1111 11", "4111 1111 1111 11"),
        ("key ghp_aB3dE5fG7hJ9", "ghp_aB3dE5fG7hJ9"),
        ("obfuscated 536&#45;22-1", "536&#45;22-1"),
        ("padded 5\u200b3\u200b6\u200b-\u200b2", "5\u200b3\u200b6\u200b-\u200b2"),
    ],
)
def test_the_unfinished_value_is_held_from_its_first_character(text: str, unfinished: str) -> None:
    assert Scanner().hold_back(text) >= len(unfinished)


def test_long_formats_are_held_from_their_opener() -> None:
    scanner = Scanner()
    body = "intro -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7rLxQmZ2aV9pN4sT8uW1y words"
    assert scanner.hold_back(body) == len(body) - body.index("-----BEGIN")


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
    email = "ada.lovelace@mailhost.org"
    text = (f"Write to {email} today. " + PROSE) * 4
    # A small window: the four copies are redacted in different rescans.
    core = StreamScan(Scanner(), mode="redact", window=48, operator="pseudonym")
    out = "".join(core.feed(ch) for ch in text) + core.finish()
    assert email not in out
    assert out.count("<EMAIL_1>") == 4
    assert "<EMAIL_2>" not in out


# --------------------------------------------------------------------------------------
# The adaptive hold (only what can still become a finding) against every chunking.

PROMPT = (
    "You are the billing assistant of Northwind Outfitters. Answer only questions about "
    "invoices, refunds and shipping fees, and always reply in a friendly, concise tone."
)
CANARY = "shield-canary-7f3a9c2e41d8b605"
MULTI_WORD = {
    "spelled-email": "jane dot roe at mailhost dot com",
    "bracket-email": "jane.roe [at] mailhost [dot] org",
    "spaced-email": "jane.roe @ mailhost . com",
    "grouped-card": "4111 1111 1111 1111",
    "dashed-card": "4111-1111-1111-1111",
    "grouped-iban": "DE89 3704 0044 0532 0130 00",
    "phone": "+44 20 7123 4567",
    "password-phrase": 'the password is "hunter2!xQ"',
    "password-assignment": "DB_PASSWORD=Tr0ub4dor&3x",
    "prose-password": "my passphrase is correct-horse-battery-staple",
    "known-value": KNOWN,
    "system-prompt": PROMPT,
    "canary": CANARY,
}
LEAD = "Sure, here it is. "
TRAIL = " Let me know if you need more help."


def request_scanner() -> Scanner:
    return Scanner().derive(known_values=[KNOWN], system_prompts=[PROMPT], canaries=[CANARY])


def run_stream(scanner: Scanner, chunks: list[str], mode: str) -> tuple[str, bool]:
    """What a client receives, and whether the stream was blocked."""
    out: list[str] = []
    try:
        for piece in guard_stream(chunks, scanner=scanner, mode=mode):  # type: ignore[arg-type]
            out.append(piece)
    except LeakBlockedError:
        return "".join(out), True
    return "".join(out), False


# The part of each form that is the finding (a password's key words are not).
SECRET_PART = {
    "password-phrase": "hunter2!xQ",
    "password-assignment": "Tr0ub4dor&3x",
    "prose-password": "correct-horse-battery-staple",
}


def leaked_pieces(value: str, received: str) -> set[str]:
    """Pieces of 4 characters of *value* in *received* that the text around it (and the
    redaction labels) lack."""
    received = re.sub(r"\[REDACTED:[a-z_]+\]", "", received)
    return {p for p in pieces(value) if p in received and p not in LEAD + TRAIL}


@pytest.mark.parametrize("name", list(MULTI_WORD))
@pytest.mark.parametrize("mode", ["block", "redact"])
def test_multi_word_values_split_at_every_boundary_never_leak(name: str, mode: str) -> None:
    value = MULTI_WORD[name]
    text = LEAD + value + TRAIL
    scanner = request_scanner()
    splits = [[text[:i], text[i:]] for i in range(1, len(text))]
    splits.append(list(text))  # and one character per chunk
    splits.append([text[i : i + 3] for i in range(0, len(text), 3)])
    for chunks in splits:
        received, blocked = run_stream(scanner, chunks, mode)
        assert not leaked_pieces(SECRET_PART.get(name, value), received), (name, chunks[:2])
        if mode == "block":
            assert blocked
            assert received.startswith(LEAD[:8])  # what precedes the value was sent
        else:
            assert not blocked
            assert "[REDACTED:" in received
            assert received.endswith(TRAIL[-10:])


@pytest.mark.parametrize(
    "value",
    [
        SSN,
        AWS_KEY,
        KNOWN,
        "-----BEGIN RSA PRIVATE KEY-----\n"
        "MIIEowIBAAKCAQEA7rLxQmZ2aV9pN4sT8uW1yB3cD6eF0gH5iJ2kL7mO9nP4\n"
        "-----END RSA PRIVATE KEY-----",
    ],
    ids=["ssn", "aws", "known", "pem"],
)
@pytest.mark.parametrize("mode", ["block", "redact"])
def test_one_character_per_chunk_never_delivers_a_piece(value: str, mode: str) -> None:
    text = LEAD + "The value is " + value + " and that is all." + TRAIL
    received, blocked = run_stream(request_scanner(), list(text), mode)
    assert not leaked_pieces(value, received)
    assert blocked == (mode == "block")


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(sorted(MULTI_WORD)),
    cuts=st.lists(st.integers(min_value=1, max_value=200), max_size=25),
    mode=st.sampled_from(["block", "redact"]),
)
def test_multi_word_values_under_random_chunkings(name: str, cuts: list[int], mode: str) -> None:
    value = MULTI_WORD[name]
    text = LEAD + value + TRAIL
    bounds = sorted({0, len(text), *(c for c in cuts if c < len(text))})
    chunks = [text[a:b] for a, b in itertools.pairwise(bounds)]
    received, _ = run_stream(request_scanner(), chunks, mode)
    assert not leaked_pieces(SECRET_PART.get(name, value), received)


def test_prose_lag_stays_within_a_few_words() -> None:
    # The point of the adaptive hold: a chat reply reaches the reader at the model's pace.
    text = (PROSE * 40)[:2400]
    core = StreamScan(Scanner(), mode="redact")
    fed = sent = 0
    lags = []
    for i in range(0, len(text), 4):
        fed += len(text[i : i + 4])
        sent += len(core.feed(text[i : i + 4]))
        lags.append(fed - sent)
    lags.sort()
    assert lags[len(lags) // 2] <= 24
    assert lags[-1] <= 64


# --------------------------------------------------------------------------------------
# Lazy view-built streams (issue 9, class 4): the generator reads through the scoped
# accessor or renders a prompt after the after_request hook wrapped its body.

STREET = "742 Evergreen Terrace"


class HomeSchema(Schema):
    name = fields.String()
    street = fields.String(metadata=sensitive())


@pytest.fixture
def lazy_app(db: Any) -> tuple[Flask, LLMShield]:
    db.homes.insert_one({"name": "Homer", "street": STREET})
    app = Flask("lazy_stream_app")
    app.config.update(TESTING=True, SECRET_KEY="test-secret-key-for-fingerprints")
    shield = LLMShield(app, db=db)
    shield.register_schema("homes", HomeSchema)
    return app, shield


def lazy_reply(
    shield: LLMShield, what: str, seen: dict[str, str] | None = None
) -> Iterator[str | bytes]:
    """The body generator of a view: it does its reads and renders while streaming."""
    if what == "known":
        home = shield.collection("homes").find_one({"name": "Homer"})
        assert "street" not in home
        secret = STREET  # the model knows it from elsewhere and says it
        yield f"{home['name']} lives at "
    else:
        messages = PromptTemplate(system=PROMPT, user="{q}").render(q="hello")
        secret = PROMPT if what == "prompt" else str(messages.canary)
        if seen is not None:
            seen["secret"] = secret
        yield "Sure. "
    for i, ch in enumerate(secret):
        yield ch.encode() if i % 2 else ch  # bytes and str, one character each
    yield ", and that is all."


@pytest.mark.parametrize("what", ["known", "prompt", "canary"])
@pytest.mark.parametrize("mimetype", ["text/plain", "text/event-stream"])
@pytest.mark.parametrize("mode", ["block", "redact"])
def test_lazy_stream_sees_what_its_generator_registers(
    lazy_app: tuple[Flask, LLMShield], what: str, mimetype: str, mode: str
) -> None:
    app, shield = lazy_app
    seen: dict[str, str] = {"secret": STREET}

    @app.get("/lazy")
    @guarded_llm_route(mode=mode)  # type: ignore[arg-type]
    def lazy() -> Response:
        return Response(stream_with_context(lazy_reply(shield, what, seen)), mimetype=mimetype)

    body = app.test_client().get("/lazy").get_data(as_text=True)
    body = re.sub(r"\[REDACTED:[a-z_]+\]", "", body)
    ours = "Sure. Homer lives at , and that is all." + PLAIN_BLOCK_MARKER
    ours += "response blocked by flask-llm-shield" + " ".join(("canary", "system_prompt"))
    assert not {p for p in pieces(seen["secret"]) if p in body and p not in ours}
    assert "Homer lives at " in body or "Sure. " in body


def test_lazy_stream_created_without_request_state_still_sees_it(
    lazy_app: tuple[Flask, LLMShield],
) -> None:
    # Unguarded route in block mode: no request state exists when the hook wraps the
    # body; the generator creates it with its first read.
    _, shield = lazy_app
    app = Flask("lazy_unguarded")
    app.config.update(TESTING=True, SECRET_KEY="test-secret-key", LLM_SHIELD_RESPONSE_SCAN="block")
    shield.init_app(app, db=shield.state_for(lazy_app[0]).database())

    @app.get("/plain-lazy")
    def plain_lazy() -> Response:
        return Response(stream_with_context(lazy_reply(shield, "known")), mimetype="text/plain")

    body = app.test_client().get("/plain-lazy").get_data(as_text=True)
    assert not any(p in body for p in pieces(STREET))


# --------------------------------------------------------------------------------------
# Invisible padding (issue 9, class 13): characters the reader does not see, between the
# characters of a value, must not stretch it beyond the hold-back.

PADDINGS = {
    "zero-width-space": "\u200b",
    "zero-width-joiner": "\u200d",
    "word-joiner": "\u2060",
    "bom": "\ufeff",
    "soft-hyphen": "\u00ad",
    "combining-acute": "\u0301",
    "left-to-right-mark": "\u200e",
    "tag-character": "\U000e0041",
    "variation-selector": "\ufe0f",
    "mixed": "\u200b\u00ad\u0301\u200e\u2060",
}


def visible(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable() and unicodedata.category(ch)[0] != "M")


@pytest.mark.parametrize("padding", list(PADDINGS))
@pytest.mark.parametrize("mode", ["block", "redact"])
@pytest.mark.parametrize("value", [SSN, AWS_KEY, KNOWN], ids=["ssn", "aws", "known"])
def test_invisible_padding_between_characters_is_caught(
    stream_app: Callable[..., Flask], padding: str, mode: str, value: str
) -> None:
    pad = PADDINGS[padding] * (600 // len(PADDINGS[padding]))
    reply = PROSE + "The value is " + pad.join(value) + " and that is all. " + PROSE
    app = stream_app(reply, mimetype="text/plain")
    body = app.test_client().get(f"/s/{mode}").get_data(as_text=True)
    shown = visible(body)
    assert shown.startswith(visible(PROSE))
    assert not leaked_pieces(value, shown.replace(PLAIN_BLOCK_MARKER.strip(), "")), padding
    # The same text buffered is refused too: the stream does not lag behind the body scan.
    assert Scanner().derive(known_values=[KNOWN]).scan(reply)


def test_padding_neither_grows_the_hold_nor_the_memory() -> None:
    core = StreamScan(Scanner(), mode="block")
    padded = ("\u200b" * 600).join("Nothing to see here, only padded prose. " * 5)
    most = 0
    for ch in padded:
        core.feed(ch)
        most = max(most, core.held)
    # Runs are cut as they arrive: the hold is a few words of at most nine characters
    # per visible one, not the 600 of the padding.
    assert most <= 9 * 48
