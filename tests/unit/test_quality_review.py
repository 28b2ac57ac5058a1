"""Quality review of closed cases (seed 002): the quality advisor scores the answer, checks a list and
writes observations; the review is part of the case's history."""

from __future__ import annotations

import pytest

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import InvalidOperation, NotFound, PermissionDenied, ValidationError
from pqrs_core.domain.events import QualityReviewed
from pqrs_core.domain.quality import CHECKLIST
from pqrs_core.services.messagebus import Pqrs

from .support import ADMIN, AGENT, BACK_OFFICE, QUALITY, SUPERVISOR, file, number


def closed_case(pqrs: Pqrs) -> str:
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
    pqrs.handle(c.RespondCase(filing_number=n, text="Enviamos las unidades faltantes", close=True),
                BACK_OFFICE)
    return n


def test_a_review_of_a_closed_case_is_recorded_with_every_checklist_item(pqrs: Pqrs,
                                                                         clock: FrozenClock) -> None:
    n = closed_case(pqrs)
    clock.advance(hours=2)

    case: Case = pqrs.handle(c.RecordQualityReview(
        filing_number=n, score=4, checklist={"on_time": True, "clear_and_complete": True},
        notes="  Faltó el número de guía.  "), QUALITY)

    event = pqrs.history(n)[-1]
    assert isinstance(event, QualityReviewed)
    assert (event.actor, event.score, event.notes) == ("quinn", 4, "Faltó el número de guía.")
    assert list(event.checklist) == [code for code, _label in CHECKLIST]  # every item, in order
    assert event.checklist["on_time"] and not event.checklist["correct_typification"]
    assert case.quality_reviewed_at == clock.now() and case.quality_score == 4
    assert pqrs.case(n).quality_reviewed_at == clock.now()


def test_an_open_case_cannot_be_reviewed(pqrs: Pqrs) -> None:
    n = number(file(pqrs))

    with pytest.raises(InvalidOperation, match="caso cerrado"):
        pqrs.handle(c.RecordQualityReview(filing_number=n, score=5), ADMIN)
    with pytest.raises(NotFound):  # quality advisors see closed cases only
        pqrs.handle(c.RecordQualityReview(filing_number=n, score=5), QUALITY)
    assert "QualityReviewed" not in [e.name for e in pqrs.history(n)]


@pytest.mark.parametrize("actor", [AGENT, BACK_OFFICE, SUPERVISOR])
def test_only_people_with_the_quality_permission_review(pqrs: Pqrs, actor: object) -> None:
    n = closed_case(pqrs)

    with pytest.raises(PermissionDenied):
        pqrs.handle(c.RecordQualityReview(filing_number=n, score=3), actor)
    assert pqrs.case(n).quality_reviewed_at is None


@pytest.mark.parametrize(("score", "checklist", "field"), [
    (0, {}, "score"), (6, {}, "score"), (True, {}, "score"), (3, {"inventado": True}, "checklist"),
])
def test_a_review_out_of_scale_or_with_unknown_items_is_refused(
        pqrs: Pqrs, score: int, checklist: dict[str, bool], field: str) -> None:
    n = closed_case(pqrs)

    with pytest.raises(ValidationError) as raised:
        pqrs.handle(c.RecordQualityReview(filing_number=n, score=score, checklist=checklist), QUALITY)
    assert field in raised.value.errors


def test_reopening_a_reviewed_case_leaves_its_new_answer_to_review(pqrs: Pqrs) -> None:
    n = closed_case(pqrs)
    pqrs.handle(c.RecordQualityReview(filing_number=n, score=2), QUALITY)

    reopened: Case = pqrs.handle(c.ReopenCase(filing_number=n, reason="El cliente insiste"), AGENT)

    assert reopened.quality_reviewed_at is None and reopened.quality_score is None
    assert "QualityReviewed" in [e.name for e in pqrs.history(n)]  # the review stays in the history
    replayed = Case.replay(pqrs.history(n), pqrs.catalog().workflow(reopened.workflow))
    replayed.version = reopened.version
    assert replayed == reopened
