"""System-prompt leakage: chat-template markers, plain-language disclosures, canary tokens
and verbatim overlap with a registered system prompt.

Everything here is linear in the length of the text: the marker and disclosure patterns
run on RE2, canaries are plain substring searches, and the overlap check hashes word
shingles into a set built once per system prompt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import re2

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
_ROLE_LINE = r"(?m:^)[ \t>]{0,6}(?:user|assistant|system|human)" + _SP + ":"

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
_QUOTES = "`\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


def is_token_mention(text: str, start: int, end: int) -> bool:
    """True when a token is quoted or named in prose rather than used as template syntax."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before and before in _QUOTES and after and after in _QUOTES:
        return True
    tail = text[end : end + 16].lstrip(" \t")
    if tail[:1] in {",", ")", ";"}:
        return True
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
    result.sort()
    return result


# --- plain-language disclosures ----------------------------------------------------------

_DISCLOSURE_RE = re2.compile("(?i)" + vocab.DISCLOSURE)

_REFUSAL_WORDS = vocab.REFUSAL_WORDS
_WORD_RE = re.compile(r"\w+")  # ``\w+`` is a single greedy class: linear, cannot backtrack


def _is_refusal(text: str, end: int) -> bool:
    words = _WORD_RE.findall(text[end : end + 40].lower())
    return any(w in _REFUSAL_WORDS for w in words[:3])


def _disclosure_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _DISCLOSURE_RE.finditer(text):
        start, end = m.span()
        if not _is_refusal(text, end):
            spans.append((start, end))
    return spans


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


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.casefold())


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
        spans = [m.span() for m in _WORD_RE.finditer(prompt)]
        longest = 0
        for i in range(max(0, len(spans) - need + 1)):
            longest = max(longest, spans[i + need - 1][1] - spans[i][0])
        self.window = 2 * longest + 16

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
        anchors = sorted({a for p in self._prompts for a in p.anchors}, key=len, reverse=True)
        self._anchor_re = (
            re2.compile("(?i)" + "|".join(re2.escape(a) for a in anchors)) if anchors else None
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
        if self._canaries:
            found.extend(("canary", s, e) for s, e in self._canary_spans(text))
        if self._prompts:
            found.extend(("system_prompt", s, e) for s, e in self._overlap_spans(text))
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
        return spans

    def _overlap_spans(self, text: str) -> list[tuple[int, int]]:
        if self._anchor_re is not None and self._anchor_re.search(text) is None:
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
    for n, m in enumerate(_WORD_RE.finditer(text)):
        if n in wanted:
            starts[n] = m.start()
            ends[n] = m.end()
    return [(starts[s], ends[e - 1]) for s, e in runs if s in starts and e - 1 in ends]
