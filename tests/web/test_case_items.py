"""Items involved in a case on the web pages: the new-case form lists the customer's invoices from the
ERP, adds an invoice's lines («Adicionar», «Adicionar todo») whose lot and quantity the agent corrects,
and files the case with them; the case page shows them with what the ERP said, adds and removes items;
the inbox finds every case of a lot."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import attrs

from pqrs_core.domain.items import InvolvedItem
from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.ports_integration import Invoice, InvoiceLine
from pqrs_core.testing import ListInvoiceSource

from .conftest import Site
from .test_filing import NEW, number_in, open_form

INVOICES = [
    Invoice("FE-7001", "CLI-7", date(2026, 2, 2), order_number="PED-1", lines=(
        InvoiceLine("CREMA-250", Decimal("12"), "Crema hidratante 250 ml", line=1, unit="UND", lot="L-1",
                    expires_on=date(2027, 2, 1), shipping_guide="GU-9"),
        InvoiceLine("SHAMPOO-400", Decimal("6"), "Shampoo 400 ml", line=2, lot="L-2"))),
    Invoice("FE-7002", "CLI-7", date(2026, 2, 9), lines=(InvoiceLine("JABON-1", Decimal("3"), "Jabón"),)),
]
CUSTOMER = Requester(kind=RequesterKind.CUSTOMER, customer_id="CLI-7", full_name="Droguería Central")


def with_erp(site: Site, source: ListInvoiceSource | None = None) -> None:
    site.pqrs.deps = attrs.evolve(site.pqrs.deps, invoice_sources=(source or ListInvoiceSource(INVOICES),))


def test_an_agent_adds_an_invoice_from_the_erp_and_files_the_case_with_two_items(site: Site) -> None:
    with_erp(site)
    ana = site.as_user("ana")
    form = {**open_form(ana), "requester.kind": "customer", "requester.customer_id": "CLI-7",
            "requester.full_name": "Droguería Central", "kind": "reclamo", "subject": "Producto vencido",
            "description": "Dos productos llegaron vencidos."}
    listed = html.unescape(ana.post(NEW, {**form, "accion": "facturas"}).get_data(as_text=True))
    assert "Factura FE-7002 del 09/02/2026" in listed and "Factura FE-7001 del 02/02/2026" in listed
    assert 'value="adicionar:FE-7001:*"' in listed and "Crema hidratante 250 ml" in listed

    searched = html.unescape(ana.post(NEW, {**form, "accion": "facturas", "facturas_q": "jabón"})
                             .get_data(as_text=True))
    assert "FE-7002" in searched and "Factura FE-7001" not in searched

    added = html.unescape(ana.post(NEW, {**form, "accion": "adicionar:FE-7001:*"}).get_data(as_text=True))
    assert 'name="items.0.lot" type="text" value="L-1"' in added
    assert 'name="items.1.product" type="text" value="SHAMPOO-400"' in added
    assert 'name="items.0.expires_on" type="date" value="2027-02-01"' in added

    rows = {"items.0.invoice": "FE-7001", "items.0.product": "CREMA-250", "items.0.quantity": "2",
            "items.0.lot": "L-1", "items.0.expires_on": "2027-02-01", "items.0.line": "1",
            "items.1.invoice": "FE-7001", "items.1.product": "SHAMPOO-400", "items.1.quantity": "1,5",
            "items.1.lot": "L-2-B", "items.1.line": "2"}
    too_many = ana.post(NEW, {**form, **rows, "items.0.quantity": "13"})
    assert too_many.status_code == 422
    page = html.unescape(too_many.get_data(as_text=True))
    assert "Ítem 1 · Cantidad afectada: no puede superar la cantidad facturada (12)." in page
    assert 'name="items.1.lot" type="text" value="L-2-B"' in page  # what was typed is kept

    response = ana.post(NEW, {**form, **rows})
    assert response.status_code == 303, html.unescape(response.get_data(as_text=True))[:3000]
    case = site.pqrs.case(number_in(response.headers["Location"]))
    assert [(i.product, i.quantity, i.lot, i.verified) for i in case.items] == [
        ("CREMA-250", Decimal("2"), "L-1", True), ("SHAMPOO-400", Decimal("1.5"), "L-2-B", True)]
    assert case.items[1].erp is not None and case.items[1].erp.lot == "L-2"


def test_an_unknown_invoice_is_refused_beside_its_input(site: Site) -> None:
    with_erp(site)
    ana = site.as_user("ana")
    response = ana.post(NEW, {**open_form(ana), "kind": "reclamo", "subject": "s", "description": "d",
                              "items.0.invoice": "FV-NO-EXISTE", "items.0.product": "X",
                              "items.0.quantity": "1"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert ('id="error-items.0.invoice" class="field-error">La factura «FV-NO-EXISTE» no existe en el ERP.'
            in page)


def test_when_the_erp_is_down_the_form_files_the_items_typed_as_not_verified(site: Site) -> None:
    with_erp(site, ListInvoiceSource(INVOICES, failing=True))
    ana = site.as_user("ana")
    form = {**open_form(ana), "requester.kind": "customer", "requester.customer_id": "CLI-7",
            "kind": "reclamo", "subject": "Sin ERP", "description": "d"}
    listed = html.unescape(ana.post(NEW, {**form, "accion": "facturas"}).get_data(as_text=True))
    assert "No respondió: erp_de_prueba." in listed
    response = ana.post(NEW, {**form, "items.0.invoice": "FE-9", "items.0.product": "X",
                              "items.0.quantity": "1", "items.0.lot": "L-77"})
    assert response.status_code == 303
    number = number_in(response.headers["Location"])
    assert not site.pqrs.case(number).items[0].verified
    assert "No verificada" in ana.page(f"/casos/{number}")


def test_the_case_page_shows_adds_and_removes_items_and_the_inbox_finds_a_lot(site: Site) -> None:
    with_erp(site)
    case = site.file("ana", kind="reclamo", requester=CUSTOMER, items=(
        InvolvedItem(invoice="FE-7001", product="CREMA-250", quantity=Decimal("2")),))
    number = str(case.filing_number)
    ana = site.as_user("ana")
    page = html.unescape(ana.page(f"/casos/{number}"))
    assert "Ítems y facturas involucradas" in page and "de 12 facturadas" in page and "Verificada" in page
    assert ("Agregó el ítem CREMA-250 × 2 de la factura FE-7001 (lote L-1, verificado en erp_de_prueba)."
            in page)

    invoices = html.unescape(ana.page(f"/casos/{number}/facturas?q=jabon"))
    assert "Factura FE-7002" in invoices and "Factura FE-7001" not in invoices
    added = ana.post(f"/casos/{number}/items", {"accion": "adicionar:FE-7002:0", "version": case.version})
    assert added.status_code == 302
    items = site.pqrs.case(number).items
    assert [(i.invoice, i.quantity) for i in items] == [("FE-7001", Decimal("2")), ("FE-7002", Decimal("3"))]

    typed = ana.post(f"/casos/{number}/items", {
        "items.0.invoice": "FE-7001", "items.0.product": "SHAMPOO-400", "items.0.quantity": "9",
        "version": site.pqrs.case(number).version})
    assert typed.status_code == 422
    refused = html.unescape(typed.get_data(as_text=True))
    assert "no puede superar la cantidad facturada (6)" in refused
    assert 'name="items.0.product" type="text" value="SHAMPOO-400"' in refused  # kept as typed

    removed = ana.post(f"/casos/{number}/items", {"quitar": items[0].id,
                                                  "version": site.pqrs.case(number).version})
    assert removed.status_code == 302
    assert [i.invoice for i in site.pqrs.case(number).items] == ["FE-7002"]

    other = site.file("ana", kind="reclamo", requester=CUSTOMER, items=(
        InvolvedItem(invoice="FE-7001", product="SHAMPOO-400", quantity=Decimal("1")),))
    inbox = html.unescape(ana.page("/bandeja?lote=L-2"))
    assert str(other.filing_number) in inbox and number not in inbox
    by_product = html.unescape(ana.page("/bandeja?producto=jabon-1"))
    assert number in by_product and str(other.filing_number) not in by_product


def test_the_complete_export_lists_the_items_with_their_lots(site: Site) -> None:
    with_erp(site)
    case = site.file("ana", kind="reclamo", requester=CUSTOMER, items=(
        InvolvedItem(invoice="FE-7001", product="CREMA-250", quantity=Decimal("2")),))
    response = site.as_user("sofia").get("/bandeja/exportar?formato=csv&columnas=completas&lote=L-1")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    assert str(case.filing_number) in text
    assert ("FE-7001 · CREMA-250 × 2 UND · lote L-1 · vence 2027-02-01 · guía GU-9 · verificada "
            "(erp_de_prueba)") in text


def test_the_invoices_are_paged_in_the_form_and_on_the_case_page(site: Site) -> None:
    many = [Invoice(f"FE-{100 + n}", "CLI-7", date(2026, 1, 1 + n), lines=(InvoiceLine("P", Decimal("1")),))
            for n in range(7)]
    with_erp(site, ListInvoiceSource(many))
    ana = site.as_user("ana")
    form = {**open_form(ana), "requester.kind": "customer", "requester.customer_id": "CLI-7"}
    first = html.unescape(ana.post(NEW, {**form, "accion": "facturas"}).get_data(as_text=True))
    assert "Facturas 1 a 5 de 7" in first and "FE-106" in first and "FE-101" not in first
    assert 'value="facturas:5"' in first
    second = html.unescape(ana.post(NEW, {**form, "accion": "facturas:5"}).get_data(as_text=True))
    assert "Facturas 6 a 7 de 7" in second and "FE-101" in second and "FE-106" not in second
    no_customer = html.unescape(ana.post(NEW, {**open_form(ana), "accion": "facturas"})
                                .get_data(as_text=True))
    assert "Escriba el código de cliente (ERP) del peticionario para ver sus facturas." in no_customer

    number = str(site.file("ana", requester=CUSTOMER).filing_number)
    page = html.unescape(ana.page(f"/casos/{number}/facturas?desde=5"))
    assert "Facturas 6 a 7 de 7" in page and "FE-100" in page and "FE-105" not in page
    assert "El caso no tiene ítems de factura." in html.unescape(ana.page(f"/casos/{number}"))
