"""A case open in two tabs: a note written in one does not block a state change in the other, nor the
other way round; two changes of the case itself still conflict."""

from __future__ import annotations

import html
import re

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case

from .conftest import Site, Visitor


def _tab(visitor: Visitor, case: Case) -> dict[str, str]:
    """What every form of the case page carries, as a tab opened now holds it."""
    page = visitor.page(f"/casos/{case.filing_number}")
    version = re.search(r'name="version" value="(\d+)"', page)
    seen = re.search(r'name="visto" value="([^"]+)"', page)
    assert version is not None and seen is not None
    return {"version": version.group(1), "visto": html.unescape(seen.group(1))}


def _assigned(site: Site) -> Case:
    case = site.file("ana")
    return site.pqrs.handle(c.AssignCase(filing_number=str(case.filing_number), assignee="ana"),
                            site.actor("ana"))


def test_a_note_from_a_tab_opened_before_a_state_change_is_added(site: Site, clock: FrozenClock) -> None:
    case = _assigned(site)
    ana = site.as_user("ana")
    first, second = _tab(ana, case), _tab(ana, case)
    clock.advance(minutes=2)
    started = ana.post(f"/casos/{case.filing_number}/transicion", {**first, "transicion": "start"})
    assert started.status_code == 302
    clock.advance(minutes=3)

    response = ana.post(f"/casos/{case.filing_number}/notas",
                        {**second, "nota_texto": "Llamé al cliente", "nota_tipo": "interna"})

    assert response.status_code == 302
    now = site.pqrs.case(str(case.filing_number))
    assert now.state == "in_progress"
    assert [e.name for e in site.pqrs.history(str(case.filing_number))][-1] == "NoteAdded"


def test_a_state_change_from_a_tab_opened_before_a_note_goes_through(site: Site, clock: FrozenClock) -> None:
    case = _assigned(site)
    ana = site.as_user("ana")
    first, second = _tab(ana, case), _tab(ana, case)
    clock.advance(minutes=2)
    assert ana.post(f"/casos/{case.filing_number}/notas",
                    {**first, "nota_texto": "Llamé al cliente", "nota_tipo": "interna"}).status_code == 302
    clock.advance(minutes=3)

    response = ana.post(f"/casos/{case.filing_number}/transicion", {**second, "transicion": "start"})

    assert response.status_code == 302
    assert site.pqrs.case(str(case.filing_number)).state == "in_progress"


def test_two_state_changes_from_two_tabs_still_conflict(site: Site, clock: FrozenClock) -> None:
    case = _assigned(site)
    ana, sofia = site.as_user("ana"), site.as_user("sofia")
    first, second = _tab(ana, case), _tab(sofia, case)
    clock.advance(minutes=2)
    started = ana.post(f"/casos/{case.filing_number}/transicion", {**first, "transicion": "start"})
    assert started.status_code == 302
    clock.advance(minutes=3)

    response = sofia.post(f"/casos/{case.filing_number}/asignacion",
                          {**second, "asignar_responsable": "sofia"})

    assert response.status_code == 409
    assert "El caso cambió mientras usted lo editaba" in html.unescape(response.get_data(as_text=True))
    assert site.pqrs.case(str(case.filing_number)).assignee == "ana"


def _edit_form(visitor: Visitor, case: Case, **changes: str) -> dict[str, str]:
    """The case page's edit form as a tab opened now holds it, with ``changes`` typed in."""
    page = visitor.page(f"/casos/{case.filing_number}")
    form = page[page.index(f'action="/casos/{case.filing_number}/campos"'):]
    form = form[:form.index("</form>")]
    values = {name: html.unescape(value)
              for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)}
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        values[name] = html.unescape(body)
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    values.pop("campo_verbal", None)
    return {**values, **changes}


def test_edits_of_different_fields_from_two_tabs_both_stay(site: Site, clock: FrozenClock) -> None:
    case = site.file("ana")
    ana, sofia = site.as_user("ana"), site.as_user("sofia")
    first = _edit_form(ana, case, campo_asunto="Certificado urgente")
    second = _edit_form(sofia, case, campo_telefono="3109876543")
    clock.advance(minutes=2)
    assert ana.post(f"/casos/{case.filing_number}/campos", first).status_code == 302
    clock.advance(minutes=3)

    response = sofia.post(f"/casos/{case.filing_number}/campos", second)

    assert response.status_code == 302
    now = site.pqrs.case(str(case.filing_number))
    assert now.subject == "Certificado urgente" and now.requester.phone == "3109876543"


def test_an_edit_after_a_state_change_in_another_tab_is_saved(site: Site, clock: FrozenClock) -> None:
    case = _assigned(site)
    ana = site.as_user("ana")
    state_tab, edit_tab = _tab(ana, case), _edit_form(ana, case, campo_asunto="Asunto corregido")
    clock.advance(minutes=2)
    started = ana.post(f"/casos/{case.filing_number}/transicion", {**state_tab, "transicion": "start"})
    assert started.status_code == 302
    clock.advance(minutes=3)

    assert ana.post(f"/casos/{case.filing_number}/campos", edit_tab).status_code == 302
    now = site.pqrs.case(str(case.filing_number))
    assert now.subject == "Asunto corregido" and now.state == "in_progress"


def test_an_edit_from_before_a_request_to_complete_does_not_erase_what_was_asked(
        site: Site, clock: FrozenClock) -> None:
    case = _assigned(site)
    number = str(case.filing_number)
    ana = site.as_user("ana")
    edit_tab = _edit_form(ana, case, campo_asunto="Asunto corregido")
    clock.advance(minutes=2)
    site.pqrs.handle(c.RequestCompletion(filing_number=number, message="Falta un documento.",
                                         missing=("copia de la cédula",)), site.actor("sofia"))
    clock.advance(minutes=3)

    response = ana.post(f"/casos/{number}/campos", edit_tab)

    assert response.status_code == 409
    now = site.pqrs.case(number)
    assert "copia de la cédula" in now.missing_information and now.subject != "Asunto corregido"
