"""Bringing what plugins register into the stored catalog.

Entries a plugin registers are added when missing and never overwrite what an administrator edited.
Entries whose plugin no longer registers them (it was uninstalled) are deactivated, not deleted, so
past cases keep their meaning.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ..domain.catalog import Catalog
from ..plugins import Registrations
from ..ports import UnitOfWork

ADMIN_SOURCE = "admin"


def sync_catalog(uow: UnitOfWork, reg: Registrations, *, actor: str, now: datetime) -> list[str]:
    """Apply ``reg`` to the store inside ``uow`` (the caller commits). Returns what changed."""
    sources = uow.catalog.sources()
    catalog = uow.catalog.load()
    changed: list[str] = []
    registered: set[tuple[str, str]] = set()

    for list_name, entries in reg.entries.items():
        for code, (entry, plugin) in entries.items():
            registered.add((list_name, code))
            if (list_name, code) not in sources:
                uow.catalog.put_entry(list_name, entry, plugin)
                changed.append(f"{list_name}:{code}")
    for code, (priority, plugin) in reg.priorities.items():
        registered.add(("priorities", code))
        if ("priorities", code) not in sources:
            uow.catalog.put_priority(priority, plugin)
            changed.append(f"priorities:{code}")
    for code, (queue, plugin) in reg.queues.items():
        registered.add(("queues", code))
        if ("queues", code) not in sources:
            uow.catalog.put_queue(queue, plugin)
            changed.append(f"queues:{code}")
    for code, (definition, plugin) in reg.fields.items():
        registered.add(("fields", code))
        if ("fields", code) not in sources:
            uow.catalog.put_field(definition, plugin)
            changed.append(f"fields:{code}")
    for code, (node, plugin) in reg.typifications.items():
        registered.add(("typifications", code))
        if ("typifications", code) not in sources:
            uow.catalog.put_typification(node, plugin, actor, now)
            changed.append(f"typifications:{code}")
    for code, (workflow, kinds, plugin) in reg.workflows.items():
        registered.add(("workflows", code))
        if ("workflows", code) not in sources:
            uow.catalog.put_workflow(workflow, kinds, plugin)
            changed.append(f"workflows:{code}")

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
        key = f"{list_name}:{code}"
        if list_name in ("kinds", "reasons", "channels", "document_types"):
            entry = next((e for e in catalog.entries(list_name) if e.code == code), None)
            if entry is not None and entry.active:
                uow.catalog.put_entry(list_name, attrs.evolve(entry, active=False), source)
                changed.append(f"deactivated {key}")
        elif list_name == "priorities":
            p = catalog.priority(code)
            if p.active:
                uow.catalog.put_priority(attrs.evolve(p, active=False), source)
                changed.append(f"deactivated {key}")
        elif list_name == "queues":
            q = catalog.queue(code)
            if q.active:
                uow.catalog.put_queue(attrs.evolve(q, active=False), source)
                changed.append(f"deactivated {key}")
        elif list_name == "fields":
            f = next(f for f in catalog.fields if f.code == code)
            if f.active:
                uow.catalog.put_field(attrs.evolve(f, active=False), source)
                changed.append(f"deactivated {key}")
        elif list_name == "typifications":
            node = catalog.typifications.get(code)
            if node.active:
                uow.catalog.put_typification(attrs.evolve(node, active=False, version=node.version + 1),
                                             source, actor, now)
                changed.append(f"deactivated {key}")
    return changed
