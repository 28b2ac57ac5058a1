"""Invoices read from two CSV exports of the ERP (UTF-8, comma- or semicolon-separated, a header row
with the column names of an ``InvoiceMapping``): ``<invoices_table>.csv`` and ``<lines_table>.csv``.
The files are read again when they change, so a nightly export needs no restart."""

from __future__ import annotations

import csv
import threading
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from pqrs_core.ports_integration import Invoice, InvoiceLine

from .mapping import InvoiceMapping, invoice_from_row, line_from_row


class CsvInvoiceSource:
    def __init__(self, directory: Path, mapping: InvoiceMapping | None = None, *,
                 name: str = "erp_csv") -> None:
        self.name = name
        self.mapping = mapping or InvoiceMapping()
        self.invoices_file = directory / f"{self.mapping.invoices_table}.csv"
        self.lines_file = directory / f"{self.mapping.lines_table}.csv"
        self._lock = threading.Lock()
        self._stamp: tuple[float, float] | None = None
        self._by_number: dict[str, Invoice] = {}
        self._by_customer: dict[str, list[Invoice]] = {}

    def invoices_for(self, customer_id: str) -> Sequence[Invoice]:
        return tuple(self._load()[1].get(customer_id.strip(), ()))

    def invoice(self, number: str) -> Invoice | None:
        return self._load()[0].get(number.strip().upper())

    def _load(self) -> tuple[dict[str, Invoice], dict[str, list[Invoice]]]:
        with self._lock:
            stamp = (self.invoices_file.stat().st_mtime, self.lines_file.stat().st_mtime)
            if stamp != self._stamp:
                self._by_number, self._by_customer = self._read()
                self._stamp = stamp
            return self._by_number, self._by_customer

    def _read(self) -> tuple[dict[str, Invoice], dict[str, list[Invoice]]]:
        m = self.mapping
        lines: dict[str, list[InvoiceLine]] = defaultdict(list)
        for row in _rows(self.lines_file):
            lines[row[m.line_invoice].strip().upper()].append(line_from_row(m, row))
        by_number: dict[str, Invoice] = {}
        by_customer: dict[str, list[Invoice]] = defaultdict(list)
        for row in _rows(self.invoices_file):
            key = row[m.invoice_number].strip().upper()
            invoice = invoice_from_row(m, row, lines.get(key, []))
            by_number[key] = invoice
            by_customer[invoice.customer_id].append(invoice)
        for invoices in by_customer.values():
            invoices.sort(key=lambda inv: (inv.issued_on, inv.number), reverse=True)
        return by_number, dict(by_customer)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",;") if sample else csv.excel
        return [{k.strip(): (v or "") for k, v in row.items() if k}
                for row in csv.DictReader(handle, dialect=dialect)]
