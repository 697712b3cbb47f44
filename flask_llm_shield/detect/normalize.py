"""Folding of look-alike text, with a map back to the original offsets.

LLM output and hostile users hide values behind Unicode look-alikes and encodings:
fullwidth digits and Unicode hyphens in an SSN, zero-width spaces inside a card number,
``john%40example.com``, ``&#64;``, ``\\u0040``. :func:`normalize` rewrites such text
into plain ASCII-ish text that the detectors understand and keeps enough bookkeeping to
map every offset in the folded text back to the span of the original text it came from,
so a finding always covers the original, obfuscated characters.

Most text has nothing to fold; :func:`needs_normalizing` answers that at C speed so the
common case costs two string scans.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

import re2

#: Characters folded one-to-one (the text keeps its length).
_FOLD: dict[int, str] = {}
for _cp in (*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63, 0xFF0D):
    _FOLD[_cp] = "-"
for _cp in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000):
    _FOLD[_cp] = " "
# Fullwidth ASCII (digits, letters and punctuation such as the fullwidth at sign).
for _cp in range(0xFF01, 0xFF5F):
    _FOLD[_cp] = chr(_cp - 0xFEE0)
_FOLD[0x3002] = "."  # ideographic full stop, used as a "dot" look-alike
_FOLD[0xFF61] = "."
_FOLD[0x2024] = "."  # one dot leader
_FOLD[0xFE6B] = "@"  # small commercial at
# Middle dots and bullets that group digits ("3744 · 187062 · 67186").
for _cp in (0x00B7, 0x2022, 0x2027, 0x2219, 0x30FB):
    _FOLD[_cp] = "."

#: The zero of every run of Unicode decimal digits (category Nd) outside ASCII: Arabic-Indic,
#: Devanagari, Bengali, Thai, ..., fullwidth, and the mathematical bold, double-struck,
#: sans-serif and monospace digits. Each run holds the digits 0-9 in order.
_DIGIT_ZEROS = (
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50,
    0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0,
    0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140,
    0x1E2F0, 0x1E950, 0x1FBF0,
)  # fmt: skip
for _zero in _DIGIT_ZEROS:
    for _d in range(10):
        _FOLD[_zero + _d] = str(_d)
#: Digits that are not decimal digits (category No) but read as one: superscripts,
#: subscripts, circled, parenthesised, with a full stop or comma, dingbats, Ethiopic.
#: Each entry is ``(first code point, count, digit of the first)``.
_OTHER_DIGITS = (
    (0x00B2, 2, 2), (0x00B9, 1, 1), (0x1369, 9, 1), (0x2070, 1, 0), (0x2074, 6, 4),
    (0x2080, 10, 0), (0x2460, 9, 1), (0x2474, 9, 1), (0x2488, 9, 1), (0x24EA, 1, 0),
    (0x24F5, 9, 1), (0x24FF, 1, 0), (0x2776, 9, 1), (0x2780, 9, 1), (0x278A, 9, 1),
    (0x1F100, 1, 0), (0x1F101, 10, 0),
)  # fmt: skip
for _first, _count, _digit in _OTHER_DIGITS:
    for _i in range(_count):
        _FOLD[_first + _i] = str(_digit + _i)
# Mathematical alphanumeric letters (bold, italic, script, fraktur, double-struck, ...):
# each is a styled ASCII letter.
for _cp in range(0x1D400, 0x1D7CE):
    _plain = unicodedata.normalize("NFKC", chr(_cp))
    if len(_plain) == 1 and _plain.isascii() and _plain.isalnum():
        _FOLD[_cp] = _plain

#: _FOLD by character. Replacing the folded characters of a text one after another gives
#: what one ``translate(_FOLD)`` gives only because no replacement is itself folded.
_FOLD_BY_CHAR = {chr(cp): plain for cp, plain in _FOLD.items()}
if set(_FOLD_BY_CHAR) & set(_FOLD_BY_CHAR.values()):  # pragma: no cover - a table edit
    raise RuntimeError("a replacement in normalize._FOLD is itself folded")
#: Above this many distinct folded characters in a text, one translate is cheaper.
_FEW_FOLDED = 24


def _fold_chars(text: str) -> str:
    """``text.translate(_FOLD)``, in a few passes of ``str.replace`` when the text holds
    few distinct folded characters (a reply in Chinese or Japanese: its full stops and
    fullwidth commas). ``translate`` looks every character of the text up in a dict of
    1,500 entries, about 40-60 ns each: 2 ms for 40,000 characters, against 0.5 ms here.
    """
    present = set(text).intersection(_FOLD_BY_CHAR)
    if len(present) > _FEW_FOLDED:
        return text.translate(_FOLD)
    for char in present:
        text = text.replace(char, _FOLD_BY_CHAR[char])
    return text


#: Cyrillic and Greek letters that look like Latin ones. They are folded only inside a
#: token that also holds Latin letters, digits or "@" (an address typed with a Cyrillic
#: "a", U+0430):
#: Russian or Greek words keep their letters.
CONFUSABLES: dict[int, str] = {
    0x0430: "a", 0x0432: "B", 0x0435: "e", 0x043A: "k", 0x043C: "M", 0x043D: "H",
    0x043E: "o", 0x0440: "p", 0x0441: "c", 0x0442: "T", 0x0443: "y", 0x0445: "x",
    0x0456: "i", 0x0458: "j", 0x0455: "s", 0x0501: "d", 0x051B: "q", 0x051D: "w",
    0x04CF: "l", 0x0410: "A", 0x0412: "B", 0x0415: "E", 0x041A: "K", 0x041C: "M",
    0x041D: "H", 0x041E: "O", 0x0420: "P", 0x0421: "C", 0x0422: "T", 0x0425: "X",
    0x0423: "Y", 0x0406: "I", 0x0408: "J", 0x0405: "S", 0x03BF: "o", 0x03B1: "a",
    0x03BD: "v", 0x03B9: "i", 0x03BA: "k", 0x03C1: "p", 0x03C5: "u", 0x03C7: "x",
    0x0391: "A", 0x0392: "B", 0x0395: "E", 0x0396: "Z", 0x0397: "H", 0x0399: "I",
    0x039A: "K", 0x039C: "M", 0x039D: "N", 0x039F: "O", 0x03A1: "P", 0x03A4: "T",
    0x03A5: "Y", 0x03A7: "X",
}  # fmt: skip
_CONF_CLASS = "".join(sorted(chr(c) for c in CONFUSABLES))
_HAS_CONFUSABLE = re2.compile(f"[{_CONF_CLASS}]")
_TOKEN_CHARS = r"[\pL\pN@._+\-]"
# A token mixing look-alikes with Latin letters, digits or "@" (RE2: linear on any input).
_MIXED_TOKEN = re2.compile(
    f"{_TOKEN_CHARS}*(?:[A-Za-z0-9@]{_TOKEN_CHARS}*[{_CONF_CLASS}]"
    f"|[{_CONF_CLASS}]{_TOKEN_CHARS}*[A-Za-z0-9@]){_TOKEN_CHARS}*"
)


def fold_confusables(text: str) -> str:
    """*text* with look-alike letters folded inside mixed-script tokens (same length)."""
    if _HAS_CONFUSABLE.search(text) is None:
        return text
    folded: str = _MIXED_TOKEN.sub(lambda m: m.group().translate(CONFUSABLES), text)
    return folded


#: Characters that disappear entirely (zero-width and invisible formatting).
_INVISIBLE = "".join(
    [
        "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e",
        # Also what a reader does not see either: direction marks and embeddings,
        # invisible operators, the combining grapheme joiner and combining marks (a value
        # padded with them reads as itself), variation selectors, tag characters and the
        # Hangul fillers.
        "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2061\u2062\u2063\u2064",
        "\u2066\u2067\u2068\u2069\u115f\u1160\u3164\uffa0",
        "".join(chr(c) for c in range(0x0300, 0x0370)),
        "".join(chr(c) for c in range(0xFE00, 0xFE10)),
        "".join(chr(c) for c in range(0xE0000, 0xE0080)),
        # Every other format character (Cf) that renders as nothing, the C1 controls,
        # the Khmer inherent vowels, Mongolian and supplementary variation selectors and
        # the combining marks of the supplementary blocks (for symbols, extended, half
        # marks): "5\u20e33" or "5\U000e01003" read as "53".
        "\u061c\u17b4\u17b5\u180b\u180c\u180d\u180f\ufff9\ufffa\ufffb",
        "".join(chr(c) for c in (*range(0x206A, 0x2070), *range(0x1D173, 0x1D17B))),
        "".join(chr(c) for c in (*range(0x1BCA0, 0x1BCA4), *range(0x80, 0xA0))),
        "".join(chr(c) for c in (*range(0x1AB0, 0x1B00), *range(0x1DC0, 0x1E00))),
        "".join(chr(c) for c in (*range(0x20D0, 0x2100), *range(0xFE20, 0xFE30))),
        "".join(chr(c) for c in range(0xE0100, 0xE01F0)),
    ]
)

_TRANSLATE = {**_FOLD, **{ord(c): None for c in _INVISIBLE}}

# Any character that folding would change; most non-ASCII text (accents, CJK) has none,
# and str.translate over a whole body is slow, so this search decides first.
_FOLDABLE = re2.compile("[" + "".join(chr(c) for c in sorted(_TRANSLATE)) + "]")

# JSON escapes worth decoding: ASCII and the characters folded above. Escapes of other
# characters (every accented letter in a body serialised with ensure_ascii) cannot hide
# a value, and decoding them all would make such bodies slow.
_ESCAPES = "|".join(["00[0-7][0-9A-Fa-f]"] + [f"{c:04x}" for c in sorted(_TRANSLATE) if c >= 0x80])

# One pass finds every length-changing construct. Bounded repetitions keep each
# replacement short, which bounds how far an obfuscated value can stretch (see
# :data:`MAX_EXPANSION`).
_CHANGING = re2.compile(
    "[" + _INVISIBLE + "]+"
    r"|(?:%[0-9A-Fa-f]{2})+"
    r"|&#[0-9]{1,7};|&#[xX][0-9A-Fa-f]{1,6};|&[A-Za-z][A-Za-z0-9]{1,9};"
    r"|\\u(?i:" + _ESCAPES + r")|\\/"
)

#: How many original characters one folded character may come from (``&#x0040;``), used
#: to size streaming windows. Runs of invisible characters are not bounded; a stream that
#: pads a value with hundreds of them between every character is beyond the window.
MAX_EXPANSION = 10


def _has_escapes(text: str, ascii_bytes: bytes | None = None) -> bool:
    """Whether *text* holds an escape :func:`normalize` decodes; *ascii_bytes* is
    ``text.encode("ascii")`` when the caller has it (for ASCII text only)."""
    # Only \uXXXX and \/ are decoded among backslash escapes; JSON bodies are full of
    # \n and \" that need no work. One-character tests run at memchr speed; a
    # two-character "in" costs ~80 us per 100 KB, the literal-prefix regex far less.
    if "%" in text or "&" in text:
        return True
    if "\\" not in text:
        return False
    if ascii_bytes is not None:
        return _DECODED_ESCAPE_BYTES.search(ascii_bytes) is not None
    if text.isascii():  # RE2 on bytes finds a literal prefix at memchr speed
        return _DECODED_ESCAPE_BYTES.search(text.encode("ascii")) is not None
    return _DECODED_ESCAPE.search(text) is not None


# Exactly the backslash escapes _CHANGING decodes: a body serialised with ensure_ascii is
# full of \u00e9-like escapes that fold to nothing, and a second full pass over it (for
# normalize() to find no work) would cost as much as the scan itself.
_DECODED_ESCAPE = re.compile(r"\\(?:u(?i:" + _ESCAPES + r")|/)")
_DECODED_ESCAPE_BYTES = re2.compile(rb"\\(?:u(?i:" + _ESCAPES.encode() + rb")|/)")


def needs_normalizing(text: str) -> bool:
    """Whether *text* might hold anything :func:`normalize` would change."""
    if _has_escapes(text):
        return True
    return not text.isascii() and _FOLDABLE.search(text) is not None


@dataclass(slots=True)
class _Layer:
    """One folding pass: segments where the output differs in length from its input.

    Each segment is ``(out_start, out_end, in_start, in_end, unit)``: output characters
    ``[out_start, out_end)`` replace input characters ``[in_start, in_end)``. With a
    non-zero *unit* every output character stands for *unit* input characters (a run of
    ASCII ``%XX`` escapes), so one segment maps a whole run precisely.
    """

    segments: list[tuple[int, int, int, int, int]]
    starts: list[int]

    def start(self, pos: int) -> int:
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return pos
        os_, oe, is_, ie, unit = self.segments[i]
        if pos < oe:
            return is_ + (pos - os_) * unit
        return ie + (pos - oe)

    def end(self, pos: int) -> int:
        if pos <= 0:
            return 0
        last = pos - 1
        i = bisect_right(self.starts, last) - 1
        if i < 0:
            return pos
        os_, oe, is_, ie, unit = self.segments[i]
        if last < oe:
            return is_ + (last - os_ + 1) * unit if unit else ie
        return ie + (last - oe) + 1


@dataclass(slots=True)
class Normalized:
    """Folded text and the passes that map its offsets back to the original text."""

    text: str
    layers: list[_Layer]

    def orig_start(self, pos: int) -> int:
        """Map a start offset in the folded text to the original text."""
        for layer in reversed(self.layers):
            pos = layer.start(pos)
        return pos

    def orig_end(self, pos: int) -> int:
        """Map an (exclusive) end offset in the folded text to the original text."""
        for layer in reversed(self.layers):
            pos = layer.end(pos)
        return pos


def _utf8_length(lead: int) -> int:
    if lead < 0x80:
        return 1
    if 0xC2 <= lead < 0xE0:
        return 2
    if 0xE0 <= lead < 0xF0:
        return 3
    if 0xF0 <= lead < 0xF5:
        return 4
    return 1


def _percent_run(token: str, out: list[tuple[int, str, int]]) -> None:
    """Decode a run of ``%XX`` escapes as UTF-8.

    Appends ``(length in the original, decoded text, unit)``: runs of ASCII bytes in one
    piece (unit 3), other characters one by one; a byte that does not start a valid
    sequence decodes on its own as Latin-1, as browsers do.
    """
    raw = bytes.fromhex(token.replace("%", ""))
    i = 0
    size = len(raw)
    while i < size:
        if raw[i] < 0x80:
            j = i
            while j < size and raw[j] < 0x80:
                j += 1
            out.append((3 * (j - i), raw[i:j].decode("ascii"), 3))
            i = j
            continue
        n = _utf8_length(raw[i])
        try:
            char = raw[i : i + n].decode("utf-8") if n > 1 else chr(raw[i])
        except UnicodeDecodeError:
            n, char = 1, chr(raw[i])
        out.append((3 * n, char.translate(_TRANSLATE), 0))
        i += n


def _decode(token: str) -> str:
    first = token[0]
    if first == "&":
        if token[1] == "#":
            num = token[3:-1] if token[2] in "xX" else token[2:-1]
            code = int(num, 16 if token[2] in "xX" else 10)
            char = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else token
        else:
            char = html.unescape(token)
    elif first == "\\":
        if token[1] == "/":
            char = "/"
        else:
            code = int(token[2:], 16)
            # A lone surrogate cannot be represented; keep the escape as it was.
            char = token if 0xD800 <= code < 0xE000 else chr(code)
    else:  # a run of invisible characters
        return ""
    return char.translate(_TRANSLATE)


def _fold_once(text: str) -> tuple[str, _Layer] | None:
    parts: list[str] = []
    segments: list[tuple[int, int, int, int, int]] = []
    last = 0
    npos = 0
    for match in _CHANGING.finditer(text):
        start, end = match.span()
        token = match.group()
        pieces: list[tuple[int, str, int]] = []
        if token[0] == "%":
            _percent_run(token, pieces)
        else:
            pieces.append((end - start, _decode(token), 0))
        if len(pieces) == 1 and pieces[0][1] == token:
            continue
        parts.append(text[last:start])
        npos += start - last
        pos = start
        for length, replacement, unit in pieces:
            parts.append(replacement)
            segments.append((npos, npos + len(replacement), pos, pos + length, unit))
            npos += len(replacement)
            pos += length
        last = end
    if not segments:
        return None
    parts.append(text[last:])
    return "".join(parts), _Layer(segments, [seg[0] for seg in segments])


#: Encodings can be nested (an HTML entity inside a percent-encoded query string); a few
#: passes undo that without letting a hostile text make us loop.
MAX_PASSES = 3


def normalize(text: str) -> Normalized | None:
    """Fold *text*; ``None`` when nothing changes (the caller scans *text* as it is)."""
    if text.isascii():
        foldable = mixed = False
    else:
        foldable = _FOLDABLE.search(text) is not None
        mixed = _HAS_CONFUSABLE.search(text) is not None
    if not foldable and not mixed and not _has_escapes(text):
        return None
    folded = _fold_chars(text) if foldable else text
    if mixed:
        folded = fold_confusables(folded)
    layers: list[_Layer] = []
    for _ in range(MAX_PASSES):
        result = _fold_once(folded)
        if result is None:
            break
        folded, layer = result
        layers.append(layer)
        if not needs_normalizing(folded):
            break
    if not layers and folded == text:
        return None
    return Normalized(folded, layers)


#: Words for "password" in scripts the candidate patterns cannot read (they see every
#: non-ASCII character as "?"). In the ASCII bytes the patterns scan, each becomes an
#: ASCII key of the same length ("pw", "pw_x", ...), so that a password stated in Russian,
#: Chinese, Japanese, Korean, Greek, Turkish or Arabic is a candidate like an English one.
#: The validators read the real text.
PASSWORD_WORDS_NON_ASCII = (
    "\u043f\u0430\u0440\u043e\u043b\u044c",  # Russian, Ukrainian
    "\u5bc6\u7801",  # Chinese (simplified)
    "\u5bc6\u78bc",  # Chinese (traditional)
    "\u53e3\u4ee4",  # Chinese
    "\u30d1\u30b9\u30ef\u30fc\u30c9",  # Japanese
    "\ube44\ubc00\ubc88\ud638",  # Korean
    "\uc554\ud638",  # Korean
    "\u03ba\u03c9\u03b4\u03b9\u03ba\u03cc\u03c2",  # Greek
    "\u015fifre",  # Turkish
    "\u0643\u0644\u0645\u0629 \u0627\u0644\u0645\u0631\u0648\u0631",  # Arabic
    "has\u0142o",  # Polish
    "l\u00f6senord",  # Swedish
    "jelsz\u00f3",  # Hungarian
)
# A particle right after the word reads as "is" (パスワードは, 密码是, 密码为) and becomes ":".
_PARTICLES = "\u306f\u304c\u662f\u4e3a\u70ba"
_PASSWORD_WORD_RE = re2.compile(f"(?:{'|'.join(PASSWORD_WORDS_NON_ASCII)})[{_PARTICLES}]?")


def _ascii_key(word: str) -> str:
    colon = word[-1] in _PARTICLES
    n = len(word) - colon
    key = "pw" if n == 2 else "pw_" + "x" * (n - 3) if n > 3 else "pwd"
    return key + ":" * colon


def ascii_proxy(text: str) -> bytes:
    """The ASCII bytes the candidate patterns scan for non-ASCII *text* (same length):
    other characters read as "?", the SentencePiece marker as "_", and the words of
    :data:`PASSWORD_WORDS_NON_ASCII` as ASCII password keys."""
    if "\u2581" in text:
        text = text.replace("\u2581", "_")
    if _PASSWORD_WORD_RE.search(text) is not None:
        text = _PASSWORD_WORD_RE.sub(lambda m: _ascii_key(m.group()), text)
    return text.encode("ascii", "replace")
