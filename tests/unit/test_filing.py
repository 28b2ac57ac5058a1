"""What a valid filing records: the radicado, incomplete petitions (CPACA art. 15), verbal petitions
(Decreto 1166 de 2016), the reception instant, and the priority from the Eisenhower matrix (seed 003)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pqrs_core.clock import FrozenClock
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.events import CaseFiled, TermStarted
from pqrs_core.domain.values import Actor, Requester, RequesterKind
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs, staff

from .support import COMPLETE_PERSON, MONDAY, REQUESTER, file, file_command, number

BOGOTA = timezone(timedelta(hours=-5))


def test_filing_gives_a_radicado_and_starts_in_the_initial_state(pqrs: Pqrs) -> None:
    case = file(pqrs, typification="DERECHO_DE_PETICION", reason="PEDIDO_INCOMPLETO")
    assert number(case) == "PQRS-2026-000001"
    assert case.state == "filed"
    assert case.state_category is StateCategory.TODO
    assert case.filed_by == "ana"
    assert case.filed_at == MONDAY
    assert case.typification is not None
    assert case.typification.path == ("Legales", "Derecho de petición")
    stored = pqrs.case(number(case))
    assert stored == case
    filed, started = pqrs.history(number(case))
    assert isinstance(started, TermStarted) and started.policy == "por_defecto"
    assert isinstance(filed, CaseFiled)
    assert filed.filing_number == "PQRS-2026-000001"
    assert filed.actor == "ana"


def test_radicado_lookup_is_case_and_space_insensitive(pqrs: Pqrs) -> None:
    case = file(pqrs)
    assert pqrs.case("  pqrs-2026-000001 ") == case


def test_filing_numbers_follow_the_local_year_in_bogota() -> None:
    # 31 December 23:30 in Bogotá is already 1 January in UTC: the radicado belongs to 2026.
    pqrs = in_memory_pqrs(at=datetime(2026, 12, 31, 23, 30, tzinfo=BOGOTA))
    assert number(file(pqrs)) == "PQRS-2026-000001"
    clock = pqrs.deps.clock
    assert isinstance(clock, FrozenClock)
    clock.advance(hours=1)
    # A new year restarts the sequence, and the numbers still never repeat.
    assert number(file(pqrs)) == "PQRS-2027-000001"
    assert number(file(pqrs)) == "PQRS-2027-000002"


# --- CPACA art. 15: an incomplete petition is filed, with what is missing noted ------------------


def test_incomplete_person_requester_is_still_filed_with_missing_items_noted(pqrs: Pqrs) -> None:
    case = file(pqrs, requester=Requester(kind=RequesterKind.PERSON, full_name="Pedro Pérez"),
                missing_information=("copia de la factura",))
    assert pqrs.count() == 1
    assert set(case.missing_information) == {
        "copia de la factura", "número de documento", "dirección de residencia", "correo electrónico"}
    assert "nombre completo" not in case.missing_information


def test_complete_person_requester_has_nothing_missing(pqrs: Pqrs) -> None:
    assert file(pqrs, requester=COMPLETE_PERSON).missing_information == ()


def test_missing_items_are_not_repeated(pqrs: Pqrs) -> None:
    case = file(pqrs, requester=Requester(full_name="Pedro"), missing_information=("correo electrónico",))
    assert case.missing_information.count("correo electrónico") == 1


def test_anonymous_and_erp_customers_are_not_asked_for_personal_data(pqrs: Pqrs) -> None:
    anonymous = file(pqrs, requester=Requester(kind=RequesterKind.ANONYMOUS), kind="denuncia")
    customer = file(pqrs, requester=Requester(kind=RequesterKind.CUSTOMER, customer_id="C-001"))
    assert anonymous.missing_information == ()
    assert customer.missing_information == ()


# --- Decreto 1166 de 2016: verbal petitions record who received them ----------------------------


def test_verbal_petition_records_the_staff_member_who_received_it(pqrs: Pqrs) -> None:
    case = file(pqrs, verbal=True, channel="phone")
    assert case.verbal is True
    assert case.received_by == "ana"
    filed, started = pqrs.history(number(case))
    assert isinstance(started, TermStarted) and started.policy == "por_defecto"
    assert isinstance(filed, CaseFiled)
    assert filed.verbal is True and filed.received_by == "ana"


def test_verbal_petition_keeps_an_explicit_receiver(pqrs: Pqrs) -> None:
    case = file(pqrs, verbal=True, channel="in_person", received_by="Marta Ruiz (ventanilla 3)")
    assert case.received_by == "Marta Ruiz (ventanilla 3)"


def test_written_petition_has_no_receiver_by_default(pqrs: Pqrs) -> None:
    case = file(pqrs, channel="email")
    assert case.verbal is False
    assert case.received_by is None


# --- reception instant -------------------------------------------------------------------------


def test_received_before_filing_is_kept(pqrs: Pqrs) -> None:
    # A letter received on Friday afternoon and filed on Monday morning: the legal term runs from
    # the reception, so the Friday instant must survive.
    friday = datetime(2026, 2, 27, 16, 30, tzinfo=BOGOTA)
    case = file(pqrs, channel="physical_document", received_at=friday)
    assert case.received_at == friday
    assert case.filed_at == MONDAY
    assert pqrs.case(number(case)).received_at == friday


def test_received_at_defaults_to_the_filing_instant(pqrs: Pqrs) -> None:
    case = file(pqrs)
    assert case.received_at == case.filed_at == MONDAY


# --- priority: seed 003's Eisenhower matrix ----------------------------------------------------


@pytest.mark.parametrize(("important", "urgent", "priority"), [
    (True, True, "bloqueante"),  # DO
    (True, False, "alta"),  # DECIDE
    (False, True, "media"),  # DELEGATE
    (False, False, "baja"),  # DELETE
])
def test_priority_is_derived_from_importance_and_urgency(
        pqrs: Pqrs, important: bool, urgent: bool, priority: str) -> None:
    case = file(pqrs, important=important, urgent=urgent)
    assert case.priority == priority


def test_explicit_priority_wins_over_the_matrix(pqrs: Pqrs) -> None:
    assert file(pqrs, priority="baja", important=True, urgent=True).priority == "baja"


def test_derived_priorities_are_ordered_by_the_matrix(pqrs: Pqrs) -> None:
    catalog = pqrs.catalog()
    ranks = [catalog.derive_priority(i, u).rank for i, u in
             [(True, True), (True, False), (False, True), (False, False)]]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == 4


# --- who may file ------------------------------------------------------------------------------


def test_a_requester_can_file_from_the_public_side(pqrs: Pqrs) -> None:
    case = file(pqrs, REQUESTER, channel="web_form")
    assert case.filed_by == "carla"
    assert case.state == "filed"


def test_filing_uses_the_injected_clock_not_the_wall_clock() -> None:
    at = datetime(2030, 7, 1, 15, 0, tzinfo=UTC)
    case = file(in_memory_pqrs(at=at))
    assert case.filed_at == at
    assert number(case).startswith("PQRS-2030-")


# --- what a filing may contain, by who files it ---------------------------------------------------
CONSULTANT = staff("diana", "consultant")


@pytest.mark.parametrize("actor", [REQUESTER, CONSULTANT], ids=["requester", "consultant"])
@pytest.mark.parametrize(("field", "value"), [
    ("received_at", datetime(2019, 3, 4, 14, 0, tzinfo=UTC)),
    ("received_by", "Cualquier nombre"),
    ("verbal", True),
    ("priority", "bloqueante"),
    ("important", True),
    ("urgent", True),
])
def test_people_filing_for_themselves_cannot_forge_how_the_case_was_received(
        pqrs: Pqrs, actor: Actor, field: str, value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(file_command(requester=Requester(full_name="Carla"), **{field: value}), actor)

    assert field in refused.value.errors and "equipo de servicio" in refused.value.errors[field]
    assert pqrs.count() == 0


def test_a_requester_files_through_the_entry_channel_and_cannot_name_another(pqrs: Pqrs) -> None:
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(file_command(channel="phone", entry_channel="api"), REQUESTER)
    assert set(refused.value.errors) == {"channel"}

    case = file(pqrs, CONSULTANT, requester=Requester(full_name="Diana"), channel=None, entry_channel="api")

    assert case.channel == "api"
    assert case.received_at == case.filed_at and case.priority is None and case.received_by is None


def test_staff_register_how_a_case_arrived_and_default_to_the_entry_channel(pqrs: Pqrs) -> None:
    received = MONDAY - timedelta(days=3)
    phoned = file(pqrs, channel="phone", entry_channel="api", received_at=received, received_by="ana",
                  verbal=True, priority="alta")
    assert (phoned.channel, phoned.received_at, phoned.verbal, phoned.priority) == ("phone", received, True,
                                                                                     "alta")

    assert file(pqrs, channel=None, entry_channel="api").channel == "api"
