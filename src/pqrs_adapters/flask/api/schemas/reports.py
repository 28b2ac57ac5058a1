"""Schemas of the reports (``/reports/volume``, ``/timeliness``, ``/resolution-levels``, ``/regulatory``):
their query string and their figures, as ``pqrs_core.services.report_figures`` computes them."""

from __future__ import annotations

from marshmallow import fields, validate

from pqrs_core.services.reports import Period

from .common import ApiSchema, code

_PERIODS = [p.value for p in Period]


class ReportQuerySchema(ApiSchema):
    start = fields.Date(metadata={"description": "Primer día de radicación (AAAA-MM-DD, zona de la "
                                                 "organización); por omisión, 29 días antes de «end»"})
    end = fields.Date(metadata={"description": "Último día de radicación, incluido; por omisión, hoy"})
    period = fields.String(validate=validate.OneOf(_PERIODS, error="debe ser uno de: {choices}"),
                           metadata={"description": "Agrupación: day, week, month, quarter, semester"})
    kind = fields.List(code(allow_none=False), metadata={"description": "Tipos (repetible)"})
    typification = code(metadata={"description": "Una tipificación: el reporte abarca su subárbol y la "
                                                 "tipificación se desglosa en sus hijos"})
    queue = fields.List(code(allow_none=False), metadata={"description": "Colas o áreas (repetible)"})
    channel = fields.List(code(allow_none=False), metadata={"description": "Canales (repetible)"})


class _Range(ApiSchema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    period = fields.String(required=True)


class CountSchema(ApiSchema):
    key = fields.String(required=True, metadata={"description": "Código ('' sin valor)"})
    label = fields.String(required=True)
    count = fields.Integer(required=True)
    previous = fields.Integer(required=True,
                              metadata={"description": "En el rango anterior de igual duración"})
    change = fields.Float(required=True, allow_none=True, metadata={"description": "Variación (fracción)"})


def _counts(description: str) -> fields.List[dict[str, object]]:
    return fields.List(fields.Nested(CountSchema), required=True, metadata={"description": description})


class VolumeSchema(_Range):
    total = fields.Integer(required=True)
    previous_total = fields.Integer(required=True)
    change = fields.Float(required=True, allow_none=True)
    periods = _counts("Casos recibidos por periodo")
    by = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(CountSchema)), required=True,
                     metadata={"description": "Por kind, channel, typification, queue y requester_kind"})


class ComplianceSchema(ApiSchema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    on_time = fields.Integer(required=True)
    overdue = fields.Integer(required=True, metadata={"description": "Respondidos tarde o abiertos vencidos"})
    running = fields.Integer(required=True, metadata={"description": "Abiertos dentro del término"})
    share = fields.Float(required=True, allow_none=True, metadata={"description": "Fracción a tiempo"})


class DurationSchema(ApiSchema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True)
    median = fields.Float(required=True, allow_none=True)
    p90 = fields.Float(required=True, allow_none=True)
    mean = fields.Float(required=True, allow_none=True)


def _durations(description: str) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(DurationSchema)), required=True,
                       metadata={"description": description})


class TimelinessSchema(_Range):
    overall = fields.Nested(ComplianceSchema, required=True)
    by = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(ComplianceSchema)), required=True,
                     metadata={"description": "Por kind, typification, queue y assignee"})
    open_by_age = _counts("Abiertos por antigüedad en días hábiles")
    open_by_time_left = _counts("Abiertos por tiempo hábil restante")
    first_response_hours = _durations("Horas hábiles hasta la primera respuesta: total, typification, queue")
    resolution_hours = _durations("Horas hábiles hasta la respuesta: total, typification, queue")
    extensions = fields.Integer(required=True)
    transfers = fields.Integer(required=True)
    incomplete = fields.Integer(required=True)
    withdrawals = fields.Integer(required=True)


class LevelsSchema(_Range):
    answered = fields.Integer(required=True)
    pending = fields.Integer(required=True)
    by_level = _counts("first_contact, first_line, back_office, specialists (y unknown)")
    by_kind = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(CountSchema)), required=True)


class RegulatoryLineSchema(ApiSchema):
    period = fields.String(required=True)
    kind = fields.String(required=True)
    received = fields.Integer(required=True)
    transferred = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    answered_on_time = fields.Integer(required=True)
    answered_late = fields.Integer(required=True)
    pending = fields.Integer(required=True)
    access_denied = fields.Integer(required=True)
    mean_days_to_answer = fields.Float(required=True, allow_none=True)


class RegulatoryCaseSchema(ApiSchema):
    filing_number = fields.String(required=True)
    period = fields.String(required=True)
    kind = fields.String(required=True)
    filed_at = fields.DateTime(required=True)
    responded_at = fields.DateTime(required=True, allow_none=True)
    days_to_answer = fields.Integer(required=True, allow_none=True)
    transferred = fields.Boolean(required=True)
    access_denied = fields.Boolean(required=True)


REGULATORY_PAGE, MAX_REGULATORY_PAGE = 500, 5000


class RegulatoryQuerySchema(ReportQuerySchema):
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10**7,
                                                                   error="debe estar entre 0 y 10000000"),
                            metadata={"description": "Primera solicitud de la lista devuelta (desde 0)"})
    limit = fields.Integer(load_default=REGULATORY_PAGE, validate=validate.Range(
        min=1, max=MAX_REGULATORY_PAGE, error=f"debe estar entre 1 y {MAX_REGULATORY_PAGE}"),
        metadata={"description": f"Solicitudes de la lista por página (por omisión {REGULATORY_PAGE})"})


class RegulatorySchema(_Range):
    lines = fields.List(fields.Nested(RegulatoryLineSchema), required=True)
    totals = fields.Nested(RegulatoryLineSchema, required=True)
    cases = fields.List(fields.Nested(RegulatoryCaseSchema), required=True, metadata={
        "description": "Una página de las solicitudes (totals.received en total), por fecha de radicación"})
    offset = fields.Integer(required=True)
    limit = fields.Integer(required=True)
