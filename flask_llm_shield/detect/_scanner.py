"""The :class:`Scanner`: one linear pass of candidate patterns, validation of candidates only.

How a scan runs, and why it is fast:

1. :func:`~.normalize.normalize` folds look-alike text. Plain ASCII text without ``%``,
   ``&`` or ``\\`` (most bodies) skips this entirely.
2. One RE2 *set* match over the whole text tells which detectors have any candidate at
   all. RE2 runs in time linear in the text, whatever the patterns, so adversarial input
   cannot make it backtrack.
3. Only detectors with candidates run their own pattern; only their candidates reach the
   Python validators (Luhn, mod 97, base64 decoding, placeholder rejection).
4. Overlapping findings are resolved (the longest, then the most specific kind wins) and
   mapped back to offsets in the original text.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import os
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

import re2

from . import pii, secrets
from ._base import Detector
from ._types import ALL_KINDS, KIND_CATEGORIES, Finding
from .known_values import KnownValueMatcher
from .normalize import _FOLD, MAX_EXPANSION, normalize
from .redaction import PseudonymScope, redact_text


def _prompt_leak_class() -> Any:
    """The prompt-leak detector class, or ``None`` while its module is absent."""
    try:
        module = importlib.import_module(".prompt_leak", __package__)
    except ImportError:  # pragma: no cover - only while that module is being written
        return None
    return module.PromptLeakDetector


PromptLeakDetector: Any = _prompt_leak_class()

DETECTORS: tuple[Detector, ...] = pii.DETECTORS + secrets.DETECTORS

# When two findings overlap, the longer one wins; on equal length, the earlier kind here.
_RANK: dict[str, int] = {
    kind: i
    for i, kind in enumerate(
        (
            "private_key", "jwt", "mongodb_uri", "aws_access_key", "aws_secret_key",
            "github_token", "openai_api_key", "slack_token", "stripe_key", "google_api_key",
            "iban", "credit_card", "us_ssn", "email", "phone", "ipv4", "object_id",
            "password_assignment", "system_prompt", "canary", "known_value",
        )
    )
}  # fmt: skip

_KEEP: Any = object()  # "argument not given" for derive()


class _Engine:
    """The compiled patterns; built once per process and shared by every scanner."""

    def __init__(self, detectors: Sequence[Detector]) -> None:
        options = re2.Options()
        options.max_mem = 64 << 20
        self.detectors = tuple(detectors)
        self.compiled = [re2.compile(d.pattern, options) for d in self.detectors]
        self.prefilter = re2.Set.SearchSet(options)
        for d in self.detectors:
            self.prefilter.Add(d.pattern)
        self.prefilter.Compile()

    def candidates(self, data: bytes) -> list[int]:
        """Indices of detectors with at least one candidate in *data*."""
        hits = self.prefilter.Match(data)
        return sorted(hits) if hits else []


_ENGINE: _Engine | None = None


def _engine() -> _Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = _Engine(DETECTORS)
    return _ENGINE


def canonical(value: str) -> str:
    """The form of a value that is fingerprinted and compared.

    Look-alikes are folded and case and whitespace ignored; a value that is mostly digits
    keeps only its letters and digits, so ``123-45-6789`` and ``123 45 6789`` agree.
    """
    value = value.translate(_FOLD)
    alnum = [c for c in value if c.isalnum()]
    digits = sum(c.isdigit() for c in alnum)
    if digits >= 4 and digits >= 0.6 * len(alnum):
        return "".join(alnum).casefold()
    return "".join(value.split()).casefold()


def _escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _check_kinds(names: Iterable[str], what: str) -> frozenset[str]:
    if isinstance(names, str):
        names = (names,)
    kinds = frozenset(names)
    unknown = sorted(kinds - ALL_KINDS)
    if unknown:
        raise ValueError(
            f"unknown finding kind(s) in {what}: {', '.join(unknown)}; "
            f"known kinds: {', '.join(sorted(ALL_KINDS))}"
        )
    return kinds


class Scanner:
    """Finds PII, secrets, identifiers, prompt leaks and known values in text and JSON.

    :param kinds: report only these kinds (``None``: all).
    :param allow: kinds never reported.
    :param known_values: values the application marked sensitive (see
        :mod:`.known_values`).
    :param system_prompts: system prompts whose disclosure is a finding.
    :param canaries: canary tokens planted in prompts.
    :param fingerprint_key: key of the findings' HMAC fingerprints; ``None`` draws a
        random key per process, so fingerprints correlate within a process only.
    """

    def __init__(
        self,
        *,
        kinds: Iterable[str] | None = None,
        allow: Iterable[str] = (),
        known_values: Iterable[str] = (),
        system_prompts: Iterable[str] = (),
        canaries: Iterable[str] = (),
        fingerprint_key: bytes | None = None,
    ) -> None:
        self._engine = _engine()
        self._kinds = _check_kinds(kinds, "kinds") if kinds is not None else None
        self._allow = _check_kinds(allow, "allow")
        self._key = fingerprint_key if fingerprint_key is not None else _process_key()
        self._known_raw = tuple(known_values)
        self._prompts = tuple(system_prompts)
        self._canaries = tuple(canaries)
        self._setup()

    def _setup(self) -> None:
        enabled = ALL_KINDS if self._kinds is None else self._kinds
        enabled = enabled - self._allow
        self._enabled = enabled
        self._active = frozenset(
            i for i, d in enumerate(self._engine.detectors) if d.kind in enabled
        )
        self._known = KnownValueMatcher(self._known_raw) if "known_value" in enabled else None
        self._leak: Any = None
        if PromptLeakDetector is not None and enabled & {"system_prompt", "canary"}:
            self._leak = PromptLeakDetector(system_prompts=self._prompts, canaries=self._canaries)

    def derive(
        self,
        *,
        known_values: Iterable[str] = (),
        system_prompts: Iterable[str] = (),
        canaries: Iterable[str] = (),
        kinds: Iterable[str] | None = _KEEP,
        allow: Iterable[str] = _KEEP,
        fingerprint_key: bytes | None = _KEEP,
    ) -> Scanner:
        """A scanner sharing this one's compiled patterns, with the given extras added.

        Cheap enough to call per request. ``kinds``, ``allow`` and ``fingerprint_key``
        replace this scanner's settings when given.
        """
        new = Scanner.__new__(Scanner)
        new._engine = self._engine
        new._kinds = (
            self._kinds
            if kinds is _KEEP
            else (_check_kinds(kinds, "kinds") if kinds is not None else None)
        )
        new._allow = self._allow if allow is _KEEP else _check_kinds(allow, "allow")
        if fingerprint_key is _KEEP:
            new._key = self._key
        else:
            new._key = fingerprint_key if fingerprint_key is not None else _process_key()
        new._known_raw = self._known_raw + tuple(known_values)
        new._prompts = self._prompts + tuple(system_prompts)
        new._canaries = self._canaries + tuple(canaries)
        new._setup()
        return new

    # ----------------------------------------------------------------------------------
    # properties

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds this scanner reports."""
        return frozenset(self._enabled)

    @property
    def window(self) -> int:
        """Characters a streaming scanner must hold back to catch a value split across
        chunks before any part of it is sent.

        At least the longest span any enabled detector can report, counting obfuscated
        forms (each folded character may come from up to ``MAX_EXPANSION`` original
        characters, e.g. ``&#x0040;``). Unbounded formats are capped: PEM blocks at
        :data:`~.secrets.PEM_MAX` characters, JWTs at :data:`~.secrets.JWT_MAX`.
        """
        longest = 0
        for i in self._active:
            d = self._engine.detectors[i]
            longest = max(longest, d.max_len * MAX_EXPANSION if d.max_len <= 320 else d.max_len)
        if self._known:
            longest = max(longest, self._known.max_len * MAX_EXPANSION)
        if self._leak is not None:
            longest = max(longest, int(self._leak.window))
        return longest

    def fingerprint(self, value: str) -> str:
        """HMAC-SHA256 of the canonical form of *value*, hex, 20 characters."""
        digest = hmac.new(self._key, canonical(value).encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:20]

    # ----------------------------------------------------------------------------------
    # scanning

    def _spans(self, text: str) -> list[tuple[str, int, int, str]]:
        """``(kind, start, end, canonical value)`` for *text*, offsets into *text*."""
        if not text:
            return []
        norm = normalize(text)
        ntext = norm.text if norm is not None else text
        data = ntext.encode("utf-8")
        ascii_text = len(data) == len(ntext)
        subject: str | bytes = data if ascii_text else ntext
        raw: list[tuple[int, int, str]] = []
        engine = self._engine
        active = self._active
        for i in engine.candidates(data):
            if i not in active:
                continue
            d = engine.detectors[i]
            validate = d.validate
            for m in engine.compiled[i].finditer(subject):
                span = validate(ntext, m.start(), m.end())
                if span is None:
                    continue
                # Unbounded formats (PEM, JWT, long tokens) are reported up to their cap
                # so that the streaming window stays finite.
                if isinstance(span, tuple):
                    if span[0] < span[1]:
                        raw.append((span[0], min(span[1], span[0] + d.max_len), d.kind))
                else:
                    raw.extend((a, min(b, a + d.max_len), d.kind) for a, b in span if a < b)
        if self._known:
            bounded = KnownValueMatcher.bounded
            for s, e in self._known.find(subject):
                if bounded(ntext, s, e):
                    raw.append((s, e, "known_value"))
        if self._leak is not None:
            for kind, s, e in self._leak.find(ntext):
                if kind in self._enabled and s < e:
                    raw.append((s, e, kind))
        if not raw:
            return []
        kept = _resolve(raw)
        out: list[tuple[str, int, int, str]] = []
        for s, e, kind in kept:
            value = canonical(ntext[s:e])
            if norm is not None:
                s, e = norm.orig_start(s), norm.orig_end(e)
            out.append((kind, s, e, value))
        return out

    def _finding(self, kind: str, start: int, end: int, value: str, path: str | None) -> Finding:
        digest = hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:20]
        return Finding(kind, KIND_CATEGORIES[kind], start, end, path, digest)

    def scan(self, text: str) -> list[Finding]:
        """Every finding in *text*, sorted by start; offsets into *text* itself."""
        return [self._finding(k, s, e, v, None) for k, s, e, v in self._spans(text)]

    def scan_json(self, obj: Any) -> list[Finding]:
        """Every finding in the strings (and numbers) of a JSON-like object.

        Dict keys and values, lists and tuples are walked iteratively (deep nesting is
        fine). Numbers are scanned as ``str(value)``. ``Finding.path`` is the RFC 6901
        pointer of the string (``""`` is the root); offsets are into that string. A
        finding *in a dict key* gets the path ``<object>/~k<index>`` and the member's
        value is then addressed as ``<object>/~v<index>``, so a path never spells out a
        sensitive key (``~k``/``~v`` cannot occur in an escaped pointer).
        """
        findings: list[Finding] = []
        stack: list[tuple[Any, str]] = [(obj, "")]
        while stack:
            node, path = stack.pop()
            if isinstance(node, str):
                findings.extend(
                    self._finding(k, s, e, v, path) for k, s, e, v in self._spans(node)
                )
            elif isinstance(node, dict):
                children: list[tuple[Any, str]] = []
                for i, (key, value) in enumerate(node.items()):
                    key_text = key if isinstance(key, str) else str(key)
                    key_spans = self._spans(key_text)
                    if key_spans:
                        key_path = f"{path}/~k{i}"
                        findings.extend(
                            self._finding(k, s, e, v, key_path) for k, s, e, v in key_spans
                        )
                        children.append((value, f"{path}/~v{i}"))
                    else:
                        children.append((value, f"{path}/{_escape_pointer(key_text)}"))
                stack.extend(reversed(children))
            elif isinstance(node, list | tuple):
                stack.extend((node[i], f"{path}/{i}") for i in range(len(node) - 1, -1, -1))
            elif isinstance(node, int | float) and not isinstance(node, bool):
                findings.extend(
                    self._finding(k, s, e, v, path) for k, s, e, v in self._spans(str(node))
                )
        return findings

    # ----------------------------------------------------------------------------------
    # redaction

    def redact(
        self,
        text: str,
        findings: Sequence[Finding],
        operator: str = "label",
        *,
        pseudonyms: PseudonymScope | None = None,
    ) -> str:
        """*text* with every finding's span replaced (``label``, ``mask`` or ``pseudonym``).

        Only the spans change; overlapping findings are merged into one replacement.
        """
        return redact_text(text, findings, operator, pseudonyms=pseudonyms)

    def redact_json(
        self,
        obj: Any,
        findings: Sequence[Finding],
        operator: str = "label",
        *,
        pseudonyms: PseudonymScope | None = None,
    ) -> Any:
        """A new object of the same shape with the findings of :meth:`scan_json` redacted.

        Strings at finding paths are redacted; a number that held a finding becomes the
        redacted string; dict keys holding findings are redacted too. Tuples come back
        as lists.
        """
        scope = pseudonyms if pseudonyms is not None else PseudonymScope()
        by_path: dict[str, list[Finding]] = {}
        for f in findings:
            by_path.setdefault(f.path or "", []).append(f)

        def leaf(node: Any, path: str) -> Any:
            hits = by_path.get(path)
            if not hits:
                return node
            if isinstance(node, str):
                return redact_text(node, hits, operator, pseudonyms=scope)
            if isinstance(node, int | float) and not isinstance(node, bool):
                return redact_text(str(node), hits, operator, pseudonyms=scope)
            return node

        root: list[Any] = [None]
        # (source node, its path, container to fill, slot in that container)
        stack: list[tuple[Any, str, Any, Any]] = [(obj, "", root, 0)]
        while stack:
            node, path, target, slot = stack.pop()
            if isinstance(node, dict):
                new: dict[Any, Any] = {}
                target[slot] = new
                for i, (key, value) in enumerate(node.items()):
                    key_hits = by_path.get(f"{path}/~k{i}")
                    if key_hits:
                        key_text = key if isinstance(key, str) else str(key)
                        new_key: Any = redact_text(key_text, key_hits, operator, pseudonyms=scope)
                        base, n = new_key, 2
                        while new_key in new:
                            new_key = f"{base} #{n}"
                            n += 1
                        child_path = f"{path}/~v{i}"
                    else:
                        new_key = key
                        key_text = key if isinstance(key, str) else str(key)
                        child_path = f"{path}/{_escape_pointer(key_text)}"
                    new[new_key] = None
                    stack.append((value, child_path, new, new_key))
            elif isinstance(node, list | tuple):
                items: list[Any] = [None] * len(node)
                target[slot] = items
                for i, value in enumerate(node):
                    stack.append((value, f"{path}/{i}", items, i))
            else:
                target[slot] = leaf(node, path)
        return root[0]


def _resolve(raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep non-overlapping findings: longest first, then the most specific kind.

    A password assignment yields to any key format it overlaps (``SECRET_KEY=sk_live_…``
    is a Stripe key, whatever the variable is called).
    """
    raw.sort()
    if all(raw[i][1] <= raw[i + 1][0] for i in range(len(raw) - 1)):
        return raw  # the common case: nothing overlaps
    order = sorted(
        set(raw),
        key=lambda r: (r[2] == "password_assignment", r[0] - r[1], _RANK.get(r[2], 99), r[0]),
    )
    starts: list[int] = []
    kept: list[tuple[int, int, str]] = []
    for cand in order:
        s, e, _ = cand
        i = bisect_right(starts, s)
        if i > 0 and kept[i - 1][1] > s:
            continue
        if i < len(starts) and starts[i] < e:
            continue
        starts.insert(i, s)
        kept.insert(i, cand)
    return kept


_PROCESS_KEY: bytes | None = None


def _process_key() -> bytes:
    global _PROCESS_KEY
    if _PROCESS_KEY is None:
        _PROCESS_KEY = os.urandom(32)
    return _PROCESS_KEY
