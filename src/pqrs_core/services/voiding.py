"""Use cases of voiding (anulación): request, approve, reject (see ``domain.voiding``).

What is voided plugs in through ``TARGETS``: one ``VoidingTarget`` per ``target_kind``, which checks the
target when a voiding is asked for and carries the decision onto it. The ``case`` kind records the
request, the rejection and the voiding in the case's history; an approved voiding takes the case out of
every ordinary listing, count and report, keeping it (and its filing number) for the auditors. The
``outgoing_number`` kind records them in the history of the case the number was given on; a voided
number stays used (its counter never hands it out again) and is shown as voided with its record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from ..domain import commands as c
from ..domain.access import Permission as P
from ..domain.access import Role, permissions_of
from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.errors import InvalidOperation, NotFound, PermissionDenied, ValidationError
from ..domain.notifications import notifications_for
from ..domain.outgoing import search_key
from ..domain.values import Actor, FilingNumber
from ..domain.voiding import SEQUENCE, TargetKind, Voiding, VoidingStatus, record_number
from ..ports import UnitOfWork
from .handlers import Deps


class VoidingTarget(Protocol):
    """What one ``target_kind`` does at each step; each runs inside the use case's transaction."""

    @property
    def permission(self) -> str:
        """The permission that lets someone ask for this kind of voiding."""
        ...

    def requested(self, voiding: Voiding, uow: UnitOfWork, deps: Deps, catalog: Catalog, actor: Actor,
                  approver_roles: Sequence[str]) -> None:
        """Check the target exists and may be voided by ``actor`` (``NotFound`` / ``InvalidOperation``)
        and record the request on it."""
        ...

    def approved(self, voiding: Voiding, uow: UnitOfWork, deps: Deps, actor: Actor) -> None:
        """Void the target under ``voiding.number``."""
        ...

    def rejected(self, voiding: Voiding, uow: UnitOfWork, deps: Deps, actor: Actor) -> None:
        """Record that the request was rejected; the target stays as it was."""
        ...


def _change_case(filing_number: str, uow: UnitOfWork, deps: Deps, change: _CaseChange) -> None:
    case = uow.cases.get(filing_number)
    now = deps.clock.now()
    change(case, now)
    uow.outbox.add(*notifications_for(case, case.events, deps.new_id, now))
    uow.cases.save(case)


class _CaseChange(Protocol):
    def __call__(self, case: Case, now: datetime, /) -> None: ...


class CaseTarget:
    """Voiding a case: its history tells the request, the rejection or the voiding."""

    permission = P.DELETE

    def requested(self, voiding: Voiding, uow: UnitOfWork, deps: Deps, catalog: Catalog, actor: Actor,
                  approver_roles: Sequence[str]) -> None:
        try:
            key = str(FilingNumber.parse(voiding.target))
        except ValueError:
            raise ValidationError({"target": "no es un radicado"}) from None
        voiding.target = key
        case = uow.cases.get(key)
        if case.deleted_at is not None:
            raise NotFound("el caso", key)  # already voided: not among the cases one may void
        case.request_voiding(voiding.id, voiding.reason, approver_roles=approver_roles, actor=actor,
                             now=voiding.requested_at)
        uow.outbox.add(*notifications_for(case, case.events, deps.new_id, voiding.requested_at))
        uow.cases.save(case)

    def approved(self, voiding: Voiding, uow: UnitOfWork, deps: Deps, actor: Actor) -> None:
        assert voiding.number is not None
        record = voiding.number
        _change_case(voiding.target, uow, deps, lambda case, now: case.void(
            voiding.id, record, reason=voiding.reason, requested_by=voiding.requested_by, actor=actor,
            now=now))

    def rejected(self, voiding: Voiding, uow: UnitOfWork, deps: Deps, actor: Actor) -> None:
        _change_case(voiding.target, uow, deps, lambda case, now: case.reject_voiding(
            voiding.id, voiding.note, actor=actor, now=now))


class OutgoingNumberTarget:
    """Voiding an outgoing number: the history of the case it was given on tells the request, the
    rejection or the voiding. The number stays used; the case goes on as it was."""

    permission = P.DELETE

    def requested(self, voiding: Voiding, uow: UnitOfWork, deps: Deps, catalog: Catalog, actor: Actor,
                  approver_roles: Sequence[str]) -> None:
        sent = uow.outgoing.find(voiding.target) if search_key(voiding.target) else None
        if sent is None:
            raise NotFound("el radicado de salida", voiding.target.strip()[:64])
        voiding.target = sent.number
        if _approved_voiding(uow, sent.number):
            raise InvalidOperation("el radicado de salida ya fue anulado")
        case = uow.cases.get(sent.filing_number)
        if case.deleted_at is not None:
            raise NotFound("el radicado de salida", sent.number)  # its case was voided: nothing to void
        case.request_voiding(voiding.id, voiding.reason, approver_roles=approver_roles, actor=actor,
                             now=voiding.requested_at, number=sent.number)
        uow.outbox.add(*notifications_for(case, case.events, deps.new_id, voiding.requested_at))
        uow.cases.save(case)

    def approved(self, voiding: Voiding, uow: UnitOfWork, deps: Deps, actor: Actor) -> None:
        assert voiding.number is not None
        record = voiding.number
        _change_case(_case_of(voiding, uow), uow, deps, lambda case, now: case.void_outgoing_number(
            voiding.id, record, voiding.target, reason=voiding.reason, requested_by=voiding.requested_by,
            actor=actor, now=now))

    def rejected(self, voiding: Voiding, uow: UnitOfWork, deps: Deps, actor: Actor) -> None:
        _change_case(_case_of(voiding, uow), uow, deps, lambda case, now: case.reject_voiding(
            voiding.id, voiding.note, actor=actor, now=now, number=voiding.target))


def _approved_voiding(uow: UnitOfWork, number: str) -> Voiding | None:
    found = uow.voidings.list(VoidingStatus.APPROVED, target_kind=TargetKind.OUTGOING_NUMBER, target=number,
                              limit=1)
    return found[0] if found else None


def voided_outgoing_number(uow: UnitOfWork, text: str) -> tuple[str, str] | None:
    """When ``text`` is an outgoing number (any letter case) that was voided: the number and its
    voiding record, for a search to say so beside the case it finds."""
    sent = uow.outgoing.find(text) if search_key(text) else None
    voiding = _approved_voiding(uow, sent.number) if sent else None
    return (voiding.target, voiding.number or "") if voiding else None


def _case_of(voiding: Voiding, uow: UnitOfWork) -> str:
    sent = uow.outgoing.find(voiding.target)
    if sent is None:
        raise NotFound("el radicado de salida", voiding.target)
    return sent.filing_number


# The kinds of record that can be voided. Another kind registers its ``VoidingTarget`` here.
TARGETS: dict[str, VoidingTarget] = {"case": CaseTarget(), "outgoing_number": OutgoingNumberTarget()}


def _single_role_permissions(role: str, roles: Sequence[Role]) -> frozenset[str]:
    return permissions_of(Actor("-", frozenset({role})), roles)


def approving_roles(actor: Actor, catalog: Catalog) -> frozenset[str]:
    """Those of ``actor``'s roles that, alone, let them approve a voiding."""
    return frozenset(r for r in actor.roles
                     if P.APPROVE_VOIDING in _single_role_permissions(r, catalog.roles))


def approver_roles(catalog: Catalog, requester: Actor) -> tuple[str, ...]:
    """The roles whose members may approve ``requester``'s voiding (told of it by the bell): the active
    roles granting the approval, but the requester's own."""
    codes = {r.code for r in catalog.roles if r.active} | {"admin"}
    return tuple(sorted(r for r in codes - requester.roles
                        if P.APPROVE_VOIDING in _single_role_permissions(r, catalog.roles)))


def _target(kind: str) -> VoidingTarget:
    target = TARGETS.get(kind)
    if target is None:
        raise ValidationError({"target_kind": f"debe ser uno de: {', '.join(sorted(TARGETS))}"})
    return target


def _require(catalog: Catalog, actor: Actor, permission: str) -> None:
    if permission not in catalog.permissions(actor):
        raise PermissionDenied(permission)


def request_voiding(cmd: c.RequestVoiding, uow: UnitOfWork, deps: Deps, actor: Actor) -> Voiding:
    catalog = deps.catalog(uow)
    target = _target(cmd.target_kind)
    _require(catalog, actor, target.permission)
    voiding = Voiding.request(deps.new_id(), cmd.target_kind, cmd.target, cmd.reason, actor=actor,
                              now=deps.clock.now())
    target.requested(voiding, uow, deps, catalog, actor, approver_roles(catalog, actor))
    uow.voidings.add(voiding)
    uow.commit()
    return voiding


def _decide(voiding_id: str, uow: UnitOfWork, deps: Deps, actor: Actor) -> Voiding:
    catalog = deps.catalog(uow)
    _require(catalog, actor, P.APPROVE_VOIDING)
    voiding = uow.voidings.get(voiding_id)
    voiding.check_decider(actor, approving_roles(actor, catalog))
    return voiding


def approve_voiding(cmd: c.ApproveVoiding, uow: UnitOfWork, deps: Deps, actor: Actor) -> Voiding:
    """The record's number is taken in the transaction, from its own series and year in the
    organisation's zone (a rollback gives it back: committed numbers have no gaps)."""
    voiding = _decide(cmd.voiding_id, uow, deps, actor)
    now = deps.clock.now()
    year = deps.local_year(now)
    voiding.approve(record_number(year, uow.numbers.next(SEQUENCE, year)), actor=actor, now=now)
    _target(voiding.target_kind).approved(voiding, uow, deps, actor)
    uow.voidings.save(voiding)
    uow.commit()
    return voiding


def reject_voiding(cmd: c.RejectVoiding, uow: UnitOfWork, deps: Deps, actor: Actor) -> Voiding:
    voiding = _decide(cmd.voiding_id, uow, deps, actor)
    voiding.reject(cmd.note, actor=actor, now=deps.clock.now())
    _target(voiding.target_kind).rejected(voiding, uow, deps, actor)
    uow.voidings.save(voiding)
    uow.commit()
    return voiding


def list_voidings(uow: UnitOfWork, deps: Deps, actor: Actor, status: VoidingStatus | None = None, *,
                  target_kind: str | None = None, target: str | None = None) -> list[Voiding]:
    """The voiding requests, newest first: for those who may ask for, approve or audit voidings."""
    allowed = {P.DELETE, P.APPROVE_VOIDING, P.AUDIT}
    if not allowed & deps.catalog(uow).permissions(actor):
        raise PermissionDenied(P.AUDIT)
    return uow.voidings.list(status, target_kind=target_kind, target=target)


VOIDING_HANDLERS: dict[type, Callable[[Any, UnitOfWork, Deps, Actor], Any]] = {
    c.RequestVoiding: request_voiding,
    c.ApproveVoiding: approve_voiding,
    c.RejectVoiding: reject_voiding,
}
