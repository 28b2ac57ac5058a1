"""The supervisor's dashboard (figures counted by hand, widgets chosen and ordered, self-refreshing) and
the agent's strip above the inbox."""

from __future__ import annotations

import re

from pqrs_adapters.sqlalchemy.satisfaction import record_answer
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case_terms import reading
from pqrs_core.domain.sla import TermStatus
from sql_statements import recorded_statements

from .conftest import Site


def widget(page: str, title: str) -> str:
    found = re.search(rf'<h2 id="w-[a-z_]+" class="figure-label">{title}</h2>\s*<p class="figure-value">'
                      rf'(?:<a [^>]*>)?([^<]+)', page)
    assert found, title
    return found.group(1)


def test_the_dashboard_counts_what_was_counted_by_hand(site: Site, clock: FrozenClock) -> None:
    ana, sofia = site.actor("ana"), site.actor("sofia")
    old = site.file("ana", subject="Viejo")  # 30 days ago: overdue now
    clock.advance(days=30)
    site.pqrs.handle(c.AssignCase(filing_number=str(old.filing_number), assignee="ana"), sofia)
    for subject in ("Nuevo 1", "Nuevo 2"):
        site.file("ana", subject=subject)  # filed today, unassigned
    done = site.file("ana", subject="Resuelto hoy")
    number = str(done.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), sofia)
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    site.pqrs.handle(c.RespondCase(filing_number=number, text="Listo.", close=True), ana)
    assert record_answer(site.engine, done.id, 4, None, "", site.now())

    page = site.as_user("sofia").page("/panel")

    assert 'data-refresh-every="120"' in page and "panel.js" in page  # refreshed in place, by a script
    assert widget(page, "Sin asignar") == "2"
    assert widget(page, "Vencidos") == "1"
    assert widget(page, "Radicados hoy") == "3" and widget(page, "Cerrados hoy") == "1"
    assert widget(page, "Cumplimiento del mes") == "100 %"  # one term ended this month, on time
    assert widget(page, "Satisfacción del mes") == "4,0 / 5"
    load = re.search(r"<th scope=\"row\">ana</th><td>(\d+)</td>", page)
    assert load and load.group(1) == "1"  # «Viejo» (the resolved one is not open)
    assert "Satisfacción y calidad" in page and "Causas raíz" in page and "Volumen" in page


def test_the_cases_to_hand_out_are_counted_once_for_the_widget_and_the_menu(site: Site) -> None:
    for subject in ("Nuevo 1", "Nuevo 2"):
        site.file("ana", subject=subject)
    with recorded_statements(site.engine) as seen:
        page = site.as_user("sofia").page("/panel")
    assert widget(page, "Sin asignar") == "2"
    assert re.search(r'Distribución <span class="badge">2</span>', page)
    # The count reads the board's counts on SQLite (``nullif(…assignee, ?) IS NULL``), the cases on
    # PostgreSQL (``cases.assignee IS NULL``).
    counts = [s for s, _ in seen if re.search(r"assignee(, \?\))? IS NULL", s)]
    assert len(counts) == 1, counts


def test_at_risk_counts_the_running_cases_near_their_deadline(site: Site, clock: FrozenClock) -> None:
    """A case past the share of its term that makes it at risk counts; one waiting for the requester
    (its term paused) and one just filed do not."""
    ana = site.actor("ana")
    near = str(site.file("ana", subject="Cerca del vencimiento").filing_number)
    waiting = str(site.file("ana", subject="Esperando al peticionario").filing_number)
    site.pqrs.handle(c.TransitionCase(filing_number=waiting, transition="start"), ana)
    risk = site.pqrs.deps.settings.risk_threshold
    for _ in range(40):
        clock.advance(days=1)
        found = reading(site.pqrs.case(near), site.pqrs.catalog(), clock.now(), risk)
        if found is not None and found.status is TermStatus.AT_RISK:
            break
    assert found is not None and found.status is TermStatus.AT_RISK
    site.pqrs.handle(c.RequestInformation(filing_number=waiting, message="Envíe la factura"), ana)
    site.file("ana", subject="Recién radicado")

    page = site.as_user("sofia").page("/panel")

    assert widget(page, "En riesgo") == "1"
    for _ in range(40):  # past its deadline, it is overdue and no longer at risk
        clock.advance(days=1)
        found = reading(site.pqrs.case(near), site.pqrs.catalog(), clock.now(), risk)
        if found is not None and found.status is TermStatus.OVERDUE:
            break
    page = site.as_user("sofia").page("/panel")
    assert widget(page, "En riesgo") == "0" and widget(page, "Vencidos") == "1"


def test_each_person_chooses_and_orders_the_widgets(site: Site, clock: FrozenClock) -> None:
    sofia = site.as_user("sofia")
    saved = sofia.post("/panel/personalizar", {"mostrar_vencidos": "1", "orden_vencidos": "2",
                                              "mostrar_satisfaccion": "1", "orden_satisfaccion": "1"})
    assert saved.status_code == 303
    page = sofia.page("/panel")
    titles = re.findall(r'class="figure-label">([^<]+)</h2>', page)
    assert titles == ["Satisfacción del mes", "Vencidos"]
    admin_titles = re.findall(r'class="figure-label">([^<]+)</h2>', site.as_user("admin").page("/panel"))
    assert admin_titles[0] == "Sin asignar"  # everyone has their own

    refused = sofia.post("/panel/personalizar", {"mostrar_carga": "1", "orden_carga": "primero"})
    assert refused.status_code == 422 and "Escriba un número entero" in refused.get_data(as_text=True)
    assert re.findall(r'class="figure-label">([^<]+)</h2>', sofia.page("/panel")) == titles  # unchanged
    assert site.as_user("ana").get("/panel").status_code == 403


def test_the_agent_strip_counts_their_cases_and_todays_answers(site: Site, clock: FrozenClock) -> None:
    ana, sofia = site.actor("ana"), site.actor("sofia")
    late = site.file("ana", subject="Tarde")
    site.pqrs.handle(c.AssignCase(filing_number=str(late.filing_number), assignee="ana"), sofia)
    clock.advance(days=30)
    for subject in ("Hoy 1", "Hoy 2"):
        case = site.file("ana", subject=subject)
        number = str(case.filing_number)
        site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), sofia)
        site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    site.pqrs.handle(c.RespondCase(filing_number=number, text="Listo."), ana)
    clock.advance(hours=1)

    page = site.as_user("ana").page("/bandeja")

    strip = re.search(r'<section class="agent-strip".*?</section>', page, re.S)
    assert strip is not None
    text = re.sub(r"<[^>]+>", "", strip.group(0))
    assert "Mis casos abiertos: 2" in " ".join(text.split())  # «Tarde» and «Hoy 1»
    assert "Vencidos: 1" in " ".join(text.split())
    assert "Respondidos hoy: 1 de 55 (meta diaria)" in " ".join(text.split())
    assert "agent-strip" not in site.as_user("carlos").page("/bandeja")
    assert "agent-strip" not in site.as_user("sofia").page("/bandeja")  # she has the dashboard
