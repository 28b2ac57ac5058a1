"""Quality review of closed cases (seed 002: the asesor de calidad).

A quality advisor reads a closed case and records a score on a fixed scale (1 to 5), a checklist of what
the answer should have got right, and free-text observations. The review is an event of the case
(``QualityReviewed``), so it shows in the history; the snapshot keeps when the last review was made and
its score, so that listings can tell reviewed cases from the ones still to review. Reopening a case
clears both: its new answer has not been reviewed yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from . import events as ev
from .errors import InvalidOperation, Problems
from .values import MAX_LONG_TEXT, check_text
from .workflow import StateCategory

if TYPE_CHECKING:
    from .case import Case

MIN_SCORE, MAX_SCORE = 1, 5

# The checklist: (code, what the reviewer checks), in the order a reviewer reads it.
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("on_time", "Respondió dentro del término"),
    ("clear_and_complete", "Respuesta clara y completa"),
    ("correct_typification", "Tipificación correcta"),
    ("requester_data", "Datos del peticionario completos y correctos"),
    ("courteous", "Lenguaje cordial y respetuoso"),
)
CHECKLIST_LABELS = dict(CHECKLIST)


def quality_reviewed(case: Case, score: int, checklist: Mapping[str, bool], notes: str, actor: str,
                     now: datetime) -> ev.QualityReviewed:
    """The review of ``case`` (closed only). Every checklist item is recorded: one not given counts as
    not met."""
    if case.state_category is not StateCategory.DONE:
        raise InvalidOperation("solo se puede revisar la calidad de un caso cerrado")
    problems = Problems()
    if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        problems.add("score", f"debe ser un número entero de {MIN_SCORE} a {MAX_SCORE}")
    unknown = sorted(set(checklist) - set(CHECKLIST_LABELS))
    if unknown:
        problems.add("checklist", f"puntos desconocidos: {', '.join(unknown)}")
    check_text(problems, "notes", notes, max_length=MAX_LONG_TEXT)
    problems.raise_if_any()
    return ev.QualityReviewed(case_id=case.id, actor=actor, occurred_at=now, score=score,
                              checklist={code: bool(checklist.get(code, False)) for code, _ in CHECKLIST},
                              notes=(notes or "").strip())
