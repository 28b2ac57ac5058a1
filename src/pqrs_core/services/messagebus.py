"""The entry point of the application layer: ``Pqrs.handle(command, actor)`` and the read queries.

Events are published (blinker) only after the transaction that recorded them has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.events import DomainEvent
from ..domain.values import Actor, FilingNumber
from ..plugins import Registrations
from ..ports import CasePage, CaseQuery, UnitOfWork
from ..signals import publish
from .catalog_admin import CatalogAdmin
from .handlers import HANDLERS, Deps


class Pqrs:
    """Use cases over a unit-of-work factory. Build it with ``pqrs_core.bootstrap.bootstrap``."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], deps: Deps, *,
                 read_uow_factory: Callable[[], UnitOfWork] | None = None) -> None:
        self.uow_factory = uow_factory
        self.read_uow_factory = read_uow_factory or uow_factory
        self.deps = deps
        self.registrations: Registrations | None = None
        self.plugin_manager: pluggy.PluginManager | None = None

    # --- commands -----------------------------------------------------------------------------------
    def handle(self, command: Any, actor: Actor) -> Any:
        handler = HANDLERS.get(type(command))
        if handler is None:
            raise TypeError(f"no handler for {type(command).__name__}")
        published: list[DomainEvent] = []
        with self.uow_factory() as uow:
            result = handler(command, uow, self.deps, actor)
            published.extend(uow.collect_new_events())
        for event in published:
            publish(event, sender=self)
        return result

    @property
    def catalog_admin(self) -> CatalogAdmin:
        """Run-time catalog administration (kinds, reasons, typification tree, ...)."""
        return CatalogAdmin(self.uow_factory, self.deps.clock)

    # --- queries ------------------------------------------------------------------------------------
    def case(self, filing_number: str) -> Case:
        key = str(FilingNumber.parse(filing_number))
        with self.read_uow_factory() as uow:
            return uow.cases.get(key)

    def history(self, filing_number: str) -> list[DomainEvent]:
        key = str(FilingNumber.parse(filing_number))
        with self.read_uow_factory() as uow:
            return uow.cases.history(key)

    def cases(self, query: CaseQuery | None = None) -> CasePage:
        with self.read_uow_factory() as uow:
            return uow.cases.list(query or CaseQuery())

    def catalog(self) -> Catalog:
        with self.read_uow_factory() as uow:
            return self.deps.catalog(uow)

    def count(self) -> int:
        with self.read_uow_factory() as uow:
            return uow.cases.count()
