"""User-defined detectors: an RE2 pattern, optional validation, context and allow-lists.

A :class:`CustomDetector` becomes one more alternative of the scanner's single combined
RE2 pass (there is no pass per detector); its candidates are validated here, in Python,
only where the pattern matched. Its kind is registered process-wide, so ``kinds=``,
``allow_kinds=``, config keys, redaction and signals accept it like a built-in kind.

gitleaks configurations (TOML, ``[[rules]]``) load into custom detectors with
:func:`load_gitleaks`. gitleaks regexes are Go RE2 syntax, so google-re2 compiles almost
all of them as they are; a rule that does not compile, or that has no regex (a path-only
rule), is returned as skipped with the reason, never raised.
"""

from __future__ import annotations

import math
import re
import tomllib
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import re2

from ._base import Detector, context_before, regex_tokens
from ._types import ALL_CATEGORIES, KIND_CATEGORIES, Category, register_kind

_KIND_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
#: Longest span a custom detector reports unless it says otherwise (it sizes the
#: streaming window, so it is bounded).
DEFAULT_MAX_LEN = 256
#: The longest span any custom detector may declare.
MAX_LEN_LIMIT = 4096


def _options() -> Any:
    options = re2.Options()
    options.max_mem = 64 << 20
    options.log_errors = False  # the error is reported to the caller instead
    return options


def strip_groups(pattern: str) -> str:
    """*pattern* with every capturing group made non-capturing.

    The combined pass and the exact-match sets run fastest without capture groups; the
    groups are only needed on a candidate's few characters (see ``secret_group``).
    Escapes and character classes are skipped, so ``\\(`` and ``[(]`` stay literal.
    """
    out: list[str] = []
    skip_to = 0
    for start, token in regex_tokens(pattern):
        if start < skip_to:
            continue
        if token == "(" and pattern.startswith(("(?P<", "(?<"), start):
            close = pattern.find(">", start)
            if close > 0:  # malformed names are left for the compiler to report
                out.append("(?:")
                skip_to = close + 1
                continue
        if token == "(" and not pattern.startswith("(?", start):
            token = "(?:"
        out.append(token)
    return "".join(out)


def shannon_entropy(value: str) -> float:
    """Bits per character of *value* (the measure gitleaks' ``entropy`` thresholds use)."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


@dataclass(frozen=True, slots=True)
class CustomDetector:
    """A user-defined finding kind.

    :param kind: the finding kind reported (snake_case, not a built-in name).
    :param pattern: RE2 syntax. Capture groups are allowed; ``secret_group`` names the one
        holding the value (``0``: the first non-empty group if there is one, else the
        whole match), and only that span is reported and redacted.
    :param category: one of ``pii``, ``secret``, ``identifier``, ``prompt_leak``,
        ``known_value``.
    :param validator: called with the value; a false answer rejects the candidate
        (a checksum, a lookup). Exceptions propagate (guarded routes fail closed).
    :param context: words of which one must occur (case-insensitive) in the match or in
        the ``context_window`` characters before it; empty: no such requirement.
    :param keywords: gitleaks-style keywords: one must occur (case-insensitive) in the
        match itself.
    :param label: the replacement text of the ``label`` redaction operator
        (default ``[REDACTED:<kind>]``).
    :param allow: example values that are never reported (documentation, test fixtures).
    :param allow_patterns: RE2 patterns; a value (or, with ``allow_target="line"``, its
        line) matching one is not reported.
    :param stopwords: a value containing one of these (case-insensitive) is not reported.
    :param entropy: minimum Shannon entropy, in bits per character, of the value.
    :param max_len: the longest span reported; it sizes streaming windows.
    """

    kind: str
    pattern: str
    category: Category = "secret"
    validator: Callable[[str], bool] | None = None
    context: tuple[str, ...] = ()
    context_window: int = 40
    keywords: tuple[str, ...] = ()
    label: str | None = None
    allow: tuple[str, ...] = ()
    allow_patterns: tuple[str, ...] = ()
    allow_target: str = "match"
    stopwords: tuple[str, ...] = ()
    entropy: float | None = None
    secret_group: int = 0
    max_len: int = DEFAULT_MAX_LEN
    description: str = ""
    _compiled: Any = field(default=None, compare=False, hash=False, repr=False)
    _allow_compiled: tuple[Any, ...] = field(default=(), compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or not _KIND_NAME.match(self.kind):
            raise ValueError(
                f"custom detector kind {self.kind!r} must be snake_case "
                "(a lower-case letter, then letters, digits or '_')"
            )
        if self.kind in KIND_CATEGORIES:
            raise ValueError(f"{self.kind!r} is a built-in finding kind; choose another name")
        if self.category not in ALL_CATEGORIES:
            raise ValueError(
                f"custom detector {self.kind!r}: unknown category {self.category!r}; "
                f"categories: {', '.join(sorted(ALL_CATEGORIES))}"
            )
        if not isinstance(self.pattern, str) or not self.pattern:
            raise ValueError(f"custom detector {self.kind!r}: pattern must be a non-empty str")
        if self.validator is not None and not callable(self.validator):
            raise ValueError(f"custom detector {self.kind!r}: validator must be callable")
        if self.allow_target not in ("match", "line"):
            raise ValueError(f"custom detector {self.kind!r}: allow_target is 'match' or 'line'")
        if not 1 <= self.max_len <= MAX_LEN_LIMIT:
            raise ValueError(
                f"custom detector {self.kind!r}: max_len must be between 1 and {MAX_LEN_LIMIT}"
            )
        for name in ("context", "keywords", "allow", "allow_patterns", "stopwords"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            value = tuple(value)
            if not all(isinstance(v, str) for v in value):
                raise ValueError(f"custom detector {self.kind!r}: {name} must be strings")
            object.__setattr__(self, name, value)
        compiled = _compile(self.pattern, self.kind)
        stripped = strip_groups(self.pattern)
        _compile(stripped, self.kind)  # what the combined pass will use
        if self.secret_group > compiled.groups:
            raise ValueError(
                f"custom detector {self.kind!r}: secret_group {self.secret_group} but the "
                f"pattern has {compiled.groups} group(s)"
            )
        object.__setattr__(self, "_compiled", compiled)
        object.__setattr__(
            self, "_allow_compiled", tuple(_compile(p, self.kind) for p in self.allow_patterns)
        )
        register_kind(self.kind, self.category, self.label)

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any]) -> CustomDetector:
        """Build a detector from a mapping (a config entry); unknown keys raise."""
        known = {f for f in cls.__dataclass_fields__ if not f.startswith("_")}
        unknown = sorted(set(spec) - known)
        if unknown:
            raise ValueError(
                f"custom detector {spec.get('kind')!r}: unknown field(s) {', '.join(unknown)}; "
                f"fields: {', '.join(sorted(known))}"
            )
        return cls(**dict(spec))

    def to_detector(self) -> Detector:
        """The engine's view: a group-free candidate pattern and its validator."""
        return Detector(self.kind, strip_groups(self.pattern), self._validate, self.max_len)

    def _validate(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Apply the group, keyword, context, allow-list, entropy and validator rules."""
        match = self._compiled.match(text, start, end)
        s, e = start, end
        if match is not None and match.end() == end and self._compiled.groups:
            s, e = self._secret_span(match)
        value = text[s:e]
        if not value:
            return None
        whole = text[start:end].lower()
        if self.keywords and not any(k.lower() in whole for k in self.keywords):
            return None
        if self.context:
            near = context_before(text, start, self.context_window) + " " + whole
            if not any(w.lower() in near for w in self.context):
                return None
        if value in self.allow or value.strip() in self.allow:
            return None
        if self.stopwords and any(w.lower() in value.lower() for w in self.stopwords):
            return None
        if self._allow_compiled:
            target = value if self.allow_target == "match" else _line(text, start, end)
            if any(p.search(target) for p in self._allow_compiled):
                return None
        if self.entropy is not None and shannon_entropy(value) < self.entropy:
            return None
        if self.validator is not None and not self.validator(value):
            return None
        return s, e

    def _secret_span(self, match: Any) -> tuple[int, int]:
        if self.secret_group:
            span = cast("tuple[int, int]", match.span(self.secret_group))
            return span if span[0] >= 0 else cast("tuple[int, int]", match.span())
        for g in range(1, self._compiled.groups + 1):
            span = match.span(g)
            if span[0] >= 0 and span[1] > span[0]:
                return cast("tuple[int, int]", span)
        return cast("tuple[int, int]", match.span())


def _line(text: str, start: int, end: int) -> str:
    """The line holding ``text[start:end]``, at most 1,000 characters either side."""
    lo = text.rfind("\n", max(0, start - 1000), start) + 1 or max(0, start - 1000)
    hi = text.find("\n", end, end + 1000)
    return text[lo : hi if hi >= 0 else min(len(text), end + 1000)]


def _compile(pattern: str, kind: str) -> Any:
    try:
        return re2.compile(pattern, _options())
    except re2.error as exc:
        raise ValueError(
            f"custom detector {kind!r}: pattern does not compile in RE2: {exc}"
        ) from None


def coerce(detectors: Iterable[CustomDetector | Mapping[str, Any]]) -> tuple[CustomDetector, ...]:
    """Custom detectors given as instances or mappings, checked; kinds must be distinct."""
    if isinstance(detectors, CustomDetector | Mapping | str):
        raise ValueError("custom detectors must be given as a list")
    out: list[CustomDetector] = []
    for d in detectors:
        if isinstance(d, CustomDetector):
            out.append(d)
        elif isinstance(d, Mapping):
            out.append(CustomDetector.from_mapping(d))
        else:
            raise ValueError(f"a custom detector must be a CustomDetector or a mapping, got {d!r}")
    return tuple(out)


# --------------------------------------------------------------------------------------
# gitleaks


@dataclass(frozen=True, slots=True)
class SkippedRule:
    """A gitleaks rule that did not become a detector, and why (never its secret)."""

    rule_id: str
    reason: str


class GitleaksRuleWarning(UserWarning):
    """A gitleaks rule was skipped (its message names the rule and the reason)."""


def warn_skipped(skipped: Iterable[SkippedRule]) -> None:
    """One :class:`GitleaksRuleWarning` per skipped gitleaks rule."""
    for rule in skipped:
        warnings.warn(
            f"gitleaks rule {rule.rule_id!r} skipped: {rule.reason}",
            GitleaksRuleWarning,
            stacklevel=3,
        )


def kind_for_rule(rule_id: str) -> str:
    """The finding kind of a gitleaks rule: its id in snake_case, prefixed ``gitleaks_``
    when that would name a built-in kind (``github-pat`` -> ``github_pat``)."""
    kind = re.sub(r"[^a-z0-9]+", "_", rule_id.lower()).strip("_")
    if not kind or not kind[0].isalpha():
        kind = f"rule_{kind}"
    if kind in KIND_CATEGORIES:
        kind = f"gitleaks_{kind}"
    return kind[:63]


def _allowlists(section: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A rule's (or the file's) allowlists: old ``allowlist`` table, new ``allowlists``."""
    lists: list[Mapping[str, Any]] = []
    old = section.get("allowlist")
    if isinstance(old, Mapping):
        lists.append(old)
    new = section.get("allowlists")
    if isinstance(new, list):
        lists.extend(a for a in new if isinstance(a, Mapping))
    return lists


def _rule_detector(
    rule: Mapping[str, Any], global_lists: list[Mapping[str, Any]]
) -> CustomDetector:
    rule_id = str(rule.get("id") or "")
    regex = rule.get("regex")
    if not rule_id:
        raise ValueError("a rule without an id")
    if not isinstance(regex, str) or not regex:
        raise ValueError("no regex (a path-only rule)")
    allow_patterns: list[str] = []
    stopwords: list[str] = []
    targets: set[str] = set()
    for allow in [*global_lists, *_allowlists(rule)]:
        if allow.get("condition", "OR").upper() == "AND" and allow.get("paths"):
            continue  # only applies together with a file path, which a response has not
        allow_patterns.extend(str(p) for p in allow.get("regexes", ()) or ())
        stopwords.extend(str(w) for w in allow.get("stopwords", ()) or ())
        if allow.get("regexes"):
            targets.add(str(allow.get("regexTarget", "secret")))
    entropy = rule.get("entropy")
    return CustomDetector(
        kind=kind_for_rule(rule_id),
        pattern=regex,
        category="secret",
        keywords=tuple(str(k) for k in rule.get("keywords", ()) or ()),
        allow_patterns=tuple(allow_patterns),
        allow_target="line" if "line" in targets else "match",
        stopwords=tuple(stopwords),
        entropy=float(entropy) if entropy is not None else None,
        secret_group=int(rule.get("secretGroup", 0) or 0),
        description=str(rule.get("description", "")),
    )


def load_gitleaks(
    source: str | Path | Mapping[str, Any],
) -> tuple[tuple[CustomDetector, ...], tuple[SkippedRule, ...]]:
    """The detectors of a gitleaks TOML config (a path, or the parsed mapping) and the rules
    that could not be used, with the reason (an RE2 compile error, no regex, a duplicate)."""
    if isinstance(source, Mapping):
        config: Mapping[str, Any] = source
    else:
        with Path(source).open("rb") as fh:
            config = tomllib.load(fh)
    rules = config.get("rules", [])
    if not isinstance(rules, list):
        raise ValueError("a gitleaks config's 'rules' must be an array of tables ([[rules]])")
    global_lists = _allowlists(config)
    detectors: list[CustomDetector] = []
    skipped: list[SkippedRule] = []
    seen: set[str] = set()
    for rule in rules:
        rule_id = str(rule.get("id", "")) if isinstance(rule, Mapping) else ""
        try:
            if not isinstance(rule, Mapping):
                raise ValueError("not a table")
            detector = _rule_detector(rule, global_lists)
        except ValueError as exc:
            # The message names the rule and the RE2 error, never a matched value.
            skipped.append(SkippedRule(rule_id, str(exc)))
            continue
        if detector.kind in seen:
            skipped.append(SkippedRule(rule_id, f"duplicate kind {detector.kind!r}"))
            continue
        seen.add(detector.kind)
        detectors.append(detector)
    return tuple(detectors), tuple(skipped)
