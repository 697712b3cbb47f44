"""Prompt-injection screening of user input.

The text is folded into a few *views* (accents, case, look-alike letters and invisible
characters removed; leetspeak undone; spaced-out letters joined; base64, hex, rot13 and
reversed payloads decoded) and each view is matched against one RE2 pattern per rule.
Every rule carries a reason code and a weight; the score combines the strongest weight of
each reason as independent evidence, ``1 - prod(1 - w)``.

Reason codes are fixed strings; the verdict never contains any part of the input.
"""

from __future__ import annotations

import codecs
import html
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from urllib.parse import unquote

import re2

from ._base import regex_tokens
from ._decode import base64_runs, readable
from ._stems import CLAUSE_END, TO_SPACE, clauses_of, stem_pattern
from .prompt_leak import find_control_tokens, is_token_mention
from .vocab import injection_concepts as concepts
from .vocab import injection_languages as languages
from .vocab import injection_rules as rules
from .vocab import injection_words as words

__all__ = ["REASONS", "InjectionVerdict", "detect_injection"]

#: Every reason code :func:`detect_injection` may report.
REASONS: tuple[str, ...] = (
    "instruction_override",
    "prompt_extraction",
    "role_play_jailbreak",
    "role_token",
    "delimiter_escape",
    "exfiltration",
    "encoded_payload",
)


@dataclass(frozen=True, slots=True)
class InjectionVerdict:
    """Outcome of :func:`detect_injection`.

    :param flagged: ``score >= threshold``.
    :param score: 0..1, the combined weight of the evidence found.
    :param reasons: sorted reason codes (see :data:`REASONS`); never any input text.
    """

    flagged: bool
    score: float
    reasons: tuple[str, ...]


# --- rule compilation ---------------------------------------------------------------------
#
# The tables live in ``vocab/`` (see ``vocab/injection_words.py`` for the rule language);
# this module compiles them once and scores them.

_GAP = "[^a-z0-9]+"
_OPT_GAP = "[^a-z0-9]*"

_RULES = rules.RULES
_FAMILY_RULES = rules.FAMILY_RULES
_GUARDED_RULES = rules.GUARDED_RULES


def _compile(source: str, *, compact: bool) -> re2._Regexp:
    """Compile a rule for the folded view, or for the joined-letters view when ``compact``."""
    out: list[str] = []
    tokens = [token for _, token in regex_tokens(source)]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == " " and i < len(tokens) and tokens[i] == "?":
            out.append(_OPT_GAP)
            i += 1
        elif token == " ":
            out.append(_OPT_GAP if compact else _GAP)
        elif token == "~":
            out.append(_OPT_GAP)
        elif not (compact and token == r"\b"):
            out.append(token)
    return re2.compile("".join(out))


def _compile_rules(*, compact: bool) -> tuple[tuple[str, float, re2._Regexp], ...]:
    return tuple((reason, w, _compile(src, compact=compact)) for reason, w, src in _RULES)


_RULES_RE = _compile_rules(compact=False)
_FAMILY_RE: tuple[tuple[str, float, re2._Regexp], ...] = tuple(
    (reason, w, _compile(src, compact=False)) for reason, w, src in _FAMILY_RULES
)
_GUARDED_RE: tuple[tuple[str, float, re2._Regexp, re2._Regexp], ...] = tuple(
    (reason, w, _compile(src, compact=False), _compile(unless, compact=False))
    for reason, w, src, unless in _GUARDED_RULES
)
_COMPACT_RULES_RE: tuple[tuple[str, float, re2._Regexp], ...] | None = None

# Rules checked on joined letters, where word gaps are lost; structural rules (role lines,
# delimiters) need their punctuation and run on the de-spaced view instead.
_COMPACT_REASONS = frozenset(
    {"instruction_override", "prompt_extraction", "role_play_jailbreak", "exfiltration"}
)


_COMPACT_GUARDED_RE: tuple[tuple[str, float, re2._Regexp, re2._Regexp], ...] | None = None


def _compact_guarded() -> tuple[tuple[str, float, re2._Regexp, re2._Regexp], ...]:
    global _COMPACT_GUARDED_RE
    if _COMPACT_GUARDED_RE is None:
        _COMPACT_GUARDED_RE = tuple(
            (reason, w, _compile(src, compact=True), _compile(unless, compact=True))
            for reason, w, src, unless in _GUARDED_RULES
        )
    return _COMPACT_GUARDED_RE


def _compact_rules() -> tuple[tuple[str, float, re2._Regexp], ...]:
    global _COMPACT_RULES_RE
    if _COMPACT_RULES_RE is None:
        _COMPACT_RULES_RE = tuple(
            (reason, w, _compile(src, compact=True))
            for reason, w, src in _RULES
            if reason in _COMPACT_REASONS
        )
    return _COMPACT_RULES_RE


# --- folding ------------------------------------------------------------------------------

_CONFUSABLES = words.CONFUSABLES
# Combining marks and format characters (zero-width joiners, soft hyphen, bidi controls)
# are dropped; look-alike letters are mapped. Built once from the Unicode database.
_MARKS: dict[int, int | str | None] = {
    cp: None for cp in range(0x0300, 0x10000) if unicodedata.category(chr(cp)) in {"Mn", "Cf"}
}
_FOLD_TABLE: dict[int, int | str | None] = {**_MARKS, **_CONFUSABLES}
_LEET_I = words.LEET_I
_LEET_L = words.LEET_L
_RAW_RULES: tuple[tuple[str, float, re2._Regexp], ...] = tuple(
    (reason, weight, re2.compile(source)) for reason, weight, source in rules.RAW_RULES
)
_SPACED_RE = re2.compile(r"(?:\b[a-z0-9@$!|][ .\-_*/,+~]{1,3}){3,}[a-z0-9@$!|]\b")
_INVISIBLE = words.INVISIBLE
_JOINERS = words.JOINERS
_LETTER_SPACING_RE = re2.compile(r"(?:\S [^ ] ){3,}\S")
_LEET_HINT_RE = re2.compile(r"[a-z][0134579@$!|+][a-z0-9@$!|+]|[0134579@$|][a-z]{2}")
_B64_RE = re2.compile(r"[A-Za-z0-9+/\-_]{16,}={0,2}")
_HEX_RE = re2.compile(r"\b(?:[0-9a-fA-F]{2}[ :]?){12,}")
_MAX_DECODE_DEPTH = 2
_MAX_CANDIDATES = 32


def _fold(text: str) -> str:
    """Lower-case ASCII-ish view: entities, percent-escapes, accents and look-alikes undone."""
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = unquote(text)
    if text.isascii():
        return text.lower()  # nothing to decompose: the common case, kept cheap
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    # One table drops combining accents and format characters and maps look-alike letters.
    return decomposed.translate(_FOLD_TABLE)


def _join_spaced(view: str) -> str | None:
    """Join runs of single letters ("i g n o r e") into words; ``None`` if there are none."""
    if _SPACED_RE.search(view) is None:
        return None
    parts: list[str] = []
    last = 0
    for m in _SPACED_RE.finditer(view):
        parts.append(view[last : m.start()])
        parts.append(" " + "".join(ch for ch in m.group() if ch.isalnum() or ch in "@$!|") + " ")
        last = m.end()
    parts.append(view[last:])
    return "".join(parts)


def _decode_candidates(text: str) -> list[str]:
    """Decode base64 / hex runs that turn into readable text."""
    out = [decoded for _, _, decoded in base64_runs(text, _B64_RE, _MAX_CANDIDATES)]
    for m in _HEX_RE.finditer(text):
        if len(out) >= _MAX_CANDIDATES:
            break
        digits = "".join(ch for ch in m.group() if ch not in " :")
        try:
            decoded = readable(bytes.fromhex(digits[: len(digits) // 2 * 2]))
        except ValueError:
            continue
        if decoded is not None:
            out.append(decoded)
    return out


# --- scoring ------------------------------------------------------------------------------


_QUOTE_CHARS = "\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb"


def _unquoted_match(rx: re2._Regexp, view: str) -> bool:
    """True if ``rx`` matches somewhere other than inside a short quotation.

    "What does 'ignore previous instructions' mean?" talks *about* an attack; a quotation
    that closes right after the match is a mention, not an instruction.
    """
    pos = 0
    for _ in range(8):
        m = rx.search(view, pos)
        if m is None:
            return False
        start, end = m.span()
        before = view[max(0, start - 2) : start]
        after = view[end : end + 3]
        if not (any(q in before for q in _QUOTE_CHARS) and any(q in after for q in _QUOTE_CHARS)):
            return True
        pos = max(end, start + 1)
    return True


# Reasons whose phrases are often quoted in questions *about* attacks.
_MENTIONABLE = frozenset({"instruction_override", "prompt_extraction", "role_play_jailbreak"})


def _hit(reason: str, rx: re2._Regexp, view: str) -> bool:
    if reason in _MENTIONABLE:
        return _unquoted_match(rx, view)
    return rx.search(view) is not None


def _match_rules(
    view: str, rules: tuple[tuple[str, float, re2._Regexp], ...], evidence: dict[str, float]
) -> None:
    for reason, weight, rx in rules:
        if weight > evidence.get(reason, 0.0) and _hit(reason, rx, view):
            evidence[reason] = weight


def _match_view(
    view: str, evidence: dict[str, float], *, compact: bool = False, concepts: bool = True
) -> None:
    """Run every folded-view rule (and the guarded ones) over one view."""
    _match_rules(view, _RULES_RE, evidence)
    if concepts and not compact:
        _match_rules(view, _FAMILY_RE, evidence)
        _concept_evidence(view, evidence)
    if compact:
        _match_rules(view, _compact_rules(), evidence)
    for reason, weight, rx, unless in _compact_guarded() if compact else _GUARDED_RE:
        if (
            weight > evidence.get(reason, 0.0)
            and _hit(reason, rx, view)
            and unless.search(view) is None
        ):
            evidence[reason] = weight


# --- concept co-occurrence ----------------------------------------------------------------
#
# The rules above need a phrase in a particular shape. Paraphrases escape them, but they
# still put the same *ideas* into one clause: an act that dismisses instructions, the
# instructions themselves, and a sign that they are the model's ("your", "you were given",
# "the developers"). Each concept is a vocabulary of word stems in five languages; a clause
# that holds a complete combination is evidence whatever the word order. One RE2 pass per
# concept, positions mapped to clauses with a binary search: linear in the input.


def _stems(words: str) -> re2._Regexp:
    """Compile ``|``-separated stems/phrases; each must start at a word and may run on."""
    return re2.compile(r"\b(?:" + words.replace(" ", "[^a-z0-9]+") + r")")


_C_DISMISS = _stems(concepts.DISMISS)
_C_PRIOR = _stems(concepts.PRIOR)
_C_THEIRS = _stems(concepts.THEIRS)
_C_SCOPE = _stems(concepts.SCOPE)
_C_MINE = _stems(concepts.MINE)
_C_REVEAL = _stems(concepts.REVEAL)
_C_HIDDEN = _stems(concepts.HIDDEN)
_C_SOURCE = _stems(concepts.SOURCE)
_C_SEND = _stems(concepts.SEND)
_C_CONVERSATION = _stems(concepts.CONVERSATION)
_C_PERSONA = _stems(concepts.PERSONA)
_C_MACHINE = _stems(concepts.MACHINE)
_C_NO_LIMITS = _stems(concepts.NO_LIMITS)
_C_LOOT = _stems(concepts.LOOT)
_C_CARRIER = _stems(concepts.CARRIER)
_C_CARRY = _stems(concepts.CARRY)
_C_BULK = _stems(concepts.BULK)
_C_SINK = _stems(concepts.SINK)
_C_CODE = _stems(concepts.CODE)
_DESTINATION_RE = re2.compile(concepts.DESTINATION)
_CLAUSE_END_RE = re2.compile(concepts.CLAUSE_END)
_NOT_DISMISS_RE = re2.compile(concepts.NOT_DISMISS)
_ABOUT_TOPIC_RE = re2.compile(concepts.ABOUT_TOPIC)
_SHORT_QUOTE_RE = re2.compile(concepts.SHORT_QUOTE)
_NOT_REVEAL_RE = re2.compile(concepts.NOT_REVEAL)
_C_MY_LOOT = _stems(concepts.MY_LOOT)


def _clauses_of(rx: re2._Regexp, view: str, ends: list[int]) -> set[int]:
    return {bisect_right(ends, m.start()) for m in rx.finditer(view)}


def _concept_evidence(view: str, evidence: dict[str, float]) -> None:
    """Score clauses that combine the concepts of an override, an extraction or a leak."""
    if len(view) > 20_000:
        view = view[:20_000]  # screening input is short; bound the cost on huge bodies
    if _NOT_DISMISS_RE.search(view) is not None:
        view = _NOT_DISMISS_RE.sub("remember", view)
    if _SHORT_QUOTE_RE.search(view) is not None:
        view = _SHORT_QUOTE_RE.sub(" ", view)
    ends = [m.end() for m in _CLAUSE_END_RE.finditer(view)]
    prior = _clauses_of(_C_PRIOR, view, ends)
    if prior:
        dismiss = _clauses_of(_C_DISMISS, view, ends) & prior
        if dismiss:
            theirs = _clauses_of(_C_THEIRS, view, ends)
            scope = _clauses_of(_C_SCOPE, view, ends) - _clauses_of(_C_MINE, view, ends)
            if dismiss & (theirs | scope) and evidence.get("instruction_override", 0) < 0.8:
                evidence["instruction_override"] = 0.8
    hidden = _clauses_of(_C_HIDDEN, view, ends)
    if hidden and _ABOUT_TOPIC_RE.search(view) is None:
        both = hidden & _clauses_of(_C_REVEAL, view, ends) & _clauses_of(_C_SOURCE, view, ends)
        if both and evidence.get("prompt_extraction", 0) < 0.8:
            evidence["prompt_extraction"] = 0.8
    limits = _clauses_of(_C_NO_LIMITS, view, ends)
    if limits and limits & _clauses_of(_C_PERSONA, view, ends) & _clauses_of(
        _C_MACHINE, view, ends
    ):
        if evidence.get("role_play_jailbreak", 0) < 0.8:
            evidence["role_play_jailbreak"] = 0.8
    if evidence.get("exfiltration", 0) < 0.8 and _exfiltration(view, ends):
        evidence["exfiltration"] = 0.8


def _exfiltration(view: str, ends: list[int]) -> bool:
    """A clause that moves the conversation or people's data somewhere it can be read."""
    loot = _clauses_of(_C_LOOT, view, ends) - _clauses_of(_C_MY_LOOT, view, ends)
    conversation = _clauses_of(_C_CONVERSATION, view, ends)
    if not (loot or conversation):
        return False
    if _C_CODE.search(view) is not None:
        return False  # "write a SQL query that lists every customer's email"
    if _DESTINATION_RE.search(view) is not None:
        # sent to an address or URL: "forward the tickets, with phone numbers, to x@y.example"
        if (loot | conversation) & _clauses_of(_C_SEND, view, ends):
            return True
    # smuggled in an image or link the client will fetch
    carried = _clauses_of(_C_CARRIER, view, ends) & _clauses_of(_C_CARRY, view, ends)
    if carried & (loot | conversation):
        return True
    # everyone's records at once, in the reply
    return bool(loot & _clauses_of(_C_BULK, view, ends) & _clauses_of(_C_SINK, view, ends))


# --- languages scored on their own script -------------------------------------------------
#
# Russian, Chinese, Japanese and the other languages of ``vocab/injection_languages.py`` are
# matched on a view that keeps their script (the folded view above maps Cyrillic look-alikes
# to Latin letters and treats every other letter as a gap). Each language's concepts combine
# only with each other: a Portuguese verb and an Italian noun in an English sentence are no
# evidence.

_NATIVE_CLAUSE_END_RE = re2.compile(CLAUSE_END)
# An address or URL the data could be sent to, in any script's text.
_NATIVE_DESTINATION_RE = re2.compile(r"[A-Za-z0-9._%+-]@[A-Za-z0-9-]+\.[A-Za-z]{2,}|https?://")


def _fold_native(text: str) -> str:
    """Case, width and accents folded; the script itself is kept."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return decomposed.translate(_MARKS)


def _native_pattern(stems: tuple[str, ...], *, word_start: bool) -> str:
    return stem_pattern(stems, word_start=word_start, fold=_fold_native)


@dataclass(frozen=True, slots=True)
class _NativeLanguage:
    dismiss: re2._Regexp
    prior: re2._Regexp
    scope: re2._Regexp
    mine: re2._Regexp
    reveal: re2._Regexp
    hidden: re2._Regexp
    persona: re2._Regexp
    no_limits: re2._Regexp
    send: re2._Regexp | None
    loot: re2._Regexp | None


def _compile_language(lang: languages.Language) -> tuple[str, _NativeLanguage]:
    def rx(stems: tuple[str, ...]) -> re2._Regexp:
        return re2.compile(_native_pattern(stems, word_start=lang.word_start))

    trigger = _native_pattern(
        lang.dismiss + lang.reveal + lang.persona + lang.send, word_start=lang.word_start
    )
    compiled = _NativeLanguage(
        rx(lang.dismiss),
        rx(lang.prior),
        rx(lang.scope),
        rx(lang.mine),
        rx(lang.reveal),
        rx(lang.hidden),
        rx(lang.persona),
        rx(lang.no_limits),
        rx(lang.send) if lang.send else None,
        rx(lang.loot) if lang.loot else None,
    )
    return trigger, compiled


_NATIVE = tuple(_compile_language(lang) for lang in languages.LANGUAGES)
# One pass tells which languages have a trigger word at all (a verb of dismissal or
# disclosure, or a persona); only those run their other concepts.
_NATIVE_TRIGGERS = re2.Set.SearchSet()
for _trigger, _ in _NATIVE:
    _NATIVE_TRIGGERS.Add(_trigger)
_NATIVE_TRIGGERS.Compile()


def _native_evidence(text: str, evidence: dict[str, float]) -> None:
    """Score clauses that combine one language's concepts of an attack."""
    view = _fold_native(text[:20_000])
    if _SHORT_QUOTE_RE.search(view) is not None:
        view = _SHORT_QUOTE_RE.sub(" ", view)
    spaced = view.translate(TO_SPACE)
    hits = _NATIVE_TRIGGERS.Match(spaced)
    if not hits:
        return
    ends = [m.end() for m in _NATIVE_CLAUSE_END_RE.finditer(view)]
    view = spaced
    for index in hits:
        lang = _NATIVE[index][1]
        dismiss = clauses_of(lang.dismiss, view, ends)
        if dismiss and evidence.get("instruction_override", 0.0) < 0.8:
            both = dismiss & clauses_of(lang.prior, view, ends)
            if both:
                both &= clauses_of(lang.scope, view, ends)
                both -= clauses_of(lang.mine, view, ends)
            if both:
                evidence["instruction_override"] = 0.8
        reveal = clauses_of(lang.reveal, view, ends)
        if reveal and evidence.get("prompt_extraction", 0.0) < 0.8:
            if reveal & clauses_of(lang.hidden, view, ends):
                evidence["prompt_extraction"] = 0.8
        persona = clauses_of(lang.persona, view, ends)
        if persona and evidence.get("role_play_jailbreak", 0.0) < 0.8:
            if persona & clauses_of(lang.no_limits, view, ends):
                evidence["role_play_jailbreak"] = 0.8
        if lang.send is not None and lang.loot is not None:
            if evidence.get("exfiltration", 0.0) < 0.8 and _NATIVE_DESTINATION_RE.search(text):
                sent = clauses_of(lang.send, view, ends)
                if sent and sent & clauses_of(lang.loot, view, ends):
                    evidence["exfiltration"] = 0.8


_FORGED_TURN_HEADERS = frozenset({"response", "assistant", "system"})


def _control_token_evidence(text: str, evidence: dict[str, float]) -> None:
    best = 0.0
    roles: set[str] = set()
    for start, end in find_control_tokens(text):
        token = text[start:end].lower()
        if token.rstrip().endswith(":") and not token.lstrip().startswith("#"):
            # A bare "System: Ubuntu 22.04" line is a description; the role rules above
            # score "system:" lines that go on to give orders.
            name = token.strip(": \t>")
            roles.add(name)
            weight = 0.45 if name in {"system", "assistant"} else 0.3
        elif is_token_mention(text, start, end):
            weight = 0.3  # "what does the <|eot_id|> token do?"
        elif token.strip() in {"<s>", "</s>", "<bos>", "<eos>"}:
            weight = 0.4
        elif token.lstrip().startswith("#"):
            # "### Instructions:" heads a recipe as often as a prompt; a forged reply or
            # system turn ("### Response:", "### System:") is what steers a model.
            name = token.strip("#: \t")
            weight = 0.7 if name in _FORGED_TURN_HEADERS else 0.3
        else:
            weight = 0.95
        best = max(best, weight)
    if len(roles) >= 2:
        # "Human: ... Assistant: ..." - a forged turn structure, whatever the capitals.
        best = max(best, 0.8)
    if best > evidence.get("role_token", 0.0):
        evidence["role_token"] = best


def _despace(view: str) -> str | None:
    """Undo "i g n o r e  a l l" spacing: single blanks vanish, double blanks become one."""
    if _LETTER_SPACING_RE.search(view) is None:
        return None
    return view.replace("  ", "\x00").replace(" ", "").replace("\x00", " ")


_DISCUSSION_RE = re2.compile(concepts.DISCUSSION)


def _screen(text: str, evidence: dict[str, float], depth: int) -> None:
    _control_token_evidence(text, evidence)
    if _DISCUSSION_RE.search(text) is None:
        _match_rules(text, _RAW_RULES, evidence)
    else:
        _match_rules(text, _RAW_RULES[:1], evidence)
    view = _fold(text)
    if _NOT_REVEAL_RE.search(view) is not None:
        view = _NOT_REVEAL_RE.sub("keep", view)
    _match_view(view, evidence)
    _native_evidence(text, evidence)

    # Evidence that only appears once an obfuscation is undone.
    hidden: dict[str, float] = {}
    if view != text.lower():
        _control_token_evidence(view, hidden)  # look-alike letters, invisible characters
    variants: list[str] = []
    if _LEET_HINT_RE.search(view) is not None:
        variants.extend(view.translate(table) for table in (_LEET_I, _LEET_L))
    if "-" in view or "_" in view or "*" in view or "." in view:
        # "ig-nore prev-ious in-struc-tions": drop joiners inside words
        variants.append(view.translate(_JOINERS))
    despaced = _despace(view)
    if despaced is not None:
        variants.append(despaced)
    for variant in variants:
        _control_token_evidence(variant, hidden)
        # Concept scoring reads the plain and decoded views; on these character-level
        # variants the whole-phrase rules do the work at a fraction of the cost.
        _match_view(variant, hidden, concepts=False)
    joined = _join_spaced(view)
    if joined is not None:
        for candidate in (joined, joined.translate(_LEET_I)):
            _match_view(candidate, hidden, compact=True)
    # Short inputs only: rot13 and reversal are cheap there and rare in long documents.
    if len(view) <= 4096:
        # whole-phrase rules suffice here; concept scoring would only add cost
        _match_view(codecs.encode(view, "rot13"), hidden, concepts=False)
        _match_view(view[::-1], hidden, concepts=False)
    if depth < _MAX_DECODE_DEPTH:
        # Encoded runs may themselves be spaced out or carry look-alike letters.
        sources = {text, text.translate(_CONFUSABLES), text.translate(_INVISIBLE)}
        raw_despaced = _despace(text)
        if raw_despaced is not None:
            sources.add(raw_despaced)
        seen: set[str] = set()
        for source in sources:
            for decoded in _decode_candidates(source):
                if decoded not in seen:
                    seen.add(decoded)
                    _screen(decoded, hidden, depth + 1)
    new = {r: w for r, w in hidden.items() if w > evidence.get(r, 0.0)}
    if new:
        evidence.update(new)
        # Hiding an attack is itself a signal, as strong as what it hid.
        strongest = max(new.values())
        if strongest > evidence.get("encoded_payload", 0.0):
            evidence["encoded_payload"] = strongest


def detect_injection(text: str, *, threshold: float = 0.5) -> InjectionVerdict:
    """Screen user input for prompt-injection attempts.

    :param text: the untrusted input.
    :param threshold: score at or above which the verdict is flagged.
    """
    if not text or not text.strip():
        return InjectionVerdict(False, 0.0, ())
    evidence: dict[str, float] = {}
    _screen(text, evidence, 0)
    if not evidence:
        return InjectionVerdict(False, 0.0, ())
    remaining = 1.0
    for weight in evidence.values():
        remaining *= 1.0 - weight
    score = round(1.0 - remaining, 4)
    reasons = tuple(sorted(evidence))
    return InjectionVerdict(score >= threshold, score, reasons)
