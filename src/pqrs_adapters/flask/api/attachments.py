"""Attachments: upload (multipart ``file``) and download. The bytes go through the file store port;
the name a client gives is kept as data and never used as a path."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from urllib.parse import quote

from flask import Response, current_app, request, url_for
from werkzeug.datastructures import FileStorage

from pqrs_core.domain.commands import AddAttachment
from pqrs_core.domain.errors import NotFound
from pqrs_core.domain.values import MAX_SHORT_TEXT

from .auth import current_actor
from .inputs import etag, expected_version, filing_number
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.cases import AttachmentSchema
from .schemas.forms import AttachmentUploadSchema

# Room for the multipart envelope around the file.
MULTIPART_MARGIN = 64 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()-]+")
_ATTACHMENT = AttachmentSchema()
_UPLOAD = AttachmentUploadSchema()


def _clean_filename(raw: str | None) -> str:
    """The last component of the name the client gave, without control characters, at most
    ``MAX_SHORT_TEXT`` characters (keeping the extension)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        return "archivo"
    if len(name) > MAX_SHORT_TEXT:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:20] if dot else ""
        name = (stem if dot else name)[: MAX_SHORT_TEXT - len(ext) - 1] + (f".{ext}" if ext else "")
    return name


def _content_type(upload: FileStorage, filename: str) -> str:
    declared = (upload.mimetype or "").lower()
    if declared in ("", "application/octet-stream"):
        guessed, _ = mimetypes.guess_type(filename)
        return guessed or "application/octet-stream"
    return declared


def _read_upload() -> tuple[FileStorage, dict[str, str]]:
    if request.mimetype != "multipart/form-data":
        raise ApiProblem("unsupported-media-type",
                         "Envíe el archivo como multipart/form-data en el campo «file».")
    limit = pqrs().deps.settings.max_attachment_bytes
    request.max_content_length = limit + MULTIPART_MARGIN
    files, form = request.files, request.form
    errors = {name: "no es un campo conocido" for name in (*files, *form) if name not in ("file", "version")}
    if len(files.getlist("file")) > 1:
        errors["file"] = "envíe un solo archivo"
    upload = files.get("file")
    if upload is None:
        errors["file"] = "es obligatorio"
    if errors:
        raise ApiProblem("validation-error", "Revise los campos del formulario.", errors=errors)
    assert upload is not None
    return upload, {k: v for k, v in form.items()}


def checked_file(upload: FileStorage) -> tuple[str, str, bytes]:
    """The cleaned name, the content type and the bytes of ``upload``, within the configured size and
    type limits (``ApiProblem`` "payload-too-large" or "unsupported-media-type" otherwise). The web
    forms that take files use it too."""
    settings = pqrs().deps.settings
    content = upload.stream.read(settings.max_attachment_bytes + 1)
    if len(content) > settings.max_attachment_bytes:
        raise ApiProblem("payload-too-large", "El archivo supera el tamaño máximo de "
                                              f"{settings.max_attachment_bytes // (1024 * 1024)} MB.")
    filename = _clean_filename(upload.filename)
    content_type = _content_type(upload, filename)
    if content_type not in settings.attachment_types:
        allowed = ", ".join(sorted(settings.attachment_types))
        raise ApiProblem("unsupported-media-type",
                         f"El tipo de archivo «{content_type[:80]}» no está permitido. Tipos permitidos: "
                         f"{allowed}.", errors={"file": "tipo de archivo no permitido"})
    return filename, content_type, content


@api_route("/cases/<number>/attachments", "POST", Operation(
    summary="Adjuntar un archivo", tag="adjuntos", body=AttachmentUploadSchema,
    body_media_type="multipart/form-data", request_headers=("If-Match",),
    description="El archivo va en el campo «file». Tamaño máximo y tipos permitidos según la "
                "configuración (413 si es muy grande, 415 si el tipo no se admite).",
    replies={201: Reply("El archivo adjunto", AttachmentSchema, headers=("Location", "ETag"))},
    problems=(403, 409)))
def upload_attachment(number: str) -> Response:
    actor = current_actor()
    key = filing_number(number)
    upload, form = _read_upload()
    version = _UPLOAD.load({k: v for k, v in form.items() if k == "version"}, partial=("file",))
    expected = expected_version(version.get("version"))
    filename, content_type, content = checked_file(upload)
    case = pqrs().handle(AddAttachment(filing_number=key, filename=filename, content_type=content_type,
                                       content=content, expected_version=expected), actor)
    info = case.attachments[-1]
    url = url_for("api.download_attachment", number=str(case.filing_number), attachment_id=info.id)
    body = _ATTACHMENT.dump({"id": info.id, "filename": info.filename, "content_type": info.content_type,
                             "size": info.size, "sha256": info.sha256, "url": url})
    return json_response(body, 201, {"Location": url, "ETag": etag(case.version)})


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 5987 form."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = _UNSAFE.sub("_", ascii_name).strip("._ ") or "archivo"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


@api_route("/cases/<number>/attachments/<attachment_id>", "GET", Operation(
    summary="Descargar un adjunto", tag="adjuntos",
    replies={200: Reply("El contenido del archivo", None, media_type="application/octet-stream",
                        headers=("Content-Disposition", "ETag"))}))
def download_attachment(number: str, attachment_id: str) -> Response:
    actor = current_actor()
    case = pqrs().case(filing_number(number), actor=actor)
    info = next((a for a in case.attachments if a.id == attachment_id), None)
    if info is None:
        raise NotFound("el adjunto", attachment_id[:80])
    files = pqrs().deps.files
    if files is None:
        raise NotFound("el archivo", info.id)
    content = files.get(info.storage_key)
    response = current_app.response_class(content, status=200, mimetype=info.content_type)
    response.headers["Content-Disposition"] = content_disposition(info.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["ETag"] = f'"{info.sha256}"'
    return response
