"""Canned answers for the web pages and the API alike: which ones a person may use on a case, an answer
rendered for a case in the sandbox, a draft checked before it is stored, and a macro applied through the
core's ordinary commands."""

from __future__ import annotations

from collections.abc import Callable
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
    macro_commands,
)
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import DomainError, ValidationError
from pqrs_core.domain.values import Actor
from pqrs_core.services.messagebus import Pqrs

from .presentation import error_message
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


def apply_macro(app: Pqrs, answer: CannedAnswer, filing_number: str, actor: Actor, *,
                skip: Callable[[Any], bool] = lambda command: False) -> list[str]:
    """Run the commands of ``answer``'s macro on the case as ``actor``, each recorded in its history
    like any other change (``skip`` leaves out those the caller has already run, e.g. closing along
    with the response). Returns the Spanish messages of those the core refused (the others stay
    done)."""
    refused: list[str] = []
    case = app.case(filing_number, actor)
    for command in macro_commands(answer, case):
        if skip(command):
            continue
        try:
            app.handle(command, actor)
        except DomainError as exc:
            refused.append(error_message(exc))
    return refused
