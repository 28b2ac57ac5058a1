"""The counts the triggers keep for the productivity report (``event_count_schema``) stay exactly those
of the events while cases are filed at the edges of days, typified, answered, closed, voided, restored,
deleted and imported in bulk; and the report read from them equals the report grouped from the events,
on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from count_cells import Cells, stored_cells
from sqlalchemy import Connection, select, text
from test_store_report_counts import import_generated

from pqrs_adapters.sqlalchemy import productivity
from pqrs_adapters.sqlalchemy.case_queries import where_clause
from pqrs_adapters.sqlalchemy.event_count_schema import COUNTED, FILL, TIMED
from pqrs_adapters.sqlalchemy.productivity import Targets, productivity_report
from pqrs_adapters.sqlalchemy.quality_queries import quality_queries
from pqrs_adapters.sqlalchemy.report_count_schema import OFFSET_MINUTES
from pqrs_adapters.sqlalchemy.tables import case_event_day_counts, case_event_time_counts, case_events
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.access import AssignedTo, Everything
from pqrs_core.domain.values import Actor
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.services.quality_figures import ProductivityReport
from pqrs_core.services.quality_reports import productivity_report as productivity_use_case
from pqrs_core.services.reports import ReportFilter
from pqrs_core.testing import void_case
from sql_statements import recorded_statements

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")
AGENT = Actor("ana", frozenset({"agent"}))
SUPERVISOR = Actor("sofia", frozenset({"supervisor"}))
ADMIN = Actor("root", frozenset({"admin"}))
SHIFT = timedelta(minutes=OFFSET_MINUTES)
TARGETS = Targets(filing_seconds=120, response_seconds=270, solutions_per_day=1)
# Filing instants at the edges of local days.
INSTANTS = [datetime(2026, 3, 1, 23, 59, tzinfo=BOGOTA), datetime(2026, 3, 2, 0, 0, tzinfo=BOGOTA),
            datetime(2026, 3, 2, 4, 59, tzinfo=UTC), datetime(2026, 3, 3, 12, 0, tzinfo=BOGOTA),
            datetime(2026, 3, 4, 23, 30, tzinfo=BOGOTA), datetime(2026, 3, 5, 8, 0, tzinfo=BOGOTA)]
# Periods of whole days in Bogotá (read from the counts), and with parts of days at their edges.
PERIODS = [(datetime(2026, 3, 1, tzinfo=BOGOTA), datetime(2026, 3, 9, tzinfo=BOGOTA)),
           (datetime(2026, 3, 2, tzinfo=BOGOTA), datetime(2026, 3, 3, tzinfo=BOGOTA)),
           (datetime(2026, 3, 1, 23, 0, tzinfo=BOGOTA), datetime(2026, 3, 5, 9, 0, tzinfo=BOGOTA)),
           (datetime(2026, 3, 2, 3, 0, tzinfo=BOGOTA), datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))]


def _expected(conn: Connection) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """The counts' cells of every event stored, computed here."""
    days: Counter[tuple[Any, ...]] = Counter()
    times: Counter[tuple[Any, ...]] = Counter()
    e = case_events.c
    for kind, actor, occurred_at, data in conn.execute(select(e.type, e.actor, e.occurred_at, e.data)):
        if kind not in COUNTED:
            continue
        day = f"{occurred_at.astimezone(UTC) + SHIFT:%Y-%m-%d}"
        days[(day, kind, actor)] += 1
        seconds = data.get("handling_seconds")
        if kind in TIMED and isinstance(seconds, int) and not isinstance(seconds, bool):
            times[(day, kind, actor, seconds)] += 1
    return days, times


def _stored(conn: Connection) -> tuple[Cells, ...]:
    return stored_cells(conn, case_event_day_counts, case_event_time_counts)


def _grouped(conn: Connection, query: CaseQuery, start: datetime, end: datetime,
             zone: str) -> ProductivityReport:
    """The report grouped from the events, whoever asks."""
    selected = where_clause(conn, query)
    grouped = productivity._grouped(conn, productivity._WITH_CASES, selected, start, end, ZoneInfo(zone))
    return productivity._report(grouped, TARGETS)


def _check(store: StoreUnderTest) -> None:
    """The stored counts are the events', and the report read from them equals the grouped one."""
    assert store.engine is not None
    with store.engine.connect() as conn:
        assert _stored(conn) == _expected(conn)
        for start, end in PERIODS:
            for query in (CaseQuery(), CaseQuery(visible=Everything(), limit=0)):
                kept = productivity_report(conn, query, start, end, "America/Bogota", TARGETS)
                assert kept == _grouped(conn, query, start, end, "America/Bogota"), (start, end)


def _filed(store: StoreUnderTest) -> tuple[Pqrs, FrozenClock, list[str]]:
    """The application over ``store`` after a case filed at each of ``INSTANTS`` (timed), its clock
    and the cases' numbers."""
    clock = FrozenClock(INSTANTS[0])
    app = store.app(clock=clock)
    numbers = []
    for i, instant in enumerate(INSTANTS):
        clock.set(instant)
        filed = app.handle(c.FileCase(kind=("peticion", "queja", "reclamo")[i % 3], subject=f"Caso {i}",
                                      description="Sin respuesta", handling_seconds=90 + 10 * (i % 4)), AGENT)
        numbers.append(str(filed.filing_number))
    return app, clock, numbers


def _answer(app: Pqrs, number: str, seconds: int | None, *, close: bool = False) -> None:
    """Ana answers the case ``number`` (closing it when ``close``) in ``seconds``."""
    app.handle(c.AssignCase(filing_number=number, assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=number, transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=number, text="Resuelto.", close=close, handling_seconds=seconds),
               AGENT)


def test_the_counts_follow_every_event(sql_store: StoreUnderTest) -> None:
    app, clock, numbers = _filed(sql_store)
    _check(sql_store)

    clock.set(datetime(2026, 3, 5, 9, 0, tzinfo=BOGOTA))
    app.handle(c.TypifyCase(filing_number=numbers[0], typification="ERROR_EN_LIQUIDACION_DE_LA_FACTURA"),
               SUPERVISOR)
    for n, seconds in ((numbers[1], 200), (numbers[3], 300), (numbers[4], None)):
        _answer(app, n, seconds, close=n == numbers[3])
    _check(sql_store)

    # Voided cases are in no report; a voiding undone brings its case back, a case deleted for good
    # takes its events away.
    void_case(app, numbers[1], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    void_case(app, numbers[2], "Prueba", requested_by=ADMIN, approved_by=SUPERVISOR)
    _check(sql_store)
    assert sql_store.engine is not None
    with sql_store.engine.begin() as conn:
        ids = {n: conn.execute(text("SELECT id FROM cases WHERE filing_number = :n"), {"n": n}).scalar_one()
               for n in numbers}
        conn.execute(text("UPDATE cases SET deleted_at = NULL WHERE id = :id"), {"id": ids[numbers[2]]})
        conn.execute(text("DELETE FROM cases WHERE id = :id"), {"id": ids[numbers[3]]})
    _check(sql_store)
    with sql_store.engine.connect() as conn:
        report = productivity_report(conn, CaseQuery(), *PERIODS[0], "America/Bogota", TARGETS)
    # Filed: six less the voided and the deleted; answered: three less the voided and the deleted.
    assert (report.total.filed, report.total.answered, report.total.closed) == (4, 1, 0)


def test_a_supervisor_reads_the_counts_through_the_use_case(sql_store: StoreUnderTest,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    app, clock, numbers = _filed(sql_store)
    clock.set(datetime(2026, 3, 5, 9, 0, tzinfo=BOGOTA))
    _answer(app, numbers[1], 200)
    void_case(app, numbers[4], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    kept_reads = []
    kept = productivity._kept
    monkeypatch.setattr(productivity, "_kept", lambda *args: kept_reads.append(args) or kept(*args))

    spec = ReportFilter(start=date(2026, 3, 1), end=date(2026, 3, 8))
    report = productivity_use_case(app, quality_queries, spec, SUPERVISOR, TARGETS)

    assert len(kept_reads) == 1
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        assert report == _grouped(conn, CaseQuery(), *PERIODS[0], "America/Bogota")  # 1 to 8 March
    assert (report.total.filed, report.total.answered) == (5, 1)


def test_the_fill_of_migration_0043_gives_the_counts_the_triggers_keep(sql_store: StoreUnderTest) -> None:
    app, clock, numbers = _filed(sql_store)
    clock.set(datetime(2026, 3, 5, 9, 0, tzinfo=BOGOTA))
    _answer(app, numbers[3], 250)
    void_case(app, numbers[2], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    assert sql_store.engine is not None
    with sql_store.engine.begin() as conn:
        kept = _stored(conn)
        for table in (case_event_day_counts, case_event_time_counts):
            conn.execute(table.delete())
        for statement in FILL[conn.dialect.name]:
            conn.exec_driver_sql(statement)
        assert _stored(conn) == kept == _expected(conn)


@pytest.mark.parametrize("zone", ["America/Bogota", "America/New_York"])
def test_other_readers_filters_and_zones_get_the_grouping(sql_store: StoreUnderTest, zone: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _filed(sql_store)
    start, end = PERIODS[0]

    def unused(*_args: Any) -> None:
        raise AssertionError("read from the counts")

    monkeypatch.setattr(productivity, "_kept", unused)
    queries = [CaseQuery(kinds=("queja",)), CaseQuery(visible=AssignedTo("ana")),
               CaseQuery(include_voided=True)]
    if zone != "America/Bogota":  # days that are not the counts'
        queries.append(CaseQuery())
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        for query in queries:
            assert productivity_report(conn, query, start, end, zone, TARGETS) == _grouped(
                conn, query, start, end, zone), query


def test_the_bulk_import_keeps_the_counts(sql_store: StoreUnderTest, tmp_path: Path) -> None:
    import_generated(sql_store, tmp_path)
    assert sql_store.engine is not None
    start, end = datetime(2026, 1, 1, tzinfo=BOGOTA), datetime(2026, 4, 1, tzinfo=BOGOTA)
    with sql_store.engine.connect() as conn:
        assert _stored(conn) == _expected(conn)
        kept = productivity_report(conn, CaseQuery(), start, end, "America/Bogota", TARGETS)
        assert kept == _grouped(conn, CaseQuery(), start, end, "America/Bogota")
        assert kept.total.filed > 0 and kept.total.answered > 0
    assert date(2026, 1, 1) <= min(d.day for d in kept.days)


def test_seconds_written_with_a_decimal_point_are_read_alike_from_the_counts_and_the_events(
        sql_store: StoreUnderTest) -> None:
    """Handling seconds written as ``125.0`` (JSON allows it; the forms write ``125``). PostgreSQL's JSON
    holds a number: the counts and the report grouped from the events both read 125 seconds (the
    grouping once cast the text to an integer and failed). SQLite's JSON tells a real from an integer:
    both read no time."""
    app, _clock, numbers = _filed(sql_store)
    assert sql_store.engine is not None
    with sql_store.engine.begin() as conn:
        case_id = conn.execute(text("SELECT id FROM cases WHERE filing_number = :n"),
                               {"n": numbers[0]}).scalar_one()
        e = case_events.c
        row = dict(conn.execute(select(case_events).where(e.case_id == case_id, e.type == "CaseFiled"))
                   .mappings().one())
        conn.execute(case_events.delete().where(e.id == row["id"]))
        conn.execute(case_events.insert().values({**row, "data": {**row["data"], "handling_seconds": 125.0}}))
    start, end = PERIODS[0]
    with sql_store.engine.connect() as conn:
        kept = productivity_report(conn, CaseQuery(), start, end, "America/Bogota", TARGETS)
        assert kept == _grouped(conn, CaseQuery(), start, end, "America/Bogota")
    assert (125 in kept.total.filing_times) == (sql_store.name != "sqlite"), kept.total.filing_times
    assert len(kept.total.filing_times) == len(INSTANTS) - (sql_store.name == "sqlite")


@pytest.mark.parametrize("sql_store", ["sqlite"], indirect=True)
def test_sqlite_finds_the_voided_cases_from_their_index_when_there_are_none(
        sql_store: StoreUnderTest) -> None:
    """A store with no voided case has no statistics for ``ix_cases_voided`` (``ANALYZE`` leaves an
    empty index out). With the statistics of 100,000 cases for the others, SQLite scanned a covering
    index of every case to find none; the report names the index."""
    _filed(sql_store)
    assert sql_store.engine is not None
    with sql_store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
        # The statistics a store of 100,000 cases has for the indexes that hold ``deleted_at``.
        conn.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE tbl = 'cases'")
        for index, stat in (("ix_cases_regulatory", "100000" + " 1" * 11),
                            ("ix_cases_resolved", "100000" + " 2" * 6),
                            ("ix_cases_category_updated", "100000 25000 1")):
            conn.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES ('cases', ?, ?)", (index, stat))
        conn.exec_driver_sql("ANALYZE sqlite_schema")  # the planner reads the statistics again
    with sql_store.engine.connect() as conn:
        unknown = "SELECT count(*) FROM sqlite_stat1 WHERE idx = 'ix_cases_voided'"
        assert conn.exec_driver_sql(unknown).scalar() == 0
        with recorded_statements(conn) as seen:
            productivity_report(conn, CaseQuery(), *PERIODS[0], "America/Bogota", TARGETS)
        plans = [" ".join(row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters))
                 for sql, parameters in seen if "deleted_at IS NOT NULL" in sql]
    assert len(plans) == 2  # the voided cases' events by day, and their handling times
    for plan in plans:
        assert "USING INDEX ix_cases_voided" in plan and "ix_cases_regulatory" not in plan, plan
