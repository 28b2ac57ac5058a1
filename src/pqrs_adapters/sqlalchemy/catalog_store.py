"""``SqlCatalogStore``: the catalog the administrator edits at run time, with each entry's source.

Loading the catalog takes a dozen queries, and every request needs it. Each change to it (every
``put_*``, ``remove_*`` and recorded change) sets a new token in ``catalog_revision`` in the same
transaction; a ``CatalogCache`` shared by the units of work of one process keeps the catalog it loaded
with the token it read first, and serves it again while the stored token is the same. A change made by
any process on any host is therefore seen by the next unit of work everywhere.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import attrs
import cattrs
from sqlalchemy import ColumnElement, Connection, func, insert, select, update

from pqrs_core.domain.access import Role
from pqrs_core.domain.catalog import LIST_NAMES, Catalog, CatalogEntry, FieldDefinition, Priority, Queue
from pqrs_core.domain.escalation import EscalationPolicy
from pqrs_core.domain.retention import RetentionRule, current_retention
from pqrs_core.domain.routing_defaults import TypificationDefaults
from pqrs_core.domain.rules import Rule
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.typification import TypificationNode, TypificationTree
from pqrs_core.domain.workflow import Workflow, next_version

from .codec import upsert
from .tables import (
    cases,
    catalog_changes,
    catalog_entries,
    catalog_revision,
    closures,
    escalation_policies,
    field_definitions,
    organisation_settings,
    priorities,
    queues,
    retention_versions,
    roles,
    rule_versions,
    rules,
    term_policies,
    typification_defaults,
    typification_versions,
    workflow_versions,
    workflows,
)

_LISTS = LIST_NAMES
# Read by every unit of work that needs the catalog: built once, so SQLAlchemy compiles it once.
_REVISION = select(catalog_revision.c.token).where(catalog_revision.c.id == 1)


def touch_revision(conn: Connection) -> None:
    """Set a new revision token in ``conn``'s transaction: what every process cached at the old one
    (the catalog, the active webhook subscriptions) is read again."""
    token = uuid.uuid4().hex
    if conn.execute(update(catalog_revision).where(catalog_revision.c.id == 1)
                    .values(token=token)).rowcount == 0:
        conn.execute(insert(catalog_revision).values(id=1, token=token))


T = TypeVar("T")


class RevisionCache(Generic[T]):
    """What a process read of something that changes only with a new revision token (``touch_revision``),
    and the token it was read at: served again while a unit of work reads the same token."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: str | None = None
        self._value: T | None = None

    def get(self, token: str | None) -> T | None:
        with self._lock:
            return self._value if token is not None and token == self._token else None

    def put(self, token: str | None, value: T) -> None:
        if token is not None:
            with self._lock:
                self._token, self._value = token, value


class CatalogCache:
    """The last catalog a process loaded and the revision token it was loaded at."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: str | None = None
        self._catalog: Catalog | None = None

    def get(self, token: str | None) -> Catalog | None:
        with self._lock:
            if token is None or token != self._token or self._catalog is None:
                return None
            catalog = self._catalog
        # The typification tree is the one mutable part (administration edits a loaded copy).
        return attrs.evolve(catalog, typifications=TypificationTree(catalog.typifications))

    def put(self, token: str | None, catalog: Catalog) -> None:
        if token is None:
            return
        with self._lock:
            self._token, self._catalog = token, catalog


class SqlCatalogStore:
    def __init__(self, conn: Connection, converter: cattrs.Converter,
                 cache: CatalogCache | None = None) -> None:
        self._conn = conn
        self._converter = converter
        self._cache = cache
        self._touched = False
        self._loaded: Catalog | None = None
        # The revision token this unit of work read (``None``: not read, or changed here since).
        self.token: str | None = None

    def load(self) -> Catalog:
        self._loaded = self._load_or_reuse()
        return self._loaded

    def loaded(self) -> Catalog | None:
        return self._loaded

    def _load_or_reuse(self) -> Catalog:
        if self._cache is None or self._touched:
            return self._load()
        # The token first: the tables read after it can only be as new or newer, never older. Read once
        # per transaction: its later loads give the catalog of its first (a list by deadline, for one,
        # asks twice in a request).
        cached = self._cache.get(self.token)  # ``None`` while no revision was read here
        if cached is not None:
            return cached
        token = self._conn.execute(_REVISION).scalar_one_or_none()
        self.token = token
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        catalog = self._load()
        self._cache.put(token, catalog)
        return attrs.evolve(catalog, typifications=TypificationTree(catalog.typifications))

    def forget(self) -> None:
        """The transaction ended: the next load reads the revision again."""
        self.token = None

    def touch(self) -> None:
        """A new revision token: the catalog changes in this transaction."""
        touch_revision(self._conn)
        self._touched = True
        self._loaded = None
        self.token = None

    def _load(self) -> Catalog:
        conn, conv = self._conn, self._converter
        entries: dict[str, list[CatalogEntry]] = {name: [] for name in _LISTS}
        for r in conn.execute(select(catalog_entries).order_by(
                catalog_entries.c.position, catalog_entries.c.code)).mappings():
            entries.setdefault(r["list_name"], []).append(CatalogEntry(
                code=r["code"], label=r["label"], description=r["description"], position=r["position"],
                active=r["active"]))
        prios = tuple(Priority(code=r["code"], label=r["label"], rank=r["rank"], important=r["important"],
                               urgent=r["urgent"], active=r["active"])
                      for r in conn.execute(select(priorities).order_by(priorities.c.rank, priorities.c.code))
                      .mappings())
        qs = tuple(Queue(code=r["code"], label=r["label"], tier=r["tier"], description=r["description"],
                         active=r["active"])
                   for r in conn.execute(select(queues).order_by(queues.c.tier, queues.c.code)).mappings())
        fields = tuple(conv.structure(r.definition, FieldDefinition) for r in conn.execute(
            select(field_definitions.c.definition).order_by(field_definitions.c.position)))
        wfs: list[Workflow] = []
        kind_workflows: dict[str, str] = {}
        for r in conn.execute(select(workflows).order_by(workflows.c.code)).mappings():
            wfs.append(conv.structure(r["definition"], Workflow))
            kind_workflows.update({kind: r["code"] for kind in r["kinds"]})
        current = {(w.code, w.version) for w in wfs}
        earlier = tuple(w for w in (conv.structure(r.definition, Workflow) for r in conn.execute(
            select(workflow_versions.c.definition).order_by(workflow_versions.c.code,
                                                            workflow_versions.c.version)))
                        if (w.code, w.version) not in current)
        return Catalog(
            kinds=tuple(entries["kinds"]), reasons=tuple(entries["reasons"]),
            channels=tuple(entries["channels"]), document_types=tuple(entries["document_types"]),
            tags=tuple(entries["tags"]),
            root_causes=tuple(entries["root_causes"]),
            priorities=prios, queues=qs, fields=fields, workflows=tuple(wfs), workflow_versions=earlier,
            roles=self._roles(),
            term_policies=self._term_policies(),
            closures=self._closures(), working_weekdays=self._working_weekdays(),
            typifications=TypificationTree(self._current_nodes()), kind_workflows=kind_workflows,
            typification_defaults={r.code: conv.structure(r.defaults, TypificationDefaults) for r in
                                   conn.execute(select(typification_defaults))},
            rules=self._rules(),
            escalation_policies={r.scope: conv.structure(r.definition, EscalationPolicy) for r in
                                 conn.execute(select(escalation_policies))},
            retention=current_retention(
                (r.scope, r.version, None if r.definition is None
                 else conv.structure(r.definition, RetentionRule))
                for r in conn.execute(select(retention_versions.c.scope, retention_versions.c.version,
                                             retention_versions.c.definition))),
        )

    def put_entry(self, list_name: str, entry: CatalogEntry, source: str) -> None:
        self.touch()
        upsert(self._conn, catalog_entries, {
            "list_name": list_name, "code": entry.code, "label": entry.label,
            "description": entry.description, "position": entry.position, "active": entry.active,
            "source": source}, keys=("list_name", "code"))

    def put_priority(self, priority: Priority, source: str) -> None:
        self.touch()
        upsert(self._conn, priorities, {
            "code": priority.code, "label": priority.label, "rank": priority.rank,
            "important": priority.important, "urgent": priority.urgent, "active": priority.active,
            "source": source}, keys=("code",))
        # Keep the rank copied into each case (the index that orders queues) in step with the catalog.
        self._conn.execute(update(cases).where(cases.c.priority == priority.code,
                                               cases.c.priority_rank.is_distinct_from(priority.rank))
                           .values(priority_rank=priority.rank))

    def put_queue(self, queue: Queue, source: str) -> None:
        self.touch()
        upsert(self._conn, queues, {
            "code": queue.code, "label": queue.label, "tier": queue.tier, "description": queue.description,
            "active": queue.active, "source": source}, keys=("code",))

    def put_field(self, definition: FieldDefinition, source: str) -> None:
        self.touch()
        next_position = select(func.coalesce(func.max(field_definitions.c.position), 0) + 1).scalar_subquery()
        upsert(self._conn, field_definitions, {
            "code": definition.code, "position": next_position,
            "definition": self._converter.unstructure(definition), "source": source},
            keys=("code",), update=("definition", "source"))

    def _closures(self) -> tuple[date, ...]:
        return tuple(r.day for r in self._conn.execute(select(closures.c.day).order_by(closures.c.day)))

    def put_closure(self, day: date, label: str) -> None:
        self.touch()
        upsert(self._conn, closures, {"day": day, "label": label}, keys=["day"])

    def remove_closure(self, day: date) -> None:
        self.touch()
        self._conn.execute(closures.delete().where(closures.c.day == day))

    def _working_weekdays(self) -> frozenset[int] | None:
        stored = self._conn.execute(select(organisation_settings.c.value).where(
            organisation_settings.c.key == "working_weekdays")).scalar()
        return None if stored is None else frozenset(int(day) for day in stored)

    def put_working_weekdays(self, weekdays: frozenset[int]) -> None:
        self.touch()
        upsert(self._conn, organisation_settings, {"key": "working_weekdays", "value": sorted(weekdays)},
               keys=["key"])

    def put_term_policy(self, policy: TermPolicy, source: str) -> None:
        self.touch()
        upsert(self._conn, term_policies, {
            "code": policy.code, "definition": self._converter.unstructure(policy), "active": policy.active,
            "source": source}, keys=["code"])

    def _term_policies(self) -> tuple[TermPolicy, ...]:
        rows = self._conn.execute(select(term_policies).order_by(term_policies.c.code)).mappings()
        return tuple(self._converter.structure(r["definition"], TermPolicy) for r in rows)

    def put_role(self, role: Role, source: str) -> None:
        self.touch()
        upsert(self._conn, roles, {
            "code": role.code, "label": role.label, "permissions": sorted(str(p) for p in role.permissions),
            "scopes": sorted(str(s) for s in role.scopes), "kinds": list(role.kinds),
            "typifications": list(role.typifications), "active": role.active, "source": source},
            keys=("code",))

    def put_typification(self, node: TypificationNode, source: str, actor: str, at: datetime) -> None:
        self.touch()
        upsert(self._conn, typification_versions, {
            "code": node.code, "version": node.version, "label": node.label, "parent": node.parent,
            "description": node.description, "active": node.active, "position": node.position,
            "source": source, "changed_by": actor, "changed_at": at}, keys=("code", "version"))

    def put_workflow(self, workflow: Workflow, kinds: Sequence[str], source: str) -> None:
        """Store ``workflow`` bound to ``kinds``: a changed definition is saved as the next version
        (``workflow.version`` is the store's to set), an unchanged one keeps its version."""
        stored = self._conn.execute(select(workflows.c.definition).where(
            workflows.c.code == workflow.code)).scalar_one_or_none()
        previous = None if stored is None else self._converter.structure(stored, Workflow)
        versioned = next_version(previous, workflow)
        self.touch()
        definition = self._converter.unstructure(versioned)
        upsert(self._conn, workflows, {"code": workflow.code, "definition": definition,
                                       "kinds": list(kinds), "source": source}, keys=("code",))
        if previous is None or versioned.version != previous.version:
            upsert(self._conn, workflow_versions, {"code": workflow.code, "version": versioned.version,
                                                   "definition": definition, "source": source},
                   keys=("code", "version"))

    # --- routing ---------------------------------------------------------------------------------
    def _rules(self) -> tuple[Rule, ...]:
        current = (rule_versions.c.code == rules.c.code) & (rule_versions.c.version == rules.c.version)
        rows = self._conn.execute(select(rules, rule_versions.c.definition).join(rule_versions, current)
                                  .order_by(rules.c.position, rules.c.code)).mappings()
        return tuple(attrs.evolve(self._converter.structure(r["definition"], Rule), code=r["code"],
                                  version=r["version"], position=r["position"], enabled=r["enabled"],
                                  disabled_reason=r["disabled_reason"]) for r in rows)

    def put_rule(self, rule: Rule, source: str, actor: str, at: datetime) -> None:
        self.touch()
        upsert(self._conn, rules, {"code": rule.code, "version": rule.version, "position": rule.position,
                                   "enabled": rule.enabled, "disabled_reason": rule.disabled_reason,
                                   "source": source}, keys=("code",))
        stored = self._conn.execute(select(rule_versions.c.version).where(
            rule_versions.c.code == rule.code, rule_versions.c.version == rule.version)).first()
        if stored is None:
            self._conn.execute(insert(rule_versions).values(
                code=rule.code, version=rule.version, definition=self._converter.unstructure(rule),
                changed_by=actor, changed_at=at))

    def set_rule_enabled(self, code: str, enabled: bool, *, reason: str = "") -> None:
        self.touch()
        self._conn.execute(update(rules).where(rules.c.code == code)
                           .values(enabled=enabled, disabled_reason=reason))

    def rule_versions(self, code: str) -> list[tuple[Rule, str, datetime]]:
        rows = self._conn.execute(select(rule_versions).where(rule_versions.c.code == code)
                                  .order_by(rule_versions.c.version.desc())).mappings()
        return [(self._converter.structure(r["definition"], Rule), r["changed_by"], r["changed_at"])
                for r in rows]

    def put_typification_defaults(self, code: str, defaults: TypificationDefaults) -> None:
        self.touch()
        if defaults.empty:
            self._conn.execute(typification_defaults.delete().where(typification_defaults.c.code == code))
        else:
            upsert(self._conn, typification_defaults,
                   {"code": code, "defaults": self._converter.unstructure(defaults)}, keys=("code",))

    def put_escalation_policy(self, scope: str, policy: EscalationPolicy | None) -> None:
        self.touch()
        if policy is None:
            self._conn.execute(escalation_policies.delete().where(escalation_policies.c.scope == scope))
        else:
            upsert(self._conn, escalation_policies,
                   {"scope": scope, "definition": self._converter.unstructure(policy)}, keys=("scope",))

    def put_retention(self, scope: str, version: int, rule: RetentionRule | None, actor: str,
                      at: datetime) -> None:
        self.touch()
        self._conn.execute(insert(retention_versions).values(
            scope=scope, version=version,
            definition=None if rule is None else self._converter.unstructure(rule),
            changed_by=actor, changed_at=at))

    def retention_versions(self, scope: str) -> list[tuple[int, RetentionRule | None, str, datetime]]:
        rows = self._conn.execute(select(retention_versions).where(retention_versions.c.scope == scope)
                                  .order_by(retention_versions.c.version.desc())).mappings()
        return [(r["version"], None if r["definition"] is None
                 else self._converter.structure(r["definition"], RetentionRule),
                 r["changed_by"], r["changed_at"]) for r in rows]

    def sources(self) -> dict[tuple[str, str], str]:
        conn = self._conn
        found: dict[tuple[str, str], str] = {
            (r.list_name, r.code): r.source
            for r in conn.execute(select(catalog_entries.c.list_name, catalog_entries.c.code,
                                         catalog_entries.c.source))}
        for name, table in (("priorities", priorities), ("queues", queues), ("fields", field_definitions),
                            ("roles", roles), ("workflows", workflows), ("rules", rules),
                            ("term_policies", term_policies)):
            rows = conn.execute(select(table.c.code, table.c.source))
            found.update({(name, r.code): r.source for r in rows})
        latest = self._latest_versions()
        found.update({("typifications", r.code): r.source for r in conn.execute(
            select(typification_versions.c.code, typification_versions.c.source).where(latest))})
        return found

    def record_change(self, actor: str, at: datetime, what: str, data: dict[str, Any]) -> None:
        self.touch()
        self._conn.execute(insert(catalog_changes).values(actor=actor, at=at, what=what, data=data))

    def changes(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self._conn.execute(select(catalog_changes).order_by(catalog_changes.c.id.desc())
                                  .limit(limit)).mappings()
        return [{"actor": r["actor"], "at": r["at"], "what": r["what"], "data": r["data"]} for r in rows]

    # ------------------------------------------------------------------ internals
    @staticmethod
    def _latest_versions() -> ColumnElement[bool]:
        """WHERE clause: the row is the newest version of its node."""
        t, older = typification_versions, typification_versions.alias("tv")
        newest = select(func.max(older.c.version)).where(older.c.code == t.c.code).scalar_subquery()
        return t.c.version == newest

    def _roles(self) -> tuple[Role, ...]:
        rows = self._conn.execute(select(roles).order_by(roles.c.code)).mappings()
        return tuple(Role(code=r["code"], label=r["label"], permissions=frozenset(r["permissions"]),
                          scopes=frozenset(r["scopes"]), kinds=tuple(r["kinds"]),
                          typifications=tuple(r["typifications"]), active=r["active"]) for r in rows)

    def _current_nodes(self) -> list[TypificationNode]:
        rows = self._conn.execute(select(typification_versions).where(self._latest_versions())).mappings()
        return [TypificationNode(code=r["code"], label=r["label"], parent=r["parent"],
                                 description=r["description"], version=r["version"], active=r["active"],
                                 position=r["position"]) for r in rows]
