"""Every figure of the reports against values counted by hand, on a small set of cases filed,
answered, escalated, transferred and extended at known instants (February 2026, no holidays in
Colombia; working hours 08:00-17:00 in Bogotá), on every store: the in-memory one (its rows from each
case's history) and the SQL read model (``case_report_facts``) on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from sqlalchemy import select

from pqrs_adapters.sqlalchemy import tables
from pqrs_adapters.sqlalchemy.report_queries import report_queries
from pqrs_adapters.sqlalchemy.tables import case_report_facts
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import PermissionDenied
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.memory import memory_report_queries
from pqrs_core.services import report_figures as f
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.services.reports import (
    ANSWERED,
    FILED_DAY,
    CountsInput,
    Period,
    ReportFilter,
    ReportInput,
    count_rows,
    report_counts,
    report_regulatory,
    report_rows,
    report_timeliness,
)

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")
AGENT = Actor("ana", frozenset({"agent"}))
BACK_OFFICE = Actor("beto", frozenset({"back_office"}))
SUPERVISOR = Actor("sofia", frozenset({"supervisor"}))
CONSULTANT = Actor("diana", frozenset({"consultant"}), network=frozenset({"eva"}))
EVA = Actor("eva", frozenset({"consultant"}))
FEBRUARY = ReportFilter(start=date(2026, 2, 1), end=date(2026, 2, 28), period=Period.WEEK)


def bogota(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BOGOTA)


def _file(app: Pqrs, clock: FrozenClock, at: datetime, kind: str, actor: Actor = AGENT,
          **fields: Any) -> str:
    clock.set(at)
    return str(app.handle(c.FileCase(kind=kind, subject="Caso", description="Detalle", **fields),
                          actor).filing_number)


def _answer(app: Pqrs, clock: FrozenClock, at: datetime, number: str, actor: Actor, **fields: Any) -> None:
    clock.set(at)
    app.handle(c.RespondCase(filing_number=number, text="Respuesta", **fields), actor)


@pytest.fixture
def built(store: StoreUnderTest) -> tuple[Pqrs, dict[str, str]]:
    clock = FrozenClock(bogota(1, 15))
    app = store.app(clock=clock)
    SOURCES[id(app)] = memory_report_queries if store.name == "memory" else report_queries
    n: dict[str, str] = {}
    # The previous period (January): one petition.
    n["jan"] = _file(app, clock, bogota(1, 15), "peticion", channel="email", queue="primer_nivel")
    # Monday 2: A answered by the front line 4 business hours later; C resolved at first contact;
    # G left open (overdue by March); J answered on March 2, after its 15 business days (Feb 23).
    n["a"] = _file(app, clock, bogota(2, 2), "peticion", channel="email", queue="primer_nivel",
                   typification="PEDIDO_NO_RECIBIDO")
    n["c"] = _file(app, clock, bogota(2, 2, 9, 30), "reclamo", channel="email",
                   resolved_at_first_contact=True, solution="Se explicó la factura", queue="primer_nivel")
    n["g"] = _file(app, clock, bogota(2, 2, 10), "queja", channel="phone", queue="primer_nivel")
    n["j"] = _file(app, clock, bogota(2, 2, 11), "peticion", channel="phone", queue="primer_nivel")
    clock.set(bogota(2, 2, 12))
    app.handle(c.AssignCase(filing_number=n["a"], assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=n["a"], transition="start"), AGENT)
    _answer(app, clock, bogota(2, 2, 13), n["a"], AGENT)
    # Tuesday 3: B, a complaint escalated to the back office and answered there (access denied)
    # the next day at 09:00: 8 + 1 = 9 business hours.
    n["b"] = _file(app, clock, bogota(2, 3), "queja", channel="phone", queue="primer_nivel",
                   typification="PEDIDO_NO_RECIBIDO")
    clock.set(bogota(2, 3, 10))
    app.handle(c.AssignCase(filing_number=n["b"], assignee="beto", queue="back_office"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=n["b"], transition="start"), BACK_OFFICE)
    _answer(app, clock, bogota(2, 4), n["b"], BACK_OFFICE, access_denied=True)
    # Thursday 5: D transferred to the competent entity the same day.
    n["d"] = _file(app, clock, bogota(2, 5, 10), "peticion", channel="email", queue="primer_nivel")
    app.handle(c.TransferCase(filing_number=n["d"], entity="SIC", reason="Competencia de la SIC"), AGENT)
    # Monday 9: E, the requester is asked to complete it. Tuesday 10: F, its term extended.
    n["e"] = _file(app, clock, bogota(2, 9), "peticion", channel="web_form", queue="primer_nivel")
    app.handle(c.AssignCase(filing_number=n["e"], assignee="beto"), SUPERVISOR)
    app.handle(c.RequestCompletion(filing_number=n["e"], message="Falta la factura"), BACK_OFFICE)
    n["f"] = _file(app, clock, bogota(2, 10), "peticion", channel="web_form", queue="primer_nivel")
    app.handle(c.AssignCase(filing_number=n["f"], assignee="beto"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=n["f"], transition="start"), BACK_OFFICE)
    app.handle(c.ExtendTerm(filing_number=n["f"], reason="Consulta a bodega", extra=5), BACK_OFFICE)
    # Friday 27 at 23:30 in Bogotá (already Saturday 28 in UTC): still February here. Filed by a
    # consultant's network (eva), the only case diana sees.
    n["i"] = _file(app, clock, bogota(2, 27, 23, 30), "sugerencia", actor=EVA, channel="web_form",
                   requester=Requester(full_name="Eva"))
    # March 2: J answered late by the front line.
    clock.set(bogota(3, 2, 8, 30))
    app.handle(c.AssignCase(filing_number=n["j"], assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=n["j"], transition="start"), AGENT)
    _answer(app, clock, bogota(3, 2, 9), n["j"], AGENT)
    clock.set(bogota(3, 3, 12))
    return app, n


# The read model of each application's store.
SOURCES: dict[int, Any] = {}


def _data(app: Pqrs, actor: Actor | None = SUPERVISOR, spec: ReportFilter = FEBRUARY) -> ReportInput:
    return report_rows(app, SOURCES[id(app)], spec, actor, with_previous=True)


def _grouped(app: Pqrs, groupings: Any, previous: Any = (), actor: Actor | None = SUPERVISOR,
             spec: ReportFilter = FEBRUARY) -> CountsInput:
    return report_counts(app, SOURCES[id(app)], spec, actor, groupings, previous)


def _volumes(app: Pqrs, spec: ReportFilter = FEBRUARY,
             actor: Actor | None = SUPERVISOR) -> list[f.VolumeReport]:
    """The volume report from the rows and from the counts the store grouped: the same figures."""
    from_rows = f.volume(_data(app, actor, spec), spec)
    grouped = f.volume_counted(_grouped(app, f.VOLUME_GROUPINGS, f.VOLUME_PREVIOUS, actor, spec), spec)
    assert grouped == from_rows
    return [from_rows, grouped]


def _levels(app: Pqrs, spec: ReportFilter = FEBRUARY) -> list[f.LevelsReport]:
    from_rows = f.resolution_levels(_data(app, spec=spec), spec)
    grouped = f.resolution_levels_counted(_grouped(app, f.LEVEL_GROUPINGS, spec=spec), spec)
    assert grouped == from_rows
    return [from_rows, grouped]


def _timeliness(app: Pqrs, spec: ReportFilter = FEBRUARY) -> f.TimelinessReport:
    """The timeliness report from the rows and from what the store grouped: the same figures."""
    from_rows = f.timeliness(_data(app, spec=spec), spec)
    grouped = f.timeliness_counted(report_timeliness(app, SOURCES[id(app)], spec, SUPERVISOR), spec)
    assert grouped == from_rows
    return grouped


def _regulatory(app: Pqrs, spec: ReportFilter) -> f.RegulatoryReport:
    """The regulatory report from the rows and from what the store grouped (every case, and pages of
    them): the same figures."""
    from_rows = f.regulatory(_data(app, spec=spec), spec)
    source = SOURCES[id(app)]
    grouped = f.regulatory_counted(report_regulatory(app, source, spec, SUPERVISOR), spec)
    assert grouped == from_rows
    for offset, limit in ((0, 3), (3, 3), (9, 5)):
        page = f.regulatory_counted(report_regulatory(app, source, spec, SUPERVISOR, offset=offset,
                                                      limit=limit), spec)
        assert (page.lines, page.totals) == (from_rows.lines, from_rows.totals)
        assert page.cases == from_rows.cases[offset:offset + limit] and page.offset == offset
    return grouped


def _counts(counts: list[f.Count]) -> dict[str, tuple[int, int]]:
    return {x.key: (x.count, x.previous) for x in counts}


def test_volume_counts_by_week_and_dimension_against_the_month_before(
        built: tuple[Pqrs, dict[str, str]]) -> None:
    app, _n = built
    for report in _volumes(app):
        _check_february_volume(report)


def _check_february_volume(report: f.VolumeReport) -> None:
    assert (report.total, report.previous_total) == (9, 1)
    # ISO weeks touching February 2026: 5 (from Mon Jan 26) to 9 (Feb 23 - Mar 1).
    assert [(p.key, p.count) for p in report.periods] == [
        ("2026-S05", 0), ("2026-S06", 6), ("2026-S07", 2), ("2026-S08", 0), ("2026-S09", 1)]
    assert _counts(report.by["kind"]) == {"peticion": (5, 1), "queja": (2, 0), "reclamo": (1, 0),
                                          "sugerencia": (1, 0)}
    assert _counts(report.by["channel"]) == {"email": (3, 1), "phone": (3, 0), "web_form": (3, 0)}
    assert _counts(report.by["queue"]) == {"primer_nivel": (8, 1), "back_office": (1, 0)}  # I: default queue
    typified = _counts(report.by["typification"])
    assert typified["Sin tipificar"] == (7, 1)
    assert sum(count for count, _ in typified.values()) == 9


def test_volume_drills_into_a_typification_subtree(built: tuple[Pqrs, dict[str, str]]) -> None:
    app, _n = built
    tree = app.catalog().typifications
    path = [node.code for node in tree.ancestors("PEDIDO_NO_RECIBIDO")]
    assert len(path) >= 2
    for report in _volumes(app, attrs.evolve(FEBRUARY, typification=path[0])):
        # Inside the root, A and B count under the root's child on their path.
        assert report.total == 2
        assert _counts(report.by["typification"]) == {path[1]: (2, 0)}
    assert all(report.by["typification"][1].key == path[0] for report in _volumes(app))


def test_timeliness_counts_on_time_overdue_and_business_hours(built: tuple[Pqrs, dict[str, str]]) -> None:
    app, _n = built
    report = _timeliness(app)
    # On time: A, B (answered in hours), C (first contact), D (transferred the day it came).
    # Overdue: J (answered on March 2, due February 23) and G (open, due February 23).
    # Running: E (waiting for the requester), F (extended), I (filed on the 27th).
    assert (report.overall.on_time, report.overall.overdue, report.overall.running) == (4, 2, 3)
    assert report.overall.share == pytest.approx(4 / 6)
    kinds = {x.key: (x.on_time, x.overdue, x.running) for x in report.by["kind"]}
    assert kinds == {"peticion": (2, 1, 2), "queja": (1, 1, 0), "reclamo": (1, 0, 0), "sugerencia": (0, 0, 1)}
    queues = {x.key: (x.on_time, x.overdue) for x in report.by["queue"]}
    assert queues["back_office"] == (1, 0)
    people = {x.key: (x.on_time, x.overdue) for x in report.by["assignee"]}
    assert people["ana"] == (2, 1) and people["beto"] == (1, 0)  # ana: A, C on time and J late
    assert (report.extensions, report.transfers, report.incomplete, report.withdrawals) == (1, 1, 1, 0)
    # Resolution times: C 0 h (at first contact), A 4 h, B 9 h, J from Feb 2 11:00 to Mar 2 09:00:
    # 6 h that day, 19 full days of 9 h (Feb 3 - Feb 27) and 1 h on March 2 = 178 h.
    total = report.resolution_hours["total"][0]
    assert (total.count, total.median, total.p90, total.mean) == (4, 6.5, 178.0, (4 + 9 + 178) / 4)
    by_queue = {s.key: s.count for s in report.resolution_hours["queue"]}
    assert by_queue == {"primer_nivel": 3, "back_office": 1}
    # Open cases (G, E, F, I) by age on March 3: G 21 business days, E 16, F 15, I 2.
    assert _counts(report.open_by_age) == {
        "0–5 días hábiles": (1, 0), "6–10 días hábiles": (0, 0), "11–15 días hábiles": (1, 0),
        "16–30 días hábiles": (2, 0), "Más de 30 días hábiles": (0, 0)}
    assert sum(x.count for x in report.open_by_time_left) == 4
    assert _counts(report.open_by_time_left)["Vencido"] == (1, 0)  # G
    assert _counts(report.open_by_time_left)["En pausa"] == (1, 0)  # E, waiting for the requester


def test_who_resolved_by_the_level_that_answered(built: tuple[Pqrs, dict[str, str]]) -> None:
    app, _n = built
    for report in _levels(app):
        assert _counts(report.by_level) == {"first_contact": (1, 0), "first_line": (2, 0),
                                            "back_office": (1, 0), "specialists": (0, 0)}
        assert (report.answered, report.pending) == (4, 5)


def test_regulatory_per_quarter_counts_transfers_denials_and_days_to_answer(
        built: tuple[Pqrs, dict[str, str]]) -> None:
    app, n = built
    spec = ReportFilter(start=date(2026, 1, 1), end=date(2026, 3, 31), period=Period.QUARTER)
    report = _regulatory(app, spec)
    assert report.totals.received == 10
    assert (report.totals.transferred, report.totals.access_denied) == (1, 1)
    # Answered: A, B, C (at first contact) on time, J late.
    assert (report.totals.answered, report.totals.answered_on_time, report.totals.answered_late) == (4, 3, 1)
    by_case = {x.filing_number: x for x in report.cases}
    assert by_case[n["a"]].days_to_answer == 0 and by_case[n["b"]].days_to_answer == 1
    assert by_case[n["j"]].days_to_answer == 20  # Feb 3 - Feb 27 and Mar 2
    assert by_case[n["b"]].access_denied and by_case[n["d"]].transferred
    assert {line.period for line in report.lines} == {"2026-T1"}
    peticion = next(line for line in report.lines if line.kind == "peticion")
    assert (peticion.received, peticion.answered, peticion.transferred) == (6, 2, 1)


def test_a_consultant_counts_her_network_only_and_an_agent_none(
        built: tuple[Pqrs, dict[str, str]]) -> None:
    app, n = built
    data = _data(app, CONSULTANT)
    assert [r.filing_number for r in data.rows] == [n["i"]]
    assert f.volume(data, FEBRUARY).total == 1
    assert [report.total for report in _volumes(app, actor=CONSULTANT)] == [1, 1]
    with pytest.raises(PermissionDenied):
        _data(app, AGENT)
    with pytest.raises(PermissionDenied):
        _grouped(app, f.VOLUME_GROUPINGS, actor=AGENT)


@pytest.mark.parametrize("spec", [
    attrs.evolve(FEBRUARY, period=Period.DAY),
    attrs.evolve(FEBRUARY, period=Period.MONTH, kinds=("peticion",)),
    attrs.evolve(FEBRUARY, channels=("email", "phone"), queues=("primer_nivel",)),
    ReportFilter(start=date(2026, 1, 1), end=date(2026, 3, 31), period=Period.QUARTER)])
def test_the_figures_the_store_groups_equal_those_counted_from_the_rows(
        built: tuple[Pqrs, dict[str, str]], spec: ReportFilter) -> None:
    app, _n = built
    _volumes(app, spec)
    _levels(app, spec)
    _timeliness(app, spec)
    _regulatory(app, attrs.evolve(spec, period=Period.QUARTER))


@pytest.mark.parametrize("zone", ["America/Bogota", "Asia/Kolkata", "Asia/Tokyo", "America/New_York",
                                  "America/St_Johns"])
def test_cases_count_by_the_local_day_of_filing_in_any_zone(store: StoreUnderTest, zone: str) -> None:
    """Filed near midnight in one zone or another, in a range with and without a change of offset
    (daylight saving time begins on March 8, 2026 in New York and St. John's, half an hour off)."""
    clock = FrozenClock(bogota(1, 15))
    app = store.app(clock=clock)
    source = memory_report_queries if store.name == "memory" else report_queries
    for at in (bogota(2, 28, 23, 30), bogota(3, 1, 0, 10), bogota(3, 7, 21, 20), bogota(3, 8, 22, 45),
               bogota(3, 9, 9), bogota(1, 31, 19, 10), bogota(3, 31, 23, 59)):
        _file(app, clock, at, "peticion", channel="email")
    spec = ReportFilter(start=date(2026, 2, 1), end=date(2026, 3, 31), period=Period.DAY)
    with app.read_uow_factory() as uow:
        queries = source(uow)
        query = spec.case_query("America/Bogota")
        for fields in ((FILED_DAY,), (FILED_DAY, "kind", ANSWERED)):
            expected = count_rows(queries.rows(query), fields, zone)
            assert queries.counts(query, fields, zone) == expected
            assert sum(expected.values()) == 6


def test_the_facts_add_up_over_saves(store: StoreUnderTest, built: tuple[Pqrs, dict[str, str]]) -> None:
    app, n = built
    if store.engine is None:
        pytest.skip("the in-memory store derives the facts from the history (the other tests)")
    with store.engine.connect() as conn:
        rows = {r.case_id: r for r in conn.execute(select(case_report_facts))}
    by_number = {app.case(k).id: k for k in n.values()}
    facts = {by_number[k]: (r.extensions, r.transfers, r.incomplete, r.responder, r.responder_queue,
                            r.access_denied) for k, r in rows.items()}
    assert facts[n["b"]] == (0, 0, False, "beto", "back_office", True)
    assert facts[n["f"]][0] == 1 and facts[n["d"]][1] == 1 and facts[n["e"]][2] is True
    assert facts[n["a"]][3:5] == ("ana", "primer_nivel")


def test_the_answer_times_are_stored_once_in_business_time(store: StoreUnderTest) -> None:
    """Answered across a weekend and across a holiday (Monday March 23, 2026, San José in Colombia):
    the business hours and days the store keeps are those of the calendar, and the reports read them."""
    clock = FrozenClock(bogota(2, 27, 16))
    app = store.app(clock=clock)
    SOURCES[id(app)] = memory_report_queries if store.name == "memory" else report_queries
    weekend = _file(app, clock, bogota(2, 27, 16), "peticion", channel="email", queue="primer_nivel")
    holiday = _file(app, clock, bogota(3, 20, 16), "peticion", channel="email", queue="primer_nivel")
    asked = _file(app, clock, bogota(3, 20, 16, 30), "peticion", channel="email", queue="primer_nivel")
    clock.set(bogota(3, 2, 8, 30))
    app.handle(c.AssignCase(filing_number=weekend, assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=weekend, transition="start"), AGENT)
    _answer(app, clock, bogota(3, 2, 9), weekend, AGENT)  # Friday 16-17 h and Monday 8-9 h
    clock.set(bogota(3, 24, 8))
    app.handle(c.AssignCase(filing_number=holiday, assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=holiday, transition="start"), AGENT)
    _answer(app, clock, bogota(3, 24, 10), holiday, AGENT)  # Friday 16-17 h and Tuesday 8-10 h
    clock.set(bogota(3, 24, 11))
    app.handle(c.AssignCase(filing_number=asked, assignee="beto"), SUPERVISOR)
    app.handle(c.RequestCompletion(filing_number=asked, message="Falta la factura"), BACK_OFFICE)
    clock.set(bogota(3, 25, 12))
    # Asked to complete it: Friday 16:30-17 h and Tuesday 8-11 h to the first response, no answer yet.
    expected = {weekend: (2.0, 2.0, 1), holiday: (3.0, 3.0, 1), asked: (3.5, None, None)}
    if store.engine is not None:
        with store.engine.connect() as conn:
            stored = {r.case_id: (r.first_response_hours, r.resolution_hours, r.days_to_answer)
                      for r in conn.execute(select(case_report_facts))}
        assert {k: stored[app.case(k).id] for k in expected} == expected
    spec = ReportFilter(start=date(2026, 2, 1), end=date(2026, 3, 31), period=Period.QUARTER)
    report = _timeliness(app, spec)
    total = report.resolution_hours["total"][0]
    assert (total.count, total.median, total.mean) == (2, 2.5, 2.5)
    first = report.first_response_hours["total"][0]
    assert (first.count, first.median, first.p90) == (3, 3.0, 3.5)
    by_case = {x.filing_number: x.days_to_answer for x in _regulatory(app, spec).cases}
    assert by_case == {weekend: 1, holiday: 1, asked: None}


def test_the_upgrade_fills_the_answer_times_of_the_cases_stored_before(
        store: StoreUnderTest, built: tuple[Pqrs, dict[str, str]]) -> None:
    """Migration 0039 computes, from the instants each case keeps, what the store now keeps when a
    case is answered: the same values, on the calendar of the settings (here the default one)."""
    if store.engine is None:
        pytest.skip("the in-memory store keeps no answer times")
    app, _n = built
    path = Path(tables.__file__).parent / "migrations" / "versions" / "0039_answer_times.py"
    spec = importlib.util.spec_from_file_location("answer_times_0039", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    columns = [case_report_facts.c.first_response_hours, case_report_facts.c.resolution_hours,
               case_report_facts.c.days_to_answer]
    with store.engine.begin() as conn:
        saved = set(conn.execute(select(case_report_facts.c.case_id, *columns)))
        assert sum(1 for row in saved if row[1] is not None) == 5  # A, B, C, J answered; E asked
        # As before the migration: no times, and no row for a case with no other facts.
        conn.execute(case_report_facts.update().values({column.name: None for column in columns}))
        conn.execute(case_report_facts.delete().where(case_report_facts.c.responder.is_(None),
                                                      case_report_facts.c.extensions == 0,
                                                      case_report_facts.c.transfers == 0,
                                                      case_report_facts.c.incomplete.is_(False)))
        migration._backfill(conn)
        assert set(conn.execute(select(case_report_facts.c.case_id, *columns))) == saved
    assert _timeliness(app) == f.timeliness(_data(app), FEBRUARY)
