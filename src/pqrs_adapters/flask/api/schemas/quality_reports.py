"""Schemas of the quality and satisfaction reports: the query (a period of days and the case filters)
and the figures."""

from __future__ import annotations

from marshmallow import fields

from .common import ApiSchema, choice
from .reports import ReportQuerySchema


def _number(field: type[fields.Integer] | type[fields.Float], description: str, *,
            allow_none: bool = False) -> fields.Number:  # type: ignore[type-arg]
    return field(required=True, allow_none=allow_none, metadata={"description": description})

class QualityQuerySchema(ReportQuerySchema):
    """The filters every report shares (``start``, ``end``, ``kind``, ``typification``, ``queue``,
    ``channel``); these reports do not group by period."""

    class Meta(ReportQuerySchema.Meta):
        exclude = ("period",)


class SatisfactionQuerySchema(QualityQuerySchema):
    group_by = choice(("area", "person", "typification", "kind"), load_default="area", metadata={
        "description": "Agrupar por área, persona que respondió, tipificación o tipo"})


class SatisfactionFiguresSchema(ApiSchema):
    key = fields.String(allow_none=True, required=True, metadata={
        "description": "Código del grupo (usuario, cola, tipificación o tipo); null: sin él"})
    answers = fields.Integer(required=True, metadata={"description": "Encuestas respondidas"})
    average = _number(fields.Float, "Calificación promedio (1 a 5)", allow_none=True)
    satisfied = fields.Integer(required=True, metadata={"description": "Respuestas con 4 o 5"})
    satisfied_share = fields.Float(allow_none=True, required=True)
    nps_answers = _number(fields.Integer, "Respuestas a la recomendación (0 a 10)")
    promoters = fields.Integer(required=True, metadata={"description": "Respuestas de 9 o 10"})
    detractors = fields.Integer(required=True, metadata={"description": "Respuestas de 0 a 6"})
    nps = _number(fields.Float, "Net promoter score, −100 a 100", allow_none=True)
    reviews = fields.Integer(required=True, metadata={"description": "Revisiones de calidad del periodo"})
    review_average = fields.Float(allow_none=True, required=True, metadata={
        "description": "Puntaje promedio de las revisiones de calidad (1 a 5)"})


class SatisfactionReportSchema(ApiSchema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    group_by = fields.String(required=True)
    total = fields.Nested(SatisfactionFiguresSchema, required=True)
    groups = fields.List(fields.Nested(SatisfactionFiguresSchema), required=True)
    distribution = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, metadata={
        "description": "Respuestas por calificación («1» a «5»)"})


class CountSchema(ApiSchema):
    key = fields.String(allow_none=True, required=True, metadata={"description": "Código; null: sin él"})
    cases = fields.Integer(required=True)


class CausesReportSchema(ApiSchema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    resolved = _number(fields.Integer, "Casos resueltos en el periodo")
    with_cause = _number(fields.Integer, "De ellos, con causa raíz registrada")
    by_cause = fields.List(fields.Nested(CountSchema), required=True, metadata={
        "description": "Casos por causa raíz, de la más a la menos frecuente (Pareto)"})
    by_area = fields.List(fields.Nested(CountSchema), required=True, metadata={
        "description": "Casos con causa por área responsable"})
    by_typification = fields.List(fields.Nested(CountSchema), required=True, metadata={
        "description": "Casos resueltos por tipificación, de la más a la menos frecuente (Pareto)"})


class CorrectiveActionSchema(ApiSchema):
    filing_number = fields.String(required=True)
    cause = fields.String(required=True)
    area = fields.String(allow_none=True, required=True)
    action = fields.String(required=True)
    owner = fields.String(allow_none=True, required=True)
    due = fields.Date(allow_none=True, required=True)
    done_at = fields.DateTime(allow_none=True, required=True)
    overdue = fields.Boolean(required=True)


class CorrectiveActionsQuerySchema(ApiSchema):
    state = choice(("open", "all"), load_default="open", metadata={
        "description": "open: las que faltan por completar (por fecha límite); all: todas"})


class CorrectiveActionsSchema(ApiSchema):
    items = fields.List(fields.Nested(CorrectiveActionSchema), required=True)


class PersonProductivitySchema(ApiSchema):
    person = fields.String(required=True, metadata={"description": "Usuario («» en el total)"})
    filed = _number(fields.Integer, "Casos radicados")
    typified = _number(fields.Integer, "Tipificaciones")
    answered = _number(fields.Integer, "Respuestas enviadas")
    closed = _number(fields.Integer, "Casos cerrados")
    days = _number(fields.Integer, "Días con al menos una respuesta")
    answered_per_day = _number(fields.Float, "Respuestas por día con respuestas", allow_none=True)
    days_on_target = _number(fields.Integer, "Días que alcanzaron la meta de soluciones")
    filing_median_seconds = _number(fields.Float, "Mediana del tiempo de radicación", allow_none=True)
    filing_on_target = _number(fields.Float, "Parte de las radicaciones dentro de la meta", allow_none=True)
    response_median_seconds = _number(fields.Float, "Mediana del tiempo de respuesta", allow_none=True)
    response_on_target = _number(fields.Float, "Parte de las respuestas dentro de la meta", allow_none=True)


class TargetsSchema(ApiSchema):
    filing_seconds = fields.Integer(required=True)
    response_seconds = fields.Integer(required=True)
    solutions_per_day = fields.Integer(required=True)


class ProductivityReportSchema(ApiSchema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    targets = fields.Nested(TargetsSchema, required=True)
    total = fields.Nested(PersonProductivitySchema, required=True)
    people = fields.List(fields.Nested(PersonProductivitySchema), required=True)
