"""Guarded streaming: scan a stream of text chunks before any byte of a finding is sent.

The guard holds back the end of the stream that could still become part of a finding and
sends the rest. By default that is decided from the text itself: the scanner's
:meth:`~flask_llm_shield.detect.Scanner.hold_back` finds where the earliest text starts
that is the beginning of some detector's candidate, of a known value, a canary or a run of
system-prompt words (for prose: the last word or two), holds a complete candidate until
its validator's look-ahead has arrived, and a long format (a PEM block, a JWT) from its
opener on. Everything before can no longer become part of a finding, so a value split
across chunks, even one character per chunk, is seen whole before its first character
leaves, while prose reaches the reader a word behind the model.

Each rescan covers the held-back text, the new text and :data:`CONTEXT` characters of
already-sent context (for the validators' left context): a finding starting earlier was
complete, and decided, at an earlier rescan. Rescans happen every :data:`DEFAULT_STEP`
characters (at least half the held text, so the cost stays linear in the stream). Runs of
invisible characters are cut to a few, so padding cannot stretch a value beyond reach.

``LLM_SHIELD_STREAM_WINDOW`` fixes the hold to that many characters instead: findings
longer than it are still caught, but their beginning may have been sent already.

``block`` ends the stream (SSE: a final ``event: error``), ``redact`` replaces the finding
inside the window and carries on, ``report`` streams unchanged and signals what it saw.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import json
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from flask import Response, current_app, has_app_context, has_request_context, request

from .detect import PseudonymScope, squeeze_invisible
from .errors import LeakBlockedError
from .signals import leak_detected, response_redacted, scan_failed, stream_terminated
from .state import bound_to, get_state, request_state, route_scanner

if TYPE_CHECKING:
    from flask import Flask

    from .config import Mode, RedactionOperator
    from .detect import Finding, Scanner

__all__ = [
    "GuardedStream",
    "StreamMimetype",
    "guard_stream",
    "stream_response",
]

StreamMimetype = Literal["text/event-stream", "text/plain"]

#: Characters of already-sent text rescanned as left context: what validators read
#: before a value (an "ssn" label, a phone word, "AWS" before a secret key).
CONTEXT = 320

#: Characters collected between rescans (at least half of what is held, so that the
#: rescans of a long hold stay linear in the stream). Scanning on every token would cost
#: one scanner call per token; this many characters keep the lag near the last word.
DEFAULT_STEP = 24

#: Sent on a plain-text stream in place of the rest of the reply when it is blocked.
PLAIN_BLOCK_MARKER = "\n[flask-llm-shield: the rest of this reply was withheld]\n"


class _Blocked(Exception):
    """Internal: the stream must end here; ``findings`` are absolute-offset findings."""

    def __init__(self, findings: list[Finding], safe: str = "") -> None:
        super().__init__("finding")
        self.findings = findings
        #: Text before the first finding: it can no longer be part of any finding.
        self.safe = safe


class _ScanError(Exception):
    """Internal: the scanner itself raised; the stream fails closed."""


class StreamScan:
    """The hold-back core, free of Flask: feed text, get back what is safe to emit.

    :param scanner: the scanner to ask (usually the request's derived scanner).
    :param mode: ``block`` raises ``_Blocked`` on a finding, ``redact`` replaces it,
        ``report`` only records it (the caller decides what to emit).
    :param window: characters held back (default: ``scanner.window``).
    :param step: minimum characters collected beyond the window before rescanning; the
        effective step is at least half the window, to keep rescans linear.
    :param refresh: called before each rescan for the current scanner, so values, prompts
        and canaries registered while the stream runs are caught too. Without a fixed
        ``window``, the window then grows with the scanner's (it never shrinks).
    """

    __slots__ = (
        "_buf",
        "_ctx",
        "_fixed_window",
        "_invisible",
        "_offset",
        "_pseudonyms",
        "_refresh",
        "_threshold",
        "findings",
        "mode",
        "operator",
        "scanner",
        "step",
        "window",
    )

    def __init__(
        self,
        scanner: Scanner,
        *,
        mode: Mode,
        window: int | None = None,
        operator: RedactionOperator = "label",
        step: int = DEFAULT_STEP,
        refresh: Callable[[], Scanner] | None = None,
    ) -> None:
        self.scanner = scanner
        self.mode = mode
        self._fixed_window = window is not None
        self._refresh = refresh
        # One scope per stream: ``<EMAIL_1>`` names the same address in every piece.
        self._pseudonyms = PseudonymScope()
        self.window = max(int(window if window is not None else scanner.window), 1)
        # Without a configured window the hold-back adapts to the text: the scanner's
        # ``hold_back`` tells, from the last ``window`` characters, how much of the end
        # may still be part of an unfinished finding (the last word, for prose).
        self.step = max(step, self.window // 2 if self._fixed_window else 0, 1)
        self.operator = operator
        #: Findings decided so far, with offsets into the whole stream text.
        self.findings: list[Finding] = []
        self._ctx = ""  # raw text already emitted, last CONTEXT chars: scan context only
        self._buf = ""  # raw text not emitted yet
        self._offset = 0  # stream offset of ``_buf[0]``
        self._invisible = 0  # length of the run of invisible characters ending ``_buf``
        # The first rescan comes as soon as something may be sent.
        self._threshold = self.window + 1 if self._fixed_window else self.step

    def feed(self, text: str) -> str:
        """Add ``text``; return the text that is now safe to emit (possibly ``""``).

        Runs of invisible characters are cut to a few (see
        :func:`~flask_llm_shield.detect.squeeze_invisible`): the reader sees the same
        text, and a value padded with them cannot stretch beyond the window.
        """
        if self.mode != "report":
            text, self._invisible = squeeze_invisible(text, self._invisible)
        self._buf += text
        if len(self._buf) < self._threshold:
            return ""
        if self._refresh is not None:
            self._refreshed()
        out = self._drain(final=False)
        # Rescans of a long hold (an open PEM block) come less often, so that the work
        # stays linear in the stream.
        self._threshold = len(self._buf) + max(self.step, len(self._buf) // 2)
        return out

    def _refreshed(self) -> None:
        """Pick up the current scanner (and, without a fixed window, its window)."""
        assert self._refresh is not None
        try:
            scanner = self._refresh()
        except Exception as exc:
            raise _ScanError(type(exc).__name__) from exc
        if scanner is self.scanner:
            return
        self.scanner = scanner
        if not self._fixed_window and scanner.window > self.window:
            self.window = scanner.window

    def finish(self) -> str:
        """The stream ended: scan and return everything still held back."""
        if not self._buf:
            return ""
        if self._refresh is not None:
            self._refreshed()
        return self._drain(final=True)

    @property
    def held(self) -> int:
        """Characters currently held back."""
        return len(self._buf)

    def _drain(self, *, final: bool) -> str:
        ctx, buf = self._ctx, self._buf
        text = ctx + buf
        ctx_len = len(ctx)
        if final:
            emit_end = len(text)
        elif self._fixed_window:
            emit_end = len(text) - self.window
        else:
            try:
                emit_end = len(text) - self.scanner.hold_back(text[-self.window :])
            except Exception as exc:
                raise _ScanError(type(exc).__name__) from exc
        try:
            found = [f for f in self.scanner.scan(text) if f.end > ctx_len] if text else []
        except Exception as exc:
            raise _ScanError(type(exc).__name__) from exc
        decided: list[Finding] = []
        if found:
            found.sort(key=lambda f: (f.start, f.end))
            # A decided finding is emitted (redacted) whole, so the emit point moves past
            # its end; a finding overlapping that extension is then decided too.
            for f in found:
                if f.start >= emit_end:
                    break
                decided.append(f)
                emit_end = max(emit_end, f.end)
        if emit_end <= ctx_len:
            return ""
        shift = self._offset - ctx_len
        if decided:
            absolute = [
                dataclasses.replace(f, start=f.start + shift, end=f.end + shift) for f in decided
            ]
            if self.mode == "block":
                first = max(decided[0].start, ctx_len)
                raise _Blocked(absolute, text[ctx_len:first])
            self.findings.extend(absolute)
        segment = text[ctx_len:emit_end]
        if decided and self.mode == "redact":
            local = [
                dataclasses.replace(f, start=max(f.start - ctx_len, 0), end=f.end - ctx_len)
                for f in decided
            ]
            try:
                out = self.scanner.redact(
                    segment, local, self.operator, pseudonyms=self._pseudonyms
                )
            except Exception as exc:
                raise _ScanError(type(exc).__name__) from exc
        else:
            out = segment
        self._ctx = text[max(emit_end - CONTEXT, 0) : emit_end]
        self._buf = text[emit_end:]
        self._offset += emit_end - ctx_len
        return out


def signal_findings(findings: Iterable[Finding]) -> tuple[tuple[str, str | None, str], ...]:
    """Findings as signal payload: ``(kind, path, fingerprint)``, never values."""
    return tuple((f.kind, f.path, f.fingerprint) for f in findings)


@dataclasses.dataclass(frozen=True, slots=True)
class _Policy:
    scanner: Scanner
    mode: Mode
    window: int | None
    operator: RedactionOperator
    step: int
    refresh: Callable[[], Scanner] | None = None


def _resolve_policy(
    scanner: Scanner | None, mode: Mode | None, window: int | None, step: int
) -> _Policy:
    """Route option > app config > built-in default, read once when the stream is made."""
    state = get_state()
    config = state.config
    rstate = request_state()
    options = rstate.options if rstate is not None else None
    refresh: Callable[[], Scanner] | None = None
    if scanner is None:
        scanner = route_scanner(state, options, rstate)
        if rstate is not None:
            # The request state outlives the request context (it lives in the environ),
            # so prompts rendered inside the generator are seen without a context.
            refresh = functools.partial(route_scanner, state, options, rstate)

    return _Policy(
        scanner=scanner,
        mode=mode or (options.mode if options is not None else None) or config.mode,
        window=window if window is not None else config.stream_window,
        operator=(options.redaction if options is not None else None) or config.redaction,
        step=step,
        refresh=refresh,
    )


class GuardedStream(Iterator[str]):
    """An iterator of safe text over an upstream iterator of text (or UTF-8 bytes).

    Raises :class:`~flask_llm_shield.errors.LeakBlockedError` where a blocked stream ends,
    after every safe character before the finding was yielded. ``close()`` closes the
    upstream iterator (a client disconnect therefore reaches the LLM connection).
    Signals go to the app that was current when the stream was created.
    """

    def __init__(
        self,
        upstream: Iterable[str] | Iterable[bytes],
        *,
        scanner: Scanner | None = None,
        mode: Mode | None = None,
        window: int | None = None,
        step: int = DEFAULT_STEP,
        on_finish: Callable[[str, list[Finding]], None] | None = None,
        refresh: Callable[[], Scanner] | None = None,
    ) -> None:
        self._app: Flask | None = None
        self._endpoint: str | None = None
        self._rstate = request_state(create=False)
        if has_app_context():
            self._app = current_app._get_current_object()  # type: ignore[attr-defined]
            self._endpoint = request.endpoint if has_request_context() else None
            policy = _resolve_policy(scanner, mode, window, step)
        elif scanner is not None:
            policy = _Policy(scanner, mode or "block", window, "label", step)
        else:
            raise RuntimeError(
                "guard_stream() needs an app context or an explicit scanner= outside one"
            )
        if refresh is not None:
            policy = dataclasses.replace(policy, refresh=refresh)
        self.policy = policy
        self._upstream = upstream
        self._on_finish = on_finish
        self._gen: Generator[str, None, None] = self._run()
        #: ``"ok"``, ``"redacted"``, ``"blocked"``, ``"error"`` (upstream or scanner
        #: failure) or ``"closed"`` (the consumer stopped early) once the stream ended.
        self.outcome: str | None = None
        self.findings: list[Finding] = []

    @property
    def endpoint(self) -> str | None:
        return self._endpoint

    def __iter__(self) -> GuardedStream:
        return self

    def __next__(self) -> str:
        return next(self._gen)

    def close(self) -> None:
        self._gen.close()

    def _send(self, signal: Any, **kwargs: Any) -> None:
        if self._app is not None:
            with bound_to(self._rstate):
                signal.send(self._app, endpoint=self._endpoint, **kwargs)

    def _finish(self, outcome: str) -> None:
        self.outcome = outcome
        if self._on_finish is not None:
            with bound_to(self._rstate):
                self._on_finish(outcome, self.findings)

    def _run(self) -> Generator[str, None, None]:
        p = self.policy
        core = StreamScan(
            p.scanner,
            mode=p.mode,
            window=p.window,
            operator=p.operator,
            step=p.step,
            refresh=p.refresh,
        )
        passthrough = p.mode == "report"
        decoder: codecs.IncrementalDecoder | None = None
        it: Iterator[str | bytes] = iter(self._upstream)
        try:
            try:
                for chunk in it:
                    if isinstance(chunk, bytes | bytearray):
                        if decoder is None:
                            decoder = codecs.getincrementaldecoder("utf-8")("strict")
                        text = decoder.decode(chunk)
                    else:
                        text = str(chunk)
                    if not text:
                        continue
                    out = core.feed(text)
                    if passthrough:
                        yield text
                    elif out:
                        yield out
                if decoder is not None:
                    decoder.decode(b"", final=True)
                out = core.finish()
            except _Blocked as exc:
                if exc.safe and not passthrough:
                    yield exc.safe
                self.findings = exc.findings
                self._send(stream_terminated, mode="block", findings=signal_findings(exc.findings))
                self._finish("blocked")
                kinds = tuple(sorted({f.kind for f in exc.findings}))
                raise LeakBlockedError(
                    f"stream blocked: the reply contained {', '.join(kinds)}", kinds=kinds
                ) from None
            except UnicodeDecodeError:
                self._send(scan_failed, mode=p.mode, reason="invalid-utf8", blocked=True)
                self._finish("error")
                raise LeakBlockedError("stream blocked: the body is not valid UTF-8") from None
            except _ScanError:
                # Fail closed: the held-back text may be half a secret; never flush it.
                self._send(scan_failed, mode=p.mode, reason="scanner-error", blocked=True)
                self._finish("error")
                raise LeakBlockedError("stream blocked: the reply could not be scanned") from None
            except Exception as exc:
                if isinstance(exc, LeakBlockedError):
                    raise
                # The upstream failed: end here, without flushing the held-back text.
                self._send(scan_failed, mode=p.mode, reason="upstream-error", blocked=True)
                self._finish("error")
                raise
            if passthrough:
                if core.findings:
                    found = signal_findings(core.findings)
                    self._send(leak_detected, mode="report", findings=found)
            elif out:
                yield out
            self.findings = core.findings
            if core.findings and p.mode == "redact":
                found = signal_findings(core.findings)
                self._send(response_redacted, mode="redact", findings=found)
                self._finish("redacted")
            else:
                self._finish("ok")
        finally:
            close = getattr(it, "close", None) or getattr(self._upstream, "close", None)
            if close is not None:
                close()
            if self.outcome is None:
                # The consumer went away (client disconnect) before the stream ended.
                self._finish("closed")


def guard_stream(
    chunks: Iterable[str] | Iterable[bytes],
    *,
    scanner: Scanner | None = None,
    mode: Mode | None = None,
    window: int | None = None,
    step: int = DEFAULT_STEP,
) -> GuardedStream:
    """Wrap an iterator of text chunks so that no part of a finding is ever yielded.

    Mode, window, allowed kinds and the redaction operator come from the current guarded
    route, else the app config (``LLM_SHIELD_MODE``, ``LLM_SHIELD_STREAM_WINDOW``...); the
    scanner is the request's (it knows this request's known values, system prompts and
    canaries). ``window`` overrides ``LLM_SHIELD_STREAM_WINDOW`` and the scanner's window.
    """
    if isinstance(chunks, GuardedStream) and scanner is None and mode is None:
        return chunks
    return GuardedStream(chunks, scanner=scanner, mode=mode, window=window, step=step)


def _sse_data(text: str) -> str:
    # JSON keeps the text byte-exact: raw ``data:`` lines would lose a lone "\r".
    return "data: " + json.dumps({"text": text}, ensure_ascii=False) + "\n\n"


def _sse_error(message: str, kinds: tuple[str, ...]) -> str:
    body = {"error": message, "kinds": list(kinds)}
    return "event: error\ndata: " + json.dumps(body) + "\n\n"


def _framed(
    stream: GuardedStream, mimetype: StreamMimetype, frame: bool
) -> Generator[str, None, None]:
    sse = mimetype == "text/event-stream"
    try:
        for piece in stream:
            yield _sse_data(piece) if sse and frame else piece
    except LeakBlockedError as exc:
        if sse:
            # Unframed SSE may have stopped mid-event: a blank line closes it first.
            yield ("" if frame else "\n\n") + _sse_error(
                "response blocked by flask-llm-shield", exc.kinds
            )
        else:
            yield PLAIN_BLOCK_MARKER
    except Exception:
        # The upstream or the scanner failed: end with an error, never with held text.
        if sse:
            yield ("" if frame else "\n\n") + _sse_error(
                "stream ended by flask-llm-shield after an error", ()
            )
        else:
            yield PLAIN_BLOCK_MARKER
    finally:
        stream.close()


class GuardedStreamBody(Iterator[str]):
    """The body iterable of a :func:`stream_response`; the after_request hook knows it."""

    def __init__(
        self, stream: GuardedStream, mimetype: StreamMimetype, frame: bool = True
    ) -> None:
        self.stream = stream
        self._gen: Generator[str, None, None] = _framed(stream, mimetype, frame)

    def __iter__(self) -> GuardedStreamBody:
        return self

    def __next__(self) -> str:
        return next(self._gen)

    def close(self) -> None:
        self._gen.close()


def stream_response(
    chunks: Iterable[str] | Iterable[bytes],
    mimetype: StreamMimetype = "text/event-stream",
    *,
    mode: Mode | None = None,
    window: int | None = None,
    status: int = 200,
) -> Response:
    """A streamed :class:`~flask.Response` of model text, scanned before it is sent.

    ``text/event-stream`` frames each safe piece as ``data: {"text": "..."}`` and ends a
    blocked stream with ``event: error`` (``data: {"error": ..., "kinds": [...]}``);
    ``text/plain`` sends the text itself and ends a blocked stream with a fixed marker line.
    Call it inside a request; wrap ``chunks`` in ``stream_with_context`` if producing them
    needs the request context.
    """
    if mimetype not in ("text/event-stream", "text/plain"):
        raise ValueError("stream_response mimetype must be 'text/event-stream' or 'text/plain'")
    stream = guard_stream(chunks, mode=mode, window=window)
    body = GuardedStreamBody(stream, mimetype)
    response = current_app.response_class(body, status=status, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-cache"
    # Reverse proxies that buffer would undo the point of streaming.
    response.headers["X-Accel-Buffering"] = "no"
    return response


def wrap_streamed_response(
    response: Response,
    *,
    scanner: Scanner,
    mode: Mode,
    refresh: Callable[[], Scanner] | None = None,
) -> bool:
    """Route a streamed response's own body through the hold-back window, in place.

    Used by the after_request hook for guarded views that return
    ``Response(generator)`` themselves. The body is scanned as the text it is (SSE framing
    included): a value split across two ``data:`` events is only caught by
    :func:`stream_response`, which sees the model text before it is framed. Returns
    ``False`` for a body that cannot be wrapped (the hook then fails closed).

    Such a generator usually does its work lazily, after the hook ran: it reads through
    the scoped accessor or renders a prompt while it streams. *refresh* returns the
    request's scanner as it is then (with the values, prompts and canaries registered so
    far), and is asked before every rescan.
    """
    if isinstance(response.response, GuardedStreamBody):
        return True  # made by stream_response: already guarded
    if response.headers.get("Content-Encoding", "identity") not in ("identity", ""):
        return False
    charset = response.mimetype_params.get("charset", "utf-8").lower().replace("_", "-")
    if charset not in ("utf-8", "utf8", "us-ascii", "ascii"):
        return False
    sse = response.mimetype == "text/event-stream"
    stream = GuardedStream(response.response, scanner=scanner, mode=mode, refresh=refresh)
    response.response = GuardedStreamBody(
        stream, "text/event-stream" if sse else "text/plain", frame=False
    )
    # The body changes length and content; the str pieces need Werkzeug's encoding.
    response.direct_passthrough = False
    for header in ("Content-Length", "ETag", "Content-MD5"):
        response.headers.pop(header, None)
    return True
