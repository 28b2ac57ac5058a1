"""Folding text for search: lower case, no accents, whatever the script."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from pqrs_core.domain.text import fold, words


def _reference(text: str) -> str:
    """The definition: decompose (NFKD), drop every combining mark, fold the case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_accents_capitals_and_spanish_punctuation() -> None:
    assert fold("¿Petición de MARÍA Núñez?") == "¿peticion de maria nunez?"
    assert words("PQRS-2026-000123 Pérez Gómez") == ["pqrs", "2026", "000123", "perez", "gomez"]


@given(st.text())
def test_fold_is_the_definition_for_any_text(text: str) -> None:
    assert fold(text) == _reference(text)


SPANISH_AND_TRAPS = "aeinouAEINOUáéíóúÁÉÍÓÚñÑüÜ¿¡—\u034f\u0301\u0303ǅﬁ①ẞİ "


@given(st.text(alphabet=st.sampled_from(SPANISH_AND_TRAPS), max_size=40))
def test_fold_is_the_definition_for_spanish_looking_text(text: str) -> None:
    assert fold(text) == _reference(text)
