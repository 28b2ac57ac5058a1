"""Schemas of the term clock: a case's deadlines and the legal actions on its term."""

from __future__ import annotations

from marshmallow import fields, validate

from pqrs_core.domain.term_left import LeftUnit
from pqrs_core.domain.values import MAX_LONG_TEXT, MAX_SHORT_TEXT

from .common import ApiSchema, check_year, required_text, text_list, version_field


class PausedLeftSchema(ApiSchema):
    amount = fields.Integer(required=True, metadata={"description": "Cantidad de la unidad"})
    unit = fields.String(required=True, validate=validate.OneOf([u.value for u in LeftUnit]), metadata={
        "description": "business_days: días hábiles; business_us / clock_us: microsegundos hábiles / "
                       "de reloj; restart_<unidad>: el término completo, que vuelve a empezar (Ley 1755 "
                       "art. 17)"})


class DeadlinesSchema(ApiSchema):
    policy = fields.String(required=True, metadata={"description": "Política de términos aplicada"})
    term = fields.String(required=True, metadata={"description": "El término, p. ej. «15 días hábiles»"})
    resolution_due = fields.DateTime(required=True, metadata={"description": "Vencimiento de la respuesta"})
    first_response_due = fields.DateTime(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(
        ["on_time", "at_risk", "overdue", "paused", "met", "missed"]))
    status_label = fields.String(required=True)
    remaining_business_hours = fields.Float(required=True, metadata={
        "description": "Tiempo hábil restante en horas (negativo si venció)"})
    elapsed_fraction = fields.Float(required=True)
    extended_by = fields.Integer(required=True, metadata={"description": "Prórroga aplicada (0: ninguna)"})
    completion_due = fields.DateTime(required=True, allow_none=True, metadata={
        "description": "Hasta cuándo el peticionario puede completar la petición (Ley 1755 art. 17)"})
    paused_since = fields.DateTime(load_default=None, allow_none=True, metadata={
        "description": "Desde cuándo está en pausa el término (null si corre); mientras tanto "
                       "resolution_due es el vencimiento anterior a la pausa, que se corre al reanudarse"})
    paused_left = fields.Nested(PausedLeftSchema, load_default=None, allow_none=True, metadata={
        "description": "Lo que le quedaba al término cuando se detuvo (null si corre)"})
    paused_text = fields.String(load_default=None, allow_none=True, metadata={
        "description": "«En pausa desde …; quedan …», como lo lee una persona (null si corre)"})
    deemed_granted_due = fields.DateTime(required=True, allow_none=True, metadata={
        "description": "Vencido el término sin respuesta, la solicitud se entiende aceptada y esto es lo "
                       "que vence ahora: p. ej. las copias, 3 días (CPACA art. 14 num. 1)"})


class TermExplanationSchema(ApiSchema):
    lines = fields.List(fields.String(), required=True, metadata={
        "description": "Cómo se calculó el vencimiento, evento por evento"})


class ExtensionSchema(ApiSchema):
    reason = required_text(MAX_LONG_TEXT)
    extra = fields.Integer(strict=True, load_default=None, allow_none=True,
                           validate=validate.Range(min=1, max=10_000, error="debe ser un entero positivo"),
                           metadata={"description": "Unidades del término a añadir (por defecto, el máximo)"})
    version = version_field()


class SuspensionSchema(ApiSchema):
    cause = required_text(MAX_SHORT_TEXT, metadata={
        "description": "practica_pruebas (práctica de pruebas) o demora_usuario (demora causada por el "
                       "usuario), si la política del caso la admite"})
    reason = required_text(MAX_LONG_TEXT)
    version = version_field()


class CompletionRequestSchema(ApiSchema):
    message = required_text(MAX_LONG_TEXT)
    missing = text_list(load_default=list)
    version = version_field()


class VersionOnlySchema(ApiSchema):
    version = version_field()


class TransferSchema(ApiSchema):
    entity = required_text(MAX_SHORT_TEXT, metadata={"description": "Entidad competente"})
    reason = required_text(MAX_LONG_TEXT)
    version = version_field()


def _notified_at() -> fields.AwareDateTime:
    return fields.AwareDateTime(format="iso", allow_none=True, load_default=None, validate=check_year,
                                metadata={"description": "Instante de la notificación, con zona horaria "
                                                         "(por defecto, ahora)"})


class AdmissionNoticeSchema(ApiSchema):
    days = fields.Integer(required=True, strict=True, metadata={
        "description": "Días hábiles que fijó el juez para el informe (1 a 3, Decreto 2591 de 1991 "
                       "art. 19)"})
    notified_at = _notified_at()
    version = version_field()


class RulingNoticeSchema(ApiSchema):
    hours = fields.Integer(required=True, strict=True, metadata={
        "description": "Horas que fijó el juez para cumplir el fallo (hasta 48, Decreto 2591 de 1991 "
                       "arts. 27 y 29 num. 5)"})
    notified_at = _notified_at()
    version = version_field()
