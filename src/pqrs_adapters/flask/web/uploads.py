"""Files sent with a form of the public pages or the portal (several, in the ``adjuntos`` field).

Each file gets the HTTP API's checks (``pqrs_adapters.flask.uploads.read_upload``: size and type
limits from the settings, a clean name); the whole request body is limited before it is parsed.
Flask-WTF's global CSRF check would parse the body first, without that limit, so the views that take
files are exempted from it (``exempt_from_global_csrf``) and check the token themselves right after
setting the limit (``takes_files``): their forms are protected exactly like every other one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, current_app, render_template, request
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from pqrs_core.domain.case import Case
from pqrs_core.domain.commands import AddAttachment
from pqrs_core.domain.errors import DomainError
from pqrs_core.domain.values import Actor

from ...presentation import error_message
from ..uploads import MULTIPART_MARGIN, Upload, UploadRefused, allowed_kinds, read_upload

__all__ = ["FILE_FIELD", "MAX_FILES", "Upload", "attach", "read_uploads", "takes_files"]
from .common import pqrs

F = TypeVar("F", bound=Callable[..., Any])
FILE_FIELD = "adjuntos"
MAX_FILES = 5


def max_file_mb() -> int:
    return pqrs().deps.settings.max_attachment_bytes // (1024 * 1024)


def allowed_types() -> str:
    """The allowed kinds of file in words: «PDF, documentos de Word, … y imágenes PNG»."""
    return allowed_kinds(pqrs().deps.settings.attachment_types)


def accept_attribute() -> str:
    """The ``accept`` attribute of the file input: the allowed types."""
    return ",".join(sorted(pqrs().deps.settings.attachment_types))


def body_limit() -> int:
    margin = MULTIPART_MARGIN
    return MAX_FILES * (pqrs().deps.settings.max_attachment_bytes + margin) + margin


def takes_files(view: F) -> F:
    """A view whose POST form may carry files: the body is parsed with a size limit, then the CSRF
    token is checked (register the view with ``exempt_from_global_csrf`` too)."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.method == "POST":
            request.max_content_length = body_limit()
            if current_app.config.get("WTF_CSRF_ENABLED", True):
                current_app.extensions["csrf"].protect()
        return view(*args, **kwargs)
    return cast(F, wrapper)


def exempt_from_global_csrf(bp: Blueprint, *views: Callable[..., Any]) -> None:
    """Leave ``views`` (decorated with ``takes_files``) out of the global CSRF check, which would read
    their bodies before the size limit is set; ``takes_files`` checks the token instead."""
    def setup(state: BlueprintSetupState) -> None:
        for view in views:
            state.app.extensions["csrf"].exempt(view)

    bp.record_once(setup)
    bp.register_error_handler(RequestEntityTooLarge, _too_large)


def _too_large(_exc: RequestEntityTooLarge) -> tuple[str, int]:
    message = _("Lo que envió supera el tamaño permitido: hasta %(n)d archivos de %(mb)d MB cada uno. "
                "Vuelva atrás y envíe el formulario con menos archivos o con archivos más pequeños.",
                n=MAX_FILES, mb=max_file_mb())
    return render_template("error.html", code=413, message=message), 413


def read_uploads(files: MultiDict[str, FileStorage]) -> tuple[list[Upload], str | None]:
    """The files of the ``adjuntos`` field, and the error to show on that field (or ``None``)."""
    chosen = [f for f in files.getlist(FILE_FIELD) if f.filename]
    if len(chosen) > MAX_FILES:
        return [], _("Puede adjuntar hasta %(n)d archivos.", n=MAX_FILES)
    uploads: list[Upload] = []
    problems: list[str] = []
    for item in chosen:
        name = (item.filename or "")[:80]
        try:
            upload = read_upload(item, pqrs().deps.settings)
        except UploadRefused as exc:
            if exc.kind == "payload-too-large":
                problems.append(_("«%(f)s» supera el tamaño máximo de %(mb)d MB.", f=name, mb=max_file_mb()))
            else:
                problems.append(_("«%(f)s» no es de un tipo permitido (se admiten: %(types)s).", f=name,
                                  types=allowed_types()))
            continue
        if not upload.content:
            problems.append(_("«%(f)s» está vacío.", f=name))
            continue
        uploads.append(upload)
    return uploads, " ".join(problems) or None


def attach(case: Case, uploads: Iterable[Upload], actor: Actor,
           sender: str | None = None) -> tuple[Case, list[str]]:
    """Attach ``uploads`` to ``case`` as ``actor`` (counted for ``sender``, see ``AddAttachment``); the
    case as it ends up and the files that could not be attached, each with the reason."""
    failed: list[str] = []
    for upload in uploads:
        try:
            command = AddAttachment(filing_number=str(case.filing_number), filename=upload.filename,
                                    content_type=upload.content_type, content=upload.content,
                                    sender=sender)
            case = pqrs().handle(command, actor)
        except DomainError as exc:
            failed.append(f"{upload.filename}: {error_message(exc)}")
    return case, failed
