"""Alembic environment of the SQL store (shipped inside the package; no alembic.ini needed).

``pqrs_adapters.sqlalchemy.migrate.upgrade(url)`` runs it with an open connection in
``config.attributes["connection"]``; run from the command line, it opens one itself from the
``sqlalchemy.url`` option.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pqrs_adapters.sqlalchemy.engine import WRITE_OPTION, make_engine
from pqrs_adapters.sqlalchemy.search_schema import include_name
from pqrs_adapters.sqlalchemy.tables import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        transactional_ddl=True,  # also on SQLite: the engine emits BEGIN itself
        compare_type=True,
        include_name=include_name,  # the search objects of one database are not in the metadata
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection in config.attributes")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
