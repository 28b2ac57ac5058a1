"""Editing a case's editable fields (``ChangeFields``) from the case page.

The form carries the version it was rendered from. When the case changed meanwhile, nothing is saved:
the page comes back with what changed since, what each field holds now where it differs from what the
person typed, and their typed values kept, so that saving again is a decision, never an accident.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import FieldDefinition, FieldType
from pqrs_core.domain.field_changes import references_to_plain, requester_to_plain

from ...presentation import REFERENCE_LABELS
from .auth import login_required
from .case_view import PageAnswer, case_key, conflict_for, load, perform, render_case, seen_at
from .common import catalog, form_text, form_version, require
from .filing_form import field_value, typed_field

bp = Blueprint("campos", __name__)

# form input -> field of the case (the labels are in the template, case_edit.html)
TEXT_FIELDS = {"campo_asunto": "subject", "campo_descripcion": "description",
               "campo_contacto": "non_crm_contact", "campo_recibido_por": "received_by",
               "campo_solucion": "solution"}
CODE_FIELDS = {"campo_tipo": "kind", "campo_motivo": "reason", "campo_canal": "channel",
               "campo_prioridad": "priority"}
REQUESTER_FIELDS = {"campo_nombre": "full_name", "campo_tipo_documento": "document_type",
                    "campo_documento": "document_number", "campo_correo": "email", "campo_telefono": "phone",
                    "campo_direccion": "address"}
MISSING, VERBAL, EXTRA_PREFIX = "campo_faltante", "campo_verbal", "campo_extra_"
REFERENCE_ROWS_FREE = 2  # empty rows offered for new invoices / orders


@attrs.frozen
class CustomInput:
    name: str
    label: str
    type: str
    options: tuple[tuple[str, str], ...]  # for a list to choose from (choices, yes / no)
    required: bool
    definition: FieldDefinition | None = None


@attrs.frozen
class FieldForm:
    """What the edit form shows: each field's value (what was typed, else what the case holds), the
    options of the lists, the reference rows and the custom fields of the case's kind."""

    values: Mapping[str, str]
    options: Mapping[str, list[tuple[str, str]]]
    references: list[tuple[str, str, str, str]]  # (kind input, number input, kind, number)
    custom: list[CustomInput]
    verbal: bool


def _plain_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "si" if value else "no"
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return str(value)


def _definitions(case: Case) -> list[FieldDefinition]:
    return [d for d in catalog().fields if d.active and d.applies_to(case.kind)]


def current_values(case: Case) -> dict[str, str]:
    """Every input of the form with the case's value, as the form holds it (text)."""
    values = {name: _plain_text(getattr(case, field)) for name, field in (TEXT_FIELDS | CODE_FIELDS).items()}
    values |= {name: _plain_text(getattr(case.requester, field)) for name, field in REQUESTER_FIELDS.items()}
    values[MISSING] = "\n".join(case.missing_information)
    values[VERBAL] = "si" if case.verbal else "no"
    values |= {EXTRA_PREFIX + d.code: _plain_text(case.custom_fields.get(d.code)) for d in _definitions(case)}
    return values


def _options(case: Case) -> dict[str, list[tuple[str, str]]]:
    cat = catalog()

    def entries(name: str, current: str | None) -> list[tuple[str, str]]:
        found = [(e.code, e.label) for e in cat.entries(name) if e.active or e.code == current]
        return found

    return {"campo_tipo": entries("kinds", case.kind), "campo_motivo": entries("reasons", case.reason),
            "campo_canal": entries("channels", case.channel),
            "campo_tipo_documento": entries("document_types", case.requester.document_type),
            "campo_prioridad": [(p.code, p.label) for p in sorted(cat.priorities, key=lambda p: p.rank)
                                if p.active or p.code == case.priority],
            "referencia": [(k, v) for k, v in REFERENCE_LABELS.items()]}


def field_form(case: Case, typed: Mapping[str, Any]) -> FieldForm:
    values = current_values(case)
    rows = [(r.kind.value, r.number) for r in case.references] + [("invoice", "")] * REFERENCE_ROWS_FREE
    if "campos_enviados" in typed:  # the edit form itself came back: show what was typed
        values |= {name: form_text(typed, name) for name in values if name != VERBAL and name in typed}
        values[VERBAL] = "si" if typed.get(VERBAL) else "no"
        rows = _typed_rows(typed)
    references = [(f"campo_ref_tipo_{i}", f"campo_ref_numero_{i}", kind, number)
                  for i, (kind, number) in enumerate(rows)]
    custom = [CustomInput(EXTRA_PREFIX + d.code, d.label, d.type.value, _choices(d), d.required, d)
              for d in _definitions(case)]
    return FieldForm(values=values, options=_options(case), references=references, custom=custom,
                     verbal=values[VERBAL] == "si")


def _choices(definition: FieldDefinition) -> tuple[tuple[str, str], ...]:
    if definition.type is FieldType.BOOLEAN:
        return (("si", _("Sí")), ("no", _("No")))
    return definition.options()


def _typed_rows(form: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The reference rows of the form, empty ones included (kind, number)."""
    count = min(int(n) if (n := form_text(form, "campo_ref_filas", 4)).isdecimal() else 0, 200)
    return [(form_text(form, f"campo_ref_tipo_{i}", 30), form_text(form, f"campo_ref_numero_{i}", 200))
            for i in range(count)]


def changes_from(form: Mapping[str, Any], case: Case) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields whose value in ``form`` differs from the case's, as ``ChangeFields`` takes them, and
    which form input each of the command's field names belongs to (for its error messages)."""
    current = current_values(case)
    changes: dict[str, Any] = {}
    inputs: dict[str, str] = {}
    for name, field in (TEXT_FIELDS | CODE_FIELDS).items():
        inputs[field] = name
        if name in form and form_text(form, name) != current[name]:
            changes[field] = form_text(form, name) or None
    requester = requester_to_plain(case.requester)
    for name, field in REQUESTER_FIELDS.items():
        inputs[f"requester.{field}"] = name
        if name in form:
            requester[field] = form_text(form, name, 500) or None
    if requester != requester_to_plain(case.requester):
        changes["requester"] = requester
    refs: list[dict[str, str]] = []
    for row, (kind, number) in enumerate(_typed_rows(form)):
        if number:
            inputs[f"references.{len(refs)}"] = f"campo_ref_numero_{row}"
            refs.append({"kind": kind, "number": number})
    if "campo_ref_filas" in form and refs != references_to_plain(case.references):
        changes["references"] = refs
    inputs["missing_information"] = MISSING
    missing = [line.strip() for line in form_text(form, MISSING).splitlines() if line.strip()]
    if MISSING in form and missing != list(case.missing_information):
        changes["missing_information"] = missing
    inputs["verbal"] = VERBAL
    if "campos_enviados" in form and bool(form.get(VERBAL)) != case.verbal:
        changes["verbal"] = bool(form.get(VERBAL))
    custom: dict[str, Any] = {}
    for definition in _definitions(case):
        name = EXTRA_PREFIX + definition.code
        inputs[f"custom_fields.{definition.code}"] = name
        typed = typed_field(form, name, definition)
        sent = name in form or (definition.type is FieldType.MULTI_CHOICE and "campos_enviados" in form)
        if sent and typed != current[name]:
            custom[definition.code] = field_value(definition, typed)
    if custom:
        changes["custom_fields"] = custom
    return changes, inputs


# Fields of the edit form that other events change too (not only ``FieldChanged``): a form rendered
# before one of these cannot tell its stale value from a correction, so it conflicts.
_SET_BY_OTHER_EVENTS: dict[str, tuple[type[ev.DomainEvent], ...]] = {
    "missing_information": (ev.CompletionRequested, ev.CompletionReceived),
    "solution": (ev.CaseResponded, ev.PetitionWithdrawn, ev.CaseTransferred),
}


def _without_others_edits(changes: dict[str, Any], history: list[ev.DomainEvent],
                          form: Mapping[str, Any]) -> dict[str, Any] | None:
    """A form rendered before the case changed: its ``changes`` (computed against the case as it is
    now) without the fields someone else edited meanwhile that this person left as they saw them, or
    ``None`` when both edited the same field, or when it cannot be told what changed (only edits of the
    same fields conflict; a state change or a note does not)."""
    seen = seen_at(form)
    since = [e for e in history if seen is not None and e.occurred_at > seen]
    if not since:
        return None
    for field, kinds in _SET_BY_OTHER_EVENTS.items():
        if field in changes and any(isinstance(event, kinds) for event in since):
            return None
    before: dict[str, Any] = {}
    for event in since:
        if isinstance(event, ev.FieldChanged):
            before.setdefault(event.field, event.before)
    kept = dict(changes)
    for field, seen_value in before.items():
        if field not in kept:
            continue
        if field == "requester" and isinstance(seen_value, Mapping):
            typed = kept[field]
            untouched = all(typed.get(k) == seen_value.get(k) for k in REQUESTER_FIELDS.values())
        elif field == "custom_fields":
            untouched = False  # one key or another: left to the person
        else:
            untouched = kept[field] == seen_value or (isinstance(seen_value, tuple | list)
                                                      and kept[field] == list(seen_value))
        if not untouched:
            return None
        del kept[field]
    return kept


def _shown(case: Case, name: str, value: str) -> str:
    """A current value as a person reads it (labels for codes)."""
    options = dict(_options(case).get(name, []))
    if name == VERBAL:
        return str(_("Sí") if value == "si" else _("No"))
    return options.get(value, value) or str(_("(vacío)"))


@bp.post("/casos/<filing_number>/campos")
@login_required
@require(Permission.EDIT)
def change_fields(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    form = request.form
    case, history = load(key)
    version = form_version(form)
    changes, inputs = changes_from(form, case)
    if version is not None and version != case.version:
        kept = _without_others_edits(changes, history, form)
        if kept is None:
            typed = dict(field_form(case, form).values)
            now_values = current_values(case)
            differs = {name: _shown(case, name, value) for name, value in now_values.items()
                       if typed.get(name, value) != value}
            return render_case(key, typed=form, conflict=conflict_for(key, form, differs),
                               open_form="campos", status=409)
        changes, version = kept, None  # what changed meanwhile is not what this form changes
    if not changes:
        flash(_("No hubo cambios que guardar."), "info")
        return redirect(url_for("case_page.detail", filing_number=key, _anchor="datos"))
    command = c.ChangeFields(filing_number=key, changes=changes, expected_version=version)
    return perform(key, command, success=_("Datos del caso guardados."), form_name="campos", fields=inputs,
                   anchor="datos")
