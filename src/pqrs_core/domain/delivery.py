"""Proof of notification: how each communication to the requester reached them, and when.

The legal term of a petition is met when its answer is *notified*, not when it is written (CPACA, Ley
1437 de 2011, arts. 67-69; Ley 1755 de 2015 art. 14: the petition must be resolved *and notified*
within the term). Every way a communication travels is recorded as an event of the case's history:

- **e-mail** (``EmailDeliveryRecorded``): ``sent`` when the outgoing server accepted it, ``bounced``
  when a delivery status notification (RFC 3464) came back. Electronic notification is surtida from
  the date and time the addressee accesses the act, as the administration certifies it (CPACA art. 56,
  as amended by Ley 2080 de 2021 art. 10); the certified instant the application holds is the server's
  acceptance, so an e-mail counts from when it was sent, until a bounce voids it.
- **portal** (``ReadInPortal``): the requester opened the case in the portal and saw the answer; the
  instant they did is the notification (the access art. 56 speaks of).
- **in person** (``DeliveredInPerson``): personal notification (art. 67), with the signed receipt.
- **courier** (``CourierDeliveryRecorded``): dispatched, delivered or returned (with the reason), with
  the company, the guide number and the proof file; delivery is the notification.
- **aviso** (``NoticePublished``): when the requester cannot be reached (a bounce, returned mail, no
  address), the notice is published on the website for five business days and the notification is
  surtida at the end of the day after it is withdrawn (art. 69, second paragraph). Days in legal
  terms are business days (Ley 4 de 1913 art. 62).

A case's answer is notified at the earliest instant any channel, as it stands now, counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

import attrs

from . import events as ev
from .calendar import BusinessCalendar
from .errors import InvalidOperation, Problems
from .values import MAX_LONG_TEXT, MAX_SHORT_TEXT, check_text

if TYPE_CHECKING:
    from .case import Case

# The communications whose delivery is proven (the templates the outbox sends them with).
RESPONSE = "response"
COMMUNICATIONS = (RESPONSE, "information_request", "extension")
EMAIL, PORTAL, IN_PERSON, COURIER, AVISO = "email", "portal", "in_person", "courier", "aviso"
SENT, BOUNCED, READ, DELIVERED, DISPATCHED, RETURNED, PUBLISHED = (
    "sent", "bounced", "read", "delivered", "dispatched", "returned", "published")
COURIER_STATUSES = (DISPATCHED, DELIVERED, RETURNED)
FAILED = frozenset({BOUNCED, RETURNED})
# Art. 69: the aviso stays published five days.
AVISO_DAYS = 5


@attrs.frozen
class Delivery:
    """One step of a communication's way to the requester. ``notifies_at``: the instant it counts as
    notification (``None`` while on its way, or when it failed)."""

    communication: str
    channel: str
    status: str
    at: datetime
    detail: str | None = None
    notifies_at: datetime | None = None
    until: date | None = None  # an aviso: the last day it is published



def delivery_of(event: ev.DomainEvent) -> Delivery | None:
    """The step ``event`` records (``None`` for other events)."""
    match event:
        case ev.EmailDeliveryRecorded():
            detail = event.reason if event.status == BOUNCED else event.address
            return Delivery(event.communication, EMAIL, event.status, event.occurred_at, detail,
                            event.occurred_at if event.status == SENT else None)
        case ev.ReadInPortal():
            return Delivery(event.communication, PORTAL, READ, event.occurred_at, None, event.occurred_at)
        case ev.DeliveredInPerson():
            return Delivery(event.communication, IN_PERSON, DELIVERED, event.occurred_at,
                            event.received_by, event.occurred_at)
        case ev.CourierDeliveryRecorded():
            detail = f"{event.company} · guía {event.guide}"
            detail += f" · {event.reason}" if event.reason else ""
            return Delivery(event.communication, COURIER, event.status, event.occurred_at, detail,
                            event.occurred_at if event.status == DELIVERED else None)
        case ev.NoticePublished():
            return Delivery(event.communication, AVISO, PUBLISHED, event.occurred_at,
                            event.published_from.isoformat(), event.notified_at, event.published_until)
    return None


def applied(deliveries: tuple[Delivery, ...], event: ev.DomainEvent) -> tuple[Delivery, ...]:
    """``deliveries`` after ``event``: a new response starts its proof anew."""
    if isinstance(event, ev.CaseResponded):
        return tuple(d for d in deliveries if d.communication != RESPONSE)
    step = delivery_of(event)
    return deliveries if step is None else (*deliveries, step)


def current(deliveries: Iterable[Delivery], communication: str = RESPONSE) -> dict[str, Delivery]:
    """The last step of each channel of ``communication``."""
    last: dict[str, Delivery] = {}
    for step in deliveries:
        if step.communication == communication:
            last[step.channel] = step
    return last


def notified_at(deliveries: Iterable[Delivery], communication: str = RESPONSE) -> datetime | None:
    """When ``communication`` was notified: the earliest instant a channel, as it stands, counts."""
    instants = [d.notifies_at for d in current(deliveries, communication).values() if d.notifies_at]
    return min(instants, default=None)


def failed(case: Case, communication: str = RESPONSE) -> bool:
    """Whether ``communication`` could not reach the requester: nothing counts as notified and a
    channel failed (a bounce, returned mail), or the case has no way to reach them (no e-mail, no
    address) once it was answered."""
    if notified_at(case.deliveries, communication) is not None:
        return False
    last = current(case.deliveries, communication)
    if AVISO in last:
        return False  # the legal alternative is under way
    if any(d.status in FAILED for d in last.values()):
        return True
    answered = communication != RESPONSE or case.responded_at is not None
    return answered and not (case.requester.email or case.requester.address)


def notified_in_time(case: Case) -> bool | None:
    """Whether the answer was notified within the term (``None``: no term, or not notified yet).
    The deadline is the one the term engine keeps (business days or hours, pauses, extension)."""
    instant = notified_at(case.deliveries)
    if instant is None or case.resolution_due is None:
        return None
    return instant <= case.resolution_due


def aviso_period(calendar: BusinessCalendar, now: datetime) -> tuple[date, date, datetime]:
    """The days an aviso published at ``now`` stays on the website (from the first business day on or
    after today, five business days) and the instant the notification is surtida: the end of the
    business day after its withdrawal (CPACA art. 69)."""
    first = calendar.business_day_on_or_after(calendar.local_date(now))
    last = calendar.add_business_days(first, AVISO_DAYS - 1)
    return first, last, calendar.end_of_day(calendar.next_business_day(last))


def _communication(problems: Problems, communication: str) -> None:
    if communication not in COMMUNICATIONS:
        problems.add("communication", f"comunicación desconocida: {communication}")


def _sent(case: Case, communication: str) -> None:
    if communication == RESPONSE and case.responded_at is None:
        raise InvalidOperation("el caso aún no tiene respuesta que notificar")


def email_recorded(case: Case, communication: str, status: str, *, address: str | None,
                   message_id: str | None, reason: str | None, actor: str,
                   now: datetime) -> ev.EmailDeliveryRecorded:
    problems = Problems()
    _communication(problems, communication)
    if status not in (SENT, BOUNCED):
        problems.add("status", f"estado de correo desconocido: {status}")
    problems.raise_if_any()
    return ev.EmailDeliveryRecorded(case_id=case.id, actor=actor, occurred_at=now,
                                    communication=communication, status=status, address=address,
                                    message_id=message_id,
                                    reason=(reason or "").strip()[:MAX_SHORT_TEXT] or None)


def portal_read(case: Case, actor: str, now: datetime) -> ev.ReadInPortal | None:
    """The requester saw the answer in the portal: recorded the first time only (``None`` after, and
    while there is no answer)."""
    if case.responded_at is None or PORTAL in current(case.deliveries):
        return None
    return ev.ReadInPortal(case_id=case.id, actor=actor, occurred_at=now, communication=RESPONSE)


def in_person(case: Case, communication: str, received_by: str, receipt: str, *, actor: str,
              now: datetime) -> ev.DeliveredInPerson:
    """Personal notification (CPACA art. 67) with the signed receipt, an attachment of the case."""
    problems = Problems()
    _communication(problems, communication)
    check_text(problems, "received_by", received_by, max_length=MAX_SHORT_TEXT, required=True)
    if not any(a.id == receipt for a in case.attachments):
        problems.add("receipt", "adjunte el recibido firmado")
    problems.raise_if_any()
    _sent(case, communication)
    return ev.DeliveredInPerson(case_id=case.id, actor=actor, occurred_at=now, communication=communication,
                                received_by=received_by.strip(), receipt=receipt)


def courier(case: Case, communication: str, company: str, guide: str, status: str, *, reason: str | None,
            proof: str | None, actor: str, now: datetime) -> ev.CourierDeliveryRecorded:
    """A step of a delivery by courier: a return says why."""
    problems = Problems()
    _communication(problems, communication)
    check_text(problems, "company", company, max_length=MAX_SHORT_TEXT, required=True)
    check_text(problems, "guide", guide, max_length=MAX_SHORT_TEXT, required=True)
    if status not in COURIER_STATUSES:
        problems.add("status", f"estado de envío desconocido: {status}")
    if status == RETURNED:
        check_text(problems, "reason", reason or "", max_length=MAX_LONG_TEXT, required=True)
    if proof is not None and not any(a.id == proof for a in case.attachments):
        problems.add("proof", "el soporte no es un adjunto del caso")
    problems.raise_if_any()
    _sent(case, communication)
    return ev.CourierDeliveryRecorded(case_id=case.id, actor=actor, occurred_at=now,
                                      communication=communication, company=company.strip(),
                                      guide=guide.strip(), status=status,
                                      reason=(reason or "").strip() or None, proof=proof)


def notice_published(case: Case, calendar: BusinessCalendar, *, actor: str,
                     now: datetime) -> ev.NoticePublished:
    """Publish the aviso of the answer (art. 69): only when the answer could not be notified."""
    _sent(case, RESPONSE)
    if not failed(case):
        raise InvalidOperation("el aviso se publica cuando la respuesta no pudo notificarse")
    first, last, surtida = aviso_period(calendar, now)
    return ev.NoticePublished(case_id=case.id, actor=actor, occurred_at=now, communication=RESPONSE,
                              published_from=first, published_until=last, notified_at=surtida)
