"""The composition root: wires a unit-of-work factory, a clock, settings and plugins into ``Pqrs``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs
import pluggy

from .clock import SystemClock
from .domain.letters import Signer
from .memory import MemoryFileStore, MemoryStore
from .plugins import collect_registrations, get_plugin_manager
from .ports import Clock, DocumentRenderer, DocumentSigner, FileStore, UnitOfWork
from .ports_integration import InvoiceSource
from .services.catalog_sync import sync_catalog
from .services.handlers import Deps
from .services.messagebus import Pqrs
from .settings import Settings


def bootstrap(*, uow_factory: Callable[[], UnitOfWork], clock: Clock | None = None,
              settings: Settings | None = None, plugin_manager: pluggy.PluginManager | None = None,
              files: FileStore | None = None, sync: bool = True,
              read_uow_factory: Callable[[], UnitOfWork] | None = None,
              documents: DocumentRenderer | None = None,
              signer: Callable[[str], Signer] | None = None,
              wrap_invoice_source: Callable[[InvoiceSource], InvoiceSource] | None = None,
              document_signer: DocumentSigner | None = None) -> Pqrs:
    """Build the application. With ``sync`` the catalog entries plugins register are brought into
    the store (added when missing, never overwriting an administrator's edits). Queries use
    ``read_uow_factory`` when given (on SQLite: a deferred transaction that takes no write lock).
    ``documents`` typesets the official letters the settings ask for (none without it); ``signer``
    says who signs for a user name (their name and role; the user name alone by default);
    ``wrap_invoice_source`` wraps each registered invoice source (the adapters add a timeout and a
    cache); ``document_signer`` signs the answer's letter with the organisation's certificate (none:
    unsigned; with it a response waits for a second person's approval and ``settings.public_url`` is
    needed)."""
    pm = plugin_manager if plugin_manager is not None else get_plugin_manager()
    registrations = collect_registrations(pm)
    clock = clock or SystemClock()
    deps = Deps(clock=clock, settings=settings or Settings(),
                guards={name: fn for name, (fn, _plugin) in registrations.guards.items()}, files=files,
                documents=documents, document_signer=document_signer)
    if signer is not None:
        deps = attrs.evolve(deps, signer=signer)
    wrap = wrap_invoice_source or (lambda source: source)
    deps = attrs.evolve(deps, invoice_sources=tuple(wrap(s) for s in registrations.invoice_sources))
    pqrs = Pqrs(uow_factory, deps, read_uow_factory=read_uow_factory)
    pqrs.registrations = registrations
    pqrs.plugin_manager = pm
    if sync:
        with uow_factory() as uow:
            sync_catalog(uow, registrations, actor="system", now=clock.now())
            uow.commit()
    return pqrs


def in_memory(*, clock: Clock | None = None, settings: Settings | None = None, plugins: Iterable[Any] = (),
              load_entry_points: bool = True, disabled_plugins: Iterable[str] = (),
              store: MemoryStore | None = None) -> Pqrs:
    """The application on in-memory adapters (cases, catalog and attachments live as long as the
    object): for scripts, notebooks and tests, with no database.

    :param clock: the system clock unless given (``FrozenClock`` replays or tests a moment).
    :param settings: the organisation's settings (filing prefix, time zone, business calendar...).
    :param plugins: plugin objects registered for this application only, after the installed ones.
    :param load_entry_points: load the plugins installed in the ``pqrs`` entry-point group.
    :param disabled_plugins: names of installed plugins not to load.
    :param store: the ``MemoryStore`` to keep the data in (a new one unless given; two applications
        built on one store see the same cases).
    :return: a ready ``Pqrs`` with the catalog the plugins register.
    """
    store = store if store is not None else MemoryStore()
    pm = get_plugin_manager(disabled=disabled_plugins, load_entry_points=load_entry_points, extra=plugins)
    return bootstrap(uow_factory=store.unit_of_work, clock=clock, settings=settings, plugin_manager=pm,
                     files=MemoryFileStore())
