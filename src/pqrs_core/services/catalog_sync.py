"""Bringing what plugins register into the stored catalog.

- An entry a plugin registers is added when missing, and updated when the plugin's version of it
  changed (a plugin upgrade, or a plugin enabled again after being disabled).
- An entry an administrator edited (source ``admin``) is never overwritten.
- An entry whose plugin no longer registers it (uninstalled or disabled) is deactivated, not deleted,
  so past cases keep their meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

import attrs

from ..domain.catalog import LIST_NAMES, Catalog
from ..domain.errors import NotFound
from ..plugins import Registrations
from ..ports import UnitOfWork

ADMIN_SOURCE = "admin"


def _stored(catalog: Catalog, list_name: str, code: str) -> Any:
    """The stored item (entry, priority, queue, field, node or workflow), or ``None``."""
    try:
        if list_name == "priorities":
            return catalog.priority(code)
        if list_name == "queues":
            return catalog.queue(code)
        if list_name == "fields":
            return next((f for f in catalog.fields if f.code == code), None)
        if list_name == "roles":
            return catalog.role(code)
        if list_name == "term_policies":
            return next((t for t in catalog.term_policies if t.code == code), None)
        if list_name == "typifications":
            return catalog.typifications.get(code) if code in catalog.typifications else None
        if list_name == "workflows":
            return catalog.workflow(code)
        if list_name == "rules":
            return next((r for r in catalog.rules if r.code == code), None)
        return next((e for e in catalog.entries(list_name) if e.code == code), None)
    except NotFound:
        return None


def _bind(put: Callable[..., None], *before: Any, after: tuple[Any, ...] = ()) -> Callable[[Any], None]:
    """``put`` with its other positional arguments fixed around the item: ``put(*before, item, *after)``."""
    def bound(item: Any) -> None:
        put(*before, item, *after)
    return bound


def _same_rule(stored: Any, registered: Any) -> bool:
    """The same rule, whatever its version and whether the system switched it off after a failure
    (the plugin's ``enabled`` does not switch it back on at each start)."""
    def plain(rule: Any) -> Any:
        return attrs.evolve(rule, version=0, enabled=False, disabled_reason="")
    return bool(plain(stored) == plain(registered))


def _same_workflow(stored: Any, registered: Any, *, kinds: Sequence[str], stored_kinds: list[str]) -> bool:
    """The same workflow bound to the same kinds, whatever version the store numbered it."""
    return bool(attrs.evolve(registered, version=stored.version) == stored and sorted(kinds) == stored_kinds)


def sync_catalog(uow: UnitOfWork, reg: Registrations, *, actor: str, now: datetime) -> list[str]:
    """Apply ``reg`` to the store inside ``uow`` (the caller commits). Returns what changed."""
    sources = uow.catalog.sources()
    catalog = uow.catalog.load()
    changed: list[str] = []
    registered: set[tuple[str, str]] = set()

    def offer(list_name: str, code: str, item: Any, plugin: str, put: Callable[[Any], None],
              same: Callable[[Any, Any], bool] = lambda a, b: bool(a == b)) -> None:
        key = (list_name, code)
        registered.add(key)
        source = sources.get(key)
        stored = _stored(catalog, list_name, code)
        if source == ADMIN_SOURCE or (stored is not None and same(stored, item)):
            return
        put(item)
        changed.append(f"{list_name}:{code}")

    for list_name, entries in reg.entries.items():
        for code, (entry, plugin) in entries.items():
            offer(list_name, code, entry, plugin, _bind(uow.catalog.put_entry, list_name, after=(plugin,)))
    for code, (priority, plugin) in reg.priorities.items():
        offer("priorities", code, priority, plugin, _bind(uow.catalog.put_priority, after=(plugin,)))
    for code, (queue, plugin) in reg.queues.items():
        offer("queues", code, queue, plugin, _bind(uow.catalog.put_queue, after=(plugin,)))
    for code, (definition, plugin) in reg.fields.items():
        offer("fields", code, definition, plugin, _bind(uow.catalog.put_field, after=(plugin,)))
    for code, (role, plugin) in reg.roles.items():
        offer("roles", code, role, plugin, _bind(uow.catalog.put_role, after=(plugin,)))
    for code, (policy, plugin) in reg.term_policies.items():
        offer("term_policies", code, policy, plugin, _bind(uow.catalog.put_term_policy, after=(plugin,)))
    for code, (node, plugin) in reg.typifications.items():
        stored_node = _stored(catalog, "typifications", code)
        version = stored_node.version + 1 if stored_node is not None else node.version
        offer("typifications", code, attrs.evolve(node, version=version), plugin,
              _bind(uow.catalog.put_typification, after=(plugin, actor, now)),
              same=lambda a, b: bool(attrs.evolve(a, version=0) == attrs.evolve(b, version=0)))
    for code, (workflow, kinds, plugin) in reg.workflows.items():
        stored_kinds = sorted(k for k, w in catalog.kind_workflows.items() if w == code)
        offer("workflows", code, workflow, plugin,
              _bind(uow.catalog.put_workflow, after=(kinds, plugin)),
              same=partial(_same_workflow, kinds=kinds, stored_kinds=stored_kinds))

    for code, (rule, plugin) in reg.rules.items():
        stored_rule = _stored(catalog, "rules", code)
        version = 1 if stored_rule is None else stored_rule.version + (not _same_rule(stored_rule, rule))
        offer("rules", code, attrs.evolve(rule, version=version), plugin,
              _bind(uow.catalog.put_rule, after=(plugin, actor, now)), same=_same_rule)

    changed.extend(_deactivate_orphans(uow, catalog, sources, registered, actor, now))
    if changed:
        uow.catalog.record_change(actor, now, "catalog.sync", {"changed": changed})
    return changed


def _deactivate_orphans(uow: UnitOfWork, catalog: Catalog, sources: dict[tuple[str, str], str],
                        registered: set[tuple[str, str]], actor: str, now: datetime) -> list[str]:
    changed = []
    for (list_name, code), source in sources.items():
        if source == ADMIN_SOURCE or (list_name, code) in registered:
            continue
        stored = _stored(catalog, list_name, code)
        if stored is None or not getattr(stored, "active", getattr(stored, "enabled", False)):
            continue
        if list_name in LIST_NAMES:
            uow.catalog.put_entry(list_name, attrs.evolve(stored, active=False), source)
        elif list_name == "priorities":
            uow.catalog.put_priority(attrs.evolve(stored, active=False), source)
        elif list_name == "queues":
            uow.catalog.put_queue(attrs.evolve(stored, active=False), source)
        elif list_name == "fields":
            uow.catalog.put_field(attrs.evolve(stored, active=False), source)
        elif list_name == "roles":
            uow.catalog.put_role(attrs.evolve(stored, active=False), source)
        elif list_name == "term_policies":
            uow.catalog.put_term_policy(attrs.evolve(stored, active=False), source)
        elif list_name == "rules":
            if not stored.enabled:
                continue
            uow.catalog.set_rule_enabled(code, False, reason="El complemento que la registró ya no está")
        elif list_name == "typifications":
            uow.catalog.put_typification(attrs.evolve(stored, active=False, version=stored.version + 1),
                                         source, actor, now)
        else:
            continue
        changed.append(f"deactivated {list_name}:{code}")
    return changed
