"""Items involved in a case (invoice lines): checked against the invoice sources, kept with what the
ERP said, refused when an invoice does not exist, kept «no verificada» when the ERP does not answer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.items import InvolvedItem
from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.ports import CaseQuery
from pqrs_core.ports_integration import Invoice, InvoiceLine
from pqrs_core.query_filters import matches_query
from pqrs_core.testing import InvoiceSourcePlugin, ListInvoiceSource, in_memory_pqrs

from .support import AGENT, clock_of, file, number

CUSTOMER = Requester(kind=RequesterKind.CUSTOMER, customer_id="C-001", full_name="Ferretería El Tornillo",
                     email="compras@ferreteria.co")
INVOICES = [
    Invoice("FE-1001", "C-001", date(2026, 2, 20), order_number="PED-77", lines=(
        InvoiceLine("TOR-10", Decimal("3"), "Tornillos", line=1, unit="CAJA", lot="L-7",
                    shipping_guide="G-9"),
        InvoiceLine("TUE-5", Decimal("10"), "Tuercas", line=2, lot="L-8",
                    expires_on=date(2027, 1, 31)))),
    Invoice("FE-1002", "C-001", date(2026, 2, 25), lines=(InvoiceLine("ARA-1", Decimal("1"), "Arandelas"),)),
    Invoice("FE-2000", "C-999", date(2026, 2, 25), lines=(InvoiceLine("TOR-10", Decimal("5"), "Tornillos"),)),
]


def item(invoice: str = "FE-1001", product: str = "TOR-10", quantity: str = "2",
         **more: object) -> InvolvedItem:
    return InvolvedItem(invoice=invoice, product=product, quantity=Decimal(quantity),
                        **more)  # type: ignore[arg-type]


def erp_pqrs(source: ListInvoiceSource | None = None):
    return in_memory_pqrs(plugins=[InvoiceSourcePlugin(source or ListInvoiceSource(INVOICES))])


def test_filed_items_keep_what_the_erp_said_then_and_what_was_entered():
    pqrs = erp_pqrs()
    case = file(pqrs, requester=CUSTOMER, items=(item(), item(product="TUE-5", quantity="4", lot="L-8-B")))
    first, second = case.items
    assert first.verified and first.erp is not None
    assert (first.erp.source, first.erp.quantity, first.erp.checked_at) == (
        "erp_de_prueba", Decimal("3"), clock_of(pqrs).now())
    assert (first.lot, first.unit, first.shipping_guide, first.line) == ("L-7", "CAJA", "G-9", 1)
    # What the person corrected stays theirs; the ERP's word is kept beside it.
    assert second.lot == "L-8-B" and second.erp is not None and second.erp.lot == "L-8"
    assert second.expires_on == date(2027, 1, 31)
    assert first.id and second.id and first.id != second.id
    assert [e.name for e in pqrs.history(number(case))][:2] == ["CaseFiled", "ItemsInvolved"]


def test_the_quantity_affected_is_never_more_than_invoiced():
    pqrs = erp_pqrs()
    with pytest.raises(ValidationError) as refused:
        file(pqrs, requester=CUSTOMER, items=(item(quantity="3.5"),))
    assert refused.value.errors == {"items.0.quantity": "no puede superar la cantidad facturada (3)"}
    with pytest.raises(ValidationError) as zero:
        file(pqrs, requester=CUSTOMER, items=(item(quantity="0"),))
    assert set(zero.value.errors) == {"items.0.quantity"}


def test_an_unknown_invoice_or_product_is_refused_when_the_erp_answers():
    pqrs = erp_pqrs()
    with pytest.raises(ValidationError) as refused:
        file(pqrs, requester=CUSTOMER, items=(item(), item(invoice="FV-NO-EXISTE"), item(product="CLAVO")))
    assert refused.value.errors == {
        "items.1.invoice": "la factura «FV-NO-EXISTE» no existe en el ERP",
        "items.2.product": "el producto «CLAVO» no figura en la factura FE-1001"}


def test_an_invoice_of_another_customer_is_refused():
    pqrs = erp_pqrs()
    with pytest.raises(ValidationError) as refused:
        file(pqrs, requester=CUSTOMER, items=(item(invoice="FE-2000"),))
    # Whoever files learns nothing of another customer's invoices: it is unknown to this one.
    assert refused.value.errors == {"items.0.invoice": "la factura «FE-2000» no existe en el ERP"}
    n = number(file(pqrs, requester=CUSTOMER))
    with pytest.raises(ValidationError) as added:  # staff adding to a case: the case's customer decides
        pqrs.handle(c.ChangeCaseItems(filing_number=n, add=(item(invoice="FE-2000"),)), AGENT)
    assert added.value.errors == {"add.0.invoice": "la factura FE-2000 es de otro cliente"}


def test_when_the_erp_fails_the_items_are_kept_unverified_and_the_case_is_filed(caplog):
    pqrs = erp_pqrs(ListInvoiceSource(INVOICES, failing=True))
    case = file(pqrs, requester=CUSTOMER, items=(item(invoice="FV-NO-EXISTE", quantity="7"),))
    assert [(i.invoice, i.quantity, i.verified) for i in case.items] == [
        ("FV-NO-EXISTE", Decimal("7"), False)]
    assert "erp_de_prueba" in caplog.text and "FV-NO-EXISTE" in caplog.text


def test_without_invoice_sources_items_are_taken_as_entered():
    pqrs = in_memory_pqrs()
    case = file(pqrs, items=(item(invoice="FV-LIBRE"),))
    assert not case.items[0].verified and case.items[0].invoice == "FV-LIBRE"


def test_items_are_added_and_removed_and_the_history_replays_to_the_same_items():
    pqrs = erp_pqrs()
    n = number(file(pqrs, requester=CUSTOMER, items=(item(),)))
    clock_of(pqrs).advance(hours=1)
    added = item(invoice="FE-1002", product="ARA-1", quantity="1")
    pqrs.handle(c.ChangeCaseItems(filing_number=n, add=(added,)), AGENT)
    first = pqrs.case(n).items[0].id
    pqrs.handle(c.ChangeCaseItems(filing_number=n, remove=(first,)), AGENT)
    case = pqrs.case(n)
    assert [i.invoice for i in case.items] == ["FE-1002"]
    replayed = Case.replay(pqrs.history(n), pqrs.catalog().workflow(case.workflow))
    assert replayed.items == case.items
    with pytest.raises(ValidationError) as unknown:
        pqrs.handle(c.ChangeCaseItems(filing_number=n, remove=("no-existe",)), AGENT)
    assert set(unknown.value.errors) == {"remove"}


def test_the_customer_invoices_are_searched_by_number_date_and_product():
    pqrs = erp_pqrs()
    page = pqrs.customer_invoices("C-001")
    assert [f.invoice.number for f in page.invoices] == ["FE-1002", "FE-1001"] and page.total == 2
    assert [f.invoice.number for f in pqrs.customer_invoices("C-001", "tuercas").invoices] == ["FE-1001"]
    assert [f.invoice.number for f in pqrs.customer_invoices("C-001", "25/02/2026").invoices] == ["FE-1002"]
    assert [f.invoice.number for f in pqrs.customer_invoices("C-001", "fe-1001").invoices] == ["FE-1001"]
    second = pqrs.customer_invoices("C-001", offset=1, limit=1)
    assert [f.invoice.number for f in second.invoices] == ["FE-1001"] and second.total == 2


def test_a_failing_source_is_named_in_the_listing_and_the_others_still_list():
    down = ListInvoiceSource(INVOICES, name="erp_caido", failing=True)
    pqrs = in_memory_pqrs(plugins=[InvoiceSourcePlugin(down, ListInvoiceSource(INVOICES))])
    page = pqrs.customer_invoices("C-001")
    assert page.unavailable == ("erp_caido",) and page.total == 2


def test_cases_are_found_by_lot_and_product():
    pqrs = erp_pqrs()
    n = number(file(pqrs, requester=CUSTOMER, items=(item(), item(product="TUE-5"))))
    case = pqrs.case(n)
    assert matches_query(case, CaseQuery(lots=("l-7",)))
    assert matches_query(case, CaseQuery(products=("tue-5",)))
    assert matches_query(case, CaseQuery(lots=("L-7",), products=("TOR-10",)))
    assert not matches_query(case, CaseQuery(lots=("L-7",), products=("TUE-5",)))  # not the same item
    assert [str(c.filing_number) for c in pqrs.cases(CaseQuery(lots=("L-8",))).cases] == [n]
    assert not pqrs.cases(CaseQuery(lots=("L-999",))).cases
