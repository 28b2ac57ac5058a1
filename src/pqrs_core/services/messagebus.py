"""The entry point of the application layer: ``Pqrs.handle(command, actor)`` and the read queries.

Events are published (blinker) only after the transaction that recorded them has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs
import pluggy

from ..domain.access import AllOf, Permission, matches
from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.errors import NotFound, ValidationError
from ..domain.events import AttachmentAdded, DomainEvent, NoteAdded
from ..domain.values import Actor, FilingNumber
from ..domain.workflow import StateCategory
from ..plugins import Registrations
from ..ports import CasePage, CaseQuery, CaseSummary, UnitOfWork
from ..signals import publish
from .catalog_admin import CatalogAdmin
from .handlers import HANDLERS, Deps
from .sweep import SweepReport, sweep

OPEN_CATEGORIES = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)


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
        return self._handle(command, actor)[0]

    def handle_with_catalog(self, command: Any, actor: Actor) -> tuple[Any, Catalog]:
        """``handle``, with the catalog the command ran with, to present its result (state labels,
        transitions); read again only when the command changed it or read none."""
        result, loaded = self._handle(command, actor)
        return result, self.deps.complete(loaded) if loaded is not None else self.catalog()

    def _handle(self, command: Any, actor: Actor) -> tuple[Any, Catalog | None]:
        handler = HANDLERS.get(type(command))
        if handler is None:
            raise TypeError(f"no handler for {type(command).__name__}")
        published: list[DomainEvent] = []
        with self.uow_factory() as uow:
            result = handler(command, uow, self.deps, actor)
            loaded = uow.catalog.loaded()
            published.extend(uow.collect_new_events())
        for event in published:
            publish(event, sender=self)
        return result, loaded

    @property
    def catalog_admin(self) -> CatalogAdmin:
        """Run-time catalog administration (kinds, reasons, typification tree, ...)."""
        return CatalogAdmin(self.uow_factory, self.deps.clock)

    def sweep(self, now: datetime | None = None) -> SweepReport:
        """Raise due alarms and escalate missed terms (``pqrs sweep``); events are published after
        each batch commits."""
        return sweep(self.uow_factory, self.deps, now=now)

    def recompute_terms(self, reason: str, actor: Actor | None = None) -> int:
        """Recompute the deadlines of every open case with a term (after a change of term policies or
        of the calendar's closure days), recording a ``TermStarted`` with ``reason`` where a deadline
        changes. Returns how many cases changed."""
        who = actor or Actor.system()
        changed = 0
        with self.uow_factory() as uow:
            catalog = self.deps.catalog(uow)
            page = uow.cases.list(CaseQuery(state_categories=OPEN_CATEGORIES, limit=1_000_000))
            now = self.deps.clock.now()
            for case in page.cases:
                case.events = []
                case.restart_term(catalog=catalog, actor=who, now=now, reason=reason)
                if case.events:
                    uow.cases.save(case)
                    changed += 1
            uow.commit()
            published = list(uow.collect_new_events())
        for event in published:
            publish(event, sender=self)
        return changed

    # --- queries: with an ``actor`` only what their visibility allows; without one, everything ---------
    # A deleted case is not found by anyone, unless ``include_deleted`` (auditing, without an actor).
    def case(self, filing_number: str, actor: Actor | None = None, *, include_deleted: bool = False) -> Case:
        key = str(FilingNumber.parse(filing_number))
        with self.read_uow_factory() as uow:
            case = uow.cases.get(key)
            if case.deleted_at is not None and not (include_deleted and actor is None):
                raise NotFound("el caso", key)
            if actor is not None and not matches(self.deps.catalog(uow).visibility(actor), case):
                raise NotFound("el caso", key)
            return case

    def history(self, filing_number: str, actor: Actor | None = None, *,
                include_deleted: bool = False) -> list[DomainEvent]:
        key = str(FilingNumber.parse(filing_number))
        with self.read_uow_factory() as uow:
            events = uow.cases.history(key)
            case = uow.cases.get(key)
            if case.deleted_at is not None and not (include_deleted and actor is None):
                raise NotFound("el caso", key)
            if actor is None:
                return events
            catalog = self.deps.catalog(uow)
            if not matches(catalog.visibility(actor), case):
                raise NotFound("el caso", key)
            if Permission.NOTE in catalog.permissions(actor):
                return events
            # Internal work-log notes and internal attachments are for the people who keep the work log.
            return [e for e in events if not (isinstance(e, NoteAdded) and not e.public)
                    and not (isinstance(e, AttachmentAdded) and not e.attachment.public)]

    def cases(self, query: CaseQuery | None = None, actor: Actor | None = None) -> CasePage:
        query = query or CaseQuery()
        with self.read_uow_factory() as uow:
            query = self._restrict(uow, query, actor)
            if query.sort == "deadline" and query.now is None:
                # Paused cases rank by the time they have left, which needs today's clock and calendar.
                query = attrs.evolve(query, now=self.deps.clock.now(),
                                     calendar=self.deps.catalog(uow).calendar)
            if query.after is not None and query.visible is not None:
                # A cursor naming a case the actor may not see is refused like an unknown one, so that
                # paging cannot be used to learn which filing numbers exist.
                try:
                    cursor_visible = matches(query.visible, uow.cases.get(query.after))
                except NotFound:
                    cursor_visible = False
                if not cursor_visible:
                    raise ValidationError({"after": "el cursor no corresponde a un caso"})
            return uow.cases.list(query)

    def summary(self, query: CaseQuery | None = None, actor: Actor | None = None) -> CaseSummary:
        """Report counts over the cases ``query`` selects that ``actor`` may see."""
        query = query or CaseQuery()
        with self.read_uow_factory() as uow:
            query = self._restrict(uow, query, actor)
            return uow.cases.summary(query)

    def _restrict(self, uow: UnitOfWork, query: CaseQuery, actor: Actor | None) -> CaseQuery:
        if actor is None:
            return query
        visible = self.deps.catalog(uow).visibility(actor)
        combined = visible if query.visible is None else AllOf((query.visible, visible))
        return attrs.evolve(query, visible=combined)

    def catalog(self) -> Catalog:
        with self.read_uow_factory() as uow:
            return self.deps.catalog(uow)

    def count(self) -> int:
        with self.read_uow_factory() as uow:
            return uow.cases.count()
