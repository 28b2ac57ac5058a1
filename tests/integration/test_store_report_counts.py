"""The counts the triggers keep for volume and who resolved (``report_count_schema``) stay exactly those
of the cases while cases are filed at the edges of days and months, retypified, moved between queues,
answered, reopened, changed by any writer, voided and deleted; and the reports read from them equal
those counted from the rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from count_cells import Cells, stored_cells
from sqlalchemy import text

from pqrs_adapters.importing.bulk import import_jsonl
from pqrs_adapters.sqlalchemy.migrate import alembic_config
from pqrs_adapters.sqlalchemy.report_count_queries import kept_counts
from pqrs_adapters.sqlalchemy.report_count_schema import FILL, OFFSET_MINUTES
from pqrs_adapters.sqlalchemy.report_queries import report_queries
from pqrs_adapters.sqlalchemy.tables import (
    case_event_day_counts,
    case_event_time_counts,
    case_report_day_counts,
    case_report_month_counts,
)
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Actor
from pqrs_core.ports import CaseQuery
from pqrs_core.services import report_figures as f
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.services.reports import (
    FILED_DAY,
    Period,
    ReportFilter,
    ReportRow,
    count_rows,
    report_counts,
    report_rows,
)
from pqrs_core.testing import void_case

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")
AGENT = Actor("ana", frozenset({"agent"}))
BACK_OFFICE = Actor("beto", frozenset({"back_office"}))
SUPERVISOR = Actor("sofia", frozenset({"supervisor"}))
ADMIN = Actor("root", frozenset({"admin"}))
CONSULTANT = Actor("diana", frozenset({"consultant"}), network=frozenset({"eva"}))
SHIFT = timedelta(minutes=OFFSET_MINUTES)
# Filing instants at the edges of local days and months (Bogotá is the counts' UTC−5).
INSTANTS = [datetime(2026, 1, 31, 23, 59, tzinfo=BOGOTA), datetime(2026, 2, 1, 0, 0, tzinfo=BOGOTA),
            datetime(2026, 2, 1, 4, 59, tzinfo=UTC), datetime(2026, 2, 14, 12, 0, tzinfo=BOGOTA),
            datetime(2026, 2, 28, 23, 30, tzinfo=BOGOTA), datetime(2026, 3, 1, 0, 10, tzinfo=BOGOTA),
            datetime(2026, 3, 15, 8, 0, tzinfo=BOGOTA), datetime(2026, 3, 31, 23, 59, tzinfo=BOGOTA),
            datetime(2026, 4, 1, 0, 0, tzinfo=BOGOTA), datetime(2026, 4, 2, 10, 0, tzinfo=BOGOTA)]
SPECS = [
    ReportFilter(start=date(2026, 2, 1), end=date(2026, 3, 31), period=Period.WEEK),
    ReportFilter(start=date(2026, 2, 1), end=date(2026, 2, 28), period=Period.DAY, kinds=("queja",)),
    ReportFilter(start=date(2026, 1, 15), end=date(2026, 4, 1), period=Period.MONTH,
                 channels=("email",), queues=("primer_nivel", "back_office")),
    ReportFilter(start=date(2026, 2, 1), end=date(2026, 3, 31), typification="PEDIDO_NO_RECIBIDO"),
    ReportFilter(start=date(2026, 3, 1), end=date(2026, 3, 1), period=Period.DAY),
]


def _file(app: Pqrs, i: int) -> str:
    fields: dict[str, Any] = {"channel": ("email", "phone", None)[i % 3],
                              "queue": ("primer_nivel", "back_office", None)[i % 3]}
    if i % 2:
        fields["typification"] = "PEDIDO_NO_RECIBIDO"
    if i == 4:
        fields.update(resolved_at_first_contact=True, solution="Se explicó", channel="phone")
    filed = app.handle(c.FileCase(kind=("peticion", "queja", "reclamo")[i % 3], subject=f"Caso {i}",
                                  description="Sin respuesta", **fields), AGENT)
    return str(filed.filing_number)


def _expected(rows: list[ReportRow]) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """The counts' cells of ``rows``, computed here."""
    days: Counter[tuple[Any, ...]] = Counter()
    months: Counter[tuple[Any, ...]] = Counter()
    for row in rows:
        local = row.filed_at.astimezone(UTC) + SHIFT
        days[(f"{local:%Y-%m-%d}", row.kind, row.channel or "", row.queue or "")] += 1
        path = "|" + "|".join(row.typification_codes) + "|" if row.typification_codes else ""
        months[(f"{local:%Y-%m}", row.kind, row.channel or "", path, row.queue or "", row.requester_kind,
                row.first_contact, row.responded_at is not None or row.responder is not None,
                row.responder_queue or "")] += 1
    return days, months


def _stored(store: StoreUnderTest) -> tuple[Cells, ...]:
    assert store.engine is not None
    with store.engine.connect() as conn:  # SQLite's booleans are integers
        return stored_cells(conn, case_report_day_counts, case_report_month_counts,
                            key=lambda key: tuple(bool(v) if isinstance(v, int) else v for v in key))


def _check(store: StoreUnderTest, app: Pqrs) -> None:
    """The stored counts are the cases', and every report read from them equals the rows'."""
    with app.read_uow_factory() as uow:
        rows = list(report_queries(uow).rows(CaseQuery(limit=0)))
    assert _stored(store) == _expected(rows)
    for spec in SPECS:
        from_rows = report_rows(app, report_queries, spec, SUPERVISOR, with_previous=True)
        volume = report_counts(app, report_queries, spec, SUPERVISOR, f.VOLUME_GROUPINGS, f.VOLUME_PREVIOUS)
        assert f.volume_counted(volume, spec) == f.volume(from_rows, spec), spec
        levels = report_counts(app, report_queries, spec, SUPERVISOR, f.LEVEL_GROUPINGS)
        assert f.resolution_levels_counted(levels, spec) == f.resolution_levels(from_rows, spec), spec
        for fields in ((FILED_DAY,), (FILED_DAY, "kind", "channel", "queue"), f.VOLUME_FIELDS,
                       f.LEVEL_FIELDS):
            with app.read_uow_factory() as uow:
                queries = report_queries(uow)
                query = spec.case_query("America/Bogota")
                assert queries.counts(query, fields, "America/Bogota") == count_rows(
                    queries.rows(query), fields, "America/Bogota"), (spec, fields)


def test_the_counts_follow_every_change_of_the_cases(sql_store: StoreUnderTest) -> None:
    clock = FrozenClock(INSTANTS[0])
    app = sql_store.app(clock=clock)
    numbers = []
    for i, instant in enumerate(INSTANTS):
        clock.set(instant)
        numbers.append(_file(app, i))
    _check(sql_store, app)

    clock.set(datetime(2026, 4, 6, 9, 0, tzinfo=BOGOTA))
    app.handle(c.TypifyCase(filing_number=numbers[0], typification="ERROR_EN_LIQUIDACION_DE_LA_FACTURA"),
               SUPERVISOR)
    app.handle(c.AssignCase(filing_number=numbers[1], assignee="beto", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[1], transition="start"), BACK_OFFICE)
    app.handle(c.RespondCase(filing_number=numbers[1], text="Resuelto."), BACK_OFFICE)
    app.handle(c.AssignCase(filing_number=numbers[3], assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[3], transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=numbers[3], text="Resuelto.", close=True), AGENT)
    app.handle(c.AssignCase(filing_number=numbers[5], assignee="beto", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[5], transition="start"), BACK_OFFICE)
    app.handle(c.RespondCase(filing_number=numbers[5], text="Resuelto."), BACK_OFFICE)
    app.handle(c.AssignCase(filing_number=numbers[6], assignee="ana", queue="primer_nivel"), SUPERVISOR)
    _check(sql_store, app)

    # The case answered from the back office is reopened and moves to the front line; voided cases
    # leave every count.
    app.handle(c.ReopenCase(filing_number=numbers[5], reason="Insiste"), SUPERVISOR)
    app.handle(c.AssignCase(filing_number=numbers[5], assignee="ana", queue="primer_nivel"), SUPERVISOR)
    void_case(app, numbers[2], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    void_case(app, numbers[7], "Prueba", requested_by=ADMIN, approved_by=SUPERVISOR)
    _check(sql_store, app)

    # Any other writer: a kind, a filing instant and a response changed in SQL, a case deleted with
    # its facts, the facts of another removed, then a voided case restored.
    assert sql_store.engine is not None
    with sql_store.engine.begin() as conn:
        ids = {n: conn.execute(text("SELECT id FROM cases WHERE filing_number = :n"), {"n": n}).scalar_one()
               for n in numbers}
        conn.execute(text("UPDATE cases SET kind = 'queja' WHERE id = :id"), {"id": ids[numbers[8]]})
        conn.execute(text("UPDATE cases SET filed_at = :at WHERE id = :id"),
                     {"at": "2026-03-01 05:00:00.000000" if sql_store.name == "sqlite"
                      else datetime(2026, 3, 1, 5, 0, tzinfo=UTC), "id": ids[numbers[4]]})
        conn.execute(text("UPDATE case_report_facts SET responder_queue = 'especialistas' "
                          "WHERE case_id = :id"), {"id": ids[numbers[1]]})
        conn.execute(text("DELETE FROM cases WHERE id = :id"), {"id": ids[numbers[3]]})
        conn.execute(text("DELETE FROM case_report_facts WHERE case_id = :id"), {"id": ids[numbers[5]]})
        conn.execute(text("UPDATE cases SET deleted_at = NULL WHERE id = :id"), {"id": ids[numbers[7]]})
    _check(sql_store, app)


def test_the_fill_of_migration_0040_gives_the_counts_the_triggers_keep(sql_store: StoreUnderTest) -> None:
    clock = FrozenClock(INSTANTS[0])
    app = sql_store.app(clock=clock)
    numbers = []
    for i, instant in enumerate(INSTANTS):
        clock.set(instant)
        numbers.append(_file(app, i))
    clock.set(datetime(2026, 4, 6, 9, 0, tzinfo=BOGOTA))
    app.handle(c.AssignCase(filing_number=numbers[3], assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[3], transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=numbers[3], text="Resuelto."), AGENT)
    void_case(app, numbers[2], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    kept = _stored(sql_store)
    assert sql_store.engine is not None
    with sql_store.engine.begin() as conn:
        for table in (case_report_day_counts, case_report_month_counts):
            conn.execute(table.delete())
        for statement in FILL[conn.dialect.name]:
            conn.exec_driver_sql(statement)
    assert _stored(sql_store) == kept


@pytest.mark.parametrize(("zone", "by_day"), [("America/Bogota", True), ("America/Lima", True),
                                               ("Asia/Kolkata", False), ("America/New_York", False)])
def test_the_counts_answer_only_what_they_hold(sql_store: StoreUnderTest, zone: str, by_day: bool) -> None:
    """Days only in a zone at UTC−5 all the range long, months in any zone; never with another filter
    or for a reader who does not see every case."""
    app = sql_store.app(clock=FrozenClock(INSTANTS[0]))
    spec = ReportFilter(start=date(2026, 1, 1), end=date(2026, 3, 31))
    query = spec.case_query(zone)
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        local = ZoneInfo(zone)
        assert (kept_counts(conn, query, (FILED_DAY, "kind"), local) is not None) is by_day
        assert kept_counts(conn, query, f.LEVEL_FIELDS, local) is not None
        assert kept_counts(conn, query, (FILED_DAY, "requester_kind"), local) is None
        for other in (CaseQuery(filed_from=query.filed_from, filed_to=query.filed_to, assignee="ana"),
                      CaseQuery(filed_from=query.filed_from, filed_to=query.filed_to, include_voided=True),
                      CaseQuery(filed_to=query.filed_to)):
            assert kept_counts(conn, other, f.VOLUME_FIELDS, local) is None
        with app.read_uow_factory() as uow:
            restricted = app.restrict(uow, query, CONSULTANT)
        assert kept_counts(conn, restricted, f.VOLUME_FIELDS, local) is None


def import_generated(store: StoreUnderTest, tmp_path: Path) -> Pqrs:
    """The application over ``store`` after the bulk import of 300 generated cases filed up to 29 May
    2026."""
    path = tmp_path / "generated.jsonl"
    generator = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), "--cases", "300", "--seed", "5", "--end",
                    "2026-05-29T18:00:00-05:00", "--output", str(path)], check=True, capture_output=True)
    app = store.app(clock=FrozenClock(datetime(2026, 6, 1, 9, 0, tzinfo=BOGOTA)))
    assert store.engine is not None

    report = import_jsonl(app, store.engine, path, batch_size=100, workers=1)

    assert report.problems == [] and report.imported == 300
    return app


def test_the_bulk_import_keeps_the_counts(sql_store: StoreUnderTest, tmp_path: Path) -> None:
    app = import_generated(sql_store, tmp_path)
    with app.read_uow_factory() as uow:
        rows = list(report_queries(uow).rows(CaseQuery(limit=0)))
    assert _stored(sql_store) == _expected(rows)
    spec = ReportFilter(start=date(2026, 1, 1), end=date(2026, 3, 31), period=Period.WEEK)
    from_rows = report_rows(app, report_queries, spec, SUPERVISOR, with_previous=True)
    volume = report_counts(app, report_queries, spec, SUPERVISOR, f.VOLUME_GROUPINGS, f.VOLUME_PREVIOUS)
    assert f.volume_counted(volume, spec) == f.volume(from_rows, spec)
    levels = report_counts(app, report_queries, spec, SUPERVISOR, f.LEVEL_GROUPINGS)
    assert f.resolution_levels_counted(levels, spec) == f.resolution_levels(from_rows, spec)


@pytest.mark.parametrize("sql_store", ["sqlite"], indirect=True)
def test_migration_0050_keeps_the_cells_and_the_triggers_that_write_them(sql_store: StoreUnderTest,
                                                                       tmp_path: Path) -> None:
    """SQLite: the volume's and the productivity's counts rebuilt in their key's order (and back with a
    downgrade) keep every cell, and the triggers made again from their stored text go on counting."""
    app = import_generated(sql_store, tmp_path)
    assert sql_store.engine is not None and sql_store.url is not None
    tables = (case_report_day_counts, case_report_month_counts, case_event_day_counts, case_event_time_counts)

    def stored() -> tuple[tuple[Cells, ...], set[str], set[str]]:
        assert sql_store.engine is not None
        with sql_store.engine.connect() as conn:
            master = conn.execute(text("SELECT type, name, sql FROM sqlite_master")).all()
            return (stored_cells(conn, *tables), {n for t, n, _ in master if t == "trigger"},
                    {n for t, n, sql in master if t == "table" and sql.rstrip().endswith("WITHOUT ROWID")})

    cells, triggers, clustered = stored()
    assert {t.name for t in tables} <= clustered and all(cells[:3])  # the import times no handling
    command.downgrade(alembic_config(sql_store.url), "0049")
    assert stored() == (cells, triggers, clustered - {t.name for t in tables})
    command.upgrade(alembic_config(sql_store.url), "head")
    assert stored() == (cells, triggers, clustered)

    app.handle(c.FileCase(kind="peticion", subject="Después de la migración", description="Cuenta"), AGENT)
    after, _, _ = stored()
    assert sum(after[0].values()) == sum(cells[0].values()) + 1  # the day's cases
    assert sum(after[2].values()) == sum(cells[2].values()) + 1  # the filing, counted as an event
