"""The figures of each report, computed from the rows ``reports.report_rows`` reads: pure functions of
the rows, the catalog and the instant of the report (no I/O), so that the API, the web pages, the
exports and library users get the same numbers.

Durations are business time on the organisation's calendar (``BusinessCalendar.business_time_between``):
hours for response times, days for ages and for the time to answer of the regulatory report.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from ..domain.calendar import BusinessCalendar
from ..domain.catalog import Catalog
from ..ports import UNTYPIFIED
from .reports import (
    ANSWERED,
    FILED_DAY,
    Counts,
    CountsInput,
    Period,
    ReportFilter,
    ReportInput,
    ReportRow,
    count_rows,
    period_label,
    period_start,
)

NO_VALUE = ""  # the key of rows without a channel, queue or assignee


def _calendar(data: ReportInput) -> BusinessCalendar:
    if data.catalog.calendar is None:  # the use cases always set it; a bare catalog gets the default
        return BusinessCalendar()
    return data.catalog.calendar


def _day_hours(calendar: BusinessCalendar) -> float:
    return sum(h.duration.total_seconds() for h in calendar.working_hours) / 3600 or 24.0


def typification_key(row: ReportRow, parent: str | None) -> str:
    """The code a row counts under when drilling into ``parent`` (the roots without it): the child of
    ``parent`` on the row's path, ``parent`` itself for a case typified at that node."""
    return path_key(row.typification_codes, parent)


def path_key(codes: tuple[str, ...], parent: str | None) -> str:
    """``typification_key`` of a typification path (root first)."""
    if not codes:
        return UNTYPIFIED
    if parent is None:
        return codes[0]
    if parent in codes:
        at = codes.index(parent)
        return codes[at + 1] if at + 1 < len(codes) else parent
    return codes[-1]


# The dimensions of the volume report: the field each counts by and the key of its value.
DIMENSIONS: dict[str, tuple[str, Callable[[Any, ReportFilter], str]]] = {
    "kind": ("kind", lambda v, f: v),
    "channel": ("channel", lambda v, f: v or NO_VALUE),
    "typification": ("typification_codes", lambda v, f: path_key(v, f.typification)),
    "queue": ("queue", lambda v, f: v or NO_VALUE),
    "requester_kind": ("requester_kind", lambda v, f: v),
}
VOLUME_FIELDS = tuple(field for field, _key in DIMENSIONS.values())
# What the volume report counts by (``reports.report_counts``): the range by day and by every
# dimension at once, the range before by every dimension.
VOLUME_GROUPINGS = ((FILED_DAY,), VOLUME_FIELDS)
VOLUME_PREVIOUS = (VOLUME_FIELDS,)


# --------------------------------------------------------------------------------------- volume
@attrs.frozen
class Count:
    key: str
    count: int
    previous: int = 0

    @property
    def change(self) -> float | None:
        """The change against the previous period, as a fraction (``None`` when there was nothing)."""
        return None if not self.previous else (self.count - self.previous) / self.previous


@attrs.frozen
class VolumeReport:
    total: int
    previous_total: int
    periods: list[Count]  # received per period (label), the range's own periods
    by: dict[str, list[Count]]  # dimension (``DIMENSIONS``) -> counts, largest first

    @property
    def change(self) -> float | None:
        return Count("", self.total, self.previous_total).change


def volume(data: ReportInput, spec: ReportFilter) -> VolumeReport:
    """Cases received per period and by kind, channel, typification, queue and requester kind, each
    against the range before of the same length."""
    zone = _calendar(data).timezone
    return volume_of(count_rows(data.rows, (FILED_DAY,), zone), count_rows(data.rows, VOLUME_FIELDS, zone),
                     count_rows(data.previous, VOLUME_FIELDS, zone), spec)


def volume_counted(data: CountsInput, spec: ReportFilter) -> VolumeReport:
    """``volume`` from the counts the store grouped (``VOLUME_GROUPINGS`` and ``VOLUME_PREVIOUS``)."""
    days, now = data.counts
    return volume_of(days, now, data.previous[0], spec)


def volume_of(days: Counts, now: Counts, before: Counts, spec: ReportFilter) -> VolumeReport:
    """The volume report from the range's cases counted by local day of filing, and the range's and
    the range before's counted by ``VOLUME_FIELDS``."""
    per_period: Counter[str] = Counter()
    for (day,), count in days.items():
        per_period[period_label(period_start(day, spec.period), spec.period)] += count
    periods: list[Count] = []
    day = period_start(spec.start, spec.period)
    while day <= spec.end:
        label = period_label(day, spec.period)
        if not periods or periods[-1].key != label:
            periods.append(Count(label, per_period[label]))
        day = _next_period(day, spec.period)
    by: dict[str, list[Count]] = {}
    for at, (name, (_field, key)) in enumerate(DIMENSIONS.items()):
        current = _tally(now, at, key, spec)
        previous = _tally(before, at, key, spec)
        order = sorted(set(current) | set(previous), key=lambda k: (-current[k], -previous[k], k))
        by[name] = [Count(k, current[k], previous[k]) for k in order]
    return VolumeReport(sum(now.values()), sum(before.values()), periods, by)


def _tally(counts: Counts, at: int, key: Callable[[Any, ReportFilter], str],
           spec: ReportFilter) -> Counter[str]:
    tally: Counter[str] = Counter()
    for values, count in counts.items():
        tally[key(values[at], spec)] += count
    return tally


def _next_period(day: date, period: Period) -> date:
    if period is Period.DAY:
        return day + timedelta(days=1)
    if period is Period.WEEK:
        return day + timedelta(days=7)
    months = {Period.MONTH: 1, Period.QUARTER: 3, Period.SEMESTER: 6}[period]
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


# ----------------------------------------------------------------------------------- timeliness
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


@attrs.frozen
class Compliance:
    key: str
    on_time: int
    overdue: int  # answered late, or open past the deadline
    running: int  # open within the term

    @property
    def share(self) -> float | None:
        """Share on time among the cases whose term has been decided (on time or overdue)."""
        decided = self.on_time + self.overdue
        return None if not decided else self.on_time / decided


@attrs.frozen
class DurationStats:
    key: str
    count: int
    median: float | None
    p90: float | None
    mean: float | None


def duration_stats(key: str, values: Sequence[float]) -> DurationStats:
    """Median, 90th percentile (nearest rank) and mean of ``values``, rounded to hundredths."""
    if not values:
        return DurationStats(key, 0, None, None, None)
    ordered = sorted(values)
    rank = max(1, -(-9 * len(ordered) // 10))  # ceil(0.9 n)
    return DurationStats(key, len(ordered), round(statistics.median(ordered), 2), round(ordered[rank - 1], 2),
                         round(statistics.fmean(ordered), 2))


AGE_BUCKETS = ((0, 5, "0–5 días hábiles"), (6, 10, "6–10 días hábiles"), (11, 15, "11–15 días hábiles"),
               (16, 30, "16–30 días hábiles"), (31, None, "Más de 30 días hábiles"))
LEFT_BUCKETS = ((None, 0.0, "Vencido"), (0.0, 1.0, "Menos de 1 día hábil"), (1.0, 3.0, "1 a 3 días hábiles"),
                (3.0, 7.0, "3 a 7 días hábiles"), (7.0, None, "Más de 7 días hábiles"))
NO_TERM_LABEL = "Sin término"
PAUSED_LABEL = "En pausa"


@attrs.frozen
class TimelinessReport:
    overall: Compliance
    by: dict[str, list[Compliance]]  # kind, typification, queue, assignee
    open_by_age: list[Count]
    open_by_time_left: list[Count]
    first_response_hours: dict[str, list[DurationStats]]  # "total", "typification", "queue"
    resolution_hours: dict[str, list[DurationStats]]
    extensions: int  # cases whose term was extended
    transfers: int  # cases transferred to another entity
    incomplete: int  # petitions the requester was asked to complete
    withdrawals: int


def timeliness(data: ReportInput, spec: ReportFilter) -> TimelinessReport:
    calendar = _calendar(data)
    statuses = [(row, term_status(row, data.now)) for row in data.rows]
    keys: dict[str, Callable[[ReportRow], str]] = {
        "kind": lambda r: r.kind, "typification": lambda r: typification_key(r, spec.typification),
        "queue": lambda r: r.queue or NO_VALUE, "assignee": lambda r: r.responder or r.assignee or NO_VALUE}

    def compliance(key: str, items: Iterable[tuple[ReportRow, str]]) -> Compliance:
        tally = Counter(status for _row, status in items)
        return Compliance(key, tally[ON_TIME], tally[LATE] + tally[OPEN_OVERDUE], tally[RUNNING])

    by: dict[str, list[Compliance]] = {}
    for name, key in keys.items():
        groups: dict[str, list[tuple[ReportRow, str]]] = defaultdict(list)
        for item in statuses:
            if item[1] != NO_TERM:
                groups[key(item[0])].append(item)
        by[name] = sorted((compliance(k, v) for k, v in groups.items()),
                          key=lambda c: (-(c.on_time + c.overdue + c.running), c.key))

    today = calendar.local_date(data.now)
    day_hours = _day_hours(calendar)
    ages: Counter[str] = Counter()
    left: Counter[str] = Counter()
    for row in data.rows:
        if row.done:
            continue
        age = max(0, calendar.business_days_between(calendar.local_date(row.filed_at), today))
        ages[next(label for low, high, label in AGE_BUCKETS
                  if age >= low and (high is None or age <= high))] += 1
        if row.due_at is None or row.paused:
            left[NO_TERM_LABEL if row.due_at is None else PAUSED_LABEL] += 1
            continue
        days = calendar.business_time_between(data.now, row.due_at).total_seconds() / 3600 / day_hours
        left[next(label for low, high, label in LEFT_BUCKETS
                  if (low is None or days >= low) and (high is None or days < high))] += 1

    def hours(start: datetime, end: datetime) -> float:
        return calendar.business_time_between(start, end).total_seconds() / 3600

    first: list[tuple[ReportRow, float]] = [(r, hours(r.filed_at, r.first_responded_at))
                                            for r in data.rows if r.first_responded_at is not None]
    resolved: list[tuple[ReportRow, float]] = [(r, hours(r.filed_at, r.responded_at))
                                               for r in data.rows if r.responded_at is not None]
    return TimelinessReport(
        overall=compliance("total", (s for s in statuses if s[1] != NO_TERM)), by=by,
        open_by_age=[Count(label, ages[label]) for *_, label in AGE_BUCKETS],
        open_by_time_left=[Count(label, left[label]) for *_, label in LEFT_BUCKETS]
        + [Count(label, left[label]) for label in (PAUSED_LABEL, NO_TERM_LABEL)],
        first_response_hours=_stats_by(first, spec), resolution_hours=_stats_by(resolved, spec),
        extensions=sum(1 for r in data.rows if r.extensions),
        transfers=sum(1 for r in data.rows if r.transfers),
        incomplete=sum(1 for r in data.rows if r.incomplete),
        withdrawals=sum(1 for r in data.rows if r.withdrawn))


def _stats_by(values: list[tuple[ReportRow, float]], spec: ReportFilter) -> dict[str, list[DurationStats]]:
    result = {"total": [duration_stats("total", [v for _r, v in values])]}
    keys: dict[str, Callable[[ReportRow], str]] = {
        "typification": lambda r: typification_key(r, spec.typification),
        "queue": lambda r: r.queue or NO_VALUE}
    for name, key in keys.items():
        groups: dict[str, list[float]] = defaultdict(list)
        for row, value in values:
            groups[key(row)].append(value)
        result[name] = sorted((duration_stats(k, v) for k, v in groups.items()),
                              key=lambda s: (-s.count, s.key))
    return result


# ------------------------------------------------------------------------------ resolution levels
FIRST_CONTACT, FIRST_LINE, BACK_OFFICE, SPECIALISTS, UNKNOWN_LEVEL = (
    "first_contact", "first_line", "back_office", "specialists", "unknown")
LEVEL_LABELS = {FIRST_CONTACT: "Primer contacto", FIRST_LINE: "Primera línea",
                BACK_OFFICE: "Back office (segundo nivel)", SPECIALISTS: "Especialistas",
                UNKNOWN_LEVEL: "Sin nivel registrado"}


def resolution_level(row: ReportRow, tiers: dict[str, int]) -> str | None:
    """The level that answered a case: resolved at first contact, or the tier of the queue the case
    was in when it was answered (stored with the response); ``None`` while nobody has answered."""
    return _level(row.first_contact, row.responded_at is not None or row.responder is not None,
                  row.responder_queue, tiers)


def _level(first_contact: bool, answered: bool, responder_queue: str | None,
           tiers: dict[str, int]) -> str | None:
    if first_contact:
        return FIRST_CONTACT
    if not answered:
        return None
    tier = tiers.get(responder_queue or "")
    if tier is None:
        return UNKNOWN_LEVEL
    return FIRST_LINE if tier <= 1 else BACK_OFFICE if tier == 2 else SPECIALISTS


@attrs.frozen
class LevelsReport:
    answered: int
    pending: int
    by_level: list[Count]  # every level, in order
    by_kind: dict[str, list[Count]]  # kind -> counts per level


# What the levels report counts by (``reports.report_counts``).
LEVEL_FIELDS = ("kind", "first_contact", ANSWERED, "responder_queue")
LEVEL_GROUPINGS = (LEVEL_FIELDS,)


def resolution_levels(data: ReportInput, spec: ReportFilter) -> LevelsReport:
    return levels_of(count_rows(data.rows, LEVEL_FIELDS, _calendar(data).timezone), data.catalog)


def resolution_levels_counted(data: CountsInput, spec: ReportFilter) -> LevelsReport:
    """``resolution_levels`` from the counts the store grouped (``LEVEL_GROUPINGS``)."""
    return levels_of(data.counts[0], data.catalog)


def levels_of(counts: Counts, catalog: Catalog) -> LevelsReport:
    """The levels report from the cases counted by ``LEVEL_FIELDS``."""
    tiers = {q.code: q.tier for q in catalog.queues}
    tally: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    pending = 0
    for (kind, first_contact, answered, responder_queue), count in counts.items():
        level = _level(bool(first_contact), bool(answered), responder_queue, tiers)
        if level is None:
            pending += count
        else:
            tally[level] += count
            by_kind[kind][level] += count
    order = list(LEVEL_LABELS)
    return LevelsReport(
        answered=sum(tally.values()), pending=pending,
        by_level=[Count(level, tally[level]) for level in order if tally[level] or level != UNKNOWN_LEVEL],
        by_kind={kind: [Count(level, counts[level]) for level in order]
                 for kind, counts in sorted(by_kind.items())})


# ------------------------------------------------------------------------------------ regulatory
@attrs.frozen
class RegulatoryLine:
    """One period and kind of the public report of PQRSD (Ley 1712 de 2014 art. 11 lit. h; Decreto
    103 de 2015 art. 52; Ley 1474 de 2011 art. 76)."""

    period: str
    kind: str
    received: int
    transferred: int  # sent to the competent entity
    answered: int
    answered_on_time: int
    answered_late: int
    pending: int
    access_denied: int  # requests for information that were refused
    mean_days_to_answer: float | None  # business days from filing to response


@attrs.frozen
class RegulatoryCase:
    """One request, as the report lists them: time to answer each (Decreto 103 de 2015 art. 52 c)."""

    filing_number: str
    period: str
    kind: str
    filed_at: datetime
    responded_at: datetime | None
    days_to_answer: int | None
    transferred: bool
    access_denied: bool


@attrs.frozen
class RegulatoryReport:
    period: Period
    lines: list[RegulatoryLine]
    totals: RegulatoryLine
    cases: list[RegulatoryCase]


def regulatory(data: ReportInput, spec: ReportFilter) -> RegulatoryReport:
    """Per quarter or semester (a finer period is read as the quarter) and kind."""
    calendar = _calendar(data)
    period = spec.period if spec.period in (Period.QUARTER, Period.SEMESTER) else Period.QUARTER
    cases = []
    for row in sorted(data.rows, key=lambda r: (r.filed_at, r.filing_number)):
        label = period_label(period_start(calendar.local_date(row.filed_at), period), period)
        days = (calendar.business_days_between(calendar.local_date(row.filed_at),
                                               calendar.local_date(row.responded_at))
                if row.responded_at is not None else None)
        cases.append((row, RegulatoryCase(row.filing_number, label, row.kind, row.filed_at, row.responded_at,
                                          days, bool(row.transfers), row.access_denied)))
    groups: dict[tuple[str, str], list[tuple[ReportRow, RegulatoryCase]]] = defaultdict(list)
    for item in cases:
        groups[(item[1].period, item[1].kind)].append(item)
    lines = [_line(p, k, items, data.now) for (p, k), items in sorted(groups.items())]
    return RegulatoryReport(period, lines, _line("total", "", cases, data.now), [c for _r, c in cases])


def _line(period: str, kind: str, items: list[tuple[ReportRow, RegulatoryCase]],
          now: datetime) -> RegulatoryLine:
    answered = [(r, c) for r, c in items if c.responded_at is not None]
    statuses = Counter(term_status(r, now) for r, _c in answered)
    days = [c.days_to_answer for _r, c in answered if c.days_to_answer is not None]
    return RegulatoryLine(
        period=period, kind=kind, received=len(items), transferred=sum(1 for _r, c in items if c.transferred),
        answered=len(answered), answered_on_time=statuses[ON_TIME], answered_late=statuses[LATE],
        pending=sum(1 for r, c in items if c.responded_at is None and not r.done),
        access_denied=sum(1 for _r, c in items if c.access_denied),
        mean_days_to_answer=round(statistics.fmean(days), 2) if days else None)
