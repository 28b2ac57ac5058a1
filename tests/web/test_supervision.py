"""Supervision pages: distribution of the unassigned cases of one's queues (/distribucion) and the quality
review of closed cases (/calidad)."""

from __future__ import annotations

import re

from werkzeug.test import TestResponse

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.events import QualityReviewed

from .conftest import Site, Visitor


def n(case: Case) -> str:
    return str(case.filing_number)


def assignees(site: Site, *cases: Case) -> list[str | None]:
    return [site.pqrs.case(n(x)).assignee for x in cases]


def distribute(visitor: Visitor, cases: list[Case], **fields: object) -> TestResponse:
    form: dict[str, object] = {"casos": [n(x) for x in cases], **fields}
    form.update({f"version-{n(x)}": str(x.version) for x in cases})
    return visitor.post("/distribucion", form)


def open_load(page: str, username: str) -> int:
    row = re.search(rf'<tr data-agent="{re.escape(username)}">(.*?)</tr>', page, re.S)
    assert row is not None, username
    found = re.search(r'data-load="open">(\d+)<', row.group(1))
    assert found is not None
    return int(found.group(1))


# ------------------------------------------------------------------------------------------ distribution
def test_the_supervisor_sees_the_unassigned_open_cases_of_her_queues_only(site: Site) -> None:
    first_line = site.file("ana", subject="Sin asignar en primer nivel")
    back_office = site.file("ana", subject="Sin asignar en back office", queue="back_office")
    elsewhere = site.file("ana", subject="De especialistas", queue="especialistas")  # not sofia's queue
    assigned = site.file("ana", subject="Ya asignado")
    site.pqrs.handle(c.AssignCase(filing_number=n(assigned), assignee="ana"), site.actor("sofia"))
    closed = site.file("ana", subject="Resuelto al instante", resolved_at_first_contact=True,
                       solution="Se explicó el trámite")

    page = site.as_user("sofia").page("/distribucion")

    assert n(first_line) in page and n(back_office) in page
    for hidden in (elsewhere, assigned, closed):
        assert n(hidden) not in page
    assert 'data-agent="ana"' in page and 'data-agent="bruno"' in page  # the agents of her queues
    assert 'data-agent="sofia"' not in page and 'data-agent="carlos"' not in page
    only_back_office = site.as_user("sofia").page("/distribucion?cola=back_office")
    assert n(back_office) in only_back_office and n(first_line) not in only_back_office


def test_people_without_the_assign_permission_get_a_403(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")

    assert ana.get("/distribucion").status_code == 403
    assert distribute(ana, [case], accion="asignar", agente="ana").status_code == 403
    assert assignees(site, case) == [None]


def test_bulk_assignment_to_one_agent(site: Site) -> None:
    cases = [site.file("ana", subject=f"Caso {i}") for i in range(3)]
    sofia = site.as_user("sofia")

    response = distribute(sofia, cases[:2], accion="asignar", agente="bruno")

    assert response.status_code == 302
    assert assignees(site, *cases) == ["bruno", "bruno", None]
    page = sofia.page("/distribucion")
    assert "Se asignaron 2 casos a bruno" in page
    assert open_load(page, "bruno") == 2
    assert f'id="caso-{n(cases[2])}"' in page and f'id="caso-{n(cases[0])}"' not in page


def split(visitor: Visitor, cases: list[Case], how: str, agents: list[str]) -> TestResponse:
    """Ask for a split (``turnos`` or ``menos_carga``), check its preview assigned nothing, confirm it."""
    preview = distribute(visitor, cases, accion=how, agentes=agents)
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    page = preview.get_data(as_text=True)
    assert "Vista previa del reparto" in page
    plan = dict(re.findall(r'<input type="hidden" name="(reparto-[^"]+)" value="([^"]+)">', page))
    return distribute(visitor, cases, accion="confirmar", agentes=agents, **plan)


def test_turns_give_each_marked_person_the_same_number_of_cases(site: Site) -> None:
    already = [site.file("ana", subject=f"Caso de ana {i}") for i in range(4)]
    for case in already:  # ana already holds four cases: turns do not look at that
        site.pqrs.handle(c.AssignCase(filing_number=n(case), assignee="ana"), site.actor("sofia"))
    cases = [site.file("ana", subject=f"Nuevo {i}") for i in range(5)]

    response = split(site.as_user("sofia"), cases, "turnos", ["ana", "bruno"])

    assert response.status_code == 302
    assert assignees(site, *cases) == ["ana", "bruno", "ana", "bruno", "ana"]


def test_the_preview_says_who_gets_what_and_assigns_nothing(site: Site) -> None:
    cases = [site.file("ana", subject=f"Nuevo {i}") for i in range(3)]

    preview = distribute(site.as_user("sofia"), cases, accion="turnos", agentes=["ana", "bruno"])

    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    row = f'<th scope="row" class="nowrap">{n(cases[1])}</th><td>Nuevo 1</td><td>bruno</td>'
    assert row in page
    assert "ana recibe 2 casos" in page and "bruno recibe 1 caso" in page
    assert assignees(site, *cases) == [None, None, None]


def test_least_loaded_evens_out_the_load(site: Site) -> None:
    already = site.file("ana", subject="Caso de ana")
    site.pqrs.handle(c.AssignCase(filing_number=n(already), assignee="ana"), site.actor("sofia"))
    cases = [site.file("ana", subject=f"Nuevo {i}") for i in range(5)]
    sofia = site.as_user("sofia")

    split(sofia, cases, "menos_carga", ["ana", "bruno"])

    # ana starts with 1 open case, bruno with 0: bruno, then the tie goes by name (ana), and so on.
    assert assignees(site, *cases) == ["bruno", "ana", "bruno", "ana", "bruno"]
    page = sofia.page("/distribucion")
    assert open_load(page, "ana") == 3 and open_load(page, "bruno") == 3


def test_splits_are_only_among_the_marked_agents(site: Site) -> None:
    cases = [site.file("ana") for _ in range(2)]

    split(site.as_user("sofia"), cases, "turnos", ["bruno", "carlos"])  # carlos: no agent

    assert assignees(site, *cases) == ["bruno", "bruno"]


def test_a_tampered_plan_is_refused(site: Site) -> None:
    case = site.file("ana")
    plan = {f"reparto-{n(case)}": "carlos"}  # not one of the agents
    response = distribute(site.as_user("sofia"), [case], accion="confirmar", **plan)
    assert response.status_code == 422 and "vuelva a elegir cómo repartir" in response.get_data(as_text=True)
    assert assignees(site, case) == [None]


def test_what_could_not_be_assigned_is_reported_case_by_case(site: Site) -> None:
    taken, free = site.file("ana"), site.file("ana")
    sofia = site.as_user("sofia")
    site.pqrs.handle(c.AssignCase(filing_number=n(taken), assignee="ana"), site.actor("sofia"))  # meanwhile

    distribute(sofia, [taken, free], accion="asignar", agente="bruno")

    assert assignees(site, taken, free) == ["ana", "bruno"]
    page = sofia.page("/distribucion")
    assert f"No se pudo asignar {n(taken)}: ya está asignado a ana" in page
    assert f"Se asignó 1 caso a bruno: {n(free)}." in page


def test_a_case_outside_her_queues_is_not_assigned(site: Site) -> None:
    elsewhere = site.file("ana", queue="especialistas")

    sofia = site.as_user("sofia")

    distribute(sofia, [elsewhere], accion="asignar", agente="bruno")

    assert assignees(site, elsewhere) == [None]
    assert f"No se pudo asignar {n(elsewhere)}: no está en sus colas" in sofia.page("/distribucion")


def test_missing_choices_are_said_in_spanish_and_the_selection_is_kept(site: Site) -> None:
    case = site.file("ana")
    sofia = site.as_user("sofia")

    nothing = sofia.post("/distribucion", {"accion": "asignar", "agente": "bruno"})
    nobody = distribute(sofia, [case], accion="turnos")

    assert nothing.status_code == 422
    assert "Seleccione al menos un caso para asignar." in nothing.get_data(as_text=True)
    body = nobody.get_data(as_text=True)
    assert nobody.status_code == 422
    assert "Marque al menos una persona para repartir los casos." in body
    assert f'value="{n(case)}" id="caso-{n(case)}" checked' in body
    assert assignees(site, case) == [None]


# ------------------------------------------------------------------------------------------ quality
def closed_case(site: Site, subject: str = "Certificado enviado") -> Case:
    return site.file("ana", subject=subject, resolved_at_first_contact=True,
                     solution="Se envió el certificado al correo.")


def review_form(**fields: object) -> dict[str, object]:
    return {"puntaje": "4", "chequeo": ["on_time", "courteous"], "observaciones": "Faltó el saludo.",
            **fields}


def test_a_quality_review_is_recorded_in_the_history(site: Site) -> None:
    case = closed_case(site)
    carlos = site.as_user("carlos")
    assert n(case) in carlos.page("/calidad")  # not yet reviewed
    form = carlos.page(f"/calidad/{n(case)}")
    assert "Se envió el certificado al correo." in form and "Respondió dentro del término" in form

    response = carlos.post(f"/calidad/{n(case)}", review_form(version=str(case.version)))

    assert response.status_code == 302
    [review] = [e for e in site.pqrs.history(n(case)) if isinstance(e, QualityReviewed)]
    assert (review.actor, review.score, review.notes) == ("carlos", 4, "Faltó el saludo.")
    assert review.checklist["on_time"] and not review.checklist["clear_and_complete"]
    assert "Se registró la revisión de calidad" in carlos.page("/calidad")
    assert n(case) not in carlos.page("/calidad")  # pending reviews only
    assert n(case) in carlos.page("/calidad?revision=revisados")
    history = carlos.page(f"/casos/{n(case)}")
    assert "Revisó la calidad de la atención: 4 de 5." in history
    assert "No cumple: respuesta clara y completa" in history


def test_an_open_case_cannot_be_reviewed(site: Site) -> None:
    case = site.file("ana", subject="Todavía abierto")

    assert site.as_user("carlos").get(f"/calidad/{n(case)}").status_code == 404  # quality sees closed cases
    response = site.as_user("admin").post(f"/calidad/{n(case)}", review_form())

    assert response.status_code == 422
    assert "Solo se puede revisar la calidad de un caso cerrado" in response.get_data(as_text=True)
    assert not any(isinstance(e, QualityReviewed) for e in site.pqrs.history(n(case)))


def test_people_without_the_quality_permission_cannot_review(site: Site) -> None:
    case = closed_case(site)
    sofia = site.as_user("sofia")

    assert sofia.get("/calidad").status_code == 403
    assert sofia.get(f"/calidad/{n(case)}").status_code == 403
    assert sofia.post(f"/calidad/{n(case)}", review_form()).status_code == 403
    assert not any(isinstance(e, QualityReviewed) for e in site.pqrs.history(n(case)))


def test_a_review_without_a_score_keeps_what_was_typed(site: Site) -> None:
    case = closed_case(site)

    response = site.as_user("carlos").post(f"/calidad/{n(case)}", review_form(puntaje="9"))

    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Elija una calificación de 1 a 5." in body
    assert "Faltó el saludo." in body and 'id="chequeo-courteous" value="courteous" checked' in body
    assert not any(isinstance(e, QualityReviewed) for e in site.pqrs.history(n(case)))


def test_a_review_of_a_case_that_changed_meanwhile_is_not_saved(site: Site) -> None:
    case = closed_case(site)
    site.pqrs.handle(c.AddNote(filing_number=n(case), text="Nota posterior"), site.actor("ana"))

    response = site.as_user("carlos").post(f"/calidad/{n(case)}", review_form(version=str(case.version)))

    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "El caso cambió mientras usted lo editaba" in body
    assert "Faltó el saludo." in body
    assert not any(isinstance(e, QualityReviewed) for e in site.pqrs.history(n(case)))


def test_closed_cases_filter_by_closing_date_and_kind(site: Site) -> None:
    complaint = site.file("ana", kind="queja", resolved_at_first_contact=True, solution="Listo")
    petition = closed_case(site)
    carlos = site.as_user("carlos")
    today = site.pqrs.case(n(complaint)).closed_at
    assert today is not None

    complaints = carlos.page("/calidad?revision=todos&tipo=queja")
    future = carlos.page("/calidad?revision=todos&desde=2999-01-01")
    bad = carlos.get("/calidad?desde=ayer")

    assert n(complaint) in complaints and n(petition) not in complaints
    assert n(complaint) not in future and "No hay casos cerrados con estos filtros." in future
    assert bad.status_code == 400 and "Escriba la fecha como aaaa-mm-dd." in bad.get_data(as_text=True)


def responded_case(site: Site, subject: str) -> Case:
    """A case answered but not closed: «Respondido», the requester may still reply."""
    case = site.file("ana", subject=subject)
    number = n(case)
    for command in (c.AssignCase(filing_number=number, assignee="ana"),
                    c.TransitionCase(filing_number=number, transition="start"),
                    c.RespondCase(filing_number=number, text="Le enviamos el certificado.")):
        case = site.pqrs.handle(command, site.actor("ana"))
    assert case.state == "responded" and case.closed_at is None
    return case


def test_the_quality_list_holds_closed_cases_only_the_latest_closed_first(site: Site,
                                                                           clock: FrozenClock) -> None:
    earlier = closed_case(site, "Cerrado primero")
    clock.advance(hours=2)
    answered = responded_case(site, "Respondido sin cerrar")
    clock.advance(hours=2)
    later = closed_case(site, "Cerrado después")

    page = site.as_user("carlos").page("/calidad?revision=todos")

    assert n(answered) not in page
    assert page.index(n(later)) < page.index(n(earlier))


def test_saving_a_review_opens_the_next_case_to_review(site: Site, clock: FrozenClock) -> None:
    first = closed_case(site, "Primero")
    clock.advance(hours=1)
    second = closed_case(site, "Segundo")
    carlos = site.as_user("carlos")

    saved = carlos.post(f"/calidad/{n(second)}", review_form(version=str(second.version)))

    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/calidad/{n(first)}")
    page = carlos.page(saved.headers["Location"])
    assert f"Siguiente caso: {n(first)}" in page
    last = carlos.post(f"/calidad/{n(first)}", review_form(version=str(first.version)))
    assert last.headers["Location"].endswith("/calidad")
    assert "No quedan casos cerrados sin revisar" in carlos.page("/calidad")


# ------------------------------------------------------------------------------------------ landing, menu
def test_supervisors_land_on_the_dashboard_and_the_menu_counts_the_unassigned(site: Site) -> None:
    for i in range(3):
        site.file("ana", subject=f"Sin asignar {i}")
    site.file("ana", subject="De especialistas", queue="especialistas")  # not one of sofia's queues
    sofia = site.as_user("sofia")

    landing = sofia.get("/")

    assert landing.status_code == 302 and landing.headers["Location"].endswith("/panel")
    page = sofia.page("/distribucion")
    entry = re.search(r'<a href="/distribucion"[^>]*>(.*?)</a>', page)
    assert entry is not None
    assert re.sub(r"<[^>]+>", "", entry.group(1)) == "Distribución 3 casos sin asignar"
    assert "/bandeja" in site.as_user("ana").get("/").headers["Location"]  # agents: their inbox
