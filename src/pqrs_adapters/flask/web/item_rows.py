"""The items involved in a case as form rows (``items.<i>.<field>``), shared by the new-case form and
the case page: read as typed, turned into ``InvolvedItem``s, filled from an ERP invoice («Adicionar»,
«Adicionar todo»), and the requester's invoices to choose from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from pqrs_core.domain.items import MAX_ITEMS, InvolvedItem, item_key
from pqrs_core.ports_integration import Invoice, InvoiceLine
from pqrs_core.services.invoices import InvoicePage

from .common import pqrs

FIELDS = ("invoice", "product", "description", "quantity", "unit", "lot", "expires_on", "shipping_guide",
          "line")
ROW_KEY = re.compile(r"^items\.(\d+)\.(\w+)$")
INVOICES_PER_PAGE = 5
Row = dict[str, str]


def field_titles() -> dict[str, str]:
    return {"invoice": _("Factura"), "product": _("Producto"), "description": _("Descripción"),
            "quantity": _("Cantidad afectada"), "unit": _("Unidad"), "lot": _("Lote"),
            "expires_on": _("Vencimiento"), "shipping_guide": _("Guía de envío"), "line": _("Línea")}


def item_title(key: str) -> str | None:
    """«Ítem 2 · Lote» for ``items.1.lot`` (and for ``add.1.lot``, the case page's), else ``None``."""
    match = re.match(r"^(?:items|add)\.(\d+)(?:\.(\w+))?$", key)
    if match is None:
        return None
    name = field_titles().get(match.group(2) or "", "")
    return str(_("Ítem %(n)d", n=int(match.group(1)) + 1)) + (f" · {name}" if name else "")


def read_rows(form: Mapping[str, Any]) -> list[Row]:
    """The rows as typed, in order, without the blank ones."""
    numbers = sorted({int(m.group(1)) for key in form if (m := ROW_KEY.match(key))})
    rows: list[Row] = []
    for n in numbers[:MAX_ITEMS * 2]:
        row = {name: str(form.get(f"items.{n}.{name}", "")).strip()[:200] for name in FIELDS}
        if any(row[name] for name in ("invoice", "product", "quantity")):
            rows.append(row)
    return rows[:MAX_ITEMS]


def to_items(rows: list[Row]) -> tuple[list[InvolvedItem], dict[str, str]]:
    """The items the rows ask for, and the errors of what cannot even be read (``items.<i>.<field>``);
    everything else the domain checks."""
    items: list[InvolvedItem] = []
    errors: dict[str, str] = {}
    for i, row in enumerate(rows):
        quantity = _quantity(row["quantity"])
        if quantity is None:
            errors[f"items.{i}.quantity"] = _("escriba la cantidad afectada, por ejemplo 2 o 1,5")
        expires = None
        if row["expires_on"]:
            try:
                expires = date.fromisoformat(row["expires_on"])
            except ValueError:
                errors[f"items.{i}.expires_on"] = _("escriba la fecha como aaaa-mm-dd")
        if quantity is None or f"items.{i}.expires_on" in errors:
            continue
        items.append(InvolvedItem(
            invoice=row["invoice"], product=row["product"], quantity=quantity, description=row["description"],
            line=int(row["line"]) if row["line"].isdigit() else None, unit=row["unit"] or None,
            lot=row["lot"] or None, expires_on=expires, shipping_guide=row["shipping_guide"] or None))
    return items, errors


def _quantity(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def line_row(invoice: Invoice, line: InvoiceLine) -> Row:
    """A row filled from the ERP's line: the quantity affected starts at the quantity invoiced."""
    return {"invoice": invoice.number, "product": line.product, "description": line.description,
            "quantity": f"{line.quantity.normalize():f}", "unit": line.unit or "", "lot": line.lot or "",
            "expires_on": line.expires_on.isoformat() if line.expires_on else "",
            "shipping_guide": line.shipping_guide or "", "line": "" if line.line is None else str(line.line)}


def rows_to_add(action: str) -> tuple[list[Row], str | None]:
    """The rows an «Adicionar» button asks for: ``adicionar:<invoice>:<position>`` one line,
    ``adicionar:<invoice>:*`` every line; with a message when the invoice cannot be read now."""
    invoice_number, _sep, which = action.removeprefix("adicionar:").rpartition(":")
    found, unavailable = pqrs().invoices.find(invoice_number)
    if found is None:
        if unavailable:
            return [], _("El ERP no respondió; escriba los ítems a mano (quedarán como no verificados).")
        return [], _("El ERP no tiene la factura %(n)s.", n=invoice_number)
    lines = found.invoice.lines
    if which != "*":
        if not which.isdigit() or int(which) >= len(lines):
            return [], _("Esa línea ya no está en la factura %(n)s.", n=invoice_number)
        lines = (lines[int(which)],)
    return [line_row(found.invoice, line) for line in lines], None


def merge(rows: list[Row], new: list[Row]) -> list[Row]:
    """``rows`` and the ``new`` ones not already there (the same invoice, product and line)."""
    def key(row: Row) -> tuple[str, str, str]:
        return item_key(row["invoice"]), item_key(row["product"]), row["line"]
    have = {key(row) for row in rows}
    return [*rows, *(row for row in new if key(row) not in have)][:MAX_ITEMS]


def invoice_page(customer_id: str, text: str, offset: int) -> InvoicePage | None:
    """A page of the customer's invoices (``None`` without an invoice source or a customer)."""
    app = pqrs()
    if not app.invoices.configured or not customer_id:
        return None
    return app.customer_invoices(customer_id, text, offset=max(0, offset), limit=INVOICES_PER_PAGE)


# The form's buttons: «Ver facturas» (``facturas`` or ``facturas:<offset>`` for another page),
# «Adicionar» / «Adicionar todo» (``adicionar:<invoice>:<position or *>``), «Quitar» (``quitar-item:<i>``).
ITEM_ACTIONS = ("facturas", "adicionar:", "quitar-item:")


def offset_of(action: str) -> int:
    """The listing's first invoice a ``facturas:<offset>`` button asks for (0 otherwise)."""
    value = action.removeprefix("facturas:") if action.startswith("facturas:") else ""
    return int(value) if value.isdigit() and len(value) < 7 else 0
