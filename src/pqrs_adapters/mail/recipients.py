"""Who a notification's recipient names, as e-mail addresses.

- ``requester``: the requester's e-mail, read from the case's row at send time (the notification
  context does not carry it);
- ``user:<name>``: that user, when active and with an e-mail (for a mention, only when their roles
  work on cases: an ``@name`` in a note never e-mails a customer the staff's words);
- ``queue:<code>``: every active user with an e-mail who works in that queue;
- ``role:<code>``: every active user with an e-mail who holds that role;
- ``external:<e-mail>``: that outside address (a third party the case was escalated to), named
  ``name`` when the notification gives one.

Anything else, or nobody, resolves to no address: the worker then records the notification as done
with «sin destinatarios» instead of retrying it forever.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs
from sqlalchemy import Connection, select

from pqrs_core.domain.notifications import EXTERNAL, REQUESTER
from pqrs_core.domain.values import is_valid_email

from ..sqlalchemy.tables import cases, users


@attrs.frozen
class Address:
    email: str
    name: str | None = None


@attrs.frozen
class StaffMember:
    username: str
    address: Address
    roles: frozenset[str]
    queues: frozenset[str]


@attrs.frozen
class Directory:
    """The people a batch of notifications may be addressed to, read once per batch."""

    staff: Sequence[StaffMember] = ()
    requesters: Mapping[str, Address] = attrs.field(factory=dict)  # case id -> requester

    @classmethod
    def load(cls, conn: Connection, case_ids: Collection[str]) -> Directory:
        """Active staff with an e-mail, and the requesters of ``case_ids`` that have one."""
        staff = [StaffMember(row.username, Address(row.email.strip(), row.display_name or row.username),
                             frozenset(row.roles or ()), frozenset(row.queues or ()))
                 for row in conn.execute(select(users.c.username, users.c.display_name, users.c.email,
                                                users.c.roles, users.c.queues)
                                         .where(users.c.active.is_(True), users.c.email.is_not(None))
                                         .order_by(users.c.username))
                 if row.email and row.email.strip()]
        requesters: dict[str, Address] = {}
        if case_ids:
            rows = conn.execute(select(cases.c.id, cases.c.requester_email, cases.c.requester_full_name)
                                .where(cases.c.id.in_(sorted(case_ids))))
            requesters = {row.id: Address(row.requester_email.strip(), row.requester_full_name)
                          for row in rows if row.requester_email and row.requester_email.strip()}
        return cls(staff, requesters)

    def resolve(self, recipient: str, case_id: str, name: str | None = None, *,
                staff_roles: frozenset[str] | None = None) -> list[Address]:
        """The addresses ``recipient`` stands for (each e-mail once); empty when nobody. With
        ``staff_roles``, a ``user:`` recipient counts only when they hold one of those roles."""
        if recipient.startswith(EXTERNAL):
            email = recipient.removeprefix(EXTERNAL).strip()
            return [Address(email, name or None)] if is_valid_email(email) else []
        if recipient == REQUESTER:
            found = self.requesters.get(case_id)
            return [found] if found is not None else []
        scheme, _, code = recipient.partition(":")
        if not code:
            return []
        if scheme == "user":
            return _unique(s.address for s in self.staff if s.username == code
                           and (staff_roles is None or s.roles & staff_roles))
        if scheme == "queue":
            return _unique(s.address for s in self.staff if code in s.queues)
        if scheme == "role":
            return _unique(s.address for s in self.staff if code in s.roles)
        return []


def _unique(addresses: Iterable[Address]) -> list[Address]:
    seen: set[str] = set()
    unique: list[Address] = []
    for address in addresses:
        if address.email.lower() not in seen:
            seen.add(address.email.lower())
            unique.append(address)
    return unique
