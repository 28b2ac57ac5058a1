"""Invoices read from the ERP's database with SQLAlchemy (any URL it supports: PostgreSQL, MySQL,
SQL Server, Oracle, SQLite...), through the tables and columns of an ``InvoiceMapping``. Only SELECTs
are issued; give pqrs a read-only account."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, TableClause, column, create_engine, select, table

from pqrs_core.ports_integration import Invoice, InvoiceLine

from .mapping import InvoiceMapping, invoice_from_row, line_from_row

# The newest invoices of a customer listed (older ones are found by number).
MAX_INVOICES = 200


class SqlInvoiceSource:
    def __init__(self, url_or_engine: str | Engine, mapping: InvoiceMapping | None = None, *,
                 name: str = "erp_sql") -> None:
        self.name = name
        self.mapping = m = mapping or InvoiceMapping()
        self.engine = (create_engine(url_or_engine, pool_pre_ping=True)
                       if isinstance(url_or_engine, str) else url_or_engine)
        self._invoices: TableClause = table(m.invoices_table, *(column(c) for c in _present(
            m.invoice_number, m.customer_id, m.issued_on, m.order_number)))
        self._lines: TableClause = table(m.lines_table, *(column(c) for c in _present(
            m.line_invoice, m.line_number, m.product, m.description, m.quantity, m.unit, m.lot, m.expires_on,
            m.shipping_guide)))

    def invoices_for(self, customer_id: str) -> Sequence[Invoice]:
        inv = self._invoices.c
        query = (select(self._invoices).where(inv[self.mapping.customer_id] == customer_id)
                 .order_by(inv[self.mapping.issued_on].desc(), inv[self.mapping.invoice_number].desc())
                 .limit(MAX_INVOICES))
        return self._read(query)

    def invoice(self, number: str) -> Invoice | None:
        query = select(self._invoices).where(self._invoices.c[self.mapping.invoice_number] == number.strip())
        found = self._read(query)
        return found[0] if found else None

    def _read(self, query: Any) -> list[Invoice]:
        m = self.mapping
        with self.engine.connect() as conn:
            heads = [dict(row) for row in conn.execute(query).mappings()]
            numbers = [row[m.invoice_number] for row in heads]
            lines: dict[str, list[InvoiceLine]] = defaultdict(list)
            if numbers:
                line_rows = conn.execute(select(self._lines).where(
                    self._lines.c[m.line_invoice].in_(numbers))).mappings()
                for row in line_rows:
                    lines[str(row[m.line_invoice]).strip()].append(line_from_row(m, dict(row)))
        return [invoice_from_row(m, row, lines[str(row[m.invoice_number]).strip()]) for row in heads]

    def close(self) -> None:
        self.engine.dispose()


def _present(*names: str | None) -> list[str]:
    return [name for name in names if name is not None]
