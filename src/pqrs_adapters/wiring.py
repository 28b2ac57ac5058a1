"""Composition root of the adapters: from a ``Config`` to a running ``Pqrs``.

Nothing happens at import time; every function builds what it returns. The entry points (CLI, Flask
app factory) call these instead of wiring adapters themselves, and so does pqrs as a library on the
SQL store: ``open_pqrs(url)`` gives the same ``Pqrs`` the command line and the web application build
(``build_pqrs``), on a SQLite file or a PostgreSQL database. Nothing is read from the environment here:
what is not given takes the application's defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import SystemClock
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.ports import Clock, DocumentSigner
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
    first): alembic upgrade head. Safe to run again, and from several processes at once."""
    _migrate(config_for(database))


def _migrate(config: Config) -> None:
    from .sqlalchemy.migrate import upgrade

    _ensure_sqlite_directory(config)
    upgrade(config.database_url)


def plugin_manager(config: Config, extra: Iterable[Any] = ()) -> pluggy.PluginManager:
    """The default plugin and the installed ``pqrs`` entry points, less ``PQRS_DISABLE_PLUGINS``,
    then the ``extra`` plugin objects (and the demo's customer directory with ``PQRS_DEMO_CUSTOMERS``)."""
    if config.demo_customers:
        from .demo.customers import DemoCustomersPlugin

        extra = (DemoCustomersPlugin(), *extra)
    return get_plugin_manager(disabled=config.disabled_plugins, extra=extra)


def build_pqrs(config: Config, *, engine: Engine | None = None, clock: Clock | None = None,
               sync: bool = True, plugins: Iterable[Any] = ()) -> Pqrs:
    """The application on the SQL store and the file store ``config`` names (``PQRS_FILE_STORE``).

    With ``sync`` the catalog entries the plugins register are brought into the database (this needs
    the schema: run ``migrate`` first). ``clock`` defaults to the system clock; ``plugins`` are
    registered for this application after the installed ones.
    """
    from .documents.signers import signer_from_users
    from .documents.template_store import current_template
    from .documents.weasyprint_renderer import WeasyPrintRenderer
    from .files import file_store
    from .invoice_sources import guard
    from .sqlalchemy.unit_of_work import sql_uow_factory

    engine = engine if engine is not None else make_engine(config)
    return bootstrap(uow_factory=sql_uow_factory(engine, calendar=config.terms.calendar), clock=clock,
                     settings=config.settings(),
                     plugin_manager=plugin_manager(config, plugins),
                     files=file_store(config, engine, clock=clock),
                     sync=sync, read_uow_factory=sql_uow_factory(engine, write=False),
                     documents=WeasyPrintRenderer(template_for=lambda kind: current_template(engine)),
                     signer=signer_from_users(engine), document_signer=document_signer(config, clock),
                     wrap_invoice_source=guard(config.invoice_timeout_ms, config.invoice_cache_seconds))


def document_signer(config: Config, clock: Clock | None = None) -> DocumentSigner | None:
    """The signer of the answer's letters with the certificate ``config`` names (none when it names
    none); with ``PQRS_SIGNING_DEMO`` a throwaway certificate is made first when missing."""
    signing = config.signing
    if not signing.enabled:
        return None
    from .documents.pades import PadesSigner, load_pem, load_pkcs12

    if signing.p12 is not None:
        if signing.demo:
            from .documents.certificates import ensure_demo_certificate

            name = config.organisation_name or config.settings().organisation_name
            ensure_demo_certificate(signing.p12, name, signing.password or "",
                                    now=(clock or SystemClock()).now())
        certificate = load_pkcs12(signing.p12, signing.password)
    else:
        assert signing.key is not None and signing.cert is not None
        certificate = load_pem(signing.key, signing.cert, signing.password)
    return PadesSigner(certificate=certificate, location=config.letters.city)


def sync_catalog(pqrs: Pqrs) -> None:
    """Bring what the plugins register into the stored catalog (what ``bootstrap(sync=True)`` does)."""
    assert pqrs.registrations is not None, "build the Pqrs with pqrs_core.bootstrap.bootstrap"
    with pqrs.uow_factory() as uow:
        _sync_catalog(uow, pqrs.registrations, actor="system", now=pqrs.deps.clock.now())
        uow.commit()


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
    from .sqlalchemy.schema_state import check_schema

    config = config_for(database, files_dir=files_dir)
    if migrate:
        _migrate(config)
    engine = make_engine(config)
    try:
        check_schema(engine, config.describe_database())
        pqrs = build_pqrs(config, engine=engine, clock=clock, sync=True, plugins=plugins)
    except BaseException:
        engine.dispose()
        raise
    pqrs.closers.append(engine.dispose)
    return pqrs
