"""Copying a database to a file and back: SQLite through its online backup API, PostgreSQL through
``pg_dump`` and ``pg_restore`` (the client programs of the server's major version or newer)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, inspect, make_url, text

SQLITE_NAME = "database.sqlite3"
POSTGRES_NAME = "database.pgdump"


class DatabaseCopyError(RuntimeError):
    """The database could not be copied or restored (message in Spanish)."""


def file_name(engine: Engine) -> str:
    return SQLITE_NAME if engine.dialect.name == "sqlite" else POSTGRES_NAME


def has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def dump(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the database at ``engine`` to ``target``."""
    if engine.dialect.name == "sqlite":
        # One step: a read snapshot, while other connections keep writing.
        _sqlite_copy(_sqlite_path(engine), target)
        return
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
          "--dbname", _libpq_url(engine)], "pg_dump")


def load(engine: Engine, source: Path, *, replace: bool) -> None:
    """Make the database at ``engine`` a copy of the dump at ``source``. With ``replace`` whatever the
    database holds is dropped first (SQLite: the file; PostgreSQL: its ``public`` schema)."""
    if engine.dialect.name == "sqlite":
        target = _sqlite_path(engine)
        engine.dispose()
        if replace:
            for path in (target, Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
                path.unlink(missing_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target)
        return
    if replace:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
          "--dbname", _libpq_url(engine), str(source)], "pg_restore")


def _sqlite_copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise DatabaseCopyError("solo se copia una base de datos SQLite guardada en un archivo")
    return Path(database)


def _libpq_url(engine: Engine) -> str:
    """The engine's URL as libpq reads it (``postgresql://``, without SQLAlchemy's driver name)."""
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run(command: list[str], program: str) -> None:
    if shutil.which(program) is None:
        raise DatabaseCopyError(f"no se encontró el programa {program} (paquete postgresql-client)")
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip().splitlines()
        raise DatabaseCopyError(f"{program} falló: {detail[-1] if detail else finished.returncode}")
