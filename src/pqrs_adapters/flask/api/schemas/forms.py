"""The multipart form of an attachment upload (documented for OpenAPI; read by ``attachments``)."""

from __future__ import annotations

from marshmallow import fields, validate

from .common import ApiSchema


class AttachmentUploadSchema(ApiSchema):
    file = fields.Raw(required=True, load_only=True, metadata={
        "type": "string", "format": "binary", "description": "El archivo"})
    version = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(
        min=1, max=2**31 - 1, error="debe ser un número de versión (1 o más)"), metadata={
        "description": "Versión del caso que el cliente leyó (alternativa a If-Match)"})
    public = fields.Boolean(load_default=None, allow_none=True, metadata={
        "description": "Si el peticionario ve el archivo (solo lo elige el equipo de servicio; interno si "
                       "no se indica). Los archivos del peticionario siempre son visibles para él."})
