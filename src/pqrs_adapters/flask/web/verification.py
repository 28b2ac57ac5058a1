"""``/verificar/<code>``: anyone holding a signed letter checks it is the document the organisation
issued. The page shows what the letter carries (its filing numbers, the date it was signed, who signed
it and the SHA-256 of the signed PDF) and compares an uploaded copy with it, answering only whether it
matches. A letter whose case was later voided (anulado) is shown as such, with the voiding record.

The code printed on the letter (and in its QR code) is random, not the sequential filing number, so
the page cannot be walked through case by case; unknown codes and checked copies count against a
per-address limit (``abuse.py``) and a copy may weigh at most ``MAX_COPY_BYTES``."""

from __future__ import annotations

import hashlib
import hmac
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from pqrs_core.domain.letters import spanish_date
from pqrs_core.domain.signatures import normalized_code

from ...sqlalchemy.signed_documents import SignedDocument, find_signed
from ..uploads import MULTIPART_MARGIN
from . import abuse
from .common import engine, pqrs

MAX_COPY_BYTES = 20 * 1024 * 1024
COPY_FIELD = "copia"


def _page(document: SignedDocument, status: int = 200, **extra: object) -> tuple[str, int]:
    settings = pqrs().deps.settings
    signed_at = document.signed_at.astimezone(ZoneInfo(settings.timezone))
    voided_on = (spanish_date(document.voided_at, settings.timezone)
                 if document.voided_at is not None else None)
    return render_template("public/verification.html", document=document,
                           signed_on=f"{spanish_date(document.signed_at, settings.timezone)}, "
                                     f"{signed_at:%H:%M}", voided_on=voided_on,
                           organisation=settings.organisation_name, max_mb=MAX_COPY_BYTES // (1024 * 1024),
                           **extra), status


def _not_found() -> tuple[str, int]:
    return render_template("error.html", code=404, message=_(
        "No encontramos un documento firmado con ese código de verificación. Revise el código impreso "
        "en el oficio, debajo del código QR.")), 404


def verify(code: str) -> ResponseReturnValue:
    bucket = abuse.VERIFICATIONS
    if abuse.is_blocked(bucket):
        return render_template("error.html", code=429, message=abuse.blocked_message(bucket)), 429
    document = find_signed(engine(), normalized_code(code)[:32])
    if request.method == "GET":
        if document is None:
            abuse.count_attempt(bucket)
            return _not_found()
        return _page(document)
    limit = MAX_COPY_BYTES
    request.max_content_length = limit + MULTIPART_MARGIN
    content: bytes | None = b""
    try:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            current_app.extensions["csrf"].protect()
        upload = request.files.get(COPY_FIELD)
        if upload is not None and upload.filename:
            content = upload.read(limit + 1)
    except RequestEntityTooLarge:
        content = None
    abuse.count_attempt(bucket)
    if document is None:
        return _not_found()
    if content is None or len(content) > limit:
        return _page(document, 413, errors={COPY_FIELD: _(
            "El archivo supera el tamaño máximo de %(mb)d MB.", mb=max(1, limit // (1024 * 1024)))})
    if not content:
        return _page(document, 422, errors={COPY_FIELD: _("Elija el archivo PDF que quiere comprobar.")})
    digest = hashlib.sha256(content).hexdigest()
    return _page(document, matches=hmac.compare_digest(digest, document.sha256))
