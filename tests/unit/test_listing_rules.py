"""Listing rules the in-memory store shares with the SQL stores: free text and cursors."""

from __future__ import annotations

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.text import query_words, text_matches, words
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import staff

from .support import AGENT, file, number


@pytest.mark.parametrize(("query", "found"), [
    ("peticion", True), ("PETICIÓN", True), ("petic", True), ("peticion perez", True),
    ("2026-000123", True), ("000123", True), ("etición", False), ("perez peticion", True),
    ("peticion xyz", False), ("!!!", False),
])
def test_free_text_matches_whole_words_accent_insensitively(query: str, found: bool) -> None:
    document = words("Derecho de petición de Juan Pérez, radicado PQRS-2026-000123")
    wanted = query_words(query)
    assert wanted is not None
    assert text_matches(document, wanted) is found


def test_a_blank_query_does_not_filter() -> None:
    assert query_words("   ") is None


def test_the_in_memory_store_searches_like_the_sql_stores(pqrs: Pqrs) -> None:
    hit = file(pqrs, subject="Derecho de petición sobre facturación")
    file(pqrs, subject="Queja por demora")
    found = pqrs.cases(CaseQuery(text="peticion"), AGENT).cases
    assert [str(x.filing_number) for x in found] == [number(hit)]


def test_a_cursor_naming_a_case_the_actor_cannot_see_is_refused(pqrs: Pqrs) -> None:
    hidden = pqrs.handle(c.FileCase(kind="queja", subject="Ajena", description="De otra persona"), AGENT)
    requester = staff("zoe", "requester")
    own = pqrs.handle(c.FileCase(kind="queja", subject="Mía", description="Mi queja"), requester)
    assert [str(x.filing_number) for x in pqrs.cases(CaseQuery(), requester).cases] == [number(own)]
    with pytest.raises(ValidationError) as refused:
        pqrs.cases(CaseQuery(after=number(hidden)), requester)
    assert refused.value.errors == {"after": "el cursor no corresponde a un caso"}
    with pytest.raises(ValidationError):
        pqrs.cases(CaseQuery(after="PQRS-2026-999999"), requester)
    assert pqrs.cases(CaseQuery(after=number(own)), requester).cases == []
