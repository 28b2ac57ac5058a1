"""Output of ``GET /customers/{document}``: a customer's 360° view."""

from __future__ import annotations

from marshmallow import fields

from .cases import CaseSchema, RequesterSchema
from .common import ApiSchema


class LabelledValueSchema(ApiSchema):
    label = fields.String(required=True, metadata={"example": "Rango"})
    value = fields.String(required=True, metadata={"example": "Oro"})


class CustomerInvoiceSchema(ApiSchema):
    number = fields.String(required=True, metadata={"example": "FE-100234"})
    issued_on = fields.Date(required=True)
    order_number = fields.String(allow_none=True)
    lines = fields.Integer(required=True, metadata={"description": "Cuántos ítems tiene la factura"})


class SurveyAnswerSchema(ApiSchema):
    filing_number = fields.String(required=True)
    answered_at = fields.DateTime(required=True)
    score = fields.Integer(required=True, metadata={"description": "Satisfacción, de 1 a 5"})
    nps = fields.Integer(allow_none=True, metadata={"description": "Recomendación, de 0 a 10"})
    comment = fields.String(required=True)


class CustomerConsentSchema(ApiSchema):
    filing_number = fields.String(required=True)
    given_at = fields.DateTime(required=True)
    notice_version = fields.String(required=True)
    notice_digest = fields.String(required=True)
    channel = fields.String(required=True)


class CustomerProfileSchema(ApiSchema):
    """What is known of a person by document number: the customer directory's data, else their newest
    case's requester; their cases the caller may see (newest first), invoices, survey answers and
    consents."""

    document = fields.String(required=True, metadata={"example": "80123456"})
    customer_id = fields.String(allow_none=True, metadata={"example": "CLI-010245"})
    directory = fields.String(allow_none=True, metadata={
        "description": "El directorio de clientes que lo conoce (nulo si ninguno)"})
    contact = fields.Nested(RequesterSchema, required=True)
    branches = fields.List(fields.String(), required=True)
    commercial = fields.List(fields.Nested(LabelledValueSchema), required=True, metadata={
        "description": "Datos comerciales del directorio (rango, estado, cupo...), en su orden"})
    total_cases = fields.Integer(required=True, metadata={
        "description": "Cuántos de sus casos puede ver quien consulta («cases» trae los más recientes)"})
    cases = fields.List(fields.Nested(CaseSchema), required=True)
    invoices = fields.List(fields.Nested(CustomerInvoiceSchema), required=True)
    surveys = fields.List(fields.Nested(SurveyAnswerSchema), required=True)
    consents = fields.List(fields.Nested(CustomerConsentSchema), required=True)
    unavailable = fields.List(fields.String(), required=True, metadata={
        "description": "Directorios de clientes y fuentes de facturas que no respondieron"})
