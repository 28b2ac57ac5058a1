"""Where an ERP keeps its invoices: two tables (or two CSV files with these columns as headers), the
invoices and their lines, and the name of each column pqrs reads. Optional columns may be ``None``
(the ERP does not have them: the person filing enters them)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from pqrs_core.ports_integration import Invoice, InvoiceLine

REQUIRED = ("invoices_table", "invoice_number", "customer_id", "issued_on", "lines_table", "line_invoice",
            "product", "quantity")


@attrs.frozen(kw_only=True)
class InvoiceMapping:
    invoices_table: str = "facturas"
    invoice_number: str = "numero"
    customer_id: str = "cliente"
    issued_on: str = "fecha"
    order_number: str | None = "pedido"
    lines_table: str = "lineas_factura"
    line_invoice: str = "factura"
    line_number: str | None = "linea"
    product: str = "producto"
    description: str | None = "descripcion"
    quantity: str = "cantidad"
    unit: str | None = "unidad"
    lot: str | None = "lote"
    expires_on: str | None = "vencimiento"
    shipping_guide: str | None = "guia"

    @classmethod
    def from_file(cls, path: Path) -> InvoiceMapping:
        """The defaults with what the JSON object in ``path`` changes (``null`` leaves an optional
        column out)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: se esperaba un objeto JSON")
        unknown = set(data) - set(attrs.fields_dict(cls))
        if unknown:
            raise ValueError(f"{path}: claves desconocidas: {', '.join(sorted(unknown))}")
        missing = [key for key in REQUIRED if key in data and not data[key]]
        if missing:
            raise ValueError(f"{path}: {', '.join(missing)} no puede quedar vacío")
        return cls(**data)


def parse_date(value: Any) -> date | None:
    """A date as databases and spreadsheets give it: a date, ``2026-11-30`` or ``30/11/2026``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
    raise ValueError(f"fecha no reconocida: {text!r}")


def parse_quantity(value: Any) -> Decimal:
    """A quantity: a number, or text with a decimal point or comma (``2,5``)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"cantidad no reconocida: {value!r}") from None


def _text(row: Mapping[str, Any], column: str | None) -> str | None:
    if column is None:
        return None
    value = row.get(column)
    return None if value is None or str(value).strip() == "" else str(value).strip()


def line_from_row(m: InvoiceMapping, row: Mapping[str, Any]) -> InvoiceLine:
    number = _text(row, m.line_number)
    return InvoiceLine(product=_text(row, m.product) or "", quantity=parse_quantity(row[m.quantity]),
                       description=_text(row, m.description) or "", line=int(number) if number else None,
                       unit=_text(row, m.unit), lot=_text(row, m.lot),
                       expires_on=parse_date(row.get(m.expires_on)) if m.expires_on else None,
                       shipping_guide=_text(row, m.shipping_guide))


def invoice_from_row(m: InvoiceMapping, row: Mapping[str, Any], lines: list[InvoiceLine]) -> Invoice:
    issued = parse_date(row[m.issued_on])
    if issued is None:
        raise ValueError(f"la factura {row[m.invoice_number]} no tiene fecha")
    ordered = sorted(lines, key=lambda line: (line.line is None, line.line or 0))
    return Invoice(number=str(row[m.invoice_number]).strip(), customer_id=str(row[m.customer_id]).strip(),
                   issued_on=issued, order_number=_text(row, m.order_number), lines=tuple(ordered))
