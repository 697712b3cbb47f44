"""Guarded LLM calls: scan what leaves for the model and what comes back from it.

``shield.llm(client_or_callable, **defaults)`` returns a :class:`GuardedLLM`. It accepts a
plain callable (``messages -> str`` or ``messages -> iterator of str``; keyword arguments
are passed through) or an ``openai.OpenAI`` client (chat completions, streaming included).

Outgoing messages are scanned with the PII/secret scanner and blocked or redacted per
``LLM_SHIELD_PROMPT_PII`` (allowed kinds pass). Replies are scanned with the request's
scanner (it knows the rendered system prompt, the canary and the withheld values) and
blocked, redacted or reported per the route's mode; streamed replies go through the
hold-back window of :mod:`flask_llm_shield.streaming`. Every call sends ``llm-call`` with
the model, latency and token usage. Endpoints must be authenticated: a client without an
API key, or plain ``http://`` to a host that is not loopback, is refused unless
``LLM_SHIELD_ALLOW_INSECURE_LLM`` is set.
"""

from __future__ import annotations

import dataclasses
import inspect
import ipaddress
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from flask import Response, current_app, has_request_context, request
from werkzeug.exceptions import HTTPException

from .detect.views import ViewScanner, with_views
from .errors import InsecureLLMEndpointError, LeakBlockedError, LLMUnavailableError, ShieldError
from .signals import llm_call, scan_failed
from .state import get_state, request_state, route_scanner
from .streaming import GuardedStream, signal_findings

if TYPE_CHECKING:
    from flask import Flask

    from .config import Mode, RedactionOperator, ShieldConfig
    from .detect import Finding, Scanner

__all__ = ["GuardedLLM", "Message", "check_endpoint", "upstream_error"]

logger = logging.getLogger("flask_llm_shield")

Message = Mapping[str, Any]
LLMCallable = Callable[..., "str | Iterable[str]"]


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(client: Any, *, allow_insecure: bool) -> None:
    """Refuse an OpenAI-style client that would send prompts unauthenticated or in clear.

    :raises InsecureLLMEndpointError: no API key, or ``http://`` to a non-loopback host.
    """
    if allow_insecure:
        return
    api_key = getattr(client, "api_key", None)
    # Recent openai clients may take the key from a callable provider instead.
    has_provider = callable(getattr(client, "_api_key_provider", None))
    if not has_provider and (not isinstance(api_key, str) or not api_key.strip()):
        raise InsecureLLMEndpointError(
            "the LLM client has no API key; pass api_key= to the client, or set "
            "LLM_SHIELD_ALLOW_INSECURE_LLM = True to allow unauthenticated endpoints"
        )
    base_url = str(getattr(client, "base_url", "") or "")
    parts = urlsplit(base_url)
    if parts.scheme.lower() == "http" and not _is_loopback(parts.hostname or ""):
        # Naming the host is fine (it is configuration, not data); never the key.
        raise InsecureLLMEndpointError(
            f"the LLM client talks plain http:// to {parts.hostname!r}; use https://, a "
            "loopback address, or set LLM_SHIELD_ALLOW_INSECURE_LLM = True"
        )
    if parts.scheme.lower() not in ("http", "https"):
        raise InsecureLLMEndpointError(
            f"the LLM client base URL has an unsupported scheme {parts.scheme!r}; use https://"
        )


def upstream_error(exc: Exception) -> Exception:
    """What a guarded call raises when its client raised ``exc``.

    Shield and HTTP errors pass through; anything else becomes an
    :class:`LLMUnavailableError` (a clean JSON 502/503/504 on the route, never an HTML 500)
    named by the client's exception classes, without importing the client library. Only the
    exception's type is logged: its message may quote the prompt.
    """
    if isinstance(exc, ShieldError | HTTPException):
        return exc
    names = {cls.__name__ for cls in type(exc).__mro__}
    status = getattr(exc, "status_code", None)
    if "APITimeoutError" in names or isinstance(exc, TimeoutError) or "TimeoutException" in names:
        error = LLMUnavailableError("timeout", code=504)
    elif status == 429 or "RateLimitError" in names:
        error = LLMUnavailableError("rate-limited", code=503)
    elif "APIConnectionError" in names or isinstance(exc, ConnectionError):
        error = LLMUnavailableError("connection", code=502)
    else:
        error = LLMUnavailableError("upstream-error", code=502)
    logger.warning("flask-llm-shield: LLM call failed (%s, %s)", error.reason, type(exc).__name__)
    return error


def _is_openai_client(client: Any) -> bool:
    chat = getattr(client, "chat", None)
    return callable(getattr(getattr(chat, "completions", None), "create", None))


@dataclasses.dataclass(frozen=True, slots=True)
class _CallContext:
    app: Flask
    config: ShieldConfig
    endpoint: str | None
    outgoing_scanner: Scanner
    reply_scanner: Scanner
    mode: Mode
    operator: RedactionOperator


class GuardedLLM:
    """A guarded wrapper around an LLM client or callable. Create it with ``shield.llm``.

    :param client: an ``openai.OpenAI`` client or a callable ``(messages, **kw)``.
    :param defaults: keyword arguments sent with every call (``model=`` and so on).
    """

    def __init__(self, client: Any, **defaults: Any) -> None:
        if _is_openai_client(client) and inspect.iscoroutinefunction(
            inspect.unwrap(client.chat.completions.create)
        ):
            raise TypeError("shield.llm() needs a synchronous client (openai.OpenAI)")
        if not (_is_openai_client(client) or callable(client)):
            raise TypeError(
                "shield.llm() takes an openai.OpenAI-compatible client or a callable "
                f"(messages, **kwargs) -> str | Iterable[str], got {type(client).__name__}"
            )
        self.client = client
        self.defaults = dict(defaults)
        self._is_openai = _is_openai_client(client)

    def __repr__(self) -> str:
        kind = "openai" if self._is_openai else "callable"
        return f"<GuardedLLM {kind} model={self.defaults.get('model')!r}>"

    # -- public --------------------------------------------------------------------

    def complete(self, messages: Sequence[Message], **kwargs: Any) -> str:
        """Send ``messages`` and return the scanned reply text.

        :raises LeakBlockedError: the outgoing messages or the reply held sensitive data
            and the mode is ``block``.
        """
        ctx = self._context()
        outgoing = self._screen_outgoing(ctx, messages)
        params = {**self.defaults, **kwargs}
        start = time.perf_counter()
        model: str | None = params.get("model")
        usage: dict[str, int] | None = None
        try:
            if self._is_openai:
                params.pop("stream", None)
                resp = self.client.chat.completions.create(messages=outgoing, **params)
                text = resp.choices[0].message.content or "" if resp.choices else ""
                model = getattr(resp, "model", None) or model
                usage = _usage_dict(getattr(resp, "usage", None))
            else:
                result = self.client(outgoing, **params)
                text = result if isinstance(result, str) else "".join(result)
        except Exception as exc:
            self._signal(ctx, model, False, start, usage, (), "error")
            raise upstream_error(exc) from exc
        findings = self._scan(ctx, text, model, start, usage) if text else []
        if not findings:
            self._signal(ctx, model, False, start, usage, (), "ok")
            return text
        if ctx.mode == "block":
            self._signal(ctx, model, False, start, usage, findings, "blocked")
            kinds = tuple(sorted({f.kind for f in findings}))
            raise LeakBlockedError(
                f"LLM reply blocked: it contained {', '.join(kinds)}", kinds=kinds
            )
        if ctx.mode == "redact":
            self._signal(ctx, model, False, start, usage, findings, "redacted")
            return ctx.reply_scanner.redact(text, findings, ctx.operator)
        self._signal(ctx, model, False, start, usage, findings, "ok")
        return text

    def stream(self, messages: Sequence[Message], **kwargs: Any) -> GuardedStream:
        """Send ``messages`` and stream the reply through the hold-back window.

        The returned iterator raises :class:`LeakBlockedError` where a blocked reply ends
        (after the safe text before the finding); pass it to ``shield.stream_response`` to
        turn that into a final error event. ``close()`` closes the upstream connection.
        """
        ctx = self._context()
        outgoing = self._screen_outgoing(ctx, messages)
        params = {**self.defaults, **kwargs}
        start = time.perf_counter()
        meta: dict[str, Any] = {"model": params.get("model"), "usage": None}
        if self._is_openai:
            params["stream"] = True
            params.setdefault("stream_options", {"include_usage": True})
            try:
                upstream_obj = self.client.chat.completions.create(messages=outgoing, **params)
            except Exception as exc:
                self._signal(ctx, meta["model"], True, start, None, (), "error")
                raise upstream_error(exc) from exc
            upstream: Iterable[str] = _openai_text(upstream_obj, meta)
        else:
            try:
                result = self.client(outgoing, **params)
            except Exception as exc:
                self._signal(ctx, meta["model"], True, start, None, (), "error")
                raise upstream_error(exc) from exc
            upstream = [result] if isinstance(result, str) else result

        def finished(outcome: str, findings: list[Finding]) -> None:
            self._signal(ctx, meta["model"], True, start, meta["usage"], findings, outcome)

        return GuardedStream(
            upstream,
            scanner=ctx.reply_scanner,
            mode=ctx.mode,
            on_finish=finished,
        )

    # -- internals -----------------------------------------------------------------

    def _context(self) -> _CallContext:
        state = get_state()
        config = state.config
        if self._is_openai:
            check_endpoint(self.client, allow_insecure=config.allow_insecure_llm)
        rstate = request_state()
        options = rstate.options if rstate is not None else None
        reply_scanner = route_scanner(state, options, rstate)
        return _CallContext(
            app=current_app._get_current_object(),  # type: ignore[attr-defined]
            config=config,
            endpoint=request.endpoint if has_request_context() else None,
            # Outgoing text is scanned with the request's scanner too (withheld values must
            # not reach the model either); its prompt-leak findings are ignored there,
            # since the system prompt and canary are meant to be sent.
            outgoing_scanner=reply_scanner,
            # Replies are read as the client will read them: a value behind a literal
            # "\\n" the model wrote, or split by inline markup, is a finding too.
            reply_scanner=cast("Scanner", ViewScanner(reply_scanner)),
            mode=(options.mode if options is not None else None) or config.mode,
            operator=(options.redaction if options is not None else None) or config.redaction,
        )

    def _screen_outgoing(
        self, ctx: _CallContext, messages: Sequence[Message]
    ) -> list[dict[str, Any]]:
        """Copy ``messages``, refusing or redacting PII and secrets per LLM_SHIELD_PROMPT_PII.

        Every string of every message is screened, not only ``content``: an assistant
        turn's ``tool_calls[].function.arguments`` (JSON in a string: its escapes are
        decoded for the scan), a legacy ``function_call``, tool results, multimodal
        content parts (text, image URLs), names. Messages may be mappings or the
        ``openai`` client's own message objects (``model_dump()``). Binary payloads
        (``data:`` URLs of images or audio, base64 audio and files) are not text and are
        passed as they are. Prompt-leak kinds never count here: the system prompt and
        canary are meant to be sent.
        """
        policy = ctx.config.prompt_pii
        out = [_plain_message(message) for message in messages]
        if policy == "off":
            return out
        kinds: set[str] = set()
        scanner = ctx.outgoing_scanner
        for message in out:
            for container, key, text in _message_strings(message):
                try:
                    scanned = with_views(scanner, text)
                except Exception:
                    # Fail closed: a prompt that could not be scanned is not sent.
                    self._scan_failed(ctx)
                    self._signal(ctx, self.defaults.get("model"), False, None, None, (), "error")
                    raise LeakBlockedError(
                        "LLM call refused: the prompt could not be scanned; it was not sent"
                    ) from None
                found = [f for f in scanned if f.category != "prompt_leak"]
                if not found:
                    continue
                kinds.update(f.kind for f in found)
                if policy == "redact":
                    container[key] = scanner.redact(text, found, ctx.operator)
        if kinds and policy == "block":
            ordered = tuple(sorted(kinds))
            self._signal(ctx, self.defaults.get("model"), False, None, None, (), "blocked")
            raise LeakBlockedError(
                f"LLM call refused: the prompt contains {', '.join(ordered)}; it was not sent. "
                "Allow the kind on the route (allow_kinds=) or set LLM_SHIELD_PROMPT_PII",
                kinds=ordered,
            )
        return out

    def _scan(
        self,
        ctx: _CallContext,
        text: str,
        model: str | None,
        start: float,
        usage: dict[str, int] | None,
    ) -> list[Finding]:
        """Scan a reply; fail closed (block, never return it) when the scanner raises."""
        try:
            return ctx.reply_scanner.scan(text)
        except Exception:
            self._scan_failed(ctx)
            self._signal(ctx, model, False, start, usage, (), "error")
            raise LeakBlockedError("LLM reply blocked: it could not be scanned") from None

    @staticmethod
    def _scan_failed(ctx: _CallContext) -> None:
        logger.warning("flask-llm-shield: the scanner failed on an LLM call; blocked")
        scan_failed.send(
            ctx.app, endpoint=ctx.endpoint, mode=ctx.mode, reason="scanner-error", blocked=True
        )

    @staticmethod
    def _signal(
        ctx: _CallContext,
        model: str | None,
        streamed: bool,
        start: float | None,
        usage: dict[str, int] | None,
        findings: Iterable[Finding],
        outcome: str,
    ) -> None:
        latency = 0.0 if start is None else (time.perf_counter() - start) * 1000.0
        llm_call.send(
            ctx.app,
            endpoint=ctx.endpoint,
            model=model,
            streamed=streamed,
            latency_ms=latency,
            usage=usage,
            findings=signal_findings(findings),
            outcome=outcome,
        )


def _plain(value: Any) -> Any:
    """A deep copy of a message value as plain dicts and lists (objects of the ``openai``
    client through ``model_dump``); other values are kept as they are."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        value = dump(exclude_none=True)
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _plain_message(message: Any) -> dict[str, Any]:
    plain = _plain(message)
    if not isinstance(plain, dict):
        raise TypeError("each message must be a mapping (role, content, ...)")
    return plain


# Keys whose strings are protocol, not text: roles, ids, part types.
_STRUCTURAL_KEYS = frozenset({"role", "type", "id", "tool_call_id", "detail", "format"})
# Parts whose payload is binary (base64), not text anyone reads.
_BINARY_PARTS = frozenset({"input_audio", "file", "image_file"})


def _message_strings(message: dict[str, Any]) -> Iterator[tuple[Any, Any, str]]:
    """``(container, key, text)`` for every text string of a message (iterative)."""
    stack: list[tuple[Any, str | None]] = [(message, None)]
    while stack:
        node, parent_key = stack.pop()
        items: Iterable[tuple[Any, Any]]
        if isinstance(node, dict):
            if parent_key in _BINARY_PARTS:
                continue
            items = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        for key, value in items:
            if isinstance(value, str):
                if key in _STRUCTURAL_KEYS or not value:
                    continue
                lowered = value[:16].lower()
                if lowered.startswith("data:") and not lowered.startswith("data:text/"):
                    continue  # an inline image or audio clip
                yield node, key, value
            elif isinstance(value, dict | list):
                stack.append((value, key if isinstance(key, str) else parent_key))


def _usage_dict(usage: Any) -> dict[str, int] | None:
    if usage is None:
        return None
    items: Iterable[tuple[Any, Any]]
    if isinstance(usage, Mapping):
        items = usage.items()
    else:
        items = (
            (k, getattr(usage, k, None))
            for k in ("prompt_tokens", "completion_tokens", "total_tokens")
        )
    result = {k: v for k, v in items if isinstance(v, int)}
    return result or None


def _openai_text(stream: Any, meta: dict[str, Any]) -> Iterator[str]:
    """Text deltas of an openai ``Stream``; closing this generator closes the connection.

    A stream that ends before any choice gave a ``finish_reason`` was cut short (a
    close-delimited HTTP body that a proxy or the model server dropped looks like a normal
    end): it raises, so the guard ends with an error instead of flushing held-back text
    that may be the first half of a value.
    """
    finished = False
    try:
        for chunk in stream:
            model = getattr(chunk, "model", None)
            if model:
                meta["model"] = model
            usage = _usage_dict(getattr(chunk, "usage", None))
            if usage:
                meta["usage"] = usage
            for choice in getattr(chunk, "choices", None) or ():
                if getattr(choice, "finish_reason", None):
                    finished = True
                content = getattr(getattr(choice, "delta", None), "content", None)
                if content:
                    yield cast(str, content)
        if not finished:
            logger.warning("flask-llm-shield: LLM stream ended without a finish_reason")
            raise LLMUnavailableError("truncated", code=502)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def leak_blocked_response(exc: LeakBlockedError) -> Response:
    """Error handler: a :class:`LeakBlockedError` escaping a view becomes a block response.

    Registered by ``init_app`` so ``llm.complete()`` in a view needs no try/except; the
    app can register its own handler for ``LeakBlockedError`` to override it.
    """
    config = get_state().config
    rstate = request_state(create=False)
    options = rstate.options if rstate is not None else None
    status = (options.block_status if options is not None else None) or config.block_status
    body = {
        "error": "response blocked due to potential data leakage",
        "findings": [{"kind": kind} for kind in exc.kinds],
    }
    return current_app.response_class(json.dumps(body), status=status, mimetype="application/json")
