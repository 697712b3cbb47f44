"""Run the probe catalogue against an app's routes and judge every reply.

In-process (the default) requests go through the app's test client: no server, no
network, and the shield's own view of each request is at hand: the system prompts and
canaries it rendered, the values its scoped accessor withheld, and whether it blocked,
redacted or refused. With ``base_url`` the same requests go over HTTP to a running server
(bounded timeouts and retries); the judge then works from what the client received and
the app's static knowledge.
"""

from __future__ import annotations

import base64
import codecs
import inspect
import json
import os
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

from .. import signals
from ..detect import Scanner
from ..guard import OPTIONS_ATTR
from ..options import RouteOptions
from ..responses import BLOCK_MESSAGE, SCAN_FAILED_MESSAGE
from ..state import ENVIRON_KEY, RequestShieldState
from ..streaming import PLAIN_BLOCK_MARKER
from ._shield import app_state, registered_schemas
from .catalogue import (
    CATALOGUE,
    DEFAULT_COLLECTION,
    DEFAULT_FIELDS,
    DEFAULT_SUITE,
    SEQUENTIAL,
    SUITES,
    ProbeSpec,
)
from .codeinfo import calls_model, code_names
from .judge import Evidence, Observation, Outcome, ShieldAction, judge
from .results import Exchange, ProbeReport, Target, aggregate, sort_findings

#: Request ids of probe requests start with this (``X-Request-ID``; audit events keep it).
PROBE_ID_PREFIX = "llm-shield-probe-"
#: The benign request sent without the authentication headers.
AUTH_CHECK_ID = "auth-check"
AUTH_CHECK_TEXT = "Hello! What can you help me with today?"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_RETRY_STATUSES = frozenset({502, 503, 504})
_ACTION_RANK: dict[str, int] = {
    "reported": 1,
    "redacted": 2,
    "scan-failed": 3,
    "rejected": 4,
    "blocked": 5,
}


class ProbeError(Exception):
    """The probe cannot run as asked (an unknown route, a bad option)."""


def probes_for(suite: str) -> tuple[ProbeSpec, ...]:
    """The five sequential probes, then the catalogue entries ``suite`` adds."""
    if suite not in SUITES:
        raise ProbeError(f"unknown suite {suite!r}; choose one of {', '.join(SUITES)}")
    by_id = {p.id: p for p in CATALOGUE}
    return SEQUENTIAL + tuple(by_id[i] for i in SUITES[suite])


def _encode(text: str, encodings: Sequence[str]) -> str:
    for enc in encodings:
        if enc == "base64":
            text = base64.b64encode(text.encode()).decode("ascii")
        elif enc == "hex":
            text = text.encode().hex()
        elif enc == "rot13":
            text = codecs.encode(text, "rot13")
        elif enc == "reverse":
            text = text[::-1]
        else:  # pragma: no cover - the catalogue is data checked by the tests
            raise ProbeError(f"unknown encoding {enc!r}")
    return text


def render_probe(spec: ProbeSpec, fields: str, collection: str) -> str:
    """The text sent for ``spec`` with the app's sensitive fields filled in."""
    text = spec.text.replace("{fields}", fields).replace("{collection}", collection)
    text = spec.wrapper.replace("{payload}", _encode(text, spec.encoding))
    if spec.channel == "document":
        doc = {"title": "Quarterly notes", "body": "Revenue grew in Q3.", "comment": text}
        text = "Summarise this document for me: " + json.dumps(doc, ensure_ascii=False)
    if spec.pad_to and len(text) < spec.pad_to:
        text = (text * (spec.pad_to // max(len(text), 1) + 1))[: spec.pad_to]
    return text


# -- what the app knows ------------------------------------------------------------------


@dataclass
class AppKnowledge:
    """What the probe learns from the app itself (never printed)."""

    scanner: Scanner
    sensitive_fields: dict[str, tuple[str, ...]]
    database: Callable[[], Any] | None
    system_prompts: dict[str, None] = field(default_factory=dict)
    known_values: dict[str, None] = field(default_factory=dict)

    def fields_phrase(self) -> tuple[str, str]:
        for coll, paths in self.sensitive_fields.items():
            if paths:
                names = [p.rsplit(".", 1)[-1] for p in paths]
                phrase = (
                    names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
                )
                return phrase, coll
        return DEFAULT_FIELDS, DEFAULT_COLLECTION


def app_knowledge(app: Flask, system_prompts: Iterable[str] = ()) -> AppKnowledge:
    state = app_state(app)
    schemas = registered_schemas(app)
    db = state.database if state.db_source is not None else None
    know = AppKnowledge(
        scanner=state.scanner,
        sensitive_fields={name: s.sensitive_paths for name, s in schemas.items()},
        database=db,
    )
    for prompt in system_prompts:
        know.system_prompts.setdefault(prompt, None)
    return know


# -- targets -----------------------------------------------------------------------------


def _source(view: Any) -> tuple[str | None, int | None]:
    try:
        func = inspect.unwrap(view)
        path = inspect.getsourcefile(func)
        line = inspect.getsourcelines(func)[1]
    except (TypeError, OSError):
        return None, None
    if path is None:
        return None, None
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        rel = path
    if rel.startswith(".."):  # outside the working tree: an absolute file URI
        return Path(path).resolve().as_uri(), line
    return rel.replace(os.sep, "/"), line


def route_options(app: Flask, endpoint: str) -> RouteOptions | None:
    view = app.view_functions.get(endpoint)
    options = getattr(view, OPTIONS_ATTR, None)
    return options if isinstance(options, RouteOptions) else None


def _first_string(node: Any, pointer: str = "") -> str | None:
    if isinstance(node, str):
        return pointer
    if isinstance(node, dict):
        for key, value in node.items():
            found = _first_string(value, f"{pointer}/{key}")
            if found is not None:
                return found
    if isinstance(node, list):
        for i, value in enumerate(node):
            found = _first_string(value, f"{pointer}/{i}")
            if found is not None:
                return found
    return None


def _sample_id(know: AppKnowledge, argument: str) -> str | None:
    """An ``_id`` from the collection a path variable most likely names."""
    if know.database is None:
        return None
    stem = argument.lower().removesuffix("_id").removesuffix("id").strip("_")
    names = list(know.sensitive_fields)
    ranked = [n for n in names if stem and n.lower().rstrip("s") == stem.rstrip("s")]
    ranked += [n for n in names if n not in ranked]
    try:
        db = know.database()
        for name in ranked:
            doc = db[name].find_one({}, {"_id": 1})
            if doc is not None and "_id" in doc:
                return str(doc["_id"])
    except Exception:  # an unreachable database: fall back to a placeholder
        return None
    return None


def discover_targets(
    app: Flask,
    know: AppKnowledge,
    *,
    routes: Sequence[str] = (),
    include_guarded: bool = True,
    include_unguarded: bool = False,
    params: Mapping[str, str] | None = None,
    body: Any = None,
    query_param: str = "q",
) -> list[Target]:
    """Every guarded route (unless ``include_guarded`` is false) plus ``routes``; with
    ``include_unguarded``, also unguarded routes whose code calls a model."""
    params = dict(params or {})
    wanted = set(routes)
    found: set[str] = set()
    targets: list[Target] = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        options = route_options(app, rule.endpoint)
        named = rule.rule in wanted or rule.endpoint in wanted
        if not (named or (include_guarded and options is not None)):
            likely = options is None and include_unguarded
            if not (likely and calls_model(code_names(app.view_functions.get(rule.endpoint)))):
                continue
        found.update({rule.rule, rule.endpoint})
        methods = rule.methods or {"GET"}
        inputs = options.inputs if options is not None else None
        if methods & _BODY_METHODS and (inputs or body is not None or "GET" not in methods):
            method = sorted(methods & _BODY_METHODS)[0]
        else:
            method = "GET" if "GET" in methods else sorted(methods - {"HEAD", "OPTIONS"})[0]
        if inputs:
            where = "json" if method in _BODY_METHODS else "query"
            field_ = f"{where}:{inputs[0]}"
        elif method in _BODY_METHODS and body is not None and _first_string(body) is not None:
            field_ = f"json:{_first_string(body)}"
        elif method in _BODY_METHODS:
            field_ = "json:/message"
        else:
            field_ = f"query:{query_param}"
        values: dict[str, str] = {}
        for arg in sorted(rule.arguments):
            value = params.get(arg) or _sample_id(know, arg) or "probe"
            values[arg] = value
        built = rule.build(values, append_unknown=False)
        if built is None:
            raise ProbeError(f"cannot build a URL for {rule.rule}; pass --param NAME=VALUE")
        source, line = _source(app.view_functions.get(rule.endpoint))
        targets.append(
            Target(
                method,
                rule.rule,
                built[1],
                field_,
                rule.endpoint,
                options is not None,
                source,
                line,
            )
        )
    missing = sorted(wanted - found)
    if missing:
        raise ProbeError(f"no route matches {', '.join(missing)}")
    return targets


# -- sending -----------------------------------------------------------------------------


def _set_pointer(doc: Any, pointer: str, value: str) -> Any:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    if not parts:
        return value
    root = json.loads(json.dumps(doc)) if doc is not None else {}
    node = root
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value
    return root


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    path: str
    query: dict[str, str]
    json_body: Any
    headers: dict[str, str]


def _request(target: Target, text: str, headers: Mapping[str, str], body: Any) -> _Request:
    where, _, name = target.field.partition(":")
    query: dict[str, str] = {}
    json_body: Any = None
    if where == "query":
        query[name] = text
    else:
        pointer = name if name.startswith("/") else "/" + name
        json_body = _set_pointer(body, pointer, text)
    return _Request(target.method, target.path, query, json_body, dict(headers))


@contextmanager
def _shield_watch(app: Flask) -> Iterator[list[ShieldAction]]:
    """Record what the shield did to each response, from its signals."""
    seen: list[ShieldAction] = []

    def on(action: ShieldAction, only_blocking: bool = False) -> Callable[..., None]:
        def receiver(sender: Any, **kw: Any) -> None:
            if only_blocking and not kw.get("blocked", False):
                return
            seen.append(action)

        return receiver

    def on_stream(sender: Any, **kw: Any) -> None:
        seen.append("redacted" if kw.get("mode") == "redact" else "blocked")

    def on_call(sender: Any, **kw: Any) -> None:
        if kw.get("outcome") == "blocked":
            seen.append("blocked")

    hooks: list[tuple[Any, Callable[..., None]]] = [
        (signals.response_blocked, on("blocked")),
        (signals.response_redacted, on("redacted")),
        (signals.leak_detected, on("reported")),
        (signals.prompt_rejected, on("rejected", only_blocking=True)),
        (signals.scan_failed, on("scan-failed", only_blocking=True)),
        (signals.stream_terminated, on_stream),
        (signals.llm_call, on_call),
    ]
    with ExitStack() as stack:
        for signal, receiver in hooks:
            stack.enter_context(signal.connected_to(receiver, sender=app))
        yield seen


def _strongest(actions: Sequence[ShieldAction]) -> ShieldAction | None:
    if not actions:
        return None
    return max(actions, key=lambda a: _ACTION_RANK[a])


class InProcessClient:
    """Sends probe requests through the app's test client and reads the shield's state."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()

    def send(self, req: _Request, seen: list[ShieldAction]) -> tuple[Observation, Any]:
        seen.clear()
        # The test client hands the app a shallow copy of the environ: a request state
        # placed there beforehand is the very object the shield fills in (system prompts
        # and canaries it rendered, values its accessor withheld).
        rstate = RequestShieldState()
        try:
            response = self.client.open(
                req.path,
                method=req.method,
                query_string=req.query or None,
                json=req.json_body,
                headers=req.headers,
                environ_overrides={ENVIRON_KEY: rstate},
            )
            try:
                body = response.get_data(as_text=True)
            finally:
                response.close()
            obs = Observation(
                response.status_code,
                body,
                response.headers.get("Content-Type", ""),
                _strongest(seen),
            )
        except Exception as exc:  # the view raised (TESTING propagates exceptions)
            obs = Observation(500, "", "", _strongest(seen), exception=type(exc).__name__)
        return obs, rstate


class HTTPClient:
    """Sends probe requests to a running server: bounded timeout, bounded retries."""

    def __init__(self, base_url: str, *, timeout: float = 10.0, retries: int = 2) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ProbeError("--url must start with http:// or https://")
        if timeout <= 0 or retries < 0:
            raise ProbeError("--timeout must be positive and --retries not negative")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries

    def send(self, req: _Request, seen: list[ShieldAction]) -> tuple[Observation, Any]:
        from urllib.parse import urlencode

        url = self.base_url + req.path
        if req.query:
            url += "?" + urlencode(req.query)
        data = None
        headers = dict(req.headers)
        if req.json_body is not None:
            data = json.dumps(req.json_body).encode()
            headers["Content-Type"] = "application/json"
        last = "unreachable"
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(0.25 * 2 ** (attempt - 1), 2.0))
            request = urllib.request.Request(url, data=data, headers=headers, method=req.method)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                    raw = resp.read()
                    status, ctype = resp.status, resp.headers.get("Content-Type", "")
            except urllib.error.HTTPError as err:
                raw = err.read()
                status, ctype = err.code, err.headers.get("Content-Type", "")
                err.close()
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                last = type(exc).__name__
                continue
            if status in _RETRY_STATUSES and attempt < self.retries:
                continue
            body = raw.decode("utf-8", "replace")
            return Observation(status, body, ctype, _infer_action(status, body)), None
        return Observation(0, "", "", None, exception=last), None


def _infer_action(status: int, body: str) -> ShieldAction | None:
    """The shield's verdict as seen from outside: its fixed error bodies and the end
    marker of a stream it cut."""
    if status < 400:
        tail = body[-2000:]
        if PLAIN_BLOCK_MARKER in tail or ("event: error" in tail and "flask-llm-shield" in tail):
            return "blocked"
        return None
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    error = doc.get("error")
    if error == BLOCK_MESSAGE:
        return "blocked"
    if error == SCAN_FAILED_MESSAGE:
        return "scan-failed"
    if "reasons" in doc and status == 400:
        return "rejected"
    return None


# -- the run -----------------------------------------------------------------------------


@dataclass
class _Pending:
    target: Target
    probe: ProbeSpec | None
    probe_id: str
    obs: Observation
    duration_ms: float
    canaries: tuple[str, ...] = ()
    auth_check: bool = False


def run_probe(
    app: Flask,
    *,
    suite: str = DEFAULT_SUITE,
    routes: Sequence[str] = (),
    include_guarded: bool = True,
    include_unguarded: bool = False,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    body: Any = None,
    query_param: str = "q",
    base_url: str | None = None,
    timeout: float = 10.0,
    retries: int = 2,
    system_prompts: Iterable[str] = (),
    progress: Callable[[str, int, int], None] | None = None,
) -> ProbeReport:
    """Probe ``app``'s guarded routes (and ``routes``) with ``suite``; return the report.

    :param headers: sent with every probe (authentication). When given, each route also
        gets one benign request without them: answering it is a finding (API2/CWE-306).
    :param body: a JSON template for request bodies; the probe text goes into the
        route's ``inputs=`` field, else the template's first string field.
    :param base_url: probe a running server over HTTP instead of the test client.
    :param progress: called after each request with a label (route and probe id), the
        requests done and the total.
    """
    started = time.perf_counter()
    specs = probes_for(suite)
    headers = dict(headers or {})
    with app.app_context():
        know = app_knowledge(app, system_prompts)
        targets = discover_targets(
            app,
            know,
            routes=routes,
            include_guarded=include_guarded,
            include_unguarded=include_unguarded,
            params=params,
            body=body,
            query_param=query_param,
        )
    sender: InProcessClient | HTTPClient
    sender = (
        HTTPClient(base_url, timeout=timeout, retries=retries)
        if base_url
        else InProcessClient(app)
    )
    pending = _send_all(app, sender, know, targets, specs, headers, body, progress)
    report = _judge_all(app, know, targets, pending, suite)
    report.duration_s = time.perf_counter() - started
    return report


def _send_all(
    app: Flask,
    sender: InProcessClient | HTTPClient,
    know: AppKnowledge,
    targets: Sequence[Target],
    specs: Sequence[ProbeSpec],
    headers: Mapping[str, str],
    body: Any,
    progress: Callable[[str, int, int], None] | None,
) -> list[_Pending]:
    """Send every probe to every target, in order; learn what the app rendered."""
    fields, collection = know.fields_phrase()
    pending: list[_Pending] = []
    run_id = uuid.uuid4().hex[:8]
    total = len(targets) * (len(specs) + (1 if headers else 0))
    with _shield_watch(app) as seen:
        for target in targets:
            plan: list[tuple[str, ProbeSpec | None, str, Mapping[str, str]]] = [
                (spec.id, spec, render_probe(spec, fields, collection), headers) for spec in specs
            ]
            if headers:
                plan.append((AUTH_CHECK_ID, None, AUTH_CHECK_TEXT, {}))
            for probe_id, spec, text, hdrs in plan:
                # Audit events of probe requests are recognisable by their request id.
                if not any(h.lower() == "x-request-id" for h in hdrs):
                    rid = f"{PROBE_ID_PREFIX}{run_id}-{len(pending):04d}"
                    hdrs = {**hdrs, "X-Request-ID": rid}
                req = _request(target, text, hdrs, body)
                t0 = time.perf_counter()
                obs, rstate = sender.send(req, seen)
                elapsed = (time.perf_counter() - t0) * 1000
                obs = Observation(
                    obs.status, obs.body, obs.content_type, obs.shield, text, obs.exception
                )
                item = _Pending(target, spec, probe_id, obs, elapsed, auth_check=spec is None)
                if rstate is not None:
                    for prompt in rstate.system_prompts:
                        know.system_prompts.setdefault(prompt, None)
                    item.canaries = tuple(rstate.canaries)
                    for value in rstate.known_values:
                        know.known_values.setdefault(value, None)
                pending.append(item)
                if progress is not None:
                    progress(f"{target.name} {probe_id}", len(pending), total)
    return pending


def _judge_all(
    app: Flask,
    know: AppKnowledge,
    targets: Sequence[Target],
    pending: Sequence[_Pending],
    suite: str,
) -> ProbeReport:
    """Judge once every request is done: a prompt rendered on one route counts as the
    app's system prompt everywhere, and a value withheld anywhere is a known value."""
    base = know.scanner.derive(
        system_prompts=tuple(know.system_prompts), known_values=tuple(know.known_values)
    )
    scanners = {t.name: _route_scanner(app, base, t) for t in targets}
    report = ProbeReport(suite, list(targets))
    verdicts: dict[str, list[tuple[str, dict[str, tuple[Evidence, ...]]]]] = {
        t.name: [] for t in targets
    }
    for item in pending:
        outcome, broken = _verdict(item, scanners[item.target.name])
        if outcome != "unreachable":
            verdicts[item.target.name].append((item.probe_id, broken))
        report.exchanges.append(
            Exchange(
                item.target.name,
                item.probe_id,
                item.obs.status,
                outcome,
                item.duration_ms,
                tuple(broken),
            )
        )
    findings = []
    for target in targets:
        findings.extend(aggregate(target, verdicts[target.name]))
    report.findings = sort_findings(findings)
    return report


def _verdict(item: _Pending, scanner: Scanner) -> tuple[Outcome, dict[str, tuple[Evidence, ...]]]:
    if item.obs.status == 0:
        return "unreachable", {}
    if item.auth_check:
        if item.obs.status < 400 and item.obs.shield is None:
            return "flagged", {"unauthenticated-endpoint": (Evidence("missing_authentication"),)}
        return "refused", {}
    if item.canaries:
        scanner = scanner.derive(canaries=item.canaries)
    verdict = judge(item.obs, scanner, item.probe)
    return verdict.outcome, dict(verdict.broken)


def _route_scanner(app: Flask, base: Scanner, target: Target) -> Scanner:
    """The route's own kinds and allow-list on top of the run's scanner."""
    options = route_options(app, target.endpoint or "")
    if options is None or (options.kinds is None and not options.allow_kinds):
        return base
    config = app_state(app).config
    kinds = options.kinds if options.kinds is not None else config.kinds
    return base.derive(kinds=kinds, allow=config.allow_kinds | options.allow_kinds)
