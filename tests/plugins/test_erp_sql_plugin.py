"""The first-party plugin ``pqrs-erp-sql``, installed and found through its entry point: an ERP's
invoices read from a SQL database (a real SQLite file, with the default and with a mapped schema) and
from CSV exports, and the demo data ``make run`` shows."""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from hook_coverage import exercises
from pqrs_erp_sql.csv_source import CsvInvoiceSource
from pqrs_erp_sql.mapping import InvoiceMapping
from pqrs_erp_sql.settings import DEMO_DIR, ErpSettings
from pqrs_erp_sql.sql_source import SqlInvoiceSource
from sqlalchemy import Column, Date, Integer, MetaData, Numeric, String, Table, create_engine

from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.items import InvolvedItem
from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.testing import in_memory_pqrs, staff

AGENT = staff("ana", "agent")


def _column_type(m: InvoiceMapping, name: str) -> type[Integer] | type[Date] | type[String]:
    return Integer if name == m.line_number else Date if name == m.expires_on else String


def _erp_database(path: Path, m: InvoiceMapping) -> str:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    meta = MetaData()
    invoices = Table(m.invoices_table, meta, Column(m.invoice_number, String, primary_key=True),
                     Column(m.customer_id, String), Column(m.issued_on, Date),
                     *([Column(m.order_number, String)] if m.order_number else []))
    lines = Table(m.lines_table, meta, Column(m.line_invoice, String), Column(m.product, String),
                  Column(m.quantity, Numeric(12, 4)),
                  *(Column(name, _column_type(m, name))
                    for name in (m.line_number, m.description, m.unit, m.lot, m.expires_on, m.shipping_guide)
                    if name))
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(invoices.insert(), [
            {m.invoice_number: "FE-1", m.customer_id: "C-1", m.issued_on: date(2026, 1, 5),
             **({m.order_number: "PED-9"} if m.order_number else {})},
            {m.invoice_number: "FE-2", m.customer_id: "C-1", m.issued_on: date(2026, 2, 5),
             **({m.order_number: None} if m.order_number else {})},
            {m.invoice_number: "FE-3", m.customer_id: "C-2", m.issued_on: date(2026, 2, 6),
             **({m.order_number: None} if m.order_number else {})}])
        rows = [("FE-1", 2, "SHAMPOO", Decimal("6"), "L-2", None),
                ("FE-1", 1, "CREMA", Decimal("12.5"), "L-1", date(2027, 1, 31)),
                ("FE-2", 1, "JABON", Decimal("3"), None, None)]
        conn.execute(lines.insert(), [
            {m.line_invoice: inv, m.product: product, m.quantity: qty,
             **{k: v for k, v in ((m.line_number, n), (m.description, f"{product.title()}"), (m.unit, "UND"),
                                  (m.lot, lot), (m.expires_on, exp), (m.shipping_guide, "GU-1")) if k}}
            for inv, n, product, qty, lot, exp in rows])
    engine.dispose()
    return url


def test_the_sql_source_reads_invoices_and_lines_from_a_real_sqlite_database(tmp_path: Path) -> None:
    source = SqlInvoiceSource(_erp_database(tmp_path / "erp.sqlite3", InvoiceMapping()))
    assert [i.number for i in source.invoices_for("C-1")] == ["FE-2", "FE-1"]
    invoice = source.invoice(" FE-1 ")
    assert invoice is not None and invoice.order_number == "PED-9" and invoice.issued_on == date(2026, 1, 5)
    first, second = invoice.lines  # in line order
    assert (first.product, first.quantity, first.lot, first.expires_on, first.line) == (
        "CREMA", Decimal("12.5"), "L-1", date(2027, 1, 31), 1)
    assert (second.product, second.lot, second.expires_on, second.unit, second.shipping_guide) == (
        "SHAMPOO", "L-2", None, "UND", "GU-1")
    assert source.invoice("FE-404") is None and source.invoices_for("C-404") == []
    source.close()


def test_a_mapping_file_names_another_erp_schema(tmp_path: Path) -> None:
    mapping_file = tmp_path / "mapping.json"
    mapping_file.write_text(json.dumps({
        "invoices_table": "FACT_ENC", "invoice_number": "NUM_DOC", "customer_id": "COD_CLI",
        "issued_on": "FEC_DOC", "order_number": None, "lines_table": "FACT_DET", "line_invoice": "NUM_DOC",
        "line_number": "RENGLON", "product": "COD_ART", "description": "DES_ART", "quantity": "CANT",
        "unit": None, "lot": "LOTE", "expires_on": "FEC_VEN", "shipping_guide": None}), encoding="utf-8")
    mapping = InvoiceMapping.from_file(mapping_file)
    source = SqlInvoiceSource(_erp_database(tmp_path / "erp.sqlite3", mapping), mapping)
    invoice = source.invoice("FE-1")
    assert invoice is not None and invoice.order_number is None
    assert [(line.product, line.lot, line.unit) for line in invoice.lines] == [
        ("CREMA", "L-1", None), ("SHAMPOO", "L-2", None)]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"tabla": "x"}), encoding="utf-8")
    with pytest.raises(ValueError, match="claves desconocidas: tabla"):
        InvoiceMapping.from_file(bad)
    source.close()


def test_the_csv_source_reads_spreadsheet_exports_and_notices_a_new_export(tmp_path: Path) -> None:
    (tmp_path / "facturas.csv").write_text(
        "numero;cliente;fecha;pedido\nFE-10;C-1;30/11/2026;PED-1\nFE-11;C-1;2026-12-01;\n", encoding="utf-8")
    (tmp_path / "lineas_factura.csv").write_text(
        "factura;linea;producto;descripcion;cantidad;unidad;lote;vencimiento;guia\n"
        "FE-10;1;P-1;Crema;2,5;UND;L-9;31/01/2027;GU-7\nFE-10;2;P-2;Jabón;1;;;;\n", encoding="utf-8")
    source = CsvInvoiceSource(tmp_path)
    assert [i.number for i in source.invoices_for("C-1")] == ["FE-11", "FE-10"]
    invoice = source.invoice("fe-10")
    assert invoice is not None and invoice.issued_on == date(2026, 11, 30)
    assert (invoice.lines[0].quantity, invoice.lines[0].expires_on, invoice.lines[0].shipping_guide) == (
        Decimal("2.5"), date(2027, 1, 31), "GU-7")
    assert invoice.lines[1].lot is None and invoice.lines[1].unit is None
    (tmp_path / "facturas.csv").write_text("numero;cliente;fecha;pedido\nFE-12;C-1;2026-12-02;\n",
                                           encoding="utf-8")
    stamp = os.stat(tmp_path / "facturas.csv").st_mtime + 5
    os.utime(tmp_path / "facturas.csv", (stamp, stamp))
    assert [i.number for i in source.invoices_for("C-1")] == ["FE-12"]


def test_the_demo_customers_have_invoices_with_several_lines_and_lots() -> None:
    source = CsvInvoiceSource(DEMO_DIR)
    juan = source.invoices_for("CLI-010245")  # the demo's Juan Pérez
    assert len(juan) >= 3 and all(len(i.lines) >= 2 for i in juan)
    assert all(line.lot for i in juan for line in i.lines)
    assert any(line.expires_on for i in juan for line in i.lines)


def test_the_settings_read_the_environment() -> None:
    assert ErpSettings.from_env({}) == ErpSettings()
    demo = ErpSettings.from_env({"PQRS_ERP_CSV_DIR": "demo", "PQRS_ERP_SQL_URL": " sqlite:///x.db "})
    assert demo.csv_dir == DEMO_DIR and demo.sql_url == "sqlite:///x.db"


@exercises("pqrs_invoice_sources")
def test_installed_the_plugin_checks_a_filing_against_the_demo_erp(monkeypatch: pytest.MonkeyPatch) -> None:
    if not [ep for ep in entry_points(group="pqrs") if ep.name == "erp_sql"]:
        pytest.fail("the plugin pqrs-erp-sql is not installed; install it with: "
                    ".venv/bin/pip install -e plugins/pqrs_erp_sql")
    monkeypatch.delenv("PQRS_ERP_SQL_URL", raising=False)
    monkeypatch.setenv("PQRS_ERP_CSV_DIR", "demo")
    pqrs = in_memory_pqrs(load_entry_points=True)
    assert [s.name for s in pqrs.deps.invoice_sources] == ["erp_csv"]
    juan = Requester(kind=RequesterKind.CUSTOMER, customer_id="CLI-010245", full_name="Juan Pérez")
    invoice = pqrs.customer_invoices("CLI-010245").invoices[0].invoice
    line = invoice.lines[0]
    item = InvolvedItem(invoice=invoice.number, product=line.product, quantity=line.quantity)
    case = pqrs.handle(c.FileCase(kind="reclamo", subject="Producto defectuoso", description="d",
                                  requester=juan, items=(item,)), AGENT)
    assert case.items[0].verified and case.items[0].lot == line.lot and case.items[0].erp.source == "erp_csv"
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(c.FileCase(kind="reclamo", subject="s", description="d", requester=juan, items=(
            InvolvedItem(invoice="FV-NO-EXISTE", product="X", quantity=Decimal(1)),)), AGENT)
    assert set(refused.value.errors) == {"items.0.invoice"}
    monkeypatch.delenv("PQRS_ERP_CSV_DIR")
    assert in_memory_pqrs(load_entry_points=True).deps.invoice_sources == ()
