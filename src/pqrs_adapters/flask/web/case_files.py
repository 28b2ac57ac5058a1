"""A case's attachments on its page: upload (with the API's size and type limits) and download (only
for people who may see the case; anyone else gets the same 404 as for a case that does not exist)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import NotFound

from ...presentation import first_upper
from ..uploads import UploadRefused, attachment_download, read_upload
from .auth import login_required
from .case_view import PageAnswer, case_key, perform, render_case
from .common import actor, can, catalog, form_version, pqrs, require
from .uploads import exempt_from_global_csrf, takes_files

bp = Blueprint("adjuntos", __name__)
FIELDS = {"content": "adjunto_archivo", "content_type": "adjunto_archivo", "filename": "adjunto_archivo",
          "public": "adjunto_visibilidad"}


@bp.post("/casos/<filing_number>/adjuntos")
@login_required
@require(Permission.ATTACH)
@takes_files
def upload(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    sent = request.files.getlist("adjunto_archivo")
    if len(sent) != 1 or not sent[0].filename:
        message = _("Elija un archivo.") if not sent or not sent[0].filename else _("Envíe un solo archivo.")
        flash(message, "error")
        return render_case(key, errors={"adjunto_archivo": message}, open_form="adjuntos", status=422)
    try:
        file = read_upload(sent[0], pqrs().deps.settings)
    except UploadRefused as exc:
        flash(exc.message, "error")
        status = 413 if exc.kind == "payload-too-large" else 415
        return render_case(key, errors={"adjunto_archivo": first_upper(exc.field_error)},
                           open_form="adjuntos", status=status)
    # The service team chooses (internal unless they say otherwise); anyone else's files are public.
    public = request.form.get("adjunto_visibilidad") == "publico" if can(Permission.NOTE) else None
    command = c.AddAttachment(filing_number=key, filename=file.filename, content_type=file.content_type,
                              content=file.content, public=public,
                              expected_version=form_version(request.form))
    return perform(key, command, success=_("Archivo «%(name)s» adjuntado.", name=file.filename),
                   form_name="adjuntos", fields=FIELDS, anchor="adjuntos")


# The body is limited before it is parsed; the CSRF token is checked right after (``takes_files``).
exempt_from_global_csrf(bp, upload)


@bp.get("/casos/<filing_number>/adjuntos/<attachment_id>")
@login_required
def download(filing_number: str, attachment_id: str) -> Response:
    key = case_key(filing_number)
    try:
        case = pqrs().case(key, actor())
        return attachment_download(case, attachment_id, pqrs().deps.files, catalog().permissions(actor()))
    except NotFound:
        abort(404)
