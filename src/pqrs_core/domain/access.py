"""Roles, permissions and visibility (seed 003, sections 3.3–3.6).

Roles are data: each grants permissions (what a member may do) and visibility scopes (which cases a
member may see). Visibility is a small predicate tree built from the actor and the roles; the
in-memory store evaluates it in Python (``matches``), the SQL store compiles it to a ``WHERE`` clause,
and a property test checks that both agree. The same predicate guards every read path.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from .values import Actor
from .workflow import StateCategory

if TYPE_CHECKING:
    from .case import Case


class Permission(enum.StrEnum):
    FILE = "case.file"
    EDIT = "case.edit"  # change fields, typify
    NOTE = "case.note"  # internal work-log notes
    ASSIGN = "case.assign"  # assign cases to other people (distribute)
    TAKE = "case.take"  # assign a case to oneself
    WORK = "case.work"  # fire workflow transitions, request information, respond, close
    REPLY = "case.reply"  # write as the requester (replies, counter-responses)
    ATTACH = "case.attach"
    CATALOG = "catalog.admin"
    USERS = "users.admin"
    REPORTS = "reports.view"
    QUALITY = "quality.review"
    DELETE = "case.delete"  # ask for a case to be voided (anulado; never deleted): admins only
    APPROVE_VOIDING = "voiding.approve"  # approve or reject a voiding someone with another role asked for
    AUDIT = "case.audit"  # read voided cases (with their voiding record) and list them
    APPROVE_LETTERS = "letters.approve"  # approve or return a drafted response and its official letter


# What only the organisation's people do. A role granting none of these (a requester's, a consultant's)
# belongs to a customer, who reads cases as their requester does (the portal), never the staff's view
# of them (priority, queue, assignee, work log). Reading reports is not among them: a consultant reads
# the figures of her network's cases (``/reportes``) and stays a customer everywhere else.
STAFF_PERMISSIONS = frozenset({Permission.EDIT, Permission.NOTE, Permission.ASSIGN, Permission.TAKE,
                               Permission.WORK, Permission.CATALOG, Permission.USERS, Permission.QUALITY,
                               Permission.DELETE, Permission.APPROVE_LETTERS, Permission.APPROVE_VOIDING,
                               Permission.AUDIT})


def is_staff(permissions: Iterable[str]) -> bool:
    """Whether someone holding ``permissions`` is one of the organisation's people."""
    return not STAFF_PERMISSIONS.isdisjoint(permissions)


class Scope(enum.StrEnum):
    """Which cases a role lets its members see."""

    OWN = "own"  # filed by me, or I am the requester
    NETWORK = "network"  # filed by or for people of my network (genealogía) below me
    AFFECTED = "affected"  # I am the affected person (the requester)
    ASSIGNED = "assigned"  # assigned to me
    QUEUE = "queue"  # in one of my queues
    ROLE_MATCH = "role_match"  # the case's kind or typification is one my role may access
    CLOSED = "closed"  # every closed case (quality review)
    ALL = "all"  # every case (admin)


@attrs.frozen
class Role:
    code: str
    label: str
    permissions: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    # For Scope.ROLE_MATCH: the kinds and typification sub-trees this role may access; a role that
    # lists neither may access every case (the default for a small team's service staff).
    kinds: tuple[str, ...] = ()
    typifications: tuple[str, ...] = ()
    active: bool = True


# --- the predicate tree ---------------------------------------------------------------------------
@attrs.frozen
class Everything:
    pass


@attrs.frozen
class Nothing:
    pass


@attrs.frozen
class FiledBy:
    users: frozenset[str]


@attrs.frozen
class RequesterUser:
    users: frozenset[str]


@attrs.frozen
class AssignedTo:
    user: str


@attrs.frozen
class QueueIn:
    queues: frozenset[str]


@attrs.frozen
class KindIn:
    kinds: frozenset[str]


@attrs.frozen
class TypificationUnder:
    codes: frozenset[str]


@attrs.frozen
class StateCategoryIn:
    categories: frozenset[StateCategory]


@attrs.frozen
class AnyOf:
    children: tuple[Predicate, ...]


@attrs.frozen
class AllOf:
    children: tuple[Predicate, ...]


Predicate = (Everything | Nothing | FiledBy | RequesterUser | AssignedTo | QueueIn | KindIn
             | TypificationUnder | StateCategoryIn | AnyOf | AllOf)


def any_of(children: Iterable[Predicate]) -> Predicate:
    """A simplified disjunction: ``Everything`` wins, ``Nothing`` drops out."""
    kept: list[Predicate] = []
    for child in children:
        if isinstance(child, Everything):
            return child
        if not isinstance(child, Nothing) and child not in kept:
            kept.append(child)
    if not kept:
        return Nothing()
    return kept[0] if len(kept) == 1 else AnyOf(tuple(kept))


def matches(predicate: Predicate, case: Case) -> bool:
    """Evaluate ``predicate`` on ``case`` (the in-memory counterpart of the SQL compilation)."""
    match predicate:
        case Everything():
            return True
        case Nothing():
            return False
        case FiledBy(users):
            return case.filed_by in users
        case RequesterUser(users):
            return case.requester.user is not None and case.requester.user in users
        case AssignedTo(user):
            return case.assignee == user
        case QueueIn(queues):
            return case.queue is not None and case.queue in queues
        case KindIn(kinds):
            return case.kind in kinds
        case TypificationUnder(codes):
            return case.typification is not None and bool(codes & set(case.typification.path_codes))
        case StateCategoryIn(categories):
            return case.state_category in categories
        case AnyOf(children):
            return any(matches(child, case) for child in children)
        case AllOf(children):
            return all(matches(child, case) for child in children)
    raise TypeError(f"unknown predicate {predicate!r}")


def _scope_predicate(scope: str, actor: Actor, role: Role) -> Predicate:
    me = frozenset({actor.username})
    if scope == Scope.ALL:
        return Everything()
    if scope == Scope.OWN:
        return any_of([FiledBy(me), RequesterUser(me)])
    if scope == Scope.AFFECTED:
        return RequesterUser(me)
    if scope == Scope.NETWORK:
        if not actor.network:
            return Nothing()
        return any_of([FiledBy(actor.network), RequesterUser(actor.network)])
    if scope == Scope.ASSIGNED:
        return AssignedTo(actor.username)
    if scope == Scope.QUEUE:
        return QueueIn(actor.queues) if actor.queues else Nothing()
    if scope == Scope.CLOSED:
        return StateCategoryIn(frozenset({StateCategory.DONE}))
    if scope == Scope.ROLE_MATCH:
        if not role.kinds and not role.typifications:
            return Everything()  # a role restricted to nothing in particular may access every case
        parts: list[Predicate] = []
        if role.kinds:
            parts.append(KindIn(frozenset(role.kinds)))
        if role.typifications:
            parts.append(TypificationUnder(frozenset(role.typifications)))
        return any_of(parts)
    return Nothing()


def visibility_for(actor: Actor, roles: Iterable[Role]) -> Predicate:
    """The cases ``actor`` may see: the union of the scopes of every active role they hold.
    The ``system`` actor sees everything; an actor with no known role sees only their own cases."""
    if "system" in actor.roles or "admin" in actor.roles:
        return Everything()
    held = [r for r in roles if r.active and r.code in actor.roles]
    parts: list[Predicate] = [_scope_predicate(Scope.OWN, actor, Role("", ""))]
    for role in held:
        parts.extend(_scope_predicate(scope, actor, role) for scope in sorted(role.scopes))
    return any_of(parts)


def permissions_of(actor: Actor, roles: Iterable[Role]) -> frozenset[str]:
    if "system" in actor.roles or "admin" in actor.roles:
        return frozenset(p.value for p in Permission)
    granted: set[str] = set()
    for role in roles:
        if role.active and role.code in actor.roles:
            granted |= role.permissions
    return frozenset(granted)
