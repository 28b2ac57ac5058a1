"""The customer directories in the API: a ``customer_id`` checked against them when filing or editing a
case, and ``GET /customers/{document}``, the 360° view (on SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from directories import Directory, Invoices, install
from pqrs_adapters.sqlalchemy.satisfaction import record_answer
from pqrs_core.ports_integration import Customer, Invoice, InvoiceLine
from pqrs_core.services.messagebus import Pqrs

from .conftest import Api, assert_problem

TORNILLO = Customer("C-100", "Ferretería El Tornillo S.A.S.", document_type="NIT",
                    document_number="900123456-7", email="compras@tornillo.example", phone="6044440000",
                    branches=("Medellín", "Envigado"),
                    commercial=(("Rango", "Oro"), ("Estado comercial", "Activo"),
                                ("Cupo de crédito", "$ 5.000.000")))
CUSTOMER = {"kind": "customer", "customer_id": "C-100", "full_name": "Ferretería El Tornillo S.A.S.",
            "document_type": "NIT", "document_number": "900123456-7"}
NOTICE = {"given_at": "2026-03-04T09:15:00-05:00", "notice_version": "2026-03", "notice_digest": "b" * 64}


def pqrs_of(api: Api) -> Pqrs:
    app: Pqrs = api.app.extensions["pqrs"]
    return app


def test_a_customer_id_no_directory_knows_is_refused_on_its_field(api: Api) -> None:
    install(pqrs_of(api), Directory([TORNILLO]))

    response = api.post("cases", json={"kind": "peticion", "subject": "Pedido", "description": "Texto",
                                       "requester": {**CUSTOMER, "customer_id": "C-999"}})

    body = assert_problem(response, 422, "validation-error")
    assert set(body["errors"]) == {"requester.customer_id"}
    assert "C-999" in body["errors"]["requester.customer_id"]
    assert pqrs_of(api).count() == 0
    assert api.file(requester=CUSTOMER)["requester"]["customer_id"] == "C-100"


def test_editing_a_case_to_an_unknown_customer_is_refused_too(api: Api) -> None:
    install(pqrs_of(api), Directory([TORNILLO]))
    case = api.file(requester=CUSTOMER)

    response = api.patch(f"cases/{case['filing_number']}", json={
        "requester": {**CUSTOMER, "customer_id": "C-404"}, "version": case["version"]})

    assert assert_problem(response, 422, "validation-error")["errors"].keys() == {"requester.customer_id"}
    assert api.get(f"cases/{case['filing_number']}").get_json()["requester"]["customer_id"] == "C-100"


def test_without_directories_any_customer_id_is_accepted(api: Api) -> None:
    case = api.file(requester={**CUSTOMER, "customer_id": "LO-QUE-SEA"})
    assert case["requester"]["customer_id"] == "LO-QUE-SEA"


def test_a_directory_that_is_down_does_not_stop_the_filing_and_the_log_says_so(
        api: Api, caplog: pytest.LogCaptureFixture) -> None:
    install(pqrs_of(api), Directory([TORNILLO], down=True))

    with caplog.at_level(logging.WARNING, logger="pqrs_adapters.flask.api.customers"):
        case = api.file(requester={**CUSTOMER, "customer_id": "C-777"})

    assert case["requester"]["customer_id"] == "C-777"
    assert any("C-777" in r.getMessage() and "unverified" in r.getMessage() and "crm" in r.getMessage()
               for r in caplog.records)


def test_the_360_view_has_contact_commercial_data_cases_invoices_surveys_and_consents(api: Api) -> None:
    pqrs = pqrs_of(api)
    invoice = Invoice("FE-100234", "C-100", date(2026, 2, 11), "PED-77",
                      (InvoiceLine("Tornillo 1/4", Decimal(100)), InvoiceLine("Chazo", Decimal(100))))
    install(pqrs, Directory([TORNILLO]), invoices=[Invoices([invoice]), Invoices([], down=True)])
    first = api.file(requester=CUSTOMER, subject="Pedido incompleto", consent=NOTICE)
    second = api.file(requester={**CUSTOMER, "full_name": "Compras Tornillo"}, subject="Cobro doble")
    assert record_answer(api.engine, pqrs.case(first["filing_number"]).id, 4, 9, "Buena atención",
                         pqrs.deps.clock.now())
    api.file(requester={"full_name": "Otra persona", "document_type": "CC", "document_number": "52123456"})

    response = api.get("customers/900123456-7")

    assert response.status_code == 200, response.get_json()
    data: dict[str, Any] = response.get_json()
    assert data["customer_id"] == "C-100" and data["directory"] == "crm"
    assert data["contact"]["full_name"] == "Ferretería El Tornillo S.A.S."
    assert data["contact"]["email"] == "compras@tornillo.example"
    assert data["branches"] == ["Medellín", "Envigado"]
    assert data["commercial"] == [{"label": "Rango", "value": "Oro"},
                                  {"label": "Estado comercial", "value": "Activo"},
                                  {"label": "Cupo de crédito", "value": "$ 5.000.000"}]
    assert [c["filing_number"] for c in data["cases"]] == [second["filing_number"], first["filing_number"]]
    assert data["total_cases"] == 2 and data["cases"][0]["state"] == second["state"]
    assert data["invoices"] == [{"number": "FE-100234", "issued_on": "2026-02-11", "order_number": "PED-77",
                                 "lines": 2}]
    assert [(s["filing_number"], s["score"], s["nps"], s["comment"]) for s in data["surveys"]] == [
        (first["filing_number"], 4, 9, "Buena atención")]
    assert data["consents"] == [{"filing_number": first["filing_number"], **first["consent"]}]
    assert data["unavailable"] == ["erp"]  # the invoice source that failed

    # Invoices are for those who may edit cases (as ``/invoices``), not for every staff role.
    quality = api.get("customers/900123456-7", "carlos")
    assert quality.status_code == 200, quality.get_json()
    assert quality.get_json()["contact"]["full_name"] == "Ferretería El Tornillo S.A.S."
    assert quality.get_json()["invoices"] == [] and quality.get_json()["unavailable"] == []
    assert_problem(api.get("invoices?customer_id=C-100", "carlos"), 403, "forbidden")


def test_without_a_directory_the_newest_case_tells_who_the_person_is(api: Api) -> None:
    api.file(requester={"full_name": "Marta Gómez", "document_type": "CC", "document_number": "43123456"})
    api.file(requester={"full_name": "Marta Gómez R.", "document_type": "CC", "document_number": "43123456",
                        "email": "marta@example.com"})

    data = api.get("customers/43.123.456").get_json()

    assert data["document"] == "43123456" and data["customer_id"] is None and data["directory"] is None
    assert data["contact"]["full_name"] == "Marta Gómez R." and data["commercial"] == []
    assert data["total_cases"] == 2 and data["invoices"] == []


def test_each_caller_sees_only_the_cases_she_may_see(api: Api) -> None:
    felipe = {"full_name": "Felipe Mora", "document_type": "CC", "document_number": "79555123"}
    own = api.file("felipe", requester=felipe, subject="Caso de Felipe")
    api.file("ana", requester=felipe, subject="Caso radicado por la asesora")

    seen_by_diana = api.get("customers/79555123", "diana").get_json()  # felipe is in her network

    assert [c["filing_number"] for c in seen_by_diana["cases"]] == [own["filing_number"]]
    assert seen_by_diana["total_cases"] == 1
    assert_problem(api.get("customers/79555123", "pedro"), 404, "not-found")  # none of them is his


def test_an_unknown_document_is_404_and_the_api_needs_a_token(api: Api) -> None:
    install(pqrs_of(api), Directory([TORNILLO]))

    assert_problem(api.get("customers/11111111"), 404, "not-found")
    assert_problem(api.get("customers/900123456-7", None), 401, "unauthorized")
    assert api.get("customers/900123456-7", "admin").get_json()["cases"] == []  # the directory knows him
    by_code = api.get("customers/C-100").get_json()  # a customer code: the view of its document
    assert by_code["document"] == "900123456-7" and by_code["customer_id"] == "C-100"
    assert_problem(api.get("customers/C-999"), 404, "not-found")
