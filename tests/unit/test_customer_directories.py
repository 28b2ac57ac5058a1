"""``pqrs_core.services.customers``: the customer directories and invoice sources, asked with a time limit,
their failures reported by name, a customer_id verified, a requester linked to a customer by document."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from directories import Directory, Invoices
from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.ports_integration import Customer, Invoice, InvoiceLine
from pqrs_core.services.customers import Customers, Verdict, clean_document, customers_of, same_document

TORNILLO = Customer("C-100", "Ferretería El Tornillo S.A.S.", document_type="NIT",
                    document_number="900123456-7", email="compras@tornillo.example", branches=("Medellín",),
                    commercial={"Rango": "Oro", "Cupo de crédito": "$ 5.000.000", "Saldo": None})
MARTA = Customer("C-200", "Marta Gómez", document_type="CC", document_number="43123456")


def test_commercial_data_keeps_its_order_and_labels_and_drops_what_is_missing() -> None:
    assert TORNILLO.commercial == (("Rango", "Oro"), ("Cupo de crédito", "$ 5.000.000"))
    assert Customer("C-1", "X", commercial=[("Saldo", Decimal("10.50")), ("Rango", 3)]).commercial == (
        ("Saldo", "10.50"), ("Rango", "3"))
    assert Customer("C-1", "X").commercial == ()  # directories written before it still work


def test_documents_compare_however_they_are_written() -> None:
    assert same_document("43.123.456", "43123456") and same_document("900123456-7", "9001234567")
    assert not same_document("43123456", "43123457") and not same_document("", "")
    assert clean_document(" 43.123.456 ") == "43123456" and clean_document("...") is None


def test_find_merges_every_directory_and_names_the_ones_that_failed() -> None:
    customers = Customers([Directory([TORNILLO], name="crm"), Directory([], name="erp", down=True),
                           Directory([MARTA], name="otro")])

    found = customers.find("Marta")

    assert [(f.directory, f.customer.customer_id) for f in found.customers] == [("otro", "C-200")]
    assert found.unavailable == ("erp",)
    assert customers.find("   ") == customers.find("")  # nothing asked for nothing


def test_a_directory_that_hangs_is_given_up_after_the_time_limit() -> None:
    stalled = Directory([TORNILLO], stall=True)
    try:
        found = Customers([stalled], timeout=0.2).get("C-100")
    finally:
        stalled.release.set()
    assert found.customers == () and found.unavailable == ("crm",)


def test_verify_knows_refuses_or_leaves_unverified() -> None:
    assert Customers().verify("X-1").verdict is Verdict.UNCHECKED  # no directory: anything goes
    customers = Customers([Directory([TORNILLO])])
    known = customers.verify("C-100")
    assert known.verdict is Verdict.KNOWN and known.found.customers[0].customer == TORNILLO
    assert customers.verify("C-999").rejected
    down = Customers([Directory([TORNILLO], down=True)]).verify("C-100")
    assert down.verdict is Verdict.UNVERIFIED and not down.rejected and down.found.unavailable == ("crm",)


def test_get_ignores_a_directory_that_answers_with_another_customer() -> None:
    class Sloppy(Directory):
        def get(self, customer_id: str) -> Customer | None:
            return TORNILLO

    assert Customers([Sloppy([])]).verify("C-200").verdict is Verdict.UNKNOWN


def test_by_document_keeps_only_the_exact_document() -> None:
    customers = Customers([Directory([TORNILLO, MARTA,
                                      Customer("C-300", "Otra", document_number="431234567")])])

    assert [f.customer.customer_id for f in customers.by_document("43.123.456").customers] == ["C-200"]
    assert customers.by_document("").customers == ()


def test_a_person_whose_document_a_directory_knows_is_linked_to_that_customer() -> None:
    customers = Customers([Directory([TORNILLO, MARTA])])
    person = Requester(full_name="Marta G.", document_type="cc", document_number="43123456",
                       email="marta@example.com")

    linked = customers.link(person)

    assert linked.kind is RequesterKind.CUSTOMER and linked.customer_id == "C-200"
    assert linked.full_name == "Marta G." and linked.email == "marta@example.com"  # what she wrote stays
    assert linked.problems() == {}


@pytest.mark.parametrize("requester", [
    Requester(full_name="Marta", document_type="CE", document_number="43123456"),  # another document type
    Requester(kind=RequesterKind.ANONYMOUS, document_number="43123456"),
    Requester(kind=RequesterKind.LEAD, lead_id="L-1", document_type="CC", document_number="43123456"),
    Requester(full_name="Marta", document_type="CC", document_number="11111111"),
    Requester(full_name="Marta"),
])
def test_others_are_left_as_they_are(requester: Requester) -> None:
    assert Customers([Directory([TORNILLO, MARTA])]).link(requester) == requester


def test_linking_is_skipped_when_the_directory_is_down_or_two_customers_share_the_document() -> None:
    person = Requester(full_name="Marta", document_type="CC", document_number="43123456")
    twin = Customer("C-201", "Marta Gómez (sucursal)", document_type="CC", document_number="43123456")

    assert Customers([Directory([MARTA], down=True)]).link(person) == person
    assert Customers([Directory([MARTA, twin])]).link(person) == person


def test_invoices_come_newest_first_and_a_failing_source_is_named() -> None:
    old = Invoice("FE-1", "C-100", date(2026, 1, 5), "P-1", (InvoiceLine("Tornillo", Decimal(100)),))
    new = Invoice("FE-2", "C-100", date(2026, 3, 2))
    customers = Customers(invoice_sources=[Invoices([old, new, Invoice("FE-3", "C-200", date(2026, 4, 1))]),
                                           Invoices([], down=True)])

    found = customers.invoices("C-100")

    assert [i.number for i in found.invoices] == ["FE-2", "FE-1"] and found.unavailable == ("erp",)


def test_customers_of_reads_the_registrations() -> None:
    class Registrations:
        customer_directories = [Directory([MARTA])]
        invoice_sources: list[Invoices] = []

    assert customers_of(Registrations()).configured and not customers_of(None).configured
