"""Text helpers shared by search and matching."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip accents: «Petición» → «peticion»."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slug(text: str) -> str:
    """A stable upper-case code from a label: «Queja de calidad» → «QUEJA_DE_CALIDAD»."""
    return re.sub(r"[^A-Z0-9]+", "_", fold(text).upper()).strip("_")
