"""The :class:`Scanner`: one linear pass of candidate patterns, validation of candidates only.

How a scan runs, and why it is fast and linear:

1. :func:`~.normalize.normalize` folds look-alike text. Text without ``%``, ``&``, ``\\``
   or a foldable character (most bodies) skips this entirely.
2. One pass of an RE2 alternation of every detector's *candidate* pattern (no capture
   groups) finds candidate spans. RE2 runs in time linear in the text and every
   repetition in the patterns is bounded, so no input makes a pass re-scan far ahead.
3. For each candidate an anchored RE2 set over its few bytes names the detector, whose
   Python validator applies the format's rules (Luhn, mod 97, base64 decoding,
   placeholder rejection). Only when that does not settle the span does a set over a
   small window name other detectors to try there. Text dense with candidates switches
   to one full pass per detector that has any.
4. Overlapping findings are resolved (the longest, then the most specific kind wins;
   password assignments yield to key formats) and mapped back to offsets in the
   original text.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import re2

from . import broken, encoded, pii, secrets, service_keys, tables
from ._base import Detector, has_match, match_spans
from ._stream_hold import LOOKAHEAD, PrefixSet, ValuePrefixes
from ._types import ALL_KINDS, Finding, category_of, is_known_kind, known_kinds, new_finding
from .custom import CustomDetector, SkippedRule, coerce, load_gitleaks, warn_skipped
from .known_values import KnownValueMatcher
from .normalize import (
    _DECODED_ESCAPE_BYTES,
    _FOLD,
    MAX_EXPANSION,
    _has_escapes,
    ascii_proxy,
    normalize,
)
from .redaction import PseudonymScope, redact_text


def _prompt_leak_class() -> Any:
    """The prompt-leak detector class, or ``None`` while its module is absent."""
    try:
        module = importlib.import_module(".prompt_leak", __package__)
    except ImportError:  # pragma: no cover - only while that module is being written
        return None
    return module.PromptLeakDetector


PromptLeakDetector: Any = _prompt_leak_class()

DETECTORS: tuple[Detector, ...] = (
    pii.DETECTORS
    + secrets.DETECTORS
    + service_keys.DETECTORS
    + tables.DETECTORS
    + broken.DETECTORS
    + encoded.DETECTORS
)

# When two findings overlap, the longer one wins; on equal length, the earlier kind here.
_RANK: dict[str, int] = {
    kind: i
    for i, kind in enumerate(
        (
            "private_key", "jwt", "mongodb_uri", "gcp_service_account", "aws_secret_key",
            "aws_access_key", "anthropic_api_key", "pypi_token", "gitlab_token",
            "huggingface_token", "groq_api_key", "perplexity_api_key", "replicate_api_token",
            "npm_token", "sendgrid_api_key", "slack_webhook", "twilio_api_key",
            "mailgun_api_key", "cohere_api_key", "mistral_api_key", "azure_openai_key",
            "github_token", "openai_api_key", "slack_token", "stripe_key", "google_api_key",
            "iban", "credit_card", "us_ssn", "email", "phone", "ipv4", "object_id",
            "bearer_token", "password_assignment", "system_prompt", "canary", "known_value",
        )
    )
}  # fmt: skip

# Kinds recognised by their context rather than their format: they yield to any format
# they overlap (``SECRET_KEY=sk_live_…`` is a Stripe key, ``Bearer eyJ…`` a JWT).
_GENERIC = frozenset({"password_assignment", "bearer_token"})

_KEEP: Any = object()  # "argument not given" for derive()
# Between the values of a JSON document scanned as one text: no pattern crosses a NUL,
# and the line breaks end every line-anchored one.
_JOIN = "\n\0\n"


# Characters of look-ahead around a candidate within which other detectors are tried.
_PAD = 96
# Above this many candidates per character, per-candidate work costs more than one full
# pass per flagged detector, so the scanner switches strategy.
_DENSE = 1 / 700
#: Clean verdicts a scanner remembers (``is_clean_ascii(..., remember=True)``).
REMEMBERED = 256


class _Engine:
    """The compiled patterns; built once per process and shared by every scanner.

    ``prefilter`` is an RE2 set of every detector pattern (plus the prompt-leak marker
    patterns, which come last); ``combined`` patterns are one alternation per set of
    enabled detectors, to find candidate spans in one pass.
    """

    def __init__(
        self, detectors: Sequence[Detector], custom: Sequence[CustomDetector] = ()
    ) -> None:
        self.options = re2.Options()
        self.options.max_mem = 64 << 20
        self.custom = tuple(custom)
        self.custom_kinds = frozenset(c.kind for c in self.custom)
        self.detectors = tuple(detectors) + tuple(c.to_detector() for c in self.custom)
        self.multi_kind = any(d.kinds for d in self.detectors)
        self.compiled = [re2.compile(d.pattern, self.options) for d in self.detectors]
        self.leak_patterns = _leak_patterns()
        self.prefilter = re2.Set.SearchSet(self.options)
        for pattern in (*(d.pattern for d in self.detectors), *self.leak_patterns):
            self.prefilter.Add(pattern)
        self.prefilter.Compile()
        # The same patterns anchored at both ends: which of them match a candidate's text
        # exactly. Much cheaper than asking RE2 for capture groups of the alternation.
        self.exact = re2.Set.FullMatchSet(self.options)
        for pattern in (*(d.pattern for d in self.detectors), *self.leak_patterns):
            self.exact.Add(pattern)
        self.leak_first = len(self.detectors)
        # Patterns that only the combined pass uses, recognised by the exact set after the
        # leak patterns and never reported themselves: gates (see Detector.gate), then
        # the narrower combined-pass forms of some detectors (Detector.combined).
        self.gates = [(i, d.gate) for i, d in enumerate(self.detectors) if d.gate]
        self.gate_first = self.leak_first + len(self.leak_patterns)
        self.forms = [i for i, d in enumerate(self.detectors) if d.combined]
        self.form_first = self.gate_first + len(self.gates)
        for _, gate in self.gates:
            self.exact.Add(gate)
        for i in self.forms:
            self.exact.Add(self.detectors[i].combined)
        self.exact.Compile()
        # Detector.need, for the detectors that have one. (Searched one by one: a set
        # cannot tell "no match", the usual answer, from "out of memory".)
        self.needs = [
            (i, has_match(re2.compile(d.need, self.options)))
            for i, d in enumerate(self.detectors)
            if d.need
        ]
        self.gate_search: Any = (
            re2.compile("|".join(f"(?:{g})" for _, g in self.gates), self.options)
            if self.gates
            else None
        )
        # Twice the kind's rank; a narrowed form ranks just after its detector's own
        # pattern (on a tie, the candidate is the plain one, without left context).
        self.rank = (
            [2 * _RANK.get(d.kind, 99) for d in self.detectors]
            + [200] * len(self.leak_patterns)
            + [202] * len(self.gates)
            + [2 * _RANK.get(self.detectors[i].kind, 99) + 1 for i in self.forms]
        )
        self._combined: dict[tuple[frozenset[int], bool, bool], Any] = {}
        self._matchers: dict[tuple[frozenset[int], bool, bool], Callable[[bytes], bool]] = {}
        self._prefixes: dict[tuple[frozenset[int], bool], PrefixSet] = {}

    def prefixes(self, active: frozenset[int], leak: bool) -> PrefixSet:
        """The stream prefix checks of the active patterns (built on first use: only
        streams need them)."""
        key = (active, leak)
        cached = self._prefixes.get(key)
        if cached is None:
            cached = PrefixSet(
                [self.detectors[i] for i in sorted(active)], self.leak_patterns if leak else ()
            )
            self._prefixes[key] = cached
        return cached

    def flagged(self, data: bytes) -> list[int] | None:
        """Indices of patterns with at least one candidate in *data*.

        ``None`` when the set reports nothing: RE2 sets cannot tell "no match" from "ran
        out of memory", so callers that know a candidate exists must assume every
        pattern may match (fail closed).
        """
        hits = self.prefilter.Match(data)
        return sorted(hits) if hits else None

    def needless(self, data: bytes) -> frozenset[int]:
        """Indices of detectors whose :attr:`~.Detector.need` occurs nowhere in *data*:
        none of their candidates there can be accepted."""
        return frozenset(i for i, found in self.needs if not found(data))

    def every(self, active: frozenset[int], leak: bool) -> list[int]:
        """All pattern indices a scanner with *active* detectors would run."""
        extra = range(self.leak_first, self.leak_first + len(self.leak_patterns))
        return sorted(active) + (list(extra) if leak else [])

    def combined(self, active: frozenset[int], leak: bool, clean: bool = False) -> Any:
        """The alternation of the active patterns, to find candidates in one pass.

        With *clean*, each detector's clean-check form (``Detector.clean``) stands in for
        its pattern: a superset of the matches, for :meth:`Scanner.is_clean_ascii`.
        """
        key = (active, leak, clean)
        cached = self._combined.get(key)
        if cached is None:
            # Leftmost-first: at one position the earliest alternative wins, so the more
            # specific kinds come first. (Leftmost-longest would be simpler but makes RE2
            # scan ahead for a longer match, which is quadratic on repetitive input.)
            indices = sorted(active, key=lambda i: _RANK.get(self.detectors[i].kind, 99))
            patterns = []
            for i in indices:
                d = self.detectors[i]
                patterns.append((clean and d.clean) or d.combined or d.pattern)
            if leak:
                patterns.extend(self.leak_patterns)
            # Gates last: a real candidate at the same position wins.
            patterns.extend(
                (clean and self.detectors[i].clean_gate) or gate
                for i, gate in self.gates
                if i in active
            )
            source = "|".join(f"(?:{p})" for p in patterns) or "$^"
            if clean and source == self.combined(active, leak).pattern:
                # No detector here has a clean form: the same pattern and matcher.
                self._matchers[key] = self.matcher(active, leak, False)
                cached = self._combined[key] = self.combined(active, leak)
                return cached
            else:
                options = re2.Options()
                options.max_mem = 64 << 20
                cached = re2.compile(source, options)
            self._combined[key] = cached
            self._matchers[key] = has_match(cached)
        return cached

    def matcher(self, active: frozenset[int], leak: bool, clean: bool) -> Callable[[bytes], bool]:
        """:func:`has_match` of :meth:`combined`'s pattern (built once, like it)."""
        self.combined(active, leak, clean)
        return self._matchers[(active, leak, clean)]


def _leak_patterns() -> tuple[str, ...]:
    """The prompt-leak module's marker and disclosure patterns, to gate its scan."""
    if PromptLeakDetector is None:
        return ()
    module = importlib.import_module(".prompt_leak", __package__)
    names = ("_CONTROL_RE", "_DISCLOSURE_RE")
    if not all(hasattr(module, n) for n in names):
        return ()
    return tuple(str(getattr(module, n).pattern) for n in names)


_ENGINE: _Engine | None = None
# Engines with custom detectors, one per distinct tuple of them (config is read once per
# app, so this holds a handful at most).
_CUSTOM_ENGINES: dict[tuple[CustomDetector, ...], _Engine] = {}


def _engine(custom: tuple[CustomDetector, ...] = ()) -> _Engine:
    global _ENGINE
    if custom:
        engine = _CUSTOM_ENGINES.get(custom)
        if engine is None:
            engine = _CUSTOM_ENGINES[custom] = _Engine(DETECTORS, custom)
        return engine
    if _ENGINE is None:
        _ENGINE = _Engine(DETECTORS)
    return _ENGINE


def canonical(value: str) -> str:
    """The form of a value that is fingerprinted and compared.

    Look-alikes are folded and case and whitespace ignored; a value that is mostly digits
    keeps only its letters and digits, so ``123-45-6789`` and ``123 45 6789`` agree.
    """
    if value.isascii():
        # bytes.translate deletes through a 256-entry table: much cheaper per value than
        # a regex substitution (dense bodies canonicalise thousands of them).
        raw = value.encode("ascii")
        alnum = raw.translate(None, _NOT_ALNUM_BYTES)
        digits = len(alnum) - len(alnum.translate(None, _DIGIT_BYTES))
        if digits >= 4 and digits * 5 >= 3 * len(alnum):
            return alnum.decode("ascii").lower()  # casefold() of ASCII
        return "".join(value.split()).casefold()
    value = value.translate(_FOLD)
    folded = "".join(c for c in value if c.isalnum())
    digits = len(folded) - len(folded.translate(_NO_DIGITS))
    if digits >= 4 and digits * 5 >= 3 * len(folded):
        return folded.casefold()
    return "".join(value.split()).casefold()


_DIGIT_BYTES = b"0123456789"
_NOT_ALNUM_BYTES = bytes(c for c in range(256) if not chr(c).isascii() or not chr(c).isalnum())
_NO_DIGITS = {c: None for c in range(48, 58)}


class _Keyed:
    """HMAC-SHA256 under one key, from the two SHA-256 states the key determines (RFC
    2104): each value costs two state copies and two digests, not a new HMAC object."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:  # SHA-256's block size
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def hexdigest20(self, value: str) -> str:
        """The first 20 hex digits of the HMAC of *value* (UTF-8)."""
        inner = self._inner.copy()
        inner.update(value.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:20]


def _escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _check_kinds(names: Iterable[str], what: str) -> frozenset[str]:
    if isinstance(names, str):
        names = (names,)
    kinds = frozenset(names)
    unknown = sorted(k for k in kinds if not is_known_kind(k))
    if unknown:
        raise ValueError(
            f"unknown finding kind(s) in {what}: {', '.join(unknown)}; "
            f"known kinds: {', '.join(sorted(known_kinds()))}"
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
    :param extra: custom detectors (:class:`~.custom.CustomDetector` or mappings of its
        fields); their patterns join the one combined pass and their kinds are reported
        like built-in ones.
    """

    def __init__(
        self,
        *,
        extra: Iterable[CustomDetector | Mapping[str, Any]] = (),
        kinds: Iterable[str] | None = None,
        allow: Iterable[str] = (),
        known_values: Iterable[str] = (),
        system_prompts: Iterable[str] = (),
        canaries: Iterable[str] = (),
        fingerprint_key: bytes | None = None,
    ) -> None:
        custom = coerce(extra)
        duplicate = sorted({c.kind for c in custom if [d.kind for d in custom].count(c.kind) > 1})
        if duplicate:
            raise ValueError(f"custom detectors with the same kind: {', '.join(duplicate)}")
        self._engine = _engine(custom)
        self._kinds = _check_kinds(kinds, "kinds") if kinds is not None else None
        self._allow = _check_kinds(allow, "allow")
        self._key = fingerprint_key if fingerprint_key is not None else _process_key()
        self._known_raw = tuple(known_values)
        self._prompts = tuple(system_prompts)
        self._canaries = tuple(canaries)
        self._setup()

    def _setup(self) -> None:
        # Keyed once; each fingerprint copies the keyed state instead of re-keying.
        self._mac = _Keyed(self._key)
        enabled = ALL_KINDS | self._engine.custom_kinds if self._kinds is None else self._kinds
        enabled = enabled - self._allow
        self._enabled = enabled
        self._active = frozenset(
            i for i, d in enumerate(self._engine.detectors) if d.reports(enabled)
        )
        known = KnownValueMatcher(self._known_raw) if "known_value" in enabled else None
        # ``None`` unless there is something to match: tested on every scan.
        self._known = known if known else None
        self._leak: Any = None
        self._leak_always = False
        if PromptLeakDetector is not None and enabled & {"system_prompt", "canary"}:
            self._leak = PromptLeakDetector(system_prompts=self._prompts, canaries=self._canaries)
            # Without prompts or canaries only its marker patterns matter, and those are
            # in our prefilter; with them it must always look.
            self._leak_always = bool(self._prompts or self._canaries) or not (
                self._engine.leak_patterns
            )
        self._values: Any = _KEEP  # stream prefix checks of the values, built on first use
        self._remembered: set[tuple[int, int]] = set()  # see is_clean_ascii
        # The candidate pattern of this scanner, looked up once rather than per scan.
        self._plain: Any = (
            self._engine.combined(self._active, self._leak is not None)
            if self._active or self._leak is not None
            else None
        )
        # The clean check (is_clean_ascii): whether the pattern, or its superset made of
        # the detectors' clean forms (see Detector.clean), matches some bytes.
        self._plain_hit: Callable[[bytes], bool] | None = None
        self._clean_hit: Callable[[bytes], bool] | None = None
        if self._plain is not None:
            leak = self._leak is not None
            self._plain_hit = self._engine.matcher(self._active, leak, False)
            self._clean_hit = self._engine.matcher(self._active, leak, True)

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

    @classmethod
    def from_gitleaks(
        cls,
        path: str | Path,
        *,
        extra: Iterable[CustomDetector | Mapping[str, Any]] = (),
        **options: Any,
    ) -> Scanner:
        """A scanner with the rules of a gitleaks TOML config as custom detectors (after
        *extra*); other keyword arguments as for :class:`Scanner`.

        Rules that cannot be used (a regex RE2 does not compile, no regex) are skipped with
        a :class:`GitleaksRuleWarning` each and listed in :attr:`skipped_rules`.
        """
        detectors, skipped = load_gitleaks(path)
        warn_skipped(skipped)
        scanner = cls(extra=(*coerce(extra), *detectors), **options)
        scanner.skipped_rules = skipped
        return scanner

    # ----------------------------------------------------------------------------------
    # properties

    #: Rules of a gitleaks config that :meth:`from_gitleaks` could not use.
    skipped_rules: tuple[SkippedRule, ...] = ()

    @property
    def custom_detectors(self) -> tuple[CustomDetector, ...]:
        """The custom detectors this scanner runs (in its combined pass)."""
        return self._engine.custom

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

    def hold_back(self, tail: str) -> int:
        """How many trailing characters of a stream may still belong to an unfinished finding.

        ``tail`` is the stream's last :attr:`window` characters (a finding cannot be
        longer). The answer is where the earliest text starts that could still grow into
        a finding (see :mod:`._stream_hold`): for prose, the last word or two. Text with
        escapes or look-alikes is folded first, as :meth:`scan` folds it, and the answer
        mapped back, so invisible characters padding a value count as part of it.
        """
        if not tail:
            return 0
        ascii_text = tail.isascii()
        data = tail.encode("ascii") if ascii_text else b""
        norm = None
        ntext = tail
        if not ascii_text or _has_escapes(tail, data):
            norm = normalize(tail)
            if norm is not None:
                ntext = norm.text
            if ntext.isascii():
                data = ntext.encode("ascii")
            else:
                proxy = ntext.replace("\u2581", "_") if "\u2581" in ntext else ntext
                data = proxy.encode("ascii", "replace")
        start = self._hold_start(data, ntext)
        if start >= len(ntext):
            return 0
        if norm is not None:
            start = norm.orig_start(start)
        return len(tail) - start

    def _hold_start(self, data: bytes, ntext: str) -> int:
        """:meth:`hold_back` on folded text: where the unfinished part starts."""
        n = len(data)
        prefixes = self._engine.prefixes(self._active, self._leak is not None)
        # No unfinished candidate starts further back than the longest candidate (the
        # long formats, checked by their opener, excepted).
        base = max(0, n - prefixes.width - 1)
        start = base + prefixes.start(data[base:])
        start = min(start, prefixes.opener_start(data, ntext))
        values = self._value_prefixes()
        if values is not None:
            base = max(0, n - values.width * 4 - 1)
            start = min(start, base + values.start(data[base:], ntext[base:]))
        # A complete candidate close to the end waits for its validator's look-ahead.
        if self._plain is not None:
            hit = self._plain.search(data, max(0, n - prefixes.width - LOOKAHEAD))
            while hit is not None and hit.end() < n - LOOKAHEAD:
                hit = self._plain.search(data, hit.end())
            if hit is not None:
                start = min(start, hit.start())
        return start

    def _value_prefixes(self) -> ValuePrefixes | None:
        """The prefix checks of this scanner's known values, canaries and prompts."""
        if self._values is _KEEP:
            canaries = self._canaries if "canary" in self._enabled else ()
            prompts = self._prompts if "system_prompt" in self._enabled else ()
            known = self._known
            if known is None and not canaries and not prompts:
                self._values = None
            else:
                self._values = ValuePrefixes(
                    known.pattern if known is not None else None,
                    known.max_len if known is not None else 0,
                    tuple(canaries),
                    tuple(prompts),
                )
        return self._values  # type: ignore[no-any-return]

    def fingerprint(self, value: str) -> str:
        """HMAC-SHA256 of the canonical form of *value*, hex, 20 characters."""
        return self._mac.hexdigest20(canonical(value))

    # ----------------------------------------------------------------------------------
    # scanning

    def _spans(self, text: str, first: bool = False) -> list[tuple[str, int, int, str]]:
        """``(kind, start, end, canonical value)`` for *text*, offsets into *text*.

        With *first*, text dense with candidates stops at the first detector that reports
        something, and one finding is returned: whether there are any, at a fraction of
        the cost (see :meth:`has_findings`).
        """
        if not text:
            return []
        # RE2 works on UTF-8; feeding it str makes the wrapper re-encode the whole text on
        # every call. Patterns only need ASCII, so non-ASCII characters become "?" (not a
        # word character, not a space, like most of them) and offsets stay 1:1. The
        # DeepSeek marker character is kept as "_" so the leak prefilter still sees it.
        ascii_text = text.isascii()
        data = text.encode("ascii") if ascii_text else b""
        if ascii_text and not _has_escapes(text, data):
            # Most bodies: nothing to fold (what normalize() would find out, inlined).
            norm = None
            ntext = text
        else:
            norm = normalize(text)
            ntext = norm.text if norm is not None else text
            if ntext.isascii():
                data = ntext.encode("ascii")
            else:
                data = ascii_proxy(ntext)
        raw: list[tuple[int, int, str]] = []
        leak_needed = self._leak is not None and self._leak_always
        found = False
        if self._plain is not None:
            leak_hit = self._candidates(ntext, data, raw, first)
            # (the prefilter sees leak markers even when this scanner reports no leaks)
            leak_needed = leak_needed or (leak_hit and self._leak is not None)
            if first:
                raw = [r for r in raw if r[2] in self._enabled][:1]
                found = bool(raw)
                leak_needed = leak_needed and not found
        if self._known and not found:
            bounded = KnownValueMatcher.bounded
            # Known values may hold any character: match them on the real text.
            for s, e in self._known.find(data if ntext.isascii() else ntext):
                if bounded(ntext, s, e):
                    raw.append((s, e, "known_value"))
        if leak_needed:
            for kind, s, e in self._leak.find(ntext):
                if kind in self._enabled and s < e:
                    raw.append((s, e, kind))
        if not raw:
            return []
        if self._engine.multi_kind:
            # detectors reporting several kinds may report one this scanner does not
            raw = [r for r in raw if r[2] in self._enabled]
        kept = _resolve(raw, ntext)
        out: list[tuple[str, int, int, str]] = []
        for s, e, kind in kept:
            value = canonical(ntext[s:e])
            if norm is not None:
                s, e = norm.orig_start(s), norm.orig_end(e)
            out.append((kind, s, e, value))
        return out

    def _candidates(
        self, ntext: str, data: bytes, raw: list[tuple[int, int, str]], first: bool = False
    ) -> bool:
        """Validate every candidate into *raw*; return whether a leak marker was seen.

        Sparse text (the usual case): one pass of the combined pattern finds candidate
        spans, each validated by the detector that produced it (see the module docstring).
        Dense text: one set match over the whole text, then one full pass per flagged
        detector; with *first*, none after one that reported a kind this scanner reports.
        """
        engine = self._engine
        active = self._active
        leak = self._leak is not None
        n = len(ntext)
        plain = self._plain
        spans: list[tuple[int, int]] = []
        dense = False
        for m in plain.finditer(data):
            spans.append(m.span())
            # Decide early: on dense text the remaining matches are not worth finding.
            if len(spans) >= 8 and len(spans) > m.end() * _DENSE:
                dense = True
                break
        if not spans:
            return False
        leak_first = engine.leak_first
        if dense:
            flagged = engine.flagged(data) or engine.every(active, leak)
            needless = engine.needless(data)
            enabled = self._enabled
            for i in flagged:
                if i in active and i not in needless:
                    self._run_all(i, ntext, data, raw)
                    if first and any(r[2] in enabled for r in raw):
                        break
            return any(i >= leak_first for i in flagged)
        leak_hit = False
        last_end: dict[int, int] = {}
        detectors = engine.detectors
        rank = engine.rank
        gate_first = engine.gate_first
        form_first = engine.form_first
        for s0, e in spans:
            s = s0
            # The earliest-ranked pattern that matches exactly this text is the
            # alternative the combined pattern chose here.
            exact = engine.exact.Match(data[s:e])
            primary = min(exact, key=rank.__getitem__) if exact else -1
            narrow = primary >= form_first
            if narrow:
                # A narrowed form: its own pattern's candidate starts after the left
                # context and ends where that pattern ends (a form may read past it).
                primary = engine.forms[primary - form_first]
                s += _lead(data, s)
                own = engine.compiled[primary].match(data, s)
                if own is None:
                    primary = -1
                else:
                    e_own = own.end()
            elif exact and any(gate_first <= i < form_first for i in exact):
                primary = -1  # a gate: run every detector with a candidate around it
            kind = ""
            if primary >= leak_first:
                leak_hit = True
            elif primary >= 0 and primary in active and last_end.get(primary, 0) <= s:
                # The candidate here belongs to this detector. When it validates to
                # exactly its own span, a candidate of another kind starting inside it
                # would lose the overlap resolution anyway, so we are done with this span.
                # Not so after a narrowed form: the combined pass took characters around
                # the candidate, where another kind's candidate may start.
                # Nor when a gate starts inside the span (its word is part of this
                # candidate, "isabel@example.org 2025550143"): the combined pass will not
                # see that gate again. Nor when a run of digit groups goes on after the
                # span ("192.168.1.20+44 20 7946 0958-4111111111111111"): a card candidate
                # starting inside it reads along that run and may report a card past the
                # span. (A custom pattern may match where a built-in one won the
                # alternation: with custom detectors the window below is always asked.)
                if narrow:
                    last_end[primary] = e_own
                    accepted = self._accept(detectors[primary], ntext, s, e_own, raw)
                else:
                    last_end[primary] = e
                    accepted = self._accept(detectors[primary], ntext, s, e, raw)
                    if (
                        accepted == (s, e)
                        and not engine.custom
                        and not _gated(engine, data, s, e)
                        and not _run_goes_on(data, e)
                    ):
                        continue
                kind = detectors[primary].kind if accepted else ""
            # Otherwise other detectors may have candidates here (a Stripe key inside a
            # password assignment, a card number that the phone pattern also matched):
            # ask the set which, on a small slice, and run just those.
            # (From the start of the whole match: a narrowed form's left context may be
            # where another kind's candidate starts.)
            s = s0
            w_end = min(n, e + _PAD)
            for i in engine.flagged(data[s:w_end]) or engine.every(active, leak):
                if i >= leak_first:
                    leak_hit = True
                elif (
                    i in active
                    and i != primary
                    # already found what it would find (but a gated detector may have
                    # candidates that only its gate brings to light)
                    and (detectors[i].kind != kind or detectors[i].gate)
                    and last_end.get(i, 0) <= s
                ):
                    last_end[i] = self._run(i, ntext, data, s, w_end, n, raw)
        return leak_hit

    @staticmethod
    def _accept(
        d: Detector, ntext: str, start: int, end: int, raw: list[Any]
    ) -> tuple[int, int] | None:
        """Validate one candidate into *raw*; return its span when it is a single one."""
        span = d.validate(ntext, start, end)
        if span is None:
            return None
        return Scanner._record(d, span, raw)

    @staticmethod
    def _record(d: Detector, span: Any, raw: list[Any]) -> tuple[int, int] | None:
        """Add what a validator returned to *raw*; return its span when it is a single one."""
        # Unbounded formats (PEM, JWT, long tokens) are reported up to their cap so that
        # the streaming window stays finite.
        if isinstance(span, tuple):
            if span[0] < span[1]:
                raw.append((span[0], min(span[1], span[0] + d.max_len), d.kind))
            return span
        for item in span:
            a, b = item[0], item[1]
            if a < b:
                raw.append((a, min(b, a + d.max_len), item[2] if len(item) == 3 else d.kind))
        return None

    def _run(
        self,
        i: int,
        ntext: str,
        data: bytes,
        pos: int,
        until: int,
        n: int,
        raw: list[tuple[int, int, str]],
    ) -> int:
        """Validate detector *i*'s candidates that start in ``[pos, until)``.

        Returns the end of the last candidate, so the next region resumes after it (the
        same non-overlapping candidates a full pass would produce).
        """
        d = self._engine.detectors[i]
        regex = self._engine.compiled[i]
        cap = min(n, until + d.max_len + _PAD)
        last = pos
        for start, end in match_spans(regex, data, pos, cap):
            if start >= until:
                break
            if end == cap and cap < n:
                # The region's end cut the candidate short; take it from the whole text.
                full = regex.match(data, start)
                if full is not None:
                    end = full.end()
            last = end
            self._accept(d, ntext, start, end, raw)
            if end >= until:
                break
        return last

    def _run_all(self, i: int, ntext: str, data: bytes, raw: list[tuple[int, int, str]]) -> None:
        """:meth:`_run` over the whole text (the dense route): the same candidates, with
        the per-candidate work of that general loop and of :meth:`_accept` inlined, as text
        dense with values runs this loop thousands of times."""
        d = self._engine.detectors[i]
        validate, kind, max_len = d.validate, d.kind, d.max_len
        n = len(data)
        append = raw.append
        for start, end in match_spans(self._engine.compiled[i], data, 0, n):
            if start >= n:
                break
            span = validate(ntext, start, end)
            if span is None:
                pass
            elif isinstance(span, tuple):
                if span[0] < span[1]:
                    append((span[0], min(span[1], span[0] + max_len), kind))
            else:
                self._record(d, span, raw)
            if end >= n:
                break

    def _finding(self, kind: str, start: int, end: int, value: str, path: str | None) -> Finding:
        return new_finding(kind, category_of(kind), start, end, path, self._mac.hexdigest20(value))

    def is_clean_ascii(self, data: bytes, *, remember: bool = False) -> bool:
        """Whether ``scan(data.decode("ascii"))`` would certainly return nothing, decided
        on the bytes alone (``data`` must be ASCII).

        ``True`` only when :meth:`scan` would take its plainest path and find no candidate:
        nothing to fold, no known values, no prompts or canaries to look for. A response
        hook can then pass a clean body without ever decoding it. ``False`` means "scan
        the text", never "there is a finding".

        With *remember*, a clean verdict on these exact bytes is kept (for text that
        repeats from response to response: a block of response headers). What is kept is
        ``(len(data), hash(data))``, never the bytes: Python's hash of bytes is keyed per
        process, so a caller cannot choose a text that collides with a remembered one.
        At most :data:`REMEMBERED` verdicts are kept.
        """
        if self._known is not None or (self._leak is not None and self._leak_always):
            return False
        if remember:
            key = (len(data), hash(data))
            if key in self._remembered:
                return True
            if not self.is_clean_ascii(data):
                return False
            if len(self._remembered) >= REMEMBERED:
                self._remembered.clear()
            self._remembered.add(key)
            return True
        if b"%" in data or b"&" in data:
            return False
        if b"\\" in data and _DECODED_ESCAPE_BYTES.search(data) is not None:
            return False
        if self._plain_hit is None or self._clean_hit is None:
            return True
        if not self._clean_hit(data):
            return True
        # Something the clean forms match: only the exact pattern can say.
        return self._clean_hit is not self._plain_hit and not self._plain_hit(data)

    def has_findings(self, text: str) -> bool:
        """Whether :meth:`scan` would find anything in *text*.

        The same work as a scan, stopped once a finding is certain: on text dense with
        values, a fraction of the scan (a caller that will scan another form of the same
        content, such as its parsed JSON, asks this first).
        """
        return bool(self._spans(text, first=True))

    def scan(self, text: str) -> list[Finding]:
        """Every finding in *text*, sorted by start; offsets into *text* itself."""
        fingerprint = self._mac.hexdigest20
        return [
            new_finding(k, category_of(k), s, e, None, fingerprint(v))
            for k, s, e, v in self._spans(text)
        ]

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
        # Values are not scanned one by one (thousands of short strings would cost a call
        # each) but joined, each as "<key>: <value>" so that the key gives context (an
        # "ssn" key makes a bare nine-digit number an SSN), into one text scanned once.
        pieces: list[str] = []
        leaves: list[tuple[str, int, int]] = []  # (pointer, piece start, value offset)
        pos = 0
        # Records repeat their keys: scan and escape each distinct key once.
        key_cache: dict[str, tuple[list[tuple[str, int, int, str]], str, str]] = {}
        # (node, its pointer, the key it sits under)
        # (node, its pointer, the "<key>: " context prefix of its strings)
        stack: list[tuple[Any, str, str]] = [(obj, "", "")]
        join_len = len(_JOIN)
        while stack:
            node, path, prefix = stack.pop()
            node_type = type(node)
            # Exact types first (what json.loads builds); subclasses take the slow path.
            if node_type is str:
                if not node:
                    continue
            elif node_type is dict or (node_type is not list and isinstance(node, dict)):
                children: list[tuple[Any, str, str]] = []
                for i, (key, value) in enumerate(node.items()):
                    key_text = key if isinstance(key, str) else str(key)
                    cached = key_cache.get(key_text)
                    if cached is None:
                        cached = (
                            self._spans(key_text),
                            _escape_pointer(key_text),
                            f"{key_text[-40:]}: " if key_text else "",
                        )
                        key_cache[key_text] = cached
                    key_spans, escaped, key_prefix = cached
                    if key_spans:
                        key_path = f"{path}/~k{i}"
                        findings.extend(
                            self._finding(k, s, e, v, key_path) for k, s, e, v in key_spans
                        )
                        children.append((value, f"{path}/~v{i}", ""))
                    else:
                        children.append((value, f"{path}/{escaped}", key_prefix))
                stack.extend(reversed(children))
                continue
            elif node_type is list or isinstance(node, list | tuple):
                stack.extend(
                    (node[i], f"{path}/{i}", prefix) for i in range(len(node) - 1, -1, -1)
                )
                continue
            elif isinstance(node, str):
                if not node:
                    continue
            elif isinstance(node, int | float) and not isinstance(node, bool):
                node = str(node)
            else:
                continue
            piece = prefix + node
            leaves.append((path, pos, len(prefix)))
            pieces.append(piece)
            pos += len(piece) + join_len
        if not pieces:
            return findings
        starts = [leaf[1] for leaf in leaves]
        for kind, s, e, v in self._spans(_JOIN.join(pieces)):
            i = bisect_right(starts, s) - 1
            path, piece_start, offset = leaves[i]
            start = s - piece_start - offset
            end = min(e - piece_start, len(pieces[i])) - offset
            if start >= 0 and end > start:  # findings in the key part are the key's own
                findings.append(self._finding(kind, start, end, v, path))
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


def _gated(engine: _Engine, data: bytes, s: int, e: int) -> bool:
    """Whether a gate match starts inside ``data[s:e]``."""
    if engine.gate_search is None:
        return False
    hit = engine.gate_search.search(data, s, min(len(data), e + 64))
    return hit is not None and hit.start() < e


_RUN_GOES_ON = re2.compile(pii.CARD_RUN_GOES_ON)
_GROUP_SEPARATOR_BYTES = frozenset(b" \t+-./\r\n\\")


def _run_goes_on(data: bytes, e: int) -> bool:
    """Whether a run of digit groups goes on at *e* (see :data:`.pii.CARD_RUN_GOES_ON`)."""
    if e >= len(data) or data[e] not in _GROUP_SEPARATOR_BYTES:
        return False  # (most spans end before a quote, a letter or a comma)
    return next(match_spans(_RUN_GOES_ON, data, e, min(len(data), e + 8)), (-1, -1))[0] == e


def _lead(data: bytes, s: int) -> int:
    """Characters of left context (:data:`~.pii.NUMBER_LEAD`) a combined-pass match at *s*
    may start with: 1 or 2 before a digit, else 0."""
    if 48 <= data[s] <= 57:
        return 0
    nxt = data[s + 1 : s + 2]
    if nxt.isdigit():
        return 1
    return 2 if nxt == b"." and data[s + 2 : s + 3].isdigit() else 0


def _email_tail(text: str, start: int, end: int) -> int | None:
    """Where an e-mail candidate's own value starts when a kept finding covers its head.

    An address's local part may swallow the end of a neighbour ("…0130 00-jane@x.org"
    after an IBAN): dropping the whole candidate would let the address through, so the
    part after the neighbour is kept when it is still an address.
    """
    while start < end and not text[start].isalnum():
        start += 1
    at = text.find("@", start, end)
    return start if at > start else None


def _resolve(raw: list[tuple[int, int, str]], text: str = "") -> list[tuple[int, int, str]]:
    """Keep non-overlapping findings: longest first, then the most specific kind.

    A password assignment yields to any key format it overlaps (``SECRET_KEY=sk_live_…``
    is a Stripe key, whatever the variable is called). An e-mail address whose head is
    covered by a kept finding keeps its tail (see :func:`_email_tail`).
    """
    raw.sort()
    if _disjoint(raw):
        return raw  # the common case: nothing overlaps
    # Two detectors of one kind often report the same span (a phone number after "phone":
    # both phone detectors); without those repeats, dense text usually has no overlap.
    unique = list(dict.fromkeys(raw))
    if len(unique) < len(raw) and _disjoint(unique):
        return unique
    # Deduplicated in start order (not a set's hash order): the sort below then meets
    # long presorted runs, linear on text dense with equal-length findings.
    order = sorted(
        dict.fromkeys(raw),
        key=lambda r: (r[2] in _GENERIC, r[0] - r[1], _RANK.get(r[2], 99), r[0]),
    )
    if len(order) > _MANY_OVERLAPS and all(r[0] < r[1] for r in order):
        return _resolve_marked(order, text)
    return _resolve_inserted(order, text)


def _disjoint(spans: list[tuple[int, int, str]]) -> bool:
    """Whether sorted *spans* do not overlap."""
    return all(a[1] <= b[0] for a, b in pairwise(spans))


def _resolve_inserted(
    order: list[tuple[int, int, str]], text: str = ""
) -> list[tuple[int, int, str]]:
    """Keep each candidate (in priority order) that overlaps no kept one."""
    starts: list[int] = []
    kept: list[tuple[int, int, str]] = []
    for cand in order:
        s, e, kind = cand
        i = bisect_right(starts, s)
        if i > 0 and kept[i - 1][1] > s:
            tail = (
                _email_tail(text, kept[i - 1][1], e)
                if kind == "email" and text and kept[i - 1][1] < e
                else None
            )
            if tail is None:
                continue
            s = tail
            cand = (s, e, kind)
        if i < len(starts) and starts[i] < e:
            continue
        starts.insert(i, s)
        kept.insert(i, cand)
    return kept


# Above this many candidates, inserting each kept span into a sorted list (a memmove of
# the list each time: quadratic when the priority order jumps around the text) costs
# more than marking the characters the kept spans cover.
_MANY_OVERLAPS = 64


def _resolve_marked(
    order: list[tuple[int, int, str]], text: str = ""
) -> list[tuple[int, int, str]]:
    """:func:`_resolve` for many non-empty candidates, given in priority order: the same
    result, with the characters of kept spans marked in a bytearray instead of a sorted
    list."""
    taken = bytearray(max(e for _, e, _ in order))
    kept: list[tuple[int, int, str]] = []
    for cand in order:
        s, e, kind = cand
        if taken.find(1, s, e) >= 0:  # a kept span covers one of its characters
            free = taken.find(0, s, e)
            if kind != "email" or not text or free <= s or taken.find(1, free, e) >= 0:
                continue
            tail = _email_tail(text, free, e)
            if tail is None:
                continue
            s = tail
            cand = (s, e, kind)
        taken[s:e] = b"\x01" * (e - s)
        kept.append(cand)
    kept.sort(key=_start)  # stable: equal starts (empty spans) stay in priority order
    return kept


def _start(span: tuple[int, int, str]) -> int:
    return span[0]


_PROCESS_KEY: bytes | None = None


def _process_key() -> bytes:
    global _PROCESS_KEY
    if _PROCESS_KEY is None:
        _PROCESS_KEY = os.urandom(32)
    return _PROCESS_KEY
