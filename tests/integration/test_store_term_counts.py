"""The counts by the term's status the triggers keep for the regulatory and the timeliness reports
(``term_count_schema``) stay exactly those of the cases while cases are filed at the edges of days and
months, assigned, answered on time and late, transferred, extended, refused access, closed, reopened,
changed by any writer, voided and deleted; and the counts read from them (the cases whose term runs
grouped at the reader's instant) and the reports equal those grouped from the rows, on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from alembic import command
from count_cells import Cells, stored_cells
from sqlalchemy import func, select, text
from test_store_report_counts import import_generated

from pqrs_adapters.sqlalchemy import term_count_schema
from pqrs_adapters.sqlalchemy.migrate import alembic_config
from pqrs_adapters.sqlalchemy.report_count_queries import kept_answer_times, kept_term_counts
from pqrs_adapters.sqlalchemy.report_count_schema import OFFSET_MINUTES
from pqrs_adapters.sqlalchemy.report_queries import report_queries
from pqrs_adapters.sqlalchemy.tables import (
    case_answer_time_counts,
    case_term_day_counts,
    case_term_month_counts,
)
from pqrs_adapters.sqlalchemy.term_count_schema import DUE, FILL, NO_DAYS, NO_HOURS
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.values import Actor
from pqrs_core.ports import CaseQuery
from pqrs_core.services import report_figures as f
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.services.reports import (
    FILED_DAY,
    OPEN_CATEGORIES,
    OPEN_GROUPINGS,
    REGULATORY_GROUPINGS,
    TERM_STATUS,
    TIMELINESS_GROUPINGS,
    Period,
    ReportFilter,
    ReportRow,
    report_regulatory,
    report_rows,
    report_timeliness,
    term_status,
)
from pqrs_core.testing import void_case
from sql_statements import recorded_statements

if TYPE_CHECKING:
    from conftest import StoreUnderTest


BOGOTA = ZoneInfo("America/Bogota")
AGENT = Actor("ana", frozenset({"agent"}))
SUPERVISOR = Actor("sofia", frozenset({"supervisor"}))
ADMIN = Actor("root", frozenset({"admin"}))
CONSULTANT = Actor("diana", frozenset({"consultant"}), network=frozenset({"eva"}))
SHIFT = timedelta(minutes=OFFSET_MINUTES)
# Filing instants at the edges of local days (Bogotá is the counts' UTC−5) and of the quarter.
INSTANTS = [datetime(2026, 3, 31, 23, 59, tzinfo=BOGOTA), datetime(2026, 4, 1, 0, 0, tzinfo=BOGOTA),
            datetime(2026, 4, 1, 4, 59, tzinfo=UTC), datetime(2026, 4, 14, 12, 0, tzinfo=BOGOTA),
            datetime(2026, 4, 30, 23, 30, tzinfo=BOGOTA), datetime(2026, 5, 4, 8, 0, tzinfo=BOGOTA),
            datetime(2026, 5, 15, 8, 0, tzinfo=BOGOTA), datetime(2026, 6, 1, 9, 0, tzinfo=BOGOTA),
            datetime(2026, 6, 30, 23, 59, tzinfo=BOGOTA), datetime(2026, 7, 1, 0, 0, tzinfo=BOGOTA)]
SPECS = [
    ReportFilter(start=date(2026, 4, 1), end=date(2026, 6, 30), period=Period.QUARTER),
    ReportFilter(start=date(2026, 4, 1), end=date(2026, 6, 30), period=Period.QUARTER, kinds=("queja",)),
    ReportFilter(start=date(2026, 3, 15), end=date(2026, 7, 1), period=Period.MONTH,
                 channels=("email",), queues=("primer_nivel", "back_office")),
    ReportFilter(start=date(2026, 4, 1), end=date(2026, 6, 30), typification="PEDIDO_NO_RECIBIDO"),
    ReportFilter(start=date(2026, 5, 4), end=date(2026, 5, 4), period=Period.DAY),
]
FIELDS = REGULATORY_GROUPINGS[0]
MONTH_FIELDS = TIMELINESS_GROUPINGS[0]
LATER = datetime(2026, 9, 1, 9, 0, tzinfo=BOGOTA)  # every term of the cases filed here is over
NOW = INSTANTS[0]


def _transfer(number: str) -> c.TransferCase:
    return c.TransferCase(filing_number=number, entity="Superintendencia", reason="No es competencia")


def _file(app: Pqrs, i: int) -> str:
    fields: dict[str, Any] = {"channel": ("email", "phone", None)[i % 3],
                              "queue": ("primer_nivel", "back_office", None)[i % 3]}
    if i % 2:
        fields["typification"] = "PEDIDO_NO_RECIBIDO"
    filed = app.handle(c.FileCase(kind=("peticion", "queja", "reclamo")[i % 3], subject=f"Caso {i}",
                                  description="Sin respuesta", **fields), AGENT)
    return str(filed.filing_number)


def _running(row: ReportRow) -> bool:
    return row.due_at is not None and row.notified_at is None and row.term_ended_at is None \
        and row.responded_at is None


def _status_before_0053(row: ReportRow) -> str:
    """The status the counts kept before migration 0053: '' for every term that runs."""
    return "" if _running(row) else term_status(row, datetime.max.replace(tzinfo=UTC))


def _kept_status(row: ReportRow) -> str:
    """The status the counts keep: ``term_status`` where no instant changes it; for an open term that
    runs, ``DUE`` and its deadline's UTC−5 day; '' for one closed without an instant of closing."""
    if not _running(row) or (row.done and row.closed_at is not None) or (not row.done and row.paused):
        return term_status(row, datetime.max.replace(tzinfo=UTC))
    if row.done:
        return ""
    assert row.due_at is not None
    return f"{DUE}{row.due_at.astimezone(UTC) + SHIFT:%Y-%m-%d}"


TABLES = (case_term_day_counts, case_term_month_counts, case_answer_time_counts)


def _expected(rows: list[ReportRow], status: Callable[[ReportRow], str] = _kept_status) -> tuple[Cells, ...]:
    """The cells of ``rows``, computed here: the days', the months' and the answer times'."""
    days: Counter[tuple[Any, ...]] = Counter()
    months: Counter[tuple[Any, ...]] = Counter()
    hours: Counter[tuple[Any, ...]] = Counter()
    for row in rows:
        local = row.filed_at.astimezone(UTC) + SHIFT
        answered = row.times.days_to_answer if row.times is not None else None
        days[(f"{local:%Y-%m-%d}", row.kind, row.channel or "", row.queue or "",
              row.responded_at is not None, status(row), row.done, row.transfers > 0,
              row.access_denied, NO_DAYS if answered is None else answered)] += 1
        path = "|" + "|".join(row.typification_codes) + "|" if row.typification_codes else ""
        months[(f"{local:%Y-%m}", row.kind, row.channel or "", path, row.queue or "",
                row.responder or row.assignee or "", status(row), row.extensions > 0,
                row.transfers > 0, row.incomplete, row.withdrawn)] += 1
        if row.first_responded_at is not None:
            first, resolution = (row.times.first_response_hours, row.times.resolution_hours) if row.times \
                else (None, None)
            hours[(f"{local:%Y-%m}", row.kind, row.channel or "", path, row.queue or "",
                   NO_HOURS if first is None else first, NO_HOURS if resolution is None else resolution)] += 1
    return days, months, hours


def _stored(store: StoreUnderTest) -> tuple[Cells, ...]:
    assert store.engine is not None
    with store.engine.connect() as conn:
        return stored_cells(conn, *TABLES)


def _check(store: StoreUnderTest, app: Pqrs, *instants: datetime) -> None:
    """The stored counts are the cases', and at each instant the counts read from them and the
    regulatory reports equal the rows'."""
    with app.read_uow_factory() as uow:
        rows = list(report_queries(uow).rows(CaseQuery(limit=0)))
    assert _stored(store) == _expected(rows)
    calendar = app.catalog().calendar or BusinessCalendar()
    clock = app.deps.clock
    assert isinstance(clock, FrozenClock)
    writing = clock.now()
    for now in instants:
        clock.set(now)
        for spec in SPECS:
            for fields in (FIELDS, MONTH_FIELDS):
                with app.read_uow_factory() as uow:
                    queries = report_queries(uow)
                    query = spec.case_query("America/Bogota")
                    kept = queries.counts(query, fields, "America/Bogota", now, calendar)
                    grouped = queries._grouped(query, fields, "America/Bogota", now, calendar)
                    assert kept == grouped, (spec, fields, now)
            data = report_rows(app, report_queries, spec, SUPERVISOR)
            counted = f.regulatory_counted(report_regulatory(app, report_queries, spec, SUPERVISOR), spec)
            assert counted == f.regulatory(data, spec), (spec, now)
            timeliness = f.timeliness_counted(report_timeliness(app, report_queries, spec, SUPERVISOR), spec)
            assert timeliness == f.timeliness(data, spec), (spec, now)
    clock.set(writing)


def _build(app: Pqrs, clock: FrozenClock) -> list[str]:
    numbers = []
    for i, instant in enumerate(INSTANTS):
        clock.set(instant)
        numbers.append(_file(app, i))
    return numbers


def test_the_counts_follow_every_change_of_the_cases(sql_store: StoreUnderTest) -> None:
    clock = FrozenClock(INSTANTS[0])
    app = sql_store.app(clock=clock)
    numbers = _build(app, clock)
    # Before any answer, at an instant when the first terms still run and at one when all are over.
    _check(sql_store, app, datetime(2026, 4, 2, 9, 0, tzinfo=BOGOTA), LATER)

    # Answered on time (one refusing access to the information), answered late, transferred, extended,
    # closed without an answer; from the back office and the front line.
    clock.set(datetime(2026, 4, 6, 9, 0, tzinfo=BOGOTA))
    app.handle(c.AssignCase(filing_number=numbers[1], assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[1], transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=numbers[1], text="No es posible entregarla.", access_denied=True),
               AGENT)
    app.handle(_transfer(numbers[2]), SUPERVISOR)
    app.handle(c.ExtendTerm(filing_number=numbers[3], reason="Requiere análisis"), SUPERVISOR)
    clock.set(datetime(2026, 5, 20, 9, 0, tzinfo=BOGOTA))
    app.handle(c.AssignCase(filing_number=numbers[0], assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[0], transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=numbers[0], text="Resuelto.", close=True), AGENT)
    app.handle(c.AssignCase(filing_number=numbers[5], assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[5], transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=numbers[5], text="Resuelto."), AGENT)
    _check(sql_store, app, datetime(2026, 5, 20, 10, 0, tzinfo=BOGOTA), LATER)

    # A case reopened, cases voided.
    app.handle(c.ReopenCase(filing_number=numbers[5], reason="Insiste"), SUPERVISOR)
    void_case(app, numbers[4], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    void_case(app, numbers[7], "Prueba", requested_by=ADMIN, approved_by=SUPERVISOR)
    _check(sql_store, app, datetime(2026, 6, 1, 10, 0, tzinfo=BOGOTA))

    # Any other writer: a notification, a term, an assignee and a filing instant changed in SQL, the
    # facts changed (who answered, transfers, days), a case deleted with its facts, the facts of another
    # removed, then a voided case restored.
    assert sql_store.engine is not None
    sqlite = sql_store.name == "sqlite"

    def at(moment: datetime) -> object:
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else moment

    with sql_store.engine.begin() as conn:
        ids = {n: conn.execute(text("SELECT id FROM cases WHERE filing_number = :n"), {"n": n}).scalar_one()
               for n in numbers}
        conn.execute(text("UPDATE cases SET notified_at = :at WHERE id = :id"),
                     {"at": at(datetime(2026, 6, 2, 9, 0, tzinfo=BOGOTA)), "id": ids[numbers[6]]})
        conn.execute(text("UPDATE cases SET due_at = :at WHERE id = :id"),
                     {"at": at(datetime(2026, 4, 3, 9, 0, tzinfo=BOGOTA)), "id": ids[numbers[1]]})
        conn.execute(text("UPDATE cases SET filed_at = :at WHERE id = :id"),
                     {"at": at(datetime(2026, 5, 4, 0, 0, tzinfo=BOGOTA)), "id": ids[numbers[8]]})
        conn.execute(text("UPDATE case_report_facts SET transfers = 2, days_to_answer = 40 "
                          "WHERE case_id = :id"), {"id": ids[numbers[0]]})
        conn.execute(text("UPDATE case_report_facts SET responder = 'beto' WHERE case_id = :id"),
                     {"id": ids[numbers[1]]})
        conn.execute(text("UPDATE cases SET assignee = 'beto' WHERE id = :id"), {"id": ids[numbers[6]]})
        conn.execute(text("DELETE FROM cases WHERE id = :id"), {"id": ids[numbers[3]]})
        conn.execute(text("DELETE FROM case_report_facts WHERE case_id = :id"), {"id": ids[numbers[2]]})
        conn.execute(text("UPDATE cases SET deleted_at = NULL WHERE id = :id"), {"id": ids[numbers[7]]})
    _check(sql_store, app, datetime(2026, 6, 3, 10, 0, tzinfo=BOGOTA), LATER)

    # Answer times changed; then a case's hours missing (as if answered before they were stored, which
    # migration 0039 filled): the answer times are then all read case by case, from the instants.
    with sql_store.engine.begin() as conn:
        conn.execute(text("UPDATE case_report_facts SET first_response_hours = 1.5, resolution_hours = 2.5 "
                          "WHERE case_id = :id"), {"id": ids[numbers[5]]})
    _check(sql_store, app, datetime(2026, 6, 3, 10, 0, tzinfo=BOGOTA))
    with sql_store.engine.begin() as conn:
        query = SPECS[0].case_query("America/Bogota")
        assert kept_answer_times(conn, query) is not None
        conn.execute(text("UPDATE case_report_facts SET first_response_hours = NULL WHERE case_id = :id"),
                     {"id": ids[numbers[1]]})
        assert kept_answer_times(conn, query) is None


def test_the_running_terms_are_kept_by_their_deadline_day(sql_store: StoreUnderTest) -> None:
    """An open term that runs is kept by its deadline's day: the reader tells overdue from running by
    its own day, and groups from the cases only those due on it (before and after the deadline's
    instant), a case closed without an instant of closing, as the counts follow cases paused, resumed,
    closed and reopened."""
    clock = FrozenClock(INSTANTS[0])
    app = sql_store.app(clock=clock)
    numbers = _build(app, clock)
    clock.set(datetime(2026, 4, 6, 9, 0, tzinfo=BOGOTA))
    for n in numbers[1:4]:
        app.handle(c.AssignCase(filing_number=n, assignee="ana"), SUPERVISOR)
        app.handle(c.TransitionCase(filing_number=n, transition="start"), AGENT)
    app.handle(c.RequestInformation(filing_number=numbers[1], message="Envíe la factura"), AGENT)
    app.handle(c.RespondCase(filing_number=numbers[2], text="Resuelto.", close=True), AGENT)
    with app.read_uow_factory() as uow:
        rows = {row.filing_number: row for row in report_queries(uow).rows(CaseQuery(limit=0))}
    due = rows[numbers[5]].due_at
    assert due is not None and rows[numbers[1]].paused
    assert {row.due_at for row in rows.values()} - {None, due}  # other deadlines, before and after it
    day = [due - timedelta(hours=8), due - timedelta(minutes=1), due + timedelta(microseconds=1)]
    assert len({f"{at.astimezone(UTC) + SHIFT:%Y-%m-%d}" for at in day[:2]}) == 1
    _check(sql_store, app, *day)

    clock.set(datetime(2026, 4, 8, 9, 0, tzinfo=BOGOTA))
    app.handle(c.RecordRequesterReply(filing_number=numbers[1], message="Adjunto la factura"), AGENT)
    app.handle(c.ReopenCase(filing_number=numbers[2], reason="Insiste"), SUPERVISOR)
    _check(sql_store, app, *day)

    # Closed without an answer by another writer: on time, late, and without an instant of closing; then
    # one open again.
    assert sql_store.engine is not None
    closed = {numbers[3]: datetime(2026, 4, 8, 9, 0, tzinfo=BOGOTA), numbers[4]: LATER, numbers[6]: None}
    with sql_store.engine.begin() as conn:
        for n, at in closed.items():
            instant = None if at is None else \
                at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sql_store.name == "sqlite" else at
            conn.execute(text("UPDATE cases SET state_category = 'done', closed_at = :at "
                              "WHERE filing_number = :n"), {"at": instant, "n": n})
    _check(sql_store, app, *day, LATER)
    with sql_store.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET state_category = 'doing', closed_at = NULL "
                          "WHERE filing_number = :n"), {"n": numbers[3]})
    _check(sql_store, app, *day)


def test_migration_0053_counts_the_running_terms_again_and_its_downgrade_as_before(
        sql_store: StoreUnderTest) -> None:
    """The upgrade counts the running terms again by what their status is known from, the downgrade as
    before it ('' for each), and the triggers each makes go on counting that way."""
    clock = FrozenClock(INSTANTS[0])
    app = sql_store.app(clock=clock)
    numbers = _build(app, clock)
    clock.set(datetime(2026, 4, 6, 9, 0, tzinfo=BOGOTA))
    app.handle(c.AssignCase(filing_number=numbers[1], assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[1], transition="start"), AGENT)
    app.handle(c.RequestInformation(filing_number=numbers[1], message="Envíe la factura"), AGENT)
    assert sql_store.url is not None

    def rows() -> list[ReportRow]:
        with app.read_uow_factory() as uow:
            return list(report_queries(uow).rows(CaseQuery(limit=0)))

    command.downgrade(alembic_config(sql_store.url), "0052")
    assert _stored(sql_store) == _expected(rows(), _status_before_0053)
    app.handle(c.RecordRequesterReply(filing_number=numbers[1], message="Adjunto la factura"), AGENT)
    _file(app, 0)
    assert _stored(sql_store) == _expected(rows(), _status_before_0053)
    assert any(key[5] == "" for key in _stored(sql_store)[0])

    command.upgrade(alembic_config(sql_store.url), "head")
    assert _stored(sql_store) == _expected(rows())
    assert all(key[5] != "" for key in _stored(sql_store)[0])
    app.handle(c.RequestInformation(filing_number=numbers[1], message="Falta la firma"), AGENT)
    _file(app, 1)
    _check(sql_store, app, datetime(2026, 4, 7, 9, 0, tzinfo=BOGOTA), LATER)


def test_the_fill_of_migration_0045_gives_the_counts_the_triggers_keep(sql_store: StoreUnderTest) -> None:
    clock = FrozenClock(INSTANTS[0])
    app = sql_store.app(clock=clock)
    numbers = _build(app, clock)
    clock.set(datetime(2026, 5, 20, 9, 0, tzinfo=BOGOTA))
    app.handle(c.AssignCase(filing_number=numbers[3], assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[3], transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=numbers[3], text="Resuelto.", access_denied=True), AGENT)
    app.handle(_transfer(numbers[2]), SUPERVISOR)
    void_case(app, numbers[4], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    kept = _stored(sql_store)
    assert sql_store.engine is not None
    with sql_store.engine.begin() as conn:
        for table in TABLES:
            conn.execute(table.delete())
        for statement in FILL[conn.dialect.name]:
            conn.exec_driver_sql(statement)
    assert _stored(sql_store) == kept


def test_the_counts_answer_only_what_they_hold(sql_store: StoreUnderTest) -> None:
    """Counted by the term's status among the fields they hold: by day in a zone at UTC−5 all the range
    long and without a typification, by month in any zone; never with another filter or for a reader
    who does not see every case."""
    app = sql_store.app(clock=FrozenClock(NOW))
    spec = ReportFilter(start=date(2026, 4, 1), end=date(2026, 6, 30))
    query = spec.case_query("America/Bogota")
    kolkata = ZoneInfo("Asia/Kolkata")
    subtree = attrs.evolve(query, typification="PEDIDO_NO_RECIBIDO")
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        for fields in (FIELDS, MONTH_FIELDS, (TERM_STATUS, "typification_codes")):
            assert kept_term_counts(conn, query, fields, BOGOTA, NOW) is not None
        assert kept_term_counts(conn, query, (FILED_DAY, "kind"), BOGOTA, NOW) is None  # no status: the days'
        assert kept_term_counts(conn, query, (TERM_STATUS, "requester_kind"), BOGOTA, NOW) is None
        assert kept_term_counts(conn, spec.case_query("Asia/Kolkata"), FIELDS, kolkata, NOW) is None
        assert kept_term_counts(conn, spec.case_query("Asia/Kolkata"), MONTH_FIELDS, kolkata, NOW) is not None
        assert kept_term_counts(conn, subtree, FIELDS, BOGOTA, NOW) is None
        assert kept_term_counts(conn, subtree, MONTH_FIELDS, BOGOTA, NOW) is not None
        for other in (attrs.evolve(query, assignee="ana"), attrs.evolve(query, include_voided=True),
                      attrs.evolve(query, filed_from=None)):
            for fields in (FIELDS, MONTH_FIELDS):
                assert kept_term_counts(conn, other, fields, BOGOTA, NOW) is None
        with app.read_uow_factory() as uow:
            restricted = app.restrict(uow, query, CONSULTANT)
        assert kept_term_counts(conn, restricted, MONTH_FIELDS, BOGOTA, NOW) is None


def test_the_bulk_import_keeps_the_counts(sql_store: StoreUnderTest, tmp_path: Path) -> None:
    app = import_generated(sql_store, tmp_path)
    with app.read_uow_factory() as uow:
        rows = list(report_queries(uow).rows(CaseQuery(limit=0)))
    assert _stored(sql_store) == _expected(rows)
    spec = ReportFilter(start=date(2026, 1, 1), end=date(2026, 3, 31), period=Period.QUARTER)
    data = report_rows(app, report_queries, spec, SUPERVISOR)
    assert f.regulatory_counted(report_regulatory(app, report_queries, spec, SUPERVISOR), spec) == \
        f.regulatory(data, spec)
    assert f.timeliness_counted(report_timeliness(app, report_queries, spec, SUPERVISOR), spec) == \
        f.timeliness(data, spec)


def test_the_answer_times_read_joined_are_the_stored_hours_exactly(sql_store: StoreUnderTest,
                                                                 tmp_path: Path) -> None:
    """The kept answer times travel as whole microseconds joined in one text per measure and group of
    cells, a cell of alike cases written once per case (``report_count_queries.kept_answer_times``):
    each hour read back is the float the case's facts hold, not a neighbour of it, as many times as
    cases hold it."""
    app = import_generated(sql_store, tmp_path)
    query = ReportFilter(start=date(2025, 4, 1), end=date(2026, 3, 31), period=Period.MONTH) \
        .case_query("America/Bogota")
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        kept = kept_answer_times(conn, query)
        cells = case_answer_time_counts.c
        alike = conn.execute(select(func.count()).where(
            cells.month.between("2025-04", "2026-03"), cells.cases > 1)).scalar_one()
    assert kept is not None and kept[1] == []
    assert alike > 0  # cells of several cases among those read, whose hours come once per case
    read: Counter[tuple[Any, ...]] = Counter()
    for group in kept[0]:
        read.update(("first", group.typification_codes, group.queue, h) for h in group.first_response_hours)
        read.update(("resolution", group.typification_codes, group.queue, h) for h in group.resolution_hours)
    stored: Counter[tuple[Any, ...]] = Counter()
    with app.read_uow_factory() as uow:
        for row in report_queries(uow).rows(query):
            if row.first_responded_at is not None and row.times is not None:
                for name, hours in (("first", row.times.first_response_hours),
                                    ("resolution", row.times.resolution_hours)):
                    if hours is not None:
                        stored[name, row.typification_codes, row.queue, hours] += 1
    assert sum(stored.values()) > 100
    assert read == stored


@pytest.mark.parametrize("sql_store", ["sqlite"], indirect=True)
def test_sqlite_reads_the_running_terms_through_their_partial_index(sql_store: StoreUnderTest) -> None:
    """The reader states the running terms as the index does, so that SQLite proves the index covers
    them and reads only those cases' entries (not every case of the range), and from the index alone
    (migration 0052): no case's row."""
    sqlite_engine = sql_store.engine
    assert sqlite_engine is not None
    now = datetime(2026, 5, 4, 9, 0, tzinfo=BOGOTA)
    app = sql_store.app(clock=FrozenClock(now))
    query = SPECS[0].case_query("America/Bogota")
    with recorded_statements(sqlite_engine) as statements, app.read_uow_factory() as uow:
        report_queries(uow).counts(query, FIELDS, "America/Bogota", now, BusinessCalendar())
    running = [(s, p) for s, p in statements if term_count_schema.running_term("cases") in s]
    assert len(running) == 1
    with sqlite_engine.connect() as conn:
        plan = " ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + running[0][0],
                                                                running[0][1]))
    assert "USING COVERING INDEX ix_cases_running_term" in plan, plan


def test_the_open_cases_are_counted_by_age_and_time_left_from_their_index_alone(
        sql_store: StoreUnderTest) -> None:
    """The timeliness report's open cases of its range (``OPEN_GROUPINGS``) are read from
    ``ix_cases_open_filed`` alone (migration 0054), which holds only the open cases, not from an index
    of every case of the range."""
    engine = sql_store.engine
    assert engine is not None
    app = sql_store.app(clock=FrozenClock(NOW))
    query = attrs.evolve(SPECS[0].case_query("America/Bogota"), state_categories=OPEN_CATEGORIES)
    with recorded_statements(engine) as statements, app.read_uow_factory() as uow:
        for fields in OPEN_GROUPINGS:
            report_queries(uow).counts(query, fields, "America/Bogota")
    (statement, parameters), = [(s, p) for s, p in statements if "GROUP BY" in s]
    with engine.connect() as conn:
        if sql_store.name == "sqlite":
            plan = " ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                    parameters))
            assert "USING COVERING INDEX ix_cases_open_filed" in plan, plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")  # a table of a few cases is otherwise read whole
            conn.exec_driver_sql("SET enable_bitmapscan = off")
            plan = " ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters))
            assert "Index Only Scan using ix_cases_open_filed" in plan, plan


def test_a_range_of_cells_is_read_from_their_key(sql_store: StoreUnderTest) -> None:
    """The cells by the term's status and the answer times of a range of days or months are read in
    their key's order, from the key alone. SQLite stores them in that order (``WITHOUT ROWID``,
    migration 0048): no look-up of each cell's row by a row id (143 ms for the 87,363 answer-time cells
    of a quarter at 1,000,000 cases). PostgreSQL's keys hold the number of cases (``INCLUDE``, migration
    0049): an index-only scan, where it read the whole table (4,665 pages for the 10,522 answer-time
    cells of a quarter at 100,000 cases)."""
    engine = sql_store.engine
    assert engine is not None
    now = datetime(2026, 7, 4, 9, 0, tzinfo=BOGOTA)
    app = sql_store.app(clock=FrozenClock(now))
    query = SPECS[0].case_query("America/Bogota")
    with recorded_statements(engine) as statements, app.read_uow_factory() as uow:
        reader = report_queries(uow)
        for fields in (FIELDS, MONTH_FIELDS):
            reader.counts(query, fields, "America/Bogota", now, BusinessCalendar())
        list(reader.answer_times(query, BusinessCalendar()))
    plans = []
    with engine.connect() as conn:
        if sql_store.name != "sqlite":  # a table of a few cells is otherwise read whole
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_bitmapscan = off")
        for table in TABLES:
            read = [(s, p) for s, p in statements if f"FROM {table.name}" in s]
            assert read, table.name
            for statement, parameters in read:
                explain = "EXPLAIN QUERY PLAN " if sql_store.name == "sqlite" else "EXPLAIN "
                rows = conn.exec_driver_sql(explain + statement, parameters)
                plans.append((table.name, " ".join(str(row[-1]) for row in rows)))
    for table, plan in plans:
        unit = "day" if table == "case_term_day_counts" else "month"
        if sql_store.name == "sqlite":
            assert f"{table} USING PRIMARY KEY ({unit}>? AND {unit}<?)" in plan, plan
        else:
            assert f"Index Only Scan using pk_{table} on {table}" in plan, plan
