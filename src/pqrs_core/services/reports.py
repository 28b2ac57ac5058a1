"""Reports as read models: what a report asks (``ReportFilter``), the facts it reads for each case
(``ReportRow``), the port that reads them (``ReportQueries``) and the use case that applies the
caller's visibility (``report_rows``). The figures themselves are computed in ``report_figures``.

A report reads one row per case, never the event log: the store keeps, beside each case's snapshot,
what the events told that the snapshot forgets (transfers, withdrawals, incomplete petitions, who
answered and from which queue, whether access to information was denied), in the same transaction
as the events (the SQL adapter's ``report_facts``).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

import attrs

from ..domain import events as ev
from ..domain.access import Permission
from ..domain.calendar import BusinessCalendar
from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.delivery import notified_at
from ..domain.errors import PermissionDenied, Problems, ValidationError
from ..domain.events import DomainEvent
from ..domain.values import Actor
from ..domain.workflow import StateCategory
from ..ports import CaseQuery, UnitOfWork

if TYPE_CHECKING:
    from .messagebus import Pqrs


class Period(enum.StrEnum):
    """How figures are grouped in time (by the organisation's local date of filing)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    SEMESTER = "semester"


PERIOD_LABELS = {Period.DAY: "Día", Period.WEEK: "Semana", Period.MONTH: "Mes", Period.QUARTER: "Trimestre",
                 Period.SEMESTER: "Semestre"}
# The longest range a report reads at once (a year and a day: a whole year with its edges).
MAX_DAYS = 366
# The dates a report may be asked about, by the web pages, the API and any other caller: nothing was
# filed before the first, and after the last there is room for the day that closes the range, whatever
# the organisation's zone.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def report_day_error(day: date) -> str | None:
    """Why ``day`` cannot bound a report (``None`` when it can)."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"El año debe estar entre {FIRST_DAY.year} y {LAST_DAY.year}."


def period_start(day: date, period: Period) -> date:
    """The first day of the period ``day`` falls in (weeks start on Monday, ISO 8601)."""
    if period is Period.DAY:
        return day
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    if period is Period.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1 if day.month <= 6 else 7, day=1)


def period_label(start: date, period: Period) -> str:
    """How a period reads in a table: «2026-03-14», «Semana 2026-W11», «2026-03», «2026-T1», «2026-S1»."""
    if period is Period.DAY:
        return start.isoformat()
    if period is Period.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-S{week:02d}"
    if period is Period.MONTH:
        return f"{start.year}-{start.month:02d}"
    if period is Period.QUARTER:
        return f"{start.year}-T{(start.month - 1) // 3 + 1}"
    return f"{start.year}-S{1 if start.month <= 6 else 2}"


@attrs.frozen(kw_only=True)
class ReportFilter:
    """What every report is asked: filing dates (inclusive, in the organisation's zone), the period to
    group by and the usual filters. ``typification`` selects a subtree (any ancestor code)."""

    start: date
    end: date
    period: Period = Period.MONTH
    kinds: tuple[str, ...] = ()
    typification: str | None = None
    queues: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        bounds = Problems()
        if self.start < FIRST_DAY:
            bounds.add("start", f"la fecha inicial no puede ser anterior al {FIRST_DAY:%d/%m/%Y}")
        if self.end > LAST_DAY:
            bounds.add("end", f"la fecha final no puede ser posterior al {LAST_DAY:%d/%m/%Y}")
        bounds.raise_if_any()
        if self.end < self.start:
            raise ValidationError({"end": "la fecha final es anterior a la inicial"})
        if (self.end - self.start).days >= MAX_DAYS:
            raise ValidationError({"end": f"un reporte abarca a lo sumo {MAX_DAYS} días"})

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> ReportFilter:
        """The same filters over the range of the same length just before (the comparison period)."""
        return attrs.evolve(self, start=self.start - timedelta(days=self.days),
                            end=self.start - timedelta(days=1))

    def case_query(self, timezone: str) -> CaseQuery:
        zone = ZoneInfo(timezone)
        return CaseQuery(kinds=self.kinds, typification=self.typification, queues=self.queues,
                         channels=self.channels,
                         filed_from=datetime.combine(self.start, time(), zone),
                         filed_to=datetime.combine(self.end + timedelta(days=1), time(), zone), limit=0)


@attrs.frozen(kw_only=True)
class ReportRow:
    """One case as reports read it: its snapshot's columns and what its events told."""

    filing_number: str
    filed_at: datetime
    kind: str
    channel: str | None
    requester_kind: str
    typification_codes: tuple[str, ...]  # root first; () when not typified
    queue: str | None
    assignee: str | None
    state_category: str
    due_at: datetime | None
    first_responded_at: datetime | None
    responded_at: datetime | None
    closed_at: datetime | None
    term_ended_at: datetime | None
    first_contact: bool
    # When the answer was notified (``delivery.notified_at``): the instant the law measures the term
    # against (CPACA arts. 56 and 67-69; Ley 1755 de 2015 art. 14).
    notified_at: datetime | None = None
    paused: bool = False  # the term is stopped (waiting for the requester, suspended)
    extensions: int = 0
    transfers: int = 0
    withdrawn: bool = False
    incomplete: bool = False
    responder: str | None = None
    responder_queue: str | None = None
    access_denied: bool = False
    # Business time to answer, as the store computed it when the case was answered (``AnswerTimes``);
    # ``None`` when it has none stored (the figures then compute it from the instants).
    times: AnswerTimes | None = None

    @property
    def done(self) -> bool:
        return self.state_category == "done"

    def answer_times(self, calendar: BusinessCalendar) -> AnswerTimes:
        """The stored ``times``, or those of its instants on ``calendar``."""
        if self.times is not None:
            return self.times
        return answer_times(self.filed_at, self.first_responded_at, self.responded_at, calendar)


@attrs.frozen
class AnswerTimes:
    """How long a case took to be answered, in business time on the organisation's calendar: hours
    from filing to the first response (an answer, or a request for information or completion) and to
    the (last) response, and business days from the local date of filing to that of the response (the
    regulatory report's time to answer). Computed once, when the instants are recorded, and kept by
    the store (``case_report_facts``) so that reports group them rather than recompute them."""

    first_response_hours: float | None = None
    resolution_hours: float | None = None
    days_to_answer: int | None = None


def answer_times(filed_at: datetime, first_responded_at: datetime | None, responded_at: datetime | None,
                 calendar: BusinessCalendar) -> AnswerTimes:
    """The ``AnswerTimes`` of a case filed at ``filed_at`` and answered at those instants."""

    def hours(end: datetime | None) -> float | None:
        if end is None:
            return None
        return calendar.business_time_between(filed_at, end).total_seconds() / 3600

    days = (calendar.business_days_between(calendar.local_date(filed_at), calendar.local_date(responded_at))
            if responded_at is not None else None)
    return AnswerTimes(hours(first_responded_at), hours(responded_at), days)


def case_answer_times(case: Case, calendar: BusinessCalendar) -> AnswerTimes:
    """The ``AnswerTimes`` of ``case``'s snapshot."""
    return answer_times(case.filed_at, case.first_responded_at, case.responded_at, calendar)


@attrs.frozen
class ReportFacts:
    """What a case's events tell reports that its snapshot forgets (``ReportRow``'s last fields)."""

    extensions: int = 0
    transfers: int = 0
    withdrawn: bool = False
    incomplete: bool = False
    responder: str | None = None
    responder_queue: str | None = None
    access_denied: bool = False

    def after(self, events: Iterable[DomainEvent], queue: str | None) -> ReportFacts:
        """These facts with what ``events`` add (``queue``: the case's queue, for a response recorded
        before responses kept the queue they were sent from)."""
        facts = self
        for event in events:
            if isinstance(event, ev.TermExtended):
                facts = attrs.evolve(facts, extensions=facts.extensions + 1)
            elif isinstance(event, ev.CaseTransferred):
                facts = attrs.evolve(facts, transfers=facts.transfers + 1)
            elif isinstance(event, ev.PetitionWithdrawn):
                facts = attrs.evolve(facts, withdrawn=True)
            elif isinstance(event, ev.CompletionRequested):
                facts = attrs.evolve(facts, incomplete=True)
            elif isinstance(event, ev.CaseResponded):
                facts = attrs.evolve(facts, responder=event.actor,
                                     responder_queue=event.responder_queue or queue,
                                     access_denied=event.access_denied)
        return facts


FACT_EVENTS = (ev.TermExtended, ev.CaseTransferred, ev.PetitionWithdrawn, ev.CompletionRequested,
               ev.CaseResponded)


def report_row(case: Case, facts: ReportFacts) -> ReportRow:
    """A case as reports read it (what the SQL read model selects, for the in-memory store)."""
    return ReportRow(
        filing_number=str(case.filing_number), filed_at=case.filed_at, kind=case.kind, channel=case.channel,
        requester_kind=case.requester.kind.value,
        typification_codes=case.typification.path_codes if case.typification else (),
        queue=case.queue, assignee=case.assignee, state_category=case.state_category.value,
        due_at=case.resolution_due, first_responded_at=case.first_responded_at,
        responded_at=case.responded_at, closed_at=case.closed_at, term_ended_at=case.term_ended_at,
        first_contact=case.first_contact_resolution, notified_at=notified_at(case.deliveries),
        paused=case.paused_left is not None or case.state_category.value == "waiting",
        **attrs.asdict(facts))


ON_TIME, LATE, OPEN_OVERDUE, RUNNING, NO_TERM = "on_time", "late", "open_overdue", "running", "no_term"


def term_status(row: ReportRow, now: datetime) -> str:
    """Where a case's resolution term stands: answered on time or late (by when its answer was
    notified, as the law counts it; without a proof of notification, by when its term ended: the
    response, or the done state), open past its deadline, open within it, or without a term."""
    if row.due_at is None:
        return NO_TERM
    ended = row.notified_at or row.term_ended_at or row.responded_at
    if ended is not None:
        return ON_TIME if ended <= row.due_at else LATE
    if row.done:
        return ON_TIME if (row.closed_at or now) <= row.due_at else LATE
    if row.paused:  # its deadline moves when the term resumes
        return RUNNING
    return OPEN_OVERDUE if row.due_at < now else RUNNING


# What cases can be counted by (``ReportQueries.counts``): these fields of ``ReportRow``, and
FILED_DAY = "filed_day"  # the local date of filing, in the calendar's time zone
ANSWERED = "answered"  # whether somebody has responded (a response instant or a responder)
RESPONDED = "responded"  # whether the case has a response instant
TERM_STATUS = "term_status"  # ``report_figures.term_status`` at the report's instant (``now``)
WHO = "who"  # who answered it, else who it is assigned to ("" for nobody)
EXTENDED, TRANSFERRED = "extended", "transferred"  # whether its term was extended; it was transferred
DONE = "done"  # whether its state is a final one
DAYS_TO_ANSWER = "days_to_answer"  # ``AnswerTimes.days_to_answer`` (its stored value)
COUNT_FIELDS = frozenset({FILED_DAY, ANSWERED, RESPONDED, TERM_STATUS, WHO, EXTENDED, TRANSFERRED, DONE,
                          DAYS_TO_ANSWER, "kind", "channel", "requester_kind", "typification_codes", "queue",
                          "first_contact", "responder_queue", "incomplete", "withdrawn", "access_denied",
                          "due_at", "paused"})
Counts = Counter[tuple[Any, ...]]


def row_values(row: ReportRow, fields: Sequence[str], zone: ZoneInfo, now: datetime | None = None,
               calendar: BusinessCalendar | None = None) -> tuple[Any, ...]:
    """The values of ``fields`` (``COUNT_FIELDS``) of one row (``TERM_STATUS`` at ``now``;
    ``DAYS_TO_ANSWER`` on ``calendar`` when the row has no stored times)."""
    values: list[Any] = []
    for name in fields:
        if name == FILED_DAY:
            values.append(row.filed_at.astimezone(zone).date())
        elif name == ANSWERED:
            values.append(row.responded_at is not None or row.responder is not None)
        elif name == RESPONDED:
            values.append(row.responded_at is not None)
        elif name == TERM_STATUS:
            assert now is not None, "a term's status is counted at an instant"
            values.append(term_status(row, now))
        elif name == WHO:
            values.append(row.responder or row.assignee or "")
        elif name == EXTENDED:
            values.append(bool(row.extensions))
        elif name == TRANSFERRED:
            values.append(bool(row.transfers))
        elif name == DAYS_TO_ANSWER:
            values.append(row.answer_times(calendar or BusinessCalendar()).days_to_answer
                          if row.responded_at is not None else None)
        else:
            values.append(getattr(row, name))
    return tuple(values)


def count_rows(rows: Iterable[ReportRow], fields: Sequence[str], timezone: str, now: datetime | None = None,
               calendar: BusinessCalendar | None = None) -> Counts:
    """How many of ``rows`` share each combination of values of ``fields`` (what ``ReportQueries.counts``
    answers, counted one row at a time)."""
    zone = ZoneInfo(timezone)
    return Counter(row_values(row, fields, zone, now, calendar) for row in rows)


class ReportQueries(Protocol):
    """The store's read model for reports."""

    def rows(self, query: CaseQuery) -> Iterable[ReportRow]:
        """One row per case ``query`` selects (its filters and visibility; deleted cases never),
        in no particular order."""
        ...

    def counts(self, query: CaseQuery, fields: Sequence[str], timezone: str, now: datetime | None = None,
               calendar: BusinessCalendar | None = None) -> Counts:
        """The cases ``query`` selects counted by the values of ``fields`` (``COUNT_FIELDS``, in that
        order; ``FILED_DAY`` in ``timezone``, ``TERM_STATUS`` at ``now``): exactly
        ``count_rows(self.rows(query), fields, timezone, now, calendar)``, grouped by the store where it
        can (from the answer times it stored)."""
        ...

    def page(self, query: CaseQuery, offset: int, limit: int) -> list[ReportRow]:
        """``limit`` rows of the cases ``query`` selects from the ``offset``-th, by filing instant and
        number."""
        ...

    def answer_times(self, query: CaseQuery, calendar: BusinessCalendar) -> Iterable[TimedCases]:
        """The business hours to answer of the cases ``query`` selects that have a first response
        (those stored, else computed on ``calendar``), grouped by typification path and queue, in no
        particular order; a typification path and queue may come in more than one group."""
        ...


class TimedCases(NamedTuple):
    """The answer times of answered cases of one typification path and queue: the hours to each one's
    first response and those to each resolution (a plain tuple: a report reads one per answered case
    of its range, or per typification and queue of the counts the store keeps, their hours in no
    particular order)."""

    typification_codes: tuple[str, ...]
    queue: str | None
    first_response_hours: list[float]
    resolution_hours: list[float]


def row_order(row: ReportRow) -> tuple[datetime, str]:
    """The order of the regulatory report's list of cases: by filing instant, then number."""
    return row.filed_at, row.filing_number


def timed_cases(rows: Iterable[ReportRow], calendar: BusinessCalendar) -> Iterator[TimedCases]:
    """``ReportQueries.answer_times`` of ``rows``, one row at a time."""
    for row in rows:
        if row.first_responded_at is not None or row.responded_at is not None:
            times = row.answer_times(calendar)
            yield one_timed_case(row.typification_codes, row.queue, times.first_response_hours,
                                 times.resolution_hours)


def one_timed_case(codes: tuple[str, ...], queue: str | None, first_response_hours: float | None,
                   resolution_hours: float | None, cases: int = 1) -> TimedCases:
    """The ``TimedCases`` of ``cases`` answered cases with the same hours."""
    return TimedCases(codes, queue, [] if first_response_hours is None else [first_response_hours] * cases,
                      [] if resolution_hours is None else [resolution_hours] * cases)


@attrs.frozen
class ReportInput:
    """What a report computes from: the rows of the range and of the range before, the catalog (for
    labels, queue tiers and the calendar) and the instant the report was asked at."""

    rows: list[ReportRow]
    previous: list[ReportRow]
    catalog: Catalog
    now: datetime
    timezone: str


@attrs.frozen
class CountsInput:
    """What a report computes from when it needs counts only: the counts of the range (one per
    grouping asked, in order) and of the range before, the catalog and the instant of the report."""

    counts: list[Counts]
    previous: list[Counts]
    catalog: Catalog
    now: datetime
    timezone: str


def check_reader(catalog: Catalog, actor: Actor | None) -> None:
    """``PermissionDenied`` unless ``actor`` (``None``: the application itself) may read reports."""
    if actor is not None and Permission.REPORTS not in catalog.permissions(actor):
        raise PermissionDenied(Permission.REPORTS.value)


def report_rows(app: Pqrs, source: Callable[[UnitOfWork], ReportQueries], spec: ReportFilter,
                actor: Actor | None, *, with_previous: bool = False) -> ReportInput:
    """The rows ``spec`` selects among the cases ``actor`` may see (``None``: every case), read in one
    unit of work; with ``with_previous``, also those of the range before. ``PermissionDenied`` when
    the actor's roles do not grant ``reports.view``."""
    timezone = app.deps.settings.timezone
    with app.read_uow_factory() as uow:
        catalog = app.deps.catalog(uow)
        check_reader(catalog, actor)
        queries = source(uow)
        rows = list(queries.rows(app.restrict(uow, spec.case_query(timezone), actor)))
        previous = (list(queries.rows(app.restrict(uow, spec.previous().case_query(timezone), actor)))
                    if with_previous else [])
    return ReportInput(rows, previous, catalog, app.deps.clock.now(), timezone)


def report_counts(app: Pqrs, source: Callable[[UnitOfWork], ReportQueries], spec: ReportFilter,
                  actor: Actor | None, groupings: Sequence[Sequence[str]],
                  previous: Sequence[Sequence[str]] = ()) -> CountsInput:
    """The cases ``spec`` selects among those ``actor`` may see, counted by each of ``groupings``
    (and those of the range before by each of ``previous``), in one unit of work: what ``report_rows``
    reads, grouped by the store (``FILED_DAY`` in the calendar's zone). ``PermissionDenied`` as there."""
    timezone = app.deps.settings.timezone
    with app.read_uow_factory() as uow:
        catalog = app.deps.catalog(uow)
        check_reader(catalog, actor)
        zone = (catalog.calendar or BusinessCalendar()).timezone
        queries = source(uow)
        query = app.restrict(uow, spec.case_query(timezone), actor)
        counts = [queries.counts(query, fields, zone) for fields in groupings]
        before = app.restrict(uow, spec.previous().case_query(timezone), actor) if previous else None
        previous_counts = [queries.counts(before, fields, zone) for fields in previous] if before else []
    return CountsInput(counts, previous_counts, catalog, app.deps.clock.now(), timezone)


# What the timeliness report counts (``report_timeliness``), each in one pass over the range: its
# cases by every dimension, the term's status and the four flags at once; its open cases by local day
# of filing and deadline.
TIMELINESS_DIMENSIONS = {"kind": "kind", "typification": "typification_codes", "queue": "queue",
                         "assignee": WHO}
TIMELINESS_GROUPINGS = ((*TIMELINESS_DIMENSIONS.values(), TERM_STATUS, EXTENDED, TRANSFERRED, "incomplete",
                         "withdrawn"),)
OPEN_GROUPINGS = ((FILED_DAY, "due_at", "paused"),)
# What the regulatory report counts (``report_regulatory``): the range's cases by local day of
# filing, kind, what its lines count and their days to answer.
REGULATORY_GROUPINGS = ((FILED_DAY, "kind", RESPONDED, TERM_STATUS, DONE, TRANSFERRED, "access_denied",
                         DAYS_TO_ANSWER),)
OPEN_CATEGORIES = tuple(category for category in StateCategory if category is not StateCategory.DONE)


@attrs.frozen
class TimelinessInput:
    """What the timeliness report computes from: ``TIMELINESS_GROUPINGS`` of the range, in order,
    ``OPEN_GROUPINGS`` of its open cases, the answer times of its answered cases, the catalog and the
    instant of the report."""

    counts: list[Counts]
    open_counts: list[Counts]
    timed: list[TimedCases]
    catalog: Catalog
    now: datetime
    timezone: str


@attrs.frozen
class RegulatoryInput:
    """What the regulatory report computes from: ``REGULATORY_GROUPINGS`` of the range, one page of
    its cases (``offset``: the first one's place) and the catalog."""

    counts: list[Counts]
    cases: list[ReportRow]
    offset: int
    catalog: Catalog
    now: datetime
    timezone: str


_GroupedReading = tuple["ReportQueries", CaseQuery, Catalog, BusinessCalendar]


@contextmanager
def _grouped_reading(app: Pqrs, source: Callable[[UnitOfWork], ReportQueries], spec: ReportFilter,
                     actor: Actor | None) -> Iterator[_GroupedReading]:
    """One read unit of work for a report the store groups: its queries, the query of ``spec`` restricted
    to what ``actor`` may see, the catalog and the organisation's calendar. ``PermissionDenied`` as
    ``report_rows``."""
    with app.read_uow_factory() as uow:
        catalog = app.deps.catalog(uow)
        check_reader(catalog, actor)
        query = app.restrict(uow, spec.case_query(app.deps.settings.timezone), actor)
        yield source(uow), query, catalog, catalog.calendar or BusinessCalendar()


def report_timeliness(app: Pqrs, source: Callable[[UnitOfWork], ReportQueries], spec: ReportFilter,
                      actor: Actor | None) -> TimelinessInput:
    """What the timeliness report of ``spec`` reads of the cases ``actor`` may see, grouped by the store
    (the answer times it stored), in one unit of work. ``PermissionDenied`` as ``report_rows``."""
    now = app.deps.clock.now()
    with _grouped_reading(app, source, spec, actor) as (queries, query, catalog, calendar):
        counts = [queries.counts(query, fields, calendar.timezone, now, calendar)
                  for fields in TIMELINESS_GROUPINGS]
        open_query = attrs.evolve(query, state_categories=OPEN_CATEGORIES)
        open_counts = [queries.counts(open_query, fields, calendar.timezone) for fields in OPEN_GROUPINGS]
        timed = list(queries.answer_times(query, calendar))
    return TimelinessInput(counts, open_counts, timed, catalog, now, app.deps.settings.timezone)


def report_regulatory(app: Pqrs, source: Callable[[UnitOfWork], ReportQueries], spec: ReportFilter,
                      actor: Actor | None, *, offset: int = 0, limit: int | None = None) -> RegulatoryInput:
    """What the regulatory report of ``spec`` reads of the cases ``actor`` may see: its totals grouped
    by the store and ``limit`` of its cases from the ``offset``-th (all of them for ``None``; none for
    0), in one unit of work. ``PermissionDenied`` as ``report_rows``."""
    now = app.deps.clock.now()
    with _grouped_reading(app, source, spec, actor) as (queries, query, catalog, calendar):
        counts = [queries.counts(query, fields, calendar.timezone, now, calendar)
                  for fields in REGULATORY_GROUPINGS]
        if limit is None:
            cases = sorted(queries.rows(query), key=row_order)
        else:
            cases = queries.page(query, offset, limit) if limit > 0 else []
    return RegulatoryInput(counts, cases, offset, catalog, now, app.deps.settings.timezone)
