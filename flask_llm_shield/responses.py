"""The ``after_request`` hook: scan response bodies, then block, redact or report.

The hook never raises (Flask would turn that into a bare 500): every failure becomes a
replacement response or, on unguarded routes in report mode, a ``scan-failed`` signal.
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import re2
from flask import Response, current_app, request

from . import signals
from .detect import Finding, Scanner
from .state import ENVIRON_KEY, RequestShieldState, ShieldState, get_state, route_scanner
from .streaming import wrap_streamed_response

if TYPE_CHECKING:
    from .options import RouteOptions

logger = logging.getLogger("flask_llm_shield")

BLOCK_MESSAGE = "response blocked due to potential data leakage"
SCAN_FAILED_MESSAGE = "response blocked because it could not be scanned for data leakage"

# Media types whose bodies are text an LLM may have written.
_TEXT_TYPES = frozenset(
    {
        "application/xml",
        "application/javascript",
        "application/x-ndjson",
        "application/x-www-form-urlencoded",
        "application/graphql-response+json",
    }
)


class ScanFailed(Exception):
    """A body that cannot be scanned; ``reason`` is a short fixed code (no values)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Decision:
    """How the current response is treated (built per response: not frozen, as frozen
    dataclasses pay for ``object.__setattr__`` on every field)."""

    guarded: bool
    mode: str  # "off" | "report" | "redact" | "block"
    block_status: int
    redaction: str
    endpoint: str | None


def finding_tuples(findings: Sequence[Finding]) -> tuple[tuple[str, str | None, str], ...]:
    """The signal payload form of findings: ``(kind, path, fingerprint)``, never values."""
    return tuple((f.kind, f.path, f.fingerprint) for f in findings)


def finding_summary(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """The public, value-free description of findings used in error bodies."""
    seen: dict[tuple[str, str | None], None] = {}
    for f in findings:
        seen.setdefault((f.kind, f.path), None)
    out: list[dict[str, Any]] = []
    for kind, path in seen:
        item: dict[str, Any] = {"kind": kind}
        if path is not None:
            item["path"] = path
        out.append(item)
    return out


def _app() -> Any:
    return current_app._get_current_object()  # type: ignore[attr-defined]


def block_response(decision: Decision, findings: Sequence[Finding]) -> Response:
    body = {"error": BLOCK_MESSAGE, "findings": finding_summary(findings)}
    response = current_app.response_class(
        json.dumps(body), status=decision.block_status, mimetype="application/json"
    )
    return response


def scan_failed_response(decision: Decision, reason: str) -> Response:
    body = {"error": SCAN_FAILED_MESSAGE, "reason": reason}
    return current_app.response_class(
        json.dumps(body), status=decision.block_status, mimetype="application/json"
    )


def _finite(response: Response) -> bool:
    """A streamed body whose size is declared (an HTTP error page that Flask ran as a WSGI
    app, say) can be buffered safely; an open-ended generator cannot."""
    return not response.direct_passthrough and "Content-Length" in response.headers


def scan_body(scanner: Scanner, text: str, is_json: bool) -> tuple[list[Finding], Any, bool]:
    """Scan a body. Returns ``(findings, parsed_json_or_None, parsed)``.

    JSON is scanned as serialised text first (cheap). Escapes could hide a value from
    that scan (``\\n123-45-6789``, ``\\u2011``), so a body with escapes is scanned again
    with them decoded in place (at C speed, see :func:`_unescaped`). It is parsed only
    when a finding needs JSON pointers, when its escapes cannot be decoded that way, or to
    check that a body with ``\\u`` escapes is JSON at all.
    """
    findings = scanner.scan(text)
    if not is_json or (not findings and "\\" not in text):
        return findings, None, False
    decoded = None if findings else _unescaped(text)
    if decoded is not None and not decoded[1] and _clean(scanner, decoded[0]):
        return findings, None, False
    try:
        data = json.loads(text)
    except RecursionError:
        raise ScanFailed("too-deep") from None
    except ValueError:
        # Labelled JSON but not JSON: the text scan is complete only without escapes.
        if "\\u" in text and not findings:
            raise ScanFailed("invalid-json") from None
        return findings, None, False
    if decoded is not None and _clean(scanner, decoded[0]):
        return findings, data, True
    json_findings = scanner.scan_json(data)
    if json_findings:
        return json_findings, data, True
    # Something the text scan saw across JSON tokens: keep it (fail closed).
    return findings, data, True


# Escapes other than JSON's \\" \\\\ \\b \\f \\n \\r \\t \\uXXXX (\\/, or anything invalid) take
# the parsing path.
_NOT_SIMPLE_ESCAPE = re2.compile(rb'\\[^"\\\\bfnrtu]|\\$')
_UNICODE_ESCAPE = re2.compile(rb"\\u")


def _unescaped(text: str) -> tuple[str, bool] | None:
    """*text* with its JSON string escapes decoded in place, and whether it had ``\\u``.

    Most LLM replies hold ``\\n`` and ``\\"`` escapes, behind which a value can hide
    from the scan of the serialised text (``\\n123-45-6789`` has no word boundary,
    ``password = \\"hunter2xyz\\"`` is not an assignment the validators accept), and
    non-English replies serialised with ``ensure_ascii`` are full of ``\\uXXXX``. Decoded
    in place, the document reads as :meth:`Scanner.scan_json` reads its strings, without
    building the objects. ``None`` when the escapes cannot be decoded exactly this way.
    """
    raw = text.encode("utf-8", "surrogatepass")
    if not _simple_escapes(raw):
        return None
    try:
        if _UNICODE_ESCAPE.search(raw) is None:
            # escape_decode decodes \\" \\\\ \\b \\f \\n \\r \\t exactly as JSON does, keeps
            # UTF-8 bytes as they are, and _simple_escapes ruled out every escape on
            # which the two languages differ (or on which the codec would warn).
            return codecs.escape_decode(raw)[0].decode("utf-8"), False
        if not text.isascii():
            return None  # unicode_escape reads bytes as Latin-1
        decoded = raw.decode("unicode_escape")
        # JSON writes astral characters as surrogate pairs; join them (a lone
        # surrogate fails here, and the body is parsed instead).
        return decoded.encode("utf-16", "surrogatepass").decode("utf-16"), True
    except (ValueError, UnicodeError):
        return None


def _simple_escapes(raw: bytes) -> bool:
    """Whether every escape in *raw* is one of JSON's but ``\\/`` (see _NOT_SIMPLE_ESCAPE)."""
    pos = 0
    while (hit := _NOT_SIMPLE_ESCAPE.search(raw, pos)) is not None:
        # The hit is an escape only if the backslash is not itself escaped (``\\\\/``
        # is a backslash and a "/"); each run of backslashes is looked at once.
        start = first = hit.start()
        while first > 0 and raw[first - 1] == 0x5C:
            first -= 1
        if (start - first) % 2 == 0:
            return False
        pos = start + 1
    return True


def _clean_ascii_json(scanner: Scanner, data: bytes) -> bool:
    """What :func:`scan_body` concludes for ASCII JSON *data* when it finds nothing, on
    the bytes alone: ``True`` only when both the serialised text and the text with its
    escapes decoded (no ``\\u`` among them) certainly hold no finding."""
    if not scanner.is_clean_ascii(data) or not _simple_escapes(data):
        return False
    if _UNICODE_ESCAPE.search(data) is not None:
        return False
    try:
        decoded = codecs.escape_decode(data)[0]  # ASCII in, ASCII out (no \\x, no octal)
    except ValueError:
        return False
    return decoded.isascii() and scanner.is_clean_ascii(decoded)


def _clean(scanner: Scanner, decoded: str) -> bool:
    """Whether the decoded body has no finding (a failure to scan it is not clean)."""
    try:
        return not scanner.scan(decoded)
    except Exception:  # the parsing path decides, and fails closed if it must
        return False


def _emit(signal: Any, decision: Decision, findings: Sequence[Finding], **extra: Any) -> None:
    signal.send(
        _app(),
        endpoint=decision.endpoint,
        mode=decision.mode,
        findings=finding_tuples(findings),
        **extra,
    )


def _fail(decision: Decision, response: Response, reason: str) -> Response:
    blocked = decision.guarded or decision.mode in ("block", "redact")
    logger.warning(
        "flask-llm-shield could not scan the response of %s (%s)%s",
        decision.endpoint,
        reason,
        "; blocked" if blocked else "",
    )
    signals.scan_failed.send(
        _app(), endpoint=decision.endpoint, mode=decision.mode, reason=reason, blocked=blocked
    )
    if blocked:
        return scan_failed_response(decision, reason)
    return response


def _apply(
    decision: Decision,
    response: Response,
    scanner: Scanner,
    findings: list[Finding],
    data: Any,
    parsed: bool,
    text: str,
) -> Response:
    kinds = sorted({f.kind for f in findings})
    if decision.mode == "report":
        logger.warning("flask-llm-shield: leak reported on %s: %s", decision.endpoint, kinds)
        _emit(signals.leak_detected, decision, findings)
        return response
    if decision.mode == "redact":
        if parsed and all(f.path is not None for f in findings):
            redacted = scanner.redact_json(data, findings, decision.redaction)
            new_text = current_app.json.dumps(redacted)
            if text.endswith("\n"):
                new_text += "\n"
        else:
            new_text = scanner.redact(text, findings, decision.redaction)
            if response.is_json and parsed:
                try:
                    json.loads(new_text)
                except ValueError:
                    # Redacting the raw text broke the document: refuse it instead.
                    return _block(decision, findings)
        response.set_data(new_text.encode(response.mimetype_params.get("charset", "utf-8")))
        for header in ("ETag", "Content-MD5"):
            response.headers.pop(header, None)
        logger.info("flask-llm-shield: redacted %s on %s", kinds, decision.endpoint)
        _emit(signals.response_redacted, decision, findings)
        return response
    return _block(decision, findings)


def _block(decision: Decision, findings: Sequence[Finding]) -> Response:
    logger.warning(
        "flask-llm-shield: blocked the response of %s: %s",
        decision.endpoint,
        sorted({f.kind for f in findings}),
    )
    blocked = block_response(decision, findings)
    _emit(signals.response_blocked, decision, findings, status=decision.block_status)
    return blocked


def scan_response(response: Response) -> Response:
    """``after_request`` hook registered by :meth:`LLMShield.init_app`.

    This runs on every response of the app, so the clean path touches as few request
    proxies and header parsers as it can.
    """
    try:
        req = request._get_current_object()  # type: ignore[attr-defined]
        rstate: RequestShieldState | None = req.environ.get(ENVIRON_KEY)
        if rstate is not None and rstate.generated:
            return response
        state = get_state()
        options = rstate.options if rstate is not None else None
        config = state.config
        endpoint = req.endpoint
        if options is None:
            if config.response_scan == "off" or (
                endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))
            ):
                return response
            decision = Decision(
                False, config.response_scan, config.block_status, config.redaction, endpoint
            )
        else:
            decision = Decision(
                True,
                options.mode or config.mode,
                options.block_status or config.block_status,
                options.redaction or config.redaction,
                endpoint,
            )
    except Exception:  # pragma: no cover - the extension is registered by init_app
        logger.exception("flask-llm-shield: internal error before scanning")
        return response
    try:
        return _scan(state, rstate, options, decision, response, req.method)
    except Exception as exc:  # fail closed, whatever went wrong
        logger.error(
            "flask-llm-shield: scanner error on %s (%s)", decision.endpoint, type(exc).__name__
        )
        return _fail(decision, response, "scanner-error")


def _lazy_scanner(
    state: ShieldState, options: RouteOptions | None, environ: dict[str, Any]
) -> Callable[[], Scanner]:
    """The request's scanner as it will be when a lazy stream body runs: the generator
    of a ``Response(stream_with_context(gen()))`` reads through the scoped accessor or
    renders a prompt after this hook, registering values, prompts and canaries in the
    request state (created then, if the view did not)."""

    def current() -> Scanner:
        return route_scanner(state, options, environ.get(ENVIRON_KEY))

    return current


def _headers(response: Response) -> tuple[str, bool, bool, str, bool]:
    """``(mimetype, is_text, is_json, charset, encoded)`` from one pass over the headers.

    Werkzeug's ``Headers.get`` raises and catches an exception for every missing key;
    on the clean path of every response one loop over a handful of headers is cheaper.
    """
    ctype = ""
    encoded = False
    for key, value in response.headers:  # (key, value) pairs, without items()' generator
        lowered = key.lower()
        if lowered == "content-type":
            ctype = value
        elif lowered == "content-encoding":
            encoded = value.strip().lower() not in ("", "identity")
    if ctype == "application/json":  # what jsonify() sets
        return ctype, True, True, "utf-8", encoded
    mimetype, _, params = ctype.partition(";")
    mimetype = mimetype.strip().lower()
    is_json = mimetype == "application/json" or mimetype.endswith("+json")
    is_text = (
        is_json
        or mimetype.startswith("text/")
        or mimetype.endswith("+xml")
        or mimetype in _TEXT_TYPES
    )
    charset = "utf-8"
    if params:
        charset = response.mimetype_params.get("charset", "utf-8")
    return mimetype, is_text, is_json, charset, encoded


# Charsets in which ASCII bytes decode to the same text: the bytes are what is scanned.
_ASCII_CHARSETS = frozenset({"utf-8", "utf8", "UTF-8", "ascii", "us-ascii"})


def _body(response: Response, max_bytes: int) -> bytes:
    body = response.response
    if type(body) is list and len(body) == 1 and type(body[0]) is bytes:
        data: bytes = body[0]  # what Response(str | bytes) and jsonify() produce
    else:
        length = response.calculate_content_length()
        if length is not None and length > max_bytes:
            raise ScanFailed("too-large")
        data = response.get_data()
    if len(data) > max_bytes:
        raise ScanFailed("too-large")
    return data


def _scan(
    state: ShieldState,
    rstate: RequestShieldState | None,
    options: RouteOptions | None,
    decision: Decision,
    response: Response,
    method: str,
) -> Response:
    if method == "HEAD" or response.status_code in (204, 304):
        return response
    _mimetype, is_text, is_json, charset, encoded = _headers(response)
    if (response.is_streamed or response.direct_passthrough) and not _finite(response):
        if not decision.guarded and not is_text:
            return response
        # Text streams go through the hold-back window (streaming.py); anything else
        # on a guarded route stays refused.
        if is_text:
            mode: Any = decision.mode
            scanner = route_scanner(state, options, rstate)
            refresh = _lazy_scanner(state, options, request.environ)
            if wrap_streamed_response(response, scanner=scanner, mode=mode, refresh=refresh):
                return response
        return _fail(decision, response, "stream-not-scannable")
    if not is_text:
        if decision.guarded and response.calculate_content_length() != 0:
            return _fail(decision, response, "unsupported-content-type")
        return response
    try:
        if encoded:
            raise ScanFailed("encoded-body")
        data = _body(response, state.config.max_scan_bytes)
        scanner = route_scanner(state, options, rstate)
        if charset in _ASCII_CHARSETS and data.isascii() and not (is_json and b"\\u" in data):
            # Most clean bodies: checked on their bytes, never decoded (JSON with escapes
            # twice: as serialised and with the escapes decoded, see scan_body). JSON with
            # \uXXXX escapes (non-English text under ensure_ascii) goes to scan_body
            # directly: the byte check could not clear it and would only add a pass.
            if (
                scanner.is_clean_ascii(data)
                if not is_json or b"\\" not in data
                else _clean_ascii_json(scanner, data)
            ):
                return response
        try:
            text = data.decode(charset)
        except LookupError:
            raise ScanFailed("unknown-charset") from None
        except UnicodeDecodeError:
            raise ScanFailed("invalid-encoding") from None
        findings, parsed_data, parsed = scan_body(scanner, text, is_json)
    except ScanFailed as failure:
        return _fail(decision, response, failure.reason)
    if not findings:
        return response
    result = _apply(decision, response, scanner, findings, parsed_data, parsed, text)
    if result is not response and rstate is not None:
        rstate.generated = True
    return result
