"""``pqrs import FILE`` on a real SQLite file, as an administrator migrating old cases runs it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from test_store_import import CLOSED, LINES, line

from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_adapters.wiring import build_pqrs, make_engine
from pqrs_core.ports import CaseQuery


def _env(root: Path) -> dict[str, str]:
    return {"PQRS_DATABASE_URL": f"sqlite:///{root / 'pqrs.sqlite3'}", "PQRS_FILES_DIR": str(root / "files")}


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _file(path: Path, lines: list[object]) -> Path:
    text = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    path.write_text(text, encoding="utf-8")
    return path


def _numbers(env: dict[str, str]) -> list[str]:
    config = Config.from_env(env)
    engine = make_engine(config)
    try:
        page = build_pqrs(config, engine=engine, sync=False).cases(CaseQuery(limit=100, sort="oldest"))
    finally:
        engine.dispose()
    return [str(c.filing_number) for c in page.cases]


def test_import_writes_the_cases_and_reports_what_it_did(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    path = _file(tmp_path / "casos.jsonl", [*LINES[:3], "", LINES[4]])

    result = _run(env, "import", str(path), "--batch", "2")

    assert result.exit_code == 0, result.output
    assert "Importados: 4 casos" in result.stdout and "en 2 lotes" in result.stdout
    assert "Líneas omitidas: 0." in result.stdout
    assert "Importando" in result.stderr  # the progress bar
    assert _numbers(env)[:2] == ["PQRS-2025-000040", "PQRS-2025-000041"]
    shown = _run(env, "show", "PQRS-2025-000040")
    assert "La transportadora confirmó la entrega." in shown.output and "Cerró el caso" in shown.output


def test_a_bad_line_stops_the_import_and_nothing_of_its_batch_is_written(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    path = _file(tmp_path / "casos.jsonl", [LINES[0], LINES[1], line(priority="urgentísima"), LINES[2]])

    result = _run(env, "import", str(path), "--batch", "2")

    assert result.exit_code == 1
    assert "Error en la línea 3, campo «priority»: «urgentísima» no es una prioridad válida" in result.stderr
    assert "detenida en la línea 3" in result.stderr and "--from-line 3" in result.stderr
    assert _numbers(env) == ["PQRS-2025-000040", "PQRS-2025-000041"]  # the first batch only

    fixed = _file(tmp_path / "arreglado.jsonl", [LINES[0], LINES[1], line(priority="alta"), LINES[2]])
    resumed = _run(env, "import", str(fixed), "--from-line", "3")
    assert resumed.exit_code == 0, resumed.output
    assert len(_numbers(env)) == 4


def test_skip_and_dry_run(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    path = _file(tmp_path / "casos.jsonl", [CLOSED, "[1, 2]", line(channel="paloma")])

    checked = _run(env, "import", str(path), "--dry-run", "--on-error", "skip")
    assert checked.exit_code == 0
    assert "2 con errores; no se escribió nada" in checked.stdout and _numbers(env) == []
    assert "línea 2, campo «(línea)»: debe ser un objeto JSON" in checked.stderr
    assert "línea 3, campo «channel»" in checked.stderr

    skipped = _run(env, "import", str(path), "--on-error", "skip")
    assert skipped.exit_code == 0 and "Importados: 1 casos" in skipped.stdout
    assert "Líneas omitidas: 2." in skipped.stdout
    again = _run(env, "import", str(path), "--on-error", "skip")
    assert "línea 1, campo «filing_number»: el radicado PQRS-2025-000040 ya existe" in again.stderr


def test_workers_write_what_one_process_writes(tmp_path: Path) -> None:
    """Half the lines without a filing number, bad lines among them (skipped): the numbers the workers'
    guesses gave are checked and the lines after a refused one built again with the right number."""
    import sqlite3
    import subprocess
    import sys

    generated = tmp_path / "generated.jsonl"
    generator = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generator), "--cases", "700", "--seed", "11", "--missing-numbers",
                    "0.5", "--end", "2026-05-29T18:00:00-05:00", "--output", str(generated)],
                   check=True, capture_output=True)
    lines: list[object] = []
    for i, text in enumerate(generated.read_text(encoding="utf-8").splitlines()):
        lines.append(text)
        if i % 97 == 5:
            lines.append(line(kind="cohete", received_at="2025-06-02T10:00:00-05:00"))
    path = _file(tmp_path / "casos.jsonl", lines)
    stores = {}
    for workers in ("1", "2"):
        root = tmp_path / f"workers-{workers}"
        env = _env(root)
        assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
        result = _run(env, "import", str(path), "--on-error", "skip", "--batch", "150", "--workers", workers)
        assert result.exit_code == 0, result.output
        assert "Importados: 700 casos" in result.stdout and "Líneas omitidas: 8." in result.stdout
        with sqlite3.connect(root / "pqrs.sqlite3") as conn:
            stores[workers] = (
                conn.execute("SELECT filing_number, kind, state, due_at, next_alarm_at, requester_full_name, "
                             "search_rowid FROM cases ORDER BY filing_number").fetchall(),
                conn.execute("SELECT c.filing_number, e.seq, e.type, e.occurred_at FROM case_events e "
                             "JOIN cases c ON c.id = e.case_id ORDER BY 1, 2").fetchall(),
                conn.execute("SELECT * FROM filing_sequences ORDER BY year").fetchall(),
                conn.execute("SELECT count(*) FROM cases_fts WHERE cases_fts MATCH 'pedido'").fetchall())
    assert len(stores["1"][0]) == 700
    assert stores["1"] == stores["2"]
