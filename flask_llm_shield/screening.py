"""Input screening for guarded routes: prompt injection and PII, before the view runs.

``@guarded_llm_route`` calls :func:`screen_request` once per request. It reads the user
input (every string in the JSON body or form, or only the fields named by
``inputs=("message",)``), runs :func:`~flask_llm_shield.detect.detect_injection` and the
PII/secret scanner on it, and then, per ``LLM_SHIELD_INPUT_MODE`` and
``LLM_SHIELD_PROMPT_PII``:

* refuses the request with :class:`~flask_llm_shield.errors.PromptRejectedError` (a 400
  with a JSON body naming reasons and kinds, never the input), or
* redacts the sensitive parts. The view then sees redacted input through
  ``shield.input()`` / :func:`screened_input`, and also through ``request.get_json()`` and
  ``request.form``, which are replaced by their redacted versions for this request, or
* only reports (``prompt-rejected`` with ``blocked=False``).

Malformed JSON, invalid UTF-8, bodies over ``LLM_SHIELD_MAX_SCAN_BYTES`` and JSON nested
deeper than :data:`MAX_DEPTH` are refused with a 400 JSON error: they cannot be screened.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app, request
from werkzeug.datastructures import ImmutableMultiDict

from .detect import detect_injection
from .detect.prompt_leak import _token_class, find_control_tokens, is_token_mention
from .errors import PromptRejectedError
from .signals import prompt_rejected
from .state import get_state, route_scanner

if TYPE_CHECKING:
    from .detect import Finding, Scanner
    from .options import RouteOptions

__all__ = ["MAX_DEPTH", "ScreenedInput", "screen_request", "screened_input"]

logger = logging.getLogger("flask_llm_shield")

#: JSON bodies nested deeper than this are refused (no chat message needs it).
MAX_DEPTH = 64
#: Where the screened input of a request is kept: the WSGI environ, like the request
#: state, because ``g`` may be shared by several requests under one app context.
_ENVIRON_KEY = "flask_llm_shield.input"
_REASON_RE = re.compile(r"[a-z0-9_:.\-]{1,64}")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True, slots=True)
class ScreenedInput:
    """The user input as the view should see it (redacted where the policy says so)."""

    #: Parsed JSON body, form fields (an ``ImmutableMultiDict``), or ``None`` (no body).
    data: Any
    redacted: bool
    #: PII/secret findings in the input (offsets into each screened string).
    findings: tuple[Finding, ...] = ()


class _Slot:
    """One screened string and where it lives, so redaction can write it back.

    ``trail`` is the path from the root: ``(escaped segment, key slot, index in its
    object)`` per level, the key slot being the slot of the member's name (``None`` in
    arrays and for names that are configuration). A name that holds a finding is never
    spelled out in a path: its level becomes ``~v<index>`` (``~k<index>`` for the name
    itself), as :meth:`Scanner.scan_json` does.
    """

    __slots__ = ("container", "is_key", "key", "text", "trail")

    def __init__(
        self,
        container: Any,
        key: Any,
        text: str,
        trail: tuple[tuple[str, _Slot | None, int], ...],
        is_key: bool = False,
    ) -> None:
        self.container = container
        self.key = key
        self.text = text
        self.trail = trail
        self.is_key = is_key

    def path(self, flagged: set[int]) -> str:
        parts = []
        last = len(self.trail) - 1
        for level, (segment, key_slot, index) in enumerate(self.trail):
            if self.is_key and level == last:
                parts.append(f"/~k{index}")
            elif key_slot is not None and id(key_slot) in flagged:
                parts.append(f"/~v{index}")
            else:
                parts.append(f"/{segment}")
        return "".join(parts)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _json_slots(
    data: Any, trail: tuple[tuple[str, _Slot | None, int], ...] = ()
) -> Iterator[_Slot]:
    """Every string in ``data``, member names included (depth-first, iterative: no
    recursion on hostile input)."""
    stack: list[tuple[Any, tuple[tuple[str, _Slot | None, int], ...]]] = [(data, trail)]
    while stack:
        node, path = stack.pop()
        if len(path) - len(trail) > MAX_DEPTH:
            raise _refuse("too-deep", "request body is nested too deeply")
        if isinstance(node, dict):
            for i, (key, value) in enumerate(node.items()):
                text = str(key)
                key_slot = None
                if text:
                    key_slot = _Slot(node, key, text, (*path, (_escape(text), None, i)), True)
                    yield key_slot
                child = (*path, (_escape(text), key_slot, i))
                if isinstance(value, str):
                    yield _Slot(node, key, value, child)
                elif isinstance(value, dict | list):
                    stack.append((value, child))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                child = (*path, (str(i), None, i))
                if isinstance(value, str):
                    yield _Slot(node, i, value, child)
                elif isinstance(value, dict | list):
                    stack.append((value, child))


def _named_json_slots(data: Any, names: tuple[str, ...]) -> Iterator[_Slot]:
    for name in names:
        node, key, found = data, None, True
        parts = name.split(".")
        for i, part in enumerate(parts):
            if isinstance(node, dict) and part in node:
                if i == len(parts) - 1:
                    key = part
                else:
                    node = node[part]
            else:
                found = False
                break
        if not found or key is None:
            continue
        value = node[key]
        # Named inputs are the developer's names: they may appear in paths.
        trail = tuple((_escape(part), None, 0) for part in parts)
        if isinstance(value, str):
            yield _Slot(node, key, value, trail)
        elif isinstance(value, dict | list):
            yield from _json_slots(value, trail)


def _field_slots(
    fields: dict[str, list[str]], names: tuple[str, ...] | None, prefix: str
) -> Iterator[_Slot]:
    """Form or query-string fields; ``prefix`` tells them apart in paths (``?`` for the
    query string). Field names are screened too, unless they were named by the route."""
    for i, (key, values) in enumerate(fields.items()):
        if names is not None and key not in names:
            continue
        key_slot = None
        if names is None and key:
            key_slot = _Slot(fields, key, key, ((prefix + _escape(key), None, i),), True)
            yield key_slot
        for j, value in enumerate(values):
            yield _Slot(values, j, value, ((prefix + _escape(key), key_slot, i),))


def _refuse(reason: str, description: str) -> PromptRejectedError:
    prompt_rejected.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        endpoint=request.endpoint,
        reasons=(reason,),
        blocked=True,
        findings=(),
    )
    return PromptRejectedError((reason,), description=description)


#: Joins screened strings into one text: injection and PII are screened once per request,
#: not once per string (thousands of one-character strings cost one pass, not thousands).
_SEPARATOR = "\n\0\n"


def _has_input(environ: dict[str, Any]) -> bool:
    """Whether the request may carry user input at all, from the environ alone."""
    if environ.get("CONTENT_TYPE") or environ.get("QUERY_STRING"):
        return True
    length = environ.get("CONTENT_LENGTH")
    return bool(length and length != "0") or "HTTP_TRANSFER_ENCODING" in environ


def screen_request(options: RouteOptions, environ: dict[str, Any] | None = None) -> ScreenedInput:
    """Screen the current request's user input; raise or redact per the app's policy.

    ``environ`` is the current request's WSGI environ, when the caller has it at hand.
    """
    if environ is None:
        environ = request.environ
    if not _has_input(environ):
        # No body and no query string: nothing to screen. Most GET requests take this
        # path, so it stays free of header parsing.
        environ[_ENVIRON_KEY] = _NO_INPUT
        return _NO_INPUT
    try:
        return _screen(options)
    except PromptRejectedError:
        raise
    except Exception as exc:
        # Input the detectors cannot process (lone surrogates from a "\ud800" escape,
        # say) is refused like malformed input: never a 500, never passed on unscreened.
        logger.warning(
            "flask-llm-shield: could not screen the input of %s (%s)",
            request.endpoint,
            type(exc).__name__,
        )
        raise _refuse("unscreenable", "request input could not be screened") from None


_NO_INPUT = ScreenedInput(None, False, ())


def _read_body(max_bytes: int) -> bytes:
    length = request.content_length
    if length is not None and length > max_bytes:
        raise _refuse("too-large", "request body is too large to be screened")
    raw = request.get_data(cache=True)
    if len(raw) > max_bytes:
        raise _refuse("too-large", "request body is too large to be screened")
    return raw


def _parse_json(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse("invalid-utf8", "request body is not valid UTF-8") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise _refuse("too-deep", "request body is nested too deeply") from None
    except ValueError:
        # The decoder's message quotes no input, but a fixed message is simpler to trust.
        raise _refuse("invalid-json", "request body is not valid JSON") from None


_JSON_START = frozenset(b'{["')


def _read_json(max_bytes: int) -> Any:
    raw = _read_body(max_bytes)
    if not raw.strip():
        return None
    return _parse_json(raw)


def _read_other(max_bytes: int) -> tuple[Any, bool]:
    """A body that is neither labelled JSON nor a form: ``(data, is_json)``.

    The view can still read it as JSON (``get_json(force=True)``) or as text
    (``get_data()``): JSON-looking bodies are screened as JSON, other UTF-8 text as one
    string. Bytes that are not UTF-8 are refused when labelled ``text/*`` and otherwise
    left alone (uploads of images, audio: see the security model's limits).
    """
    raw = _read_body(max_bytes)
    stripped = raw.strip()
    if not stripped:
        return None, False
    if stripped[0] in _JSON_START:
        try:
            return json.loads(raw.decode("utf-8")), True
        except RecursionError:
            raise _refuse("too-deep", "request body is nested too deeply") from None
        except ValueError:
            pass  # text that merely starts like JSON
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        if request.mimetype.startswith("text/"):
            raise _refuse("invalid-utf8", "request body is not valid UTF-8") from None
        return None, False


def _injection_reasons(text: str) -> list[str]:
    reasons: list[str] = []
    verdict = detect_injection(text)
    if verdict.flagged:
        # Reasons are the engine's codes; anything else is replaced so input never echoes.
        for reason in verdict.reasons or ("prompt-injection",):
            reasons.append(reason if _REASON_RE.fullmatch(reason) else "prompt-injection")
    # Strong chat-template tokens open a turn whatever surrounds them. Weak ones (``<s>``,
    # ``User:``, Alpaca headers) and tokens merely talked about ("what is the <|im_start|>
    # token?") are left to detect_injection, which judges them in context: the finder is
    # deliberately generous because the prompt builder neutralises everything it reports.
    for start, end in find_control_tokens(text):
        if _token_class(text[start:end]) == "strong" and not is_token_mention(text, start, end):
            reasons.append("control-token")
            break
    return reasons


def _slot_findings(
    scanner: Scanner, slots: list[_Slot], joined: str, starts: list[int]
) -> list[tuple[_Slot, list[Finding]]]:
    """The findings of the joined text, per slot, with offsets into each slot's text."""
    per_slot: dict[int, tuple[_Slot, list[Finding]]] = {}
    for f in scanner.scan(joined):
        # Prompt-leak kinds describe replies; in input they are the injection check's job.
        if f.category == "prompt_leak":
            continue
        i = bisect_right(starts, f.start) - 1
        slot = slots[i]
        start = f.start - starts[i]
        end = min(f.end - starts[i], len(slot.text))
        if start >= len(slot.text) or end <= start:
            continue  # inside a separator
        entry = per_slot.setdefault(i, (slot, []))
        entry[1].append(dataclasses.replace(f, start=start, end=end))
    return [per_slot[i] for i in sorted(per_slot)]


def _screen(options: RouteOptions) -> ScreenedInput:
    state = get_state()
    config = state.config
    data: Any = None
    slots: list[_Slot] = []
    form: dict[str, list[str]] | None = None
    root: list[Any] = []
    raw_text = False  # the body is screened as one text, not as JSON
    forced_json = False
    if request.is_json:
        data = _read_json(config.max_scan_bytes)
    elif request.mimetype in _FORM_TYPES:
        length = request.content_length
        if length is not None and length > config.max_scan_bytes:
            raise _refuse("too-large", "request body is too large to be screened")
        form = {key: request.form.getlist(key) for key in request.form}
        slots = list(_field_slots(form, options.inputs, ""))
    else:
        data, forced_json = _read_other(config.max_scan_bytes)
        raw_text = data is not None and not forced_json
    if isinstance(data, str):
        # A bare JSON string (or a text body) is user text too: screened via a holder.
        root = [data]
        if options.inputs is None or raw_text:
            slots = [_Slot(root, 0, data, ())]
    elif data is not None:
        if options.inputs is None:
            slots = list(_json_slots(data))
        else:
            slots = list(_named_json_slots(data, options.inputs))
    args = {k: request.args.getlist(k) for k in request.args}
    if options.inputs is not None:
        # Named inputs may also come from the query string (GET /chat?message=...).
        args = {k: v for k, v in args.items() if k in options.inputs}
    slots.extend(_field_slots(args, options.inputs, "?"))

    starts: list[int] = []
    pos = 0
    for slot in slots:
        starts.append(pos)
        pos += len(slot.text) + len(_SEPARATOR)
    joined = _SEPARATOR.join(slot.text for slot in slots)

    reasons: list[str] = []
    if config.input_mode != "off" and joined:
        reasons = _injection_reasons(joined)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if reasons:
        unique = tuple(dict.fromkeys(reasons))
        blocked = config.input_mode == "block"
        prompt_rejected.send(
            app, endpoint=request.endpoint, reasons=unique, blocked=blocked, findings=()
        )
        if blocked:
            raise PromptRejectedError(
                unique, description="input rejected: it looks like a prompt-injection attempt"
            )

    findings: list[Finding] = []
    redacted = False
    if config.prompt_pii != "off" and slots:
        scanner: Scanner = route_scanner(state, options, None)
        per_slot = _slot_findings(scanner, slots, joined, starts)
        flagged = {id(slot) for slot, _found in per_slot if slot.is_key}
        for slot, found in per_slot:
            path = slot.path(flagged)
            findings.extend(dataclasses.replace(f, path=path) for f in found)
        if findings:
            kinds = sorted({f.kind for f in findings})
            blocked = config.prompt_pii == "block"
            prompt_rejected.send(
                app,
                endpoint=request.endpoint,
                reasons=tuple(f"pii:{k}" for k in kinds),
                blocked=blocked,
                findings=tuple((f.kind, f.path, f.fingerprint) for f in findings),
            )
            if blocked:
                raise PromptRejectedError(
                    tuple(f"pii:{k}" for k in kinds),
                    description=(
                        f"input rejected: it contains {', '.join(kinds)}, which may not be "
                        "sent to the model"
                    ),
                )
            if config.prompt_pii == "redact":
                _redact(scanner, per_slot, options.redaction or config.redaction)
                redacted = True

    result_data: Any = root[0] if root else data
    if form is not None:
        result_data = ImmutableMultiDict([(k, v) for k, vs in form.items() for v in vs])
    screened = ScreenedInput(result_data, redacted, tuple(findings))
    request.environ[_ENVIRON_KEY] = screened
    if redacted:
        _replace_request_input(screened, raw_text)
        if args:
            merged = {k: request.args.getlist(k) for k in request.args}
            merged.update(args)
            request.__dict__["args"] = ImmutableMultiDict(
                [(k, v) for k, vs in merged.items() for v in vs]
            )
    return screened


def _redact(scanner: Scanner, per_slot: list[tuple[_Slot, list[Finding]]], operator: Any) -> None:
    """Write redacted strings back; member names are renamed after their values."""
    renames: dict[int, tuple[Any, dict[Any, str]]] = {}
    for slot, found in per_slot:
        new = scanner.redact(slot.text, found, operator)
        if slot.is_key:
            renames.setdefault(id(slot.container), (slot.container, {}))[1][slot.key] = new
        else:
            slot.container[slot.key] = new
    for container, mapping in renames.values():
        items = list(container.items())
        container.clear()
        for key, value in items:
            new_key: Any = mapping.get(key, key)
            base, n = new_key, 2
            while new_key in container:
                new_key = f"{base} #{n}"
                n += 1
            container[new_key] = value


def _replace_request_input(screened: ScreenedInput, raw_text: bool) -> None:
    """Make ``request.get_json()`` / ``request.form`` / ``request.get_data()`` return the
    redacted input too.

    The view may read the request directly instead of ``shield.input()``; the raw
    sensitive text must not reach it either way.
    """
    if isinstance(screened.data, ImmutableMultiDict):
        request.__dict__["form"] = screened.data  # ``form`` is a cached property
    elif raw_text:
        request._cached_data = str(screened.data).encode("utf-8")
    elif screened.data is not None:
        # Werkzeug caches get_json() per ``silent`` flag in this tuple, whatever ``force``.
        request._cached_json = (screened.data, screened.data)
        request._cached_data = json.dumps(screened.data).encode("utf-8")


def screened_input(name: str | None = None, default: Any = None) -> Any:
    """The screened (possibly redacted) input of the current guarded request.

    With ``name``: that top-level JSON key or form field (``default`` if absent). Without:
    the whole JSON body or form. Outside a screened request: the raw JSON body or form.
    """
    screened: ScreenedInput | None = request.environ.get(_ENVIRON_KEY)
    data: Any
    if screened is not None:
        data = screened.data
    elif request.is_json:
        data = request.get_json(silent=True)
    else:
        data = request.form
    if name is None:
        return data
    if isinstance(data, dict | ImmutableMultiDict):
        return data.get(name, default)
    return default
