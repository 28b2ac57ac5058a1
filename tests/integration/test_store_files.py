"""``LocalFileStore``: attachments on disk, addressed by content, never by the name a user gave."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pqrs_adapters.files import LocalFileStore
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import NotFound, StorageUnavailable
from pqrs_core.domain.values import Actor
from pqrs_core.memory import MemoryStore
from pqrs_core.plugins import get_plugin_manager


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

    monkeypatch.setattr("pqrs_adapters.files.os.replace", broken_replace)
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
