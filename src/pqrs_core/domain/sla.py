"""Term policies (which term applies to a case) and the term clock (deadline, pauses, status).

A ``TermPolicy`` is data: for a combination of kind, typification, priority and channel it gives a
first-response term and a resolution term (each a list of ``TermRule``s with validity ranges). The
most specific policy that matches a case wins. The clock is derived from what happened to the case
(reception, pauses while the requester owes information, an extension), so a deadline can always be
recomputed and explained.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from .calendar import BusinessCalendar
from .errors import ValidationError
from .filing_window import FilingWindow
from .term_left import TermLeft
from .terms import Term, TermRule, TermUnit, rule_for

if TYPE_CHECKING:
    from .case import Case

_DAY_UNITS = (TermUnit.BUSINESS_DAYS, TermUnit.CALENDAR_DAYS, TermUnit.MONTHS)


class TermTrigger(enum.StrEnum):
    """What starts the term of a policy."""

    RECEPTION = "reception"  # the reception of the case: every statutory term of a petition
    # The notice of a judge's decision, with the term the judge sets in it (an acción de tutela,
    # Decreto 2591 de 1991 arts. 19, 27 and 29): nothing runs from filing (see judicial_terms.py).
    JUDICIAL_NOTICE = "judicial_notice"
    NONE = "none"  # nothing: no law sets a term and the organisation chose to set none


class CompletionRestart(enum.StrEnum):
    """What happens to the term when the requester completes an incomplete petition. Ley 1755 de 2015
    art. 17 says only that the term "se reactivará": whether the whole term starts again or the days
    left when it stopped run on is not settled. Resuming is the safer reading (the organisation never
    answers later than a court could hold it to), so it is the default."""

    RESUME = "resume"  # the days left when the petition was found incomplete run on
    FULL_TERM = "full_term"  # the whole term starts again the day after the items arrive


@attrs.frozen
class TermPolicy:
    code: str
    label: str
    resolution: tuple[TermRule, ...]
    first_response: tuple[TermRule, ...] = ()
    kinds: tuple[str, ...] = ()
    typifications: tuple[str, ...] = ()  # typification codes; a policy covers their sub-trees
    priorities: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    source: str = ""  # the legal or contractual source, shown when the deadline is explained
    active: bool = True
    # The catch-all default: it applies only when no other policy matches, however general that is.
    fallback: bool = False
    trigger: TermTrigger = attrs.field(default=TermTrigger.RECEPTION, converter=TermTrigger)
    # No law sets this term: it is the organisation's own policy (felicitaciones), which may also choose
    # to set no deadline at all (``TermTrigger.NONE``).
    optional: bool = False
    # Ley 1755 de 2015 art. 17: how the term "se reactivará" once an incomplete petition is completed.
    completion_restart: CompletionRestart = attrs.field(default=CompletionRestart.RESUME,
                                                        converter=CompletionRestart)
    # A requester who disagrees with the answer files, in law, a new request: a counter-response that
    # reopens a case runs a new term under ``counter_response_policy`` (a policy code; ``None``: this
    # policy again, counted from the counter-response), for the reason ``counter_response_source``
    # gives (shown when the deadline is explained).
    counter_response_policy: str | None = None
    counter_response_source: str = ""
    # Causes that stop this term while they hold (``term_suspension.SUSPENSION_CAUSES``), and the
    # source that allows it (Decreto-Ley 2150 de 1995 art. 123 for home utilities).
    suspension_causes: tuple[str, ...] = ()
    suspension_source: str = ""
    # Whether the term stops while the case is «con tercero» (sent to a supplier or vendor, see
    # ``third_party.py``). By default it keeps running: Ley 1755 de 2015 art. 14 counts the term from
    # the filing, and the only stop the law gives the organisation is art. 17's (the requester owes
    # information); a supplier's delay is the organisation's own.
    third_party_pauses: bool = False
    # The term within which the request itself must be filed, from the notification of the decision it
    # attacks (a recurso); the case shows whether it came late (``filing_window.filing_check``).
    filing_window: FilingWindow | None = None

    def __attrs_post_init__(self) -> None:
        if not self.resolution:
            raise ValidationError({"resolution": "una política de términos necesita un término de "
                                                 "respuesta"})
        if self.trigger is TermTrigger.NONE and not self.optional:
            raise ValidationError({"no_deadline": "solo puede quedar sin vencimiento una política que "
                                                  "ninguna ley exige"})

    @property
    def specificity(self) -> int:
        return sum(bool(d) for d in (self.kinds, self.typifications, self.priorities, self.channels))

    def matches(self, case: Case) -> bool:
        typ = case.typification
        return (self.active
                and (not self.kinds or case.kind in self.kinds)
                and (not self.priorities or case.priority in self.priorities)
                and (not self.channels or case.channel in self.channels)
                and (not self.typifications
                     or (typ is not None and bool(set(self.typifications) & set(typ.path_codes)))))


def select_policy(policies: Iterable[TermPolicy], case: Case, day: date,
                  public_functions: bool = False) -> tuple[TermPolicy, TermRule] | None:
    """The most specific active policy matching ``case`` that has a resolution rule in force for a
    reception on ``day``, with that rule. A ``fallback`` policy loses to any other. Ties between
    equally specific policies go to the policy whose rule started most recently, then to the code (so
    the choice never depends on order)."""
    best: tuple[tuple[bool, int, date, str], TermPolicy, TermRule] | None = None
    for policy in policies:
        if not policy.matches(case):
            continue
        rule = rule_for(policy.resolution, day, public_functions)
        if rule is None:
            continue
        key = (not policy.fallback, policy.specificity, rule.valid_from or date.min, policy.code)
        if best is None or key > best[0]:
            best = (key, policy, rule)
    return (best[1], best[2]) if best is not None else None


@attrs.frozen
class Pause:
    """A stretch during which the term did not run: the requester owed information, or staff
    suspended it (``cause``, see ``term_suspension``)."""

    start: datetime
    end: datetime | None = None
    cause: str | None = None


def shifted_deadline(term: Term, received_at: datetime, calendar: BusinessCalendar,
                     pauses: Sequence[Pause], extra: int = 0) -> datetime:
    """The deadline of ``term`` (lengthened by ``extra`` units, a prórroga) for a reception at
    ``received_at``, pushed back by every finished pause: day terms by the business days the pause
    covered (a pause that starts and ends on the same day costs nothing), hour terms by the business
    time it covered. An open pause is not counted: the deadline is recomputed when it ends."""
    full = term.plus(extra) if extra else term
    due = full.deadline(received_at, calendar)
    for pause in pauses:
        if pause.end is None or pause.end <= pause.start:
            continue
        if full.unit in _DAY_UNITS:
            days = calendar.business_days_between(calendar.local_date(pause.start),
                                                  calendar.local_date(pause.end))
            if days > 0:
                due = calendar.end_of_day(calendar.add_business_days(calendar.local_date(due), days))
        elif full.unit is TermUnit.CLOCK_HOURS:
            due = due + (pause.end - pause.start)
        else:
            due = calendar.add_business_hours(due, calendar.business_time_between(pause.start, pause.end))
    return due


@attrs.frozen
class Alarm:
    """An alarm planned at ``fraction`` of the term (0.5 = half the business time used)."""

    fraction: float
    at: datetime


def alarm_schedule(received_at: datetime, due: datetime, calendar: BusinessCalendar,
                   fractions: Sequence[float]) -> tuple[Alarm, ...]:
    """When each alarm fires: at ``fraction`` of the business time between reception and the
    deadline; a fraction of 1 or more fires at the deadline itself."""
    total = calendar.business_time_between(received_at, due)
    alarms = []
    for fraction in sorted(set(fractions)):
        at = due if fraction >= 1 else calendar.add_business_hours(received_at, total * fraction)
        alarms.append(Alarm(fraction, at))
    return tuple(alarms)


class TermStatus(enum.StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    PAUSED = "paused"
    MET = "met"  # answered within the term
    MISSED = "missed"  # answered after the deadline


STATUS_LABELS = {
    TermStatus.ON_TIME: "A tiempo", TermStatus.AT_RISK: "En riesgo", TermStatus.OVERDUE: "Vencido",
    TermStatus.PAUSED: "En pausa", TermStatus.MET: "Cumplido", TermStatus.MISSED: "Respondido tarde",
}


@attrs.frozen
class TermReading:
    status: TermStatus
    due: datetime
    remaining: timedelta  # business time left (negative when overdue)
    elapsed_fraction: float  # share of the term's business time already used (0..1+)
    # While paused: since when, and what the term had left when it stopped (``term_left``); the
    # ``due`` above is then the deadline before the pause, which moves when the term resumes.
    paused_since: datetime | None = None
    left: TermLeft | None = None


def read_term(*, start: datetime, due: datetime, now: datetime, calendar: BusinessCalendar,
              answered_at: datetime | None = None, paused: bool = False,
              risk_threshold: float = 0.8, met: bool | None = None) -> TermReading:
    """Where a term stands at ``now``: the business time left and a status. ``risk_threshold`` is the
    share of the term after which a running case is *at risk* (configurable per organisation). A term
    that ended at ``answered_at`` is met when that was before ``due``, or as ``met`` says."""
    if not 0 < risk_threshold <= 1:
        raise ValidationError({"risk_threshold": "debe estar entre 0 y 1"})
    total = calendar.business_time_between(start, due)
    used = calendar.business_time_between(start, min(now, due)) if now > start else timedelta(0)
    if now < due:
        remaining = calendar.business_time_between(now, due)
    else:
        remaining = -calendar.business_time_between(due, now)
    fraction = used / total if total > timedelta(0) else (1.0 if now >= due else 0.0)
    if answered_at is not None:
        in_time = answered_at <= due if met is None else met
        status = TermStatus.MET if in_time else TermStatus.MISSED
    elif now > due:
        status, fraction = TermStatus.OVERDUE, max(fraction, 1.0)
    elif paused:
        status = TermStatus.PAUSED
    elif fraction >= risk_threshold:
        status = TermStatus.AT_RISK
    else:
        status = TermStatus.ON_TIME
    return TermReading(status, due, remaining, fraction)
