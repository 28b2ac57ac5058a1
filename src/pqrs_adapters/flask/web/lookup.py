"""``/consultar``: the requester looks their case up with its filing number and their document number,
and reads its state, filing date, deadline and the messages exchanged with them.

A wrong pair reveals nothing: the same answer whether the case exists or not (and about the same work
to give it), and failed attempts are limited per client address (``abuse.py``), so filing numbers,
which are sequential, cannot be tried one after another against a document. The form is sent by POST
so that the document number stays out of addresses, browser history and server logs.

The official letters of the case (oficios, PDF) are offered for download through signed addresses
(``/consultar/oficios/<token>``): the token names the case and the letter, is signed with the
application's secret key and expires after ``LETTER_LINK_SECONDS``, so the document number never
travels in an address and a link cannot be forged for another case or file.
"""

from __future__ import annotations

import hmac
import re
import secrets

from flask import current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer

from pqrs_core.domain import events as ev
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import NotFound, ValidationError
from pqrs_core.domain.values import FilingNumber

from ..uploads import attachment_download
from . import abuse
from .common import form_text, labels, pqrs
from .public_view import PublicLetter, public_case

LETTER_LINK_SECONDS = 2 * 3600

_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]")


def _document_key(value: str) -> str:
    """A document number compared without dots, spaces, hyphens or case ("80.123.456" = "80123456")."""
    return _NOT_ALPHANUMERIC.sub("", value.upper())


def _matching_case(filing_number: str, document: str) -> Case | None:
    """The case if ``document`` is its requester's; ``None`` otherwise, after the same work either way."""
    try:
        case: Case | None = pqrs().case(filing_number)
    except NotFound:
        case = None
    stored = _document_key(case.requester.document_number or "") if case is not None else ""
    expected = stored or secrets.token_hex(8)  # a case without a document never matches
    given = _document_key(document)
    same = hmac.compare_digest(expected.encode(), given.encode())
    return case if same else None


def _page(values: dict[str, str], errors: dict[str, str], status: int = 200,
          **extra: object) -> tuple[str, int]:
    return render_template("public/lookup.html", form=values, errors=errors, **extra), status


def lookup() -> ResponseReturnValue:
    values = {"radicado": form_text(request.form, "radicado", 40),
              "documento": form_text(request.form, "documento", 40)}
    if request.method == "GET":
        return _page(values, {})
    bucket = abuse.LOOKUP_FAILURES
    if abuse.is_blocked(bucket):
        return _page(values, {}, 429, refused=abuse.blocked_message(bucket))
    errors: dict[str, str] = {}
    key = ""
    if not values["radicado"]:
        errors["radicado"] = _("Escriba el número de radicado.")
    else:
        try:
            key = str(FilingNumber.parse(values["radicado"]))
        except ValidationError:
            errors["radicado"] = _("Escriba el radicado como aparece en su constancia, por ejemplo "
                                   "PQRS-2026-000123.")
    if not _document_key(values["documento"]):
        errors["documento"] = _("Escriba el número de documento con el que radicó.")
    if errors:
        return _page(values, errors, 422)
    case = _matching_case(key, values["documento"])
    if case is None:
        abuse.count_attempt(bucket)
        return _page(values, {}, 404, refused=_(
            "No encontramos un caso con ese número de radicado y ese número de documento. Revise los dos "
            "datos: deben ser los mismos de la constancia de radicación."))
    names = labels()
    view = public_case(case, pqrs().history(key), names)

    def letter_url(letter: PublicLetter) -> str:
        token = _letter_links().dumps([key, letter.attachment_id])
        return url_for("public.lookup_letter", token=token)
    return _page({"radicado": str(case.filing_number), "documento": ""}, {}, result=view, labels=names,
                 letter_url=letter_url)


def _letter_links() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="pqrs.consultar.oficio")


def lookup_letter(token: str) -> ResponseReturnValue:
    """An official letter of a case looked up with its document number, through the signed address
    the lookup's answer gave; an expired or altered address, or a letter that is not (or no longer)
    public, finds nothing."""
    try:
        key, attachment_id = _letter_links().loads(token, max_age=LETTER_LINK_SECONDS)
        case = pqrs().case(str(key))
        public = {a.id for a in case.attachments if a.public}
        letters = {e.attachment.id for e in pqrs().history(str(key))
                   if isinstance(e, ev.AttachmentAdded) and e.letter is not None}
        if attachment_id not in letters & public:
            raise NotFound("el oficio", str(attachment_id)[:80])
        return attachment_download(case, str(attachment_id), pqrs().deps.files, ())
    except (BadData, ValueError, TypeError, NotFound):
        return render_template("error.html", code=404, message=_(
            "El enlace del oficio no es válido o ya venció. Consulte el caso de nuevo para "
            "descargarlo.")), 404
