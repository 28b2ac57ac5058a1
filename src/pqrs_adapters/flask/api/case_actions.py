"""The actions on a case: transitions, assignment, notes, responses, typification, information
requests and the requester's replies, reopening and returns for re-typification. Each answers the
case as it is afterwards; the version the client read goes in ``If-Match`` or ``version``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from marshmallow import Schema

from pqrs_core.domain import commands as c

from .auth import current_actor
from .inputs import expected_version, filing_number, json_body
from .responses import handled_case_response
from .routing import Operation, Reply, api_route
from .schemas.actions import (
    AssignmentSchema,
    InformationRequestSchema,
    NoteSchema,
    ReasonSchema,
    RequesterReplySchema,
    RespondSchema,
    TransitionSchema,
    TypifySchema,
)
from .schemas.cases import CaseSchema

Build = Callable[[str, dict[str, Any], int | None], Any]


def _operation(summary: str, body: type[Schema], description: str = "") -> Operation:
    return Operation(summary=summary, tag="actions", body=body, description=description,
                     request_headers=("If-Match",), problems=(403, 409),
                     replies={200: Reply("El caso después de la acción", CaseSchema, headers=("ETag",))})


def _act(number: str, schema: Schema, build: Build) -> Response:
    actor = current_actor()
    key = filing_number(number)
    data = json_body(schema)
    version = expected_version(data.pop("version", None))
    return handled_case_response(build(key, data, version), actor)


_TRANSITION, _ASSIGN, _NOTE = TransitionSchema(), AssignmentSchema(), NoteSchema()
_RESPOND, _TYPIFY, _INFO = RespondSchema(), TypifySchema(), InformationRequestSchema()
_REPLY, _REASON = RequesterReplySchema(), ReasonSchema()


@api_route("/cases/<number>/transitions", "POST", _operation(
    "Aplicar una transición", TransitionSchema,
    "Una transición inválida desde el estado actual es 409 con «allowed»: las permitidas. Las "
    "que tienen su propia acción (responder, reabrir...) se aplican con ella; «close» cierra aquí."))
def transition_case(number: str) -> Response:
    def build(key: str, d: dict[str, Any], v: int | None) -> Any:
        if d["transition"] == "close":  # needs nothing but itself: its command is CloseCase
            return c.CloseCase(filing_number=key, expected_version=v)
        return c.TransitionCase(filing_number=key, transition=d["transition"], expected_version=v)

    return _act(number, _TRANSITION, build)


@api_route("/cases/<number>/assignment", "POST", _operation(
    "Asignar el caso", AssignmentSchema, "Asigna a una persona (null: sin responsable) y, si se indica, "
                                         "a una cola."))
def assign_case(number: str) -> Response:
    return _act(number, _ASSIGN, lambda key, d, v: c.AssignCase(
        filing_number=key, assignee=d["assignee"], queue=d.get("queue"), expected_version=v))


@api_route("/cases/<number>/notes", "POST", _operation("Agregar una nota", NoteSchema))
def add_note(number: str) -> Response:
    return _act(number, _NOTE, lambda key, d, v: c.AddNote(
        filing_number=key, text=d["text"], public=d["public"], expected_version=v))


@api_route("/cases/<number>/responses", "POST", _operation(
    "Responder al peticionario", RespondSchema, "Con «close» el caso además se cierra."))
def respond_case(number: str) -> Response:
    return _act(number, _RESPOND, lambda key, d, v: c.RespondCase(
        filing_number=key, text=d["text"], solution=d.get("solution"), close=d["close"],
        access_denied=d["access_denied"], expected_version=v))


@api_route("/cases/<number>/typification", "POST", _operation("Tipificar el caso", TypifySchema))
def typify_case(number: str) -> Response:
    return _act(number, _TYPIFY, lambda key, d, v: c.TypifyCase(
        filing_number=key, typification=d["typification"], expected_version=v))


@api_route("/cases/<number>/information-requests", "POST", _operation(
    "Solicitar información al peticionario", InformationRequestSchema))
def request_information(number: str) -> Response:
    return _act(number, _INFO, lambda key, d, v: c.RequestInformation(
        filing_number=key, message=d["message"], missing=tuple(d["missing"]), expected_version=v))


@api_route("/cases/<number>/requester-replies", "POST", _operation(
    "Registrar la respuesta del peticionario", RequesterReplySchema,
    "La información solicitada, un mensaje o una contrarrespuesta (que puede reabrir el caso)."))
def record_requester_reply(number: str) -> Response:
    return _act(number, _REPLY, lambda key, d, v: c.RecordRequesterReply(
        filing_number=key, message=d["message"], expected_version=v))


@api_route("/cases/<number>/reopen", "POST", _operation("Reabrir el caso", ReasonSchema))
def reopen_case(number: str) -> Response:
    return _act(number, _REASON, lambda key, d, v: c.ReopenCase(
        filing_number=key, reason=d["reason"], expected_version=v))


@api_route("/cases/<number>/returns", "POST", _operation(
    "Devolver para re-tipificar", ReasonSchema, "El back office devuelve el caso a quien lo radicó."))
def return_case(number: str) -> Response:
    return _act(number, _REASON, lambda key, d, v: c.ReturnForRetypification(
        filing_number=key, reason=d["reason"], expected_version=v))
