"""Suspending a term while evidence is gathered or while the requester holds it up.

Decreto-Ley 2150 de 1995 art. 123 (home utilities, restating Ley 142 de 1994 art. 158): the 15
business days to answer do not run while evidence is being gathered (práctica de pruebas) or when the
user caused the delay, and positive silence only follows a term that ran out. Staff record either
cause with a reason, and end the suspension themselves: the deadline moves back by the business days
it covered, and while it holds the case raises no alarm and does not read as overdue. Which causes a
term admits is data of its policy (``TermPolicy.suspension_causes``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from . import events as ev
from .case_terms import term_resumed
from .catalog import Catalog
from .errors import InvalidOperation, Problems, ValidationError
from .term_left import left_at
from .values import MAX_LONG_TEXT, check_text

if TYPE_CHECKING:
    from .case import Case

# The cause recorded while a third party holds the case (``third_party.py``), which alone ends it.
THIRD_PARTY_CAUSE = "con_tercero"
EVIDENCE = "practica_pruebas"
USER_DELAY = "demora_usuario"
# The causes the core knows, as a person reads them.
SUSPENSION_CAUSES = {
    EVIDENCE: "Práctica de pruebas",
    USER_DELAY: "Demora causada por el usuario",
}


def suspended_by(case: Case) -> str | None:
    """The cause of the suspension holding the case's term now (``None`` when none does)."""
    last = case.pauses[-1] if case.pauses else None
    return last.cause if last is not None and last.end is None else None


def term_suspended(case: Case, cause: str, reason: str, catalog: Catalog, actor: str,
                   now: datetime) -> ev.TermSuspended:
    problems = Problems()
    check_text(problems, "reason", reason, max_length=MAX_LONG_TEXT, required=True)
    if cause not in SUSPENSION_CAUSES:
        problems.add("cause", "la causa de suspensión es " + " o ".join(f"«{c}»" for c in SUSPENSION_CAUSES))
    problems.raise_if_any()
    if not case.is_open or case.term is None or case.resolution_due is None or case.term_ended_at:
        raise InvalidOperation("el caso no tiene un término en curso que suspender")
    if case.pauses and case.pauses[-1].end is None:
        raise InvalidOperation("el término de este caso ya está detenido")
    policy = next((p for p in catalog.term_policies if p.code == case.term_policy), None)
    if policy is None or cause not in policy.suspension_causes:
        label = policy.label if policy is not None else case.term_policy
        raise ValidationError({"cause": f"el término «{label}» no se suspende por "
                                        f"{SUSPENSION_CAUSES[cause].lower()}"})
    return ev.TermSuspended(case_id=case.id, actor=actor, occurred_at=now, cause=cause,
                            cause_label=SUSPENSION_CAUSES[cause], reason=reason.strip(),
                            source=policy.suspension_source, due_before=case.resolution_due,
                            left=(left_at(case.term, case.resolution_due, now, catalog.calendar)
                                  if catalog.calendar is not None else None))


def suspension_ended(case: Case, catalog: Catalog, actor: str, now: datetime) -> ev.TermResumed:
    if suspended_by(case) is None:
        raise InvalidOperation("el término de este caso no está suspendido")
    if suspended_by(case) == THIRD_PARTY_CAUSE:
        raise InvalidOperation("el término se detuvo porque el caso está con un tercero: se reanuda al "
                               "retomar el caso o cuando el tercero responda")
    resumed = term_resumed(case, catalog, actor, now)
    if resumed is None:
        raise InvalidOperation("no hay calendario configurado para reanudar el término")
    return resumed
