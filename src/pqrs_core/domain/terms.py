"""Terms (términos): how long an organisation has to answer, and the deadline (vencimiento) they give.

A ``Term`` is an amount and a unit; ``Term.deadline(received_at, calendar)`` applies the counting rules
of Colombian law through a ``BusinessCalendar`` (see ``calendar.py`` for the day conventions):

- business days: the term runs from the day after reception and ends at midnight of its last business
  day (CPACA art. 14 as set by Ley 1755 de 2015; Ley 4 de 1913 arts. 59–62), unless the law counts it
  from the day of receipt itself (``TermStart.RECEPTION_DAY``: Ley 1581 de 2012 art. 14 "a partir de
  la fecha de recibo"; Decreto-Ley 2150 de 1995 art. 123 "a partir de la fecha de su presentación");
- calendar days: every day counts, holidays included ("a menos de expresarse lo contrario", Ley 4 de
  1913 art. 62), from the day after the reception day, ending at midnight of the last day;
- months: the calendar month (Ley 4 de 1913 art. 59 "por mes se entienden los del calendario común"),
  ending on the same day number as the reception day, or the month's last day when it has no such day;
  when that day is not a business day the term runs to the next business day (art. 62);
- clock hours: "dentro de tantas horas" runs to the last minute of the last hour (Ley 4 de 1913 art.
  60), holidays included (e.g. the 48 h to comply with a tutela ruling, Decreto 2591 de 1991 art. 27);
- business hours: only working time counts (contractual service levels).

``TermRule`` ties a term to the dates it is valid for (a temporary change such as Decreto 491 de 2020
art. 5 applies only to cases received while it was in force), and ``Extension`` describes a prórroga.
"""

from __future__ import annotations

import calendar as _gregorian
import enum
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import attrs

from .calendar import BusinessCalendar, ensure_aware
from .errors import ValidationError


class TermUnit(enum.StrEnum):
    BUSINESS_DAYS = "business_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"
    BUSINESS_HOURS = "business_hours"
    CLOCK_HOURS = "clock_hours"


class TermStart(enum.StrEnum):
    """Where a day term starts counting: its day 1."""

    # The business day after the reception day: "dentro de los quince (15) días siguientes a su
    # recepción" (CPACA art. 14), "a partir del día siguiente" (Ley 1581 de 2012 art. 15).
    NEXT_DAY = "next_day"
    # The reception day itself (the next business day when it is not one): "a partir de la fecha de
    # recibo" (Ley 1581 de 2012 art. 14), "a partir de la fecha de su presentación" (Decreto-Ley 2150 de
    # 1995 art. 123). Ley 4 de 1913 art. 61 leans the same way for such wording.
    RECEPTION_DAY = "reception_day"


# (singular, plural) as a person reads them.
_UNIT_WORDS: dict[TermUnit, tuple[str, str]] = {
    TermUnit.BUSINESS_DAYS: ("día hábil", "días hábiles"),
    TermUnit.CALENDAR_DAYS: ("día calendario", "días calendario"),
    TermUnit.MONTHS: ("mes", "meses"),
    TermUnit.BUSINESS_HOURS: ("hora hábil", "horas hábiles"),
    TermUnit.CLOCK_HOURS: ("hora", "horas"),
}


def _positive_amount(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError({"amount": "el término es un número entero mayor que cero"})


def add_months(day: date, months: int) -> date:
    """The same day number ``months`` later, or the last day of that month when it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@attrs.frozen
class Term:
    """A term (término): ``Term(15)`` is 15 business days, ``Term(48, TermUnit.CLOCK_HOURS)`` 48 hours.
    ``start`` says where a day term counts from (business and calendar days; hour and month terms run
    from the reception instant or date whatever it says)."""

    amount: int = attrs.field(validator=_positive_amount)
    unit: TermUnit = attrs.field(default=TermUnit.BUSINESS_DAYS, converter=TermUnit)
    start: TermStart = attrs.field(default=TermStart.NEXT_DAY, converter=TermStart)

    def deadline(self, received_at: datetime, calendar: BusinessCalendar) -> datetime:
        """The last instant (aware, UTC) of the term for a reception at ``received_at``.

        Day and month terms end at 23:59:59.999999 local time of their last day (Ley 4 de 1913 art.
        59: "terminan a la medianoche del último día del plazo"); hour terms end at the exact instant.
        """
        unit = self.unit
        from_receipt = self.start is TermStart.RECEPTION_DAY
        if unit is TermUnit.BUSINESS_DAYS:
            if from_receipt:  # day 1 is the reception day
                return calendar.end_of_day(calendar.add_business_days(calendar.reception_day(received_at),
                                                                      self.amount - 1))
            return calendar.end_of_day(calendar.term_day(received_at, self.amount))
        if unit is TermUnit.CLOCK_HOURS:
            ensure_aware(received_at, "received_at")
            return received_at.astimezone(UTC) + timedelta(hours=self.amount)
        if unit is TermUnit.BUSINESS_HOURS:
            return calendar.add_business_hours(received_at, self.amount)
        day = calendar.reception_day(received_at)
        if unit is TermUnit.CALENDAR_DAYS:
            return calendar.end_of_day(day + timedelta(days=self.amount - 1 if from_receipt else self.amount))
        # Months: Ley 4 de 1913 art. 62 "si el último día fuere feriado o de vacante, se extenderá el
        # plazo hasta el primer día hábil".
        return calendar.end_of_day(calendar.business_day_on_or_after(add_months(day, self.amount)))

    def describe(self) -> str:
        """The term in Spanish: ``"15 días hábiles"``, ``"1 mes"``, ``"48 horas"``."""
        singular, plural = _UNIT_WORDS[self.unit]
        return f"{self.amount} {singular if self.amount == 1 else plural}"

    def __str__(self) -> str:
        return self.describe()

    def plus(self, amount: int) -> Term:
        """The same unit and start, ``amount`` longer."""
        return attrs.evolve(self, amount=self.amount + amount)


@attrs.frozen
class Extension:
    """How far a term may be extended (prórroga), in the unit of the term it extends.

    ``max_amount=None`` is the general rule of CPACA art. 14 parágrafo (Ley 1437 de 2011 as set by Ley
    1755 de 2015): before the term ends the organisation tells the requester why and the new date,
    which "no podrá exceder del doble del inicialmente previsto", so the extension is at most the
    original term (15 + 15 business days for a petition).

    Fixed extensions are data, e.g. (the legal presets live in a plugin, not here):

    - Ley 1581 de 2012 art. 14, consultas on personal data: ``Extension(max_amount=5)`` after the
      10-business-day term (10 + 5);
    - Ley 1581 de 2012 art. 15, reclamos on personal data: ``Extension(max_amount=8)`` after the
      15-business-day term (15 + 8).

    The extended term is counted from the same reception, so its deadline is ``extended.deadline(...)``.

    ``allowed=False`` says the term cannot be extended at all (a tutela: "perentorios e
    improrrogables", Decreto 2591 de 1991 art. 15).
    """

    max_amount: int | None = attrs.field(default=None)
    source: str = ""
    allowed: bool = True

    @max_amount.validator
    def _check_max(self, _attribute: object, value: int | None) -> None:
        if value is not None:
            _positive_amount(self, _attribute, value)

    def max_extra(self, original: Term) -> int:
        """The largest extension allowed for ``original``, in its unit (0 when none is)."""
        if not self.allowed:
            return 0
        return original.amount if self.max_amount is None else self.max_amount

    def extend(self, original: Term, extra: int | None = None) -> Term:
        """The whole term after extending ``original`` by ``extra`` (default: the most allowed).
        Raises ``ValidationError`` when ``extra`` is not positive or exceeds the allowance."""
        if not self.allowed:
            why = f" ({self.source})" if self.source else ""
            raise ValidationError({"extension": f"el término de {original.describe()} no admite "
                                                f"prórroga{why}"})
        allowed = self.max_extra(original)
        amount = allowed if extra is None else extra
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise ValidationError({"extension": "la prórroga es un número entero mayor que cero"})
        if amount > allowed:
            limit = Term(allowed, original.unit).describe()
            raise ValidationError({"extension": f"la prórroga de un término de {original.describe()} "
                                                f"admite como máximo {limit}"})
        return original.plus(amount)


@attrs.frozen
class DeemedGrant:
    """What the law says when a term is missed: the request is deemed granted and ``what`` is due
    within ``term``, counted from the day after the missed deadline (CPACA art. 14 num. 1: the copies
    of the documents within 3 days). ``what`` and ``source`` are Spanish, as the case shows them."""

    term: Term
    what: str
    source: str = ""


@attrs.frozen
class TermRule:
    """A term with the dates it applies to, by the local date a case was received. Both ends are
    inclusive and optional (open-ended). A temporary rule (Decreto 491 de 2020 art. 5 lengthened the
    petition terms during the COVID-19 emergency) applies only to cases received inside its range; the
    permanent rule keeps applying outside it (see ``rule_for``)."""

    term: Term  # its ``start`` says where the counting starts (the day of receipt or the day after)
    valid_from: date | None = None
    valid_to: date | None = None
    source: str = ""
    extension: Extension | None = None
    # Only for organisations that are public authorities or private parties performing public functions
    # (``Settings.public_functions``): Decreto Legislativo 491 de 2020 bound only those.
    public_functions_only: bool = False
    # When the term is missed, the request is deemed granted and this new term runs (see deemed_granted.py).
    deemed_granted: DeemedGrant | None = None

    def __attrs_post_init__(self) -> None:
        if self.valid_from is not None and self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "la vigencia termina antes de empezar"})

    def applies_on(self, day: date) -> bool:
        """Whether a case received on ``day`` (local date) is governed by this rule."""
        if isinstance(day, datetime):
            raise TypeError("applies_on takes a date; use applies_to for an instant")
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))

    def applies_to(self, received_at: datetime, calendar: BusinessCalendar) -> bool:
        """Whether a case received at ``received_at`` is governed by this rule (its local date)."""
        return self.applies_on(calendar.local_date(received_at))

    @property
    def start(self) -> TermStart:
        """Where the counting starts: the day of receipt or the next business day."""
        return self.term.start

    def deadline(self, received_at: datetime, calendar: BusinessCalendar) -> datetime:
        return self.term.deadline(received_at, calendar)


def rule_for(rules: Iterable[TermRule], day: date, public_functions: bool = False) -> TermRule | None:
    """The rule governing a case received on ``day``: among the rules that apply, the one in force
    most recently (latest ``valid_from``; an open start counts as the earliest), so a temporary rule
    wins over the permanent one during its range. A rule for organisations with public functions
    applies only when ``public_functions`` says the organisation is one. ``None`` when no rule
    applies; ``ValidationError`` when two rules starting on the same date both apply."""
    applicable = [r for r in rules
                  if r.applies_on(day) and (public_functions or not r.public_functions_only)]
    if not applicable:
        return None
    starts = sorted(((r.valid_from or date.min, i) for i, r in enumerate(applicable)), reverse=True)
    if len(starts) > 1 and starts[0][0] == starts[1][0]:
        raise ValidationError({"term_rules": f"hay dos reglas de término vigentes el {day.isoformat()} "
                                             "con la misma fecha de inicio"})
    return applicable[starts[0][1]]
