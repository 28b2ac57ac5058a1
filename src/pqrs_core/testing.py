"""Helpers for tests and for plugin authors: in-memory fakes, a frozen clock, one-test plugins.

    from pqrs_core.testing import in_memory_pqrs, staff
    pqrs = in_memory_pqrs()
    case = pqrs.handle(FileCase(kind="queja", subject="...", description="..."), staff("ana", "agent"))
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from .bootstrap import in_memory
from .clock import FrozenClock
from .domain.values import Actor
from .memory import MemoryFileStore, MemoryStore
from .services.messagebus import Pqrs
from .settings import Settings

__all__ = ["FrozenClock", "MemoryFileStore", "MemoryStore", "in_memory_pqrs", "staff",
           "switch_off_default_term", "void_case"]


def staff(username: str, *roles: str) -> Actor:
    return Actor(username, frozenset(roles))


def in_memory_pqrs(*, plugins: Iterable[Any] = (), at: datetime | None = None,
                   settings: Settings | None = None, load_entry_points: bool = False,
                   store: MemoryStore | None = None) -> Pqrs:
    """A complete application on in-memory adapters, with the default plugin plus ``plugins``
    (registered for this instance only) and a ``FrozenClock`` at ``at`` (``pqrs.deps.clock``)."""
    return in_memory(clock=FrozenClock(at), settings=settings, plugins=plugins,
                     load_entry_points=load_entry_points, store=store)


def switch_off_default_term(pqrs: Pqrs) -> None:
    """Switch the core's catch-all term (``por_defecto``) off, as an administrator can: cases that no
    other policy covers get no term (to test a plugin's policies alone, or cases stored before every
    case had a term)."""
    catch_all = next(p for p in pqrs.catalog().term_policies if p.code == "por_defecto")
    pqrs.catalog_admin.put_term_policy(attrs.evolve(catch_all, active=False), staff("root", "admin"))


_ADMIN = Actor("admin", frozenset({"admin"}))
_SUPERVISOR = Actor("supervisor", frozenset({"supervisor"}))


def void_case(pqrs: Pqrs, filing_number: str, reason: str, *, requested_by: Actor = _ADMIN,
              approved_by: Actor = _SUPERVISOR) -> str:
    """Void a case as an administrator asks and a supervisor approves; the voiding record's number."""
    from .domain.commands import ApproveVoiding, RequestVoiding

    pending = pqrs.handle(RequestVoiding(target=filing_number, reason=reason), requested_by)
    number: str = pqrs.handle(ApproveVoiding(voiding_id=pending.id), approved_by).number
    return number
