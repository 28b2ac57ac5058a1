"""Folding text for search: lower case, no accents, whatever the script."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pqrs_core.domain.text import fold, forbidden_characters, words


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


@pytest.mark.parametrize("text", ["\x00", "a\x01b", "\x1b[0m", "\x7f", "x\x1c", "\ud800"])
def test_control_characters_are_refused_in_any_text(text: str) -> None:
    assert forbidden_characters(text) is not None
    assert forbidden_characters(text, multiline=True) is not None


@pytest.mark.parametrize("text", ["Marta\r\nBcc: x@example.com", "a\nb", "a\rb", "a\x85b", "a\u2028b",
                                  "a\u2029b"])
def test_a_one_line_text_has_no_line_breaks(text: str) -> None:
    assert forbidden_characters(text) == "no admite saltos de línea"
    assert forbidden_characters(text, multiline=True) is None


def test_a_one_line_text_has_no_tabs_but_a_long_one_may() -> None:
    assert forbidden_characters("300\t123") is not None
    assert forbidden_characters("Faltan:\r\n\t- dos unidades", multiline=True) is None


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"),
                                      blacklist_characters="\u2028\u2029")))
def test_printable_text_in_any_script_is_accepted(text: str) -> None:
    assert forbidden_characters(text) is None
