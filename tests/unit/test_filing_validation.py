"""Filing (radicación) refuses bad data field by field, and a refused filing leaves no trace:
nothing stored, no event published, no filing number consumed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.events import DomainEvent
from pqrs_core.domain.values import DocumentReference, ReferenceKind, Requester, RequesterKind
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.signals import case_event

from .support import AGENT, COMPLETE_PERSON, MONDAY, file, file_command, number


def person(**changes: Any) -> Requester:
    data = {
        "full_name": COMPLETE_PERSON.full_name, "document_type": COMPLETE_PERSON.document_type,
        "document_number": COMPLETE_PERSON.document_number, "address": COMPLETE_PERSON.address,
        "email": COMPLETE_PERSON.email,
    }
    data.update(changes)
    return Requester(kind=RequesterKind.PERSON, **data)


INVALID_FILINGS: list[tuple[str, dict[str, Any], str]] = [
    ("missing subject", {"subject": ""}, "subject"),
    ("blank subject", {"subject": "   \n\t"}, "subject"),
    ("missing description", {"description": ""}, "description"),
    ("blank description", {"description": "  "}, "description"),
    ("subject over 250 characters", {"subject": "x" * 251}, "subject"),
    ("unknown kind", {"kind": "consulta_juridica"}, "kind"),
    ("empty kind", {"kind": ""}, "kind"),
    ("unknown reason", {"reason": "PRECIO_ALTO"}, "reason"),
    ("unknown channel", {"channel": "fax"}, "channel"),
    ("unknown priority", {"priority": "urgentisima"}, "priority"),
    ("unknown queue", {"queue": "gerencia"}, "queue"),
    ("unknown typification", {"typification": "NO_EXISTE"}, "typification"),
    ("invalid email", {"requester": person(email="carla@")}, "requester.email"),
    ("email without domain dot", {"requester": person(email="carla@example")}, "requester.email"),
    ("email with spaces", {"requester": person(email="carla at example.com")}, "requester.email"),
    ("naive received_at", {"received_at": datetime(2026, 2, 27, 16, 0)}, "received_at"),
    ("received_at after filing", {"received_at": MONDAY + timedelta(hours=1)}, "received_at"),
    ("document number without type", {"requester": person(document_type=None)}, "requester.document_type"),
    ("unknown document type", {"requester": person(document_type="XX")}, "requester.document_type"),
    ("customer without ERP id", {"requester": Requester(kind=RequesterKind.CUSTOMER)},
     "requester.customer_id"),
    ("lead without lead id", {"requester": Requester(kind=RequesterKind.LEAD)}, "requester.lead_id"),
    ("first-contact resolution without solution", {"resolved_at_first_contact": True}, "solution"),
    # No text may hold a control character (a NUL cannot be stored on PostgreSQL), and a one-line field
    # no line break (a name or an address goes into the headers of the mail sent to the requester).
    ("NUL in the subject", {"subject": "Pedido\x00 incompleto"}, "subject"),
    ("NUL in the description", {"description": "Faltan\x00 dos unidades"}, "description"),
    ("escape in the description", {"description": "Faltan \x1b[31mdos"}, "description"),
    ("line break in the subject", {"subject": "Pedido\nincompleto"}, "subject"),
    ("CR LF in the requester's name", {"requester": person(full_name="Carla\r\nBcc: x@example.com")},
     "requester.full_name"),
    ("separator in the requester's name", {"requester": person(full_name="Carla\x1f")},
     "requester.full_name"),
    ("line separator in the address", {"requester": person(address="Calle 10\u2028# 20-30")},
     "requester.address"),
    ("line break after the e-mail", {"requester": person(email="carla@example.com\r\n")}, "requester.email"),
    ("NUL in the document", {"requester": person(document_number="1020304050\x00")},
     "requester.document_number"),
    ("tab in the phone", {"requester": person(phone="300\t1234567")}, "requester.phone"),
    ("NUL in a reference", {"references": (DocumentReference(ReferenceKind.INVOICE, "FV\x001"),)},
     "references.0.number"),
    ("NUL in who received it", {"received_by": "ana\x00"}, "received_by"),
]

# Colombian document formats: (type, number) pairs that must be refused.
INVALID_DOCUMENTS = [
    ("CC", "12"),  # fewer than 3 digits
    ("CC", "12345678901"),  # more than 10 digits
    ("CC", "10203A4050"),  # letters in a cédula
    ("TI", "123456789"),  # tarjeta de identidad: 10 or 11 digits
    ("TI", "123456789012"),
    ("NIT", "12345"),  # fewer than 6 digits
    ("NIT", "900123456-78"),  # check digit is one digit
    ("CE", "E1"),  # too short
    ("CE", "E-12345"),  # only letters and digits
    ("PA", "AB1"),
    ("PEP", "12345"),
    ("PPT", "PPT 123456"),
]

VALID_DOCUMENTS = [
    ("CC", "1020304050"), ("CC", "123"), ("TI", "1002003004"), ("TI", "10020030045"),
    ("NIT", "900123456"), ("NIT", "900123456-7"), ("NIT", "9001234567"), ("CE", "E12345"),
    ("PA", "AB123456"), ("PEP", "PEP123456"), ("PPT", "1234567"),
]


def assert_nothing_written(pqrs: Pqrs) -> None:
    assert pqrs.count() == 0
    # The filing sequence was not consumed: the next valid filing is number 1.
    case = file(pqrs)
    assert number(case) == "PQRS-2026-000001"
    assert case.filing_number.sequence == 1


@pytest.mark.parametrize(("overrides", "field"), [(o, f) for _, o, f in INVALID_FILINGS],
                         ids=[name for name, _, _ in INVALID_FILINGS])
def test_invalid_filing_is_refused_naming_the_field_and_writes_nothing(
        pqrs: Pqrs, overrides: dict[str, Any], field: str) -> None:
    published: list[DomainEvent] = []

    def receiver(sender: object, event: DomainEvent) -> None:
        published.append(event)

    case_event.connect(receiver, sender=pqrs)
    try:
        with pytest.raises(ValidationError) as excinfo:
            pqrs.handle(file_command(**overrides), AGENT)
    finally:
        case_event.disconnect(receiver, sender=pqrs)

    assert field in excinfo.value.errors, excinfo.value.errors
    assert excinfo.value.errors[field]  # a message a person can read
    assert published == []
    assert_nothing_written(pqrs)


@pytest.mark.parametrize(("doc_type", "doc_number"), INVALID_DOCUMENTS)
def test_invalid_document_number_for_its_type_is_refused(pqrs: Pqrs, doc_type: str, doc_number: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        pqrs.handle(file_command(requester=person(document_type=doc_type, document_number=doc_number)), AGENT)
    assert "requester.document_number" in excinfo.value.errors
    assert_nothing_written(pqrs)


@pytest.mark.parametrize(("doc_type", "doc_number"), VALID_DOCUMENTS)
def test_valid_document_number_for_its_type_is_accepted(pqrs: Pqrs, doc_type: str, doc_number: str) -> None:
    case = file(pqrs, requester=person(document_type=doc_type, document_number=doc_number))
    assert case.requester.document_number == doc_number
    assert case.requester.document_type == doc_type


def test_long_texts_keep_their_tabs_and_line_breaks(pqrs: Pqrs) -> None:
    description = "Faltan:\r\n\t- dos unidades\n\t- la factura"
    case = file(pqrs, description=description, subject="Pedido «incompleto» — ¿y la factura?")
    assert case.description == description
    assert pqrs.case(number(case)).description == description


def test_subject_of_exactly_250_characters_is_accepted(pqrs: Pqrs) -> None:
    case = file(pqrs, subject="s" * 250)
    assert len(case.subject) == 250


def test_every_problem_is_reported_at_once(pqrs: Pqrs) -> None:
    with pytest.raises(ValidationError) as excinfo:
        pqrs.handle(file_command(subject="", description="", kind="nope", channel="fax",
                                 requester=person(email="bad"),
                                 received_at=MONDAY + timedelta(days=2)), AGENT)
    assert {"subject", "description", "kind", "channel", "requester.email", "received_at"} <= set(
        excinfo.value.errors)
    assert_nothing_written(pqrs)


def test_received_within_clock_skew_of_filing_is_accepted(pqrs: Pqrs) -> None:
    received = MONDAY + timedelta(minutes=2)
    case = file(pqrs, received_at=received)
    assert case.received_at == received


def test_refused_filings_between_valid_ones_do_not_leave_gaps(pqrs: Pqrs) -> None:
    first = file(pqrs)
    with pytest.raises(ValidationError):
        pqrs.handle(file_command(subject=""), AGENT)
    with pytest.raises(ValidationError):
        pqrs.handle(file_command(kind="nope"), AGENT)
    second = file(pqrs)
    assert [first.filing_number.sequence, second.filing_number.sequence] == [1, 2]
    assert pqrs.count() == 2
