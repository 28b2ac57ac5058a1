"""The response's document flow (seed 004): drafted → approved by a second person → sent.

When the organisation asks for it (``Settings.letters_need_approval``), answering a case drafts the
response instead of sending it: the case keeps its state and shows the draft (``Case.pending_response``)
until someone holding ``Permission.APPROVE_LETTERS``, other than who drafted it, approves it — then the
response is sent as it was written, its official letter signed by who drafted it — or returns it with
a comment, and nothing is sent. Every step is an event of the history, for the staff only.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from . import events as ev
from .errors import InvalidOperation, Problems
from .values import MAX_LONG_TEXT, Actor, check_text

if TYPE_CHECKING:
    from .case import Case

STAFF_ONLY_EVENTS = (ev.ResponseDrafted, ev.ResponseApproved, ev.ResponseReturned)


def drafted(case: Case, text: str, solution: str | None, close: bool, actor: Actor,
            now: datetime, access_denied: bool = False) -> ev.ResponseDrafted:
    """The draft of a response: refused while another waits (the case checks that it could be
    answered now: the approver must be able to send it)."""
    problems = Problems()
    check_text(problems, "text", text, max_length=MAX_LONG_TEXT, required=True)
    if solution is not None:
        check_text(problems, "solution", solution, max_length=MAX_LONG_TEXT)
    problems.raise_if_any()
    if case.pending_response is not None:
        raise InvalidOperation("el caso ya tiene una respuesta esperando aprobación: apruébela o devuélvala "
                               "antes de redactar otra")
    return ev.ResponseDrafted(case_id=case.id, actor=actor.username, occurred_at=now, text=text.strip(),
                              solution=(solution or text).strip(), close=close,
                              access_denied=access_denied)


def _pending(case: Case) -> str:
    if case.pending_response is None:
        raise InvalidOperation("el caso no tiene una respuesta esperando aprobación")
    return case.pending_response.drafted_by


def approved(case: Case, actor: Actor, now: datetime) -> ev.ResponseApproved:
    """The approval of the pending draft, by someone other than who drafted it."""
    author = _pending(case)
    if author == actor.username:
        raise InvalidOperation("la respuesta la aprueba una persona distinta de quien la redactó")
    return ev.ResponseApproved(case_id=case.id, actor=actor.username, occurred_at=now, drafted_by=author)


def returned(case: Case, comment: str, actor: Actor, now: datetime) -> ev.ResponseReturned:
    """The pending draft sent back to who drafted it, with what to change."""
    author = _pending(case)
    problems = Problems()
    check_text(problems, "comment", comment, max_length=MAX_LONG_TEXT, required=True)
    problems.raise_if_any()
    return ev.ResponseReturned(case_id=case.id, actor=actor.username, occurred_at=now, drafted_by=author,
                               comment=comment.strip())
