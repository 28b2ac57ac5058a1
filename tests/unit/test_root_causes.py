"""Root causes of resolved cases (seed 000's 5M) and their corrective actions, followed to completion."""

from __future__ import annotations

from datetime import date

import pytest

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import InvalidOperation, PermissionDenied, ValidationError
from pqrs_core.domain.events import CorrectiveActionCompleted, RootCauseRecorded
from pqrs_core.services.messagebus import Pqrs

from .support import BACK_OFFICE, QUALITY, SUPERVISOR, file, number
from .test_quality_review import closed_case


def test_the_catalog_holds_the_six_m_of_the_ishikawa_diagram(pqrs: Pqrs) -> None:
    labels = [e.label for e in pqrs.catalog().entries("root_causes")]
    assert labels == ["Método", "Mano de obra", "Material", "Máquina", "Medio ambiente", "Medición"]


def test_a_closed_case_gets_its_cause_area_and_corrective_action(pqrs: Pqrs, clock: FrozenClock) -> None:
    n = closed_case(pqrs)
    clock.advance(hours=1)

    case: Case = pqrs.handle(c.RecordRootCause(
        filing_number=n, cause="METODO", area="back_office", action="  Revisar el procedimiento de despacho ",
        action_owner="beto", action_due=date(2026, 6, 30)), BACK_OFFICE)

    assert (case.root_cause, case.cause_area, case.corrective_action) == (
        "METODO", "back_office", "Revisar el procedimiento de despacho")
    assert (case.action_owner, case.action_due, case.action_done_at) == ("beto", date(2026, 6, 30), None)
    event = pqrs.history(n)[-1]
    assert isinstance(event, RootCauseRecorded) and event.occurred_at == clock.now()

    clock.advance(days=3)
    done: Case = pqrs.handle(c.CompleteCorrectiveAction(filing_number=n, note="Procedimiento actualizado"),
                             BACK_OFFICE)
    assert done.action_done_at == clock.now()
    completed = pqrs.history(n)[-1]
    assert isinstance(completed, CorrectiveActionCompleted) and completed.note == "Procedimiento actualizado"
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.CompleteCorrectiveAction(filing_number=n), BACK_OFFICE)


def test_a_cause_without_an_action_and_recording_again_replaces_it(pqrs: Pqrs) -> None:
    n = closed_case(pqrs)
    pqrs.handle(c.RecordRootCause(filing_number=n, cause="MAQUINA", action="Cambiar el lector",
                                  action_owner="beto", action_due=date(2026, 7, 1)), BACK_OFFICE)
    case: Case = pqrs.handle(c.RecordRootCause(filing_number=n, cause="MEDICION"), SUPERVISOR)
    assert (case.root_cause, case.cause_area, case.corrective_action, case.action_owner, case.action_due) == (
        "MEDICION", None, None, None, None)
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.CompleteCorrectiveAction(filing_number=n), BACK_OFFICE)


def test_what_is_refused(pqrs: Pqrs) -> None:
    open_case = number(file(pqrs))
    with pytest.raises(InvalidOperation):
        pqrs.handle(c.RecordRootCause(filing_number=open_case, cause="METODO"), SUPERVISOR)
    n = closed_case(pqrs)
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(c.RecordRootCause(filing_number=n, cause="SUERTE", area="nada"), SUPERVISOR)
    assert set(refused.value.errors) == {"cause", "area"}
    with pytest.raises(ValidationError) as incomplete:
        pqrs.handle(c.RecordRootCause(filing_number=n, cause="METODO", action="Capacitar"), SUPERVISOR)
    assert set(incomplete.value.errors) == {"action_owner", "action_due"}
    with pytest.raises(ValidationError) as orphan:
        pqrs.handle(c.RecordRootCause(filing_number=n, cause="METODO", action_owner="beto"), SUPERVISOR)
    assert set(orphan.value.errors) == {"action"}
    with pytest.raises(PermissionDenied):
        pqrs.handle(c.RecordRootCause(filing_number=n, cause="METODO"), QUALITY)
    assert pqrs.case(n).root_cause is None
