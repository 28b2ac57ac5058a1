"""Bulk import of historical cases (``pqrs import``) into SQLite and PostgreSQL: what is imported reads
back as a case worked through the use cases would, and is found by listings, search and reports."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR
from test_store_terms import Terms

from pqrs_adapters.importing.bulk import import_jsonl
from pqrs_adapters.sqlalchemy.tables import filing_sequences
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Requester
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery
from pqrs_core.services.import_run import ImportReport
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=BOGOTA)
REQUESTER = {"full_name": "María Pérez Gómez", "document_type": "CC", "document_number": "52123456",
             "email": "maria.perez@example.com", "address": "Calle 1 # 2-3, Bogotá"}


def line(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": "reclamo", "subject": "Pedido no ha llegado",
        "description": "El pedido PED-77 no ha llegado a Medellín; la guía no muestra movimiento.",
        "received_at": "2025-03-03T09:15:00-05:00", "channel": "phone", "typification": "PEDIDO_NO_RECIBIDO",
        "priority": "alta", "filed_by": "ana", "requester": REQUESTER,
    }
    values.update(fields)
    return {k: v for k, v in values.items() if v is not None}


CLOSED = line(filing_number="PQRS-2025-000040", assignee="bruno", queue="back_office", state="closed",
              assigned_at="2025-03-03T10:00:00-05:00",
              notes=[{"at": "2025-03-04T11:00:00-05:00", "by": "bruno",
                      "text": "Se consulta la transportadora."}],
              response={"at": "2025-03-05T15:00:00-05:00", "by": "bruno",
                        "text": "La transportadora confirmó la entrega."},
              closed_at="2025-03-05T15:10:00-05:00")
LINES = [
    CLOSED,
    line(kind="queja", subject="Mala atención en el punto de venta", typification=None, priority=None,
         state="waiting_requester", assignee="bruno",
         information_request={"at": "2025-03-04T09:00:00-05:00", "message": "Envíe la factura."}),
    line(kind="peticion", subject="Copia de la factura de mayo", typification=None, priority="media",
         received_at="2026-01-14T08:30:00-05:00", state="assigned", assignee="bruno"),
    line(kind="felicitacion", subject="Felicitación por la atención", typification=None, priority=None,
         channel="chat", received_at="2026-02-02T16:00:00-05:00", first_contact_resolution=True,
         response={"text": "Gracias por su mensaje."}),
    line(subject="Cobro doble del flete", typification="MAYOR_FLETE_COBRADO",
         received_at="2026-05-20T10:00:00", filed_by=None, channel="web_form"),
    line(filing_number="PQRS-2026-000007", state="in_progress", received_at="2026-04-01T14:00:00-05:00"),
]


def write(path: Path, lines: list[Any]) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n"
                            for x in lines), encoding="utf-8")
    return path


def run(app: Pqrs, store: StoreUnderTest, path: Path, **options: Any) -> ImportReport:
    assert store.engine is not None
    return import_jsonl(app, store.engine, path, **options)


def app_for(store: StoreUnderTest) -> Pqrs:
    return store.app(clock=FrozenClock(NOW), plugins=[Terms()])


@pytest.mark.parametrize("workers", [1, 2])
def test_imported_cases_read_back_as_their_replayed_history(sql_store: StoreUnderTest,
                                                            tmp_path: Path, workers: int) -> None:
    app = app_for(sql_store)

    report = run(app, sql_store, write(tmp_path / "cases.jsonl", LINES), batch_size=4, workers=workers)

    assert (report.imported, report.refused, report.batches, report.problems) == (6, 0, 2, [])
    page = app.cases(CaseQuery(limit=100, sort="oldest"))
    assert len(page.cases) == 6
    workflow = app.catalog().workflow("generic")
    for case in page.cases:
        history = app.history(str(case.filing_number))
        assert history[0].name == "CaseFiled" and history[1].name == "TermStarted"
        assert attrs.evolve(Case.replay(history, workflow), version=case.version) == case
        assert case.version == 1 and case.resolution_due is not None and case.alarms
    assert [(str(c.filing_number), c.state) for c in page.cases] == [
        ("PQRS-2025-000040", "closed"), ("PQRS-2025-000041", "waiting_requester"),
        ("PQRS-2026-000007", "in_progress"), ("PQRS-2026-000008", "assigned"), ("PQRS-2026-000009", "closed"),
        ("PQRS-2026-000010", "filed")]
    closed = app.case("PQRS-2025-000040")
    assert (closed.state, closed.assignee, closed.queue, closed.solution) == (
        "closed", "bruno", "back_office", "La transportadora confirmó la entrega.")
    assert [e.name for e in app.history("PQRS-2025-000040")] == [
        "CaseFiled", "TermStarted", "CaseAssigned", "CaseTransitioned", "CaseTransitioned", "NoteAdded",
        "CaseTransitioned", "TermEnded", "CaseResponded", "CaseTransitioned", "CaseClosed"]
    waiting = next(c for c in page.cases if c.state == "waiting_requester")
    assert waiting.pauses and waiting.next_alarm_at is None  # the term stopped while the requester owes


def test_an_imported_case_is_the_case_the_use_cases_would_have_made(sql_store: StoreUnderTest,
                                                                    tmp_path: Path) -> None:
    clock = FrozenClock(datetime(2025, 3, 3, 9, 15, tzinfo=BOGOTA))
    app = sql_store.app(clock=clock, plugins=[Terms()])
    filed: Case = app.handle(c.FileCase(
        kind="reclamo", subject=CLOSED["subject"], description=CLOSED["description"], channel="phone",
        typification="PEDIDO_NO_RECIBIDO", priority="alta", requester=Requester(**REQUESTER),
        received_at=clock.now()), AGENT)
    n = str(filed.filing_number)
    clock.set(datetime(2025, 3, 3, 10, 0, tzinfo=BOGOTA))
    app.handle(c.AssignCase(filing_number=n, assignee="bruno", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    clock.set(datetime(2025, 3, 4, 11, 0, tzinfo=BOGOTA))
    app.handle(c.AddNote(filing_number=n, text="Se consulta la transportadora."), BACK_OFFICE)
    clock.set(datetime(2025, 3, 5, 15, 0, tzinfo=BOGOTA))
    app.handle(c.RespondCase(filing_number=n, text="La transportadora confirmó la entrega."), BACK_OFFICE)
    clock.set(datetime(2025, 3, 5, 15, 10, tzinfo=BOGOTA))
    app.handle(c.CloseCase(filing_number=n), BACK_OFFICE)
    worked = app.case(n)

    clock.set(NOW)
    report = run(app, sql_store, write(tmp_path / "one.jsonl", [CLOSED]))
    imported = app.case("PQRS-2025-000040")

    assert report.imported == 1
    assert attrs.evolve(imported, id=worked.id, filing_number=worked.filing_number,
                        version=worked.version) == worked
    assert [(e.name, e.occurred_at) for e in app.history("PQRS-2025-000040")] == [
        (e.name, e.occurred_at) for e in app.history(n)]


def test_imported_cases_are_listed_searched_and_counted(sql_store: StoreUnderTest, tmp_path: Path) -> None:
    app = app_for(sql_store)
    run(app, sql_store, write(tmp_path / "cases.jsonl", LINES))

    open_page = app.cases(CaseQuery(state_categories=(StateCategory.TODO, StateCategory.DOING,
                                                      StateCategory.WAITING), sort="deadline", limit=25))
    assert len(open_page.cases) == 4
    # Running cases by deadline; the case waiting for its requester ranks by the time it had left.
    dues = [c.resolution_due for c in open_page.cases if c.state_category is not StateCategory.WAITING]
    assert len(dues) == 3 and dues == sorted(dues)  # type: ignore[type-var]
    assert [str(c.filing_number) for c in app.cases(CaseQuery(text="transportadora")).cases] == []
    found = app.cases(CaseQuery(text="flete cobro")).cases
    assert [str(c.filing_number) for c in found] == ["PQRS-2026-000010"]
    assert {str(c.filing_number) for c in app.cases(CaseQuery(text="perez medellin")).cases} == {
        "PQRS-2025-000040", "PQRS-2025-000041", "PQRS-2026-000007", "PQRS-2026-000008", "PQRS-2026-000009",
        "PQRS-2026-000010"}
    summary = app.summary(CaseQuery(filed_from=datetime(2026, 1, 1, tzinfo=BOGOTA),
                                    filed_to=datetime(2027, 1, 1, tzinfo=BOGOTA)))
    assert summary.total == 4 and summary.first_contact_resolutions == 1
    assert summary.by_kind == {"peticion": 1, "felicitacion": 1, "reclamo": 2}
    assigned = app.cases(CaseQuery(assignee="bruno", sort="oldest"))
    assert [str(c.filing_number) for c in assigned.cases] == [
        "PQRS-2025-000040", "PQRS-2025-000041", "PQRS-2026-000008"]


@pytest.mark.parametrize("workers", [1, 2])
def test_filing_numbers_continue_after_the_imported_ones(sql_store: StoreUnderTest, tmp_path: Path,
                                                         workers: int) -> None:
    app = app_for(sql_store)
    report = run(app, sql_store, write(tmp_path / "cases.jsonl", LINES), workers=workers)

    numbers = sorted(str(c.filing_number) for c in app.cases(CaseQuery(limit=100)).cases)
    # Given numbers are kept; the others follow them in file order, per year of filing.
    assert numbers == ["PQRS-2025-000040", "PQRS-2025-000041", "PQRS-2026-000007", "PQRS-2026-000008",
                       "PQRS-2026-000009", "PQRS-2026-000010"]
    assert report.imported == 6
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        sequences = {(r.prefix, r.year): r.last_value for r in conn.execute(filing_sequences.select())}
    assert sequences == {("PQRS", 2025): 41, ("PQRS", 2026): 10}
    filed: Case = app.handle(c.FileCase(kind="queja", subject="Nueva", description="Después de importar"),
                             AGENT)
    assert str(filed.filing_number) == "PQRS-2026-000011"


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_lines_are_reported_by_line_and_field_and_skipped_or_stop_the_run(
        sql_store: StoreUnderTest, tmp_path: Path, workers: int) -> None:
    app = app_for(sql_store)
    lines = [LINES[0], line(kind="cohete", state="closed"), "{no es json", LINES[2],
             line(received_at="2025-13-01T00:00:00"), line(state="responded"),
             line(notes=[{"at": "2020-01-01T00:00:00", "text": "antes de radicar"}]), LINES[4],
             line(filing_number="PQRS-2025-000040"), line(received_at="2027-01-01T00:00:00"), LINES[5]]
    path = write(tmp_path / "mixed.jsonl", lines)

    stopped = run(app, sql_store, path, batch_size=1, workers=workers)
    assert (stopped.imported, stopped.stopped_at, stopped.written_through) == (1, 2, 1)
    assert [(p.line, p.field) for p in stopped.problems] == [(2, "kind")]

    skipped = run(app, sql_store, path, stop_on_error=False, batch_size=3, workers=workers)
    found = sorted((p.line, p.field) for p in skipped.problems)
    assert found == [(1, "filing_number"), (2, "kind"), (3, "(línea)"), (5, "received_at"),
                     (6, "state"), (7, "notes.0.at"), (9, "filing_number"), (10, "received_at")]
    assert (skipped.imported, skipped.refused, skipped.stopped_at) == (3, 8, None)
    assert str(skipped.problems[0]) == "línea 2, campo «kind»: «cohete» no es un valor válido"
    assert app.count() == 4


@pytest.mark.parametrize("workers", [1, 2])
def test_a_dry_run_checks_every_line_and_writes_nothing(sql_store: StoreUnderTest, tmp_path: Path,
                                                       workers: int) -> None:
    app = app_for(sql_store)
    report = run(app, sql_store, write(tmp_path / "cases.jsonl", [*LINES, line(kind="cohete")]),
                 dry_run=True, stop_on_error=False, workers=workers)
    assert (report.imported, report.refused, app.count()) == (6, 1, 0)


@pytest.mark.parametrize("state", ["filed", "assigned", "in_progress", "waiting_requester", "returned",
                                   "responded", "closed"])
def test_every_state_of_the_generic_workflow_can_be_imported(sql_store: StoreUnderTest, tmp_path: Path,
                                                             state: str) -> None:
    app = app_for(sql_store)
    report = run(app, sql_store, write(tmp_path / "one.jsonl", [line(
        state=state, assignee="bruno", returned={"reason": "La tipificación no corresponde."},
        response={"text": "Respuesta de fondo."})]))
    assert report.problems == [] and app.cases().cases[0].state == state


@pytest.mark.parametrize("workers", [1, 2])
def test_the_benchmark_generator_writes_cases_that_import_without_a_problem(
        sql_store: StoreUnderTest, tmp_path: Path, workers: int) -> None:
    import subprocess
    import sys

    path = tmp_path / "generated.jsonl"
    generator = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), "--cases", "400", "--seed", "3", "--end",
                    "2026-05-29T18:00:00-05:00", "--output", str(path)], check=True, capture_output=True)
    app = app_for(sql_store)

    report = run(app, sql_store, path, batch_size=150, workers=workers)

    assert report.problems == [] and report.imported == 400
    summary = app.summary()
    assert summary.total == 400 and summary.by_state["closed"] > 200 and len(summary.by_state) >= 5
    assert len(summary.by_typification) >= 15 and len(summary.by_channel) >= 6
    network = app.cases(CaseQuery(limit=100, text="red"))
    assert network.cases and all(c.requester.user and c.filed_by == c.requester.user for c in network.cases)
