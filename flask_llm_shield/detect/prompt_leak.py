"""System-prompt leakage: chat-template markers, plain-language disclosures, canary tokens
and verbatim overlap with a registered system prompt.

Everything here is linear in the length of the text: the marker and disclosure patterns
run on RE2, canaries are plain substring searches, and the overlap check hashes word
shingles into a set built once per system prompt.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import re2

from ._base import compile_private
from ._decode import base64_runs
from ._stems import CLAUSE_END, TO_SPACE, clauses_of, stem_pattern
from .vocab import injection_words as lookalike_vocab
from .vocab import prompt_leak as vocab

__all__ = [
    "CONTROL_TOKEN_FAMILIES",
    "PromptLeakDetector",
    "find_control_tokens",
]

#: Canonical spellings of the special tokens and turn headers of each chat-template family.
CONTROL_TOKEN_FAMILIES: Mapping[str, tuple[str, ...]] = vocab.CONTROL_TOKEN_FAMILIES

# Building blocks. Each alternative is a fixed string or a bounded class run, so RE2 (which
# never backtracks anyway) compiles them into a small automaton.
_LT = r"(?:<|\x{FF1C}|&(?:amp;)?lt;|&#0*60;|&#x0*3c;|\\u003c)"
_GT = r"(?:>|\x{FF1E}|&(?:amp;)?gt;|&#0*62;|&#x0*3e;|\\u003e)"
_BAR = r"(?:\||\x{FF5C}|&#0*124;|&#x0*7c;|&vert;|&verbar;)"
_SP = r"[ \t]{0,3}"
_NAME = r"[a-z0-9_\x{2581}\-][a-z0-9_\x{2581}\- ]{0,39}"

# <|im_start|>, <|eot_id|>, the DeepSeek full-width-bar tokens and any other such token.
_BAR_TOKEN = _LT + _SP + _BAR + _SP + _NAME + _SP + _BAR + _SP + _GT
# <start_of_turn>, <end_of_turn>, <bos>, <eos>, <s>, </s>, <im_start> (bars lost in copying).
_WORD_TOKEN = (
    _LT
    + _SP
    + r"/?"
    + _SP
    + r"(?:start_of_turn|end_of_turn|bos|eos|s|im_start|im_end|eot_id)"
    + _SP
    + _GT
)
# <<SYS>>, <</SYS>>
_SYS_TOKEN = _LT + _SP + _LT + _SP + r"/?" + _SP + r"sys" + _SP + _GT + _SP + _GT
# [INST], [/INST], [SYSTEM_PROMPT], [AVAILABLE_TOOLS] ... also markdown-escaped \[INST\].
_BRACKET_TOKEN = (
    r"\\?\[" + _SP + r"/?" + _SP + r"(?:inst|system[ _]?prompt|available[ _]?tools"
    r"|tool[ _]?calls|tool[ _]?results|tool[ _]?content)" + _SP + r"\\?\]"
)
# Alpaca-style section headers.
_HASH_HEADER = (
    r"#{2,4}" + _SP + r"(?:instructions?|input|response|system|human|assistant|user)" + _SP + ":"
)
# Vicuna / transcript style role headers, only at the start of a line (also quoted "> ").
# Inside a JSON string a line starts after a "\n" escape.
_ROLE_LINE = r"(?:(?m:^)|\\[nr])[ \t>]{0,6}(?:user|assistant|system|human)" + _SP + ":"

_CONTROL_RE = re2.compile(
    "(?i)"
    + "|".join(
        f"(?:{p})" for p in (_BAR_TOKEN, _WORD_TOKEN, _SYS_TOKEN, _BRACKET_TOKEN, _HASH_HEADER)
    )
    + "|"
    + _ROLE_LINE
)


def find_control_tokens(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of every chat-template control token or turn header.

    Deliberately generous: the safe prompt builder neutralises whatever this returns in
    user-supplied values, and an extra neutralised ``USER:`` costs nothing.
    """
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    for m in _CONTROL_RE.finditer(text):
        start, end = m.span()
        # A line-start role header may have matched leading blanks; report the header only.
        if text.startswith(("\\n", "\\r"), start):
            start += 2
        while start < end and text[start] in " \t>":
            start += 1
        spans.append((start, end))
    return spans


# --- marker classification -----------------------------------------------------------

_WEAK_WORD_RE = re.compile(r"[a-z/]+")  # only ever run on a token of at most ~60 chars


def _token_class(token: str) -> str:
    """Classify one matched token: ``strong``, ``alpaca``, ``role`` or ``weak``."""
    low = token.lower()
    if low.lstrip().startswith("#"):  # not "&#60;", an escaped "<"
        return "alpaca"
    if low.rstrip().endswith(":"):
        return "role"
    if "|" in low or "\uff5c" in low or "&#124;" in low or "&#x7c;" in low or "&vert" in low:
        return "strong"
    if "[" in low or "sys" in low or "turn" in low or "im_" in low or "eot" in low:
        return "strong"
    # <s>, </s>, <bos>, <eos>: also legitimate HTML or vocabulary words in prose.
    return "weak"


_MENTION_FOLLOWERS = vocab.MENTION_FOLLOWERS
_MENTION_LEADERS = vocab.MENTION_LEADERS
_QUOTES = "`\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


def is_token_mention(text: str, start: int, end: int) -> bool:
    """True when a token is quoted or named in prose rather than used as template syntax."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before and before in _QUOTES and after and after in _QUOTES:
        return True
    tail = text[end : end + 16].lstrip(" \t")
    if tail[:1] in {",", ")", ";", "?"}:
        return True
    lead = text[max(0, start - 16) : start].lower().split()
    if lead and lead[-1] in _MENTION_LEADERS:
        return True  # "special tokens like <|im_start|>"
    word = _WEAK_WORD_RE.match(tail.lower())
    return word is not None and word.group() in _MENTION_FOLLOWERS and tail[:1] != "\n"


def _marker_spans(text: str) -> list[tuple[int, int]]:
    """Spans of control tokens that indicate a leaked prompt or turn structure."""
    spans = find_control_tokens(text)
    if not spans:
        return []
    strong: list[tuple[int, int]] = []
    alpaca: dict[str, tuple[int, int]] = {}
    roles: dict[str, tuple[int, int]] = {}
    any_case_roles: dict[str, tuple[int, int]] = {}
    weak: list[tuple[int, int]] = []
    for start, end in spans:
        token = text[start:end]
        cls = _token_class(token)
        if cls == "strong":
            if not is_token_mention(text, start, end):
                strong.append((start, end))
        elif cls == "alpaca":
            key = token.strip("#: \t").lower().rstrip("s")
            alpaca.setdefault(key, (start, end))
        elif cls == "role":
            name = token.strip(": \t")
            # Vicuna writes roles in capitals; a mixed-case "User:" line is usually an example
            # dialogue in an answer, so it only counts next to a "system:" line.
            key = name.lower()
            any_case_roles.setdefault(key, (start, end))
            if name.isupper():
                roles.setdefault(key, (start, end))
        else:
            weak.append((start, end))
    result = list(strong)
    if len(alpaca) >= 2:
        result.extend(alpaca.values())
    if len(roles) >= 2:
        result.extend(roles.values())
    elif "system" in any_case_roles and len(any_case_roles) >= 2:
        result.extend(any_case_roles.values())
    if result and weak:
        result.extend(weak)
    if result and (_in_inline_code(text, result) or _is_template_documentation(text, spans)):
        return []
    result.sort()
    return result


# --- templates as documentation ----------------------------------------------------------
#
# A chat template filled with placeholders ("{system}", "{{ system_message }}",
# "<SYSTEM_PROMPT>") or with a generic line ("You are a helpful assistant.") documents a
# format; the same template wrapped around real instructions is a leak.

_PLACEHOLDER_RE = re2.compile("(?i)" + vocab.PLACEHOLDER)
_GENERIC_SYSTEM_RE = re2.compile("(?i)" + vocab.GENERIC_SYSTEM_LINE)
_DOC_CUE_RE = re2.compile("(?i)" + vocab.DOCUMENTATION_CUE)
_SYSTEM_SLOT_RE = re2.compile("(?i)" + vocab.SYSTEM_SLOT)
_CONTENT_WORD_RE = re2.compile(r"[^\W\d_]{2,}")
_MAX_SLOT = 2000


_INLINE_CODE_RE = re2.compile(r"`[^`\n]{1,200}`")


def _in_inline_code(text: str, markers: list[tuple[int, int]]) -> bool:
    """True when every marker sits in inline code that holds no real text: a mention."""
    if "`" not in text:
        return False
    codes = [m.span() for m in _INLINE_CODE_RE.finditer(text)]
    for start, end in markers:
        if not any(cs < start and end < ce for cs, ce in codes):
            return False
    inside = " ".join(text[cs + 1 : ce - 1] for cs, ce in codes)
    return _filler_only(_CONTROL_RE.sub(" ", inside))


def _filler_only(segment: str) -> bool:
    """True when a template slot holds nothing but placeholders, a generic line or syntax."""
    rest = _PLACEHOLDER_RE.sub(" ", segment)
    rest = _GENERIC_SYSTEM_RE.sub(" ", rest)
    return len(_CONTENT_WORD_RE.findall(rest)) < 3


def _is_template_documentation(text: str, tokens: list[tuple[int, int]]) -> bool:
    if _PLACEHOLDER_RE.search(text) is None and (
        _GENERIC_SYSTEM_RE.search(text) is None or _DOC_CUE_RE.search(text) is None
    ):
        return False
    starts = [s for s, _ in tokens]
    slots = 0
    for m in _SYSTEM_SLOT_RE.finditer(text):
        if is_token_mention(text, m.start(), m.end()):
            continue  # "wrap it in `<<SYS>>` tags"
        slots += 1
        end = m.end()
        nxt = bisect_left(starts, end)
        stop = starts[nxt] if nxt < len(starts) else min(len(text), end + _MAX_SLOT)
        if not _filler_only(text[end:stop]):
            return False
    if slots:
        return True
    # No system slot (Gemma puts the system text in the first user turn): documentation
    # when a placeholder stands between the markers and no turn carries real text.
    bounds = [*starts, len(text)]
    return all(_filler_only(text[tokens[i][1] : bounds[i + 1]]) for i in range(len(tokens) - 1))


# A messages array: {"role": "system", "content": "..."} with real instructions in it.
_MESSAGES_SYSTEM = (
    r'\\?"role\\?"\s*:\s*\\?"(?:system|developer)\\?"\s*,\s*\\?"content\\?"\s*:\s*\\?"'
)
# The content runs to the closing quote (or an escaped one, for JSON inside JSON).
_MESSAGES_SYSTEM_RE = re2.compile(_MESSAGES_SYSTEM + r'((?:[^"\\]|\\[^"])*)')


def _messages_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _MESSAGES_SYSTEM_RE.finditer(text):
        content = m.group(1)[:_MAX_SLOT]
        if not _filler_only(content):
            spans.append(m.span())
    return spans


# --- plain-language disclosures ----------------------------------------------------------

_PHRASE_RE = re2.compile("(?i)" + vocab.DISCLOSURE)

_REFUSAL_WORDS = vocab.REFUSAL_WORDS
_WORD_RE = re.compile(r"\w+")  # ``\w+`` is a single greedy class: linear, cannot backtrack


def _is_refusal(text: str, end: int) -> bool:
    words = _WORD_RE.findall(text[end : end + 40].lower())
    return any(w in _REFUSAL_WORDS for w in words[:3])


def _disclosure_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _PHRASE_RE.finditer(text):
        start, end = m.span()
        if not _is_refusal(text, end):
            spans.append((start, end))
    spans.extend(_concept_spans(text))
    return spans


# --- disclosures by concept (see ``vocab/prompt_leak.py``) -----------------------------------


@dataclass(frozen=True, slots=True)
class _Concepts:
    before_chat: re2._Regexp
    verbatim: re2._Regexp
    follows: re2._Regexp
    self_config: re2._Regexp
    present: re2._Regexp
    given: re2._Regexp
    refusal: re2._Regexp


def _compile_concepts(lang: vocab.DisclosureLanguage) -> _Concepts:
    def rx(stems: tuple[str, ...]) -> re2._Regexp:
        return re2.compile(stem_pattern(stems, word_start=lang.word_start))

    return _Concepts(
        rx(lang.before_chat),
        rx(lang.verbatim),
        rx(lang.follows),
        rx(lang.self_config),
        rx(lang.present),
        rx(lang.given),
        rx(lang.refusal),
    )


_CONCEPTS = tuple(_compile_concepts(lang) for lang in vocab.DISCLOSURE_LANGUAGES)
# Every combination needs the time before the chat or the assistant's own configuration:
# one pass over the reply finds the languages that name either.
_CONCEPT_TRIGGERS = re2.Set.SearchSet()
for _lang in vocab.DISCLOSURE_LANGUAGES:
    _CONCEPT_TRIGGERS.Add(
        stem_pattern(_lang.before_chat + _lang.self_config, word_start=_lang.word_start)
    )
_CONCEPT_TRIGGERS.Compile()
_CLAUSE_END_RE = re2.compile(CLAUSE_END)


def _concept_spans(text: str) -> list[tuple[int, int]]:
    """Clauses that frame hidden configuration as handed over: ``(start, end)`` each."""
    view = text.lower()
    if len(view) != len(text):  # a few letters lower-case to two characters
        view = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    spaced = view.translate(TO_SPACE)
    hits = _CONCEPT_TRIGGERS.Match(spaced)
    if not hits:
        return []
    ends = [m.end() for m in _CLAUSE_END_RE.finditer(view)]
    view = spaced
    found: set[int] = set()
    for index in hits:
        lang = _CONCEPTS[index]
        before = clauses_of(lang.before_chat, view, ends)
        own = clauses_of(lang.self_config, view, ends)
        framed = clauses_of(lang.verbatim, view, ends) | clauses_of(lang.given, view, ends)
        framed |= clauses_of(lang.follows, view, ends)
        # "here is the text above our conversation"; "the developer gave me this before
        # our chat"; "my system prompt, word for word"
        hits_here = (before & (framed | own | clauses_of(lang.present, view, ends))) | (
            own & framed
        )
        if hits_here:
            found |= hits_here - clauses_of(lang.refusal, view, ends)
    bounds = [0, *ends, len(text)]
    spans = []
    for clause in sorted(found):
        start, end = bounds[clause], bounds[clause + 1]
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append((start, end))
    return spans


# Text that matches none of this cannot hold a disclosure: the scanner folds it into its
# one combined pass (which reads non-ASCII characters as "?") to decide whether the leak
# detector runs. Coarse on purpose: the per-language stems would blow RE2's DFA budget.
_ENGLISH = vocab.DISCLOSURE_LANGUAGES[0]
_DISCLOSURE_RE = re2.compile(
    "(?i)(?:"
    + vocab.DISCLOSURE
    + "|"
    + _MESSAGES_SYSTEM
    + "|"
    + stem_pattern(_ENGLISH.before_chat + _ENGLISH.self_config, word_start=True, gap="[^a-z0-9]+")
    + "|"
    + vocab.DISCLOSURE_GATE
    + ")"
)


# --- canaries ------------------------------------------------------------------------------

_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")


def _strip_invisible(text: str) -> tuple[str, list[int] | None]:
    """Case-fold ``text`` and drop invisible characters, with a map back to offsets.

    Returns ``(folded, None)`` when folding kept every offset (the common case), else the
    folded text and, for each folded character, the index of its source character.
    """
    if not any(ch in text for ch in _INVISIBLE):
        low = text.lower()
        if len(low) == len(text):
            return low, None
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in _INVISIBLE:
            continue
        folded = ch.lower()
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


_CANARY_PART_RE = re.compile(r"[a-z0-9]+")
_NOT_ALNUM_RE = re2.compile(r"[^a-z0-9]+")
_B64_RUN_RE = re2.compile(r"[A-Za-z0-9+/\-_]{24,}={0,2}")
_MAX_DECODED = 16


def _compact(text: str) -> str:
    return str(_NOT_ALNUM_RE.sub("", text))


def _compact_spans(folded: str, needles: list[str]) -> list[tuple[int, int]]:
    """Where ``needles`` occur in ``folded`` once everything but letters and digits is
    dropped ("4f9d 0c21 ab", "4-f-9-d..."): spans in ``folded``."""
    compact = _compact(folded)
    hits = [(pos, len(n)) for n in needles for pos in _find_all(compact, n)]
    if not hits:
        return []
    positions = [i for i, ch in enumerate(folded) if ("a" <= ch <= "z") or ("0" <= ch <= "9")]
    return [(positions[pos], positions[pos + n - 1] + 1) for pos, n in hits]


def _find_all(haystack: str, needle: str) -> list[int]:
    hits = []
    pos = haystack.find(needle)
    while pos != -1:
        hits.append(pos)
        pos = haystack.find(needle, pos + len(needle))
    return hits


# --- overlap with a registered system prompt ----------------------------------------------

_SHINGLE = 6
_MIN_RUN_WORDS = 12
_MIN_FRACTION = 0.2
_MIN_COVERED_WORDS = 10  # with 6-word shingles, at least two distinct matches


# Same-length blanking keeps every offset valid.
_ENTITY_RE = re2.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


# Overlap words: letters and digits only, so "You_are_Milo" is three words; Cyrillic and
# Greek look-alikes read as the Latin letters they imitate; list numbers ("1.", "2)") that
# a model puts before each word of a prompt it lists are not words.
_OVERLAP_WORD_RE = re.compile(r"[^\W_]+")  # one class, greedy: linear
_LOOKALIKES = str.maketrans(
    {k: v for k, v in lookalike_vocab.CONFUSABLES.items() if isinstance(v, str) and len(v) == 1}
)


def _fold_words(text: str) -> str:
    folded = text.casefold()
    return folded if folded.isascii() else folded.translate(_LOOKALIKES)


# "1. ", "2) ", "3: " before a word; blanked to the same length, so offsets hold.
_LIST_NUMBER_RE = re.compile(r"(?<![\w.])\d{1,3}[.):](?=\s)")


def _unnumbered(text: str) -> str:
    return _LIST_NUMBER_RE.sub(lambda m: " " * len(m.group()), text)


def _words(text: str) -> list[str]:
    return _OVERLAP_WORD_RE.findall(_fold_words(_unnumbered(text)))


class _PromptIndex:
    """Shingle set of one system prompt."""

    __slots__ = ("anchors", "k", "n_shingles", "n_words", "shingles", "window")

    def __init__(self, prompt: str) -> None:
        words = _words(prompt)
        self.n_words = len(words)
        self.k = min(_SHINGLE, self.n_words)
        self.shingles: dict[tuple[str, ...], int] = {}
        if self.k:
            for i in range(self.n_words - self.k + 1):
                self.shingles.setdefault(tuple(words[i : i + self.k]), i)
        self.n_shingles = max(1, self.n_words - self.k + 1) if self.k else 0
        self.anchors = _anchor_words(words, self.k)
        # Chars that must be buffered to see a leak of the qualifying size whole: the
        # longest stretch of prompt text holding that many words, with room for reflowing.
        need = min(self.n_words, max(_MIN_RUN_WORDS, self.k))
        spans = [m.span() for m in _OVERLAP_WORD_RE.finditer(_unnumbered(prompt))]
        longest = 0
        for i in range(max(0, len(spans) - need + 1)):
            longest = max(longest, spans[i + need - 1][1] - spans[i][0])
        # base64 of such a stretch is a third longer
        self.window = 3 * longest + 16

    def qualifies(self, hit_positions: list[int], run_words: int) -> bool:
        """Whether matched shingles (by prompt position) amount to a leak of this prompt."""
        if not hit_positions:
            return False
        if self.n_words <= self.k:  # short prompt: the whole prompt appeared
            return True
        covered: set[int] = set()
        for p in hit_positions:
            covered.update(range(p, p + self.k))
        if len(covered) >= max(_MIN_FRACTION * self.n_words, _MIN_COVERED_WORDS):
            return True
        return run_words >= _MIN_RUN_WORDS


class PromptLeakDetector:
    """Find traces of the system prompt in model output.

    :param system_prompts: the real system prompts; output that repeats a substantial part
        of one (verbatim, reflowed or re-punctuated) is reported as ``system_prompt``.
    :param canaries: secret marker strings planted in the prompt; any echo is ``canary``.
    """

    def __init__(self, system_prompts: Sequence[str] = (), canaries: Sequence[str] = ()) -> None:
        self._prompts = [_PromptIndex(p) for p in system_prompts if p and p.strip()]
        folded = {_strip_invisible(c)[0].strip() for c in canaries if c and c.strip()}
        self._canaries = sorted(folded, key=len, reverse=True)
        # The random part of a canary ("shield-canary-4f9d0c21ab...") is as secret as the
        # whole, and a model asked to "spell it out" may put separators between characters.
        cores = {
            part
            for c in self._canaries
            for part in _CANARY_PART_RE.findall(c)
            if len(part) >= 8 and any(ch.isdigit() for ch in part)
        }
        cores |= {_compact(c) for c in self._canaries if len(_compact(c)) >= 8}
        self._canary_cores = sorted(cores, key=len, reverse=True)
        anchors = sorted({a for p in self._prompts for a in p.anchors}, key=len, reverse=True)
        self._anchor_re = (
            compile_private("(?i)" + "|".join(re2.escape(a) for a in anchors)) if anchors else None
        )
        window = 128  # longest control token or disclosure phrase, with spacing variants
        for c in self._canaries:
            # Zero-width characters may be interleaved with every character of the canary.
            window = max(window, 2 * len(c) + 8)
        for p in self._prompts:
            window = max(window, p.window)
        self._window = window

    @property
    def window(self) -> int:
        """Characters a streaming scanner must hold back to catch a leak split across chunks."""
        return self._window

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """Return ``(kind, start, end)`` for each leak found; offsets index ``text``."""
        if not text:
            return []
        found: list[tuple[str, int, int]] = []
        for start, end in _marker_spans(text):
            found.append(("system_prompt", start, end))
        for start, end in _disclosure_spans(text):
            found.append(("system_prompt", start, end))
        if '"role' in text:
            for start, end in _messages_spans(text):
                found.append(("system_prompt", start, end))
        if self._canaries:
            found.extend(("canary", s, e) for s, e in self._canary_spans(text))
        if self._prompts:
            found.extend(("system_prompt", s, e) for s, e in self._overlap_spans(text))
        if (self._prompts or self._canaries) and not found:
            found.extend(self._encoded_spans(text))
        found.sort(key=lambda f: (f[1], f[2]))
        return found

    def _canary_spans(self, text: str) -> list[tuple[int, int]]:
        folded, index = _strip_invisible(text)
        spans: list[tuple[int, int]] = []
        for canary in self._canaries:
            for pos in _find_all(folded, canary):
                end = pos + len(canary)
                if index is None:
                    spans.append((pos, end))
                else:
                    spans.append((index[pos], index[end - 1] + 1))
        if not spans and self._canary_cores:
            spans = _compact_spans(folded, self._canary_cores)
            if index is not None:
                spans = [(index[s], index[e - 1] + 1) for s, e in spans]
        return spans

    def _encoded_spans(self, text: str) -> list[tuple[str, int, int]]:
        """Base64 runs that decode to the canary or to a copy of a registered prompt."""
        found: list[tuple[str, int, int]] = []
        for start, end, decoded in base64_runs(text, _B64_RUN_RE, _MAX_DECODED):
            if self._canaries and self._canary_spans(decoded):
                found.append(("canary", start, end))
            elif self._prompts and self._overlap_spans(decoded):
                found.append(("system_prompt", start, end))
        return found

    def _overlap_spans(self, text: str) -> list[tuple[int, int]]:
        if self._anchor_re is not None and self._anchor_re.search(_fold_words(text)) is None:
            return []
        if "&" in text:
            # "&nbsp;" between the words of a copied prompt must not count as a word.
            text = _ENTITY_RE.sub(lambda m: " " * len(m.group()), text)
        words = _words(text)
        spans: list[tuple[int, int]] = []
        for prompt in self._prompts:
            k = prompt.k
            if not k or len(words) < k:
                continue
            table = prompt.shingles
            hits: list[int] = []  # text word positions whose shingle is in the prompt
            prompt_pos: list[int] = []
            for i in range(len(words) - k + 1):
                p = table.get(tuple(words[i : i + k]))
                if p is not None:
                    hits.append(i)
                    prompt_pos.append(p)
            if not hits:
                continue
            runs = _runs(hits, k)
            longest = max(e - s for s, e in runs)
            if prompt.qualifies(prompt_pos, longest):
                spans.extend(_word_runs_to_spans(text, runs))
        return spans


def _anchor_words(words: list[str], k: int) -> list[str]:
    """Pick words so that every run of ``k`` consecutive prompt words holds at least one.

    Any qualifying leak contains a whole shingle, hence an anchor; a cheap RE2 search for
    the anchors lets text without any of them skip tokenisation entirely. Longer words are
    preferred because they are rarer in ordinary replies.
    """
    anchors: list[str] = []
    last = -1  # index of the most recent anchor occurrence
    chosen: set[str] = set()
    for i, word in enumerate(words):
        if word in chosen:
            last = i
        if i - last >= k:
            window = range(i - k + 1, i + 1)
            best = max(window, key=lambda j: (len(words[j]), words[j].isascii(), j))
            chosen.add(words[best])
            anchors.append(words[best])
            last = best
            # a later occurrence of the same word may also satisfy windows further on
            for j in window:
                if words[j] == words[best]:
                    last = max(last, j)
    return anchors


def _runs(hits: list[int], k: int) -> list[tuple[int, int]]:
    """Merge shingle start positions into ``[first_word, end_word)`` runs of covered words."""
    runs: list[tuple[int, int]] = []
    start, end = hits[0], hits[0] + k
    for h in hits[1:]:
        if h <= end:
            end = max(end, h + k)
        else:
            runs.append((start, end))
            start, end = h, h + k
    runs.append((start, end))
    return runs


def _word_runs_to_spans(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Map word-index runs back to character offsets (only done once a leak is certain)."""
    wanted = {w for run in runs for w in (run[0], run[1] - 1)}
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for n, m in enumerate(_OVERLAP_WORD_RE.finditer(_unnumbered(text))):
        if n in wanted:
            starts[n] = m.start()
            ends[n] = m.end()
    return [(starts[s], ends[e - 1]) for s, e in runs if s in starts and e - 1 in ends]
