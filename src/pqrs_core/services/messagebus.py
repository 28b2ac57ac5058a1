"""The entry point of the application layer: ``Pqrs.handle(command, actor)`` and the read queries.

Events are published (blinker) only after the transaction that recorded them has committed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs
import pluggy

from ..domain.access import AllOf, Permission, matches
from ..domain.assignment import Strategy
from ..domain.case import Case
from ..domain.catalog import Catalog
from ..domain.errors import NotFound, ValidationError
from ..domain.events import AttachmentAdded, DomainEvent, FieldChanged, NoteAdded
from ..domain.internal_requests import STAFF_ONLY as INTERNAL_ONLY_EVENTS
from ..domain.outgoing import Series
from ..domain.response_approval import STAFF_ONLY_EVENTS as APPROVAL_EVENTS
from ..domain.third_party import STAFF_ONLY_EVENTS
from ..domain.values import Actor, FilingNumber
from ..domain.voiding import STAFF_ONLY as VOIDING_EVENTS
from ..domain.voiding import Voiding, VoidingStatus
from ..domain.workflow import StateCategory
from ..plugins import Registrations
from ..ports import CasePage, CaseQuery, CaseSummary, UnitOfWork
from ..signals import publish
from .assignment_admin import AssignmentAdmin
from .catalog_admin import CatalogAdmin
from .distribution_plan import PlannedCase, plan_distribution, record_turns
from .handlers import HANDLERS, Deps
from .invoices import InvoiceBook, InvoicePage, checked_command
from .outgoing import list_series, put_series
from .routing_admin import RoutingAdmin
from .sweep import SweepReport, sweep
from .term_report import TermExplanation, explain_case_term
from .voiding import VOIDING_HANDLERS, list_voidings, voided_outgoing_number

OPEN_CATEGORIES = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)


def _public_view(event: DomainEvent, catalog: Catalog) -> DomainEvent | None:
    """``event`` as the requester may see it: a change of custom fields keeps only the public ones
    (``None`` when none of those changed)."""
    if not isinstance(event, FieldChanged) or event.field != "custom_fields":
        return event
    before = catalog.public_custom_fields(event.before or {})
    after = catalog.public_custom_fields(event.after or {})
    if before == after:
        return None
    return attrs.evolve(event, before=before, after=after)


class Pqrs:
    """The application: commands go in through ``handle``, and cases, their history and their terms
    are read with ``case``, ``cases``, ``history`` and ``explain_term``.

    Build it with ``pqrs_core.in_memory()`` (everything in memory), ``pqrs_adapters.open_pqrs(url)``
    (a SQLite or PostgreSQL database) or, to wire adapters of one's own,
    ``pqrs_core.bootstrap.bootstrap``. Reads take an optional ``actor``: with one, only what that
    person's roles let them see (a case they may not see is ``NotFound``); without one, everything.
    """

    def __init__(self, uow_factory: Callable[[], UnitOfWork], deps: Deps, *,
                 read_uow_factory: Callable[[], UnitOfWork] | None = None) -> None:
        self.uow_factory = uow_factory
        self.read_uow_factory = read_uow_factory or uow_factory
        self.deps = deps
        self.registrations: Registrations | None = None
        self.plugin_manager: pluggy.PluginManager | None = None
        # What ``close`` releases (the SQL store's connection pool), in order.
        self.closers: list[Callable[[], None]] = []

    def close(self) -> None:
        """Release what the application holds (database connections); it is not used afterwards."""
        while self.closers:
            self.closers.pop(0)()

    def __enter__(self) -> Pqrs:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- commands -----------------------------------------------------------------------------------
    def handle(self, command: Any, actor: Actor) -> Any:
        """Run ``command`` (one of ``pqrs_core.domain.commands``) as ``actor`` in one transaction and
        return its result (the ``Case`` for commands on a case). The events it recorded are
        published after the commit. Refusals raise a ``DomainError``: ``ValidationError`` (field
        → Spanish message), ``NotFound``, ``InvalidTransition``, ``Forbidden``,
        ``ConcurrencyConflict``..."""
        return self._handle(command, actor)[0]

    def handle_with_catalog(self, command: Any, actor: Actor) -> tuple[Any, Catalog]:
        """``handle``, with the catalog the command ran with, to present its result (state labels,
        transitions); read again only when the command changed it or read none."""
        result, loaded = self._handle(command, actor)
        return result, self.deps.complete(loaded) if loaded is not None else self.catalog()

    def _handle(self, command: Any, actor: Actor) -> tuple[Any, Catalog | None]:
        handler = HANDLERS.get(type(command)) or VOIDING_HANDLERS.get(type(command))
        if handler is None:
            raise TypeError(f"no handler for {type(command).__name__}")
        command = checked_command(command, self.invoices, self.deps.clock.now(), self.deps.new_id)
        published: list[DomainEvent] = []
        with self.uow_factory() as uow:
            result = handler(command, uow, self.deps, actor)
            loaded = uow.catalog.loaded()
            published.extend(uow.collect_new_events())
        for event in published:
            publish(event, sender=self)
        return result, loaded

    @property
    def invoices(self) -> InvoiceBook:
        """The ERP's invoices from every invoice source (``pqrs_invoice_sources``)."""
        return InvoiceBook(self.deps.invoice_sources)

    def customer_invoices(self, customer_id: str, text: str = "", *, offset: int = 0,
                          limit: int = 10) -> InvoicePage:
        """A page of the customer's invoices from every source, newest first, whose number, date or
        products match ``text``; the sources that did not answer are named in the page."""
        return self.invoices.search(customer_id, text, offset=offset, limit=limit)

    @property
    def catalog_admin(self) -> CatalogAdmin:
        """Run-time catalog administration (kinds, reasons, typification tree, ...)."""
        return CatalogAdmin(self.uow_factory, self.deps.clock)

    def outgoing_series(self) -> list[Series]:
        """Every kind of outgoing communication with the format of its numbers."""
        with self.read_uow_factory() as uow:
            return list_series(uow)

    def put_outgoing_series(self, kind: str, fmt: str, actor: Actor) -> Series:
        """Set the format of the outgoing numbers of ``kind`` (``catalog.admin``)."""
        with self.uow_factory() as uow:
            return put_series(uow, actor, kind, fmt, self.deps.clock.now())

    @property
    def assignment_admin(self) -> AssignmentAdmin:
        """Queue assignment strategies and caps, people's skills, working days, caps and absences."""
        return AssignmentAdmin(self.uow_factory, self.deps.clock, self.deps.new_id)

    def plan_distribution(self, numbers: Sequence[str], actor: Actor, *, strategy: Strategy | None,
                          people: Sequence[str] | None = None) -> list[PlannedCase]:
        """Who would receive each of the cases ``numbers`` (see ``distribution_plan``); assigns nothing."""
        with self.read_uow_factory() as uow:
            return plan_distribution(uow, self.deps.catalog(uow), numbers, actor, self.deps.clock.now(),
                                     timezone=self.deps.settings.timezone, strategy=strategy, people=people)

    def record_turns(self, last: Mapping[str, str], actor: Actor) -> None:
        """After a distribution by turns: each queue's turns go on after the person given in ``last``."""
        with self.uow_factory() as uow:
            record_turns(uow, self.deps.catalog(uow), actor, last)

    @property
    def routing_admin(self) -> RoutingAdmin:
        """Routing administration: rules (with their dry run), typification defaults, escalation."""
        return RoutingAdmin(self.uow_factory, self.deps)

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
    # A voided case (``deleted_at``) is found only with ``include_deleted``: by auditing without an actor
    # (the command line), or by an actor who may audit (``case.audit``), whatever their visibility.
    def case(self, filing_number: str, actor: Actor | None = None, *, include_deleted: bool = False) -> Case:
        """The case with ``filing_number`` (``NotFound`` when it does not exist or ``actor`` may not
        see it)."""
        key = str(FilingNumber.parse(filing_number))
        with self.read_uow_factory() as uow:
            case = uow.cases.get(key)
            self._check_readable(uow, case, actor, include_deleted)
            return case

    def _check_readable(self, uow: UnitOfWork, case: Case, actor: Actor | None,
                        include_deleted: bool) -> None:
        key = str(case.filing_number)
        if case.deleted_at is not None:
            if not include_deleted:
                raise NotFound("el caso", key)
            if actor is None or Permission.AUDIT in self.deps.catalog(uow).permissions(actor):
                return
            raise NotFound("el caso", key)
        if actor is not None and not matches(self.deps.catalog(uow).visibility(actor), case):
            raise NotFound("el caso", key)

    def history(self, filing_number: str, actor: Actor | None = None, *,
                include_deleted: bool = False) -> list[DomainEvent]:
        """Every event of the case, oldest first: its complete history. Internal work-log notes are
        left out for an ``actor`` who may not keep the work log."""
        key = str(FilingNumber.parse(filing_number))
        with self.read_uow_factory() as uow:
            events = uow.cases.history(key)
            case = uow.cases.get(key)
            self._check_readable(uow, case, actor, include_deleted)
            if actor is None:
                return events
            catalog = self.deps.catalog(uow)
            if Permission.NOTE in catalog.permissions(actor) or case.deleted_at is not None:
                return events
            # Internal work-log notes and internal attachments are for the people who keep the work log,
            # and so is what passes between the organisation and a third party.
            visible = [e for e in events if not (isinstance(e, NoteAdded) and not e.public)
                       and not (isinstance(e, AttachmentAdded) and not e.attachment.public)
                       and not isinstance(e, STAFF_ONLY_EVENTS + INTERNAL_ONLY_EVENTS + APPROVAL_EVENTS
                                                 + VOIDING_EVENTS)]
            return [shown for e in visible if (shown := _public_view(e, catalog)) is not None]

    def voidings(self, actor: Actor, status: VoidingStatus | None = None, *, target_kind: str | None = None,
                 target: str | None = None) -> list[Voiding]:
        """Voiding requests and records, newest first (``services.voiding.list_voidings``)."""
        with self.read_uow_factory() as uow:
            return list_voidings(uow, self.deps, actor, status, target_kind=target_kind, target=target)

    def voided_outgoing_number(self, text: str) -> tuple[str, str] | None:
        """The outgoing number ``text`` names and its voiding record, when it was voided
        (``services.voiding.voided_outgoing_number``)."""
        with self.read_uow_factory() as uow:
            return voided_outgoing_number(uow, text)

    def cases(self, query: CaseQuery | None = None, actor: Actor | None = None) -> CasePage:
        """One page of the cases ``query`` selects that ``actor`` may see; the next page is
        ``attrs.evolve(query, after=page.next_cursor)`` while ``next_cursor`` is not ``None``."""
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

    def count_by_state_category(self, query: CaseQuery | None = None,
                                actor: Actor | None = None) -> dict[str, int]:
        """How many cases ``query`` selects that ``actor`` may see, per state category (the board)."""
        query = query or CaseQuery()
        with self.read_uow_factory() as uow:
            return uow.cases.count_by_state_category(self._restrict(uow, query, actor))

    def restrict(self, uow: UnitOfWork, query: CaseQuery, actor: Actor | None) -> CaseQuery:
        """``query`` narrowed to the cases ``actor`` may see (unchanged for ``None``), with the
        catalog of ``uow``: for read models that query the store themselves (reports)."""
        return self._restrict(uow, query, actor)

    def _restrict(self, uow: UnitOfWork, query: CaseQuery, actor: Actor | None) -> CaseQuery:
        if actor is None:
            return query
        visible = self.deps.catalog(uow).visibility(actor)
        combined = visible if query.visible is None else AllOf((query.visible, visible))
        return attrs.evolve(query, visible=combined)

    def explain_term(self, filing_number: str, actor: Actor | None = None, *,
                     include_deleted: bool = False) -> TermExplanation:
        """How the case's deadline was computed (policy and legal source, pauses, extension,
        restarts) and where its term stands now, by the application's clock."""
        case = self.case(filing_number, actor, include_deleted=include_deleted)
        history = self.history(filing_number, actor, include_deleted=include_deleted)
        return explain_case_term(case, history, self.catalog(), self.deps.settings, self.deps.clock.now())

    def catalog(self) -> Catalog:
        """The catalog as stored now: kinds, reasons, channels, typifications, workflows, roles..."""
        with self.read_uow_factory() as uow:
            return self.deps.catalog(uow)

    def count(self, query: CaseQuery | None = None, actor: Actor | None = None) -> int:
        """How many cases are stored; with ``query`` (and ``actor``), how many of those ``actor`` may
        see it selects (the total of a list whose pages ``cases`` gives)."""
        with self.read_uow_factory() as uow:
            if query is None and actor is None:
                return uow.cases.count()
            return uow.cases.count(self._restrict(uow, query or CaseQuery(), actor))
