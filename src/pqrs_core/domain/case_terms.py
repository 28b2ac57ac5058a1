"""The term clock of a case: which policy applies, when it is due, pauses and the one extension.

These functions compute the events; ``Case._apply`` applies them. Everything a deadline depends on
is in the events (the policy, the term, the computed dates), so the history explains every deadline.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from . import events as ev
from .catalog import Catalog
from .errors import InvalidOperation, Problems, ValidationError
from .sla import (
    Alarm,
    Pause,
    TermReading,
    TermStatus,
    TermTrigger,
    alarm_schedule,
    read_term,
    select_policy,
    shifted_deadline,
)
from .term_left import left_at, left_while_paused, paused_left
from .terms import Extension, rule_for
from .values import MAX_LONG_TEXT, check_text
from .workflow import StateCategory

if TYPE_CHECKING:
    from .case import Case


def term_start(case: Case) -> datetime:
    """The instant the resolution term counts from: the reception, or the arrival of the missing items
    of an incomplete petition (Ley 1755 de 2015 art. 17)."""
    return case.term_from or case.received_at


def term_started(case: Case, catalog: Catalog, actor: str, now: datetime, reason: str,
                 counted_from: datetime | None = None, *, new_term: bool = False,
                 policy_code: str | None = None) -> ev.TermStarted | None:
    """The ``TermStarted`` event for the policy that applies now, or ``None`` when no calendar or
    policy applies, or nothing would change. With ``counted_from`` the term starts again from that
    instant and earlier pauses no longer count; a ``new_term`` (after a reopening) also drops the
    earlier extension. ``policy_code`` names the policy to use instead of the one the case selects
    (when it exists and is active)."""
    calendar = catalog.calendar
    if calendar is None or not catalog.term_policies:
        return None
    day = calendar.local_date(case.received_at)
    named = next((p for p in catalog.term_policies if p.code == policy_code and p.active), None)
    public = catalog.public_functions
    named_rule = rule_for(named.resolution, day, public) if named is not None else None
    chosen = ((named, named_rule) if named is not None and named_rule is not None
              else select_policy(catalog.term_policies, case, day, public))
    if chosen is None or chosen[0].trigger is not TermTrigger.RECEPTION:
        return None  # a judge's notice starts a tutela's terms (judicial_terms.py); some kinds get none
    policy, rule = chosen
    start = counted_from or term_start(case)
    pauses = () if counted_from else case.pauses
    due = shifted_deadline(rule.term, start, calendar, pauses, extra=0 if new_term else case.extended_by)
    first_rule = None
    if policy.first_response:
        first_rule = rule_for(policy.first_response, calendar.local_date(case.received_at), public)
    first_due = (shifted_deadline(first_rule.term, start, calendar, pauses)
                 if first_rule is not None else None)
    unchanged = (case.term_policy, case.term, case.resolution_due, case.first_response_due) == (
        policy.code, rule.term, due, first_due)
    if counted_from is None and unchanged:
        return None
    return ev.TermStarted(case_id=case.id, actor=actor, occurred_at=now, policy=policy.code,
                          policy_label=policy.label, source=rule.source or policy.source, term=rule.term,
                          first_response_term=first_rule.term if first_rule else None,
                          first_response_due=first_due, resolution_due=due, reason=reason,
                          alarms=_schedule(start, due, catalog), counted_from=counted_from,
                          new_term=new_term,
                          paused_left=None if counted_from else left_while_paused(case, due, calendar))


def _schedule(start: datetime, due: datetime, catalog: Catalog) -> tuple[Alarm, ...]:
    assert catalog.calendar is not None
    return alarm_schedule(start, due, catalog.calendar, catalog.alarm_fractions)


def clock_events(case: Case, before: StateCategory, after: StateCategory, catalog: Catalog, actor: str,
                 now: datetime, state_label: str = "") -> list[ev.DomainEvent]:
    """Entering a waiting state pauses the term; leaving it resumes the term with its deadline pushed
    back by the business time the pause covered. Entering a done state, whichever the workflow, ends
    the term there (met or missed)."""
    if case.resolution_due is None or case.term is None or catalog.calendar is None:
        return []
    if after is StateCategory.DONE and before is not StateCategory.DONE:
        return [ev.TermEnded(case_id=case.id, actor=actor, occurred_at=now, state=case.state,
                             state_label=state_label, due=case.resolution_due, met=_in_time(case, now))]
    suspended = bool(case.pauses) and case.pauses[-1].end is None  # staff stopped it (term_suspension)
    if after is StateCategory.WAITING and before is not StateCategory.WAITING and not suspended:
        return [ev.TermPaused(case_id=case.id, actor=actor, occurred_at=now, due_before=case.resolution_due,
                              left=left_at(case.term, case.resolution_due, now, catalog.calendar))]
    if (before is StateCategory.WAITING and after is not StateCategory.WAITING and suspended
            and case.pauses[-1].cause is None  # a suspension ends only when staff end it
            and case.completion_due is None):  # an incomplete petition is decided apart (art. 17)
        resumed = term_resumed(case, catalog, actor, now)
        return [resumed] if resumed is not None else []
    return []


def term_resumed(case: Case, catalog: Catalog, actor: str, now: datetime) -> ev.TermResumed | None:
    """The term runs again at ``now`` after its open pause, its deadline pushed back by the business
    time the pause covered (``None`` when the case has no term or no open pause)."""
    if (case.term is None or catalog.calendar is None or not case.pauses
            or case.pauses[-1].end is not None):
        return None
    start = case.pauses[-1].start
    pauses = (*case.pauses[:-1], Pause(start, now))
    due = shifted_deadline(case.term, term_start(case), catalog.calendar, pauses, extra=case.extended_by)
    return ev.TermResumed(case_id=case.id, actor=actor, occurred_at=now, paused_since=start,
                          due_after=due, alarms=_schedule(term_start(case), due, catalog))


def _in_time(case: Case, now: datetime) -> bool:
    """Whether the term ends in time at ``now``: before its deadline, or while a pause that began in
    time still holds the clock (the requester's silence does not count against the organisation)."""
    assert case.resolution_due is not None
    open_pause = case.pauses[-1] if case.pauses and case.pauses[-1].end is None else None
    return now <= case.resolution_due or (open_pause is not None
                                           and open_pause.start <= case.resolution_due)


def term_ended_at(case: Case) -> datetime | None:
    """When the case's current term ended (``None`` while it runs). A case stored done before its
    snapshot recorded the end reads as ended at its response or closing."""
    if case.term_ended_at is not None or case.is_open:
        return case.term_ended_at
    return case.responded_at or case.closed_at or case.updated_at


def term_extended(case: Case, extra: int | None, reason: str, catalog: Catalog, actor: str,
                  now: datetime) -> ev.TermExtended:
    """A prórroga: once per case, with a reason, before the deadline, at most what the rule allows
    (by default the original term again, so never beyond double: CPACA art. 14 parágrafo)."""
    problems = Problems()
    check_text(problems, "reason", reason, max_length=MAX_LONG_TEXT, required=True)
    problems.raise_if_any()
    if case.term is None or case.resolution_due is None or catalog.calendar is None:
        raise InvalidOperation("el caso no tiene un término que prorrogar")
    policy = next((p for p in catalog.term_policies if p.code == case.term_policy), None)
    if policy is not None and policy.trigger is TermTrigger.JUDICIAL_NOTICE:
        raise ValidationError({"extra": "el término que fija el juez no admite prórroga (Decreto 2591 de "
                                        "1991 art. 15: términos perentorios e improrrogables)"})
    if case.extended_by:
        raise InvalidOperation("el término de este caso ya fue prorrogado una vez")
    if now > case.resolution_due:
        raise InvalidOperation("la prórroga se decide antes del vencimiento del término")
    if not case.is_open:
        raise InvalidOperation("no se prorroga el término de un caso cerrado")
    day = catalog.calendar.local_date(case.received_at)
    rule = rule_for(policy.resolution, day, catalog.public_functions) if policy else None
    extension = (rule.extension if rule is not None and rule.extension is not None else Extension())
    try:
        extension.extend(case.term, extra)
    except ValidationError as exc:
        raise ValidationError({"extra": next(iter(exc.errors.values()))}) from None
    amount = extra if extra is not None else extension.max_extra(case.term)
    due = shifted_deadline(case.term, term_start(case), catalog.calendar, case.pauses, extra=amount)
    return ev.TermExtended(case_id=case.id, actor=actor, occurred_at=now, extra=amount,
                           reason=reason.strip(), due_before=case.resolution_due, due_after=due,
                           alarms=_schedule(term_start(case), due, catalog),
                           paused_left=left_while_paused(case, due, catalog.calendar))


def due_alarms(case: Case, catalog: Catalog, actor: str, now: datetime) -> list[ev.DomainEvent]:
    """The alarms whose time has come (each once per case) and, when the deadline itself has passed
    unanswered, the escalation: to the queue of the next tier, unassigned; with no tier above, the
    case stays where it is and the supervisors are told (``CaseEscalated`` with the same queue)."""
    if (case.term_alarm_at is None or case.term_alarm_at > now or case.resolution_due is None
            or term_ended_at(case) is not None):  # a finished term raises nothing
        return []
    found: list[ev.DomainEvent] = []
    for alarm in case.alarms:
        if alarm.at <= now and alarm.fraction not in case.alarms_raised:
            found.append(ev.TermAlarmRaised(case_id=case.id, actor=actor, occurred_at=now,
                                            fraction=alarm.fraction, due=case.resolution_due))
            if alarm.fraction >= 1:
                upper = catalog.next_queue(case.queue) if case.queue else None
                found.append(ev.CaseEscalated(
                    case_id=case.id, actor=actor, occurred_at=now, queue_before=case.queue,
                    queue_after=upper.code if upper else case.queue,
                    reason="Venció el término sin respuesta"))
    return found


def reading(case: Case, catalog: Catalog, now: datetime, risk_threshold: float = 0.8) -> TermReading | None:
    """Where the case's resolution term stands at ``now`` (``None`` without a term). While the case
    waits for the requester the clock stands where it stopped: a pause that began in time is read at
    its start (the deadline moves when the term resumes), never as overdue."""
    if case.resolution_due is None or catalog.calendar is None:
        return None
    paused = case.state_category is StateCategory.WAITING or (
        bool(case.pauses) and case.pauses[-1].end is None)  # or suspended by staff (term_suspension)
    if paused and case.pauses and case.pauses[-1].end is None and case.pauses[-1].start < case.resolution_due:
        now = min(now, case.pauses[-1].start)
    ended = term_ended_at(case)
    met = ended is not None and (ended <= case.resolution_due or _in_time(case, ended))
    current = read_term(start=term_start(case), due=case.resolution_due, now=now, calendar=catalog.calendar,
                        answered_at=ended, met=met, paused=paused, risk_threshold=risk_threshold)
    if current.status is TermStatus.PAUSED:
        # The stored deadline moves when the term resumes: what holds is the time left and since when.
        left = paused_left(case, catalog.calendar)
        if left is not None:
            current = attrs.evolve(current, paused_since=case.pauses[-1].start, left=left)
    return current
