"""Schemas of a case: what a client sends to file or edit one, and the case as the API returns it."""

from __future__ import annotations

from marshmallow import fields, validate

from pqrs_core.domain.values import (
    MAX_CODE,
    MAX_DESCRIPTION,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    MAX_SUBJECT,
    ReferenceKind,
    RequesterKind,
)
from pqrs_core.domain.workflow import StateCategory

from .characterisation import CharacterisationSchema
from .common import ApiSchema, check_year, choice, code, required_text, text, text_list, version_field
from .delivery import NotificationSchema
from .internal_requests import InternalRequestSchema
from .items import ItemSchema, item_list
from .terms import DeadlinesSchema
from .third_party import ThirdPartySchema


class RequesterSchema(ApiSchema):
    """The requester (peticionario): a customer of the ERP, a lead, a person or anonymous."""

    kind = choice([k.value for k in RequesterKind], load_default=RequesterKind.PERSON.value,
                  dump_default=RequesterKind.PERSON.value)
    customer_id = text()
    branch = text()
    lead_id = text()
    full_name = text()
    document_type = code(metadata={"description": "CC, CE, TI, PA, NIT, PEP, PPT (catálogo)"})
    document_number = text(20)
    address = text()
    email = text(254)
    phone = text(30)
    user = text(metadata={"description": "Usuario del portal que es el peticionario"})


class ReferenceSchema(ApiSchema):
    """An invoice, order or purchase order involved in the case."""

    kind = choice([k.value for k in ReferenceKind], required=True)
    number = required_text(MAX_CODE)


class ConsentSchema(ApiSchema):
    """The requester's authorisation to process their personal data (Ley 1581 de 2012 art. 9; proof kept
    under art. 17 b): which notice they accepted, when, and through which channel."""

    given_at = fields.AwareDateTime(format="iso", required=True, validate=check_year, metadata={
        "description": "Instante, con zona horaria, en que la persona aceptó el aviso"})
    notice_version = required_text(MAX_CODE, metadata={"description": "Versión del aviso de privacidad"})
    notice_digest = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9a-f]{64}$", error="debe ser el SHA-256 del texto exacto del aviso, en 64 caracteres "
                                 "hexadecimales en minúscula"),
        metadata={"description": "SHA-256 del texto exacto del aviso que se mostró"})
    channel = code(metadata={"description": "Canal por el que se dio la autorización (por omisión, el del "
                                            "caso)"})


class FileCaseSchema(ApiSchema):
    """Filing (radicar) a case. Only ``kind``, ``subject`` and ``description`` are required."""

    kind = code(required=True, metadata={"description": "Código del tipo: peticion, queja, reclamo..."})
    subject = required_text(MAX_SUBJECT)
    description = required_text(MAX_DESCRIPTION)
    requester = fields.Nested(RequesterSchema, load_default=None, allow_none=True)
    channel = code(metadata={"description": "Canal por el que llegó el caso. Solo lo indica el personal de "
                                            "servicio (si no lo indica, «api»); quien radica por sí mismo "
                                            "radica por el canal «api»"})
    reason = code()
    typification = code(metadata={"description": "Código de un nodo del árbol de tipificación"})
    priority = code(metadata={"description": "Solo la asigna el personal de servicio"})
    important = fields.Boolean(allow_none=True, load_default=None, metadata={
        "description": "Con «urgent», deriva la prioridad (matriz de Eisenhower; solo personal de servicio)"})
    urgent = fields.Boolean(allow_none=True, load_default=None)
    queue = code()
    assignee = text()
    non_crm_contact = text(MAX_LONG_TEXT)
    external_source = text(MAX_SHORT_TEXT, metadata={
        "description": "Sistema que radicó primero el documento (p. ej. el gestor documental «Orfeo»), con "
                       "«external_number»"})
    external_number = text(MAX_SHORT_TEXT, metadata={
        "description": "Número que ese sistema le dio al documento: único por sistema (repetido: 422)"})
    references = fields.List(fields.Nested(ReferenceSchema), load_default=list,
                             validate=validate.Length(max=50, error="admite como máximo 50 referencias"))
    custom_fields = fields.Dict(keys=fields.String(validate=validate.Length(max=MAX_CODE)),
                                values=fields.Raw(allow_none=True), load_default=dict)
    received_at = fields.AwareDateTime(format="iso", allow_none=True, load_default=None, validate=check_year,
                                       metadata={
        "description": "Instante de recepción con zona horaria, si precede a la radicación (solo personal "
                       "de servicio)"})
    received_by = text(metadata={"description": "Quién recibió el caso (solo personal de servicio)"})
    verbal = fields.Boolean(load_default=False, metadata={
        "description": "Petición verbal (solo personal de servicio)"})
    missing_information = text_list(load_default=list)
    resolved_at_first_contact = fields.Boolean(load_default=False)
    solution = text(MAX_LONG_TEXT)
    consent = fields.Nested(ConsentSchema, load_default=None, allow_none=True, metadata={
        "description": "La autorización de tratamiento de datos personales que la persona dio (Ley 1581 de "
                       "2012), si el cliente la recogió"})
    characterisation = fields.Nested(CharacterisationSchema, load_default=None, allow_none=True, metadata={
        "description": "Caracterización opcional del peticionario, con su autorización; se guarda aparte del "
                       "caso y solo aparece agregada en los reportes"})
    items = item_list(load_default=list, metadata={
        "description": "Líneas de factura involucradas (ítems y facturas involucradas)"})


class ChangeFieldsSchema(ApiSchema):
    """The editable fields of a case; send only those that change (plus ``version``)."""

    subject = text(MAX_SUBJECT, allow_none=False)
    description = text(MAX_DESCRIPTION, allow_none=False)
    non_crm_contact = text(MAX_LONG_TEXT)
    solution = text(MAX_LONG_TEXT)
    received_by = text(MAX_SHORT_TEXT)
    kind = code(allow_none=False)
    reason = code()
    channel = code()
    priority = code()
    requester = fields.Nested(RequesterSchema)
    references = fields.List(fields.Nested(ReferenceSchema),
                             validate=validate.Length(max=50, error="admite como máximo 50 referencias"))
    custom_fields = fields.Dict(keys=fields.String(validate=validate.Length(max=MAX_CODE)),
                                values=fields.Raw(allow_none=True))
    missing_information = text_list()
    verbal = fields.Boolean()
    version = version_field()


# ----------------------------------------------------------------------------------------- output
class TypificationSchema(ApiSchema):
    code = fields.String(required=True)
    version = fields.Integer(required=True)
    label = fields.String(required=True)
    path = fields.List(fields.String(), required=True, metadata={"description": "Etiquetas desde la raíz"})
    path_codes = fields.List(fields.String(), required=True)


class AttachmentSchema(ApiSchema):
    id = fields.String(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    public = fields.Boolean(required=True, metadata={
        "description": "Si el peticionario lo ve (falso: interno, solo el equipo de servicio)"})
    url = fields.String(required=True, metadata={"description": "Ruta de descarga"})


class CaseSchema(ApiSchema):
    """A case as the API returns it."""

    filing_number = fields.String(required=True, metadata={"example": "PQRS-2026-000123"})
    kind = fields.String(required=True)
    subject = fields.String(required=True)
    description = fields.String(required=True)
    workflow = fields.String(required=True)
    workflow_version = fields.Integer(required=True, metadata={
        "description": "La versión del flujo con la que se radicó: el caso la sigue"})
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    state_category = fields.String(required=True, validate=validate.OneOf([c.value for c in StateCategory]))
    requester = fields.Nested(RequesterSchema, required=True)
    channel = fields.String(required=True, allow_none=True)
    reason = fields.String(required=True, allow_none=True)
    typification = fields.Nested(TypificationSchema, required=True, allow_none=True)
    priority = fields.String(required=True, allow_none=True)
    queue = fields.String(required=True, allow_none=True)
    assignee = fields.String(required=True, allow_none=True)
    filed_by = fields.String(required=True)
    front_line_agent = fields.String(required=True, allow_none=True)
    non_crm_contact = fields.String(required=True, allow_none=True)
    external_source = fields.String(required=True, allow_none=True)
    external_number = fields.String(required=True, allow_none=True)
    references = fields.List(fields.Nested(ReferenceSchema), required=True)
    solution = fields.String(required=True, allow_none=True)
    custom_fields = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)
    tags = fields.List(fields.String(), required=True,
                       metadata={"description": "Etiquetas del caso, en orden"})
    items = fields.List(fields.Nested(ItemSchema), required=True, metadata={
        "description": "Líneas de factura involucradas, con lo que dijo el ERP al verificarlas"})
    missing_information = fields.List(fields.String(), required=True)
    received_at = fields.DateTime(required=True)
    received_by = fields.String(required=True, allow_none=True)
    verbal = fields.Boolean(required=True)
    first_contact_resolution = fields.Boolean(required=True)
    consent = fields.Nested(ConsentSchema, required=True, allow_none=True, metadata={
        "description": "La autorización de tratamiento de datos personales registrada al radicar, o null"})
    attachments = fields.List(fields.Nested(AttachmentSchema), required=True)
    filed_at = fields.DateTime(required=True)
    responded_at = fields.DateTime(required=True, allow_none=True)
    closed_at = fields.DateTime(required=True, allow_none=True)
    voided_at = fields.DateTime(allow_none=True, metadata={
        "description": "Cuándo se anuló (solo en «include_voided=true»: los demás casos no están anulados)"})
    updated_at = fields.DateTime(required=True)
    version = fields.Integer(required=True, metadata={"description": "También en el encabezado ETag"})
    deadlines = fields.Nested(DeadlinesSchema, required=True, allow_none=True, metadata={
        "description": "Vencimientos y estado del término (null si ninguna política de términos aplica)"})
    allowed_transitions = fields.List(fields.String(), required=True, metadata={
        "description": "Transiciones que quien consulta puede intentar desde el estado actual"})
    third_party = fields.Nested(ThirdPartySchema, required=False, allow_none=True, metadata={
        "description": "El tercero que tiene el caso («con tercero»); null si ninguno. Solo para el "
                       "equipo de servicio: no aparece para el peticionario"})
    internal_requests = fields.List(fields.Nested(InternalRequestSchema), required=False, metadata={
        "description": "Solicitudes internas a otras áreas, con su estado (solo para el equipo de servicio)"})
    notification = fields.Nested(NotificationSchema, required=False, metadata={
        "description": "Cómo y cuándo se notificó la respuesta y si fue dentro del término (solo para el "
                       "equipo de servicio)"})


class CasePageSchema(ApiSchema):
    items = fields.List(fields.Nested(CaseSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True, metadata={
        "description": "Valor de «cursor» para la página siguiente; null en la última"})
