"""Canned answers for the web pages and the API alike: which ones a person may use on a case, an answer
rendered for a case in the sandbox and a draft checked before it is stored (a macro is applied with the
response by the core's ``RespondWithMacro``)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from pqrs_core.domain.access import Permission
from pqrs_core.domain.answers import (
    AnswerChoices,
    AnswerDraft,
    CannedAnswer,
    answer_context,
    answers_for_case,
)
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.values import Actor
from pqrs_core.services.messagebus import Pqrs

from .sandbox import TemplateProblem, check_template, render_sandboxed
from .sqlalchemy.answer_store import list_answers

# Who writes canned answers: administrators (the catalog) and supervisors (who distribute cases).
MANAGE_PERMISSIONS = (Permission.CATALOG, Permission.ASSIGN)


def may_manage(app: Pqrs, actor: Actor) -> bool:
    granted = app.catalog().permissions(actor)
    return any(p in granted for p in MANAGE_PERMISSIONS)


def choices_for(engine: Engine, app: Pqrs, case: Case, actor: Actor, query: str = "") -> AnswerChoices:
    """The answers ``actor`` may insert in ``case``, its typification's first."""
    answers = list_answers(engine, visible_to=actor.username)
    return answers_for_case(answers, case, app.catalog().typifications, actor.username, query)


def context_for(app: Pqrs, case: Case, agent_name: str) -> dict[str, Any]:
    settings = app.deps.settings
    return answer_context(case, app.catalog(), now=app.deps.clock.now(), zone=ZoneInfo(settings.timezone),
                          agent_name=agent_name, organisation=settings.organisation_name)


def render_for_case(app: Pqrs, answer: CannedAnswer, case: Case, agent_name: str) -> str:
    """``answer``'s body with ``case``'s variables; ``TemplateProblem`` with what is wrong."""
    return render_sandboxed(answer.body, context_for(app, case, agent_name)).strip()


def checked_draft(app: Pqrs, draft: AnswerDraft) -> AnswerDraft:
    """``draft`` trimmed and validated against the catalog, its body parsed as a template;
    ``ValidationError`` naming every field at fault."""
    errors: dict[str, str] = {}
    try:
        draft = draft.validated(app.catalog())
    except ValidationError as exc:
        errors.update(exc.errors)
    if "body" not in errors:
        try:
            check_template(draft.body)
        except TemplateProblem as exc:
            errors["body"] = exc.message
    if errors:
        raise ValidationError(errors)
    return draft

