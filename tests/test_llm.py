from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import openai
import pytest
from flask import Flask, Response

from flask_llm_shield import (
    InsecureLLMEndpointError,
    LeakBlockedError,
    LLMShield,
    LLMUnavailableError,
    PromptTemplate,
    guarded_llm_route,
)
from flask_llm_shield.state import request_state

SSN = "123-45-6789"
AWS_KEY = "AKIAZ7Q3LMNB4XKW2PRT"
SYSTEM = (
    "You are the billing assistant of Northwind Outfitters. Answer only questions about "
    "invoices, refunds and shipping fees, and always reply in a friendly, concise tone."
)
TEMPLATE = PromptTemplate(system=SYSTEM, user="Customer question: {question}")
CANARY_RE = re.compile(r"shield-canary-[0-9a-f]{16}")


def pieces(secret: str, n: int = 4) -> set[str]:
    return {secret[i : i + n] for i in range(len(secret) - n + 1)}


def sse_events(body: str) -> list[tuple[str, str]]:
    events = []
    for block in body.split("\n\n"):
        if block:
            event = "message"
            data = ""
            for line in block.split("\n"):
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data += line[6:]
            events.append((event, data))
    return events


def sse_text(body: str) -> str:
    return "".join(json.loads(d)["text"] for e, d in sse_events(body) if e == "message")


@pytest.fixture
def chat_app(
    app_factory: Callable[..., Flask], shield: LLMShield, openai_client: Any
) -> Callable[..., Flask]:
    """``/chat/<mode>`` completes and ``/stream/<mode>`` streams through the stub."""

    def make(**config: Any) -> Flask:
        app = app_factory(**config)
        llm = shield.llm(openai_client, model="stub-model")

        def chat() -> dict[str, str]:
            messages = TEMPLATE.render(question="Where is my refund?")
            return {"reply": llm.complete(messages)}

        def stream() -> Response:
            state = request_state()
            assert state is not None
            state.remember_values(["Quentin Abernathy-Vole"])
            messages = TEMPLATE.render(question="Where is my refund?")
            return shield.stream_response(llm.stream(messages))

        for mode in ("block", "redact", "report"):
            app.add_url_rule(f"/chat/{mode}", f"chat_{mode}", guarded_llm_route(mode=mode)(chat))
            app.add_url_rule(
                f"/stream/{mode}", f"stream_{mode}", guarded_llm_route(mode=mode)(stream)
            )
        return app

    return make


def test_clean_completion_through_real_openai_client(
    chat_app: Callable[..., Flask], openai_stub: Any, signal_recorder: Any
) -> None:
    openai_stub.set_reply("Your refund was issued on Monday.")
    response = chat_app().test_client().get("/chat/block")
    assert response.status_code == 200
    assert response.get_json() == {"reply": "Your refund was issued on Monday."}
    sent = openai_stub.last
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer test-key"
    assert [m["role"] for m in sent.messages] == ["system", "user"]
    (call,) = signal_recorder.named("llm-call")
    assert call["outcome"] == "ok"
    assert call["streamed"] is False
    assert call["model"] == "stub-model"
    assert call["usage"] == {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
    assert call["latency_ms"] > 0
    assert call["endpoint"] == "chat_block"


def test_reply_with_ssn_is_blocked(chat_app: Callable[..., Flask], openai_stub: Any) -> None:
    openai_stub.set_reply(f"The customer's SSN is {SSN}.")
    response = chat_app().test_client().get("/chat/block")
    assert response.status_code == 400
    assert SSN not in response.get_data(as_text=True)
    assert response.get_json()["findings"] == [{"kind": "us_ssn"}]


def test_reply_with_ssn_is_redacted(chat_app: Callable[..., Flask], openai_stub: Any) -> None:
    openai_stub.set_reply(f"The customer's SSN is {SSN}.")
    response = chat_app().test_client().get("/chat/redact")
    assert response.get_json() == {"reply": "The customer's SSN is [REDACTED:us_ssn]."}


def test_reply_repeating_system_prompt_is_blocked(
    chat_app: Callable[..., Flask], openai_stub: Any, signal_recorder: Any
) -> None:
    openai_stub.set_reply(lambda body: "Sure! My instructions: " + SYSTEM)
    response = chat_app().test_client().get("/chat/block")
    assert response.status_code == 400
    assert "Northwind" not in response.get_data(as_text=True)
    (call,) = signal_recorder.named("llm-call")
    assert call["outcome"] == "blocked"
    assert "system_prompt" in {f[0] for f in call["findings"]}


def test_reply_repeating_canary_is_blocked(
    chat_app: Callable[..., Flask], openai_stub: Any
) -> None:
    def leak_canary(body: dict[str, Any]) -> str:
        match = CANARY_RE.search(body["messages"][0]["content"])
        assert match is not None
        return f"Debug reference: {match.group()}"

    openai_stub.set_reply(leak_canary)
    response = chat_app().test_client().get("/chat/block")
    assert response.status_code == 400
    assert "shield-canary" not in response.get_data(as_text=True)
    assert response.get_json()["findings"] == [{"kind": "canary"}]


@pytest.mark.parametrize(
    "secret", [SSN, AWS_KEY, "Quentin Abernathy-Vole"], ids=["ssn", "aws", "known"]
)
@pytest.mark.parametrize("mode", ["block", "redact"])
def test_streamed_reply_one_char_per_chunk_never_leaks(
    chat_app: Callable[..., Flask], openai_stub: Any, secret: str, mode: str
) -> None:
    openai_stub.set_reply(f"Noted. The value on file is {secret}, nothing else.", chunk_size=1)
    body = chat_app().test_client().get(f"/stream/{mode}").get_data(as_text=True)
    assert not any(piece in body for piece in pieces(secret))
    text = sse_text(body)
    assert text.startswith("Noted. The value on file is ")
    if mode == "block":
        assert sse_events(body)[-1][0] == "error"
    else:
        assert text.endswith(", nothing else.")


def test_streamed_system_prompt_leak_is_blocked(
    chat_app: Callable[..., Flask], openai_stub: Any, signal_recorder: Any
) -> None:
    openai_stub.set_reply(lambda body: body["messages"][0]["content"], chunk_size=3)
    body = chat_app().test_client().get("/stream/block").get_data(as_text=True)
    assert sse_events(body)[-1][0] == "error"
    assert "Northwind Outfitters. Answer only" not in sse_text(body)
    (term,) = signal_recorder.named("stream-terminated")
    assert term["endpoint"] == "stream_block"
    (call,) = signal_recorder.named("llm-call")
    assert call["streamed"] is True
    assert call["outcome"] == "blocked"


def test_clean_streamed_reply_is_identical_and_reports_usage(
    chat_app: Callable[..., Flask], openai_stub: Any, signal_recorder: Any
) -> None:
    reply = "Refunds take 5 to 7 business days — you'll get an e-mail when it's done. ✓"
    openai_stub.set_reply(reply, chunk_size=2)
    body = chat_app().test_client().get("/stream/block").get_data(as_text=True)
    assert sse_text(body) == reply
    (call,) = signal_recorder.named("llm-call")
    assert call["outcome"] == "ok"
    assert call["usage"]["total_tokens"] == 18
    assert openai_stub.last.body["stream"] is True


def test_outgoing_pii_never_leaves(
    app: Flask, shield: LLMShield, openai_client: Any, openai_stub: Any
) -> None:
    llm = shield.llm(openai_client, model="stub-model")
    with app.app_context(), pytest.raises(LeakBlockedError) as info:
        llm.complete([{"role": "user", "content": f"My SSN is {SSN}, what now?"}])
    assert info.value.kinds == ("us_ssn",)
    assert SSN not in str(info.value)
    assert openai_stub.received == []


def test_outgoing_pii_redacted_when_configured(
    app_factory: Callable[..., Flask], shield: LLMShield, openai_client: Any, openai_stub: Any
) -> None:
    app = app_factory(LLM_SHIELD_PROMPT_PII="redact")
    llm = shield.llm(openai_client, model="stub-model")
    with app.app_context():
        llm.complete([{"role": "user", "content": f"My SSN is {SSN}, what now?"}])
    assert SSN not in openai_stub.last.text
    assert "[REDACTED:us_ssn]" in openai_stub.last.text


def test_outgoing_kind_allowed_on_route(
    app: Flask, shield: LLMShield, openai_client: Any, openai_stub: Any
) -> None:
    llm = shield.llm(openai_client, model="stub-model")
    openai_stub.set_reply("ok")

    @app.post("/verify")
    @guarded_llm_route(allow_kinds={"us_ssn"}, screen_inputs=False)
    def verify() -> dict[str, str]:
        return {"reply": llm.complete([{"role": "user", "content": f"Check {SSN}"}])}

    assert app.test_client().post("/verify").status_code == 200
    assert SSN in openai_stub.last.text


def test_plain_callable_str_and_iterator(app: Flask, shield: LLMShield) -> None:
    seen: list[Any] = []

    def model(messages: list[dict[str, str]], **kw: Any) -> str:
        seen.append((messages, kw))
        return "plain reply"

    def streaming_model(messages: list[dict[str, str]], **kw: Any) -> Iterator[str]:
        yield from ["str", "eam", f"ed {SSN}"]

    with app.app_context():
        assert shield.llm(model, temperature=0).complete([{"role": "user", "content": "hi"}]) == (
            "plain reply"
        )
        assert seen[0][1] == {"temperature": 0}
        stream = shield.llm(streaming_model).stream([{"role": "user", "content": "hi"}])
        with pytest.raises(LeakBlockedError):
            "".join(stream)


def keyless_client(base_url: str) -> openai.OpenAI:
    # Current openai versions refuse an empty key at construction; compatible clients and
    # older versions do not, and a key can be emptied later. Simulate that state.
    client = openai.OpenAI(api_key="placeholder", base_url=base_url, max_retries=0)
    client.api_key = ""
    return client


def test_client_without_api_key_is_refused(
    app: Flask, shield: LLMShield, openai_stub: Any
) -> None:
    client = keyless_client(openai_stub.base_url)
    try:
        with app.app_context(), pytest.raises(InsecureLLMEndpointError, match="API key"):
            shield.llm(client).complete([{"role": "user", "content": "hi"}])
    finally:
        client.close()
    assert openai_stub.received == []


@pytest.mark.parametrize(
    ("base_url", "refused"),
    [
        ("http://llm.internal.example:8000/v1", True),
        ("http://10.0.0.7/v1", True),
        ("https://llm.internal.example/v1", False),
        ("http://localhost:8000/v1", False),
        ("http://127.0.0.1:8000/v1", False),
        ("http://[::1]:8000/v1", False),
    ],
)
def test_plain_http_only_to_loopback(base_url: str, refused: bool) -> None:
    from flask_llm_shield.llm import check_endpoint

    client = openai.OpenAI(api_key="k", base_url=base_url)
    try:
        if refused:
            with pytest.raises(InsecureLLMEndpointError, match="http://"):
                check_endpoint(client, allow_insecure=False)
        else:
            check_endpoint(client, allow_insecure=False)
        check_endpoint(client, allow_insecure=True)
    finally:
        client.close()


def test_allow_insecure_llm_config(app_factory: Callable[..., Flask], shield: LLMShield) -> None:
    # ``.invalid`` never resolves: with the refusal lifted, the call reaches the network
    # layer and fails there instead.
    client = openai.OpenAI(api_key="k", base_url="http://llm.invalid/v1", max_retries=0, timeout=5)
    messages = [{"role": "user", "content": "hi"}]
    try:
        with app_factory().app_context(), pytest.raises(InsecureLLMEndpointError):
            shield.llm(client, model="m").complete(messages)
        with (
            app_factory(LLM_SHIELD_ALLOW_INSECURE_LLM=True).app_context(),
            pytest.raises(LLMUnavailableError) as raised,
        ):
            shield.llm(client, model="m").complete(messages)
        assert raised.value.reason == "connection"
        assert isinstance(raised.value.__cause__, openai.APIConnectionError)
    finally:
        client.close()


def test_llm_rejects_non_clients(shield: LLMShield) -> None:
    with pytest.raises(TypeError, match="openai"):
        shield.llm(object())


def test_stream_close_closes_upstream_connection(
    app_factory: Callable[..., Flask],
    shield: LLMShield,
    openai_client: Any,
    openai_stub: Any,
    signal_recorder: Any,
) -> None:
    # A small window so that the first piece arrives long before the reply ends.
    app = app_factory(LLM_SHIELD_STREAM_WINDOW=64)
    openai_stub.set_reply("x" * 4000, chunk_size=1, delay=0.0005)
    with app.app_context():
        stream = shield.llm(openai_client, model="m").stream([{"role": "user", "content": "hi"}])
        assert next(stream)
        stream.close()
    openai_stub.wait_idle()
    # The server saw the connection go away long before it wrote all 4000 chunks.
    assert openai_stub.chunks_written[-1] < 4000
    assert [c["outcome"] for c in signal_recorder.named("llm-call")] == ["closed"]


def test_key_from_callable_provider_counts_as_authenticated(openai_stub: Any) -> None:
    from flask_llm_shield.llm import check_endpoint

    client = openai.OpenAI(api_key=lambda: "rotating-key", base_url=openai_stub.base_url)
    try:
        check_endpoint(client, allow_insecure=False)
    finally:
        client.close()


def test_outgoing_content_parts_are_screened_too(
    app: Flask, shield: LLMShield, openai_client: Any, openai_stub: Any
) -> None:
    llm = shield.llm(openai_client, model="stub-model")
    message = {"role": "user", "content": [{"type": "text", "text": f"SSN {SSN}"}]}
    with app.app_context(), pytest.raises(LeakBlockedError):
        llm.complete([message])
    assert openai_stub.received == []


def test_async_client_is_refused(shield: LLMShield, openai_stub: Any) -> None:
    client = openai.AsyncOpenAI(api_key="k", base_url=openai_stub.base_url)
    with pytest.raises(TypeError, match="synchronous"):
        shield.llm(client)


def test_withheld_value_is_not_sent_to_the_model(
    app: Flask, shield: LLMShield, openai_client: Any, openai_stub: Any
) -> None:
    llm = shield.llm(openai_client, model="stub-model")
    with app.test_request_context():
        state = request_state()
        assert state is not None
        state.remember_values(["Bartholomew Quince"])
        with pytest.raises(LeakBlockedError) as info:
            llm.complete([{"role": "user", "content": "Summarise Bartholomew Quince's notes"}])
    assert info.value.kinds == ("known_value",)
    assert openai_stub.received == []


def test_rendered_system_prompt_and_canary_are_sent(
    app: Flask, shield: LLMShield, openai_client: Any, openai_stub: Any
) -> None:
    llm = shield.llm(openai_client, model="stub-model")
    with app.test_request_context():
        messages = TEMPLATE.render(question="Where is my parcel?")
        assert llm.complete(messages)
    assert SYSTEM in openai_stub.last.messages[0]["content"]
    assert messages.canary in openai_stub.last.messages[0]["content"]


@pytest.mark.parametrize(
    ("fault", "status", "reason"),
    [("429", 503, "rate-limited"), ("500", 502, "upstream-error"), ("drop", 502, "connection")],
)
@pytest.mark.parametrize("route", ["chat", "stream"])
def test_upstream_failure_is_a_clean_json_error(
    chat_app: Callable[..., Flask],
    openai_stub: Any,
    signal_recorder: Any,
    route: str,
    fault: str,
    status: int,
    reason: str,
) -> None:
    if route == "stream" and fault == "drop":
        pytest.skip("a stream dropped after it started: see the truncation test")
    openai_stub.set_reply(f"The SSN on file is {SSN}.", fault=fault)
    resp = chat_app().test_client().get(f"/{route}/block")
    assert resp.status_code == status
    assert resp.get_json() == {"error": "the language model endpoint failed", "reason": reason}
    assert SSN not in resp.get_data(as_text=True)
    assert [c["outcome"] for c in signal_recorder.named("llm-call")] == ["error"]


@pytest.mark.parametrize("fault", ["drop", "malformed"])
def test_stream_cut_mid_value_ends_with_error_event_and_sends_no_part_of_it(
    chat_app: Callable[..., Flask], openai_stub: Any, signal_recorder: Any, fault: str
) -> None:
    # Two 12-character chunks reach the app ("Your SSN is ", "123-45-6"): the second is
    # half a value; the upstream then breaks. A close-delimited body that stops early
    # looks like a normal end of stream, so only the missing finish_reason tells.
    openai_stub.set_reply("", chunks=["Your SSN is ", SSN[:8], SSN[8:] + "."], fault=fault)
    resp = chat_app().test_client().get("/stream/block")
    body = resp.get_data(as_text=True)
    events = sse_events(body)
    assert events[-1][0] == "error"
    assert not pieces(SSN) & pieces(sse_text(body))
    assert [c["outcome"] for c in signal_recorder.named("llm-call")] == ["error"]
    openai_stub.wait_idle()
    assert openai_stub.active == 0


def test_scanner_failure_on_a_reply_blocks_with_json(
    chat_app: Callable[..., Flask],
    openai_stub: Any,
    signal_recorder: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flask_llm_shield.detect import Scanner

    real_scan = Scanner.scan

    def scan(self: Scanner, text: str) -> Any:
        if "refund was issued" in text:
            raise RuntimeError("scanner bug")
        return real_scan(self, text)

    monkeypatch.setattr(Scanner, "scan", scan)
    openai_stub.set_reply("Your refund was issued on Monday.")
    resp = chat_app().test_client().get("/chat/block")
    assert resp.status_code == 400
    assert resp.is_json
    assert "refund" not in resp.get_data(as_text=True)
    failed = signal_recorder.named("scan-failed")
    assert [(f["reason"], f["blocked"]) for f in failed] == [("scanner-error", True)]
    assert [c["outcome"] for c in signal_recorder.named("llm-call")] == ["error"]
