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
    """Where one screened string lives, so redaction can write it back."""

    __slots__ = ("container", "key", "path", "text")

    def __init__(self, container: Any, key: Any, path: str, text: str) -> None:
        self.container = container
        self.key = key
        self.path = path
        self.text = text


def _refuse(reason: str, description: str) -> PromptRejectedError:
    prompt_rejected.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        endpoint=request.endpoint,
        reasons=(reason,),
        blocked=True,
        findings=(),
    )
    return PromptRejectedError((reason,), description=description)


def _read_json(max_bytes: int) -> Any:
    length = request.content_length
    if length is not None and length > max_bytes:
        raise _refuse("too-large", "request body is too large to be screened")
    raw = request.get_data(cache=True)
    if len(raw) > max_bytes:
        raise _refuse("too-large", "request body is too large to be screened")
    if not raw.strip():
        return None
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


def _json_slots(data: Any) -> Iterator[_Slot]:
    """Every string in ``data`` (depth-first, iterative: no recursion on hostile input)."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _refuse("too-deep", "request body is nested too deeply")
        if isinstance(node, dict):
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        for key, value in items:
            child = f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if isinstance(value, str):
                yield _Slot(node, key, child, value)
            elif isinstance(value, dict | list):
                stack.append((value, child, depth + 1))


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
        path = "/" + "/".join(parts)
        if isinstance(value, str):
            yield _Slot(node, key, path, value)
        elif isinstance(value, dict | list):
            for slot in _json_slots(value):
                slot.path = path + slot.path
                yield slot


def _form_slots(form: dict[str, list[str]], names: tuple[str, ...] | None) -> Iterator[_Slot]:
    for key, values in form.items():
        if names is not None and key not in names:
            continue
        for i, value in enumerate(values):
            yield _Slot(values, i, f"/{key}", value)


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


def screen_request(options: RouteOptions, environ: dict[str, Any] | None = None) -> ScreenedInput:
    """Screen the current request's user input; raise or redact per the app's policy.

    ``environ`` is the current request's WSGI environ, when the caller has it at hand.
    """
    if options.inputs is None:
        if environ is None:
            environ = request.environ
        if not environ.get("CONTENT_TYPE"):
            # No body of a screenable type and no named query fields: nothing to screen.
            # Most GET requests take this path, so it stays free of header parsing.
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


def _screen(options: RouteOptions) -> ScreenedInput:
    environ = request.environ
    if options.inputs is None and not environ.get("CONTENT_TYPE"):
        # No body of a screenable type and no named query fields: nothing to screen. Most
        # GET requests take this path, so it stays free of header parsing.
        environ[_ENVIRON_KEY] = _NO_INPUT
        return _NO_INPUT

    state = get_state()
    config = state.config
    data: Any = None
    slots: list[_Slot] = []
    form: dict[str, list[str]] | None = None
    root: list[Any] = []
    if request.is_json:
        data = _read_json(config.max_scan_bytes)
        if isinstance(data, str):
            # A bare JSON string is user text too; screen (and redact) it via a holder.
            root = [data]
            if options.inputs is None:
                slots = [_Slot(root, 0, "", data)]
        elif data is not None:
            if options.inputs is None:
                slots = list(_json_slots(data))
            else:
                slots = list(_named_json_slots(data, options.inputs))
    elif request.mimetype in _FORM_TYPES:
        length = request.content_length
        if length is not None and length > config.max_scan_bytes:
            raise _refuse("too-large", "request body is too large to be screened")
        form = {key: request.form.getlist(key) for key in request.form}
        slots = list(_form_slots(form, options.inputs))
    args: dict[str, list[str]] = {}
    if options.inputs is not None:
        # Named inputs may also come from the query string (GET /chat?message=...).
        args = {k: request.args.getlist(k) for k in request.args if k in options.inputs}
        slots.extend(_form_slots(args, None))

    reasons: list[str] = []
    if config.input_mode != "off":
        for slot in slots:
            reasons.extend(_injection_reasons(slot.text))
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
        per_slot: list[tuple[_Slot, list[Finding]]] = []
        for slot in slots:
            # Prompt-leak kinds describe replies; in input they are the injection check's job.
            found = [f for f in scanner.scan(slot.text) if f.category != "prompt_leak"]
            if found:
                per_slot.append((slot, found))
                findings.extend(dataclasses.replace(f, path=slot.path) for f in found)
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
                operator = options.redaction or config.redaction
                for slot, found in per_slot:
                    slot.container[slot.key] = scanner.redact(slot.text, found, operator)
                redacted = True

    result_data: Any = root[0] if root else data
    if form is not None:
        result_data = ImmutableMultiDict([(k, v) for k, vs in form.items() for v in vs])
    screened = ScreenedInput(result_data, redacted, tuple(findings))
    request.environ[_ENVIRON_KEY] = screened
    if redacted:
        _replace_request_input(screened)
        if args:
            merged = {k: request.args.getlist(k) for k in request.args}
            merged.update(args)
            request.__dict__["args"] = ImmutableMultiDict(
                [(k, v) for k, vs in merged.items() for v in vs]
            )
    return screened


def _replace_request_input(screened: ScreenedInput) -> None:
    """Make ``request.get_json()`` / ``request.form`` return the redacted input too.

    The view may read the request directly instead of ``shield.input()``; the raw
    sensitive text must not reach it either way.
    """
    if isinstance(screened.data, ImmutableMultiDict):
        request.__dict__["form"] = screened.data  # ``form`` is a cached property
    elif screened.data is not None:
        # Werkzeug caches get_json() per ``silent`` flag in this tuple.
        request._cached_json = (screened.data, screened.data)


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
