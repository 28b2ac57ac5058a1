"""The terms a judge sets in an acción de tutela against the organisation (Decreto 2591 de 1991).

A tutela has two terms, each set by the judge and each counted from the notice of the judge's
decision, never from the filing of the case:

- the report (informe): art. 19, the judge asks the accused for a report "en un plazo de uno a tres
  días", counted from the notice of the admission. Days are business days (Ley 4 de 1913 art. 62),
  day 1 the business day after the notice, ending at midnight of the last day;
- the compliance (cumplimiento del fallo): arts. 27 and 29 num. 5, the ruling is complied with within
  the term the judge sets, which "en ningún caso podrá exceder de 48 horas", counted from the notice
  of the ruling in clock hours (that hours run through nights and holidays is an interpretation).

Both are "perentorios e improrrogables" (art. 15): no prórroga. The policy that covers tutelas says
so with ``TermTrigger.JUDICIAL_NOTICE``; recording a notice starts the corresponding term as a new
term of the case (``TermStarted`` counted from the notice, with the judge's figure), which replaces
the one before it (the report term gives way to the compliance term).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from . import events as ev
from .catalog import Catalog
from .errors import InvalidOperation, Problems
from .sla import TermPolicy, TermTrigger, alarm_schedule, select_policy
from .terms import Term, TermUnit

if TYPE_CHECKING:
    from .case import Case


class JudicialNotice(enum.StrEnum):
    ADMISSION = "admission"  # notice of the admission of the tutela: the report term starts
    RULING = "ruling"  # notice of the ruling: the compliance term starts


@attrs.frozen
class JudicialTermRule:
    """What the law lets the judge set for one notice: the unit and the bounds of the term."""

    label: str
    unit: TermUnit
    minimum: int
    maximum: int
    field: str  # the name of the judge's figure in commands and forms
    event: str  # the notice, as the explanation names it
    source: str


JUDICIAL_TERMS: dict[JudicialNotice, JudicialTermRule] = {
    JudicialNotice.ADMISSION: JudicialTermRule(
        label="Informe al juez de tutela (Decreto 2591 de 1991 art. 19)", unit=TermUnit.BUSINESS_DAYS,
        minimum=1, maximum=3, field="days", event="notificación del auto admisorio",
        source="Decreto 2591 de 1991 art. 19: el informe se rinde en el plazo que fije el juez, de uno a "
               "tres días, contados desde la notificación del auto admisorio; art. 15: términos "
               "perentorios e improrrogables."),
    JudicialNotice.RULING: JudicialTermRule(
        label="Cumplimiento del fallo de tutela (Decreto 2591 de 1991 art. 27)", unit=TermUnit.CLOCK_HOURS,
        minimum=1, maximum=48, field="hours", event="notificación del fallo",
        source="Decreto 2591 de 1991 arts. 27 y 29 num. 5: el fallo se cumple en el plazo que fije el juez, "
               "que no puede exceder de 48 horas, contadas desde la notificación del fallo; art. 15: "
               "términos perentorios e improrrogables."),
}

# A clock may run slightly ahead of another host's (as for the reception instant of a case).
_SKEW_SECONDS = 300


def judicial_policy(case: Case, catalog: Catalog) -> TermPolicy | None:
    """The policy covering ``case`` when its terms are set by a judge (a tutela), else ``None``."""
    if catalog.calendar is None:
        return None
    chosen = select_policy(catalog.term_policies, case, catalog.calendar.local_date(case.received_at),
                           catalog.public_functions)
    if chosen is None or chosen[0].trigger is not TermTrigger.JUDICIAL_NOTICE:
        return None
    return chosen[0]


def judicial_term_started(case: Case, notice: JudicialNotice, amount: int, notified_at: datetime | None,
                          catalog: Catalog, actor: str, now: datetime) -> ev.TermStarted:
    """The term a judge's notice starts: ``amount`` (days for the report, hours for the compliance)
    counted from ``notified_at`` (default: now). Raises ``ValidationError`` naming the field at fault
    and ``InvalidOperation`` when the case is not a tutela or is closed."""
    rule = JUDICIAL_TERMS[notice]
    problems = Problems()
    if isinstance(amount, bool) or not isinstance(amount, int) or not rule.minimum <= amount <= rule.maximum:
        unit = "días hábiles" if rule.unit is TermUnit.BUSINESS_DAYS else "horas"
        problems.add(rule.field, f"el término que fija el juez va de {rule.minimum} a {rule.maximum} {unit} "
                                 f"({rule.source.split(':')[0]})")
    at = notified_at or now
    if at.utcoffset() is None:
        problems.add("notified_at", "indique la fecha y hora con su zona horaria")
    elif (at - now).total_seconds() > _SKEW_SECONDS:
        problems.add("notified_at", "la notificación no puede ser posterior a este momento")
    problems.raise_if_any()
    policy = judicial_policy(case, catalog)
    if policy is None or catalog.calendar is None:
        raise InvalidOperation("solo una acción de tutela recibe los términos que fija el juez")
    if not case.is_open:
        raise InvalidOperation("el caso está cerrado; reábralo para registrar la notificación")
    term = Term(amount, rule.unit)
    due = term.deadline(at, catalog.calendar)
    return ev.TermStarted(
        case_id=case.id, actor=actor, occurred_at=now, policy=policy.code, policy_label=rule.label,
        source=rule.source, term=term, first_response_term=None, first_response_due=None, resolution_due=due,
        reason=f"{rule.event[0].upper()}{rule.event[1:]}: el juez fijó {term.describe()}",
        alarms=alarm_schedule(at, due, catalog.calendar, catalog.alarm_fractions),
        counted_from=at, new_term=True)


def awaiting_line(case: Case, catalog: Catalog) -> str | None:
    """What a tutela without a term is waiting for, in Spanish (``None`` for any other case)."""
    if case.term is not None or judicial_policy(case, catalog) is None:
        return None
    return ("Acción de tutela: no corre ningún término desde la radicación. El término del informe "
            "empieza cuando se registra la notificación del auto admisorio, con los días que fije el juez "
            "(1 a 3, Decreto 2591 de 1991 art. 19); el del cumplimiento, con la notificación del fallo "
            "(hasta 48 horas, arts. 27 y 29 num. 5).")
