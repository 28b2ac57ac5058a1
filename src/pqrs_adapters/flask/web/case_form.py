"""The filing form a requester fills in themselves: on the public site (no account, channel
``web_form``) and in the customers' portal (channel ``portal``, identity prefilled). One form, one
reading of it, one way of filing it.

What it asks (CPACA art. 16, as set by Ley 1755 de 2015): the kind, the subject and the description,
the requester's name, identity document and where to answer them, the attachments, and the consent to
the processing of their personal data (Ley 1581 de 2012 art. 9, see ``consent.py``). A person may file
without identifying themselves only for the kinds where that makes sense (a denuncia, a suggestion, a
compliment); without contact data no answer can be sent to them, and the form says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from flask import flash
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage, MultiDict

from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import CatalogEntry
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.errors import DomainError, ValidationError
from pqrs_core.domain.fields import FieldDefinition, FieldType
from pqrs_core.domain.values import (
    MAX_DESCRIPTION,
    MAX_SHORT_TEXT,
    MAX_SUBJECT,
    Actor,
    Requester,
    RequesterKind,
)

from ...presentation import error_message, first_upper
from . import abuse, uploads
from . import characterisation as charact
from .common import catalog, form_text, now, pqrs
from .consent import notice
from .filing_form import field_value, typed_field
from .requester_lookup import directories

# Kinds a person may file without saying who they are (Ley 1474 de 2011 art. 76 asks for a space for
# denuncias; an anonymous suggestion or compliment needs no answer).
ANONYMOUS_KINDS = ("denuncia", "sugerencia", "felicitacion")
# A tutela reaches the organisation from a court (Decreto 2591 de 1991) and staff record it: it is never
# filed through these forms.
NOT_FILED_BY_REQUESTERS = frozenset({"tutela"})
TEXT_LIMITS = {"tipo": 64, "asunto": MAX_SUBJECT, "descripcion": MAX_DESCRIPTION, "nombre": MAX_SHORT_TEXT,
               "tipo_documento": 16, "numero_documento": 30, "correo": 254, "telefono": 30,
               "direccion": MAX_SHORT_TEXT}
IDENTITY_FIELDS = {"full_name": "nombre", "document_type": "tipo_documento",
                   "document_number": "numero_documento", "email": "correo", "phone": "telefono",
                   "address": "direccion"}
# Where the core's field errors go on the form.
CORE_FIELDS = {"kind": "tipo", "subject": "asunto", "description": "descripcion",
               **{f"requester.{name}": field for name, field in IDENTITY_FIELDS.items()}}
FORM_ERROR = "formulario"  # errors of no particular field: linked to the form itself
CUSTOM_PREFIX = "custom_fields."  # a custom field's input: its code after this (the core's error key)


@attrs.define
class FilingForm:
    """What was typed (``values``: every field as text), the errors per field, and the files."""

    values: dict[str, str]
    errors: dict[str, str] = attrs.field(factory=dict)
    uploads: list[uploads.Upload] = attrs.field(factory=list)
    files_chosen: bool = False  # the browser does not send them again: the person must choose them again
    characterisation: charact.Answers = attrs.field(factory=charact.blank)

    @property
    def anonymous(self) -> bool:
        return self.values.get("anonimo") == "1"


def filing_kinds() -> list[CatalogEntry]:
    """The kinds a requester may file themselves: the active ones, whatever workflow they follow (the
    form asks for the custom fields of the chosen kind, such as the invoice a credit note needs),
    except those in ``NOT_FILED_BY_REQUESTERS``."""
    return [e for e in catalog().entries("kinds") if e.active and e.code not in NOT_FILED_BY_REQUESTERS]


def custom_key(definition: FieldDefinition) -> str:
    return CUSTOM_PREFIX + definition.code


def public_fields() -> list[FieldDefinition]:
    """The active custom fields the requester sees and fills in."""
    return [d for d in catalog().fields if d.active and d.public]


def blank(identity: Requester | None = None) -> FilingForm:
    """An empty form, with ``identity``'s data filled in (the portal)."""
    values = dict.fromkeys(TEXT_LIMITS, "")
    values.update(anonimo="", autorizacion="")
    if identity is not None:
        for name, field in IDENTITY_FIELDS.items():
            values[field] = getattr(identity, name) or ""
    return FilingForm(values)


def _sentence(message: str) -> str:
    text = message.strip()
    text = first_upper(text)
    return text if text.endswith((".", "?", "!")) else text + "."


def _document_number(raw: str) -> str:
    """As the core expects it: no dots or spaces ("80.123.456" is 80123456), capitals."""
    return raw.replace(".", "").replace(" ", "").upper()


def read(form: Mapping[str, Any], files: MultiDict[str, FileStorage], *,
         identity: Requester | None = None) -> FilingForm:
    """Read and check the form. ``identity`` is the portal user's requester (who cannot be anonymous)."""
    values = {name: form_text(form, name, limit) for name, limit in TEXT_LIMITS.items()}
    values["anonimo"] = "1" if identity is None and form.get("anonimo") else ""
    values["autorizacion"] = "1" if form.get("autorizacion") else ""
    result = FilingForm(values)
    errors = result.errors
    result.characterisation, characterisation_errors = charact.read(form)
    errors.update(characterisation_errors)
    kind = values["tipo"]
    if not kind:
        errors["tipo"] = _("Elija el tipo de solicitud.")
    elif kind not in {e.code for e in filing_kinds()}:
        errors["tipo"] = _("Elija un tipo de solicitud de la lista.")
    if not values["asunto"]:
        errors["asunto"] = _("Escriba el asunto de su solicitud.")
    if not values["descripcion"]:
        errors["descripcion"] = _("Describa su solicitud.")
    if result.anonymous:
        if kind and kind not in ANONYMOUS_KINDS:
            errors["anonimo"] = _("Solo se pueden presentar de forma anónima denuncias, sugerencias y "
                                  "felicitaciones. Para este tipo de solicitud escriba sus datos.")
    else:
        if not values["nombre"]:
            errors["nombre"] = _("Escriba su nombre completo.")
        if not values["tipo_documento"]:
            errors["tipo_documento"] = _("Elija el tipo de documento.")
        if not values["numero_documento"]:
            errors["numero_documento"] = _("Escriba su número de documento.")
        if not values["correo"] and not values["direccion"]:
            errors["correo"] = _("Escriba un correo electrónico (o una dirección) para enviarle la "
                                 "respuesta.")
    the_requester = requester(result, identity)
    if not values["autorizacion"] and the_requester.gives_personal_data:
        # Ley 1581 de 2012 art. 9: no processing of personal data without the holder's prior authorisation;
        # an anonymous filing that gives no personal data needs none.
        errors["autorizacion"] = _("Para radicar debe autorizar el tratamiento de sus datos personales.")
    # A control character (a NUL, a line break in a name) is refused by the core with the field named,
    # never cleaned silently here: the person is at the form to correct it, keeps what they typed, and
    # the petition is filed as they meant it (the API refuses the same way).
    document_types = catalog().active_codes("document_types")
    for core_field, message in the_requester.problems(document_types).items():
        field = CORE_FIELDS.get(f"requester.{core_field}")
        if field is not None:
            errors.setdefault(field, _sentence(message))
    for definition in public_fields():
        key = custom_key(definition)
        if definition.type is FieldType.BOOLEAN:
            values[key] = "1" if form.get(key) else ""
        else:
            values[key] = typed_field(form, key, definition)
    result.files_chosen = any(f.filename for f in files.getlist(uploads.FILE_FIELD))
    result.uploads, file_error = uploads.read_uploads(files)
    if file_error:
        errors[uploads.FILE_FIELD] = file_error
    return result


def requester(form: FilingForm, identity: Requester | None = None) -> Requester:
    """The requester the form describes: anonymous (only the contact data, if any), the portal user
    (their customer and user data kept), or a person."""
    v = form.values

    def given(field: str) -> str | None:
        return v[field] or None

    document = _document_number(v["numero_documento"]) or None
    if form.anonymous:
        return Requester(kind=RequesterKind.ANONYMOUS, email=given("correo"), phone=given("telefono"))
    data: dict[str, Any] = {
        "full_name": given("nombre"), "document_type": given("tipo_documento"), "document_number": document,
        "email": given("correo"), "phone": given("telefono"), "address": given("direccion")}
    if identity is not None:
        return attrs.evolve(identity, **data)
    return Requester(kind=RequesterKind.PERSON, **data)


def file(form: FilingForm, *, channel: str, actor: Actor, identity: Requester | None = None,
         sender: str | None = None) -> Case | None:
    """File the case the form describes (with its consent and files) as ``actor`` (its files counted
    for ``sender``, see ``AddAttachment``); a person whose document number a customer directory knows
    is filed as that customer; ``None`` with the form's ``errors`` filled in when the core
    refuses it (nothing is written then)."""
    v = form.values
    custom = {d.code: (v.get(custom_key(d)) == "1" if d.type is FieldType.BOOLEAN
                       else field_value(d, v.get(custom_key(d), "")))
              for d in public_fields() if d.applies_to(v["tipo"])}
    command = FileCase(kind=v["tipo"], subject=v["asunto"], description=v["descripcion"],
                       requester=directories().link(requester(form, identity)), entry_channel=channel,
                       custom_fields={code: value for code, value in custom.items() if value is not None},
                       consent=notice().consent(now(), channel) if v["autorizacion"] else None)
    try:
        case: Case = pqrs().handle(command, actor)
    except ValidationError as exc:
        for core_field, message in exc.errors.items():
            place = core_field if core_field.startswith(CUSTOM_PREFIX) else FORM_ERROR
            form.errors.setdefault(CORE_FIELDS.get(core_field, place), _sentence(message))
        return None
    except DomainError as exc:
        form.errors[FORM_ERROR] = error_message(exc)
        return None
    charact.keep(case, form.characterisation, channel)
    case, failed = uploads.attach(case, form.uploads, actor, sender)
    if failed:
        flash(_("El caso quedó radicado, pero estos archivos no se pudieron adjuntar: %(files)s",
                files="; ".join(failed)), "warning")
    return case


def context(form: FilingForm, *, public: bool, form_token: str | None = None) -> dict[str, Any]:
    """What the form's template needs besides the values and errors; on the public form, the signed
    timestamp ``form_token`` (a new one when not given)."""
    kinds = [(e.code, e.label) for e in filing_kinds()]
    return {
        "form": form.values, "errors": form.errors, "public": public,
        "kinds": kinds,
        "kind_labels": {e.code: e.label for e in catalog().kinds},
        "custom_checked": lambda name: form.values.get(name) == "1",
        "document_types": [(e.code, e.label) for e in catalog().entries("document_types") if e.active],
        "notice": notice(), "max_files": uploads.MAX_FILES, "max_file_mb": uploads.max_file_mb(),
        "allowed_types": uploads.allowed_types(), "accept": uploads.accept_attribute(),
        "files_lost": bool(form.errors) and form.files_chosen,
        "form_token": (form_token or abuse.form_token()) if public else None,
        "honeypot_field": abuse.HONEYPOT_FIELD, "token_field": abuse.TOKEN_FIELD,
        "custom_fields": public_fields(),
        **charact.context(form.characterisation),
    }
