"""``pqrs files move`` and ``pqrs files check`` on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_adapters.files import LocalFileStore
from pqrs_adapters.sqlalchemy.file_store import CHUNK_SIZE, DatabaseFileStore
from pqrs_adapters.wiring import build_pqrs, make_engine
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Actor


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    engine = request.getfixturevalue(f"{request.param}_engine")
    return {"PQRS_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "PQRS_FILES_DIR": str(tmp_path / "files")}


def _stores(env: dict[str, str]) -> tuple[LocalFileStore, DatabaseFileStore]:
    config = Config.from_env(env)
    return LocalFileStore(config.files_dir), DatabaseFileStore(make_engine(config))


def test_files_move_to_the_database_and_back(env: dict[str, str]) -> None:
    local, database = _stores(env)
    small, large = b"acta 1", os.urandom(CHUNK_SIZE + 5_000)
    keys = sorted([local.put(small), local.put(large)])
    database.put(small)  # a move cut short after its first file
    damaged = local.path_for(hashlib.sha256(b"original").hexdigest())
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"cambiado")

    first = _run(env, "files", "move", "--from", "local", "--to", "database")

    assert first.exit_code == 1
    assert "De la carpeta local a la base de datos: 1 archivos copiados y verificados, 1 ya estaban en el " \
           "destino." in first.output
    assert ("1 archivos del origen no coinciden con su SHA-256 y no se copiaron: "
            f"{damaged.name}") in first.output
    assert list(database.keys()) == keys and database.get(hashlib.sha256(large).hexdigest()) == large
    damaged.unlink()

    again = _run(env, "files", "move", "--from", "local", "--to", "database")

    assert again.exit_code == 0, again.output
    assert "0 archivos copiados y verificados, 2 ya estaban en el destino." in again.output
    for key in keys:
        local.delete(key)

    back = _run(env, "files", "move", "--from", "database", "--to", "local", "--remove-source")

    assert back.exit_code == 0, back.output
    assert "De la base de datos a la carpeta local: 2 archivos copiados y verificados, 0 ya estaban en el " \
           "destino, 2 borrados del origen." in back.output
    assert list(local.keys()) == keys and list(database.keys()) == []
    assert {local.get(key) for key in keys} == {small, large}
    database.engine.dispose()


def test_files_move_needs_two_different_stores(env: dict[str, str]) -> None:
    result = _run(env, "files", "move", "--from", "local", "--to", "local")
    assert result.exit_code == 1 and "el origen y el destino son el mismo almacén" in result.output


def _file_case_with_attachment(env: dict[str, str]) -> str:
    config = Config.from_env(env)
    engine = make_engine(config)
    try:
        pqrs = build_pqrs(config, engine=engine, sync=True)
        agent = Actor("ana", frozenset({"agent"}))
        case = pqrs.handle(c.FileCase(kind="queja", subject="Demora", description="Sin respuesta"), agent)
        case = pqrs.handle(c.AddAttachment(filing_number=str(case.filing_number), filename="factura.pdf",
                                           content_type="application/pdf", content=b"%PDF-1.4 factura"),
                           agent)
        return case.attachments[0].storage_key
    finally:
        engine.dispose()


def test_files_check_reads_every_file_back_and_finds_the_missing_ones(env: dict[str, str]) -> None:
    local, database = _stores(env)
    key = _file_case_with_attachment(env)
    local.put(b"sin caso")

    healthy = _run(env, "files", "check")

    assert healthy.exit_code == 0, healthy.output
    assert "Almacén: la carpeta local. 2 archivos; 1 sin caso ni mensaje que los nombre." in healthy.output
    assert "Todos los archivos están completos." in healthy.output
    local.path_for(key).write_bytes(b"otra cosa")
    local.delete(hashlib.sha256(b"sin caso").hexdigest())

    damaged = _run(env, "files", "check")

    assert damaged.exit_code == 1
    assert f"1 dañados (su contenido no es su SHA-256): {key}" in damaged.output
    local.delete(key)

    missing = _run(env, "files", "check")

    assert missing.exit_code == 1 and f"1 nombrados en la base de datos y ausentes: {key}" in missing.output
    database.engine.dispose()


@pytest.mark.postgres
def test_files_check_on_the_database_store(postgres_engine: Engine, tmp_path: Path) -> None:
    env = {"PQRS_DATABASE_URL": postgres_engine.url.render_as_string(hide_password=False),
           "PQRS_FILES_DIR": str(tmp_path / "files"), "PQRS_FILE_STORE": "database"}
    key = _file_case_with_attachment(env)

    result = _run(env, "files", "check")

    assert result.exit_code == 0, result.output
    assert "Almacén: la base de datos. 1 archivos; 0 sin caso" in result.output
    assert not (tmp_path / "files").exists()
    _, database = _stores(env)
    assert database.delete(key)
    missing = _run(env, "files", "check")
    assert missing.exit_code == 1 and f"ausentes: {key}" in missing.output
    database.engine.dispose()
