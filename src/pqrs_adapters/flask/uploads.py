"""Attachments over HTTP, the same for the JSON API and the web pages: an uploaded file checked against
the size and type limits, and a stored attachment sent back as a download.

The name a client gives is kept as data (cleaned) and never used as a path.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

import attrs
from flask import Response, current_app
from werkzeug.datastructures import FileStorage

from pqrs_core.domain.attachments import visible_attachments
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import NotFound
from pqrs_core.domain.values import MAX_SHORT_TEXT
from pqrs_core.ports import FileStore
from pqrs_core.settings import Settings

from ..files import ManagedFileStore

# What a person calls each kind of file (a MIME type means nothing to most people).
FILE_KINDS = {
    "application/pdf": "PDF",
    "application/msword": "documentos de Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "documentos de Word",
    "application/vnd.ms-excel": "hojas de cálculo de Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "hojas de cálculo de Excel",
    "image/png": "imágenes PNG",
    "image/jpeg": "imágenes JPEG",
    "image/gif": "imágenes GIF",
    "text/plain": "archivos de texto",
    "text/csv": "archivos CSV",
    "message/rfc822": "correos guardados (.eml)",
}
# Room for the multipart envelope around the file.
MULTIPART_MARGIN = 64 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()-]+")


class UploadRefused(Exception):
    """The file breaks a limit: ``kind`` is ``payload-too-large`` or ``unsupported-media-type``;
    ``message`` says why in Spanish."""

    def __init__(self, kind: str, message: str, field_error: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.field_error = field_error


@attrs.frozen
class Upload:
    filename: str
    content_type: str
    content: bytes


def clean_filename(raw: str | None) -> str:
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


def content_type_of(upload: FileStorage, filename: str) -> str:
    """The declared type, or the one the name suggests when the client declared none."""
    declared = (upload.mimetype or "").lower()
    if declared in ("", "application/octet-stream"):
        guessed, _ = mimetypes.guess_type(filename)
        return guessed or "application/octet-stream"
    return declared


def file_kind(content_type: str, filename: str = "") -> str:
    """What a person calls a file of ``content_type``: «documentos de Word»; for a type without a name,
    the file's extension («archivos .exe») or, failing that, «este tipo de archivo»."""
    if content_type in FILE_KINDS:
        return FILE_KINDS[content_type]
    stem, dot, extension = filename.rpartition(".")
    if dot and stem and extension.isalnum() and len(extension) <= 10:
        return f"archivos .{extension.lower()}"
    return "este tipo de archivo"


def allowed_kinds(content_types: Iterable[str]) -> str:
    """The kinds of file a person may send, in words: «PDF, documentos de Word, … y archivos CSV»."""
    names = list(dict.fromkeys(sorted((file_kind(t) for t in content_types), key=str.casefold)))
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " y " + names[-1]


def read_upload(upload: FileStorage, settings: Settings) -> Upload:
    """The file's name, type and bytes, read no further than the size limit; ``UploadRefused`` when
    it is too large or of a type that is not allowed. (An empty file is left to the use case.)"""
    limit = settings.max_attachment_bytes
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused("payload-too-large",
                            f"El archivo supera el tamaño máximo de {limit // (1024 * 1024)} MB.",
                            "el archivo es muy grande")
    filename = clean_filename(upload.filename)
    content_type = content_type_of(upload, filename)
    if content_type not in settings.attachment_types:
        kind = file_kind(content_type, filename)
        refused = "este tipo de archivo no está permitido" if kind == "este tipo de archivo" else \
            f"no se permiten {kind}"
        allowed = allowed_kinds(settings.attachment_types)
        raise UploadRefused("unsupported-media-type",
                            f"«{filename}»: {refused}. Se permiten {allowed}.",
                            f"{refused}; se permiten {allowed}")
    return Upload(filename, content_type, content)


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 5987 form."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = _UNSAFE.sub("_", ascii_name).strip("._ ") or "archivo"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_download(case: Case, attachment_id: str, files: FileStore | None,
                        permissions: Iterable[str]) -> Response:
    """The attachment ``attachment_id`` of ``case`` (which the caller may see) as a download that a
    browser never renders in the page; ``NotFound`` when the case has no such attachment or it is
    internal and the caller, with ``permissions``, is not of the service team (the same answer)."""
    info = next((a for a in visible_attachments(case, permissions) if a.id == attachment_id), None)
    if info is None:
        raise NotFound("el adjunto", attachment_id[:80])
    if files is None:
        raise NotFound("el archivo", info.id)
    if isinstance(files, ManagedFileStore):  # a piece at a time: a large file is never whole in memory
        response = current_app.response_class(files.stream(info.storage_key), status=200,
                                              mimetype=info.content_type)
        response.headers["Content-Length"] = str(info.size)
    else:
        response = current_app.response_class(files.get(info.storage_key), status=200,
                                              mimetype=info.content_type)
    response.headers["Content-Disposition"] = content_disposition(info.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["ETag"] = f'"{info.sha256}"'
    return response
