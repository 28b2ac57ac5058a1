"""Bringing a database's schema up to date: ``upgrade(url)`` runs ``alembic upgrade head``
programmatically with the environment shipped in ``migrations/`` (no alembic.ini needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from .engine import WRITE_OPTION, make_engine

MIGRATIONS = Path(__file__).with_name("migrations")
# Concurrent upgrades (several workers starting at once) take turns on PostgreSQL; on SQLite the
# BEGIN IMMEDIATE of the write connection already serialises them.
_PG_LOCK_KEY = 0x70717273  # "pqrs"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _refuse_newer_schema(conn: Connection) -> None:
    """``StoreNotMigrated`` when a newer pqrs has upgraded the database: this version's code must not
    run on it (it would not know the columns and rules the newer one relies on)."""
    from alembic.runtime.migration import MigrationContext

    from .schema_state import StoreNotMigrated, known_revisions

    current = tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
    if set(current) - set(known_revisions()):
        raise StoreNotMigrated(conn.engine.url.render_as_string(hide_password=True), current, ())


def upgrade(url: str, revision: str = "head") -> None:
    """Create or upgrade the schema of the database at ``url`` in one transaction; ``StoreNotMigrated``
    when a newer version of pqrs has upgraded it already."""
    config = alembic_config(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
                _refuse_newer_schema(conn)
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
    finally:
        engine.dispose()


def analyze_indexes(conn: Connection, *indexes: str) -> None:
    """Give SQLite's planner the figures of indexes a migration made. It plans by ``sqlite_stat1`` when
    there is one (``pqrs import`` fills it), and without rows for a new index it prefers an older one it
    has figures for; each new index is read once here. Nothing on PostgreSQL (its statistics are per
    table, and autovacuum analyses them)."""
    if conn.dialect.name == "sqlite" and conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        for index in indexes:
            conn.exec_driver_sql(f"ANALYZE {index}")


def rebuild_sqlite_tables(conn: Connection, tables: Sequence[str], *, clustered: bool) -> None:
    """Build SQLite's ``tables`` again with their rows, stored in their key's order (``WITHOUT ROWID``)
    or with a row id. The triggers that mention them are dropped first and made again after from their
    own stored text, so that they stay exactly as the store had them."""
    mentions = " OR ".join("sql LIKE ?" for _ in tables)
    triggers = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ({mentions})",
        tuple(f"%{table}%" for table in tables)).all()
    for name, _sql in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    for table in tables:
        _rebuild_sqlite_table(conn, table, clustered=clustered)
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)


def _rebuild_sqlite_table(conn: Connection, table: str, *, clustered: bool) -> None:
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (table,)).scalar_one()
    body = sql[sql.index("("):sql.rindex(")") + 1]
    conn.exec_driver_sql(f"CREATE TABLE {table}_new {body}{' WITHOUT ROWID' if clustered else ''}")
    conn.exec_driver_sql(f"INSERT INTO {table}_new SELECT * FROM {table}")
    conn.exec_driver_sql(f"DROP TABLE {table}")
    conn.exec_driver_sql(f"ALTER TABLE {table}_new RENAME TO {table}")
    conn.exec_driver_sql(f"ANALYZE {table}")
