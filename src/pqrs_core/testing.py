"""Helpers for tests and for plugin authors: in-memory fakes, a frozen clock, one-test plugins.

    from pqrs_core.testing import in_memory_pqrs, staff
    pqrs = in_memory_pqrs()
    case = pqrs.handle(FileCase(kind="queja", subject="...", description="..."), staff("ana", "agent"))
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import attrs

from .bootstrap import in_memory
from .clock import FrozenClock
from .domain.values import Actor
from .hookspecs import Register, hookimpl
from .memory import MemoryFileStore, MemoryStore
from .ports_integration import Invoice, InvoiceSource
from .services.messagebus import Pqrs
from .settings import Settings

__all__ = ["FrozenClock", "InvoiceSourcePlugin", "ListInvoiceSource", "MemoryFileStore", "MemoryStore",
           "in_memory_pqrs", "staff", "switch_off_default_term", "void_case"]


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


class ListInvoiceSource:
    """An ``InvoiceSource`` over a list of invoices, as an ERP plugin would provide. ``delay`` seconds
    of waiting before each answer and ``failing`` stand for a slow or a fallen ERP; ``calls`` counts
    the questions asked."""

    def __init__(self, invoices: Sequence[Invoice], *, name: str = "erp_de_prueba", delay: float = 0,
                 failing: bool = False) -> None:
        self.name = name
        self.invoices = list(invoices)
        self.delay = delay
        self.failing = failing
        self.calls = 0

    def _answer(self) -> None:
        self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        if self.failing:
            raise ConnectionError(f"{self.name} no responde")

    def invoices_for(self, customer_id: str) -> Sequence[Invoice]:
        self._answer()
        return [i for i in self.invoices if i.customer_id == customer_id]

    def invoice(self, number: str) -> Invoice | None:
        self._answer()
        return next((i for i in self.invoices if i.number.upper() == number.strip().upper()), None)


class InvoiceSourcePlugin:
    """A one-test plugin registering ``sources`` through ``pqrs_invoice_sources``."""

    def __init__(self, *sources: InvoiceSource) -> None:
        self.sources = sources

    @hookimpl
    def pqrs_invoice_sources(self, register: Register) -> None:
        for source in self.sources:
            register(source)


_ADMIN = Actor("admin", frozenset({"admin"}))
_SUPERVISOR = Actor("supervisor", frozenset({"supervisor"}))


def void_case(pqrs: Pqrs, filing_number: str, reason: str, *, requested_by: Actor = _ADMIN,
              approved_by: Actor = _SUPERVISOR) -> str:
    """Void a case as an administrator asks and a supervisor approves; the voiding record's number."""
    from .domain.commands import ApproveVoiding, RequestVoiding

    pending = pqrs.handle(RequestVoiding(target=filing_number, reason=reason), requested_by)
    number: str = pqrs.handle(ApproveVoiding(voiding_id=pending.id), approved_by).number
    return number
