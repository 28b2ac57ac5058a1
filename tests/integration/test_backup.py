"""``pqrs backup`` and ``pqrs restore``: a store backed up while cases keep being filed is restored
elsewhere with every case acknowledged before the backup began, and every one of their files."""

from __future__ import annotations

import hashlib
import tarfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pqrs_adapters import open_pqrs
from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Actor

AGENT = Actor("ana", frozenset({"agent"}))


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


UNLIMITED_UPLOADS = {"PQRS_MAX_FILES_PER_HOUR": "10000"}


def _sqlite_env(root: Path) -> dict[str, str]:
    return {"PQRS_DATABASE_URL": f"sqlite:///{root / 'pqrs.sqlite3'}", "PQRS_FILES_DIR": str(root / "files"),
            **UNLIMITED_UPLOADS}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The environment of a store in use and of an empty one to restore into."""
    if request.param == "sqlite":
        return _sqlite_env(tmp_path / "origen"), _sqlite_env(tmp_path / "destino")
    new_database = request.getfixturevalue("new_postgres_database")

    def env(name: str) -> dict[str, str]:
        return {"PQRS_DATABASE_URL": new_database(f"pqrs_backup_{name}"),
                "PQRS_FILES_DIR": str(tmp_path / name), **UNLIMITED_UPLOADS}

    return env("origen"), env("destino")


class Filing(threading.Thread):
    """Files cases with an attachment each, one after another, until stopped; ``acknowledged`` holds
    the number and file digest of each case whose filing returned."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.pqrs = open_pqrs(Config.from_env(env))
        self.stop = threading.Event()
        self.acknowledged: list[tuple[str, str]] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                i = len(self.acknowledged)
                case = self.pqrs.handle(c.FileCase(kind="queja", subject=f"Cobro {i}",
                                                   description="Me cobraron dos veces."), AGENT)
                content = f"factura {i} ".encode() * 50
                self.pqrs.handle(c.AddAttachment(filing_number=str(case.filing_number), filename=f"f{i}.txt",
                                                 content_type="text/plain", content=content), AGENT)
                self.acknowledged.append((str(case.filing_number), hashlib.sha256(content).hexdigest()))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc


def test_a_backup_taken_under_write_load_restores_every_acknowledged_case_and_file(
        stores: tuple[dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    source, target = stores
    assert _run(source, "init", "--admin-password", "clave-admin-123").exit_code == 0
    load = Filing(source)
    load.start()
    try:
        while len(load.acknowledged) < 15 and load.error is None and load.is_alive():
            threading.Event().wait(0.05)
        before = list(load.acknowledged)
        result = _run(source, "backup", str(tmp_path / "copia.tar.gz"))
        during = len(load.acknowledged) - len(before)
    finally:
        load.stop.set()
        load.join()
        load.pqrs.close()
    assert load.error is None, load.error
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Copia de seguridad en {tmp_path / 'copia.tar.gz'}: ")
    assert during > 0  # cases were being filed while the backup ran

    restored = _run(target, "restore", str(tmp_path / "copia.tar.gz"))

    assert restored.exit_code == 0, restored.output
    assert restored.output.startswith("Restaurados ")
    with open_pqrs(Config.from_env(target)) as pqrs:
        for number, digest in before:
            [info] = pqrs.case(number).attachments
            assert info.sha256 == digest
            assert pqrs.deps.files is not None and hashlib.sha256(
                pqrs.deps.files.get(info.storage_key)).hexdigest() == digest
    assert _run(target, "user", "list").output.count("admin") >= 1  # the accounts came along too


def test_a_restore_refuses_a_database_in_use_unless_told_to_replace_it(tmp_path: Path) -> None:
    source, target = _sqlite_env(tmp_path / "origen"), _sqlite_env(tmp_path / "destino")
    for env in (source, target):
        assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    with open_pqrs(Config.from_env(source)) as pqrs:
        number = str(pqrs.handle(c.FileCase(kind="queja", subject="Cobro", description="Doble."), AGENT)
                     .filing_number)
    archive = tmp_path / "copia.tar.gz"
    assert _run(source, "backup", str(archive)).exit_code == 0

    again = _run(source, "backup", str(archive))
    assert again.exit_code == 1 and "ya existe" in again.stderr
    refused = _run(target, "restore", str(archive))
    assert refused.exit_code == 1 and "no está vacía; use --replace" in refused.stderr

    replaced = _run(target, "restore", "--replace", str(archive))
    assert replaced.exit_code == 0, replaced.output
    with open_pqrs(Config.from_env(target)) as pqrs:
        assert pqrs.case(number).subject == "Cobro"


def test_an_archive_that_is_not_a_backup_is_refused_clearly(tmp_path: Path) -> None:
    env = _sqlite_env(tmp_path)
    not_a_backup = tmp_path / "otra.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as archive:
        archive.add(__file__, arcname="test.py")
    text = tmp_path / "texto.tar.gz"
    text.write_text("hola")
    for path in (not_a_backup, text):
        result = _run(env, "restore", str(path))
        assert result.exit_code == 1 and "no es una copia de seguridad de pqrs" in result.stderr


def _file_with_attachment(env: dict[str, str], content: bytes) -> tuple[str, str]:
    with open_pqrs(Config.from_env(env)) as pqrs:
        number = str(pqrs.handle(c.FileCase(kind="queja", subject="Cobro", description="Doble."), AGENT)
                     .filing_number)
        case = pqrs.handle(c.AddAttachment(filing_number=number, filename="factura.pdf",
                                           content_type="application/pdf", content=content), AGENT)
    return number, case.attachments[0].storage_key


def _served(env: dict[str, str], number: str) -> bytes:
    with open_pqrs(Config.from_env(env)) as pqrs:
        [info] = pqrs.case(number).attachments
        assert pqrs.deps.files is not None
        return pqrs.deps.files.get(info.storage_key)


@pytest.mark.postgres
def test_files_kept_in_the_database_travel_in_its_copy_and_an_archive_restores_into_either_store(
        new_postgres_database: Callable[[str], str], tmp_path: Path) -> None:
    def env(name: str, store: str) -> dict[str, str]:
        return {"PQRS_DATABASE_URL": new_postgres_database(f"pqrs_backup_{name}"),
                "PQRS_FILES_DIR": str(tmp_path / name), "PQRS_FILE_STORE": store}

    in_database, from_folder = env("en_base", "database"), env("en_carpeta", "local")
    for source in (in_database, from_folder):
        assert _run(source, "init", "--admin-password", "clave-admin-123").exit_code == 0
    number, key = _file_with_attachment(in_database, b"%PDF-1.4 en la base")
    local_number, local_key = _file_with_attachment(from_folder, b"%PDF-1.4 en la carpeta")

    made = _run(in_database, "backup", str(tmp_path / "base.tar.gz"))
    assert made.exit_code == 0, made.output
    assert ": 1 casos y 1 archivos" in made.output
    with tarfile.open(tmp_path / "base.tar.gz") as archive:
        assert not [name for name in archive.getnames() if name.startswith("files/")]
        manifest = archive.extractfile("manifest.json")
        assert manifest is not None and b'"database_files": 1' in manifest.read()
    assert _run(from_folder, "backup", str(tmp_path / "carpeta.tar.gz")).exit_code == 0

    for archive_name, restored_number, content in (("base", number, b"%PDF-1.4 en la base"),
                                                    ("carpeta", local_number, b"%PDF-1.4 en la carpeta")):
        target = env(f"destino_{archive_name}", "database")
        restored = _run(target, "restore", str(tmp_path / f"{archive_name}.tar.gz"))
        assert restored.exit_code == 0, restored.output
        assert restored.output.startswith("Restaurados 1 casos y 1 archivos")
        assert _served(target, restored_number) == content
        assert not Path(target["PQRS_FILES_DIR"]).exists()  # into the database, not a folder
    assert key != local_key
