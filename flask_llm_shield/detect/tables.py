"""Values in a column whose header names them: markdown tables and CSV.

A model asked to "list the users" answers with a table; the passwords and AWS secret keys
then sit in cells far below the header that says what they are, with no label next to
them. The candidate is the table's structure (a markdown separator row, or a CSV header
cell naming a secret); the validator reads the header, finds the columns, and reports
the cells of up to :data:`MAX_ROWS` rows that pass the column's check.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ._base import Detector
from .normalize import PASSWORD_WORDS_NON_ASCII
from .secrets import aws_secret_value_ok, password_cell_ok

#: Rows read below one header (bounds the work per table).
MAX_ROWS = 200
_MAX_CELL = 200

#: Header words per kind, in the languages the password detector reads (the real text:
#: non-ASCII is fine here).
COLUMN_WORDS: dict[str, str] = {
    "password_assignment": (
        r"password|passwort|passwd|passphrase|pwd|kennwort|mot de passe|mdp|contrase\u00f1a|"
        r"contrasenya|wachtwoord|senha|parola|heslo|geslo|lozinka|salasana|passord|"
        r"adgangskode|l\u00f6senord|jelsz\u00f3|" + "|".join(PASSWORD_WORDS_NON_ASCII)
    ),
    "aws_secret_key": (
        r"aws.{0,3}secret|secret.{0,3}access.{0,3}key|secretaccesskey|"
        r"clave de acceso secreta|chiave di accesso segreta|cl\u00e9 d.acc\u00e8s secr\u00e8te|"
        r"geheimer zugriffsschl\u00fcssel|geheime toegangssleutel|chave de acesso secreta|"
        r"tajny klucz dost\u0119pu|\u0441\u0435\u043a\u0440\u0435\u0442\u043d\u044b\u0439 "
        r"\u043a\u043b\u044e\u0447 \u0434\u043e\u0441\u0442\u0443\u043f\u0430|"
        r"\u30b7\u30fc\u30af\u30ec\u30c3\u30c8\u30a2\u30af\u30bb\u30b9\u30ad\u30fc|"
        r"\u79d8\u5bc6\u8bbf\u95ee\u5bc6\u94a5|\u79d8\u5bc6\u5b58\u53d6\u91d1\u9470"
    ),
}
_COLUMN_RE = {kind: re.compile(f"(?i){words}") for kind, words in COLUMN_WORDS.items()}
_CELL_OK: dict[str, Callable[[str], bool]] = {
    "password_assignment": password_cell_ok,
    "aws_secret_key": aws_secret_value_ok,
}

# A markdown separator row of at least two columns: |---|:---:| (its header is the line
# above it).
_MD_SEPARATOR = r"(?:^|\n)[ \t]{0,3}\|?[ \t]*:?-{3,}:?[ \t]*\|[ \t]*:?-{3}"
# A CSV header cell naming a secret (ASCII words: the non-ASCII ones read as "pw...").
_CSV_HEADER = (
    r"(?i)(?:^|\n|,)[ \t\"]{0,3}[a-z_ ]{0,20}"
    r"(?:password|passwd|pwd|pw|passwort|senha|secret_access_key|secretaccesskey|"
    r"aws_secret[a-z_]{0,20})[a-z_ ]{0,20}[ \t\"]{0,3}(?:,|\r?\n)"
)


def _cells(line: str, sep: str) -> list[tuple[int, int]]:
    """Spans of the cells of *line* (split on *sep*), stripped of blanks and quotes."""
    spans: list[tuple[int, int]] = []
    pos = 0
    if sep == "|":
        stripped = line.strip()
        if stripped.startswith("|"):
            pos = line.index("|") + 1
        end_line = line.rstrip().removesuffix("|") if stripped.endswith("|") else line
        limit = len(end_line)
    else:
        limit = len(line)
    while pos <= limit:
        nxt = line.find(sep, pos, limit)
        stop = limit if nxt < 0 else nxt
        s, e = pos, stop
        while s < e and line[s] in " \t\"'`":
            s += 1
        while e > s and line[e - 1] in " \t\"'`\r":
            e -= 1
        spans.append((s, e))
        if nxt < 0:
            break
        pos = nxt + 1
    return spans


def _columns(kind: str, header: str, sep: str) -> list[int]:
    pattern = _COLUMN_RE[kind]
    return [i for i, (s, e) in enumerate(_cells(header, sep)) if pattern.search(header, s, e)]


def _rows(
    text: str, first: int, sep: str, kind: str, columns: list[int], width: int
) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    pos = first
    check = _CELL_OK[kind]
    for _ in range(MAX_ROWS):
        if pos >= len(text):
            break
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end]
        if sep not in line:
            break
        cells = _cells(line, sep)
        if len(cells) != width:
            break
        for c in columns:
            s, e = cells[c]
            if 0 < e - s <= _MAX_CELL and check(line[s:e]):
                found.append((pos + s, pos + e))
        pos = line_end + 1
    return found


def _markdown(kind: str) -> Callable[[str, int, int], list[tuple[int, int]] | None]:
    def validate(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
        sep_start = start + 1 if text[start] == "\n" else start
        header_start = text.rfind("\n", max(0, sep_start - 2000), max(0, sep_start - 1)) + 1
        header = text[header_start : max(header_start, sep_start - 1)]
        if "|" not in header:
            return None
        columns = _columns(kind, header, "|")
        if not columns:
            return None
        width = len(_cells(header, "|"))
        nl = text.find("\n", end)
        if nl < 0:
            return None
        return _rows(text, nl + 1, "|", kind, columns, width) or None

    return validate


def _csv(kind: str) -> Callable[[str, int, int], list[tuple[int, int]] | None]:
    def validate(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
        line_start = text.rfind("\n", max(0, start - 2000), start + 1) + 1
        nl = text.find("\n", end - 1)
        if nl < 0:
            return None
        header = text[line_start:nl]
        if header.count(",") < 1:
            return None
        columns = _columns(kind, header, ",")
        if not columns:
            return None
        return _rows(text, nl + 1, ",", kind, columns, len(_cells(header, ","))) or None

    return validate


DETECTORS: tuple[Detector, ...] = tuple(
    Detector(kind, pattern, make(kind), _MAX_CELL)
    for kind in COLUMN_WORDS
    for pattern, make in ((_MD_SEPARATOR, _markdown), (_CSV_HEADER, _csv))
)
