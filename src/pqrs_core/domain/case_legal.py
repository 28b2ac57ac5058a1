"""Incomplete petitions and transfers (Ley 1755 de 2015 arts. 17 and 21), as events of a case.

- Art. 17: an incomplete petition is filed anyway (art. 15) and the requester is asked, within 10 days
  of filing, to complete it; they have one month, extendable once by the same period when they ask
  before it ends. Once the missing items arrive the term "se reactivará": the policy says whether the
  days left run on (the default, the safer reading) or the whole term starts again the day after
  (``CompletionRestart``). Without them, the organisation declares the tacit withdrawal
  (desistimiento tácito) in a reasoned decision.
- Art. 21: a petition addressed to the wrong organisation is forwarded to the competent one within 5
  days of reception, with a copy to the requester.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from . import events as ev
from .catalog import Catalog
from .errors import InvalidOperation, Problems
from .sla import CompletionRestart
from .terms import Term, TermUnit
from .values import MAX_LONG_TEXT, MAX_SHORT_TEXT, check_text

if TYPE_CHECKING:
    from .case import Case

ASK_WITHIN = Term(10)  # art. 17: "dentro de los diez (10) días siguientes a la fecha de radicación"
REQUESTER_TIME = Term(1, TermUnit.MONTHS)  # art. 17: "un (1) mes", extendable once
TRANSFER_WITHIN = Term(5)  # art. 21: "dentro de los cinco (5) días siguientes al de la recepción"


def _text(field: str, value: str, max_length: int = MAX_LONG_TEXT) -> None:
    problems = Problems()
    check_text(problems, field, value, max_length=max_length, required=True)
    problems.raise_if_any()


def completion_requested(case: Case, message: str, missing: tuple[str, ...], catalog: Catalog, actor: str,
                         now: datetime) -> ev.CompletionRequested:
    _text("message", message)
    if catalog.calendar is None:
        raise InvalidOperation("no hay calendario configurado para contar el plazo del peticionario")
    late = now > ASK_WITHIN.deadline(case.filed_at, catalog.calendar)
    due = REQUESTER_TIME.deadline(now, catalog.calendar)
    return ev.CompletionRequested(case_id=case.id, actor=actor, occurred_at=now, message=message.strip(),
                                  missing=missing, requester_due=due, late=late)


def completion_received(case: Case, catalog: Catalog, actor: str, now: datetime) -> ev.CompletionReceived:
    """The missing items arrived; ``resumed`` says how the term goes on, as the case's policy chooses
    (a case whose policy is gone resumes, the safer reading)."""
    policy = next((p for p in catalog.term_policies if p.code == case.term_policy), None)
    restart = policy.completion_restart if policy is not None else CompletionRestart.RESUME
    return ev.CompletionReceived(case_id=case.id, actor=actor, occurred_at=now,
                                 resumed=restart is CompletionRestart.RESUME)


def completion_time_extended(case: Case, catalog: Catalog, actor: str,
                             now: datetime) -> ev.CompletionTimeExtended:
    if case.completion_due is None:
        raise InvalidOperation("el caso no espera que el peticionario complete su petición")
    if case.completion_extended:
        raise InvalidOperation("el plazo para completar la petición ya se prorrogó una vez")
    if now > case.completion_due:
        raise InvalidOperation("la prórroga se pide antes de que venza el plazo")
    assert catalog.calendar is not None
    due = REQUESTER_TIME.deadline(case.completion_due, catalog.calendar)
    return ev.CompletionTimeExtended(case_id=case.id, actor=actor, occurred_at=now, requester_due=due)


def check_withdrawal(case: Case, reason: str, now: datetime) -> None:
    _text("reason", reason)
    if case.completion_due is None:
        raise InvalidOperation("solo se declara el desistimiento de una petición que se pidió completar")
    if now <= case.completion_due:
        raise InvalidOperation("el peticionario aún está a tiempo de completar su petición")


def transferred(case: Case, entity: str, reason: str, catalog: Catalog, actor: str,
                now: datetime) -> ev.CaseTransferred:
    _text("entity", entity, MAX_SHORT_TEXT)
    _text("reason", reason)
    late = (catalog.calendar is not None
            and now > TRANSFER_WITHIN.deadline(case.received_at, catalog.calendar))
    return ev.CaseTransferred(case_id=case.id, actor=actor, occurred_at=now, entity=entity.strip(),
                              reason=reason.strip(), late=late)
