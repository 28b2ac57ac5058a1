"""Free-text search (``CaseQuery.text``): accent- and case-insensitive on every store, combined with
visibility, kept up to date when a case changes, and never an error whatever a person types."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pqrs_adapters.sqlalchemy.search import fts5_query, query_words, tokens, tsquery_text
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:
    from conftest import StoreUnderTest

AGENT = Actor("ana", frozenset({"agent"}))

HOSTILE = [
    '"a" OR (', '"', '""', "'", "''", "(", ")", "*", "**", ":", "a:b", "col:valor", "NEAR", "NEAR(a b)",
    "a NEAR/2 b", "AND", "OR", "NOT", "a AND OR NOT b", "^inicio", "-menos", "+mas", "a & b | !c", "<->",
    "a:*", "\\", "%", "_", "[x]", "{x}", "peticion*", '" OR 1=1 --', "'; DROP TABLE cases; --", "\x00",
    "ñandú 😀 中文", "\u0301", "ǅ", "ﬁn", "\t\n", "de la", "a" * 5000, " ".join(["petición"] * 3000),
]


def _file(app: Pqrs, subject: str, description: str, *, actor: Actor = AGENT, **values: object) -> str:
    case = app.handle(c.FileCase(kind="peticion", subject=subject, description=description,
                                 **values), actor)  # type: ignore[arg-type]
    return str(case.filing_number)


def _found(app: Pqrs, text: str, actor: Actor | None = None) -> set[str]:
    return {str(x.filing_number) for x in app.cases(CaseQuery(text=text, limit=500), actor).cases}


def test_search_ignores_accents_and_case(store: StoreUnderTest) -> None:
    app = store.app()
    first = _file(app, "Petición de devolución", "El pedido llegó incompleto",
                  requester=Requester(full_name="José Pérez Muñoz", email="jose.perez@example.com",
                                      document_type="CC", document_number="80123456"))
    second = _file(app, "Queja por demora", "Nadie responde en la línea",
                   requester=Requester(full_name="Ana Gómez"))

    assert _found(app, "peticion") == {first}
    assert _found(app, "PEREZ") == {first}
    assert _found(app, "perez munoz") == {first}
    assert _found(app, "MUÑOZ devolucion") == {first}
    assert _found(app, "linea") == {second}
    assert _found(app, "80123456") == {first}
    assert _found(app, "jose.perez@example.com") == {first}
    assert _found(app, first) == {first}  # the filing number, as printed
    assert _found(app, first.lower().split("-", 1)[1]) == {first}  # without its prefix
    assert _found(app, "devolu") == {first}  # the last word matches as a prefix
    assert _found(app, "perez gomez") == set()  # every word must match
    assert _found(app, "   ") == {first, second}  # blank: no filter


def test_a_partial_filing_number_a_name_or_a_document_number_finds_the_case(store: StoreUnderTest) -> None:
    app = store.app()
    numbers = [_file(app, f"Caso {i}", "Sin más", requester=Requester(
        full_name=f"Persona {i}", document_type="CC", document_number=f"9{i}00{i}")) for i in range(3)]
    marta = _file(app, "Cobro doble", "Dos cobros en la factura", requester=Requester(
        full_name="Marta Elena Gómez", document_type="CC", document_number="73123456"))
    nobody = _file(app, "Anónimo", "Sin datos del peticionario")  # no document, no name to match
    sequence = str(int(marta.rsplit("-", 1)[1]))  # "4" of PQRS-2026-000004

    assert _found(app, sequence) == {marta}  # the number as a person says it, without zeros
    assert _found(app, str(int(nobody.rsplit("-", 1)[1]))) == {nobody}  # only the sequence can match
    assert _found(app, marta.rsplit("-", 1)[1]) == {marta}  # with them
    assert _found(app, f"{sequence} ") == {marta}
    assert _found(app, "marta gom") == {marta}  # the requester's name, the last word a prefix
    assert _found(app, "73123456") == {marta}  # the document number
    assert _found(app, "73.123.456") == {marta}  # as it is often written
    assert _found(app, "73 123 456") == {marta}
    assert _found(app, "9100") == {numbers[1]}  # a document number's beginning (the last word's prefix)
    assert _found(app, "999") == set()
    assert _found(app, "4 cobro") == set()  # with words, every word must match (no sequence)


def test_search_respects_visibility(store: StoreUnderTest) -> None:
    app = store.app()
    mine = _file(app, "Reclamo por cobro", "Cobro doble en la factura",
                 actor=Actor("juan", frozenset({"requester"})))
    _file(app, "Reclamo por cobro", "Cobro doble en la factura de otra persona",
          actor=Actor("luz", frozenset({"requester"})))
    juan = Actor("juan", frozenset({"requester"}))
    assert _found(app, "cobro factura", juan) == {mine}
    assert len(_found(app, "cobro factura", AGENT)) == 2
    assert app.summary(CaseQuery(text="cobro"), actor=juan).total == 1


def test_the_index_follows_changes_to_a_case(store: StoreUnderTest) -> None:
    app = store.app()
    number = _file(app, "Cambio de dirección", "Vivo en Medellín")
    app.handle(c.ChangeFields(filing_number=number, changes={"subject": "Cambio de teléfono"}), AGENT)
    assert _found(app, "telefono") == {number}
    assert _found(app, "direccion") == set()
    assert _found(app, "medellin") == {number}


def test_hostile_search_text_is_never_an_error(sql_store: StoreUnderTest) -> None:
    app = sql_store.app()
    number = _file(app, "Petición (urgente): \"NEAR\" * OR AND", "texto de prueba")
    for text in HOSTILE:
        found = _found(app, text)
        assert found <= {number}, text
        assert app.summary(CaseQuery(text=text)).total == len(found), text
    assert _found(app, '"near" or (') == {number}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_text_is_a_valid_search_on_sql(sql_store: StoreUnderTest, text: str) -> None:
    app = sql_store.app()
    app.cases(CaseQuery(text=text))


def test_query_language_is_only_ever_quoted_words() -> None:
    words = query_words('"a" OR ( peti:ción* NEAR(x)')
    assert words == [["a"], ["or"], ["peti", "cion"], ["near", "x"]]
    assert fts5_query(words) == '"a" "or" "peti cion" "near x"*'
    assert tsquery_text(words) == "('a') & ('or') & ('peti' <-> 'cion') & ('near' <-> 'x':*)"
    assert query_words("  ") is None and query_words("()") == []
    assert tokens("PQRS-2026-000123 Pérez_López") == ["pqrs", "2026", "000123", "perez", "lopez"]
