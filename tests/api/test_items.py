"""Items involved in a case over the API: an unknown invoice is a 422 naming ``items.<i>.invoice``, the
ERP's snapshot comes back with the case, cases are listed by lot and product, the customer's invoices
are paged and searched, and a slow ERP leaves the items «no verificados» instead of failing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from pqrs_adapters.wiring import build_pqrs
from pqrs_core.clock import FrozenClock
from pqrs_core.ports_integration import Invoice, InvoiceLine
from pqrs_core.testing import InvoiceSourcePlugin, ListInvoiceSource

from .conftest import Api, assert_problem

CUSTOMER = {"kind": "customer", "customer_id": "CLI-7", "full_name": "Droguería Central"}
INVOICES = [
    Invoice("FE-7001", "CLI-7", date(2026, 2, 2), order_number="PED-1", lines=(
        InvoiceLine("CREMA-250", Decimal("12"), "Crema 250 ml", line=1, unit="UND", lot="L-1",
                    expires_on=date(2027, 2, 1), shipping_guide="GU-9"),
        InvoiceLine("SHAMPOO-400", Decimal("6"), "Shampoo 400 ml", line=2, lot="L-2"))),
    Invoice("FE-7002", "CLI-7", date(2026, 2, 9), lines=(InvoiceLine("JABON-1", Decimal("3"), "Jabón"),)),
]


def with_erp(api: Api, source: ListInvoiceSource, **config: object) -> None:
    app = api.app
    settings = attrs.evolve(app.extensions["pqrs.config"], **config)
    app.extensions["pqrs"] = build_pqrs(settings, engine=api.engine, clock=FrozenClock(), sync=False,
                                        plugins=[InvoiceSourcePlugin(source)])


def test_an_unknown_invoice_is_refused_naming_the_item(api: Api) -> None:
    with_erp(api, ListInvoiceSource(INVOICES))
    response = api.post("cases", json={
        "kind": "reclamo", "subject": "Producto vencido", "description": "Llegó vencido",
        "requester": CUSTOMER, "items": [
            {"invoice": "FE-7001", "product": "CREMA-250", "quantity": "2"},
            {"invoice": "FV-NO-EXISTE", "product": "CREMA-250", "quantity": "1"}]})
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"] == {"items.1.invoice": "la factura «FV-NO-EXISTE» no existe en el ERP"}
    too_many = api.post("cases", json={
        "kind": "reclamo", "subject": "Producto vencido", "description": "Llegó vencido",
        "requester": CUSTOMER, "items": [{"invoice": "FE-7001", "product": "SHAMPOO-400", "quantity": "7"}]})
    assert assert_problem(too_many, 422, "validation-error")["errors"] == {
        "items.0.quantity": "no puede superar la cantidad facturada (6)"}
    bad = api.post("cases", json={
        "kind": "reclamo", "subject": "s", "description": "d",
        "items": [{"invoice": "FE-7001", "product": "CREMA-250", "quantity": "muchos"}]})
    assert "items.0.quantity" in assert_problem(bad, 422, "validation-error")["errors"]


def test_items_come_back_with_the_erp_snapshot_and_cases_are_listed_by_lot(api: Api) -> None:
    with_erp(api, ListInvoiceSource(INVOICES))
    case = api.file(kind="reclamo", requester=CUSTOMER, items=[
        {"invoice": "FE-7001", "product": "CREMA-250", "quantity": "2"},
        {"invoice": "FE-7001", "product": "SHAMPOO-400", "quantity": "1.5", "lot": "L-2-B"}])
    crema, shampoo = case["items"]
    assert (crema["lot"], crema["expires_on"], crema["shipping_guide"], crema["verified"]) == (
        "L-1", "2027-02-01", "GU-9", True)
    assert crema["erp"]["quantity"] == "12" and crema["erp"]["source"] == "erp_de_prueba"
    assert shampoo["lot"] == "L-2-B" and shampoo["erp"]["lot"] == "L-2" and shampoo["quantity"] == "1.5"
    other = api.file(kind="reclamo", requester=CUSTOMER,
                     items=[{"invoice": "FE-7002", "product": "JABON-1", "quantity": "1"}])
    number = case["filing_number"]

    def listed(query: str) -> list[str]:
        response = api.get(f"cases?{query}")
        assert response.status_code == 200, response.get_json()
        return [c["filing_number"] for c in response.get_json()["items"]]

    assert listed("lot=l-1") == [number]
    assert listed("product=jabon-1") == [other["filing_number"]]
    assert listed("product=CREMA-250&lot=L-2-B") == []
    removed = api.post(f"cases/{number}/items", json={"remove": [crema["id"]]})
    assert removed.status_code == 200
    assert [i["product"] for i in removed.get_json()["items"]] == ["SHAMPOO-400"]
    assert listed("lot=L-1") == []
    refused = api.post(f"cases/{number}/items", json={"add": [
        {"invoice": "FE-NADA", "product": "X", "quantity": "1"}]})
    assert assert_problem(refused, 422, "validation-error")["errors"] == {
        "add.0.invoice": "la factura «FE-NADA» no existe en el ERP"}


def test_the_customer_invoices_are_paged_and_searched(api: Api) -> None:
    with_erp(api, ListInvoiceSource(INVOICES))
    page = api.get("invoices?customer_id=CLI-7&limit=1").get_json()
    assert [i["number"] for i in page["items"]] == ["FE-7002"] and page["total"] == 2
    found = api.get("invoices?customer_id=CLI-7&q=shampoo").get_json()
    assert [i["number"] for i in found["items"]] == ["FE-7001"]
    assert found["items"][0]["lines"][0] == {
        "product": "CREMA-250", "quantity": "12", "description": "Crema 250 ml", "line": 1, "unit": "UND",
        "lot": "L-1", "expires_on": "2027-02-01", "shipping_guide": "GU-9"}
    assert "customer_id" in assert_problem(api.get("invoices"), 400, "invalid-query")["errors"]
    assert_problem(api.get("invoices?customer_id=CLI-7", "juan"), 403, "forbidden")


def test_a_slow_erp_leaves_the_items_unverified_and_the_listing_says_so(api: Api) -> None:
    slow = ListInvoiceSource(INVOICES, delay=0.5)
    with_erp(api, slow, invoice_timeout_ms=50)
    case = api.file(kind="reclamo", requester=CUSTOMER,
                    items=[{"invoice": "FV-NO-EXISTE", "product": "CREMA-250", "quantity": "2"}])
    assert [(i["invoice"], i["verified"], i["erp"]) for i in case["items"]] == [("FV-NO-EXISTE", False, None)]
    page = api.get("invoices?customer_id=CLI-7").get_json()
    assert page["unavailable"] == ["erp_de_prueba"] and page["items"] == []
