"""The requester's invoices from every invoice source (``pqrs_invoice_sources``), and the items of a
command checked against them.

A source that fails or does not answer in time never stops a filing: its invoices are missing from the
listing (``InvoicePage.unavailable`` names it) and the items it should have confirmed are kept as
entered, without an ERP snapshot («no verificada»). With every source answering, an invoice none of them
knows is refused (``items.<i>.invoice``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

import attrs

from ..domain import commands as c
from ..domain.errors import Problems
from ..domain.items import ErpLine, InvolvedItem, item_key
from ..domain.text import fold, words
from ..ports_integration import Invoice, InvoiceLine, InvoiceSource

log = logging.getLogger(__name__)

MAX_PAGE = 100


@attrs.frozen
class FoundInvoice:
    source: str
    invoice: Invoice


@attrs.frozen
class InvoicePage:
    """One page of a customer's invoices, newest first; ``total`` counts every match."""

    invoices: tuple[FoundInvoice, ...]
    total: int
    offset: int
    limit: int
    unavailable: tuple[str, ...] = ()


def invoice_words(invoice: Invoice) -> set[str]:
    """What a search of the invoices looks at: number, order, date (2026-11-30 and 30/11/2026) and the
    lines' products, descriptions and lots."""
    issued = invoice.issued_on
    parts = [invoice.number, invoice.order_number or "", issued.isoformat(), issued.strftime("%d/%m/%Y")]
    for line in invoice.lines:
        parts += [line.product, line.description, line.lot or ""]
    return set(words(" ".join(parts)))


def invoice_matches(invoice: Invoice, text: str) -> bool:
    """Whether every word of ``text`` begins a word of the invoice (see ``invoice_words``)."""
    wanted = words(text)
    have = invoice_words(invoice)
    return all(any(h.startswith(w) for h in have) for w in wanted)


def matching_line(invoice: Invoice, product: str, lot: str | None, line: int | None) -> InvoiceLine | None:
    """The invoice's line for ``product``: the one numbered ``line``, else the one of lot ``lot``,
    else the first."""
    lines = [entry for entry in invoice.lines if item_key(entry.product) == item_key(product)]
    if line is not None:
        lines = [entry for entry in lines if entry.line == line] or lines
    if lot:
        return next((entry for entry in lines if entry.lot and item_key(entry.lot) == item_key(lot)),
                    lines[0] if lines else None)
    return lines[0] if lines else None


def erp_line(found: FoundInvoice, line: InvoiceLine, now: datetime) -> ErpLine:
    invoice = found.invoice
    return ErpLine(source=found.source, checked_at=now, customer_id=invoice.customer_id,
                   invoice_date=invoice.issued_on, order_number=invoice.order_number, line=line.line,
                   product=line.product, description=line.description, quantity=line.quantity,
                   unit=line.unit, lot=line.lot, expires_on=line.expires_on,
                   shipping_guide=line.shipping_guide)


def with_erp(item: InvolvedItem, snapshot: ErpLine) -> InvolvedItem:
    """``item`` with its ERP snapshot, and what the person left blank filled from it."""
    return attrs.evolve(
        item, erp=snapshot, invoice=item.invoice.strip(), product=snapshot.product, line=snapshot.line,
        description=item.description or snapshot.description, unit=item.unit or snapshot.unit,
        lot=item.lot or snapshot.lot, expires_on=item.expires_on or snapshot.expires_on,
        shipping_guide=item.shipping_guide or snapshot.shipping_guide)


class InvoiceBook:
    """Every invoice source, asked in the order they were registered."""

    def __init__(self, sources: Sequence[InvoiceSource]) -> None:
        self.sources = tuple(sources)

    @property
    def configured(self) -> bool:
        return bool(self.sources)

    def search(self, customer_id: str, text: str = "", *, offset: int = 0, limit: int = 10) -> InvoicePage:
        """The invoices of ``customer_id`` whose number, date or products match ``text``."""
        limit = max(1, min(limit, MAX_PAGE))
        offset = max(0, offset)
        found: list[FoundInvoice] = []
        unavailable: list[str] = []
        for source in self.sources:
            try:
                invoices = source.invoices_for(customer_id)
            except Exception as exc:  # a failing ERP degrades the listing, never the page
                log.warning("invoice source %s failed listing the invoices of %s: %s", source.name,
                            customer_id, exc)
                unavailable.append(source.name)
                continue
            found += [FoundInvoice(source.name, inv) for inv in invoices
                      if not text.strip() or invoice_matches(inv, text)]
        found.sort(key=lambda f: (f.invoice.issued_on, fold(f.invoice.number)), reverse=True)
        return InvoicePage(tuple(found[offset:offset + limit]), len(found), offset, limit, tuple(unavailable))

    def find(self, number: str) -> tuple[FoundInvoice | None, tuple[str, ...]]:
        """The invoice numbered ``number`` from the first source that has it, and the sources that did
        not answer before it was found."""
        unavailable: list[str] = []
        for source in self.sources:
            try:
                invoice = source.invoice(number.strip())
            except Exception as exc:
                log.warning("invoice source %s failed looking up invoice %s: %s", source.name, number, exc)
                unavailable.append(source.name)
                continue
            if invoice is not None:
                return FoundInvoice(source.name, invoice), tuple(unavailable)
        return None, tuple(unavailable)

    def check_items(self, items: Iterable[InvolvedItem], *, now: datetime, new_id: Callable[[], str],
                    field: str = "items", customer_id: str | None = None) -> tuple[InvolvedItem, ...]:
        """``items`` with an id each and, where a source knows their invoice and line, its snapshot.
        Refused (``ValidationError`` naming ``<field>.<i>.invoice``...): an invoice no source knows
        while all answered, a product that is not on its invoice. An invoice of another customer than
        ``customer_id`` is refused as unknown: whoever files learns nothing of other customers' invoices."""
        problems = Problems()
        checked: list[InvolvedItem] = []
        invoices: dict[str, tuple[FoundInvoice | None, tuple[str, ...]]] = {}
        for i, item in enumerate(items):
            item = attrs.evolve(item, id=item.id or new_id(), erp=None)
            if not self.sources or not item.invoice.strip():
                checked.append(item)
                continue
            key = item.invoice.strip().upper()
            if key not in invoices:
                invoices[key] = self.find(item.invoice)
            found, unavailable = invoices[key]
            if found is not None and customer_id and found.invoice.customer_id != customer_id:
                found = None
            if found is None:
                if not unavailable:
                    problems.add(f"{field}.{i}.invoice",
                                 f"la factura «{item.invoice.strip()}» no existe en el ERP")
                else:
                    log.warning("invoice %s kept unverified: %s did not answer", item.invoice,
                                ", ".join(unavailable))
                checked.append(item)
                continue
            line = matching_line(found.invoice, item.product, item.lot, item.line)
            if line is None:
                problems.add(f"{field}.{i}.product",
                             f"el producto «{item.product}» no figura en la factura {found.invoice.number}")
                checked.append(item)
                continue
            checked.append(with_erp(item, erp_line(found, line, now)))
        problems.raise_if_any()
        return tuple(checked)


def checked_command(command: object, book: InvoiceBook, now: datetime, new_id: Callable[[], str]) -> object:
    """``command`` with its items checked against the invoice sources (other commands as they are).
    Called before the command's transaction opens, so that a slow ERP holds no database lock."""
    if isinstance(command, c.FileCase) and command.items:
        return attrs.evolve(command, items=book.check_items(command.items, now=now, new_id=new_id,
                                                            customer_id=command.requester.customer_id))
    if isinstance(command, c.ChangeCaseItems) and command.add:
        return attrs.evolve(command, add=book.check_items(command.add, now=now, new_id=new_id, field="add"))
    return command
