"""The schema: what ``alembic upgrade head`` builds is exactly ``tables.metadata`` (plus the search
objects of each database, which ``metadata.create_all`` builds the same way)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from pqrs_adapters.sqlalchemy import make_engine, upgrade
from pqrs_adapters.sqlalchemy.migrate import alembic_config
from pqrs_adapters.sqlalchemy.search_schema import include_name
from pqrs_adapters.sqlalchemy.tables import ALL_TABLES, metadata

if TYPE_CHECKING:
    from conftest import StoreUnderTest


def test_the_migrated_schema_is_the_tables_module(sql_store: StoreUnderTest) -> None:
    assert sql_store.engine is not None and sql_store.url is not None
    upgrade(sql_store.url)  # a second upgrade is a no-op
    with sql_store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        assert compare_metadata(context, metadata) == []
        assert context.get_current_revision() == ScriptDirectory.from_config(
            alembic_config(sql_store.url)).get_current_head()
        indexes = {ix["name"] for ix in inspect(conn).get_indexes("cases")}
        columns = {c["name"] for c in inspect(conn).get_columns("cases")}
    assert {"ix_cases_open_queue", "ix_cases_assignee", "ix_cases_state_queue", "ix_cases_filed_at",
            "ix_cases_requester_document", "ix_cases_kind", "ix_cases_filed_by", "ix_cases_requester_user",
            "ix_cases_updated_at"} <= indexes
    if sql_store.name == "sqlite":
        assert {"search_text", "search_rowid"} <= columns and "ix_cases_search_rowid" in indexes
    else:
        assert {"search_text", "search_vector"} <= columns and "ix_cases_search_vector" in indexes


COUNTS = {"case_report_day_counts": "cases", "case_report_month_counts": "cases",
          "case_term_day_counts": "cases", "case_term_month_counts": "cases",
          "case_answer_time_counts": "cases", "case_event_day_counts": "events",
          "case_event_time_counts": "events"}


def test_a_range_of_counts_is_read_from_their_key_alone(sql_store: StoreUnderTest) -> None:
    """Each table of counts the reports read is its key's B-tree on SQLite (``WITHOUT ROWID``, migrations
    0048 and 0050) and holds its count in its primary key on PostgreSQL (``INCLUDE``, migration 0049): a
    range of its days or months, key and count, is read from the key alone, not through a look-up of each
    cell's row. The triggers add cells in the order cases come, so a month's cells lie all over a table
    with row ids (PostgreSQL read 4,665 pages for a quarter's 10,522 answer-time cells at 100,000 cases,
    and 179 of the key)."""
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        if sql_store.name != "sqlite":  # a table of no cells is otherwise read whole
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_bitmapscan = off")
        for name, counted in COUNTS.items():
            key = metadata.tables[name].primary_key.columns.keys()
            select = (f"SELECT {', '.join(key)}, {counted} FROM {name} WHERE {key[0]} >= '2026-01' "
                      f"AND {key[0]} < '2026-04'")
            if sql_store.name == "sqlite":
                plan = " ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + select))
                assert f"SEARCH {name} USING PRIMARY KEY ({key[0]}>? AND {key[0]}<?)" in plan, plan
            else:
                plan = " ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + select))
                assert f"Index Only Scan using pk_{name} on {name}" in plan, plan


def _describe(conn: Connection) -> dict[str, Any]:
    """Tables, columns, keys and indexes as the database reports them, and SQLite's triggers."""
    inspector = inspect(conn)
    found: dict[str, Any] = {}
    for name in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        found[name] = {
            # By name: a later migration appends its columns after the search ones create_all puts last.
            "columns": sorted((c["name"], str(c["type"]), c["nullable"], str(c.get("default")),
                               str(c.get("computed"))) for c in inspector.get_columns(name)),
            "pk": inspector.get_pk_constraint(name)["constrained_columns"],
            "fks": sorted((fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"],
                           str(fk.get("options"))) for fk in inspector.get_foreign_keys(name)),
            "indexes": sorted((ix["name"] or "", tuple(ix["column_names"]), bool(ix["unique"]))
                              for ix in inspector.get_indexes(name)),
            "uniques": sorted((u["name"] or "", tuple(u["column_names"]))
                              for u in inspector.get_unique_constraints(name)),
        }
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT type, name, sql FROM sqlite_master "
                                 "WHERE type = 'trigger' OR sql LIKE '%fts5%'"))
        found["sqlite_master"] = sorted((t, n, " ".join(s.split())) for t, n, s in rows)
        tables = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        found["without_rowid"] = sorted(n for n, s in tables if s.rstrip().upper().endswith("WITHOUT ROWID"))
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                                 "AND tablename != 'alembic_version'"))
        found["pg_indexes"] = sorted(tuple(r) for r in rows)
    return found


@pytest.fixture
def two_empty_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'created.db'}", f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    admin_url = request.getfixturevalue("postgres_url")  # skips when PostgreSQL is unreachable
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    names = [f"pqrs_test_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        created, migrated = (admin.url.set(database=n).render_as_string(hide_password=False) for n in names)
        yield created, migrated
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_every_table_is_listed_children_before_parents() -> None:
    """``ALL_TABLES`` says it holds every table, children before parents: held to that against the
    schema. (The tests empty PostgreSQL with one ``TRUNCATE … CASCADE`` of the list, which reaches a
    table left out only through its foreign keys.)"""
    names = [t.name for t in ALL_TABLES]
    assert sorted(names) == sorted(metadata.tables)
    for table in ALL_TABLES:
        for key in table.foreign_keys:
            parent = key.column.table.name
            if parent != table.name:
                assert names.index(parent) > names.index(table.name), (table.name, parent)


@pytest.mark.parametrize("two_empty_databases",
                         ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_create_all_builds_what_the_migrations_build(two_empty_databases: tuple[str, str]) -> None:
    created_url, migrated_url = two_empty_databases
    upgrade(migrated_url)
    engines: list[Engine] = [make_engine(created_url), make_engine(migrated_url)]
    try:
        metadata.create_all(engines[0])
        with engines[0].connect() as created, engines[1].connect() as migrated:
            assert _describe(created) == _describe(migrated)
    finally:
        for engine in engines:
            engine.dispose()


def test_downgrade_to_base_and_upgrade_again(sqlite_url: str) -> None:
    config = alembic_config(sqlite_url)
    command.downgrade(config, "base")
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == {"alembic_version"}
        upgrade(sqlite_url)
        with engine.connect() as conn:
            assert set(metadata.tables) <= set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
