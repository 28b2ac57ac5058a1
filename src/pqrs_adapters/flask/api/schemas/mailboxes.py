"""Schemas of the mailboxes (``/mailboxes``): what the API returns, and what it takes to create or
change one. ``credential`` is write-only: a reference (``env:PQRS_IMAP_NAME`` or ``file:/path``), never the
password, and never returned (``has_credential`` says whether one is set)."""

from __future__ import annotations

from marshmallow import fields

from .common import ApiSchema, code, text

MAX_SETTING = 300
_IMAP_URL = ("imaps://servidor:993/INBOX (TLS) o imap://servidor:143/INBOX?starttls=1 (STARTTLS); null "
             "si el buzón solo recibe por SMTP/LMTP")
_CREDENTIAL = ("Referencia de la contraseña, nunca la contraseña: env:PQRS_IMAP_NOMBRE (variable de entorno "
               "que empieza por PQRS_IMAP_) o file:/ruta (archivo secreto dentro de PQRS_MAIL_SECRETS_DIR). "
               "Solo escritura.")


class MailboxSchema(ApiSchema):
    id = fields.Integer(required=True)
    address = fields.String(required=True)
    imap_url = fields.String(required=True, allow_none=True, metadata={"description": _IMAP_URL})
    username = fields.String(required=True, allow_none=True)
    has_credential = fields.Boolean(required=True)
    kind = fields.String(required=True, allow_none=True)
    queue = fields.String(required=True, allow_none=True)
    typification = fields.String(required=True, allow_none=True)
    enabled = fields.Boolean(required=True)
    processed_folder = fields.String(required=True, allow_none=True)
    processed_keyword = fields.String(required=True, allow_none=True)
    uidvalidity = fields.Integer(required=True, allow_none=True)
    last_uid = fields.Integer(required=True, allow_none=True)
    last_fetch_at = fields.DateTime(required=True, allow_none=True)
    last_error = fields.String(required=True, allow_none=True)


class MailboxListSchema(ApiSchema):
    items = fields.List(fields.Nested(MailboxSchema), required=True)


def _setting(description: str = "") -> fields.String:
    return text(MAX_SETTING, metadata={"description": description} if description else {})


class MailboxPatchSchema(ApiSchema):
    """Every field optional: what is sent is changed, the rest is kept."""

    address = text(MAX_SETTING, allow_none=False)
    imap_url = _setting(_IMAP_URL)
    username = _setting()
    credential = _setting(_CREDENTIAL)
    kind = code()
    queue = code()
    typification = code()
    enabled = fields.Boolean()
    processed_folder = _setting("Carpeta a la que se mueve el correo procesado; null para marcarlo")
    processed_keyword = _setting("Marca del correo procesado si no se mueve (\\Seen por defecto)")


class MailboxCreateSchema(MailboxPatchSchema):
    address = text(MAX_SETTING, required=True, allow_none=False)


class ConnectionCheckSchema(ApiSchema):
    ok = fields.Boolean(required=True)
    message = fields.String(required=True, metadata={"description": "El resultado, en español"})
