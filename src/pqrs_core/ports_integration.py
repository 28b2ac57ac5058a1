"""Ports for external systems that plugins provide: an ERP's invoices, a CRM's customers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

import attrs


@attrs.frozen
class InvoiceLine:
    """A line of an ERP invoice. What the ERP does not know stays ``None``: the person filing fills it."""

    product: str
    quantity: Decimal
    description: str = ""
    line: int | None = None
    unit: str | None = None
    lot: str | None = None
    expires_on: date | None = None
    shipping_guide: str | None = None


@attrs.frozen
class Invoice:
    """An ERP invoice as seed 000's "Ítems y facturas involucradas" shows it."""

    number: str
    customer_id: str
    issued_on: date
    order_number: str | None = None
    lines: tuple[InvoiceLine, ...] = ()


def labelled(data: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> tuple[tuple[str, str], ...]:
    """Labelled values as an ordered tuple of ``(label, text)``: from a mapping (in its order) or pairs;
    ``None`` values are left out, the others shown as text."""
    pairs = data.items() if isinstance(data, Mapping) else (data or ())
    return tuple((str(label), str(value)) for label, value in pairs if value is not None)


@attrs.frozen
class Customer:
    """A customer as a directory knows them. ``commercial`` is what the directory says of the
    relationship, in the order it should be shown, each value with its label as people read it:
    ``(("Rango", "Oro"), ("Estado comercial", "Activo"), ("Cupo de crédito", "$ 5.000.000"))``; a
    mapping is accepted too."""

    customer_id: str
    name: str
    document_type: str | None = None
    document_number: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    branches: tuple[str, ...] = ()
    commercial: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=labelled)


class InvoiceSourceUnavailable(Exception):
    """An invoice source did not answer (down, too slow, refused): what it would have said is unknown."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class InvoiceSource(Protocol):
    """An ERP's invoices. ``invoices_for`` gives a customer's invoices (newest first is kindest);
    ``invoice`` one invoice by number, ``None`` when the ERP has no such invoice. A source that cannot
    answer raises (``InvoiceSourceUnavailable`` or any other exception)."""

    name: str

    def invoices_for(self, customer_id: str) -> Sequence[Invoice]: ...

    def invoice(self, number: str) -> Invoice | None: ...


class CustomerDirectory(Protocol):
    name: str

    def find(self, text: str, limit: int = 20) -> Sequence[Customer]:
        """Customers whose name, document number or email matches ``text``."""
        ...

    def get(self, customer_id: str) -> Customer | None: ...
