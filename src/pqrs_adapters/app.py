"""Composition root of the adapters: from a ``Config`` to a running ``Pqrs``.

Nothing happens at import time; every function builds what it returns. The entry points (CLI, Flask
app factory, library users who want the SQL store) call these instead of wiring adapters themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pluggy

from pqrs_core.bootstrap import bootstrap
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.ports import Clock
from pqrs_core.services.catalog_sync import sync_catalog as _sync_catalog
from pqrs_core.services.messagebus import Pqrs

from .config import Config

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def _ensure_sqlite_directory(config: Config) -> None:
    path = config.sqlite_path
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def make_engine(config: Config) -> Engine:
    """The SQLAlchemy engine for ``config.database_url`` (the directory of a SQLite file is created)."""
    from .sqlalchemy.engine import make_engine as _make_engine

    _ensure_sqlite_directory(config)
    return _make_engine(config.database_url)


def migrate(config: Config) -> None:
    """Create the database schema or bring it to the newest version (alembic upgrade head)."""
    from .sqlalchemy.migrate import upgrade

    _ensure_sqlite_directory(config)
    upgrade(config.database_url)


def plugin_manager(config: Config, extra: Iterable[Any] = ()) -> pluggy.PluginManager:
    """The default plugin and the installed ``pqrs`` entry points, less ``PQRS_DISABLE_PLUGINS``,
    then the ``extra`` plugin objects."""
    return get_plugin_manager(disabled=config.disabled_plugins, extra=extra)


def build_pqrs(config: Config, *, engine: Engine | None = None, clock: Clock | None = None,
               sync: bool = True, plugins: Iterable[Any] = ()) -> Pqrs:
    """The application on the SQL store and the local file store.

    With ``sync`` the catalog entries the plugins register are brought into the database (this needs
    the schema: run ``migrate`` first). ``clock`` defaults to the system clock; ``plugins`` are
    registered for this application after the installed ones.
    """
    from .files import LocalFileStore
    from .sqlalchemy.unit_of_work import sql_uow_factory

    engine = engine if engine is not None else make_engine(config)
    return bootstrap(uow_factory=sql_uow_factory(engine), clock=clock, settings=config.settings(),
                     plugin_manager=plugin_manager(config, plugins), files=LocalFileStore(config.files_dir),
                     sync=sync, read_uow_factory=sql_uow_factory(engine, write=False))


def sync_catalog(pqrs: Pqrs) -> None:
    """Bring what the plugins register into the stored catalog (what ``bootstrap(sync=True)`` does)."""
    assert pqrs.registrations is not None, "build the Pqrs with pqrs_core.bootstrap.bootstrap"
    with pqrs.uow_factory() as uow:
        _sync_catalog(uow, pqrs.registrations, actor="system", now=pqrs.deps.clock.now())
        uow.commit()
