"""``pqrs customers find`` and ``pqrs customers show`` on a real SQLite file, with the demo's customer
directory (``PQRS_DEMO_CUSTOMERS=1``, as ``make run`` sets it) and without any."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_adapters.demo.customers import JUAN
from pqrs_adapters.wiring import build_pqrs, make_engine
from pqrs_core.domain.values import RequesterKind
from pqrs_core.ports import CaseQuery


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("customers")
    env = {"PQRS_DATABASE_URL": f"sqlite:///{root / 'pqrs.sqlite3'}", "PQRS_FILES_DIR": str(root / "files"),
           "PQRS_DEMO_CUSTOMERS": "1"}
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    result = _run(env, "demo", "--count", "40")
    assert result.exit_code == 0, result.output
    yield env


def test_find_searches_the_directories_by_name_or_document(demo_env: dict[str, str]) -> None:
    by_name = _run(demo_env, "customers", "find", "juan pérez")
    by_document = _run(demo_env, "customers", "find", "80.123.456")

    for result in (by_name, by_document):
        assert result.exit_code == 0, result.output
        assert "CLI-010245" in result.output and "Juan Pérez" in result.output and "demo" in result.output
    nobody = _run(demo_env, "customers", "find", "zzzz-nadie")
    assert nobody.exit_code == 0 and "Ningún cliente coincide." in nobody.output


def test_show_prints_the_360_view_by_document_or_customer_code(demo_env: dict[str, str]) -> None:
    by_code = _run(demo_env, "customers", "show", "CLI-010245")
    by_document = _run(demo_env, "customers", "show", "80123456")

    assert by_code.exit_code == 0, by_code.output
    assert by_code.output == by_document.output
    assert by_code.output.startswith("Juan Pérez\n  Documento: CC 80123456\n")
    for label, value in JUAN.commercial:
        assert f"  {label}: {value}\n" in by_code.output
    assert "Casos (" in by_code.output and "Facturas:" in by_code.output and "Encuestas:" in by_code.output


def test_the_demo_directory_knows_the_customers_of_the_demo_cases(demo_env: dict[str, str]) -> None:
    config = Config.from_env(demo_env)
    engine = make_engine(config)
    try:
        cases = build_pqrs(config, engine=engine, sync=False).cases(CaseQuery(limit=200)).cases
    finally:
        engine.dispose()
    customer = next(c.requester for c in cases
                    if c.requester.kind is RequesterKind.CUSTOMER and c.requester.document_number)
    assert customer.document_number is not None

    result = _run(demo_env, "customers", "show", customer.document_number)

    assert result.exit_code == 0, result.output
    assert f"Código de cliente: {customer.customer_id}" in result.output
    assert "Datos comerciales:" in result.output and "Rango:" in result.output
    assert "Casos (0)" not in result.output


def test_without_directories_find_says_so_and_show_reads_the_cases(tmp_path: Path) -> None:
    env = {"PQRS_DATABASE_URL": f"sqlite:///{tmp_path / 'pqrs.sqlite3'}", "PQRS_FILES_DIR": str(tmp_path)}
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0

    found = CliRunner().invoke(main, ["customers", "find", "Juan"], env=env)
    shown = CliRunner().invoke(main, ["customers", "show", "80123456"], env=env)

    assert found.exit_code == 1 and "no hay directorios de clientes instalados" in found.output
    assert shown.exit_code == 1 and "no se sabe de un cliente con el documento o el código «80123456»" in (
        shown.output)
