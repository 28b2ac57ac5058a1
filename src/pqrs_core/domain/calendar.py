"""Business calendars: the days and hours an organisation works, and time arithmetic on them.

A ``BusinessCalendar`` is configuration as data (time zone, working weekdays and hours, the country and
subdivision whose public holidays apply, organisation closures, extra working dates). It answers
questions about days (``is_business_day``, ``add_business_days``, ``business_days_between``) and about
instants (``is_business_time``, ``add_business_hours``, ``business_time_between``), and it knows the
counting conventions that ``terms.Term`` builds deadlines from:

- A day term starts the day after reception (CPACA, Ley 1437 de 2011 art. 14 as set by Ley 1755 de
  2015: "dentro de los quince (15) días siguientes a su recepción"; Ley 1581 de 2012 art. 15: "contado a
  partir del día siguiente a la fecha de su recibo"). Day 1 is the first business day after the
  reception date, whatever the hour of reception; a reception on a non-business day counts as received
  on the next business day (``reception_day``), as the Consejo de Estado held for a document received
  by e-mail on a non-business day (expediente 27219, 2024). A reception after closing
  time on a business day still counts as made that day, unless the organisation's own rules say
  otherwise (``after_closing_next_day``): the text that settled it (the former CPACA art. 54) was
  changed by Ley 2080 de 2021, so the calendar leaves it as a setting.
- Day terms skip holidays (Ley 4 de 1913 art. 62: "se entienden suprimidos los feriados") and end at
  midnight of their last day (arts. 59–61), represented as 23:59:59.999999 local time (``end_of_day``).

Days are counted in the calendar's own time zone; every instant given must be timezone-aware and every
instant returned is in UTC. Business-day arithmetic runs on a table of business-day ordinals built
lazily, a year at a time, and cached on the calendar: each lookup is O(1) after the table covers the
dates involved (a rank array maps a day to the number of business days before it). Business-time
arithmetic runs on prefix sums of the working microseconds of those days: the working time between two
instants is a difference of two positions, and adding hours is a binary search, whatever the length of
the term.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import holidays as holidays_lib

from .errors import Problems, ValidationError

# Ley 4 de 1913 arts. 59 and 61: a term "termina a la medianoche del último día del plazo".
END_OF_DAY = time.max
MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})
MONDAY_TO_SATURDAY = frozenset({0, 1, 2, 3, 4, 5})
WEEKDAY_NAMES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")
# A year has about 240 business days; grow the table by whole years, estimated from this.
_MIN_BUSINESS_DAYS_PER_YEAR = 150
_MICROSECOND = timedelta(microseconds=1)


def ensure_aware(instant: datetime, name: str = "instant") -> None:
    """Raise ``ValueError`` when ``instant`` is naive: business time cannot guess a time zone."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(
            f"{name} must be a timezone-aware datetime, got naive {instant.isoformat()}; "
            "attach a zone, e.g. datetime(2026, 3, 20, 17, 30, tzinfo=ZoneInfo('America/Bogota'))")


@attrs.frozen(order=True)
class WorkingHours:
    """One working interval of a day, local wall-clock time, ``start`` included and ``end`` excluded.
    A day with a lunch break has two: ``08:00–12:00`` and ``13:00–17:00``."""

    start: time
    end: time

    def __attrs_post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValidationError({"working_hours": "las horas de trabajo se dan sin zona horaria"})
        if self.start >= self.end:
            raise ValidationError({"working_hours": f"el intervalo {self} debe terminar después de empezar"})

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """``"08:00-12:00"`` → ``WorkingHours(time(8), time(12))``."""
        match = _HOURS_RE.match(text)
        if match is None:
            raise ValidationError({"working_hours": f"«{text}» no es un intervalo de horas (08:00-12:00)"})
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            return cls(time(h1, m1), time(h2, m2))
        except ValueError:
            raise ValidationError({"working_hours": f"«{text}» no es un intervalo de horas válido"}) from None

    @property
    def duration(self) -> timedelta:
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)


HoursSpec = WorkingHours | str | tuple[time, time]
DEFAULT_HOURS = (WorkingHours(time(8), time(17)),)


def _to_hours(value: Iterable[HoursSpec]) -> tuple[WorkingHours, ...]:
    items: list[WorkingHours] = []
    for item in value:
        if isinstance(item, WorkingHours):
            items.append(item)
        elif isinstance(item, str):
            items.append(WorkingHours.parse(item))
        else:
            items.append(WorkingHours(*item))
    return tuple(sorted(items))


def _to_weekday_hours(
    value: Mapping[int, Iterable[HoursSpec]] | Iterable[tuple[int, Iterable[HoursSpec]]],
) -> tuple[tuple[int, tuple[WorkingHours, ...]], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((int(day), _to_hours(hours)) for day, hours in pairs))


def _to_weekdays(value: Iterable[int]) -> frozenset[int]:
    return frozenset(int(day) for day in value)


def _to_dates(value: Iterable[date]) -> frozenset[date]:
    return frozenset(d.date() if isinstance(d, datetime) else d for d in value)


class _Table:
    """Immutable snapshot of the business days of whole years ``first_year..last_year``.

    ``days`` holds the ordinals of the business days in order; ``rank[i]`` is the number of business
    days in ``[base, base + i)``, so the first business day on or after ``base + i`` is
    ``days[rank[i]]``. ``cumulative[k]`` is the working time, in microseconds, of ``days[:k]``."""

    __slots__ = ("base", "cumulative", "days", "first_year", "last_year", "rank", "size")

    def __init__(self, first_year: int, last_year: int, base: int, size: int, days: list[int],
                 rank: list[int], cumulative: list[int]) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.base = base
        self.size = size
        self.days = days
        self.rank = rank
        self.cumulative = cumulative


_EMPTY_TABLE = _Table(0, -1, 0, 0, [], [0], [0])


class _Cache:
    """Derived state of a calendar, filled lazily. Snapshots are replaced whole, never mutated, so a
    concurrent reader sees either the old table or the new one; two threads racing to grow the table
    build the same result."""

    __slots__ = ("hours", "intervals", "table", "tz", "years")

    def __init__(self) -> None:
        self.tz: ZoneInfo = ZoneInfo("UTC")
        self.hours: tuple[tuple[WorkingHours, ...], ...] = ()
        self.table = _EMPTY_TABLE
        self.years: dict[int, list[int]] = {}
        # The working intervals of a day as UTC instants, by ordinal (each entry written once).
        self.intervals: dict[int, tuple[tuple[datetime, datetime], ...]] = {}


@attrs.frozen
class BusinessCalendar:
    """When an organisation works.

    A day is a business day when it is not a closure, not a public holiday of ``country`` /
    ``subdivision`` (python ``holidays`` package), and either its weekday is in ``working_weekdays``
    (0 = Monday … 6 = Sunday) or it is one of ``extra_working_dates`` (a Saturday the office opens).
    Closures and public holidays win over extra working dates. ``working_hours`` apply to every business
    day unless ``weekday_hours`` gives other hours for that weekday (e.g. Saturdays 08:00–12:00).
    ``country=None`` means no public holidays (only the closures given).

    Whether Saturdays are business days has no verified legal basis in our references, so it is a
    setting: ``working_weekdays=MONDAY_TO_SATURDAY``.

    ``after_closing_next_day``: a reception after the last working interval of a business day counts
    as made on the next business day (off by default: the reception day counts, the safer reading).
    """

    timezone: str = "America/Bogota"
    working_weekdays: frozenset[int] = attrs.field(default=MONDAY_TO_FRIDAY, converter=_to_weekdays)
    working_hours: tuple[WorkingHours, ...] = attrs.field(default=DEFAULT_HOURS, converter=_to_hours)
    weekday_hours: tuple[tuple[int, tuple[WorkingHours, ...]], ...] = attrs.field(
        default=(), converter=_to_weekday_hours)
    country: str | None = "CO"
    subdivision: str | None = None
    closure_dates: frozenset[date] = attrs.field(default=frozenset(), converter=_to_dates)
    extra_working_dates: frozenset[date] = attrs.field(default=frozenset(), converter=_to_dates)
    after_closing_next_day: bool = False
    _cache: _Cache = attrs.field(init=False, factory=_Cache, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = Problems()
        try:
            self._cache.tz = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.add("timezone", f"«{self.timezone}» no es una zona horaria conocida")
        if not self.working_weekdays:
            problems.add("working_weekdays", "debe haber al menos un día de trabajo en la semana")
        if any(not 0 <= day <= 6 for day in (*self.working_weekdays, *dict(self.weekday_hours))):
            problems.add("working_weekdays", "los días de la semana van de 0 (lunes) a 6 (domingo)")
        for field, hours in (("working_hours", self.working_hours),
                             *((f"weekday_hours.{d}", h) for d, h in self.weekday_hours)):
            if not hours:
                problems.add(field, "debe haber al menos un intervalo de trabajo")
            for before, after in zip(hours, hours[1:], strict=False):
                if after.start < before.end:
                    problems.add(field, f"los intervalos {before} y {after} se traslapan")
        if len(dict(self.weekday_hours)) != len(self.weekday_hours):
            problems.add("weekday_hours", "hay días de la semana repetidos")
        both = self.closure_dates & self.extra_working_dates
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            problems.add("extra_working_dates", f"también son días de cierre: {listed}")
        if self.country is not None:
            try:
                holidays_lib.country_holidays(self.country)
            except NotImplementedError:
                problems.add("country", f"«{self.country}» no es un país con festivos conocidos")
            else:
                try:
                    holidays_lib.country_holidays(self.country, subdiv=self.subdivision)
                except NotImplementedError:
                    problems.add("subdivision",
                                 f"«{self.subdivision}» no es una subdivisión de {self.country}")
        elif self.subdivision is not None:
            problems.add("subdivision", "una subdivisión requiere un país")
        problems.raise_if_any()
        overrides = dict(self.weekday_hours)
        self._cache.hours = tuple(overrides.get(day, self.working_hours) for day in range(7))

    # ------------------------------------------------------------------ holidays and days
    @property
    def zone(self) -> ZoneInfo:
        return self._cache.tz

    def public_holidays(self, year: int) -> dict[date, str]:
        """The public holidays of ``year`` (observed dates, names in Spanish), from ``holidays``.

        For Colombia: Ley 51 de 1983 art. 1 (fixed holidays, and the ones moved to the next Monday),
        and Ley 2578 de 2026 (9 July, Virgen de Chiquinquirá, moved the same way)."""
        if self.country is None:
            return {}
        found = holidays_lib.country_holidays(self.country, subdiv=self.subdivision, years=year,
                                              language="es")
        return {day: name for day, name in sorted(found.items()) if day.year == year}

    def is_business_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (see the class docstring for the precedence)."""
        table, i = self._locate(day)
        return table.rank[i + 1] != table.rank[i]

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after ``day``."""
        return self.add_business_days(day, 1)

    def business_day_on_or_after(self, day: date) -> date:
        """``day`` itself when it is a business day, otherwise the next one."""
        table, i = self._locate(day)
        if table.rank[i] < len(table.days):
            return date.fromordinal(table.days[table.rank[i]])
        return self.add_business_days(day, 1)

    def add_business_days(self, day: date, n: int) -> date:
        """The ``n``-th business day after ``day`` (``day`` itself not counted, whether or not it is a
        business day). ``n == 0`` returns ``day``; a negative ``n`` counts backwards (the ``-n``-th
        business day before ``day``). For ``n >= 1``, ``business_days_between(day, result) == n``."""
        if n == 0:
            return day
        ordinal = day.toordinal()
        while True:
            table = self._cache.table
            i = ordinal - table.base
            if not 0 <= i < table.size:
                table = self._cover(day.year, day.year)
                i = ordinal - table.base
            k = table.rank[i + 1] + n - 1 if n > 0 else table.rank[i] + n
            if 0 <= k < len(table.days):
                return date.fromordinal(table.days[k])
            self._grow_for(table, k)

    def business_days_between(self, start: date, end: date) -> int:
        """The number of business days in ``(start, end]``: after ``start``, up to and including
        ``end``. Negative when ``end`` is before ``start``; zero when they are the same day."""
        if end < start:
            return -self.business_days_between(end, start)
        table = self._cover(start.year, end.year)
        return table.rank[end.toordinal() - table.base + 1] - table.rank[start.toordinal() - table.base + 1]

    # ------------------------------------------------------------------ terms
    def local_date(self, instant: datetime) -> date:
        """The calendar date of ``instant`` in the calendar's time zone."""
        ensure_aware(instant, "instant")
        return instant.astimezone(self._cache.tz).date()

    def reception_day(self, received_at: datetime) -> date:
        """The business day a reception counts as made on: its local date, or the next business day
        when that date is a weekend, holiday or closure (Consejo de Estado, exp. 27219 de 2024), or
        after closing time when ``after_closing_next_day`` is set."""
        day = self.local_date(received_at)
        if self.after_closing(received_at):
            return self.next_business_day(day)
        return self.business_day_on_or_after(day)

    def after_closing(self, received_at: datetime) -> bool:
        """Whether ``received_at`` counts as received on the next business day because it came after
        closing time on a business day (only when ``after_closing_next_day`` is set)."""
        if not self.after_closing_next_day:
            return False
        ensure_aware(received_at, "received_at")
        local = received_at.astimezone(self._cache.tz)
        hours = self.hours_on(local.date())
        return bool(hours) and local.time() >= hours[-1].end

    def start_of_term(self, received_at: datetime) -> date:
        """Day 1 of a day term: the first business day after the reception day, whatever the hour of
        reception (CPACA art. 14 as set by Ley 1755 de 2015; Ley 1581 de 2012 art. 15 "a partir del
        día siguiente"). A petition received Friday 2026-03-20 at 17:30 starts on Tuesday 2026-03-24,
        because Monday 23 is San José (Ley 51 de 1983)."""
        return self.term_day(received_at, 1)

    def term_day(self, received_at: datetime, n: int) -> date:
        """Day ``n`` (``n >= 1``) of a business-day term for a reception at ``received_at``: the
        ``n``-th business day after the reception day. Holidays are skipped (Ley 4 de 1913 art. 62).
        This is the hot path of deadline computation."""
        if n < 1:
            raise ValueError(f"a term day is numbered from 1, got {n}")
        ensure_aware(received_at, "received_at")
        ordinal = received_at.astimezone(self._cache.tz).toordinal()
        late = 1 if self.after_closing(received_at) else 0
        while True:
            table = self._cache.table
            i = ordinal - table.base
            if not 0 <= i < table.size:
                year = date.fromordinal(ordinal).year
                table = self._cover(year, year)
                i = ordinal - table.base
            # days[rank[i]] is the reception day itself (or the next business day); after closing
            # time, where that counts as the next business day, the term starts one day later.
            k = table.rank[i] + n + late
            if k < len(table.days):
                return date.fromordinal(table.days[k])
            self._grow_for(table, k)

    def end_of_day(self, day: date) -> datetime:
        """The last instant of ``day`` in the calendar's zone, in UTC: the "medianoche del último día
        del plazo" of Ley 4 de 1913 arts. 59–61, as 23:59:59.999999 local time."""
        return datetime.combine(day, END_OF_DAY, tzinfo=self._cache.tz).astimezone(UTC)

    # ------------------------------------------------------------------ hours
    def hours_on(self, day: date) -> tuple[WorkingHours, ...]:
        """The working intervals of ``day``; empty when it is not a business day."""
        if not self.is_business_day(day):
            return ()
        return self._cache.hours[day.weekday()]

    def is_business_time(self, instant: datetime) -> bool:
        """Whether ``instant`` falls inside a working interval of a business day."""
        ensure_aware(instant, "instant")
        local = instant.astimezone(self._cache.tz)
        moment = local.time()
        return any(h.start <= moment < h.end for h in self.hours_on(local.date()))

    def add_business_hours(self, instant: datetime, hours: float | timedelta) -> datetime:
        """The instant (UTC) when ``hours`` of working time have passed since ``instant``. Time
        outside working intervals does not count; a result that lands exactly on the end of an
        interval stays there (17:00, not 08:00 of the next business day)."""
        ensure_aware(instant, "instant")
        remaining = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        if remaining < timedelta(0):
            raise ValueError(f"business hours are added forwards only, got {remaining}")
        current = instant.astimezone(UTC)
        if not remaining:
            return current
        year = self.local_date(current).year
        table = self._cover(year, year)
        target = self._position(table, current) + remaining // _MICROSECOND
        while target > table.cumulative[-1]:
            # Grow the table at its end (positions are counted from its first day, which stays).
            per_year = max(1, table.cumulative[-1] // max(1, table.last_year - table.first_year + 1))
            years = (target - table.cumulative[-1]) // per_year + 1
            if table.last_year + years >= MAXYEAR:
                raise ValueError("the business-hour count goes beyond the year 9999")
            table = self._build(table.first_year, table.last_year + years)
        return self._instant_at(table, target)

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two instants (negative when ``end`` is before ``start``). Additive:
        ``between(a, b) + between(b, c) == between(a, c)``."""
        ensure_aware(start, "start")
        ensure_aware(end, "end")
        if end < start:
            return -self.business_time_between(end, start)
        table = self._cover(self.local_date(start).year, self.local_date(end).year)
        return timedelta(microseconds=self._position(table, end) - self._position(table, start))

    def _position(self, table: _Table, instant: datetime) -> int:
        """Working microseconds from the start of ``table`` up to ``instant`` (its date in the table):
        the whole business days before its date, from the prefix sums, plus the part of its own day."""
        ordinal = instant.astimezone(self._cache.tz).toordinal()
        k = table.rank[ordinal - table.base]
        position = table.cumulative[k]
        if k < len(table.days) and table.days[k] == ordinal:
            for opens, closes in self._intervals_at(ordinal):
                if instant <= opens:
                    break
                position += (min(closes, instant) - opens) // _MICROSECOND
        return position

    def _instant_at(self, table: _Table, position: int) -> datetime:
        """The earliest instant at ``position`` (``0 < position <= cumulative[-1]``) working
        microseconds from the start of ``table``: an end of interval stays on that day."""
        k = bisect_left(table.cumulative, position) - 1  # cumulative[k] < position <= cumulative[k + 1]
        remaining = position - table.cumulative[k]
        for opens, closes in self._intervals_at(table.days[k]):
            available = (closes - opens) // _MICROSECOND
            if remaining <= available:
                return opens + timedelta(microseconds=remaining)
            remaining -= available
        raise AssertionError("the prefix sums and the working intervals disagree")  # pragma: no cover

    def _intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The working intervals of a business day as UTC instants (computed once per day: deadlines
        and alarm schedules walk the same days again and again)."""
        return self._intervals_at(day.toordinal())

    def _intervals_at(self, ordinal: int) -> tuple[tuple[datetime, datetime], ...]:
        cache = self._cache
        found = cache.intervals.get(ordinal)
        if found is None:
            day, tz = date.fromordinal(ordinal), cache.tz
            found = tuple((datetime.combine(day, h.start, tzinfo=tz).astimezone(UTC),
                           datetime.combine(day, h.end, tzinfo=tz).astimezone(UTC))
                          for h in cache.hours[day.weekday()])
            cache.intervals[ordinal] = found
        return found

    # ------------------------------------------------------------------ the business-day table
    def _locate(self, day: date) -> tuple[_Table, int]:
        table = self._cache.table
        i = day.toordinal() - table.base
        if 0 <= i < table.size:
            return table, i
        table = self._cover(day.year, day.year)
        return table, day.toordinal() - table.base

    def _cover(self, first_year: int, last_year: int) -> _Table:
        """A table that covers the given years (one year of margin either side is added on growth)."""
        table = self._cache.table
        if table.first_year <= first_year and last_year <= table.last_year:
            return table
        if table.size:
            first_year = table.first_year if first_year >= table.first_year else first_year - 1
            last_year = table.last_year if last_year <= table.last_year else last_year + 1
        else:
            first_year, last_year = first_year - 1, last_year + 1
        return self._build(max(MINYEAR + 1, first_year), min(MAXYEAR - 1, last_year))

    def _grow_for(self, table: _Table, k: int) -> None:
        """Grow ``table`` so that index ``k`` of its business days exists (``k`` may be negative)."""
        if k >= len(table.days):
            years = (k - len(table.days)) // _MIN_BUSINESS_DAYS_PER_YEAR + 1
            last = table.last_year + years
            if last >= MAXYEAR:
                raise ValueError("the business-day count goes beyond the year 9999")
            self._build(table.first_year, last)
        else:
            years = -k // _MIN_BUSINESS_DAYS_PER_YEAR + 1
            first = table.first_year - years
            if first <= MINYEAR:
                raise ValueError("the business-day count goes before the year 1")
            self._build(first, table.last_year)

    def _build(self, first_year: int, last_year: int) -> _Table:
        base = date(first_year, 1, 1).toordinal()
        size = date(last_year, 12, 31).toordinal() - base + 1
        days: list[int] = []
        for year in range(first_year, last_year + 1):
            days.extend(self._year_days(year))
        rank = [0] * (size + 1)
        count = 0
        nxt = 0
        for i in range(size):
            rank[i] = count
            if nxt < len(days) and days[nxt] == base + i:
                count += 1
                nxt += 1
        rank[size] = count
        cumulative = [0] * (len(days) + 1)
        total = 0
        for k, ordinal in enumerate(days):
            for opens, closes in self._intervals_at(ordinal):
                total += (closes - opens) // _MICROSECOND
            cumulative[k + 1] = total
        table = _Table(first_year, last_year, base, size, days, rank, cumulative)
        self._cache.table = table
        return table

    def _year_days(self, year: int) -> list[int]:
        cached = self._cache.years.get(year)
        if cached is not None:
            return cached
        closed = {d.toordinal() for d in self.closure_dates if d.year == year}
        if self.country is not None:
            found = holidays_lib.country_holidays(self.country, subdiv=self.subdivision, years=year)
            closed.update(d.toordinal() for d in found if d.year == year)
        extra = {d.toordinal() for d in self.extra_working_dates if d.year == year}
        weekdays = self.working_weekdays
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        # Ordinal 1 (0001-01-01) is a Monday, so ``(ordinal - 1) % 7`` is ``date.weekday()``.
        result = [o for o in range(first, last + 1)
                  if o not in closed and ((o - 1) % 7 in weekdays or o in extra)]
        self._cache.years[year] = result
        return result


# Per base calendar (held weakly: an entry goes with its base, whose identity is never taken for
# another's): the organisation's calendars built from it, by closures and working weekdays.
_ORGANISATION_CALENDARS: weakref.WeakKeyDictionary[
    BusinessCalendar, dict[tuple[tuple[date, ...], tuple[int, ...] | None], BusinessCalendar]] = \
    weakref.WeakKeyDictionary()


def organisation_calendar(base: BusinessCalendar, closures: Iterable[date] = (),
                          weekdays: frozenset[int] | None = None) -> BusinessCalendar:
    """``base`` (the settings' calendar) with the organisation's closure days and, once it chose them,
    its working weekdays (the catalog's): built once per combination."""
    closures = tuple(sorted(closures))
    if weekdays == base.working_weekdays:
        weekdays = None
    if not closures and weekdays is None:
        return base
    built = _ORGANISATION_CALENDARS.get(base)
    if built is None:
        built = _ORGANISATION_CALENDARS[base] = {}
    key = (closures, tuple(sorted(weekdays)) if weekdays is not None else None)
    cached = built.get(key)
    if cached is None:
        cached = built[key] = attrs.evolve(
            base, closure_dates=base.closure_dates | frozenset(closures),
            working_weekdays=base.working_weekdays if weekdays is None else weekdays)
    return cached
