"""Canned answers on the case page: the picker lists the case's typification's answers first, «Insertar»
fills the variables into the text without losing what was typed, a broken answer is a message, and a
macro's changes are applied with the response, each in the history, or none of them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pqrs_adapters.config import LetterSettings
from pqrs_adapters.sqlalchemy.answer_store import create_answer, list_answers
from pqrs_core.domain import commands as c
from pqrs_core.domain.answers import AnswerDraft, CannedAnswer, MacroActions
from pqrs_core.domain.case import Case

from .conftest import Site, Visitor, serve_site

TYPIFICATION = "SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES"


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _answer(site: Site, title: str, body: str, *, owner: str | None = None, **fields: Any) -> CannedAnswer:
    draft = AnswerDraft(title=title, body=body, personal=owner is not None, **fields)
    return create_answer(site.engine, draft, site.now(), actor=owner)


def _in_progress(site: Site) -> Case:
    case = site.file("ana", typification=TYPIFICATION)
    key = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=key, assignee="ana"), site.actor("ana"))
    site.pqrs.handle(c.TransitionCase(filing_number=key, transition="start"), site.actor("ana"))
    current: Case = site.pqrs.case(key)
    return current


def _post(visitor: Visitor, site: Site, case: Case, action: str, data: dict[str, Any]) -> Any:
    current = site.pqrs.case(str(case.filing_number))
    return visitor.post(f"/casos/{case.filing_number}/{action}", {"version": str(current.version), **data})


def test_the_picker_lists_the_typifications_answers_first_and_no_one_elses_personal_ones(site: Site) -> None:
    case = _in_progress(site)
    _answer(site, "Saludo general", "Hola {{ peticionario.nombre }}.")
    _answer(site, "Devolución en trámite", "Su devolución {{ radicado }} está en trámite.",
            typifications=("CAMBIOS_Y_DEVOLUCIONES",))
    _answer(site, "Nota privada de Sofía", "x", owner="sofia")

    page = _text(site.as_user("ana").get(f"/casos/{case.filing_number}"))

    picker = re.search(r'<select id="respuesta_texto-tipo".*?</select>', page, re.S)
    assert picker is not None
    options = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", picker.group(0))
    assert options == ["Devolución en trámite", "Saludo general"]
    assert "Para la tipificación de este caso" in picker.group(0)
    assert "Nota privada de Sofía" not in page
    assert 'id="nota_texto-tipo"' in page  # the note form has one too
    assert "answers.js" in page


def test_no_picker_without_answers(site: Site) -> None:
    case = _in_progress(site)
    page = _text(site.as_user("ana").get(f"/casos/{case.filing_number}"))
    assert "respuesta_texto-tipo" not in page and "answers.js" not in page


def test_inserting_fills_the_variables_after_what_was_typed_and_counts_a_use(site: Site) -> None:
    case = _in_progress(site)
    answer = _answer(site, "Devolución en trámite",
                     "{{ peticionario.nombre }}, su caso {{ radicado }} vence el {{ vence }}.")

    response = _post(site.as_user("ana"), site, case, "respuesta-tipo", {
        "destino": "respuesta_texto", "accion_respuesta_tipo": "insertar", "respuesta_tipo": str(answer.id),
        "respuesta_texto": "Buenos días."})

    page = _text(response)
    assert response.status_code == 200
    textarea = re.search(r'<textarea id="respuesta_texto"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None
    expected = f"Buenos días.\n\nMarta Gómez, su caso {case.filing_number} vence el "
    assert textarea.group(1).startswith(expected)
    assert "{{" not in textarea.group(1)
    assert "Se insertó «Devolución en trámite»" in page
    [counted] = list_answers(site.engine)
    assert counted.usage_count == 1


def test_inserting_over_json_gives_the_text_for_the_script(site: Site) -> None:
    case = _in_progress(site)
    answer = _answer(site, "Radicado", "Caso {{ radicado }}")
    ana = site.as_user("ana")

    inserted = _post(ana, site, case, "respuesta-tipo", {
        "destino": "nota_texto", "accion_respuesta_tipo": "insertar", "respuesta_tipo": str(answer.id),
        "formato": "json"})
    preview = ana.get(f"/casos/{case.filing_number}/respuesta-tipo/{answer.id}")

    assert inserted.get_json()["text"] == f"Caso {case.filing_number}"
    assert preview.get_json()["text"] == f"Caso {case.filing_number}"
    assert list_answers(site.engine)[0].usage_count == 1  # the preview is not a use


def test_a_broken_answer_or_none_chosen_is_a_message_and_the_text_is_kept(site: Site) -> None:
    case = _in_progress(site)
    broken = _answer(site, "Rota", "Hola {{ peticionario.apellido }}")
    ana = site.as_user("ana")

    refused = _post(ana, site, case, "respuesta-tipo", {
        "destino": "respuesta_texto", "accion_respuesta_tipo": "insertar", "respuesta_tipo": str(broken.id),
        "respuesta_texto": "Lo que escribí"})
    nothing = _post(ana, site, case, "respuesta-tipo", {
        "destino": "respuesta_texto", "accion_respuesta_tipo": "insertar", "respuesta_tipo": "999",
        "respuesta_texto": "Lo que escribí"})

    assert refused.status_code == 422 and "«apellido» no existe" in _text(refused)
    assert "Lo que escribí" in _text(refused)
    assert nothing.status_code == 422 and "Elija una respuesta tipo" in _text(nothing)
    assert _post(ana, site, case, "respuesta-tipo", {"destino": "otro"}).status_code == 400


def test_searching_narrows_the_list_without_javascript(site: Site) -> None:
    case = _in_progress(site)
    _answer(site, "Garantía aprobada", "x")
    _answer(site, "Devolución aprobada", "y")

    page = _text(_post(site.as_user("ana"), site, case, "respuesta-tipo", {
        "destino": "respuesta_texto", "accion_respuesta_tipo": "buscar", "buscar_respuesta": "garantia",
        "respuesta_texto": "Borrador"}))

    picker = re.search(r'<select id="respuesta_texto-tipo".*?</select>', page, re.S)
    assert picker is not None and "Garantía aprobada" in picker.group(0)
    assert "Devolución aprobada" not in picker.group(0)
    assert "Borrador" in page


def test_a_macro_is_offered_with_its_changes_and_applied_with_the_response(site: Site) -> None:
    case = _in_progress(site)
    macro = _answer(site, "Devolución aprobada + cerrar", "Aprobamos su devolución ({{ radicado }}).",
                    macro=MacroActions(priority="alta", transition="close"))
    ana = site.as_user("ana")

    page = _text(_post(ana, site, case, "respuesta-tipo", {
        "destino": "respuesta_texto", "accion_respuesta_tipo": "insertar", "respuesta_tipo": str(macro.id)}))
    assert "aplicar también la macro «Devolución aprobada + cerrar»: Prioridad: Alta; Cerrar" in page

    sent = _post(ana, site, case, "respuesta", {
        "respuesta_texto": f"Aprobamos su devolución ({case.filing_number}).", "accion": "enviar",
        "macro": str(macro.id), "aplicar_macro": "1"})

    assert sent.status_code == 302
    done = site.pqrs.case(str(case.filing_number))
    assert (done.state, done.priority) == ("closed", "alta")
    kinds = [type(e).__name__ for e in site.pqrs.history(str(case.filing_number))]
    assert kinds.index("FieldChanged") < kinds.index("CaseResponded")


def test_a_macro_whose_transition_is_refused_leaves_nothing_applied(site: Site) -> None:
    case = _in_progress(site)
    key = str(case.filing_number)
    macro = _answer(site, "Devolución aprobada + iniciar", "Aprobamos su devolución.",
                    macro=MacroActions(priority="alta", transition="start"))  # not after a response
    before = [type(e).__name__ for e in site.pqrs.history(key)]

    sent = _post(site.as_user("ana"), site, case, "respuesta", {
        "respuesta_texto": "Aprobamos su devolución.", "accion": "enviar", "macro": str(macro.id),
        "aplicar_macro": "1"})

    assert sent.status_code == 409
    assert "Aprobamos su devolución." in _text(sent)  # what was typed is kept
    after = site.pqrs.case(key)
    assert (after.state, after.priority, after.version) == (case.state, case.priority, case.version)
    assert after.responded_at is None
    assert [type(e).__name__ for e in site.pqrs.history(key)] == before


def test_an_unticked_macro_only_sends_the_response(site: Site) -> None:
    case = _in_progress(site)
    macro = _answer(site, "Cerrar", "Texto", macro=MacroActions(transition="close"))

    _post(site.as_user("ana"), site, case, "respuesta", {"respuesta_texto": "Texto", "accion": "enviar",
                                                         "macro": str(macro.id)})

    assert site.pqrs.case(str(case.filing_number)).state == "responded"


@pytest.fixture()
def approving_site(tmp_path: Path) -> Iterator[Site]:
    """The site of an organisation whose response letters a second person approves."""
    yield from serve_site(tmp_path, letters=LetterSettings(approval=True, nit="900.123.456-7"))


def test_a_macro_is_not_applied_to_a_response_that_waits_for_approval(approving_site: Site) -> None:
    site = approving_site
    case = _in_progress(site)
    macro = _answer(site, "Devolución aprobada + cerrar", "Aprobamos su devolución.",
                    macro=MacroActions(priority="alta", transition="close"))

    ana = site.as_user("ana")
    sent = _post(ana, site, case, "respuesta", {
        "respuesta_texto": "Aprobamos su devolución.", "accion": "enviar_y_cerrar",
        "macro": str(macro.id), "aplicar_macro": "1"})

    assert sent.status_code == 302
    drafted = site.pqrs.case(str(case.filing_number))
    assert drafted.pending_response is not None
    assert (drafted.state, drafted.priority) == ("in_progress", case.priority)
    assert "FieldChanged" not in [type(e).__name__ for e in site.pqrs.history(str(case.filing_number))]
    page = _text(ana.get(f"/casos/{case.filing_number}"))
    assert "Respuesta enviada a aprobación" in page
    assert "La macro «Devolución aprobada + cerrar» no se aplicó" in page
    assert "Respuesta enviada y caso cerrado" not in page and "se aplicó la macro" not in page
