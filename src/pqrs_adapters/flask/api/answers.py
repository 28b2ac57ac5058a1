"""``/answers``: canned answers. Staff list and search the ones they may use (with ``?case=`` those for
the case's typification first) and render one with a case's data; administrators and supervisors
create, change and delete them. A template that does not parse or names an unknown variable is a 422
problem naming ``body``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
from flask import Response, current_app, url_for
from sqlalchemy import Engine

from pqrs_core.domain.access import is_staff
from pqrs_core.domain.answers import AnswerDraft, CannedAnswer, MacroActions, search_answers
from pqrs_core.domain.values import Actor

from ...answering import checked_draft, choices_for, may_manage, render_for_case
from ...sandbox import TemplateProblem
from ...sqlalchemy.answer_store import (
    count_use,
    create_answer,
    delete_answer,
    get_answer,
    list_answers,
    update_answer,
)
from .auth import current_actor
from .inputs import filing_number, json_body, query_args
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.answers import (
    AnswerCreateSchema,
    AnswerListSchema,
    AnswerPatchSchema,
    AnswerQuerySchema,
    AnswerSchema,
    RenderedAnswerSchema,
    RenderRequestSchema,
)

MAX_ID = 2**31 - 1
_CREATE, _PATCH, _QUERY, _RENDER = AnswerCreateSchema(), AnswerPatchSchema(), AnswerQuerySchema(), \
    RenderRequestSchema()


def answer_data(answer: CannedAnswer, suggested: bool | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": answer.id, "title": answer.title, "body": answer.body,
        "typifications": list(answer.typifications), "kinds": list(answer.kinds),
        "personal": answer.owner is not None, "owner": answer.owner, "active": answer.active,
        "macro": attrs.asdict(answer.macro) if answer.is_macro else None, "usage_count": answer.usage_count,
        "updated_at": answer.updated_at.isoformat() if answer.updated_at else None}
    if suggested is not None:
        data["suggested"] = suggested
    return data


def _engine() -> Engine:
    engine: Engine = current_app.extensions["pqrs.engine"]
    return engine


def _now() -> datetime:
    return pqrs().deps.clock.now()


def _staff() -> Actor:
    actor = current_actor()
    if not is_staff(pqrs().catalog().permissions(actor)):
        raise ApiProblem("forbidden", "Las respuestas tipo son del equipo de atención.")
    return actor


def _manager() -> Actor:
    actor = current_actor()
    if not may_manage(pqrs(), actor):
        raise ApiProblem("forbidden", "Solo un administrador o un supervisor escribe respuestas tipo.")
    return actor


def _found(answer_id: int, actor: Actor) -> CannedAnswer:
    answer = get_answer(_engine(), answer_id) if answer_id <= MAX_ID else None
    if answer is None or not answer.visible_to(actor.username):
        raise ApiProblem("not-found", f"No existe la respuesta tipo {answer_id}.")
    return answer


def _draft(data: dict[str, Any], base: AnswerDraft) -> AnswerDraft:
    values = dict(data)
    if "macro" in values:
        values["macro"] = MacroActions(**values["macro"]) if values["macro"] else MacroActions()
    for name in ("typifications", "kinds"):
        if name in values:
            values[name] = tuple(values[name])
    return checked_draft(pqrs(), attrs.evolve(base, **values))


def _operation(summary: str, reply: Reply, *, body: type[Any] | None = None, status: int = 200,
               description: str = "", query: type[Any] | None = None,
               problems: tuple[int, ...] = (403,)) -> Operation:
    return Operation(summary=summary, tag="answers", body=body, description=description, query=query,
                     replies={status: reply}, problems=problems)


@api_route("/answers", "GET", _operation(
    "Las respuestas tipo", Reply("Las respuestas tipo que la persona puede usar", AnswerListSchema),
    query=AnswerQuerySchema, problems=(403, 404),
    description="Las compartidas y las personales de quien pregunta. Con case=<radicado>, solo las activas "
                "que sirven para ese caso, las de su tipificación primero (suggested=true)."))
def list_answers_view() -> Response:
    actor = _staff()
    args = query_args(_QUERY)
    query = args.get("q") or ""
    if args.get("case"):
        case = pqrs().case(filing_number(args["case"]), actor=actor)
        choices = choices_for(_engine(), pqrs(), case, actor, query)
        items = [answer_data(a, True) for a in choices.suggested] + \
            [answer_data(a, False) for a in choices.others]
        return json_response({"items": items})
    found = search_answers(list_answers(_engine(), visible_to=actor.username), query)
    return json_response({"items": [answer_data(a) for a in found]})


@api_route("/answers", "POST", _operation(
    "Crear una respuesta tipo", Reply("La respuesta tipo creada", AnswerSchema, headers=("Location",)),
    body=AnswerCreateSchema, status=201,
    description="Para administradores y supervisores. personal=true la deja solo para quien la crea."))
def create_answer_view() -> Response:
    actor = _manager()
    draft = _draft(json_body(_CREATE), AnswerDraft(title="", body=""))
    answer = create_answer(_engine(), draft, _now(), actor=actor.username)
    return json_response(answer_data(answer), 201,
                         {"Location": url_for("api.get_answer_view", answer_id=answer.id)})


@api_route("/answers/<int:answer_id>", "GET", _operation(
    "Una respuesta tipo", Reply("La respuesta tipo", AnswerSchema)))
def get_answer_view(answer_id: int) -> Response:
    actor = _staff()
    return json_response(answer_data(_found(answer_id, actor)))


@api_route("/answers/<int:answer_id>", "PATCH", _operation(
    "Cambiar una respuesta tipo", Reply("La respuesta tipo como quedó", AnswerSchema), body=AnswerPatchSchema,
    description="Solo cambian los campos enviados (p. ej. {\"active\": false} la desactiva)."))
def change_answer_view(answer_id: int) -> Response:
    actor = _manager()
    answer = _found(answer_id, actor)
    draft = _draft(json_body(_PATCH), answer.draft)
    return json_response(answer_data(update_answer(_engine(), answer, draft, _now(), actor=actor.username)))


@api_route("/answers/<int:answer_id>", "DELETE", _operation(
    "Eliminar una respuesta tipo", Reply("Eliminada", None, media_type="")))
def delete_answer_view(answer_id: int) -> Response:
    actor = _manager()
    delete_answer(_engine(), _found(answer_id, actor), _now(), actor=actor.username)
    return Response(status=204)


@api_route("/answers/<int:answer_id>/render", "POST", _operation(
    "Llenar una respuesta tipo con los datos de un caso",
    Reply("El texto listo para responder", RenderedAnswerSchema), body=RenderRequestSchema,
    problems=(403, 404),
    description="Cuenta como un uso. Una plantilla con errores o una variable desconocida es un 422 que "
                "nombra body. La macro (si la tiene) no se aplica aquí: sus cambios se hacen con las "
                "acciones del caso."))
def render_answer_view(answer_id: int) -> Response:
    actor = _staff()
    answer = _found(answer_id, actor)
    if not answer.active:
        raise ApiProblem("validation-error", "La respuesta tipo está desactivada.",
                         errors={"answer_id": "está desactivada"})
    data = json_body(_RENDER)
    case = pqrs().case(filing_number(data["case"]), actor=actor)
    try:
        text = render_for_case(pqrs(), answer, case, actor.username)
    except TemplateProblem as exc:
        raise ApiProblem("validation-error", exc.message, errors={"body": exc.message}) from None
    count_use(_engine(), answer.id)
    return json_response({"id": answer.id, "title": answer.title, "text": text,
                          "macro": attrs.asdict(answer.macro) if answer.is_macro else None})
