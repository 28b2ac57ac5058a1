"""Control characters in a filing, through the public form (``/radicar``) and the API, on a real SQLite
file and on real PostgreSQL: refused with the field named, what the person typed kept, nothing filed,
nothing logged, and no line break in a name ever reaches the mail outbox."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from pqrs_adapters.sqlalchemy.tables import outbox
from pqrs_core.ports import CaseQuery
from web.conftest import Visitor
from web.test_public import filing

from .conftest import Api, assert_problem

NAME_WITH_HEADER = "Marta Gómez\r\nBcc: todos@example.com"


def cases_filed(api: Api) -> int:
    return len(api.app.extensions["pqrs"].cases(CaseQuery(limit=10)).cases)


def outbox_rows(api: Api) -> int:
    with api.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(outbox)).scalar_one())


@pytest.mark.parametrize(("field", "value"), [
    ("nombre", "Marta\x00 Gómez"),
    ("numero_documento", "43123456\x00"),
    ("correo", "marta@example.com\x00"),
    ("telefono", "300 555\x00 1234"),
    ("direccion", "Calle 10\x00 # 5-20"),
    ("asunto", "Cobro\x00 doble"),
    ("descripcion", "Me cobraron\x00 dos veces."),
    ("nombre", NAME_WITH_HEADER),
])
def test_the_public_form_refuses_control_characters_naming_the_field_and_keeps_what_was_typed(
        api: Api, field: str, value: str, caplog: pytest.LogCaptureFixture) -> None:
    visitor = Visitor(api.app, None)

    with caplog.at_level(logging.WARNING):
        response = visitor.post("/radicar", filing(api.app, **{field: value}))

    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:2000]
    assert f'id="error-{field}"' in page and f'href="#{field}"' in page
    # What the person typed is still on the form, to be corrected.
    assert value in page
    assert "Calle 10" in page and ("me cobraron dos veces" in page or field == "descripcion")
    assert cases_filed(api) == 0 and outbox_rows(api) == 0
    # Nothing failed: the error log holds nothing the person typed.
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_name_with_a_line_break_never_reaches_the_outbox_from_the_form_or_the_api(api: Api) -> None:
    refused = Visitor(api.app, None).post("/radicar", filing(api.app, nombre=NAME_WITH_HEADER))
    assert refused.status_code == 422
    assert "No admite saltos de línea." in refused.get_data(as_text=True)

    response = api.post("cases", "juan", json={
        "kind": "peticion", "subject": "Certificado", "description": "Necesito un certificado.",
        "requester": {"full_name": NAME_WITH_HEADER, "email": "juan@example.com", "user": "juan"}})

    body = assert_problem(response, 422, "validation-error")
    assert body["errors"] == {"requester.full_name": "no admite saltos de línea"}
    assert cases_filed(api) == 0 and outbox_rows(api) == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"subject": "Pedido\nincompleto"}, "subject"),
    ({"description": "Faltan \x1b[2J dos unidades"}, "description"),
    ({"requester": {"email": "maria@example.com\r\n"}}, "requester.email"),
    ({"requester": {"address": "Calle 10\t# 5-20"}}, "requester.address"),
    ({"received_by": "ana\r\n"}, "received_by"),
])
def test_the_api_refuses_control_characters_naming_the_field(api: Api, body: dict[str, Any],
                                                              field: str) -> None:
    response = api.post("cases", json={"kind": "peticion", "subject": "Certificado",
                                       "description": "Necesito un certificado.", **body})

    problem = assert_problem(response, 422, "validation-error")
    assert field in problem["errors"]
    assert cases_filed(api) == 0


def test_long_texts_keep_their_line_breaks_and_tabs_through_the_api(api: Api) -> None:
    description = "Faltan:\r\n\t- dos unidades\n\t- la factura"

    case = api.file(description=description)

    assert case["description"] == description
