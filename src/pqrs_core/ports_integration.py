"""Ports for external systems that plugins provide: an ERP's invoices, a CRM's customers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

import attrs


@attrs.frozen
class InvoiceLine:
    product: str
    quantity: Decimal
    description: str = ""


@attrs.frozen
class Invoice:
    """An ERP invoice as seed 000's "Ítems y facturas involucradas" shows it."""

    number: str
    customer_id: str
    issued_on: date
    order_number: str | None = None
    lines: tuple[InvoiceLine, ...] = ()


@attrs.frozen
class Customer:
    customer_id: str
    name: str
    document_type: str | None = None
    document_number: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    branches: tuple[str, ...] = ()


class InvoiceSource(Protocol):
    name: str

    def invoices_for(self, customer_id: str) -> Sequence[Invoice]: ...

    def invoice(self, number: str) -> Invoice | None: ...


class CustomerDirectory(Protocol):
    name: str

    def find(self, text: str, limit: int = 20) -> Sequence[Customer]:
        """Customers whose name, document number or email matches ``text``."""
        ...

    def get(self, customer_id: str) -> Customer | None: ...
