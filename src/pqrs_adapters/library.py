"""pqrs as a library on the SQL store: ``open_pqrs(url)`` gives the same ``Pqrs`` the command line
and the web application build (``app.build_pqrs``), on a SQLite file or a PostgreSQL database.

Nothing is read from the environment here: what is not given takes the application's defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pqrs_core.ports import Clock
from pqrs_core.services.messagebus import Pqrs

from .config import Config


def config_for(database: str | Config, *, files_dir: str | Path | None = None) -> Config:
    """A ``Config`` for ``database`` (a SQLAlchemy URL, e.g. ``sqlite:///var/pqrs.sqlite3`` or
    ``postgresql://user@host/db``) with the application's defaults for everything else."""
    if isinstance(database, Config):
        return database
    environ = {"PQRS_DATABASE_URL": database}
    if files_dir is not None:
        environ["PQRS_FILES_DIR"] = str(files_dir)
    return Config.from_env(environ)


def migrate(database: str | Config) -> None:
    """Create the database's schema, or bring it to this version of pqrs (what ``pqrs init`` does
    first). Safe to run again, and from several processes at once."""
    from .app import migrate as migrate_config

    migrate_config(config_for(database))


def open_pqrs(database: str | Config, *, clock: Clock | None = None, migrate: bool = False,
              files_dir: str | Path | None = None, plugins: Iterable[Any] = ()) -> Pqrs:
    """The application on the SQL store at ``database``, with the installed plugins.

    The catalog the plugins register is brought into the database. Close the application when done
    (``pqrs.close()``, or use it in a ``with`` block) to release its connections.

    :param database: a SQLAlchemy URL, or a ``Config`` (``Config.from_env()`` reads ``PQRS_*``).
    :param clock: the system clock unless given.
    :param migrate: create or upgrade the schema first; without it a database whose schema is
        missing or out of date raises ``StoreNotMigrated``.
    :param files_dir: where attachments are kept (default: ``var/files`` under the working directory).
    :param plugins: plugin objects registered for this application, after the installed ones.
    :return: a ready ``Pqrs``.
    :raises StoreNotMigrated: the database has no schema or an older one (run ``pqrs init``).
    """
    from .app import build_pqrs, make_engine
    from .app import migrate as migrate_config
    from .sqlalchemy.schema_state import check_schema

    config = config_for(database, files_dir=files_dir)
    if migrate:
        migrate_config(config)
    engine = make_engine(config)
    try:
        check_schema(engine, config.describe_database())
        pqrs = build_pqrs(config, engine=engine, clock=clock, sync=True, plugins=plugins)
    except BaseException:
        engine.dispose()
        raise
    pqrs.closers.append(engine.dispose)
    return pqrs
