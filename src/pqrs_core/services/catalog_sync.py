"""Bringing what plugins register into the stored catalog.

- An entry a plugin registers is added when missing, and updated when the plugin's version of it
  changed (a plugin upgrade, or a plugin enabled again after being disabled).
- An entry an administrator edited (source ``admin``) is never overwritten.
- An entry whose plugin no longer registers it (uninstalled or disabled) is deactivated, not deleted,
  so past cases keep their meaning.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs

from ..domain.catalog import Catalog
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
        if list_name == "typifications":
            return catalog.typifications.get(code) if code in catalog.typifications else None
        if list_name == "workflows":
            return catalog.workflow(code)
        return next((e for e in catalog.entries(list_name) if e.code == code), None)
    except NotFound:
        return None


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
            offer(list_name, code, entry, plugin,
                  lambda e, n=list_name, p=plugin: uow.catalog.put_entry(n, e, p))
    for code, (priority, plugin) in reg.priorities.items():
        offer("priorities", code, priority, plugin, lambda x, p=plugin: uow.catalog.put_priority(x, p))
    for code, (queue, plugin) in reg.queues.items():
        offer("queues", code, queue, plugin, lambda x, p=plugin: uow.catalog.put_queue(x, p))
    for code, (definition, plugin) in reg.fields.items():
        offer("fields", code, definition, plugin, lambda x, p=plugin: uow.catalog.put_field(x, p))
    for code, (node, plugin) in reg.typifications.items():
        stored_node = _stored(catalog, "typifications", code)
        version = stored_node.version + 1 if stored_node is not None else node.version
        offer("typifications", code, attrs.evolve(node, version=version), plugin,
              lambda x, p=plugin: uow.catalog.put_typification(x, p, actor, now),
              same=lambda a, b: bool(attrs.evolve(a, version=0) == attrs.evolve(b, version=0)))
    for code, (workflow, kinds, plugin) in reg.workflows.items():
        stored_kinds = sorted(k for k, w in catalog.kind_workflows.items() if w == code)
        offer("workflows", code, workflow, plugin,
              lambda x, k=kinds, p=plugin: uow.catalog.put_workflow(x, k, p),
              same=lambda a, b, k=kinds, sk=stored_kinds: bool(a == b and sorted(k) == sk))

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
        if stored is None or not getattr(stored, "active", False):
            continue
        if list_name in ("kinds", "reasons", "channels", "document_types"):
            uow.catalog.put_entry(list_name, attrs.evolve(stored, active=False), source)
        elif list_name == "priorities":
            uow.catalog.put_priority(attrs.evolve(stored, active=False), source)
        elif list_name == "queues":
            uow.catalog.put_queue(attrs.evolve(stored, active=False), source)
        elif list_name == "fields":
            uow.catalog.put_field(attrs.evolve(stored, active=False), source)
        elif list_name == "typifications":
            uow.catalog.put_typification(attrs.evolve(stored, active=False, version=stored.version + 1),
                                         source, actor, now)
        else:
            continue
        changed.append(f"deactivated {list_name}:{code}")
    return changed
