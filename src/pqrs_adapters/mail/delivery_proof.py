"""The outbox's part in the proof of notification: a communication to the requester (the response, an
information request, an extension notice) accepted by the mail server is recorded on its case as
sent, with its Message-ID and addresses (``pqrs_core.domain.delivery``; a bounce that comes back later
is recorded by the intake, ``intake.receive``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pqrs_core.domain import commands as c
from pqrs_core.domain.delivery import COMMUNICATIONS, SENT
from pqrs_core.domain.notifications import REQUESTER
from pqrs_core.domain.values import Actor
from pqrs_core.services.messagebus import Pqrs

from .worker import OutboxRow


def recorder(pqrs: Pqrs) -> Callable[[OutboxRow, str, Sequence[str]], None]:
    """``DeliveryOptions.on_sent`` for ``pqrs``: records the communications, ignores the rest."""

    def record(row: OutboxRow, message_id: str, addresses: Sequence[str]) -> None:
        if row.recipient != REQUESTER or row.template not in COMMUNICATIONS:
            return
        pqrs.handle(c.RecordEmailDelivery(filing_number=row.filing_number, communication=row.template,
                                          status=SENT, address=", ".join(addresses), message_id=message_id),
                    Actor.system())

    return record
