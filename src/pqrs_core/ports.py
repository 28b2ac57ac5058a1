"""Ports: what the core needs from the outside world, as ``typing.Protocol``s.

Adapters (in-memory in ``pqrs_core.memory``, SQLAlchemy in ``pqrs_adapters.sqlalchemy``) implement
them; use cases depend only on these.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

import attrs

from .domain.access import Predicate, Role
from .domain.assignment import Absence, Agent, Holding, QueuePolicy, Strategy
from .domain.calendar import BusinessCalendar
from .domain.case import Case
from .domain.catalog import Catalog, CatalogEntry, FieldDefinition, Priority, Queue
from .domain.escalation import EscalationPolicy
from .domain.events import DomainEvent
from .domain.letters import Letter, Signer
from .domain.notifications import Notification
from .domain.outgoing import OutgoingNumber
from .domain.retention import RetentionRule
from .domain.routing_defaults import TypificationDefaults
from .domain.rules import Rule
from .domain.sla import TermPolicy
from .domain.typification import TypificationNode
from .domain.values import FilingNumber
from .domain.voiding import Voiding, VoidingStatus
from .domain.workflow import StateCategory, Workflow


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


@attrs.frozen(kw_only=True)
class CaseQuery:
    """Filters for listing cases; ``after`` is the keyset cursor returned with the previous page."""

    state_categories: tuple[StateCategory, ...] = ()
    states: tuple[str, ...] = ()
    # Voided cases too (``?include_voided=true``, for those who may audit): never in any other listing.
    include_voided: bool = False
    kinds: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    assignee: str | None = None
    typification: str | None = None
    requester_document: str | None = None
    # The requester's e-mail, compared without regard to capitals (``fold_email``).
    requester_email: str | None = None
    channels: tuple[str, ...] = ()
    filed_from: datetime | None = None  # inclusive
    filed_to: datetime | None = None  # exclusive
    # Only cases nobody is assigned to (distribution of a queue's cases).
    unassigned: bool = False
    # Only cases «con tercero»: escalated to a third party that has not answered yet.
    with_third_party: bool = False
    # Only cases with an internal request to this queue (area) still unanswered.
    pending_request_queue: str | None = None
    # Only cases whose drafted response waits for a second person's approval (``pending_response``).
    awaiting_approval: bool = False
    # Closed between (by ``closed_at``: inclusive from, exclusive to); open cases have no closing date.
    closed_from: datetime | None = None
    closed_to: datetime | None = None
    # Only cases that are closed (True: they have a closing date) or not (False). A «Respondido» case is
    # done but not closed: the requester may still answer.
    closed: bool | None = None
    # Only cases whose current resolution has (True) or has not (False) had a quality review.
    quality_reviewed: bool | None = None
    # The resolution deadline (``Case.resolution_due``); cases without one are left out when either is set.
    due_from: datetime | None = None  # inclusive
    due_to: datetime | None = None  # exclusive
    # Order: "newest" / "oldest" (filing number), "priority" (rank, then newest), "updated" (last change
    # first, then newest), "closed" (latest closing date first, a case not closed counting from its
    # filing; then newest), "deadline" (least time left first, cases without a term last; then
    # the higher priority, then the oldest filing number). The cursor is always the filing number of the
    # last case of the page.
    sort: str = "newest"
    # For "deadline": a case whose term is paused ranks by the deadline it would have if it resumed at
    # ``now`` on ``calendar`` (``term_left.resumed_due``), against the running cases' deadlines. The
    # use cases fill both from the application's clock and catalog; without them a paused case ranks
    # by its deadline from before the pause.
    now: datetime | None = None
    calendar: BusinessCalendar | None = None
    # Free text over filing number, subject, description, requester and tags (accent-insensitive).
    text: str | None = None
    # Only cases with every one of these tags (compared without regard to case or accents).
    tags: tuple[str, ...] = ()
    # Only cases with an involved item (``Case.items``) of one of these lots and of one of these
    # products (the same item when both are given; compared without regard to case or accents).
    lots: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    # Only cases whose custom field holds the value, for each ``(field code, value)``
    # (``field_search``: without regard to case or accents; numbers compared as numbers).
    custom_fields: tuple[tuple[str, str], ...] = ()
    # Only cases this predicate lets through (``Catalog.visibility(actor)``); ``None``: no restriction.
    visible: Predicate | None = None
    limit: int = 50
    after: str | None = None


SORTS = ("newest", "oldest", "priority", "updated", "closed", "deadline")


# The key the summary counts the cases nobody typified under, as a report reads it.
UNTYPIFIED = "Sin tipificar"


@attrs.frozen
class CaseSummary:
    """Counts of the cases a query selects (visibility included), for reports."""

    total: int
    by_state_category: dict[str, int]
    by_state: dict[str, int]
    by_kind: dict[str, int]
    by_priority: dict[str, int]  # "" for no priority
    by_channel: dict[str, int]  # "" for no channel
    by_typification: dict[str, int]  # leaf code; ``UNTYPIFIED`` for not typified
    by_category: dict[str, int]  # root code of the typification; ``UNTYPIFIED`` for not typified
    first_contact_resolutions: int


@attrs.frozen
class CasePage:
    cases: Sequence[Case]
    next_cursor: str | None


class CaseRepository(Protocol):
    def add(self, case: Case) -> None:
        """Store a newly filed case and its events."""

    def get(self, filing_number: str) -> Case:
        """The case with that radicado; ``NotFound`` otherwise."""
        ...

    def save(self, case: Case) -> None:
        """Store the case's new events and snapshot if the stored version is still ``case.version``;
        otherwise raise ``ConcurrencyConflict`` and write nothing. Increments ``case.version``."""

    def find_external(self, source: str, number: str) -> str | None:
        """The radicado of the case registered with ``number`` of the external system ``source``."""
        ...

    def get_many(self, filing_numbers: Sequence[str]) -> list[Case]:
        """The cases with those radicados, in that order (a radicado with no case is left out): what
        ``get`` gives for each, in one go."""
        ...

    def save_many(self, cases: Sequence[Case]) -> list[Case]:
        """``save`` for each case, in one go: the cases whose stored version is still ``case.version``
        are stored (``case.version`` incremented); the others, changed or removed since they were read,
        are returned and nothing of them is written. Raises ``ConcurrencyConflict`` when the store
        cannot tell which cases it may write (the unit of work must then be rolled back)."""
        ...

    def history(self, filing_number: str) -> list[DomainEvent]:
        """The case's stored events, oldest first."""
        ...

    def list(self, query: CaseQuery) -> CasePage:
        """A page of the cases ``query`` selects, in ``query.sort`` order, after the cursor
        ``query.after`` (a filing number; ``ValidationError`` naming ``after`` when unknown).
        Deleted cases are never selected."""
        ...

    def count(self, query: CaseQuery | None = None) -> int:
        """How many cases there are (deleted ones not counted); with ``query``, how many it selects
        (its ``limit``, ``after`` and ``sort`` ignored)."""
        ...

    def due_for_alarm(self, now: datetime, limit: int) -> Sequence[str]:
        """Filing numbers of the open, running cases whose next alarm is due at ``now`` (earliest
        first), read from an indexed column: the sweep never loads the other cases."""
        ...

    def summary(self, query: CaseQuery) -> CaseSummary:
        """Counts over every case ``query`` selects (its ``limit``, ``after`` and ``sort`` are ignored)."""
        ...

    def count_by_state_category(self, query: CaseQuery) -> dict[str, int]:
        """``{state category: cases}`` over every case ``query`` selects (its ``limit``, ``after`` and
        ``sort`` ignored; categories with no case left out): ``summary().by_state_category`` read
        the cheapest way the store has (the board's counts)."""
        ...


class CatalogStore(Protocol):
    """The catalog as the administrator edits it at run time. Entries carry their ``source``:
    the plugin that registered them, or ``"admin"``."""

    def load(self) -> Catalog:
        """The whole catalog (without guards, which are code and come from plugins)."""
        ...

    def loaded(self) -> Catalog | None:
        """What ``load`` last returned in this unit of work, if the catalog has not changed in it
        since; else ``None``. (To present a command's result without reading the catalog again.)"""
        ...

    def put_entry(self, list_name: str, entry: CatalogEntry, source: str) -> None: ...

    def put_priority(self, priority: Priority, source: str) -> None: ...

    def put_queue(self, queue: Queue, source: str) -> None: ...

    def put_field(self, definition: FieldDefinition, source: str) -> None: ...

    def put_role(self, role: Role, source: str) -> None: ...

    def put_term_policy(self, policy: TermPolicy, source: str) -> None: ...

    def put_closure(self, day: date, label: str) -> None:
        """An organisation closure day (not a business day)."""

    def remove_closure(self, day: date) -> None: ...

    def put_working_weekdays(self, weekdays: frozenset[int]) -> None:
        """The weekdays the organisation works (0 = Monday), which replace the settings' ones."""

    def put_typification(self, node: TypificationNode, source: str, actor: str, at: datetime) -> None:
        """Store a new version of a typification node (older versions are kept)."""

    def put_workflow(self, workflow: Workflow, kinds: Sequence[str], source: str) -> None: ...

    def put_rule(self, rule: Rule, source: str, actor: str, at: datetime) -> None:
        """Store ``rule``'s place in the order and whether it is on, and its definition as version
        ``rule.version`` when that version is not stored yet (older versions are kept)."""

    def set_rule_enabled(self, code: str, enabled: bool, *, reason: str = "") -> None:
        """Switch a rule on or off (``reason``: why the system switched it off)."""

    def rule_versions(self, code: str) -> list[tuple[Rule, str, datetime]]:
        """Every stored version of a rule with who saved it and when, newest first."""
        ...

    def put_typification_defaults(self, code: str, defaults: TypificationDefaults) -> None:
        """What a typification node sets for its cases (empty defaults remove them)."""

    def put_escalation_policy(self, scope: str, policy: EscalationPolicy | None) -> None:
        """The escalation policy of ``queue:<code>`` or ``term:<code>`` (``None`` removes it)."""

    def put_retention(self, scope: str, version: int, rule: RetentionRule | None, actor: str,
                      at: datetime) -> None:
        """Version ``version`` of the retention rule of ``kind:<code>`` or ``typification:<code>``
        (``None``: the scope has no rule from this version on); older versions are kept."""

    def retention_versions(self, scope: str) -> list[tuple[int, RetentionRule | None, str, datetime]]:
        """Every stored version of a scope's retention rule (version, rule, who, when), newest first."""
        ...

    def sources(self) -> dict[tuple[str, str], str]:
        """``(list_name, code) -> source`` for every stored entry of every list."""
        ...

    def record_change(self, actor: str, at: datetime, what: str, data: dict[str, Any]) -> None:
        """Append to the catalog's audit log."""

    def changes(self, limit: int = 100) -> list[dict[str, Any]]: ...


class NumberAllocator(Protocol):
    def next(self, prefix: str, year: int) -> int:
        """The next sequence number for ``prefix`` and ``year``, inside the current transaction:
        never handed out twice once committed, even by concurrent processes."""
        ...


class OutgoingNumbers(Protocol):
    """Outgoing filing numbers (``domain.outgoing``): the series' formats, their counters and the
    numbers handed out, inside the unit of work's transaction."""

    def series(self) -> dict[str, str]:
        """The format the organisation chose for each kind of communication (kinds not listed use
        the default)."""
        ...

    def put_series(self, kind: str, fmt: str) -> None: ...

    def next(self, series: str, year: int) -> int:
        """The next sequence number of ``series`` (its format) in ``year``: never handed out twice
        once committed, even by concurrent processes."""
        ...

    def record(self, number: OutgoingNumber) -> None:
        """Keep ``number`` with its case (a number already recorded raises)."""
        ...

    def find(self, number: str) -> OutgoingNumber | None:
        """The outgoing number ``number`` (any letter case), or ``None``."""
        ...


class ImportItem(Protocol):
    """A line's case on its way to the store, in the form its sink writes it (the ``Case`` itself, or
    rows already made from it), with what the import run needs to know of it."""

    @property
    def line(self) -> int: ...

    @property
    def number_given(self) -> bool: ...

    @property
    def filing_number(self) -> FilingNumber: ...

    @property
    def event_count(self) -> int: ...


ImportItemT = TypeVar("ImportItemT", bound=ImportItem)


class CaseImportSink(Protocol[ImportItemT]):
    """Where ``pqrs import`` writes historical cases: a fast path beside the unit of work, one
    transaction per batch (``pqrs_core.services.import_run``)."""

    def sequences(self) -> dict[tuple[str, int], int]:
        """The last filing number handed out per ``(prefix, year)``."""
        ...

    def prepare(self, line: int, case: Case, number_given: bool) -> ImportItemT:
        """What ``write`` takes for this case. Pure (no store access), so that it may run in another
        process than ``write``."""
        ...

    def write(self, items: Sequence[ImportItemT]) -> None:
        """Store the cases (snapshot, events, version 1) and move each filing sequence past their
        numbers, all in one transaction; ``FilingNumbersTaken`` and nothing written when a number is
        already in the store."""

    def finish(self) -> None:
        """After the last batch: refresh what the database plans queries with (statistics)."""


class FileStore(Protocol):
    def put(self, content: bytes) -> str:
        """Store bytes; return an opaque key (never derived from a user-given name). Raises
        ``StorageUnavailable`` when the store cannot keep them now (full, not writable)."""
        ...

    def get(self, key: str) -> bytes: ...

    def check(self) -> None:
        """Raise ``StorageUnavailable`` unless the store can keep new files now (health checks)."""
        ...


class RateCounter(Protocol):
    """Amounts counted per ``bucket`` (what is limited) and ``subject`` (who) in fixed windows, the
    same for every process on every host that shares the store. Part of the unit of work: a count
    is kept only if the unit of work commits (a refused command costs nothing)."""

    def add(self, bucket: str, subject: str, amount: int, *, window: timedelta,
            now: datetime) -> tuple[int, datetime]:
        """Count ``amount`` more for ``subject`` in the window ``now`` falls in; return the total of
        that window, this amount included, and when the window ends."""
        ...


class Outbox(Protocol):
    """Notifications written in the same transaction as the change that causes them; a worker
    delivers them afterwards (``pqrs worker``), at most once each."""

    def add(self, *notifications: Notification) -> None:
        """Queue the notifications (an adapter may write them all at once)."""
        ...

    def pending(self, limit: int = 100) -> list[Notification]:
        """Notifications not delivered yet, oldest first (for tests and the in-memory worker)."""
        ...


@attrs.frozen
class StaffMember:
    """A person who works in a queue, as assignment sees them: profile (skills, absences, cap) and
    roles (the strategies hand cases only to people who work cases and do not distribute them)."""

    agent: Agent
    roles: frozenset[str]


class AssignmentStore(Protocol):
    """Queue policies, people's profiles and absences, and what people hold (assignment strategies)."""

    def policy(self, queue: str, *, lock: bool = False) -> QueuePolicy:
        """The policy of ``queue`` (manual when none was set). ``lock``: hold it until the unit of work
        ends, so that concurrent assignments in the queue take turns one after the other."""
        ...

    def policies(self) -> dict[str, QueuePolicy]: ...

    def strategy(self, queue: str) -> Strategy:
        """The strategy of ``queue`` (manual when none was set), without locking anything: what filing
        asks first, to lock and count nothing for a queue whose cases nobody hands out."""
        ...

    def put_policy(self, queue: str, strategy: Strategy, cap: int | None) -> None:
        """Set the strategy and per-person cap of ``queue`` (the round-robin pointer stays)."""
        ...

    def advance(self, queue: str, last: str) -> None:
        """Record that ``last`` received the queue's latest case by turns."""
        ...

    def staff(self, queue: str) -> list[StaffMember]:
        """The active people who work in ``queue``, with their profile and absences."""
        ...

    def agent(self, username: str) -> Agent:
        """``username``'s profile and absences (an empty profile when none was set)."""
        ...

    def agents(self, usernames: Sequence[str]) -> list[Agent]:
        """``agent`` for each of ``usernames``, in one go."""
        ...

    def absent(self, day: date) -> list[str]:
        """The people absent on ``day``, by user name."""
        ...

    def holdings(self, usernames: Sequence[str], now: datetime) -> dict[str, Holding]:
        """What each of ``usernames`` holds: open cases by priority rank and how many are overdue."""
        ...

    def put_profile(self, agent: Agent) -> None:
        """Store ``agent``'s skills, working weekdays and cap (not their absences)."""
        ...

    def add_absence(self, username: str, absence: Absence, actor: str, at: datetime) -> None: ...

    def remove_absence(self, username: str, absence_id: str) -> bool:
        """Remove one of ``username``'s absences; ``False`` when they have none with that id."""
        ...


class VoidingStore(Protocol):
    """Voiding requests and records (``domain.voiding``), inside the unit of work's transaction."""

    def add(self, voiding: Voiding) -> None:
        """Store a new request: ``InvalidOperation`` when the same target already has one pending."""
        ...

    def get(self, voiding_id: str) -> Voiding:
        """The request (``NotFound`` when there is none)."""
        ...

    def save(self, voiding: Voiding) -> None:
        """Store the decision taken on a request."""
        ...

    def list(self, status: VoidingStatus | None = None, *, target_kind: str | None = None,
             target: str | None = None, limit: int = 200) -> list[Voiding]:
        """Requests, newest first, with ``status`` and of one target when given."""
        ...


class UnitOfWork(Protocol):
    # Read-only members: an adapter may expose its own concrete repository types.
    @property
    def cases(self) -> CaseRepository: ...

    @property
    def catalog(self) -> CatalogStore: ...

    @property
    def numbers(self) -> NumberAllocator: ...

    @property
    def outgoing(self) -> OutgoingNumbers: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def rates(self) -> RateCounter: ...

    @property
    def assignment(self) -> AssignmentStore: ...

    @property
    def voidings(self) -> VoidingStore: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def collect_new_events(self) -> Iterator[DomainEvent]:
        """Events of the cases saved in this unit of work since the last collection."""
        ...


class DocumentSigner(Protocol):
    """Signs documents with the organisation's certificate (``pqrs_adapters.documents.pades``)."""

    def sign(self, pdf: bytes, signer: Signer) -> bytes:
        """``pdf`` signed in the name of ``signer``: a new document that contains the same one."""
        ...


class DocumentRenderer(Protocol):
    """Typesets official letters (``domain.letters.Letter``) as documents: one adapter per typesetting
    library (``pqrs_adapters.documents``)."""

    media_type: str  # what ``render`` produces: "application/pdf"

    def render(self, letter: Letter) -> bytes:
        """The document's bytes; raises on a letter it cannot typeset (a broken template)."""
        ...

