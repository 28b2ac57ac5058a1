"""Writing and reading a backup archive (see the package's documentation for its layout)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
from sqlalchemy import Engine, create_engine, text

from pqrs_core import __version__

from ..config import Config
from ..files import LocalFileStore
from ..files.moving import move_files
from ..sqlalchemy.file_store import DatabaseFileStore
from ..sqlalchemy.migrate import upgrade
from ..sqlalchemy.schema_state import current_revisions, known_revisions
from . import databases

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
_STORED_FILE = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$")


class BackupError(RuntimeError):
    """A backup or restore that cannot be done (message in Spanish)."""


@attrs.frozen
class BackupReport:
    path: Path
    cases: int
    files: int
    size: int  # bytes of the archive


@attrs.frozen
class RestoreReport:
    cases: int
    files: int
    schema_upgraded: bool


def _count_cases(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM cases")).scalar_one())


def _database_files(engine: Engine) -> int:
    """How many files the database itself holds (``PQRS_FILE_STORE=database``): they are in its copy."""
    return DatabaseFileStore(engine).count()[0]


def backup(config: Config, engine: Engine, destination: Path, *, now: datetime | None = None) -> BackupReport:
    """Write the archive of the store ``config`` names to ``destination``."""
    destination = destination.resolve()
    if destination.exists():
        raise BackupError(f"ya existe {destination}; elija otro nombre para la copia")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pqrs-backup-") as work:
        dumped = Path(work) / databases.file_name(engine)
        try:
            databases.dump(engine, dumped)
        except databases.DatabaseCopyError as exc:
            raise BackupError(str(exc)) from exc
        cases = _count_dump(engine, dumped)
        files = list(LocalFileStore(config.files_dir).files())  # after the database: see the package's notes
        in_database = _database_files(engine)
        manifest = {"format": FORMAT, "pqrs": __version__, "database": engine.dialect.name,
                    "schema": list(current_revisions(engine)),
                    "created_at": (now or datetime.now(UTC)).isoformat(), "cases": cases, "files": len(files),
                    "database_files": in_database}
        partial = destination.with_name(destination.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(dumped, arcname=dumped.name)
                for path, name in files:
                    archive.add(path, arcname=f"{FILES}/{name}")
            os.replace(partial, destination)
        finally:
            partial.unlink(missing_ok=True)
    return BackupReport(destination, cases, len(files) + in_database, destination.stat().st_size)


def _count_dump(engine: Engine, dumped: Path) -> int:
    """The cases in the copy (SQLite: counted in the copied file itself; PostgreSQL: in the database,
    which may have a few more by now)."""
    if engine.dialect.name == "sqlite":
        copy = create_engine(f"sqlite:///{dumped}")
        try:
            return _count_cases(copy)
        finally:
            copy.dispose()
    return _count_cases(engine)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        with tarfile.open(source, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{source} no es una copia de seguridad de pqrs ({type(exc).__name__})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} tiene un formato de copia que esta versión no conoce "
                          f"({manifest.get('format')})")
    return manifest


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    """Write ``member`` at ``target`` (under a temporary name, renamed when complete)."""
    source = archive.extractfile(member)
    if source is None:
        raise BackupError(f"la copia tiene una entrada que no es un archivo: {member.name}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with source, partial.open("wb") as out:
        shutil.copyfileobj(source, out, 1024 * 1024)
    os.replace(partial, target)


def restore(config: Config, engine: Engine, source: Path, *, replace: bool = False) -> RestoreReport:
    """Make the store ``config`` names a copy of the archive at ``source``; the database must be empty
    unless ``replace``. Stop the application and the worker first."""
    manifest = read_manifest(source)
    unknown = set(manifest.get("schema", ())) - set(known_revisions())
    if unknown:
        raise BackupError(f"la copia la hizo pqrs {manifest.get('pqrs')}, con un esquema más reciente que "
                          "este; restáurela con esa versión o una posterior")
    expected = databases.file_name(engine)
    if manifest.get("database") != engine.dialect.name:
        raise BackupError(f"la copia es de una base de datos {manifest.get('database')} y la configurada es "
                          f"{engine.dialect.name}")
    if not replace and databases.has_tables(engine):
        raise BackupError("la base de datos configurada no está vacía; use --replace para reemplazar su "
                          "contenido por el de la copia")
    with tempfile.TemporaryDirectory(prefix="pqrs-restore-") as work, tarfile.open(source, "r:gz") as archive:
        # The archive's files go to the configured store: the folder at once, the database once loaded.
        files_root = config.files_dir if config.file_store == "local" else Path(work) / FILES
        for member in archive:
            name = member.name[len(FILES) + 1:] if member.name.startswith(f"{FILES}/") else None
            if member.name == expected:
                _extract(archive, member, Path(work) / expected)
            elif name is not None and _STORED_FILE.match(name):
                target = files_root / name
                if not target.exists():  # content-addressed: a file already there is the same file
                    _extract(archive, member, target)
        dumped = Path(work) / expected
        if not dumped.exists():
            raise BackupError(f"{source} no contiene la base de datos ({expected})")
        try:
            databases.load(engine, dumped, replace=replace)
        except databases.DatabaseCopyError as exc:
            raise BackupError(str(exc)) from exc
        before = current_revisions(engine)
        upgrade(engine.url.render_as_string(hide_password=False))
        in_folder = len(list(LocalFileStore(config.files_dir).keys()))
        if config.file_store == "database":
            moved = move_files(LocalFileStore(files_root), DatabaseFileStore(engine))
            if moved.failed:
                raise BackupError(f"la copia tiene {len(moved.failed)} archivos dañados: "
                                  + ", ".join(moved.failed[:5]))
        files = in_folder + _database_files(engine)
    return RestoreReport(cases=_count_cases(engine), files=files,
                         schema_upgraded=current_revisions(engine) != before)
