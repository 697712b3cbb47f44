"""The final-response scan: bodies and headers, then block, redact or report.

:func:`install_final_scan` makes :func:`scan_response` the last step of the app's
``process_response``, which Flask calls for every response it finalises: a view's, a
``before_request`` hook's short-circuit, an error handler's, an unhandled error's 500. It
runs after every ``after_request`` and ``after_this_request`` function, whatever order
they were registered in (before or after ``init_app``, by the app or another extension),
and after the session is saved, so the scan sees the headers and body the client gets.
Whether a route is guarded is resolved from the URL map, not from the view having run.

The scan never raises (Flask would turn that into a bare 500): every failure becomes a
replacement response or, on unguarded routes in report mode, a ``scan-failed`` signal.
"""

from __future__ import annotations

import base64
import codecs
import dataclasses
import json
import logging
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import re2
from flask import Flask, Response, current_app, request

from . import signals
from .detect import Finding, Scanner
from .detect.views import (
    MAX_ESCAPE_LEVELS,
    ViewScanner,
    has_markup,
    has_markup_bytes,
    with_views,
)
from .guard import route_options
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

    The text is scanned as it is first (cheap). Escapes and markup could hide a value
    from that scan (``\\n123-45-6789``, ``536<span></span>-22-1234``), so a body with
    either is also scanned through its derived views (:mod:`~.detect.views`: JSON escapes
    decoded, twice at most, then markup stripped), whatever its media type: SSE streams,
    NDJSON and HTML carry JSON too. JSON is parsed only when a finding needs JSON
    pointers, when its escapes cannot be decoded in place, or to check that a body with
    ``\\u`` escapes is JSON at all.

    A large JSON body with a finding near its start (an export of customer records, say)
    is parsed first: its findings are those of its strings, with their JSON pointers, and
    the text is scanned whole only when the strings hold none (see :func:`_parsed_first`).
    """
    escaped = "\\" in text
    markup = has_markup(text)
    if (
        is_json
        and len(text) >= _PARSE_FIRST_MIN
        and scanner.has_findings(text[:_PARSE_FIRST_HINT])
    ):
        early = _parsed_first(scanner, text, escaped, markup)
        if early is not None:
            return early
    if is_json and not markup and "\\u" in text and _decoded_only_clean(scanner, text):
        return [], None, False
    findings = scanner.scan(text)
    if is_json and findings and escaped and not markup and _escapes_only(scanner, text):
        return [], None, False
    if not is_json or (not findings and not escaped):
        if escaped or markup:
            findings = with_views(scanner, text, findings)
        return findings, None, False
    decoded = None if findings else _unescaped(text)
    # Markup, or JSON nested in a string, is seen only through the views: scan_json
    # reads each string decoded once, as it is.
    more_views = markup or (
        (decoded is None and escaped)
        or (decoded is not None and ("\\" in decoded[0] or has_markup(decoded[0])))
    )
    if decoded is not None and not decoded[1] and not more_views and _clean(scanner, decoded[0]):
        return findings, None, False
    try:
        data = json.loads(text)
    except RecursionError:
        raise ScanFailed("too-deep") from None
    except ValueError:
        # Labelled JSON but not JSON: scanned as text, through its views.
        findings = with_views(scanner, text, findings)
        if "\\u" in text and not findings:
            raise ScanFailed("invalid-json") from None
        return findings, None, False
    if decoded is not None and _clean(scanner, decoded[0]):
        json_findings: list[Finding] = []
    else:
        json_findings = scanner.scan_json(data)
    # Something the text scan saw across JSON tokens: keep it (fail closed).
    result = json_findings or findings
    if more_views:
        result = with_views(scanner, text, result)
    return result, data, True


#: A JSON body at least this long whose first characters hold a finding is parsed first.
_PARSE_FIRST_MIN = 8192
_PARSE_FIRST_HINT = 1024


def _parsed_first(
    scanner: Scanner, text: str, escaped: bool, markup: bool
) -> tuple[list[Finding], Any, bool] | None:
    """:func:`scan_body`'s answer for a JSON body whose start holds a finding, when its
    parsed strings hold one too; ``None`` to take the usual path.

    The usual path scans the text whole and then, having found something, the parsed
    strings for their JSON pointers: the findings it returns are the strings' whenever
    there are any. Here the strings come first, and the text is scanned only when they
    hold nothing (a value across JSON tokens, or a start that only looked like a value:
    the usual path then decides), so a body dense with values costs one scan, not two.
    """
    if escaped and not markup and _escapes_only(scanner, text):
        return [], None, False
    try:
        data = json.loads(text)
    except RecursionError:
        raise ScanFailed("too-deep") from None
    except ValueError:
        return None
    found = scanner.scan_json(data)
    if not found:
        return None
    # As the usual path after a finding: escapes and markup are read through the views.
    if markup or escaped:
        found = with_views(scanner, text, found)
    return found, data, True


def _decoded_only_clean(scanner: Scanner, text: str) -> bool:
    """Whether JSON *text* with ``\\uXXXX`` escapes (any reply in another language, as
    ``jsonify`` serves it under ``ensure_ascii``) is clean as every JSON client reads it:
    decoded in place in one level, no markup, nothing found, and a JSON document at all.

    The usual path scans the serialised text too, which means decoding each of its
    thousands of escapes on the way (about half the cost of such a body); what that scan
    alone could find is an artifact of the escapes, as for :func:`_escapes_only`.
    """
    decoded = _unescaped(text)
    if decoded is None or "\\" in decoded[0] or has_markup(decoded[0]):
        return False
    return _clean(scanner, decoded[0]) and _parses(text)


def _escapes_only(scanner: Scanner, text: str) -> bool:
    """Whether what the scan of JSON *text* found came from its escapes alone: the text
    with its escapes decoded in place (no ``\\u``, no escape left, no markup: one level)
    holds nothing.

    A JSON document's escapes are its serialisation, not its content: ``\\r`` before
    ``k_live_...`` reads as a restricted Stripe key in the serialised text, but the
    string holds a carriage return and ``k_live_...``; ``os.getenv(\\"X\\")`` reads as an
    assigned password where the code says ``os.getenv("X")``. Over the 12,283 texts of the
    test corpora serialised with ``json.dumps``, 14 held such a finding that their decoded
    text did not, each of them of this kind. The decoded text is what every JSON client
    reads, and the views of the other paths (nested JSON, markup, ``\\u``) still apply.
    """
    decoded = _unescaped(text)
    if decoded is None or decoded[1] or "\\" in decoded[0] or has_markup(decoded[0]):
        return False
    # Text labelled JSON that does not parse is shown as it is sent: its escapes are
    # content there ("D:\\backup\\rk_live_..." in a mislabelled error message).
    return _clean(scanner, decoded[0]) and _parses(text)


def _parses(text: str | bytes) -> bool:
    """Whether *text* is a JSON document (what a JSON client can decode at all)."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


# Escapes other than JSON's \\" \\\\ \\b \\f \\n \\r \\t \\uXXXX (\\/, or anything invalid) take
# the parsing path.
_NOT_SIMPLE_ESCAPE = re2.compile(rb'\\[^"\\\\bfnrtu]|\\$')
# The same without \\u: escapes the byte check decodes with escape_decode.
_NOT_BYTE_ESCAPE = re2.compile(rb'\\[^"\\\\bfnrt]|\\$')
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


def _simple_escapes(raw: bytes, pattern: Any = _NOT_SIMPLE_ESCAPE) -> bool:
    """Whether every escape in *raw* is one of JSON's but ``\\/`` (see _NOT_SIMPLE_ESCAPE),
    or one *pattern* does not find."""
    pos = 0
    while (hit := pattern.search(raw, pos)) is not None:
        # The hit is an escape only if the backslash is not itself escaped (``\\\\/``
        # is a backslash and a "/"); each run of backslashes is looked at once.
        start = first = hit.start()
        while first > 0 and raw[first - 1] == 0x5C:
            first -= 1
        if (start - first) % 2 == 0:
            return False
        pos = start + 1
    return True


def _clean_ascii_escaped(scanner: Scanner, data: bytes, is_json: bool = False) -> bool:
    """What :func:`scan_body` concludes for ASCII text *data* with backslashes when it
    finds nothing, on the bytes alone: ``True`` only when the text as sent and the text
    with its JSON escapes decoded (no ``\\u`` among them; twice, for JSON in a JSON
    string) certainly hold no finding. Markup in *data* is the caller's check; markup
    that appears once escapes are decoded sends the text to :func:`scan_body`.

    A JSON document whose escapes decode in one level is judged on its decoded text
    alone, as :func:`scan_body` judges it (see :func:`_escapes_only`): one pass, not two.
    """
    for level in range(MAX_ESCAPE_LEVELS):
        # One pass over the escapes first (it is cheaper than the scan): \\u, \\/ or
        # anything else than \\" \\\\ \\b \\f \\n \\r \\t takes scan_body.
        if not _simple_escapes(data, _NOT_BYTE_ESCAPE):
            return False
        try:
            decoded = codecs.escape_decode(data)[0]  # ASCII in, ASCII out (no \\x, no octal)
        except ValueError:
            return False
        if not decoded.isascii():
            return False
        # Markup its escapes completed ("<span\\t>" is a tag once "\\t" is a tab, and a
        # browser joins the text around it): scan_body reads that through its views.
        if has_markup_bytes(decoded):
            return False
        if is_json and level == 0 and b"\\" not in decoded:
            # Judged on the decoded text alone, as scan_body judges it, but only if the
            # body is JSON: a client shows text labelled JSON that does not parse as it
            # is sent ("D:\\backup\\rk_live_..."). Parsing costs about twice a scan of
            # the raw bytes (0.3 ms per 100 KB of LLM-style JSON), so the raw bytes are
            # scanned first and the body is parsed only when they alone hold a candidate.
            if not scanner.is_clean_ascii(decoded):
                return False
            return scanner.is_clean_ascii(data) or _parses(data)
        if not scanner.is_clean_ascii(data):
            return False
        data = decoded
        if b"\\" not in data:
            break
    else:
        return False  # escapes left after the last level: let scan_body decide
    return scanner.is_clean_ascii(data)


#: The name the property test of the byte shortcut uses.
def _clean_ascii_json(scanner: Scanner, data: bytes) -> bool:
    return _clean_ascii_escaped(scanner, data, is_json=True)


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
    """Block (or, unguarded in report mode, pass) a response that could not be scanned."""
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
        return _carry_safe_headers(response, scan_failed_response(decision, reason))
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
                    return _block(decision, findings, response)
        response.set_data(new_text.encode(response.mimetype_params.get("charset", "utf-8")))
        for header in ("ETag", "Content-MD5"):
            response.headers.pop(header, None)
        logger.info("flask-llm-shield: redacted %s on %s", kinds, decision.endpoint)
        _emit(signals.response_redacted, decision, findings)
        return response
    return _block(decision, findings, response)


def _block(decision: Decision, findings: Sequence[Finding], original: Response) -> Response:
    logger.warning(
        "flask-llm-shield: blocked the response of %s: %s",
        decision.endpoint,
        sorted({f.kind for f in findings}),
    )
    blocked = _carry_safe_headers(original, block_response(decision, findings))
    _emit(signals.response_blocked, decision, findings, status=decision.block_status)
    return blocked


# Headers a block response keeps from the response it replaces, each only in a shape that
# cannot carry data: CORS (without it a browser client cannot read the block error at all)
# and security policies set by other extensions. Everything else is dropped: Set-Cookie
# (the session may hold the reply), Location, ETag, custom headers.
_SAFE_HEADER_SHAPES: dict[str, re2._Regexp[str]] = {
    "access-control-allow-credentials": re2.compile(r"true"),
    "access-control-expose-headers": re2.compile(r"[A-Za-z-]{1,40}(?:,\s*[A-Za-z-]{1,40}){0,15}"),
    "vary": re2.compile(r"\*|[A-Za-z-]{1,40}(?:,\s*[A-Za-z-]{1,40}){0,15}"),
    "x-content-type-options": re2.compile(r"nosniff"),
    "x-frame-options": re2.compile(r"(?i:deny|sameorigin)"),
    "strict-transport-security": re2.compile(
        r"max-age=[0-9]{1,10}(?:;\s*includeSubDomains)?(?:;\s*preload)?"
    ),
    "referrer-policy": re2.compile(r"[a-z-]{1,40}(?:,\s*[a-z-]{1,40}){0,3}"),
}


def _carry_safe_headers(original: Response, replacement: Response) -> Response:
    """*replacement* with the allow-listed headers of *original* (see above).

    ``Access-Control-Allow-Origin`` is kept only as ``*`` or as the request's own
    ``Origin`` (what CORS extensions echo): a view cannot smuggle a value through it.
    """
    origin = request.headers.get("Origin")
    for key, value in original.headers:
        lowered = key.lower()
        if lowered == "access-control-allow-origin":
            keep = value == "*" or (origin is not None and value == origin)
        else:
            shape = _SAFE_HEADER_SHAPES.get(lowered)
            keep = shape is not None and shape.fullmatch(value) is not None
        if keep:
            replacement.headers.add(key, value)
    replacement.headers["Cache-Control"] = "no-store"
    replacement.headers.setdefault("X-Content-Type-Options", "nosniff")
    return replacement


def install_final_scan(app: Flask) -> None:
    """Run :func:`scan_response` on what ``app.process_response`` returns.

    Why here and not in an ``after_request`` hook: hooks run in reverse registration
    order, so one registered before ``init_app`` would run after the scan (and could
    append to the body), and the session cookie is written after all of them. Why not a
    WSGI middleware around ``app.wsgi_app``: by then the request context is gone, so the
    request's withheld values, the route options and the response object would have to
    be rebuilt for every response (a cost on every clean request), and Flask's own
    response handling is already finished here: ``process_response`` is the last code
    that touches the response before it is sent. The instance attribute wraps whatever
    ``process_response`` the app's class defines.
    """
    original = app.process_response

    def process_response(response: Response) -> Response:
        try:
            processed = original(response)
        except Exception:
            # An app's hook failed; Flask turns that into a 500 and finalises again. What
            # the view produced must not slip out on the way: if it leaks, the block wins.
            scanned = scan_response(response)
            if scanned is not response:
                logger.error(
                    "flask-llm-shield: an after_request hook failed on %s; the response "
                    "was blocked",
                    request.endpoint,
                )
                return scanned
            raise
        return scan_response(processed)

    app.process_response = process_response  # type: ignore[method-assign]


def scan_response(response: Response) -> Response:
    """Scan the final response of the current request (see :func:`install_final_scan`).

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
        if options is None:
            # The view (and the guard's before_request hook) may not have run: a hook
            # registered earlier answered, or an error handler did.
            options = route_options(req)
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
        body = json.dumps({"error": SCAN_FAILED_MESSAGE, "reason": "internal-error"})
        return Response(body, status=500, mimetype="application/json")
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

    last: list[Scanner] = []  # [base, its view scanner]: the same object while unchanged

    def current() -> Scanner:
        base = route_scanner(state, options, environ.get(ENVIRON_KEY))
        if not last or last[0] is not base:
            last[:] = [base, cast("Scanner", ViewScanner(base))]
        return last[1]

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


def _inflate(data: bytes, coding: str, state: ShieldState) -> bytes:
    """A gzip- or deflate-encoded body, decompressed for the scan (bounded by
    ``LLM_SHIELD_MAX_SCAN_BYTES``: a compression bomb is too large, not a hang)."""
    coding = coding.strip().lower()
    if coding in ("gzip", "x-gzip"):
        wbits = [31]
    elif coding == "deflate":
        wbits = [15, -15]  # zlib-wrapped, as the RFC says, or raw, as some servers send
    else:
        raise ScanFailed("encoded-body")
    limit = state.config.max_scan_bytes
    for bits in wbits:
        inflater = zlib.decompressobj(bits)
        try:
            out = inflater.decompress(data, limit + 1)
        except zlib.error:
            continue
        if len(out) > limit or inflater.unconsumed_tail:
            raise ScanFailed("too-large")
        if not inflater.eof:
            raise ScanFailed("invalid-encoding")
        return out
    raise ScanFailed("invalid-encoding")


def _scan(
    state: ShieldState,
    rstate: RequestShieldState | None,
    options: RouteOptions | None,
    decision: Decision,
    response: Response,
    method: str,
) -> Response:
    """Scan the body, then the headers of what is left to send."""
    result = response
    if decision.guarded and response.status_code == 206:
        # Part of a representation cannot be judged alone (the guard removes Range
        # headers before the view; this is a partial answer made some other way).
        return _fail(decision, response, "partial-content")
    if method != "HEAD" and response.status_code not in (204, 304):
        result = _scan_body(state, rstate, options, decision, response)
        if result is not response:
            return result  # a block or failure response: built by us, nothing to scan
    try:
        return _scan_headers(route_scanner(state, options, rstate), decision, result)
    except ScanFailed as failure:
        return _fail(decision, result, failure.reason)


# Header names are configuration, but a view may invent one: a name is named in a finding
# path only if it cannot hold a value.
_PLAIN_HEADER_NAME = re2.compile(r"[A-Za-z][A-Za-z-]{0,39}")
_B64_SEGMENT = re2.compile(r"[A-Za-z0-9_=+/-]{8,}")
#: A decoded cookie larger than this is refused (a zlib bomb in a Set-Cookie header).
MAX_COOKIE_BYTES = 64 * 1024


def cookie_payloads(header_value: str) -> tuple[list[str], bool]:
    """The text a ``Set-Cookie`` value decodes to, for the scan, and whether the value is
    a signed token (see below).

    Flask's session cookie is ``payload.timestamp.signature`` where the payload is
    URL-safe base64 of JSON, zlib-compressed when it starts with ``"."``; JWTs and other
    signed cookies have the same base64 segments. Every segment that decodes to UTF-8
    text is returned. A value whose first segment decodes to JSON is a signed token: its
    other segments are a timestamp and a signature the framework computed, which hold no
    data a view chose, so the caller need not scan them (random bytes are also the
    costliest text for the scanner's automaton).

    :raises ScanFailed: a compressed payload larger than :data:`MAX_COOKIE_BYTES`.
    """
    value = header_value.split(";", 1)[0].partition("=")[2].strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    compressed = value.startswith(".")
    out: list[str] = []
    signed = False
    segments = value.lstrip(".").split(".")
    for i, segment in enumerate(segments):
        if _B64_SEGMENT.fullmatch(segment) is None:
            continue
        padded = segment.rstrip("=")
        padded += "=" * (-len(padded) % 4)
        try:
            raw = base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))
        except ValueError:
            continue
        if compressed and i == 0:
            inflater = zlib.decompressobj()
            try:
                raw = inflater.decompress(raw, MAX_COOKIE_BYTES)
            except zlib.error:
                continue
            if inflater.unconsumed_tail:
                raise ScanFailed("cookie-too-large")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if i == 0 and len(segments) > 1 and text.lstrip()[:1] in ("{", "["):
            signed = True
        out.append(text)
    return out, signed


def _header_text(key: str, value: str) -> str:
    if key.lower() != "set-cookie":
        return f"{key}: {value}"
    decoded, signed = cookie_payloads(value)
    if signed:
        # The payload is scanned decoded; the raw token adds only the signature.
        name = value.split("=", 1)[0]
        attributes = value.partition(";")[2]
        return "\n".join([f"{key}: {name}=; {attributes}", *decoded])
    return "\n".join([f"{key}: {value}", *decoded])


def _new_to_client(scanner: Scanner, set_cookie: str, found: list[Finding]) -> list[Finding]:
    """*found* without what the request's own cookie of that name already held.

    A session refreshed on every request (a permanent session) is sent back with the
    user's own data; what the client sent us is no leak. What a view added is.
    """
    name = set_cookie.split("=", 1)[0].strip()
    incoming = request.cookies.get(name)
    if not incoming:
        return found
    text = "\n".join([incoming, *cookie_payloads(f"{name}={incoming}")[0]])
    known = {(f.kind, f.fingerprint) for f in with_views(scanner, text, scanner.scan(text))}
    return [f for f in found if (f.kind, f.fingerprint) not in known]


def _scan_headers(scanner: Scanner, decision: Decision, response: Response) -> Response:
    """Scan header names and values (decoded session cookies included) like a body.

    A finding blocks the response in block mode, removes the header in redact mode (a
    header value is not text a client renders, and a half-redacted cookie is useless) and
    is reported otherwise. Paths are ``header:<name>`` (``header:#<index>`` for a name
    that could itself hold a value).
    """
    lines = [
        _header_text(key, value)
        for key, value in response.headers
        if key.lower() != "content-length"
    ]
    joined = "\n".join(lines)
    data = joined.encode("utf-8", "surrogatepass")
    if (
        data.isascii()
        and b"\\" not in data
        and not has_markup_bytes(data)
        # Most responses of an app carry the same few headers: the verdict is kept.
        and scanner.is_clean_ascii(data, remember=True)
    ):
        return response
    pairs = [(key, value) for key, value in response.headers if key.lower() != "content-length"]
    findings: list[Finding] = []
    dirty: set[int] = set()
    for i, ((key, value), text) in enumerate(zip(pairs, lines, strict=True)):
        found = with_views(scanner, text, scanner.scan(text))
        if found and key.lower() == "set-cookie":
            found = _new_to_client(scanner, value, found)
        if not found:
            continue
        dirty.add(i)
        path = f"header:{key}" if _PLAIN_HEADER_NAME.fullmatch(key) else f"header:#{i}"
        findings.extend(dataclasses.replace(f, path=path) for f in found)
    if not findings:
        return response
    if decision.mode == "report":
        kinds = sorted({f.kind for f in findings})
        logger.warning("flask-llm-shield: leak reported on %s: %s", decision.endpoint, kinds)
        _emit(signals.leak_detected, decision, findings)
        return response
    if decision.mode == "redact":
        kept = [
            (key, value)
            for i, (key, value) in enumerate(
                (k, v) for k, v in response.headers if k.lower() != "content-length"
            )
            if i not in dirty
        ]
        length = response.headers.get("Content-Length")
        response.headers.clear()
        response.headers.extend(kept)
        if length is not None:
            response.headers["Content-Length"] = length
        _emit(signals.response_redacted, decision, findings)
        return response
    return _block(decision, findings, response)


def _scan_body(
    state: ShieldState,
    rstate: RequestShieldState | None,
    options: RouteOptions | None,
    decision: Decision,
    response: Response,
) -> Response:
    _mimetype, is_text, is_json, charset, encoded = _headers(response)
    if (
        decision.guarded
        and is_text
        and response.direct_passthrough
        and not encoded
        and (response.calculate_content_length() or 0) <= state.config.max_scan_bytes
        and "Content-Length" in response.headers
    ):
        # A file (send_file) of declared, scannable size: read it whole and judge it
        # before a byte is sent, rather than stream it through the hold-back window.
        body = response.response
        try:
            data = b"".join(cast("Iterable[bytes]", body))  # direct passthrough: bytes
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()  # the response may be replaced: never leave the file open
        response.response = [data]
        response.direct_passthrough = False
    if (response.is_streamed or response.direct_passthrough) and not _finite(response):
        if not decision.guarded and not is_text:
            return response
        # Text streams go through the hold-back window (streaming.py); anything else
        # on a guarded route stays refused.
        if is_text:
            mode: Any = decision.mode
            # A view-built stream is text the client decodes (SSE data lines of JSON,
            # NDJSON): the window is scanned through its derived views too.
            refresh = _lazy_scanner(state, options, request.environ)
            scanner = refresh()
            if wrap_streamed_response(response, scanner=scanner, mode=mode, refresh=refresh):
                return response
        return _fail(decision, response, "stream-not-scannable")
    if not is_text:
        if decision.guarded and response.calculate_content_length() != 0:
            return _fail(decision, response, "unsupported-content-type")
        return response
    try:
        data = _body(response, state.config.max_scan_bytes)
        if encoded:
            # A compression extension's after_request hook ran before the final scan.
            data = _inflate(data, response.headers.get("Content-Encoding", ""), state)
            if decision.mode == "redact":
                # Redacting would mean compressing again: a finding blocks instead.
                decision = dataclasses.replace(decision, mode="block")
        scanner = route_scanner(state, options, rstate)
        if (
            charset in _ASCII_CHARSETS
            and data.isascii()
            # (RE2 finds the two bytes with memchr; ``b"\\u" in data`` is a slow loop.)
            and not (is_json and b"\\" in data and _UNICODE_ESCAPE.search(data) is not None)
            and not has_markup_bytes(data)
        ):
            # Most clean bodies: checked on their bytes, never decoded (text with escapes
            # also with them decoded, see scan_body). JSON with \uXXXX escapes
            # (non-English text under ensure_ascii) goes to scan_body directly: the byte
            # check could not clear it and would only add a pass. Markup (HTML, XML)
            # always takes scan_body, which also scans it as rendered.
            if (
                scanner.is_clean_ascii(data)
                if b"\\" not in data
                else _clean_ascii_escaped(scanner, data, is_json)
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
