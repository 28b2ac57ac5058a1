"""Query-string schemas: listing cases and report figures. Unknown parameters are an error (400)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

from pqrs_core.domain.tags import MAX_TAG
from pqrs_core.domain.values import MAX_CODE
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import SORTS

from .common import FILING_NUMBER_PATTERN, ApiSchema, choice, code, text

MAX_LIMIT = 100
DEFAULT_LIMIT = 25


class DateOrDateTime(fields.Field[date | datetime]):
    """``AAAA-MM-DD`` or an ISO 8601 date and time (without offset: the organisation's time zone)."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"anyOf": [{"type": "string", "format": "date"},
                              {"type": "string", "format": "date-time"}],
                    **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date | datetime:
        if not isinstance(value, str):
            raise ValidationError("debe ser texto")
        try:
            return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError("debe ser una fecha (AAAA-MM-DD) o fecha y hora ISO 8601") from None


def _codes(description: str) -> fields.List[str]:
    return fields.List(code(allow_none=False), load_default=list, metadata={"description": description},
                       validate=validate.Length(max=50, error="admite como máximo 50 valores"))


class CaseFilterSchema(ApiSchema):
    """Filters shared by the case list and the report figures."""

    state = _codes("Código de estado (repetible)")
    state_category = fields.List(choice([c.value for c in StateCategory]), load_default=list,
                                 metadata={"description": "Categoría de estado (repetible)"})
    kind = _codes("Tipo de caso (repetible)")
    typification = code(metadata={"description": "Nodo de tipificación (incluye sus descendientes)"})
    priority = _codes("Prioridad (repetible)")
    queue = _codes("Cola (repetible)")
    assignee = text(metadata={"description": "Usuario responsable"})
    channel = _codes("Canal (repetible)")
    requester_document = text(20, metadata={"description": "Número de documento del peticionario"})
    filed_from = DateOrDateTime(load_default=None, metadata={
        "description": "Radicados desde (inclusive): AAAA-MM-DD o fecha y hora ISO 8601"})
    filed_to = DateOrDateTime(load_default=None, metadata={
        "description": "Radicados hasta: una fecha incluye ese día; una fecha y hora es exclusiva"})
    due_from = DateOrDateTime(load_default=None, metadata={
        "description": "Vencen desde (inclusive; fecha límite de respuesta): AAAA-MM-DD o fecha y hora "
                       "ISO 8601. Los casos sin término quedan fuera"})
    due_to = DateOrDateTime(load_default=None, metadata={
        "description": "Vencen hasta: una fecha incluye ese día; una fecha y hora es exclusiva"})
    q = text(200, metadata={"description": "Texto libre: radicado, asunto, descripción, peticionario, "
                                           "etiquetas (sin distinguir tildes ni mayúsculas)"})
    tag = fields.List(text(MAX_TAG, allow_none=False), load_default=list, metadata={
        "description": "Etiqueta (repetible: los casos con todas; sin distinguir tildes ni mayúsculas)"})
    lot = fields.List(text(MAX_CODE, allow_none=False), load_default=list, metadata={
        "description": "Lote de un ítem involucrado (repetible: cualquiera de ellos; retiro de un lote)"})
    product = fields.List(text(MAX_CODE, allow_none=False), load_default=list, metadata={
        "description": "Producto de un ítem involucrado (repetible: cualquiera de ellos; con «lot», del "
                       "mismo ítem)"})


class CaseListQuerySchema(CaseFilterSchema):
    sort = choice(SORTS, load_default="newest", metadata={
        "description": "Orden de la lista: newest, oldest, priority, updated, deadline (vence primero "
                       "primero; los casos sin término al final)"})
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(
        min=1, max=MAX_LIMIT, error=f"debe estar entre 1 y {MAX_LIMIT}"))
    cursor = fields.String(load_default=None, validate=validate.Regexp(
        FILING_NUMBER_PATTERN, error="no es un cursor válido (use «next_cursor» de la página anterior)"),
        metadata={"description": "«next_cursor» de la página anterior"})
    include_voided = fields.Boolean(load_default=False, metadata={
        "description": "También los casos anulados (solo para quien tiene el permiso «case.audit»)"})


class SummaryQuerySchema(CaseFilterSchema):
    pass
