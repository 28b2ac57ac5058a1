"""The new-case form as data: what the person typed (kept as typed, to show it back), the ``FileCase``
it asks for, and the domain's errors placed on the inputs they are about.

Input names follow the command's field paths (``requester.email``, ``references.0.number``,
``custom_fields.valor``) so that the domain's ``ValidationError.errors`` land on the right input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from pqrs_core.domain.catalog import Catalog, FieldDefinition, FieldType
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.values import (
    MAX_DESCRIPTION,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    MAX_SUBJECT,
    DocumentReference,
    ReferenceKind,
    Requester,
    RequesterKind,
)
from pqrs_core.services.customers import clean_document

from ...presentation import first_upper
from .item_rows import item_title, read_rows, to_items
from .requester_lookup import REQUESTER_FIELDS

# Channels the staff form is for come first in its list; phone is preselected.
STAFF_CHANNELS = ("phone", "in_person", "physical_document")
DEFAULT_CHANNEL = "phone"
# Decreto 1166 de 2016: petitions made by voice are verbal petitions (who received them is recorded).
VERBAL_CHANNELS = frozenset({"phone", "in_person"})
MAX_REFERENCES = 50
BLANK_REFERENCE_ROWS = 2
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # <input type="datetime-local">

_TEXT_LIMITS = {"subject": MAX_SUBJECT, "description": MAX_DESCRIPTION, "solution": MAX_LONG_TEXT,
                "non_crm_contact": MAX_LONG_TEXT, "missing_information": MAX_LONG_TEXT}
_PLAIN = ("channel", "kind", "subject", "description", "typification", "reason", "priority", "received_at",
          "received_by", "missing_information", "solution", "non_crm_contact", "external_source",
          "external_number")
_CHECKS = ("verbal", "resolved_at_first_contact")
_INDEXED = re.compile(r"^(references|missing_information)\.(\d+)(?:\.(\w+))?$")


@attrs.define
class FilingForm:
    """What the form shows: ``values`` by input name (text as typed), ``checked`` checkboxes, the
    reference rows, and the errors by input id (``errors``: next to the input; ``summary``: at the
    top, each naming its field)."""

    values: dict[str, str] = attrs.field(factory=dict)
    checked: set[str] = attrs.field(factory=set)
    references: list[tuple[str, str]] = attrs.field(factory=list)
    items: list[dict[str, str]] = attrs.field(factory=list)  # the invoice lines involved (item_rows)
    errors: dict[str, str] = attrs.field(factory=dict)
    summary: dict[str, str] = attrs.field(factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def is_checked(self, name: str) -> bool:
        return name in self.checked

    def reference_rows(self) -> list[tuple[str, str]]:
        """The rows typed plus blank ones to type more (JavaScript adds rows as needed)."""
        return [*self.references, *[("invoice", "")] * BLANK_REFERENCE_ROWS][:MAX_REFERENCES]

    @property
    def requester_details_open(self) -> bool:
        """Whether the less common requester data (kind, ERP ids, contact) should show unfolded."""
        names = ("requester.customer_id", "requester.branch", "requester.lead_id", "non_crm_contact")
        return (self.get("requester.kind") not in ("", RequesterKind.PERSON.value)
                or any(self.get(n) for n in names)
                or any(n in self.errors for n in (*names, "requester.kind")))

    def add_error(self, key: str, message: str, label: str) -> None:
        text = _sentence(message)
        self.errors.setdefault(key, text)
        self.summary.setdefault(key, f"{label}: {message.rstrip('.')}." if label else text)


def _sentence(message: str) -> str:
    message = message.strip().rstrip(".")
    return (first_upper(message) + ".") if message else ""


def field_titles(catalog: Catalog) -> dict[str, str]:
    """The name people read for each input, to say which field an error is about."""
    titles = {
        "channel": _("Canal"), "kind": _("Tipo"), "subject": _("Asunto"), "description": _("Descripción"),
        "typification": _("Tipificación"), "reason": _("Motivo"), "priority": _("Prioridad"),
        "received_at": _("Recibido el"), "received_by": _("Recibido por"),
        "missing_information": _("Información faltante"), "solution": _("Solución"),
        "non_crm_contact": _("Contacto no CRM"), "verbal": _("Petición verbal"),
        "external_source": _("Radicado en el sistema"), "external_number": _("Número en ese sistema"),
        "requester.kind": _("Tipo de peticionario"), "requester.document_type": _("Tipo de documento"),
        "requester.document_number": _("Número de documento"), "requester.full_name": _("Nombre completo"),
        "requester.email": _("Correo electrónico"), "requester.phone": _("Teléfono"),
        "requester.address": _("Dirección"), "requester.customer_id": _("Código de cliente (ERP)"),
        "requester.branch": _("Sucursal"), "requester.lead_id": _("Código de cliente potencial"),
        "form_token": _("Formulario"),
    }
    for definition in catalog.fields:
        titles[f"custom_fields.{definition.code}"] = definition.label
    return titles


def initial_form(now: datetime, timezone: str) -> FilingForm:
    """A blank form: phone call, received now, a verbal petition."""
    local = now.astimezone(ZoneInfo(timezone)).strftime(LOCAL_FORMAT)
    return FilingForm(values={"channel": DEFAULT_CHANNEL, "received_at": local,
                              "requester.kind": RequesterKind.PERSON.value, "requester.document_type": "CC"},
                      checked={"verbal"})


def read_form(form: Mapping[str, Any], catalog: Catalog) -> FilingForm:
    """The form as it was sent, every value kept as typed (cut to its field's limit)."""
    def text(name: str, limit: int = MAX_SHORT_TEXT) -> str:
        value = form.get(name, "")
        return value.strip()[:limit] if isinstance(value, str) else ""

    result = FilingForm()
    for name in _PLAIN:
        result.values[name] = text(name, _TEXT_LIMITS.get(name, MAX_SHORT_TEXT))
    for name in REQUESTER_FIELDS:
        result.values[f"requester.{name}"] = text(f"requester.{name}")
    for name in _CHECKS:
        if form.get(name):
            result.checked.add(name)
    for definition in catalog.fields:
        key = f"custom_fields.{definition.code}"
        if definition.type is FieldType.BOOLEAN:
            if form.get(key):
                result.checked.add(key)
        else:
            result.values[key] = typed_field(form, key, definition)
    rows = sorted({int(m.group(2)) for key in form
                   if (m := _INDEXED.match(key)) and m.group(1) == "references"})
    for row in rows[:MAX_REFERENCES * 2]:
        number = text(f"references.{row}.number", 200)
        kind = text(f"references.{row}.kind", 40)
        if number:
            result.references.append((kind, number))
    result.items = read_rows(form)
    return result


def priority_options(catalog: Catalog) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The Eisenhower matrix (seed 003 6.3.4) as the four cells ``{value, important, urgent, label}``
    (``label`` the priority the cell derives, ``None`` when none does), and the active priorities that
    sit in no cell, as ``(value, label)`` to choose directly."""
    cells: list[dict[str, Any]] = []
    for important in (True, False):
        for urgent in (True, False):
            try:
                label: str | None = catalog.derive_priority(important, urgent).label
            except ValidationError:
                label = None
            cells.append({"value": f"matriz:{int(important)}:{int(urgent)}", "important": important,
                          "urgent": urgent, "label": label})
    others = [(f"prioridad:{p.code}", p.label) for p in sorted(catalog.priorities, key=lambda p: p.rank)
              if p.active and (p.important is None or p.urgent is None)]
    return cells, others


def channel_options(catalog: Catalog) -> list[tuple[str, str]]:
    active = [e for e in catalog.channels if e.active]
    first = [e for code in STAFF_CHANNELS for e in active if e.code == code]
    rest = sorted((e for e in active if e not in first), key=lambda e: (e.position, e.label))
    return [(e.code, e.label) for e in (*first, *rest)]


def typed_field(form: Mapping[str, Any], key: str, definition: FieldDefinition) -> str:
    """What was typed in a custom field's input, as text: a multiple choice's options one per line."""
    if definition.type is FieldType.MULTI_CHOICE:
        chosen = form.getlist(key) if isinstance(form, MultiDict) else [form.get(key, "")]
        return "\n".join(c.strip()[:MAX_SHORT_TEXT] for c in chosen if isinstance(c, str) and c.strip())
    value = form.get(key, "")
    return value.strip()[:max(definition.max_length, MAX_SHORT_TEXT)] if isinstance(value, str) else ""


def field_value(definition: FieldDefinition, text: str) -> Any:
    """A custom field's typed text as the core takes it (``None``: no value)."""
    if not text:
        return None
    if definition.type is FieldType.MULTI_CHOICE:
        return text.split("\n")
    if definition.type is FieldType.BOOLEAN:
        return {"si": True, "no": False}.get(text, text)
    return text


def custom_fields_for(catalog: Catalog) -> list[FieldDefinition]:
    return [d for d in catalog.fields if d.active]


def to_command(form: FilingForm, catalog: Catalog, timezone: str) -> FileCase | None:
    """The ``FileCase`` the form asks for, or ``None`` with ``form.errors`` set for what could not even
    be read (a date, a priority choice); everything else the domain validates."""
    titles = field_titles(catalog)
    v = form.get
    received_at: datetime | None = None
    if v("received_at"):
        try:
            received_at = datetime.strptime(v("received_at"), LOCAL_FORMAT).replace(tzinfo=ZoneInfo(timezone))
        except ValueError:
            form.add_error("received_at", "no es una fecha y hora válida (dd/mm/aaaa hh:mm)",
                           titles["received_at"])
    important: bool | None = None
    urgent: bool | None = None
    priority: str | None = None
    choice = v("priority")
    if choice.startswith("matriz:") and re.fullmatch(r"matriz:[01]:[01]", choice):
        important, urgent = choice[7] == "1", choice[9] == "1"
    elif choice.startswith("prioridad:"):
        priority = choice.removeprefix("prioridad:")
    elif choice:
        form.add_error("priority", "no es una opción válida", titles["priority"])
    kind_of_requester = v("requester.kind") or RequesterKind.PERSON.value
    if kind_of_requester not in {k.value for k in RequesterKind}:
        form.add_error("requester.kind", "no es una opción válida", titles["requester.kind"])
        kind_of_requester = RequesterKind.PERSON.value
    references: list[DocumentReference] = []
    for row, (kind, number) in enumerate(form.references):
        try:
            references.append(DocumentReference(ReferenceKind(kind), number))
        except ValueError:
            key = f"references.{row}.kind"
            form.add_error(key, "no es una opción válida", _reference_title(key) or "")
    custom: dict[str, Any] = {}
    for definition in custom_fields_for(catalog):
        if not definition.applies_to(v("kind")):
            continue
        key = f"custom_fields.{definition.code}"
        if definition.type is FieldType.BOOLEAN:
            custom[definition.code] = form.is_checked(key)
        elif v(key):
            custom[definition.code] = field_value(definition, v(key))
    items, item_errors = to_items(form.items)
    for key, message in item_errors.items():
        form.add_error(key, message, item_title(key) or "")
    if form.errors:
        return None
    data = {name: (v(f"requester.{name}") or None) for name in REQUESTER_FIELDS if name != "kind"}
    if data["document_number"]:  # people write 43.123.456 or 43 123 456
        data["document_number"] = clean_document(data["document_number"]) or data["document_number"]
    requester = Requester(kind=kind_of_requester, **data)
    missing = tuple(line.strip() for line in v("missing_information").splitlines() if line.strip())
    return FileCase(
        kind=v("kind"), subject=v("subject"), description=v("description"), requester=requester,
        channel=v("channel") or None, reason=v("reason") or None, typification=v("typification") or None,
        priority=priority or None, important=important, urgent=urgent,
        non_crm_contact=v("non_crm_contact") or None, references=tuple(references), custom_fields=custom,
        received_at=received_at, received_by=v("received_by") or None, verbal=form.is_checked("verbal"),
        missing_information=missing, resolved_at_first_contact=form.is_checked("resolved_at_first_contact"),
        solution=v("solution") or None, items=tuple(items), external_source=v("external_source") or None,
        external_number=v("external_number") or None)


# The inputs in the order the page shows them (the error summary follows it).
FORM_ORDER = ("channel", "requester.document_type", "requester.document_number", "requester.email",
              "requester.full_name", "requester.phone", "requester.address", "requester.kind",
              "requester.customer_id", "requester.branch", "requester.lead_id", "non_crm_contact", "kind",
              "subject", "description", "typification", "reason", "priority", "references", "items",
              "received_at", "received_by", "external_source", "external_number", "verbal",
              "missing_information", "custom_fields", "solution")


def _position(key: str) -> tuple[int, str]:
    head = key if key in FORM_ORDER else key.split(".")[0]
    return (FORM_ORDER.index(head) if head in FORM_ORDER else len(FORM_ORDER), key)


def place_errors(form: FilingForm, exc: ValidationError, catalog: Catalog) -> None:
    """Put each of the domain's errors next to the input it is about, the summary in page order."""
    titles = field_titles(catalog)
    for field, message in exc.errors.items():
        key = input_for(field)
        form.add_error(key, message, titles.get(key, _reference_title(key) or item_title(key) or field))
    form.summary = dict(sorted(form.summary.items(), key=lambda item: _position(item[0])))


def input_for(field: str) -> str:
    """The id of the input a domain error path is about."""
    if field in ("important", "urgent"):
        return "priority"
    match = _INDEXED.match(field)
    if match is not None:
        if match.group(1) == "missing_information":
            return "missing_information"
        return f"references.{match.group(2)}.{match.group(3) or 'number'}"
    if field == "requester.user":
        return "requester.full_name"
    return field


def _reference_title(key: str) -> str | None:
    match = _INDEXED.match(key)
    if match is None or match.group(1) != "references":
        return None
    return str(_("Factura / pedido %(n)d", n=int(match.group(2)) + 1))
