"""Text helpers shared by search and matching."""

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
