"""Every program in examples/ runs as a user would run it, and prints what it promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "examples"

EXPECTED = {
    "file_and_answer.py": [
        "(Queja) — estado final: Cerrado",
        "Historial:",
        "ana radicó la queja «Pedido entregado incompleto» recibida por teléfono",
        "ana fijó el término de 15 días hábiles «Término por defecto (CPACA art. 14)», vence el ",
        "sergio asignó el caso a ana (cola Primer nivel)",
        "el sistema pasó el caso de «Radicado» a «Asignado»",
        "ana pasó el caso de «Asignado» a «En progreso»",
        "ana cerró el término en «Respondido» (a tiempo)",
        "ana respondió: «Hoy le enviamos sin costo las 2 cajas faltantes.»",
        "ana pasó el caso de «Respondido» a «Cerrado»",
        "ana cerró el caso",
    ],
    "custom_plugin.py": [
        "tipo «tutela», flujo «generic», estado «filed»",
        "Juzgado que notifica: Juzgado 12 Civil Municipal de Bogotá",
        "Fecha de notificación: 2026-03-02",
        "Sin el juzgado no se radica: Datos inválidos: custom_fields.juzgado: es obligatorio",
        "Otra instancia, sin el plugin: Datos inválidos: kind: «tutela» no es un valor válido",
    ],
}


def test_every_example_has_expectations():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_and_prints_what_it_promises(name):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    run = subprocess.run([sys.executable, str(EXAMPLES / name)], cwd=ROOT, env=env, capture_output=True,
                         text=True, encoding="utf-8", timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    lines = run.stdout.splitlines()
    position = -1
    for expected in EXPECTED[name]:  # in this order
        found = [i for i, line in enumerate(lines) if expected in line and i > position]
        assert found, f"{name} did not print {expected!r} after line {position}:\n{run.stdout}"
        position = found[0]
    if name == "file_and_answer.py":
        assert lines[0].startswith("Caso PQRS-") and len(lines) == 2 + 10
