"""Voiding (anulación) instead of deleting.

A filed case, or an outgoing filing number, is never deleted: the public archive law (Ley 594 de 2000,
art. 4 and 11; Acuerdo 004 de 2019 del AGN) requires every record produced to be kept under the
retention tables, and CPACA (Ley 1437 de 2011, art. 7 and 15) makes the filing number the proof that the
petition was received. So a mistaken or duplicate record is voided: someone asks for it with a reason,
a second person holding another role approves (or rejects) it, and an approved request becomes a
numbered voiding record (``AN-2026-000001``, its own series, one counter per year in the organisation's
zone). The voided record stays readable to auditors; its number is never handed out again.

``target_kind`` names what is voided (``case``; ``outgoing_number`` for an answer's outgoing filing
number) and ``target`` which one (the filing number).
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from datetime import datetime

import attrs

from . import events as ev
from .errors import Forbidden, InvalidOperation, ValidationError
from .values import Actor

SERIES = "AN"  # the voiding records' own series: AN-<year>-<number>
# The counter's key in the filing sequences: never a filing prefix (they are letters only).
SEQUENCE = "voiding:AN"
MAX_REASON = 2000
# The deliberation on a voiding request is for the staff: the requester sees only its outcome.
STAFF_ONLY = (ev.VoidingRequested, ev.VoidingRejected)


class TargetKind(enum.StrEnum):
    CASE = "case"
    OUTGOING_NUMBER = "outgoing_number"


class VoidingStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class SamePerson(Forbidden):
    """The person who asked for a voiding tried to decide it: two people are needed."""

    code = "same-person"

    def __init__(self) -> None:
        super().__init__("Quien solicitó la anulación no puede decidirla: debe hacerlo otra persona")


class SameRole(Forbidden):
    """The decider holds no approving role other than the requester's roles."""

    code = "same-role"

    def __init__(self, roles: Collection[str]) -> None:
        self.roles = tuple(sorted(roles))
        super().__init__("La anulación debe decidirla alguien con un rol distinto al de quien la solicitó "
                         f"({', '.join(self.roles) or 'sin rol'})")


def record_number(year: int, sequence: int) -> str:
    """The voiding record's number: ``AN-2026-000001``."""
    return f"{SERIES}-{year}-{sequence:06d}"


@attrs.define(kw_only=True)
class Voiding:
    """A voiding request and, once approved, the voiding record it became (``number``)."""

    id: str
    target_kind: TargetKind
    target: str
    reason: str
    requested_by: str
    requester_roles: frozenset[str]
    requested_at: datetime
    status: VoidingStatus = VoidingStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str = ""
    number: str | None = None

    @classmethod
    def request(cls, id: str, target_kind: str, target: str, reason: str, *, actor: Actor,
                now: datetime) -> Voiding:
        try:
            kind = TargetKind(target_kind)
        except ValueError:
            raise ValidationError({"target_kind": "debe ser «case» u «outgoing_number»"}) from None
        text = reason.strip()
        if not text:
            raise ValidationError({"reason": "escriba el motivo de la anulación"})
        if len(text) > MAX_REASON:
            raise ValidationError({"reason": f"como máximo {MAX_REASON} caracteres"})
        return cls(id=id, target_kind=kind, target=target, reason=text, requested_by=actor.username,
                   requester_roles=frozenset(actor.roles), requested_at=now)

    def check_decider(self, actor: Actor, approving_roles: Collection[str]) -> None:
        """Separation of duties: not the requester, and holding an approving role (of
        ``approving_roles``, those of the actor's roles that grant the approval) the requester did
        not hold when asking."""
        if self.status is not VoidingStatus.PENDING:
            raise InvalidOperation("la solicitud de anulación ya fue decidida")
        if actor.username == self.requested_by:
            raise SamePerson()
        if not set(approving_roles) - self.requester_roles:
            raise SameRole(self.requester_roles)

    def approve(self, number: str, *, actor: Actor, now: datetime) -> None:
        self.status, self.number = VoidingStatus.APPROVED, number
        self.decided_by, self.decided_at = actor.username, now

    def reject(self, note: str, *, actor: Actor, now: datetime) -> None:
        text = note.strip()
        if len(text) > MAX_REASON:
            raise ValidationError({"note": f"como máximo {MAX_REASON} caracteres"})
        self.status, self.note = VoidingStatus.REJECTED, text
        self.decided_by, self.decided_at = actor.username, now
