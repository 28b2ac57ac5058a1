"""The inbox (``/bandeja``): filters that make a bookmarkable link, saved views, sorting by deadline,
keyset pages that keep the filters, bulk actions (assign, move, delete) and exports (Excel, CSV)."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
import sqlalchemy as sa

from pqrs_adapters.sqlalchemy.tables import cases as cases_table
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.events import VoidingRequested
from pqrs_core.domain.values import Requester

from .conftest import Site, Visitor

ROW = re.compile(r'<th scope="row"[^>]*><a href="/casos/(PQRS-\d{4}-\d{6})"[^>]*>')


def listed(page: str) -> list[str]:
    return ROW.findall(page)


def number(case: Case) -> str:
    return str(case.filing_number)


def flashes(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<p class="flash[^"]*"[^>]*>([^<]*)</p>', page)]


def select(visitor: Visitor, cases: list[Case], action: str, **fields: str) -> str:
    """Tick ``cases`` in the inbox and press the button of ``action``; the page one lands on."""
    form: dict[str, object] = {"casos": [number(x) for x in cases], "accion": action,
                               "volver": "/bandeja", **fields}
    for case in cases:
        form[f"version-{number(case)}"] = str(case.version)
    response = visitor.post("/bandeja/acciones", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return visitor.page(response.headers["Location"])


# --------------------------------------------------------------------------------------- filters
def test_filters_narrow_the_list_and_the_filtered_view_is_a_link(site: Site) -> None:
    queja = site.file(kind="queja", subject="Demora en la entrega", channel="email", priority="alta",
                      typification="PEDIDO_NO_RECIBIDO")
    reclamo = site.file(kind="reclamo", subject="Cobro doble", channel="phone", queue="back_office")
    peticion = site.file(kind="peticion", subject="Constancia", channel="web_form",
                         received_at=site.days_ago(40),
                         description="Pido una constancia de afiliación.")
    sofia = site.as_user("sofia")

    assert listed(sofia.page("/bandeja")) == [number(peticion), number(reclamo), number(queja)]
    assert listed(sofia.page("/bandeja?tipo=queja")) == [number(queja)]
    assert listed(sofia.page("/bandeja?canal=phone")) == [number(reclamo)]
    assert listed(sofia.page("/bandeja?prioridad=alta")) == [number(queja)]
    assert listed(sofia.page("/bandeja?cola=back_office")) == [number(reclamo)]
    assert listed(sofia.page("/bandeja?tipificacion=OPERACIONES")) == [number(queja)]  # an ancestor
    assert listed(sofia.page("/bandeja?q=cobro+DOBLE")) == [number(reclamo)]
    assert listed(sofia.page("/bandeja?q=CONSTANCIA+afiliacion")) == [number(peticion)]
    assert listed(sofia.page("/bandeja?q=constancia+de+pago")) == []
    assert listed(sofia.page("/bandeja?categoria=todo&tipo=reclamo")) == [number(reclamo)]
    today = site.today()
    assert listed(sofia.page(f"/bandeja?vence_hasta={today}")) == [number(peticion)]  # already due
    assert number(peticion) not in listed(sofia.page(f"/bandeja?vence_desde={today}"))
    assert listed(sofia.page(f"/bandeja?radicado_desde={today}&tipo=peticion")) == [number(peticion)]
    assert listed(sofia.page(f"/bandeja?radicado_hasta={today - timedelta(days=1)}")) == []

    page = sofia.page("/bandeja?tipo=queja&canal=email&q=entrega")
    assert '<option value="queja" selected>' in page and '<option value="email" selected>' in page
    assert 'value="entrega"' in page  # what was typed is shown back


def test_the_state_filter_offers_the_states_the_table_shows_and_the_stage_the_boards_columns(
        site: Site) -> None:
    site.file()

    page = site.as_user("ana").page("/bandeja")

    state = re.search(r'<label for="estado">([^<]+)</label>\s*<select id="estado" name="estado"[^>]*>(.*?)'
                      r"</select>", page, re.S)
    stage = re.search(r'<label for="categoria">([^<]+)</label>\s*<select id="categoria"[^>]*>(.*?)</select>',
                      page, re.S)
    assert state is not None and stage is not None
    assert state.group(1) == "Estado" and ">Radicado</option>" in state.group(2)
    assert '<th scope="col">Estado</th>' in page and '<span class="state">Radicado</span>' in page
    assert stage.group(1) == "Etapa" and ">Por atender</option>" in stage.group(2)


def test_a_wrong_date_is_shown_on_its_field_and_the_rest_still_filters(site: Site) -> None:
    queja = site.file(kind="queja")
    site.file(kind="reclamo")

    response = site.as_user("ana").get("/bandeja?tipo=queja&vence_desde=31/02/2026")

    page = response.get_data(as_text=True)
    assert response.status_code == 400 and listed(page) == [number(queja)]  # the page, filtered
    assert 'id="error-vence_desde"' in page and "Escriba una fecha válida (AAAA-MM-DD)." in page
    assert 'value="31/02/2026"' in page and 'aria-invalid="true"' in page


@pytest.mark.parametrize(("query", "field", "message"), [
    ("estado=bogus", "estado", "Estado: «bogus» no es una de las opciones; elija una de la lista."),
    ("categoria=zz", "categoria", "Etapa: «zz» no es una de las opciones"),
    ("tipo=queja2", "tipo", "Tipo: «queja2» no es una de las opciones"),
    ("tipificacion=NADA", "tipificacion", "Tipificación: «NADA» no es una de las opciones"),
    ("prioridad=x", "prioridad", "Prioridad: «x» no es una de las opciones"),
    ("cola=x", "cola", "Cola: «x» no es una de las opciones"),
    ("responsable=nadie", "responsable", "Responsable: «nadie» no es una de las opciones"),
    ("canal=fax", "canal", "Canal: «fax» no es una de las opciones"),
    ("vence_hasta=zzz", "vence_hasta", "Escriba una fecha válida (AAAA-MM-DD)."),
    ("orden=bogus", "orden", "Elija un orden de la lista."),
    ("vista=bogus", "vista", "La vista «bogus» no existe: se muestra «Todos»."),
    ("despues=zzz", "despues", "El enlace de paginación no es válido: se muestra la primera página."),
])
def test_a_wrong_filter_value_is_marked_with_a_spanish_message_and_the_rest_still_filters(
        site: Site, query: str, field: str, message: str) -> None:
    queja = site.file(kind="queja", subject="Demora en la entrega")
    site.file(kind="reclamo")

    for path in (f"/bandeja?{query}&q=demora", f"/bandeja?{query}&vista=todos&q=demora"):
        response = site.as_user("sofia").get(path)
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 400, page[:500]  # the page again, as every list page answers
        assert 'class="error-summary"' in page and f'href="#{field}">{message}' in page
        assert listed(page) == [number(queja)]  # the other filters still apply
    if field != "despues":  # an export has no pages
        export = site.as_user("sofia").get(f"/bandeja/exportar?formato=csv&{query}")
        assert export.status_code == 302 and "/bandeja?" in export.headers["Location"]


def test_sorting_by_deadline_puts_the_soonest_first(site: Site) -> None:
    overdue, later, sooner = (site.file(received_at=site.days_ago(d), subject=f"Hace {d} días")
                              for d in (30, 1, 8))
    ana = site.as_user("ana")

    assert listed(ana.page("/bandeja?vista=todos")) == [number(sooner), number(later), number(overdue)]
    page = ana.page("/bandeja?orden=vencimiento")
    assert listed(page) == [number(overdue), number(sooner), number(later)]
    assert listed(ana.page("/bandeja?orden=antiguos")) == [number(overdue), number(later), number(sooner)]
    assert 'class="deadline deadline-overdue"' in page and "vencido hace" in page
    assert 'class="deadline deadline-on_time"' in page and "hábiles" in page
    assert '<option value="vencimiento" selected>' in page


def test_the_next_page_keeps_the_filters_and_the_order(site: Site) -> None:
    quejas = [site.file(kind="queja", subject=f"Queja {i}", received_at=site.days_ago(30 - i))
              for i in range(27)]
    site.file(kind="reclamo")
    sofia = site.as_user("sofia")

    first = sofia.page("/bandeja?tipo=queja&orden=vencimiento")
    link = re.search(r'<a href="([^"]+)" rel="next">Siguientes</a>', first)
    assert link is not None
    args = parse_qs(urlsplit(html.unescape(link.group(1))).query)
    assert args["tipo"] == ["queja"] and args["orden"] == ["vencimiento"] and args["despues"]
    second = sofia.page(html.unescape(link.group(1)))

    assert listed(first) + listed(second) == [number(x) for x in quejas]  # oldest reception due first
    assert len(listed(first)) == 25 and 'rel="next"' not in second and "Primera página" in second


# ----------------------------------------------------------------------------------- saved views
def test_saved_views_mine_my_queue_overdue_and_waiting(site: Site) -> None:
    sofia, bruno = site.actor("sofia"), site.actor("bruno")
    mine = site.file(subject="Para Ana")
    site.pqrs.handle(c.AssignCase(filing_number=number(mine), assignee="ana"), sofia)
    queue = site.file(subject="En la cola de Ana")  # primer_nivel, the default queue
    other_queue = site.file(subject="En back office", queue="back_office")
    overdue = site.file(subject="Vencido", received_at=site.days_ago(40))
    waiting = site.file(subject="Falta la factura", queue="back_office")
    site.pqrs.handle(c.AssignCase(filing_number=number(waiting), assignee="bruno"), sofia)
    site.pqrs.handle(c.RequestInformation(filing_number=number(waiting), message="Envíe la factura"), bruno)
    closed = site.file(subject="Cerrado", resolved_at_first_contact=True, solution="Se explicó")
    ana = site.as_user("ana")

    page = ana.page("/bandeja?vista=mis_casos")
    assert listed(page) == [number(mine)]
    assert re.search(r'<a href="/bandeja\?vista=mis_casos" aria-current="page">Mis casos</a>', page)
    assert set(listed(ana.page("/bandeja?vista=mi_cola"))) == {number(x) for x in (mine, queue, overdue)}
    assert listed(ana.page("/bandeja?vista=vencidos")) == [number(overdue)]
    assert listed(ana.page("/bandeja?vista=esperando")) == [number(waiting)]
    everything = set(listed(ana.page("/bandeja?vista=todos")))
    assert everything == {number(x) for x in (mine, queue, other_queue, overdue, waiting, closed)}
    # A view and a filter combine; a filter that contradicts the view selects nothing.
    assert listed(ana.page("/bandeja?vista=mi_cola&q=vencido")) == [number(overdue)]
    assert listed(ana.page("/bandeja?vista=mis_casos&categoria=done")) == []
    empty = ana.page("/bandeja?vista=esperando&tipo=queja")
    assert "Ningún caso coincide con esta vista y sus filtros." in empty


def test_an_agent_lands_on_their_own_cases_by_time_left_and_the_inbox_remembers_their_view(
        site: Site) -> None:
    sofia = site.actor("sofia")
    for i in range(3):
        site.file(subject=f"Cerrado {i}", resolved_at_first_contact=True, solution="Se explicó")
    later, sooner = (site.file(subject=f"Hace {d} días", received_at=site.days_ago(d)) for d in (1, 9))
    ana, bruno = site.as_user("ana"), site.as_user("bruno")

    # Nothing assigned to Ana yet: her queue's open cases, the one with the least time left first.
    page = ana.page("/bandeja")
    assert listed(page) == [number(sooner), number(later)]
    assert re.search(r'<a href="/bandeja\?vista=mi_cola" aria-current="page">Mi cola</a>', page)
    for case in (later, sooner):
        site.pqrs.handle(c.AssignCase(filing_number=number(case), assignee="ana"), sofia)
    page = ana.page("/bandeja")
    assert listed(page) == [number(sooner), number(later)]
    assert re.search(r'aria-current="page">Mis casos</a>', page)
    assert "2 casos" in page
    # Bruno (back office) has neither cases nor a queue with open cases: his queue's empty view.
    assert re.search(r'aria-current="page">Mi cola</a>', bruno.page("/bandeja"))

    # The view a person opens is where the inbox opens next time, in any session.
    ana.page("/bandeja?vista=vencidos")
    again = site.as_user("ana").page("/bandeja")
    assert re.search(r'aria-current="page">Vencidos</a>', again)
    assert re.search(r'aria-current="page">Todos</a>', site.as_user("sofia").page("/bandeja"))


def test_a_requester_is_sent_to_the_portal_and_gets_no_bulk_actions(site: Site) -> None:
    own = site.file("pedro", subject="Mi reclamo", requester=Requester(full_name="Pedro Pérez"))
    site.file("ana", subject="De otra persona")
    pedro = site.as_user("pedro")

    response = pedro.get("/bandeja")
    page = pedro.page("/portal")

    assert response.status_code == 302 and response.headers["Location"] == "/portal"
    assert number(own) in page and "De otra persona" not in page
    assert 'name="accion"' not in page and "Exportar" not in page
    assert pedro.post("/bandeja/acciones", {"casos": number(own), "accion": "asignar",
                                            "persona": "pedro"}).status_code == 403
    assert pedro.get("/bandeja/exportar?formato=csv").status_code == 403


# ---------------------------------------------------------------------------------- bulk actions
def test_a_supervisor_assigns_two_cases_to_a_person(site: Site) -> None:
    first, second, untouched = (site.file(subject=f"Caso {i}") for i in range(3))
    sofia = site.as_user("sofia")
    page = sofia.page("/bandeja")
    assert 'data-select-all="casos"' in page and '<option value="bruno">bruno</option>' in page

    landed = select(sofia, [first, second], "asignar", persona="bruno")

    assert flashes(landed) == ["2 casos asignados a bruno."]
    assignees = [site.pqrs.case(number(x)).assignee for x in (first, second, untouched)]
    assert assignees == ["bruno", "bruno", None]
    assert "Asignó el caso a bruno" in html.unescape(sofia.page(f"/casos/{number(first)}"))


def test_assigning_to_a_queue_only_leaves_the_cases_there_for_distribution(site: Site) -> None:
    case = site.file()
    site.pqrs.handle(c.AssignCase(filing_number=number(case), assignee="ana"), site.actor("sofia"))

    landed = select(site.as_user("sofia"), [site.pqrs.case(number(case))], "asignar", cola="back_office")

    assert flashes(landed) == ["1 caso pasado a la cola Back office (segundo nivel), sin responsable."]
    stored = site.pqrs.case(number(case))
    assert (stored.queue, stored.assignee) == ("back_office", None)


def test_an_agent_may_take_cases_but_not_hand_them_to_others(site: Site) -> None:
    case = site.file()
    ana = site.as_user("ana")

    refused = ana.post("/bandeja/acciones", {"casos": number(case), "accion": "asignar", "persona": "bruno"})
    assert refused.status_code == 403 and site.pqrs.case(number(case)).assignee is None

    landed = select(ana, [case], "asignar", persona="ana")
    assert flashes(landed) == ["1 caso asignado a ana."] and site.pqrs.case(number(case)).assignee == "ana"


def test_moving_cases_reports_which_ones_could_not_move_and_why(site: Site) -> None:
    ana_actor = site.actor("ana")
    ready, also_ready, started = (site.file(subject=f"Caso {i}") for i in range(3))
    site.pqrs.handle(c.TransitionCase(filing_number=number(started), transition="start"), ana_actor)
    started = site.pqrs.case(number(started))
    ana = site.as_user("ana")

    landed = select(ana, [ready, also_ready, started], "mover", transicion="start")

    [message] = flashes(landed)
    assert message.startswith(f"2 casos movidos con «Iniciar gestión»; 1 no se pudo: {number(started)}: ")
    # why, by the labels a person knows (never the codes start / in_progress)
    assert ("No se puede «Iniciar gestión» cuando el caso está «En progreso». Acciones posibles ahora: "
            in message)
    assert "start" not in message and "in_progress" not in message
    assert 'class="flash flash-warning"' in landed
    assert [site.pqrs.case(number(x)).state for x in (ready, also_ready)] == ["in_progress", "in_progress"]


def test_move_offers_only_the_transitions_the_cases_allow_and_its_errors_read_cleanly(site: Site) -> None:
    filed, started, other = (site.file(subject=f"Caso {i}") for i in range(3))
    site.pqrs.handle(c.TransitionCase(filing_number=number(started), transition="start"), site.actor("ana"))
    ana = site.as_user("ana")

    page = ana.page("/bandeja?vista=todos")
    offered = re.search(r'<select id="transicion"[^>]*>(.*?)</select>', page, re.S)
    assert offered is not None
    # Not "Cerrar": no case on the page was responded.
    assert re.findall(r'<option value="(\w+)">', offered.group(1)) == ["start"]
    assert f'data-case="{number(filed)}" data-transitions="start"' in page
    assert f'data-case="{number(started)}" data-transitions=""' in page

    landed = select(ana, [other, site.pqrs.case(number(started))], "mover", transicion="close")
    [message] = flashes(landed)
    assert message == (
        f"2 no se pudieron: {number(other)}: No se puede «Cerrar» cuando el caso está «Radicado». "
        "Acciones posibles ahora: Iniciar gestión, Solicitar información, Resuelto en primer contacto, "
        f"Trasladar por competencia; {number(started)}: No se puede «Cerrar» cuando el caso está "
        "«En progreso». Acciones posibles ahora: Solicitar información, Responder, Trasladar por "
        "competencia.")
    assert ".;" not in message and ".." not in message and "close" not in message


def test_a_case_changed_since_the_page_was_shown_is_not_moved(site: Site) -> None:
    case = site.file()
    shown = site.pqrs.case(number(case))
    site.pqrs.handle(c.AddNote(filing_number=number(case), text="Llamé al cliente"), site.actor("bruno"))

    landed = select(site.as_user("ana"), [shown], "mover", transicion="start")

    [message] = flashes(landed)
    assert message.startswith(f"1 no se pudo: {number(case)}: ") and "flash-error" in landed
    assert f"El caso {number(case)} cambió mientras usted lo veía (ahora está «Radicado»)" in message
    assert "versión" not in message
    assert site.pqrs.case(number(case)).state == "filed"


def test_an_action_without_selected_cases_or_a_target_says_what_is_missing(site: Site) -> None:
    case = site.file()
    sofia = site.as_user("sofia")

    response = sofia.post("/bandeja/acciones", {"accion": "mover", "transicion": "start",
                                                "volver": "/bandeja"})
    assert flashes(sofia.page(response.headers["Location"])) == ["Seleccione al menos un caso de la lista."]
    assert flashes(select(sofia, [case], "asignar")) == ["Elija a quién asignar los casos, o a qué cola."]
    assert flashes(select(sofia, [case], "mover", transicion="respond")) == [
        "Elija la transición con la que mover los casos."]  # it needs the answer: not a bulk move
    assert site.pqrs.case(number(case)).version == 1
    response = sofia.post("/bandeja/acciones", {"casos": number(case), "accion": "mover",
                                                "transicion": "start", "volver": "https://otro.example/"})
    assert response.headers["Location"].endswith("/bandeja")  # never sent to another site


# ------------------------------------------------------------------------------------------- voiding
def test_asking_for_a_voiding_is_refused_to_non_admins(site: Site) -> None:
    case = site.file()
    sofia = site.as_user("sofia")
    assert "Motivo de la anulación" not in sofia.page("/bandeja")

    for action in ("anular", "eliminar"):
        response = sofia.post("/bandeja/acciones", {"casos": number(case), "accion": action,
                                                    "motivo": "Duplicado"})
        assert response.status_code == 403
    assert site.pqrs.case(number(case)).deleted_at is None
    assert site.pqrs.voidings(site.actor("admin")) == []


def test_the_former_delete_action_asks_for_a_voiding_and_deletes_nothing(site: Site) -> None:
    gone, kept = site.file(subject="Radicado dos veces"), site.file(subject="El bueno")
    admin = site.as_user("admin")
    assert "Motivo de la anulación" in admin.page("/bandeja")
    assert flashes(select(admin, [gone], "eliminar", motivo="  ")) == [
        "Escriba el motivo de la anulación: queda en la historia de cada caso."]

    landed = select(admin, [gone], "eliminar", motivo="Duplicado del radicado " + number(kept))

    assert flashes(landed) == ["Anulación solicitada para 1 caso: la aprueba o rechaza otra persona."]
    # Until a second person approves, nothing changed: the case is listed and works as before.
    assert sorted(listed(admin.page("/bandeja"))) == sorted([number(gone), number(kept)])
    assert site.pqrs.count() == 2
    [pending] = site.pqrs.voidings(site.actor("admin"))
    assert (pending.target, pending.requested_by, pending.reason) == (
        number(gone), "admin", "Duplicado del radicado " + number(kept))
    last = site.pqrs.history(number(gone))[-1]
    assert isinstance(last, VoidingRequested) and last.actor == "admin"
    with site.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(cases_table)).scalar_one() == 2


# --------------------------------------------------------------------------------------------- exports
def _workbook(data: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Casos", "Información"]
    return [list(row) for row in book["Casos"].iter_rows(values_only=True)]


def test_the_selected_cases_export_to_excel_with_basic_or_complete_columns(site: Site) -> None:
    first = site.file(subject="Devolución no aplicada", kind="reclamo", typification="PEDIDO_NO_RECIBIDO")
    second = site.file(subject="=HYPERLINK(\"http://malo.example\")", received_at=site.days_ago(3))
    site.file(subject="No seleccionado")
    sofia = site.as_user("sofia")
    form = {"casos": [number(first), number(second)], "accion": "exportar_xlsx", "columnas": "basicas"}

    response = sofia.post("/bandeja/acciones", form)

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.fullmatch(r'attachment; filename="?casos-\d{8}-\d{4}-basicas\.xlsx"?',
                        response.headers["Content-Disposition"])
    rows = _workbook(response.data)
    header, *data = rows
    assert header[:6] == ["Radicado", "Asunto", "Tipo", "Tipificación", "Prioridad", "Estado"]
    assert "Vence el" in header and "Número de documento" not in header
    assert [r[0] for r in data] == [number(first), number(second)]
    assert data[0][1] == "Devolución no aplicada" and data[0][2] == "Reclamo"
    assert data[0][3] == "Operaciones › Pedido no recibido"
    assert data[1][1] == "=HYPERLINK(\"http://malo.example\")"  # text, never a formula
    filed_at = data[0][header.index("Radicado el")]
    assert isinstance(filed_at, datetime) and isinstance(data[0][header.index("Vence el")], datetime)

    complete = _workbook(sofia.post("/bandeja/acciones", {**form, "columnas": "completas"}).data)
    header, *data = complete
    row = dict(zip(header, data[0], strict=True))
    assert row["Peticionario"] == "Marta Gómez" and row["Número de documento"] == "43123456"
    assert row["Correo del peticionario"] == "marta@example.com" and row["Tipo de documento"]
    assert row["Descripción"] == "Necesito un certificado de paz y salvo."
    assert row["Códigos de tipificación"] == "OPERACIONES › PEDIDO_NO_RECIBIDO"
    assert isinstance(row["Recibido el"], datetime) and row["Radicado por"] == "ana"


def test_everything_the_filters_select_exports_to_csv_for_excel(site: Site) -> None:
    quejas = [site.file(kind="queja", subject=f"Queja número {i} — atención") for i in range(30)]
    site.file(kind="reclamo", subject="Reclamo aparte")
    closed = site.file(kind="queja", subject="-Cerrada", resolved_at_first_contact=True, solution="=1+1")

    response = site.as_user("sofia").get("/bandeja/exportar?formato=csv&columnas=completas&tipo=queja")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].endswith('-completas.csv"')
    data = response.data
    assert data.startswith("\ufeff".encode())  # Excel reads the accents right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header, *body = rows
    assert header[0] == "Radicado" and "Solución" in header and "Correo del peticionario" in header
    assert [r[0] for r in body] == [number(closed), *(number(x) for x in reversed(quejas))]  # 31: all pages
    assert body[1][1] == "Queja número 29 — atención"
    assert body[0][1] == "'-Cerrada" and body[0][header.index("Solución")] == "'=1+1"  # no formulas
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", body[0][header.index("Radicado el")])


def test_the_export_of_a_view_is_limited_to_what_the_person_may_see(site: Site) -> None:
    site.file("juan", subject="De Juan", requester=Requester(full_name="Juan"))
    site.file("ana", subject="De Ana")

    response = site.as_user("carlos").get("/bandeja/exportar?formato=xlsx")  # quality: reports, closed cases

    assert response.status_code == 200
    assert _workbook(response.data)[1:] == []
    assert site.as_user("ana").get("/bandeja/exportar?formato=pdf").status_code == 400


def test_an_export_holds_every_case_the_filters_select_streamed_beyond_the_old_5000_cap(
        site: Site, tmp_path: Path) -> None:
    import json

    from pqrs_adapters.importing.bulk import import_jsonl

    count = 5_120  # more than the 5,000 rows exports used to stop at
    received = site.days_ago(2).isoformat()
    path = tmp_path / "casos.jsonl"
    path.write_text("".join(json.dumps({
        "kind": "queja", "subject": f"Queja importada {i}", "description": "Llegó tarde.", "channel": "phone",
        "received_at": received, "filed_by": "ana", "requester": {"full_name": f"Cliente {i}"}}) + "\n"
        for i in range(count)), encoding="utf-8")
    assert import_jsonl(site.pqrs, site.engine, path).imported == count
    site.file(kind="reclamo", subject="Fuera del filtro")
    sofia = site.as_user("sofia")

    response = sofia.get("/bandeja/exportar?formato=csv&vista=todos&tipo=queja")
    assert response.status_code == 200 and response.is_streamed
    lines = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert len(lines) == 1 + count and len({line[0] for line in lines[1:]}) == count

    book = sofia.get("/bandeja/exportar?formato=xlsx&vista=todos&tipo=queja")
    assert book.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(book.data), read_only=True)
    assert sum(1 for _row in workbook["Casos"].iter_rows(values_only=True)) == 1 + count
    about = dict(workbook["Información"].iter_rows(values_only=True))  # type: ignore[arg-type]
    assert "como máximo" not in str(about.get("Casos"))
