"""Request bodies of the actions on a case (transitions, assignment, notes, responses...)."""

from __future__ import annotations

from marshmallow import fields

from pqrs_core.domain.values import MAX_LONG_TEXT, MAX_SHORT_TEXT

from .common import ApiSchema, required_text, text_list, version_field
from .common import code as code_field
from .common import text as text_field


class TransitionSchema(ApiSchema):
    transition = code_field(required=True, allow_none=False, metadata={
        "description": "Nombre de la transición (ver «allowed_transitions» del caso)"})
    version = version_field()


class AssignmentSchema(ApiSchema):
    assignee = text_field(MAX_SHORT_TEXT, required=True, allow_none=True, metadata={
        "description": "Usuario responsable; null deja el caso sin responsable"})
    queue = code_field()
    version = version_field()


class NoteSchema(ApiSchema):
    text = required_text(MAX_LONG_TEXT)
    public = fields.Boolean(load_default=False, metadata={
        "description": "Las notas públicas las ve el peticionario; las demás son registro interno"})
    version = version_field()


class RespondSchema(ApiSchema):
    text = required_text(MAX_LONG_TEXT)
    solution = text_field(MAX_LONG_TEXT)
    close = fields.Boolean(load_default=False, metadata={"description": "Cerrar el caso al responder"})
    access_denied = fields.Boolean(load_default=False, metadata={
        "description": "La respuesta niega el acceso a la información solicitada (reservada o clasificada, "
                       "Ley 1712 de 2014 arts. 18 y 19); cuenta en el informe de solicitudes"})
    version = version_field()


class TypifySchema(ApiSchema):
    typification = code_field(required=True, allow_none=False)
    version = version_field()


class InformationRequestSchema(ApiSchema):
    message = required_text(MAX_LONG_TEXT)
    missing = text_list(load_default=list)
    version = version_field()


class RequesterReplySchema(ApiSchema):
    message = required_text(MAX_LONG_TEXT)
    version = version_field()


class ReasonSchema(ApiSchema):
    reason = required_text(MAX_LONG_TEXT)
    version = version_field()
