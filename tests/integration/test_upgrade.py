"""Upgrading a store made by the first release: its schema reaches the newest, on SQLite and on
PostgreSQL, and every case still replays from its history to exactly what the store holds."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, inspect, select, text

from pqrs_adapters import open_pqrs
from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_adapters.sqlalchemy import make_engine, upgrade
from pqrs_adapters.sqlalchemy.schema_state import current_revisions
from pqrs_adapters.sqlalchemy.tables import metadata
from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor
from pqrs_core.ports import CaseQuery

FIRST_RELEASE = Path(__file__).resolve().parents[1] / "data" / "store-0.1.0.sqlite3.gz"
FIRST_SCHEMA = "0014"
CASES = 150


def _first_release_store(target: Path) -> str:
    with gzip.open(FIRST_RELEASE) as source, target.open("wb") as out:
        shutil.copyfileobj(source, out)
    return f"sqlite:///{target}"


def _copy_rows(source_url: str, target_url: str) -> None:
    """Copy every row of the store at ``source_url`` into the database at ``target_url``, which has the
    same schema revision (columns one database computes itself are left to it)."""
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        present = MetaData()
        present.reflect(target)
        with source.connect() as read, target.begin() as write:
            for table in reversed(metadata.sorted_tables):  # what the migrations seeded gives way
                if table.name in present.tables:
                    write.execute(table.delete())
            for table in metadata.sorted_tables:
                if table.name not in present.tables:
                    continue
                there = {column.name for column in present.tables[table.name].columns
                         if column.computed is None}
                here = {column["name"] for column in inspect(read).get_columns(table.name)}
                columns = [column for column in table.columns if column.name in there & here]
                rows = [dict(row) for row in read.execute(select(*columns)).mappings()]
                if rows:
                    write.execute(table.insert(), rows)
                for column in table.primary_key.columns:
                    if column.autoincrement is True or (column.autoincrement == "auto" and
                                                        column.type.python_type is int):
                        write.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                            f"coalesce((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"))
    finally:
        source.dispose()
        target.dispose()


def _assert_every_case_replays(config: Config) -> None:
    with open_pqrs(config) as pqrs:
        catalog = pqrs.catalog()
        page = pqrs.cases(CaseQuery(limit=1000))
        assert len(page.cases) == CASES
        for listed in page.cases:
            number = str(listed.filing_number)
            stored = pqrs.case(number, include_deleted=True)
            replayed = Case.replay(pqrs.history(number), catalog.workflow(stored.workflow))
            assert attrs.evolve(replayed, version=stored.version) == stored, number
        # The upgraded store keeps working: a new case gets the next filing number of its year.
        agent = Actor("ana.agente", frozenset({"agent"}))
        new = pqrs.handle(c.FileCase(kind="queja", subject="Después de actualizar",
                                     description="El caso nuevo se radica sin tropiezos."), agent)
        assert pqrs.case(str(new.filing_number)).version == 1
        # The administrator and the supervisor approve responses, as in a new installation.
        roles = {r.code: r for r in catalog.roles}
        assert Permission.APPROVE_LETTERS in roles["admin"].permissions
        assert Permission.APPROVE_LETTERS in roles["supervisor"].permissions
        # ... and approve voidings and read voided cases.
        assert {Permission.APPROVE_VOIDING, Permission.AUDIT} <= roles["supervisor"].permissions


def test_a_first_release_sqlite_store_upgrades_with_pqrs_init_and_every_case_replays(tmp_path: Path) -> None:
    url = _first_release_store(tmp_path / "pqrs.sqlite3")
    engine = make_engine(url)
    assert current_revisions(engine) == (FIRST_SCHEMA,)
    env = {"PQRS_DATABASE_URL": url, "PQRS_FILES_DIR": str(tmp_path / "files")}

    result = CliRunner().invoke(main, ["init", "--admin-password", "no-se-usa-123"], env=env,
                                catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert f"Casos registrados: {CASES}." in result.output
    assert current_revisions(engine) == current_revisions_at_head(tmp_path)
    engine.dispose()
    _assert_every_case_replays(Config.from_env(env))


@pytest.mark.postgres
def test_a_first_release_store_on_postgresql_upgrades_and_every_case_replays(
        tmp_path: Path, new_postgres_database: object) -> None:
    url = new_postgres_database("pqrs_upgrade")  # type: ignore[operator]
    upgrade(url, FIRST_SCHEMA)
    _copy_rows(_first_release_store(tmp_path / "origen.sqlite3"), url)

    upgrade(url)

    engine = make_engine(url)
    assert current_revisions(engine) == current_revisions_at_head(tmp_path)
    engine.dispose()
    _assert_every_case_replays(Config.from_env({"PQRS_DATABASE_URL": url,
                                                "PQRS_FILES_DIR": str(tmp_path / "files")}))


def current_revisions_at_head(tmp_path: Path) -> tuple[str, ...]:
    """The revisions of a database created by this version."""
    url = f"sqlite:///{tmp_path / 'nuevo.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        return current_revisions(engine)
    finally:
        engine.dispose()
