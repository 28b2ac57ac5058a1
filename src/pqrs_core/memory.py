"""In-memory adapters of every port: for unit tests, examples and library users.

A ``MemoryStore`` holds the committed state; each ``MemoryUnitOfWork`` works on a private copy and
publishes it on ``commit``. Units of work are serialised by a lock, so concurrent threads see the
same guarantees the SQL store gives (no lost update, stale versions rejected).
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Self

import attrs

from .domain.access import Role
from .domain.assignment import Agent, QueuePolicy
from .domain.calendar import BusinessCalendar
from .domain.case import Case
from .domain.catalog import LIST_NAMES, Catalog, CatalogEntry, FieldDefinition, Priority, Queue
from .domain.errors import ConcurrencyConflict, InvalidOperation, NotFound, ValidationError
from .domain.escalation import EscalationPolicy
from .domain.events import DomainEvent
from .domain.notifications import Notification
from .domain.outgoing import OutgoingNumber, search_key
from .domain.rates import window_start
from .domain.retention import RetentionRule, current_retention
from .domain.routing_defaults import TypificationDefaults
from .domain.rules import Rule
from .domain.sla import TermPolicy
from .domain.typification import TypificationNode, TypificationTree
from .domain.voiding import Voiding, VoidingStatus
from .domain.workflow import Workflow, next_version
from .memory_assignment import Member, MemoryAssignmentStore
from .ports import SORTS, CasePage, CaseQuery, CaseSummary
from .query_filters import matches_query, sort_key, summarize
from .services.reports import (
    Counts,
    ReportFacts,
    ReportRow,
    TimedCases,
    count_rows,
    report_row,
    row_order,
    timed_cases,
)


@attrs.define
class _State:
    cases: dict[str, Case] = attrs.field(factory=dict)
    events: dict[str, list[DomainEvent]] = attrs.field(factory=dict)
    order: list[str] = attrs.field(factory=list)
    sequences: dict[tuple[str, int], int] = attrs.field(factory=dict)
    outgoing_series: dict[str, str] = attrs.field(factory=dict)
    outgoing_sequences: dict[tuple[str, int], int] = attrs.field(factory=dict)
    outgoing_numbers: dict[str, OutgoingNumber] = attrs.field(factory=dict)
    entries: dict[str, dict[str, tuple[CatalogEntry, str]]] = attrs.field(
        factory=lambda: {name: {} for name in LIST_NAMES})
    priorities: dict[str, tuple[Priority, str]] = attrs.field(factory=dict)
    queues: dict[str, tuple[Queue, str]] = attrs.field(factory=dict)
    fields: dict[str, tuple[FieldDefinition, str]] = attrs.field(factory=dict)
    roles: dict[str, tuple[Role, str]] = attrs.field(factory=dict)
    term_policies: dict[str, tuple[TermPolicy, str]] = attrs.field(factory=dict)
    closures: dict[date, str] = attrs.field(factory=dict)
    working_weekdays: frozenset[int] | None = None
    typification_versions: list[tuple[TypificationNode, str, str, datetime]] = attrs.field(factory=list)
    workflows: dict[str, tuple[Workflow, tuple[str, ...], str]] = attrs.field(factory=dict)
    workflow_versions: dict[tuple[str, int], Workflow] = attrs.field(factory=dict)
    audit: list[dict[str, Any]] = attrs.field(factory=list)
    rules: dict[str, tuple[Rule, str]] = attrs.field(factory=dict)
    rule_versions: list[tuple[Rule, str, datetime]] = attrs.field(factory=list)
    typification_defaults: dict[str, TypificationDefaults] = attrs.field(factory=dict)
    escalation_policies: dict[str, EscalationPolicy] = attrs.field(factory=dict)
    retention_versions: list[tuple[str, int, RetentionRule | None, str, datetime]] = attrs.field(
        factory=list)
    outbox: list[Notification] = attrs.field(factory=list)
    rates: dict[tuple[str, str, datetime], int] = attrs.field(factory=dict)
    queue_policies: dict[str, QueuePolicy] = attrs.field(factory=dict)
    agents: dict[str, Agent] = attrs.field(factory=dict)
    members: dict[str, Member] = attrs.field(factory=dict)
    voidings: dict[str, Voiding] = attrs.field(factory=dict)
    writes: int = 0  # writes made in a unit of work's copy since it began


class MemoryStore:
    """The committed state shared by every unit of work made from it."""

    def __init__(self) -> None:
        self.state = _State()
        self.lock = threading.RLock()

    def unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)


class MemoryCaseRepository:
    def __init__(self, state: _State, store: MemoryStore | None = None) -> None:
        self._state = state
        self._store = store
        self.seen: list[Case] = []
        # The committed version of each case this unit of work wrote, as it was when it first wrote it:
        # another writer committed meanwhile when the committed version is no longer that one.
        self._committed_versions: dict[str, int] = {}

    def add(self, case: Case) -> None:
        key = str(case.filing_number)
        if key in self._state.cases:
            raise ConcurrencyConflict(key, 0, self._state.cases[key].version)
        self._state.writes += 1
        self._state.events[key] = list(case.events)
        case.version = 1
        self._state.cases[key] = copy.deepcopy(case)
        self._state.order.append(key)
        self.seen.append(case)

    def get(self, filing_number: str) -> Case:
        try:
            case = copy.deepcopy(self._state.cases[filing_number.strip().upper()])
        except KeyError:
            raise NotFound("el caso", filing_number) from None
        case.events = []
        return case

    def find_external(self, source: str, number: str) -> str | None:
        return next((str(c.filing_number) for c in self._state.cases.values()
                     if c.external_source == source and c.external_number == number), None)

    def save(self, case: Case) -> None:
        key = str(case.filing_number)
        stored = self._state.cases.get(key)
        if stored is None:
            raise NotFound("el caso", key)
        committed = self._store.state.cases.get(key) if self._store is not None else stored
        if stored.version != case.version:
            raise ConcurrencyConflict(key, case.version, stored.version)
        if committed is not None and committed.version != self._committed_versions.get(key, stored.version):
            raise ConcurrencyConflict(key, case.version, committed.version)
        if not case.events:
            return
        self._committed_versions.setdefault(key, stored.version)
        self._state.writes += 1
        self._state.events[key].extend(case.events)
        case.version += 1
        self._state.cases[key] = copy.deepcopy(case)
        self.seen.append(case)

    def get_many(self, filing_numbers: Sequence[str]) -> list[Case]:
        keys = (n.strip().upper() for n in filing_numbers)
        return [self.get(key) for key in keys if key in self._state.cases]

    def save_many(self, cases: Sequence[Case]) -> list[Case]:
        conflicted = []
        for case in cases:
            try:
                self.save(case)
            except (ConcurrencyConflict, NotFound):
                conflicted.append(case)
        return conflicted

    def history(self, filing_number: str) -> list[DomainEvent]:
        key = filing_number.strip().upper()
        if key not in self._state.events:
            raise NotFound("el caso", filing_number)
        return list(self._state.events[key])

    def list(self, query: CaseQuery) -> CasePage:
        if query.sort not in SORTS:
            raise ValidationError({"sort": f"debe ser uno de: {', '.join(SORTS)}"})
        ranks = {code: p.rank for code, (p, _s) in self._state.priorities.items()}
        def key(case: Case) -> tuple[float, ...]:
            return sort_key(case, query.sort, ranks, query.now, query.calendar)

        selected = sorted((c for c in self._state.cases.values() if self._selects(c, query)), key=key)
        if query.after is not None:
            cursor_case = self._state.cases.get(query.after.strip().upper())
            if cursor_case is None:
                raise ValidationError({"after": "el cursor no corresponde a un caso"})
            edge = key(cursor_case)
            selected = [c for c in selected if key(c) > edge]
        page = [copy.deepcopy(c) for c in selected[: query.limit]]
        cursor = str(page[-1].filing_number) if len(selected) > query.limit and page else None
        return CasePage(page, cursor)

    def due_for_alarm(self, now: datetime, limit: int) -> Sequence[str]:
        due = sorted((c.next_alarm_at, str(c.filing_number)) for c in self._state.cases.values()
                     if c.next_alarm_at is not None and c.next_alarm_at <= now)
        return [number for _at, number in due[:limit]]

    def summary(self, query: CaseQuery) -> CaseSummary:
        return summarize(c for c in self._state.cases.values() if self._selects(c, query))

    def count_by_state_category(self, query: CaseQuery) -> dict[str, int]:
        return self.summary(query).by_state_category

    def count(self, query: CaseQuery | None = None) -> int:
        query = query or CaseQuery()
        return sum(1 for c in self._state.cases.values() if self._selects(c, query))

    def _selects(self, case: Case, query: CaseQuery) -> bool:
        """``matches_query``, where the text may also be one of the case's outgoing numbers."""
        if matches_query(case, query):
            return True
        key = search_key(query.text) if query.text else None
        sent = self._state.outgoing_numbers.get(key) if key else None
        return (sent is not None and sent.case_id == case.id
                and matches_query(case, attrs.evolve(query, text=None)))


class MemoryReportQueries:
    """The reports' read model of the in-memory store: each case's row from its snapshot and history."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def rows(self, query: CaseQuery) -> Iterator[ReportRow]:
        for key, case in self._state.cases.items():
            if matches_query(case, query):
                yield report_row(case, ReportFacts().after(self._state.events.get(key, ()), case.queue))

    def counts(self, query: CaseQuery, fields: Sequence[str], timezone: str, now: datetime | None = None,
               calendar: BusinessCalendar | None = None) -> Counts:
        return count_rows(self.rows(query), fields, timezone, now, calendar)

    def page(self, query: CaseQuery, offset: int, limit: int) -> list[ReportRow]:
        return sorted(self.rows(query), key=row_order)[offset:offset + limit]

    def answer_times(self, query: CaseQuery, calendar: BusinessCalendar) -> Iterator[TimedCases]:
        return timed_cases(self.rows(query), calendar)


def memory_report_queries(uow: Any) -> MemoryReportQueries:
    """The report queries of an in-memory unit of work (``reports.report_rows``'s ``source``)."""
    assert isinstance(uow, MemoryUnitOfWork) and uow._working is not None, "outside the unit of work"
    return MemoryReportQueries(uow._working)


class MemoryCatalogStore:
    def __init__(self, state: _State) -> None:
        self._state = state

    def loaded(self) -> Catalog | None:
        return None  # loading is cheap here: callers load again

    def load(self) -> Catalog:
        s = self._state
        nodes: dict[str, TypificationNode] = {}
        for node, _source, _actor, _at in s.typification_versions:
            nodes[node.code] = node
        workflows = tuple(w for w, _k, _s in s.workflows.values())
        kind_workflows = {kind: code for code, (_w, kinds, _s) in s.workflows.items() for kind in kinds}

        def entries(name: str) -> tuple[CatalogEntry, ...]:
            return tuple(sorted((e for e, _ in s.entries[name].values()), key=lambda e: (e.position, e.code)))

        return Catalog(
            kinds=entries("kinds"), reasons=entries("reasons"), channels=entries("channels"),
            document_types=entries("document_types"), tags=entries("tags"),
            root_causes=entries("root_causes"),
            priorities=tuple(sorted((p for p, _ in s.priorities.values()), key=lambda p: p.rank)),
            queues=tuple(sorted((q for q, _ in s.queues.values()), key=lambda q: (q.tier, q.code))),
            fields=tuple(f for f, _ in s.fields.values()), workflows=workflows,
            workflow_versions=tuple(w for w in s.workflow_versions.values() if w not in workflows),
            roles=tuple(sorted((r for r, _ in s.roles.values()), key=lambda r: r.code)),
            term_policies=tuple(sorted((t for t, _ in s.term_policies.values()), key=lambda t: t.code)),
            closures=tuple(sorted(s.closures)), working_weekdays=s.working_weekdays,
            typifications=TypificationTree(nodes.values()), kind_workflows=kind_workflows,
            typification_defaults=dict(s.typification_defaults),
            rules=tuple(sorted((r for r, _ in s.rules.values()), key=lambda r: (r.position, r.code))),
            escalation_policies=dict(s.escalation_policies),
            retention=current_retention((scope, version, rule) for scope, version, rule, _, _
                                        in s.retention_versions),
        )

    def put_entry(self, list_name: str, entry: CatalogEntry, source: str) -> None:
        self._state.writes += 1
        self._state.entries[list_name][entry.code] = (entry, source)

    def put_priority(self, priority: Priority, source: str) -> None:
        self._state.writes += 1
        self._state.priorities[priority.code] = (priority, source)

    def put_queue(self, queue: Queue, source: str) -> None:
        self._state.writes += 1
        self._state.queues[queue.code] = (queue, source)

    def put_field(self, definition: FieldDefinition, source: str) -> None:
        self._state.writes += 1
        self._state.fields[definition.code] = (definition, source)

    def put_role(self, role: Role, source: str) -> None:
        self._state.writes += 1
        self._state.roles[role.code] = (role, source)

    def put_term_policy(self, policy: TermPolicy, source: str) -> None:
        self._state.writes += 1
        self._state.term_policies[policy.code] = (policy, source)

    def put_closure(self, day: date, label: str) -> None:
        self._state.writes += 1
        self._state.closures[day] = label

    def remove_closure(self, day: date) -> None:
        self._state.writes += 1
        self._state.closures.pop(day, None)

    def put_working_weekdays(self, weekdays: frozenset[int]) -> None:
        self._state.writes += 1
        self._state.working_weekdays = frozenset(weekdays)

    def put_typification(self, node: TypificationNode, source: str, actor: str, at: datetime) -> None:
        self._state.writes += 1
        self._state.typification_versions.append((node, source, actor, at))

    def put_workflow(self, workflow: Workflow, kinds: Sequence[str], source: str) -> None:
        self._state.writes += 1
        stored = self._state.workflows.get(workflow.code)
        versioned = next_version(stored[0] if stored else None, workflow)
        self._state.workflows[workflow.code] = (versioned, tuple(kinds), source)
        self._state.workflow_versions[(versioned.code, versioned.version)] = versioned

    def put_rule(self, rule: Rule, source: str, actor: str, at: datetime) -> None:
        self._state.writes += 1
        self._state.rules[rule.code] = (rule, source)
        stored = {(r.code, r.version) for r, _a, _t in self._state.rule_versions}
        if (rule.code, rule.version) not in stored:
            self._state.rule_versions.append((rule, actor, at))

    def set_rule_enabled(self, code: str, enabled: bool, *, reason: str = "") -> None:
        self._state.writes += 1
        rule, source = self._state.rules[code]
        self._state.rules[code] = (attrs.evolve(rule, enabled=enabled, disabled_reason=reason), source)

    def rule_versions(self, code: str) -> list[tuple[Rule, str, datetime]]:
        found = [item for item in self._state.rule_versions if item[0].code == code]
        return sorted(found, key=lambda item: -item[0].version)

    def put_typification_defaults(self, code: str, defaults: TypificationDefaults) -> None:
        self._state.writes += 1
        if defaults.empty:
            self._state.typification_defaults.pop(code, None)
        else:
            self._state.typification_defaults[code] = defaults

    def put_escalation_policy(self, scope: str, policy: EscalationPolicy | None) -> None:
        self._state.writes += 1
        if policy is None:
            self._state.escalation_policies.pop(scope, None)
        else:
            self._state.escalation_policies[scope] = policy

    def put_retention(self, scope: str, version: int, rule: RetentionRule | None, actor: str,
                      at: datetime) -> None:
        self._state.writes += 1
        self._state.retention_versions.append((scope, version, rule, actor, at))

    def retention_versions(self, scope: str) -> list[tuple[int, RetentionRule | None, str, datetime]]:
        found = [(v, r, who, at) for s, v, r, who, at in self._state.retention_versions if s == scope]
        return sorted(found, key=lambda item: -item[0])

    def sources(self) -> dict[tuple[str, str], str]:
        s = self._state
        found: dict[tuple[str, str], str] = {}
        for name, entries in s.entries.items():
            found.update({(name, code): src for code, (_e, src) in entries.items()})
        found.update({("priorities", c): src for c, (_p, src) in s.priorities.items()})
        found.update({("queues", c): src for c, (_q, src) in s.queues.items()})
        found.update({("fields", c): src for c, (_f, src) in s.fields.items()})
        found.update({("roles", c): src for c, (_r, src) in s.roles.items()})
        found.update({("term_policies", c): src for c, (_t, src) in s.term_policies.items()})
        found.update({("workflows", c): src for c, (_w, _k, src) in s.workflows.items()})
        for node, src, _a, _t in s.typification_versions:
            found[("typifications", node.code)] = src
        found.update({("rules", c): src for c, (_r, src) in s.rules.items()})
        return found

    def record_change(self, actor: str, at: datetime, what: str, data: dict[str, Any]) -> None:
        self._state.writes += 1
        self._state.audit.append({"actor": actor, "at": at, "what": what, "data": data})

    def changes(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(reversed(self._state.audit))[:limit]


class MemoryNumberAllocator:
    def __init__(self, state: _State) -> None:
        self._state = state

    def next(self, prefix: str, year: int) -> int:
        value = self._state.sequences.get((prefix, year), 0) + 1
        self._state.writes += 1
        self._state.sequences[(prefix, year)] = value
        return value


class MemoryOutgoingNumbers:
    def __init__(self, state: _State) -> None:
        self._state = state

    def series(self) -> dict[str, str]:
        return dict(self._state.outgoing_series)

    def put_series(self, kind: str, fmt: str) -> None:
        self._state.writes += 1
        self._state.outgoing_series[kind] = fmt

    def next(self, series: str, year: int) -> int:
        value = self._state.outgoing_sequences.get((series, year), 0) + 1
        self._state.writes += 1
        self._state.outgoing_sequences[(series, year)] = value
        return value

    def record(self, number: OutgoingNumber) -> None:
        key = number.number.casefold()
        if key in self._state.outgoing_numbers:
            raise ValueError(f"outgoing number {number.number} already issued")
        self._state.writes += 1
        self._state.outgoing_numbers[key] = number

    def find(self, number: str) -> OutgoingNumber | None:
        return self._state.outgoing_numbers.get(number.strip().casefold())


class MemoryVoidingStore:
    def __init__(self, state: _State) -> None:
        self._state = state

    def add(self, voiding: Voiding) -> None:
        if self.list(VoidingStatus.PENDING, target_kind=voiding.target_kind, target=voiding.target):
            raise InvalidOperation("ya hay una solicitud de anulación pendiente para este registro")
        self.save(voiding)

    def get(self, voiding_id: str) -> Voiding:
        if voiding_id not in self._state.voidings:
            raise NotFound("la solicitud de anulación", voiding_id)
        return copy.deepcopy(self._state.voidings[voiding_id])

    def save(self, voiding: Voiding) -> None:
        self._state.writes += 1
        self._state.voidings[voiding.id] = copy.deepcopy(voiding)

    def list(self, status: VoidingStatus | None = None, *, target_kind: str | None = None,
             target: str | None = None, limit: int = 200) -> list[Voiding]:
        found = [v for v in self._state.voidings.values()
                 if (status is None or v.status == status) and target_kind in (None, v.target_kind)
                 and target in (None, v.target)]
        found.sort(key=lambda v: (v.requested_at, v.id), reverse=True)
        return [copy.deepcopy(v) for v in found[:limit]]


class MemoryOutbox:
    def __init__(self, state: _State) -> None:
        self._state = state

    def add(self, *notifications: Notification) -> None:
        if notifications:
            self._state.writes += 1
            self._state.outbox.extend(notifications)

    def pending(self, limit: int = 100) -> list[Notification]:
        return list(self._state.outbox[:limit])


class MemoryRateCounter:
    def __init__(self, state: _State) -> None:
        self._state = state

    def add(self, bucket: str, subject: str, amount: int, *, window: timedelta,
            now: datetime) -> tuple[int, datetime]:
        start = window_start(now, window)
        key = (bucket, subject, start)
        self._state.writes += 1
        self._state.rates[key] = self._state.rates.get(key, 0) + amount
        return self._state.rates[key], start + window


class MemoryUnitOfWork:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._working: _State | None = None
        self._base: _State | None = None
        self._published: list[DomainEvent] = []

    def __enter__(self) -> Self:
        self._store.lock.acquire()
        self._base = self._store.state
        self._working = copy.deepcopy(self._store.state)
        self.cases = MemoryCaseRepository(self._working, self._store)
        self.catalog = MemoryCatalogStore(self._working)
        self.numbers = MemoryNumberAllocator(self._working)
        self.outgoing = MemoryOutgoingNumbers(self._working)
        self.outbox = MemoryOutbox(self._working)
        self.rates = MemoryRateCounter(self._working)
        self.assignment = MemoryAssignmentStore(self._working)
        self.voidings = MemoryVoidingStore(self._working)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self.rollback()
        finally:
            self._store.lock.release()

    def commit(self) -> None:
        assert self._working is not None, "commit outside the unit of work"
        if self._working.writes and self._store.state is not self._base:
            # Another unit of work (in this same thread) committed since this one began.
            stale = next((c for c in self.cases.seen), None)
            key = str(stale.filing_number) if stale is not None else "catálogo"
            raise ConcurrencyConflict(key, stale.version if stale else 0, None)
        if self._working.writes:
            self._working.writes = 0
            self._store.state = copy.deepcopy(self._working)
            self._base = self._store.state
        for case in self.cases.seen:
            self._published.extend(case.events)
            case.events = []
        self.cases.seen = []

    def rollback(self) -> None:
        if self._working is not None:
            self._base = self._store.state
            self._working = copy.deepcopy(self._store.state)
            self.cases = MemoryCaseRepository(self._working, self._store)
            self.catalog = MemoryCatalogStore(self._working)
            self.numbers = MemoryNumberAllocator(self._working)
            self.outgoing = MemoryOutgoingNumbers(self._working)
            self.outbox = MemoryOutbox(self._working)
            self.rates = MemoryRateCounter(self._working)
            self.assignment = MemoryAssignmentStore(self._working)
            self.voidings = MemoryVoidingStore(self._working)

    def collect_new_events(self) -> Iterator[DomainEvent]:
        while self._published:
            yield self._published.pop(0)


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class MemoryFileStore:
    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def put(self, content: bytes) -> str:
        key = sha256_hex(content)
        self._files[key] = content
        return key

    def check(self) -> None:
        """Memory is always writable."""

    def get(self, key: str) -> bytes:
        try:
            return self._files[key]
        except KeyError:
            raise NotFound("el archivo", key) from None

