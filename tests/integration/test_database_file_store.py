"""``DatabaseFileStore``: attachments in the database, the same port and errors as the local folder, on
a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Connection, Engine, func, select, text

from pqrs_adapters.config import Config, ConfigError
from pqrs_adapters.files import LocalFileStore, ManagedFileStore, file_store
from pqrs_adapters.flask.app import create_app
from pqrs_adapters.sqlalchemy import file_store as file_store_module
from pqrs_adapters.sqlalchemy import make_engine, upgrade
from pqrs_adapters.sqlalchemy.file_store import CHUNK_SIZE, DatabaseFileStore
from pqrs_adapters.sqlalchemy.tables import stored_file_chunks, stored_files
from pqrs_adapters.wiring import build_pqrs
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import NotFound, StorageUnavailable
from pqrs_core.domain.values import Actor

if TYPE_CHECKING:
    from conftest import StoreUnderTest


def _engine(sql_store: StoreUnderTest) -> Engine:
    assert sql_store.engine is not None
    return sql_store.engine


def _chunks(engine: Engine, key: str) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(select(func.length(stored_file_chunks.c.content))
                                 .where(stored_file_chunks.c.key == key)
                                 .order_by(stored_file_chunks.c.seq)).scalars())


def test_put_get_exists_and_delete(sql_store: StoreUnderTest) -> None:
    clock = FrozenClock()
    files = DatabaseFileStore(_engine(sql_store), clock)
    content = "Factura FV-1001 — señor Núñez".encode()

    key = files.put(content)

    assert key == hashlib.sha256(content).hexdigest()
    assert files.get(key) == content and files.exists(key)
    assert files.put(content) == key  # the same bytes are stored once
    assert list(files.keys()) == [key] and files.count() == (1, len(content))
    with _engine(sql_store).connect() as conn:
        assert conn.execute(select(stored_files.c.created_at)).scalar_one() == clock.now()
    assert files.delete(key) and not files.delete(key)
    assert not files.exists(key) and _chunks(_engine(sql_store), key) == []
    with pytest.raises(NotFound):
        files.get(key)


def test_keys_that_are_not_hashes_are_not_found(sql_store: StoreUnderTest) -> None:
    files = DatabaseFileStore(_engine(sql_store))
    for key in ("../secret.txt", "a" * 63, "A" * 64, "", "health-check", "0" * 64):
        with pytest.raises(NotFound):
            files.get(key)
        assert not files.exists(key) and not files.delete(key)


def test_a_large_file_is_kept_in_chunks_and_read_a_chunk_at_a_time(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    files = DatabaseFileStore(engine)
    content = os.urandom(2 * CHUNK_SIZE + 12_345)

    key = files.put(content)

    assert _chunks(engine, key) == [CHUNK_SIZE, CHUNK_SIZE, 12_345]
    pieces = list(files.stream(key))
    assert [len(p) for p in pieces] == [CHUNK_SIZE, CHUNK_SIZE, 12_345]
    assert b"".join(pieces) == content and files.get(key) == content


def test_chunk_boundaries_and_the_empty_file(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    files = DatabaseFileStore(engine, chunk_size=1000)
    exact, empty = b"x" * 3000, b""
    assert _chunks(engine, files.put(exact)) == [1000, 1000, 1000]
    assert files.get(files.put(empty)) == b"" and _chunks(engine, files.put(empty)) == []
    assert files.get(hashlib.sha256(exact).hexdigest()) == exact


def test_the_same_bytes_stored_meanwhile_by_another_host_are_the_same_file(
        sql_store: StoreUnderTest, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _engine(sql_store)
    other_host, this_host = DatabaseFileStore(engine), DatabaseFileStore(engine)
    key = other_host.put(b"acta de la reunion")
    # This host looked before the other one committed: its insert now meets the other's row.
    looked = []
    real = file_store_module._chunk_count

    def before_the_other_committed(conn: Connection, k: str) -> int | None:
        looked.append(k)
        return None if len(looked) == 1 else real(conn, k)

    monkeypatch.setattr(file_store_module, "_chunk_count", before_the_other_committed)

    assert this_host.put(b"acta de la reunion") == key

    assert len(looked) == 2  # the refused insert, then the row found
    assert this_host.get(key) == b"acta de la reunion" and _chunks(engine, key) == [18]


def test_the_health_check_writes_nothing(sql_store: StoreUnderTest) -> None:
    files = DatabaseFileStore(_engine(sql_store))
    files.check()
    assert files.count() == (0, 0) and list(files.keys()) == []


def test_an_unreachable_database_is_storage_unavailable() -> None:
    engine = make_engine("postgresql://postgres@127.0.0.1:9/pqrs", connect_args={"connect_timeout": 2})
    files = DatabaseFileStore(engine)
    try:
        with pytest.raises(StorageUnavailable):
            files.put(b"contenido")
        with pytest.raises(StorageUnavailable):
            files.get("0" * 64)
        with pytest.raises(StorageUnavailable):
            files.check()
    finally:
        engine.dispose()


def test_both_stores_are_managed_stores(tmp_path: Path, sqlite_engine: Engine) -> None:
    config = Config(database_url="sqlite://", files_dir=tmp_path / "files")
    local = file_store(config, sqlite_engine)
    database = file_store(config, sqlite_engine, kind="database")
    assert isinstance(local, LocalFileStore) and isinstance(database, DatabaseFileStore)
    for store in (local, database):
        assert isinstance(store, ManagedFileStore)
        key = store.put(b"hola")
        assert list(store.keys()) == [key] and b"".join(store.stream(key)) == b"hola"
        assert store.delete(key) and list(store.keys()) == []
        with pytest.raises(NotFound):
            store.stream(key)


def test_the_setting_chooses_the_store(tmp_path: Path) -> None:
    postgres = {"PQRS_DATABASE_URL": "postgresql://db.example/pqrs"}
    assert Config.from_env({}, cwd=tmp_path).file_store == "local"
    assert Config.from_env({**postgres, "PQRS_FILE_STORE": "Database"}, cwd=tmp_path).file_store == "database"
    with pytest.raises(ConfigError, match="PQRS_FILE_STORE: «s3» no es válido"):
        Config.from_env({**postgres, "PQRS_FILE_STORE": "s3"}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="necesita PostgreSQL"):
        Config.from_env({"PQRS_FILE_STORE": "database"}, cwd=tmp_path)


@pytest.mark.postgres
def test_attachments_of_the_application_go_to_the_database(postgres_engine: Engine, tmp_path: Path) -> None:
    url = postgres_engine.url.render_as_string(hide_password=False)
    config = Config.from_env({"PQRS_DATABASE_URL": url, "PQRS_FILE_STORE": "database",
                              "PQRS_FILES_DIR": str(tmp_path / "files")}, cwd=tmp_path)
    pqrs = build_pqrs(config, engine=postgres_engine, clock=FrozenClock(), sync=True)
    agent = Actor("ana", frozenset({"agent"}))
    case = pqrs.handle(c.FileCase(kind="queja", subject="Demora", description="Sin respuesta"), agent)
    case = pqrs.handle(c.AddAttachment(filing_number=str(case.filing_number), filename="factura.pdf",
                                       content_type="application/pdf", content=b"%PDF-1.4 factura"), agent)

    [info] = case.attachments
    assert DatabaseFileStore(postgres_engine).get(info.storage_key) == b"%PDF-1.4 factura"
    assert not (tmp_path / "files").exists()


@pytest.mark.postgres
def test_health_names_a_database_store_that_cannot_take_files(
        new_postgres_database: Callable[[str], str], tmp_path: Path) -> None:
    url = new_postgres_database("pqrs_files_health")
    upgrade(url)
    app = create_app(Config(database_url=url, files_dir=tmp_path / "files", file_store="database",
                            secret_key="x"))
    engine: Engine = app.extensions["pqrs.engine"]
    try:
        healthy = app.test_client().get("/health")
        assert healthy.status_code == 200 and healthy.get_json()["files"] == "ok"
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE stored_file_chunks, stored_files"))

        broken = app.test_client().get("/health")

        assert broken.status_code == 503
        assert broken.get_json() == {"status": "error", "database": "ok", "files": "unwritable"}
    finally:
        engine.dispose()
