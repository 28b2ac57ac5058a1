from __future__ import annotations

from marshmallow import fields

from .common import ApiSchema


class ArchiveRangeQuerySchema(ApiSchema):
    from_ = fields.Date(required=True, data_key="from", metadata={
        "description": "Primer día de cierre (AAAA-MM-DD, en la zona horaria de la organización)"})
    to = fields.Date(required=True, metadata={
        "description": "Último día de cierre, incluido (AAAA-MM-DD, en la zona horaria de la organización)"})
