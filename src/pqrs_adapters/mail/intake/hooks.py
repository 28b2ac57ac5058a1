"""Where other parts of pqrs plug into the intake.

``on_third_party_reply``: a reply on a case from an address that is not the requester's. When the case
has an open escalation to a third party whose address is the sender's, the escalation feature
registers a handler that records it as the third party's message; a handler returns ``True`` when it
took the message. When none does, the intake records it as an internal note, flagged as not the
requester's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from pqrs_core.domain.case import Case

from .parsing import ParsedMail

if TYPE_CHECKING:
    from .transaction import IntakeTransaction


@attrs.frozen
class ThirdPartyMessage:
    """A reply from someone other than the requester, with what a handler needs to record it."""

    mail: ParsedMail
    sender: str
    text: str  # quoted history and signature trimmed
    # The intake's transaction: ``transaction.run(command)`` runs a core command in it (in a savepoint),
    # ``transaction.uow`` and ``transaction.conn`` reach the store. Never commit: the intake does.
    transaction: IntakeTransaction


ThirdPartyHandler = Callable[[Case, ThirdPartyMessage], bool]

_HANDLERS: list[ThirdPartyHandler] = []


def register_third_party_handler(handler: ThirdPartyHandler) -> None:
    """Add ``handler`` (once); handlers are asked in the order they were registered."""
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)


def unregister_third_party_handler(handler: ThirdPartyHandler) -> None:
    if handler in _HANDLERS:
        _HANDLERS.remove(handler)


def on_third_party_reply(case: Case, message: ThirdPartyMessage) -> bool:
    """Offer the message to the registered handlers; ``True`` when one recorded it."""
    return any(handler(case, message) for handler in list(_HANDLERS))
