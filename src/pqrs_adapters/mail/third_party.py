"""The third party's replies coming back by e-mail. The mail intake offers a reply on a case from an
address that is not the requester's to ``take_third_party_reply`` (its ``on_third_party_reply`` hook):
from the address the case is escalated to («con tercero») it is recorded as the third party's message
(staff only), the case comes back to work and its assignee is told. ``record_third_party_reply`` does
the same for a reply that arrives any other way."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import DomainError
from pqrs_core.domain.values import MAX_LONG_TEXT, Actor
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:
    from .intake.hooks import ThirdPartyMessage

# Who records what arrives by e-mail (a system actor: it may act on any case).
MAIL_ACTOR = Actor("correo", frozenset({"system"}))
NO_TEXT = "(mensaje sin texto)"


def clip(text: str, limit: int = MAX_LONG_TEXT) -> str:
    """``text`` within what a message may hold (a longer reply keeps its beginning; the full message
    stays with the intake's evidence)."""
    text = text.strip() or NO_TEXT
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escalated_to(case: Case, sender: str) -> bool:
    """Whether ``case`` is «con tercero» with ``sender`` (compared without case)."""
    held = case.third_party
    return held is not None and held.address.casefold() == sender.strip().casefold()


def record_third_party_reply(bus: Pqrs, filing_number: str, sender: str, text: str,
                             received_at: datetime | None = None) -> Case:
    """Record ``text`` from ``sender`` on the case as the third party's message (staff only), received
    at ``received_at`` (aware; now when not given)."""
    case: Case = bus.handle(c.RecordThirdPartyReply(filing_number=filing_number, message=clip(text),
                                                    sender=sender, received_at=received_at), MAIL_ACTOR)
    return case


def take_third_party_reply(case: Case, message: ThirdPartyMessage) -> bool:
    """The intake's ``on_third_party_reply`` handler: ``True`` when ``message`` came from the address
    ``case`` is escalated to and was recorded as the third party's message (in the intake's
    transaction); ``False`` leaves it to the intake (a flagged internal note)."""
    if not escalated_to(case, message.sender):
        return False
    try:
        message.transaction.run(c.RecordThirdPartyReply(
            filing_number=str(case.filing_number), message=clip(message.text), sender=message.sender,
            received_at=message.received_at))
    except DomainError:
        return False
    return True
