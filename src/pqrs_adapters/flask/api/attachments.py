"""Attachments: upload (multipart ``file``) and download. The bytes go through the file store port;
the name a client gives is kept as data and never used as a path."""

from __future__ import annotations

from flask import Response, request, url_for
from werkzeug.datastructures import FileStorage

from pqrs_core.domain.commands import AddAttachment

from ..uploads import MULTIPART_MARGIN, UploadRefused, attachment_download, content_disposition, read_upload
from .auth import current_actor
from .inputs import etag, expected_version, filing_number
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.cases import AttachmentSchema
from .schemas.forms import AttachmentUploadSchema

__all__ = ["content_disposition", "download_attachment", "upload_attachment"]

_ATTACHMENT = AttachmentSchema()
_UPLOAD = AttachmentUploadSchema()


def _read_upload() -> tuple[FileStorage, dict[str, str]]:
    if request.mimetype != "multipart/form-data":
        raise ApiProblem("unsupported-media-type",
                         "Envíe el archivo como multipart/form-data en el campo «file».")
    limit = pqrs().deps.settings.max_attachment_bytes
    request.max_content_length = limit + MULTIPART_MARGIN
    files, form = request.files, request.form
    errors = {name: "no es un campo conocido" for name in (*files, *form)
              if name not in ("file", "version", "public")}
    if len(files.getlist("file")) > 1:
        errors["file"] = "envíe un solo archivo"
    upload = files.get("file")
    if upload is None:
        errors["file"] = "es obligatorio"
    if errors:
        raise ApiProblem("validation-error", "Revise los campos del formulario.", errors=errors)
    assert upload is not None
    return upload, {k: v for k, v in form.items()}


@api_route("/cases/<number>/attachments", "POST", Operation(
    summary="Adjuntar un archivo", tag="attachments", body=AttachmentUploadSchema,
    body_media_type="multipart/form-data", request_headers=("If-Match",),
    description="El archivo va en el campo «file»; «public» dice si el peticionario lo ve (lo elige el "
                "equipo de servicio, interno si no se indica). Tamaño máximo y tipos permitidos según la "
                "configuración (413 si el archivo es muy grande o el caso llegó a su cupo de archivos, "
                "415 si el tipo no se admite, 429 con Retry-After si la persona llegó a su cupo por hora, "
                "503 si los archivos no se pueden guardar en este momento).",
    replies={201: Reply("El archivo adjunto", AttachmentSchema, headers=("Location", "ETag"))},
    problems=(403, 409, 413, 415, 429, 503)))
def upload_attachment(number: str) -> Response:
    actor = current_actor()
    key = filing_number(number)
    upload, form = _read_upload()
    values = _UPLOAD.load({k: v for k, v in form.items() if k in ("version", "public")}, partial=("file",))
    expected = expected_version(values.get("version"))
    try:
        file = read_upload(upload, pqrs().deps.settings)
    except UploadRefused as exc:
        errors = {"file": exc.field_error} if exc.kind == "unsupported-media-type" else None
        raise ApiProblem(exc.kind, exc.message, errors=errors) from None
    case = pqrs().handle(AddAttachment(filing_number=key, filename=file.filename,
                                       content_type=file.content_type, content=file.content,
                                       public=values.get("public"), expected_version=expected), actor)
    info = case.attachments[-1]
    url = url_for("api.download_attachment", number=str(case.filing_number), attachment_id=info.id)
    body = _ATTACHMENT.dump({"id": info.id, "filename": info.filename, "content_type": info.content_type,
                             "size": info.size, "sha256": info.sha256, "public": info.public,
                             "url": url})
    return json_response(body, 201, {"Location": url, "ETag": etag(case.version)})


@api_route("/cases/<number>/attachments/<attachment_id>", "GET", Operation(
    summary="Descargar un adjunto", tag="attachments",
    replies={200: Reply("El contenido del archivo", None, media_type="application/octet-stream",
                        headers=("Content-Disposition", "ETag"))}))
def download_attachment(number: str, attachment_id: str) -> Response:
    actor = current_actor()
    case = pqrs().case(filing_number(number), actor=actor)
    return attachment_download(case, attachment_id, pqrs().deps.files, pqrs().catalog().permissions(actor))
