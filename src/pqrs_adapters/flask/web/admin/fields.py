"""Custom fields (``/admin/campos``): the fields cases carry besides the standard ones. An
administrator adds one (its type, options, pattern or range, the kinds it applies to, when it is
required, whether the requester sees it), edits it and deactivates or reactivates it. Options are
written one per line as ``código = Etiqueta``: renaming a label keeps its code, so the cases that hold
it keep their value. Each save is logged whole in the history of changes (a version of the field)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.fields import DEFAULT_LONG_TEXT, FieldDefinition, FieldType
from pqrs_core.domain.text import slug

from ..auth import login_required
from ..common import actor, catalog, pqrs, require
from .support import _, attempt, bp, checked, chosen, new_code, source_label, tabs, text
from .typifications import parent_choices

TYPE_LABELS = {
    FieldType.TEXT: "Texto corto", FieldType.LONG_TEXT: "Texto largo", FieldType.INTEGER: "Número entero",
    FieldType.DECIMAL: "Número decimal", FieldType.DATE: "Fecha", FieldType.BOOLEAN: "Sí / no",
    FieldType.CHOICE: "Lista de opciones (una)", FieldType.MULTI_CHOICE: "Selección múltiple",
}
# The core's names for the parts of a definition -> the form's inputs.
INPUTS = {"choices": "options", "choice_labels": "options"}


def type_label(value: str) -> str:
    return _(TYPE_LABELS.get(FieldType(value), value))


def options_text(definition: FieldDefinition) -> str:
    """The options as the form shows them: ``código = Etiqueta``, one per line."""
    return "\n".join(f"{code} = {label}" for code, label in definition.options())


def read_options(raw: str, current: FieldDefinition | None,
                 errors: dict[str, str]) -> tuple[tuple[str, ...], dict[str, str]]:
    """``(codes, labels)`` from the lines typed: ``código = Etiqueta``, or a label alone (its code is the
    one an option with that label already has, or one derived from it)."""
    known = {label: code for code, label in current.options()} if current else {}
    codes: list[str] = []
    labels: dict[str, str] = {}
    for line in raw.splitlines():
        line = line.strip()
        if not line:
            continue
        code, sep, label = (part.strip() for part in line.partition("="))
        if not sep:
            label = code
            code = known.get(label) or slug(label).lower()
        if not code:
            errors["options"] = _("No se pudo derivar un código de «%(line)s»: escriba «código = Etiqueta».",
                                  line=line)
            continue
        codes.append(code)
        if label and label != code:
            labels[code] = label
    return tuple(codes), labels


def _decimal(errors: dict[str, str], name: str) -> Decimal | None:
    raw = text(name, 40).replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors[name] = _("Escriba un número (use punto o coma para los decimales).")
        return None
    if not value.is_finite():
        errors[name] = _("Escriba un número.")
        return None
    return value


def _max_length(errors: dict[str, str], kind: FieldType, current: FieldDefinition | None) -> int:
    default = DEFAULT_LONG_TEXT if kind is FieldType.LONG_TEXT else 500
    if current is not None and current.type is kind:
        default = current.max_length
    raw = text("max_length", 20)
    if not raw:
        return default
    if not raw.isdecimal():
        errors["max_length"] = _("Escriba un número entero.")
        return default
    return int(raw)


def read_definition(code: str, kind: FieldType, errors: dict[str, str],
                    current: FieldDefinition | None = None) -> FieldDefinition:
    """The field the form describes (``errors`` gets what could not even be read)."""
    label = text("label", 500)
    if not label:
        errors["label"] = _("Escriba la etiqueta.")
    choices, choice_labels = read_options(text("options", 20_000), current, errors) if kind.with_options \
        else ((), {})
    return FieldDefinition(
        code=code, label=label, type=kind, required=checked("required"), choices=choices,
        choice_labels=choice_labels, max_length=_max_length(errors, kind, current),
        kinds=tuple(chosen("kinds")), active=current.active if current else True,
        pattern=text("pattern", 500) if kind.textual else "",
        pattern_message=text("pattern_message", 200) if kind.textual else "",
        minimum=_decimal(errors, "minimum") if kind.numeric else None,
        maximum=_decimal(errors, "maximum") if kind.numeric else None,
        public=checked("public"), typifications=tuple(chosen("typifications")),
        required_for_transitions=tuple(chosen("transitions")), help=text("help", 200))


def form_values(definition: FieldDefinition) -> dict[str, Any]:
    return {"label": definition.label, "type": definition.type.value, "help": definition.help,
            "required": definition.required, "public": definition.public, "kinds": list(definition.kinds),
            "typifications": list(definition.typifications),
            "transitions": list(definition.required_for_transitions), "options": options_text(definition),
            "max_length": definition.max_length, "pattern": definition.pattern,
            "pattern_message": definition.pattern_message,
            "minimum": "" if definition.minimum is None else str(definition.minimum),
            "maximum": "" if definition.maximum is None else str(definition.maximum)}


def _typed() -> dict[str, Any]:
    return {"label": text("label", 500), "code": text("code", 200), "type": text("type", 20),
            "help": text("help", 200), "required": checked("required"), "public": checked("public"),
            "kinds": chosen("kinds"), "typifications": chosen("typifications"),
            "transitions": chosen("transitions"), "options": text("options", 20_000),
            "max_length": text("max_length", 20), "pattern": text("pattern", 500),
            "pattern_message": text("pattern_message", 200), "minimum": text("minimum", 40),
            "maximum": text("maximum", 40)}


def _choices(cat: Catalog) -> dict[str, list[tuple[str, str]]]:
    transitions: dict[str, str] = {}
    for workflow in cat.workflows:
        for t in workflow.transitions:
            transitions.setdefault(t.name, t.label)
    return {"types": [(t.value, _(label)) for t, label in TYPE_LABELS.items()],
            "kinds": [(k.code, k.label) for k in cat.kinds if k.active],
            "typifications": parent_choices(cat.typifications),
            "transitions": sorted(transitions.items(), key=lambda item: item[1])}


def _render(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    cat = catalog()
    kinds = {k.code: k.label for k in cat.kinds}
    page = render_template(template, choices=_choices(cat), kind_labels=kinds, type_label=type_label,
                           tabs=tabs(), **context)
    return page, status


def _list_page(errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
               status: int = 200) -> tuple[str, int]:
    sources = pqrs().catalog_admin.sources()
    rows = [{"field": f, "source": source_label(sources.get(("fields", f.code)))} for f in catalog().fields]
    return _render("admin/fields.html", status, rows=rows, errors=errors or {},
                   values=values or {"type": FieldType.TEXT.value})


def _defined(code: str) -> FieldDefinition:
    found = next((f for f in catalog().fields if f.code == code), None)
    if found is None:
        abort(404)
    return found


def _save(definition: FieldDefinition, errors: dict[str, str]) -> bool:
    who = actor()
    return attempt(lambda: pqrs().catalog_admin.put_field(definition, who), errors, INPUTS)


@bp.get("/campos")
@login_required
@require(Permission.CATALOG)
def fields() -> tuple[str, int]:
    return _list_page()


@bp.post("/campos")
@login_required
@require(Permission.CATALOG)
def field_add() -> Response | tuple[str, int]:
    errors: dict[str, str] = {}
    label = text("label", 500)
    code = new_code(errors, label, {f.code for f in catalog().fields}, upper=False)
    try:
        kind = FieldType(text("type", 20))
    except ValueError:
        errors["type"] = _("Elija el tipo de campo.")
        kind = FieldType.TEXT
    definition = read_definition(code, kind, errors)
    if not errors and _save(definition, errors):
        flash(_("Se agregó el campo «%(label)s» (código %(code)s).", label=definition.label, code=code),
              "success")
        return redirect(url_for("admin.fields"))
    return _list_page(errors, _typed(), 422)


@bp.route("/campos/<code>", methods=["GET", "POST"])
@login_required
@require(Permission.CATALOG)
def field_edit(code: str) -> Response | tuple[str, int]:
    current = _defined(code)
    errors: dict[str, str] = {}
    values = form_values(current)
    status = 200
    if request.method == "POST":
        definition = read_definition(code, current.type, errors, current)
        if not errors and _save(definition, errors):
            flash(_("Se guardó el campo «%(label)s».", label=definition.label), "success")
            return redirect(url_for("admin.fields"))
        values = _typed() | {"type": current.type.value}
        status = 422
    source = source_label(pqrs().catalog_admin.sources().get(("fields", code)))
    return _render("admin/field_edit.html", status, field=current, values=values, errors=errors,
                   source=source)


@bp.post("/campos/<code>/activo")
@login_required
@require(Permission.CATALOG)
def field_toggle(code: str) -> Response:
    current = _defined(code)
    active = checked("active")
    errors: dict[str, str] = {}
    if _save(attrs.evolve(current, active=active), errors):
        flash(_("Se reactivó el campo «%(label)s».", label=current.label) if active else
              _("Se desactivó el campo «%(label)s»: ya no se pide ni se ofrece; los casos conservan sus "
                "valores.", label=current.label), "success")
    for message in errors.values():
        flash(message, "error")
    return redirect(url_for("admin.fields"))
