"""Outgoing filing numbers (radicados de salida): which communications get one, from which series,
in which year, and what the letter and the requester's e-mail say."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.errors import PermissionDenied, ValidationError
from pqrs_core.domain.outgoing import DEFAULT_FORMAT, check_format, numbers_in
from pqrs_core.memory import MemoryStore
from pqrs_core.services.outgoing import list_series, put_series

from .support import ADMIN, BACK_OFFICE, clock_of, file, number
from .test_letters import issuing, started

NUMBER = re.compile(r"RS-\d{4}-\d{6}")


def test_every_communication_sent_to_the_requester_gets_its_own_number() -> None:
    pqrs, renderer = issuing("respuesta, completar, prorroga, traslado, desistimiento")
    first = started(pqrs)
    pqrs.handle(c.ExtendTerm(filing_number=first, reason="Consulta a la bodega de Cali."), BACK_OFFICE)
    pqrs.handle(c.TransferCase(filing_number=first, entity="Superintendencia de Industria y Comercio",
                               reason="Protección al consumidor."), BACK_OFFICE)
    second = number(file(pqrs))
    pqrs.handle(c.RequestCompletion(filing_number=second, message="Falta la factura.",
                                    missing=("factura",)), BACK_OFFICE)
    clock_of(pqrs).advance(days=45)
    pqrs.handle(c.DeclareWithdrawal(filing_number=second, reason="No completó a tiempo."), BACK_OFFICE)
    third = started(pqrs)
    pqrs.handle(c.RespondCase(filing_number=third, text="Le enviamos el producto."), BACK_OFFICE)
    fourth = started(pqrs)
    pqrs.handle(c.RequestInformation(filing_number=fourth, message="Envíe la guía.", missing=("guía",)),
                BACK_OFFICE)

    issued = [(o.filing_number, o.kind, o.number)
              for n in (first, second, third, fourth) for o in numbers_in(pqrs.history(n), n)]
    assert [(n, kind) for n, kind, _ in issued] == [
        (first, "extension"), (first, "transfer"), (second, "completion_request"),
        (second, "withdrawal"), (third, "response"), (fourth, "completion_request")]
    year = clock_of(pqrs).now().year
    # One series by default: consecutive, never repeated.
    assert [num for *_, num in issued] == [f"RS-{year}-{seq:06d}" for seq in range(1, 7)]
    # Each letter carries the number of its communication; the filing's acknowledgement has none.
    letters = {(letter.filing_number, letter.kind): letter.outgoing_number for letter in renderer.letters}
    assert letters[(third, "response")] == f"RS-{year}-000005"
    assert letters[(second, "withdrawal")] == f"RS-{year}-000004"
    # The store knows which case each number belongs to.
    with pqrs.uow_factory() as uow:
        found = uow.outgoing.find(f"rs-{year}-000002")
    assert found is not None and found.filing_number == first and found.kind == "transfer"


def test_the_requesters_email_cites_the_outgoing_number() -> None:
    store = MemoryStore()
    pqrs, _renderer = issuing("respuesta", store)
    n = started(pqrs)
    pqrs.handle(c.RespondCase(filing_number=n, text="Le enviamos el producto."), BACK_OFFICE)
    [responded] = [e for e in pqrs.history(n) if isinstance(e, ev.CaseResponded)]
    assert responded.outgoing_number is not None and NUMBER.fullmatch(responded.outgoing_number)
    with store.unit_of_work() as uow:
        [mail] = [m for m in uow.outbox.pending() if m.template == "response"]
    assert mail.context["outgoing_number"] == responded.outgoing_number


def test_the_year_is_the_organisations_a_response_on_new_years_night_utc_is_still_numbered_in_2026() -> None:
    pqrs, _renderer = issuing("respuesta")
    n = started(pqrs)
    clock_of(pqrs).set(datetime(2027, 1, 1, 3, 0, tzinfo=UTC))  # 22:00 on 31 December in Bogotá
    pqrs.handle(c.RespondCase(filing_number=n, text="Respuesta."), BACK_OFFICE)
    clock_of(pqrs).set(datetime(2027, 1, 1, 6, 0, tzinfo=UTC))  # 01:00 on 1 January: a new counter
    other = started(pqrs)
    pqrs.handle(c.RespondCase(filing_number=other, text="Respuesta."), BACK_OFFICE)
    assert [o.number for o in numbers_in(pqrs.history(n), n)] == ["RS-2026-000001"]
    assert [o.number for o in numbers_in(pqrs.history(other), other)] == ["RS-2027-000001"]


def test_each_kind_may_have_its_series_and_the_format_is_checked() -> None:
    pqrs, _renderer = issuing("respuesta")
    now = clock_of(pqrs).now()
    with pqrs.uow_factory() as uow:
        put_series(uow, ADMIN, "transfer", "TR-{year}-{seq:04d}", now)
    with pqrs.uow_factory() as uow:
        series = {s.kind: s.format for s in list_series(uow)}
    assert series["transfer"] == "TR-{year}-{seq:04d}" and series["response"] == DEFAULT_FORMAT
    n = started(pqrs)
    pqrs.handle(c.TransferCase(filing_number=n, entity="SIC", reason="No es de nuestra competencia."),
                BACK_OFFICE)
    assert [o.number for o in numbers_in(pqrs.history(n), n)] == [f"TR-{now.year}-0001"]
    with pqrs.uow_factory() as uow, pytest.raises(PermissionDenied):
        put_series(uow, BACK_OFFICE, "transfer", "X-{seq}", now)


def test_two_formats_that_write_the_same_numbers_never_give_one_twice() -> None:
    pqrs, _renderer = issuing("respuesta")
    now = clock_of(pqrs).now()
    for kind, fmt in (("extension", "X-{seq}"), ("transfer", "X-{seq:01d}")):
        with pqrs.uow_factory() as uow:
            put_series(uow, ADMIN, kind, fmt, now)
    n = started(pqrs)
    pqrs.handle(c.ExtendTerm(filing_number=n, reason="Consulta a la bodega."), BACK_OFFICE)
    pqrs.handle(c.TransferCase(filing_number=n, entity="SIC", reason="Es de su competencia."), BACK_OFFICE)
    assert [o.number for o in numbers_in(pqrs.history(n), n)] == ["X-1", "X-2"]


@pytest.mark.parametrize(("fmt", "message"), [
    ("", "Indique el formato"),
    ("RS-{year}", "debe incluir el consecutivo"),
    ("RS-{seq.__class__}", "solo admite los campos"),
    ("RS-{name}-{seq}", "solo admite los campos"),
    ("RS-{seq!r}", "solo admite los campos"),
    ("RS-{seq", "no están balanceadas"),
    ("RS-{seq:xyz}", "no es válido"),
])
def test_a_format_that_cannot_number_is_refused_naming_the_field(fmt: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as raised:
        check_format(fmt)
    assert raised.value.fields == ["format"]
