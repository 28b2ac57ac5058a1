"""Work across areas: internal requests (solicitudes internas, seed 004: «coordinar el flujo de
actividades entre áreas»; «fusionar las respuestas de varias áreas»).

From a case, staff ask another area (a queue) for something the answer needs — a figure, a report, a
decision — with an internal due date. The due date must fall inside the case's legal term (Ley 1755 de
2015 art. 14 sets the term for the answer to the requester; an area's input that arrives after it is
of no use), and not before today. A member of that area answers; the case shows each request's state
(pending, answered, overdue), the area sees its pending requests, and the response composer offers
the answers gathered. Internal due dates alarm like terms: the sweep tells the area the business day
before (``soon``) and once the day has passed unanswered (``overdue``).

Everything here is staff only: it never reaches the requester.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs

from . import events as ev
from .catalog import Catalog
from .errors import InvalidOperation, NotFound, Problems
from .values import MAX_LONG_TEXT, check_text

if TYPE_CHECKING:
    from .case import Case

SOON, OVERDUE = "soon", "overdue"
STAFF_ONLY = (ev.InternalRequestSent, ev.InternalRequestAnswered, ev.InternalRequestAlarmRaised)


class RequestState(enum.StrEnum):
    PENDING = "pending"
    ANSWERED = "answered"
    OVERDUE = "overdue"


STATE_LABELS = {RequestState.PENDING: "Pendiente", RequestState.ANSWERED: "Respondida",
                RequestState.OVERDUE: "Vencida"}


@attrs.frozen
class InternalRequest:
    id: str
    queue: str
    text: str
    due: date
    requested_by: str
    requested_at: datetime
    soon_at: datetime
    overdue_at: datetime
    answer: str | None = None
    answered_by: str | None = None
    answered_at: datetime | None = None
    alarms_raised: tuple[str, ...] = ()

    def state(self, now: datetime) -> RequestState:
        if self.answered_at is not None:
            return RequestState.ANSWERED
        return RequestState.OVERDUE if now >= self.overdue_at else RequestState.PENDING

    @property
    def next_alarm_at(self) -> datetime | None:
        if self.answered_at is not None:
            return None
        pending = [at for level, at in ((SOON, self.soon_at), (OVERDUE, self.overdue_at))
                   if level not in self.alarms_raised]
        return min(pending) if pending else None


def request(case: Case, *, request_id: str, queue: str, text: str, due: date | None, catalog: Catalog,
            actor: str, now: datetime, timezone: str) -> ev.InternalRequestSent:
    """The event of asking ``queue`` for ``text`` by ``due``; refused (``ValidationError`` naming the
    field) when the area, the text or the date is not acceptable. Dates are the organisation's, in
    ``timezone`` when the catalog has no calendar yet."""
    if not case.is_open:
        raise InvalidOperation("el caso está cerrado: no se pueden hacer solicitudes internas")
    problems = Problems()
    known = {q.code: q for q in catalog.queues}
    if queue not in known or not known[queue].active:
        problems.add("queue", "elija un área (cola) de la lista")
    elif queue == case.queue:
        problems.add("queue", "el caso ya está en esa cola: elija otra área")
    check_text(problems, "text", text, max_length=MAX_LONG_TEXT, required=True)
    calendar = catalog.calendar
    zone = ZoneInfo(timezone)
    today = calendar.local_date(now) if calendar is not None else now.astimezone(zone).date()
    if due is None:
        problems.add("due", "escriba la fecha interna de respuesta")
    elif due < today:
        problems.add("due", "la fecha interna no puede ser anterior a hoy")
    elif case.resolution_due is not None:
        due_at = case.resolution_due
        legal = calendar.local_date(due_at) if calendar is not None else due_at.astimezone(zone).date()
        if due > legal:
            problems.add("due", "la fecha interna debe caer dentro del término legal del caso, que vence el "
                                f"{legal.strftime('%d/%m/%Y')}")
    problems.raise_if_any()
    assert due is not None
    if calendar is not None:
        overdue_at = calendar.end_of_day(due)
        previous = calendar.add_business_days(due, -1)
        soon_at = max(now, datetime.combine(previous, time(0), calendar.zone))
    else:
        overdue_at = datetime.combine(due, time.max, now.tzinfo)
        soon_at = now
    return ev.InternalRequestSent(case_id=case.id, actor=actor, occurred_at=now, request_id=request_id,
                                  queue=queue, text=text.strip(), due=due, soon_at=soon_at,
                                  overdue_at=overdue_at)


def find(requests: Sequence[InternalRequest], request_id: str) -> InternalRequest:
    for item in requests:
        if item.id == request_id:
            return item
    raise NotFound("la solicitud interna", request_id)


def answer(case: Case, request_id: str, text: str, *, actor: str, queues: frozenset[str],
           now: datetime) -> ev.InternalRequestAnswered:
    """The event of ``actor`` (member of ``queues``) answering the request; only its area answers."""
    item = find(case.internal_requests, request_id)
    if item.answered_at is not None:
        raise InvalidOperation("la solicitud interna ya fue respondida")
    if item.queue not in queues:
        raise InvalidOperation("solo las personas del área a la que se pidió pueden responder")
    problems = Problems()
    check_text(problems, "answer", text, max_length=MAX_LONG_TEXT, required=True)
    problems.raise_if_any()
    return ev.InternalRequestAnswered(case_id=case.id, actor=actor, occurred_at=now, request_id=request_id,
                                      queue=item.queue, answer=text.strip())


def due_alarms(case: Case, actor: str, now: datetime) -> list[ev.DomainEvent]:
    """The alarms of the case's unanswered requests whose time has come (each once)."""
    found: list[ev.DomainEvent] = []
    for item in case.internal_requests:
        if item.answered_at is not None:
            continue
        for level, at in ((SOON, item.soon_at), (OVERDUE, item.overdue_at)):
            if at <= now and level not in item.alarms_raised:
                found.append(ev.InternalRequestAlarmRaised(case_id=case.id, actor=actor, occurred_at=now,
                                                           request_id=item.id, queue=item.queue, level=level,
                                                           due=item.due))
    return found


def applied(requests: tuple[InternalRequest, ...], event: ev.DomainEvent) -> tuple[InternalRequest, ...]:
    """``requests`` after ``event``."""
    match event:
        case ev.InternalRequestSent():
            return (*requests, InternalRequest(event.request_id, event.queue, event.text, event.due,
                                               event.actor, event.occurred_at, event.soon_at,
                                               event.overdue_at))
        case ev.InternalRequestAnswered():
            return tuple(attrs.evolve(r, answer=event.answer, answered_by=event.actor,
                                      answered_at=event.occurred_at) if r.id == event.request_id else r
                         for r in requests)
        case ev.InternalRequestAlarmRaised():
            return tuple(attrs.evolve(r, alarms_raised=(*r.alarms_raised, event.level))
                         if r.id == event.request_id else r for r in requests)
    return requests
