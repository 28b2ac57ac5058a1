"""Text helpers shared by search and matching, and the characters a stored text may hold."""

from __future__ import annotations

import re
import unicodedata

# The combining marks accents decompose into (those of U+0300–U+036F: U+034F is not one), and what is
# not ASCII.
_DIACRITICS = re.compile("[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c)))
                         + "]+")
_NOT_ASCII = re.compile("[^\x00-\x7f]")


def fold(text: str) -> str:
    """Lower-case and strip accents (every combining mark): «Petición» → «peticion»."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Fast path: drop the usual diacritics with one regular expression; the few characters left
    # outside ASCII («¿», «—»...) are checked one by one, so the result is the same as testing all.
    stripped = _DIACRITICS.sub("", decomposed)
    if not any(unicodedata.combining(c) for c in _NOT_ASCII.findall(stripped)):
        return stripped.casefold()
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slug(text: str) -> str:
    """A stable upper-case code from a label: «Queja de calidad» → «QUEJA_DE_CALIDAD»."""
    return re.sub(r"[^A-Z0-9]+", "_", fold(text).upper()).strip("_")


_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Folded runs of letters and digits: «PQRS-2026-000123 Pérez» → pqrs, 2026, 000123, perez."""
    return _WORD.findall(fold(text))


def query_words(text: str) -> list[list[str]] | None:
    """A search query as its words, each the runs it is made of («2026-000123» → [2026, 000123]).
    ``None``: nothing to search for (blank); ``[]``: no letters or digits, so nothing can match."""
    if not fold(text).split():
        return None
    return [found for part in fold(text).split() if (found := words(part))]


def text_matches(document: list[str], query: list[list[str]]) -> bool:
    """Whether every query word occurs in ``document`` (a list of words) as a run of whole words; the
    last query word may be a prefix («petic» finds «peticiones»). The SQL stores search the same way."""
    if not query:
        return False

    def found(phrase: list[str], prefix: bool) -> bool:
        size = len(phrase)
        for i in range(len(document) - size + 1):
            window = document[i:i + size]
            if window[:-1] == phrase[:-1] and (
                    window[-1].startswith(phrase[-1]) if prefix else window[-1] == phrase[-1]):
                return True
        return False

    last = len(query) - 1
    return all(found(phrase, n == last) for n, phrase in enumerate(query))


# What a person's text may not hold. No one types a C0 control character (nor DEL); a NUL cannot even
# be stored by PostgreSQL, and an unpaired surrogate cannot be encoded at all. A one-line field (a
# name, a document, an e-mail address, a subject) ends up in mail headers, file names and CSV cells,
# where a line break of any kind (CR, LF, NEL, the Unicode line and paragraph separators) splits it
# or injects a header; a long text (a description, a note, a response) keeps its tabs and line
# breaks (browsers send CR LF).
_NOT_IN_ONE_LINE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")
_NOT_IN_LONG_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LINE_BREAKS = frozenset("\r\n\x85\u2028\u2029")


def forbidden_characters(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be stored as it is (Spanish), or ``None`` when it can. ``multiline``: a
    long text, which may hold tabs and line breaks."""
    found = (_NOT_IN_LONG_TEXT if multiline else _NOT_IN_ONE_LINE).search(text)
    if found is None:
        return None
    if found.group() in _LINE_BREAKS:
        return "no admite saltos de línea"
    return f"contiene un carácter de control no permitido (U+{ord(found.group()):04X})"


def without_forbidden(text: str, *, multiline: bool = False) -> str:
    """``text`` without the characters ``forbidden_characters`` refuses, for text no person typed (mail
    headers, file names of attachments): dropped rather than refused."""
    return (_NOT_IN_LONG_TEXT if multiline else _NOT_IN_ONE_LINE).sub("", text)


_IDENTIFIER = re.compile(r"[0-9]+(?:[ .\-][0-9]+)*")
MAX_SEQUENCE_DIGITS = 9  # a filing number's sequence has 6 digits; longer runs are document numbers


def identifier_query(text: str) -> tuple[int | None, tuple[str, ...]]:
    """What a search made of digits alone (dots, dashes or spaces between them allowed) also finds,
    besides the words: the cases whose filing number's sequence is that number (``282`` →
    PQRS-2026-000282) and the requesters whose document number it is, as typed or without the
    separators (``43.123.456`` → 43123456). ``(None, ())`` for any other search."""
    typed = text.strip()
    if not _IDENTIFIER.fullmatch(typed):
        return None, ()
    digits = re.sub(r"[ .\-]", "", typed)
    sequence = int(digits) if len(digits) <= MAX_SEQUENCE_DIGITS else None
    return sequence, tuple(dict.fromkeys((typed, digits)))
