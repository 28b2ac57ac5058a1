"""docs/library.md is a program: its ``python`` blocks run in order, in an empty working directory,
and use nothing but the public API."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "library.md"
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
PUBLIC_IMPORT = re.compile(r"^(from (pqrs_core|pqrs_adapters|zoneinfo|datetime) import |import attrs$)")


def _blocks(path: Path = DOC) -> list[str]:
    return BLOCK.findall(path.read_text(encoding="utf-8"))


def test_the_examples_import_only_the_public_api() -> None:
    imports = [line for block in _blocks() for line in block.splitlines()
               if line.startswith(("from ", "import "))]
    assert imports and [line for line in imports if not PUBLIC_IMPORT.match(line)] == []


def test_the_examples_run_in_order_and_print_what_they_say(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "library_doc"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for number, block in enumerate(_blocks(), 1):
            exec(compile(block, f"{DOC.name} block {number}", "exec"), namespace)  # noqa: S102
            closing = namespace.get("db")
            if closing is not None:
                assert closing.closers == []  # the ``with`` block released the database
    output = printed.getvalue()

    assert re.search(r"^PQRS-\d{4}-000001 filed$", output, re.MULTILINE)
    assert "{'subject': 'es obligatorio'}" in output
    assert "Operaciones › Pedido no recibido" in output
    assert "in_progress doing" in output
    assert "closed Hoy le enviamos sin costo las 2 cajas faltantes." in output
    assert "Cumplido" in output and "«Reclamos de clientes» de 15 días hábiles" in output
    assert "no tiene el esquema de pqrs" in output and "pqrs init" in output
    assert "['Factura con doble cobro']" in output
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite3") == ["pqrs.sqlite3",
                                                                                  "vacia.sqlite3"]
    assert os.listdir(tmp_path)


def test_the_readme_example_uses_the_public_api_and_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = _blocks(ROOT / "README.md")
    imports = [line for line in block.splitlines() if line.startswith(("from ", "import "))]

    exec(compile(block, "README.md", "exec"), {"__name__": "readme"})  # noqa: S102

    assert imports == ["from pqrs_core import Actor, AssignCase, FileCase, RespondCase, in_memory"]
    assert capsys.readouterr().out.startswith("closed ['CaseFiled'")
