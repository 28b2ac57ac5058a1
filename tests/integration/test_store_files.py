"""``LocalFileStore``: attachments on disk, addressed by content, never by the name a user gave."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from pqrs_adapters.files import LocalFileStore
from pqrs_adapters.sqlalchemy import upgrade
from pqrs_adapters.sqlalchemy.migrate import alembic_config
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import NotFound, StorageUnavailable
from pqrs_core.domain.events import AttachmentAdded
from pqrs_core.domain.values import Actor
from pqrs_core.memory import MemoryStore
from pqrs_core.plugins import get_plugin_manager

if TYPE_CHECKING:
    from conftest import StoreUnderTest


def test_put_stores_bytes_under_their_sha256(tmp_path: Path) -> None:
    files = LocalFileStore(tmp_path / "files")
    content = "Factura FV-1001 — señor Núñez".encode()
    key = files.put(content)
    digest = hashlib.sha256(content).hexdigest()
    assert key == digest
    assert (tmp_path / "files" / digest[:2] / digest[2:4] / digest).read_bytes() == content
    assert files.get(key) == content
    assert files.put(content) == key  # the same bytes are stored once
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [digest]


def test_keys_that_are_not_hashes_are_never_paths(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("no")
    files = LocalFileStore(tmp_path / "files")
    for key in ("../secret.txt", "../../etc/passwd", str(secret), "a" * 63, "A" * 64, ""):
        with pytest.raises(NotFound):
            files.get(key)
    with pytest.raises(NotFound):
        files.get("0" * 64)
    assert not files.exists("../secret.txt") and not files.exists("0" * 64)


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = LocalFileStore(tmp_path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disco lleno")

    monkeypatch.setattr("pqrs_adapters.files.local.os.replace", broken_replace)
    with pytest.raises(StorageUnavailable):
        files.put(b"contenido")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_attachments_filed_through_the_application_land_in_the_store(tmp_path: Path) -> None:
    files = LocalFileStore(tmp_path)
    app = bootstrap(uow_factory=MemoryStore().unit_of_work, clock=FrozenClock(), files=files,
                    plugin_manager=get_plugin_manager(load_entry_points=False))
    agent = Actor("ana", frozenset({"agent"}))
    case = app.handle(c.FileCase(kind="queja", subject="Demora", description="Sin respuesta"), agent)
    case = app.handle(c.AddAttachment(filing_number=str(case.filing_number), filename="../../etc/passwd",
                                      content_type="text/plain", content=b"hola"), agent)
    [info] = case.attachments
    assert info.filename == "../../etc/passwd" and info.storage_key == hashlib.sha256(b"hola").hexdigest()
    assert files.get(info.storage_key) == b"hola"
    assert not (tmp_path / "etc").exists()


def test_attachments_stored_before_they_could_be_internal_stay_public(sql_store: StoreUnderTest) -> None:
    assert sql_store.url is not None
    app = sql_store.app()
    agent = Actor("ana", frozenset({"agent"}))
    case = app.handle(c.FileCase(kind="queja", subject="Demora", description="Sin respuesta"), agent)
    number = str(case.filing_number)
    app.handle(c.AddAttachment(filing_number=number, filename="factura.pdf", content_type="application/pdf",
                               content=b"%PDF-1.4"), agent)
    # The database as a release without attachment visibility left it: no "public" anywhere.
    config = alembic_config(sql_store.url)
    before = ScriptDirectory.from_config(config).get_revision("0011").down_revision
    command.downgrade(config, str(before))
    assert sql_store.engine is not None
    with sql_store.engine.connect() as conn:
        stored = [conn.execute(text(f"SELECT {column} FROM {table}")).scalars().all()
                  for table, column in (("cases", "attachments"), ("case_events", "data"))]
    assert "factura.pdf" in str(stored) and "public" not in str(stored)

    upgrade(sql_store.url)

    [info] = app.case(number).attachments
    [added] = [e for e in app.history(number) if isinstance(e, AttachmentAdded)]
    assert info.public and added.attachment.public  # what the requester saw before is still shown
