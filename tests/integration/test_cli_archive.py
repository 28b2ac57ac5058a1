"""``pqrs archive export``: one closed case's package, and every case closed in a range of days in
Bogotá written one package per case into a folder; an open case is refused with the reason."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner, Result

from pqrs_adapters.accounts import load_actor
from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_adapters.wiring import build_pqrs, make_engine
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Requester

BOGOTA = ZoneInfo("America/Bogota")


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _cases(env: dict[str, str]) -> tuple[str, str, str]:
    """Two cases closed on 2 March 2026 at 23:30 and on the 4th (Bogotá), and one still open."""
    clock = FrozenClock()
    engine = make_engine(Config.from_env(env))
    try:
        pqrs = build_pqrs(Config.from_env(env), engine=engine, clock=clock, sync=False)
        admin = load_actor(engine, "admin")
        assert admin is not None
        numbers = []
        for at, close in ((datetime(2026, 3, 2, 23, 30, tzinfo=BOGOTA), True),
                          (datetime(2026, 3, 4, 9, 0, tzinfo=BOGOTA), True),
                          (datetime(2026, 3, 4, 10, 0, tzinfo=BOGOTA), False)):
            clock.set(at)
            case = pqrs.handle(c.FileCase(kind="peticion", subject="Certificado", description="Solicito.",
                                          channel="phone", requester=Requester(full_name="Marta Gómez")),
                               admin)
            number = str(case.filing_number)
            if close:
                pqrs.handle(c.AssignCase(filing_number=number, assignee="admin"), admin)
                pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), admin)
                pqrs.handle(c.RespondCase(filing_number=number, text="Expedido.", close=True), admin)
            numbers.append(number)
        return numbers[0], numbers[1], numbers[2]
    finally:
        engine.dispose()


def test_archive_export_writes_one_package_per_closed_case(tmp_path: Path) -> None:
    env = {"PQRS_DATABASE_URL": f"sqlite:///{tmp_path / 'pqrs.sqlite3'}",
           "PQRS_FILES_DIR": str(tmp_path / "files")}
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    first, second, still_open = _cases(env)

    one = _run(env, "archive", "export", "--case", first, "--out", str(tmp_path / "uno"))
    assert one.exit_code == 0, one.output
    package = zipfile.ZipFile(tmp_path / "uno" / f"expediente-{first}.zip")
    index = json.loads(package.read("indice.json"))
    assert index["radicado"] == first
    for document in index["documentos"]:
        assert hashlib.sha256(package.read(document["nombre"])).hexdigest() == document["sha256"]

    day = _run(env, "archive", "export", "--from", "2026-03-02", "--to", "2026-03-02",
               "--out", str(tmp_path / "dia"))
    assert day.exit_code == 0, day.output
    assert sorted(p.name for p in (tmp_path / "dia").iterdir()) == [f"expediente-{first}.zip"]
    week = _run(env, "archive", "export", "--from", "2026-03-01", "--to", "2026-03-07",
                "--out", str(tmp_path / "semana"))
    assert week.exit_code == 0, week.output
    assert sorted(p.name for p in (tmp_path / "semana").iterdir()) == sorted(
        [f"expediente-{first}.zip", f"expediente-{second}.zip"])
    assert "2 expedientes exportados." in week.output

    refused = CliRunner().invoke(main, ["archive", "export", "--case", still_open, "--out", str(tmp_path)],
                                 env=env)
    assert refused.exit_code == 1 and "sigue abierto" in refused.output
    assert not list(tmp_path.glob("*.part"))


def test_the_demo_case_files_carry_the_demo_retention_table(tmp_path: Path) -> None:
    env = {"PQRS_DATABASE_URL": f"sqlite:///{tmp_path / 'pqrs.sqlite3'}",
           "PQRS_FILES_DIR": str(tmp_path / "files")}
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    assert _run(env, "demo", "--count", "12", "--seed", "5").exit_code == 0
    engine = make_engine(Config.from_env(env))
    try:
        today = build_pqrs(Config.from_env(env), engine=engine, sync=False).deps.clock.now().astimezone(
            BOGOTA).date()
    finally:
        engine.dispose()
    result = _run(env, "archive", "export", "--from", (today - timedelta(days=120)).isoformat(),
                  "--to", today.isoformat(), "--out", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    packages = list((tmp_path / "demo").glob("expediente-*.zip"))
    assert packages
    codes = [(json.loads(zipfile.ZipFile(path).read("indice.json"))["trd"] or {}).get("codigo")
             for path in packages]
    # The demo's PQRSD kinds carry its series; kinds it gives no series to have none.
    assert any(code and code.startswith("200.15.") for code in codes)
