"""Root causes of resolved cases and their corrective actions (seed 000: cause analysis by the 5M).

When a case is resolved, whoever handled it says what caused the problem, choosing from the catalog's
``root_causes`` (Método, Mano de obra, Material, Máquina, Medio ambiente, Medición, and whatever the
organisation adds), which area answers for it (a queue), and, when the cause calls for one, a corrective
action: what is to be done, who answers for it and by when. The action is then followed until it is
carried out (``CorrectiveActionCompleted``). Both are events of the case, so they show in its history;
the snapshot keeps the current cause and action for reports and for the list of open actions.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from . import events as ev
from .errors import InvalidOperation, Problems
from .values import MAX_LONG_TEXT, MAX_SHORT_TEXT, check_text
from .workflow import StateCategory

if TYPE_CHECKING:
    from .case import Case
    from .catalog import Catalog


def root_cause_recorded(case: Case, catalog: Catalog, cause: str, area: str | None, action: str,
                        owner: str | None, due: date | None, actor: str,
                        now: datetime) -> ev.RootCauseRecorded:
    """The event attributing ``case`` (resolved or closed) to ``cause``; a corrective action needs its
    description, owner and due date together."""
    if case.state_category is not StateCategory.DONE:
        raise InvalidOperation("solo se registra la causa raíz de un caso resuelto o cerrado")
    problems = Problems()
    if cause not in catalog.active_codes("root_causes"):
        problems.add("cause", "no es una causa raíz activa del catálogo")
    if area is not None and area not in {q.code for q in catalog.queues}:
        problems.add("area", "no es un área (cola) del catálogo")
    action = (action or "").strip()
    owner = (owner or "").strip() or None
    check_text(problems, "action", action, max_length=MAX_LONG_TEXT)
    check_text(problems, "action_owner", owner, max_length=MAX_SHORT_TEXT)
    if action:
        if owner is None:
            problems.add("action_owner", "indique quién responde por la acción correctiva")
        if due is None:
            problems.add("action_due", "indique la fecha límite de la acción correctiva")
    elif owner is not None or due is not None:
        problems.add("action", "describa la acción correctiva")
    problems.raise_if_any()
    return ev.RootCauseRecorded(case_id=case.id, actor=actor, occurred_at=now, cause=cause, area=area,
                                action=action, action_owner=owner if action else None,
                                action_due=due if action else None)


def corrective_action_completed(case: Case, note: str, actor: str,
                                now: datetime) -> ev.CorrectiveActionCompleted:
    """The event marking the case's corrective action as carried out."""
    if not case.corrective_action:
        raise InvalidOperation("el caso no tiene una acción correctiva")
    if case.action_done_at is not None:
        raise InvalidOperation("la acción correctiva ya se había completado")
    problems = Problems()
    check_text(problems, "note", note, max_length=MAX_LONG_TEXT)
    problems.raise_if_any()
    return ev.CorrectiveActionCompleted(case_id=case.id, actor=actor, occurred_at=now,
                                        note=(note or "").strip())
