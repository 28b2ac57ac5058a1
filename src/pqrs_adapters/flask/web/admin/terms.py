"""Term policies (when a plugin such as ``pqrs_legal_co`` registers them), the organisation's working
days and its closure days. An administrator changes the term of a policy (amount and unit of the rule in
force today) or switches a policy off, chooses whether Saturday is a business day, adds or removes
closure days, and then recomputes the deadlines of the open cases (each recomputed deadline is recorded
in its case's history)."""

from __future__ import annotations

from datetime import date

import attrs
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.sla import TermPolicy, TermTrigger
from pqrs_core.domain.terms import Extension, TermRule, TermUnit, rule_for
from pqrs_core.domain.working_days import (
    WORKING_DAYS,
    describe_working_days,
    working_days_code,
    working_days_warning,
)

from ..auth import login_required
from ..common import actor, catalog, labels, now, pqrs, require
from .support import attempt, bp, checked, source_label, tabs, text, whole_number
from .term_scope import SCOPE_SHOWN, policy_scope, scope_options, scope_values

UNITS = {
    TermUnit.BUSINESS_DAYS: "días hábiles",
    TermUnit.CALENDAR_DAYS: "días calendario",
    TermUnit.MONTHS: "meses",
    TermUnit.BUSINESS_HOURS: "horas hábiles",
    TermUnit.CLOCK_HOURS: "horas de reloj",
}
MAX_AMOUNT = 999
RECOMPUTE_REASON = "Cambio de los términos, de los días hábiles o de los días de cierre en la administración"
WORKING_DAYS_LABELS = {"mon-fri": "De lunes a viernes", "mon-sat": "De lunes a sábado"}


def today(cat: Catalog) -> date:
    moment = now()
    return cat.calendar.local_date(moment) if cat.calendar is not None else moment.date()


def current_rule(policy: TermPolicy, day: date) -> TermRule:
    """The resolution rule in force for a case received ``day`` (the last one when none is)."""
    return rule_for(policy.resolution, day) or policy.resolution[-1]


def scope_of(cat: Catalog, policy: TermPolicy) -> str:
    """Which cases a policy covers, in words."""
    names = labels()
    parts = []
    if policy.kinds:
        parts.append(_("Tipos: %(v)s", v=", ".join(names.kind(k) for k in policy.kinds)))
    if policy.typifications:
        parts.append(_("Tipificaciones: %(v)s", v=", ".join(
            cat.typifications.get(t).label if t in cat.typifications else t for t in policy.typifications)))
    if policy.priorities:
        parts.append(_("Prioridades: %(v)s", v=", ".join(names.priority(p) for p in policy.priorities)))
    if policy.channels:
        parts.append(_("Canales: %(v)s", v=", ".join(names.channel(c) for c in policy.channels)))
    return "; ".join(parts) or _("Todos los casos")


def _policy(code: str) -> TermPolicy:
    found = next((p for p in catalog().term_policies if p.code == code), None)
    if found is None:
        abort(404)
    return found


@bp.get("/terminos")
@login_required
@require(Permission.CATALOG)
def terms() -> str:
    return _page()


def _page(errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> str:
    cat = catalog()
    day = today(cat)
    sources = pqrs().catalog_admin.sources()
    rows = []
    for policy in cat.term_policies:
        rule = current_rule(policy, day)
        term = _("Sin vencimiento") if policy.trigger is TermTrigger.NONE else rule.term.describe()
        rows.append({"policy": policy, "term": term, "scope": scope_of(cat, policy),
                     "legal": rule.source or policy.source,
                     "origin": source_label(sources.get(("term_policies", policy.code)))})
    weekdays = cat.calendar.working_weekdays if cat.calendar is not None else WORKING_DAYS["mon-fri"]
    working = {"code": working_days_code(weekdays), "described": describe_working_days(weekdays),
               "warning": working_days_warning(weekdays), "stored": cat.working_weekdays is not None,
               "choices": [(code, _(label)) for code, label in WORKING_DAYS_LABELS.items()]}
    return render_template("admin/terms.html", rows=rows, closures=cat.closures, errors=errors or {},
                           values=values or {}, changed=request.args.get("cambio") == "1", tabs=tabs(),
                           working=working)


@bp.post("/terminos/dias-habiles")
@login_required
@require(Permission.CATALOG)
def working_days_set() -> Response | tuple[str, int]:
    errors: dict[str, str] = {}
    choice = text("working_days", 20)
    if choice not in WORKING_DAYS:
        errors["working_days"] = _("Elija los días hábiles de la lista.")
    elif attempt(lambda: pqrs().catalog_admin.set_working_weekdays(WORKING_DAYS[choice], actor()), errors,
                 {"working_weekdays": "working_days"}):
        flash(_("Días hábiles: %(days)s. Los casos abiertos conservan sus vencimientos hasta que los "
                "recalcule.", days=describe_working_days(WORKING_DAYS[choice])), "success")
        return redirect(url_for("admin.terms", cambio="1") + "#recalcular")
    return _page(errors), 422


@bp.route("/terminos/<code>", methods=["GET", "POST"])
@login_required
@require(Permission.CATALOG)
def term_edit(code: str) -> Response | tuple[str, int]:
    policy = _policy(code)
    cat = catalog()
    rule = current_rule(policy, today(cat))
    errors: dict[str, str] = {}
    values = {"amount": str(rule.term.amount), "unit": rule.term.unit.value, "active": policy.active,
              "no_deadline": policy.trigger is TermTrigger.NONE,
              "third_party_pauses": policy.third_party_pauses, **policy_scope(policy),
              "extension": rule.extension is None or rule.extension.allowed}
    status = 200
    if request.method == "POST":
        amount = whole_number(errors, "amount", minimum=1, maximum=MAX_AMOUNT)
        unit = text("unit", 40)
        if unit not in {u.value for u in TermUnit}:
            errors["unit"] = _("Elija una unidad de la lista.")
        active = checked("active")
        third_party_pauses = checked("third_party_pauses")
        # Only a policy no law requires may set no deadline (felicitaciones); the core refuses the rest.
        no_deadline = checked("no_deadline") and policy.trigger in (TermTrigger.RECEPTION, TermTrigger.NONE)
        trigger = TermTrigger.NONE if no_deadline else (
            TermTrigger.RECEPTION if policy.trigger is TermTrigger.NONE else policy.trigger)
        # The scope and the extension as sent (a form without them leaves them as they were).
        scope = scope_values() if request.form.get(SCOPE_SHOWN) else {**policy_scope(policy),
                                                                      "extension": values["extension"]}
        if not errors:
            # The rule keeps where its counting starts (the day of receipt or the next day), and the
            # extension its limits (a law may fix them) when it stays allowed.
            allowed = scope["extension"]
            extension = (None if rule.extension is None and allowed
                         else attrs.evolve(rule.extension or Extension(), allowed=allowed))
            edited_rule = attrs.evolve(rule, term=attrs.evolve(rule.term, amount=amount, unit=TermUnit(unit)),
                                       extension=extension)
            def save() -> None:
                edited = attrs.evolve(
                    policy, active=active, trigger=trigger, third_party_pauses=third_party_pauses,
                    resolution=tuple(edited_rule if r is rule else r for r in policy.resolution),
                    kinds=tuple(scope["kinds"]), typifications=tuple(scope["typifications"]),
                    priorities=tuple(scope["priorities"]), channels=tuple(scope["channels"]))
                pqrs().catalog_admin.put_term_policy(edited, actor())

            if attempt(save, errors, {"resolution": "amount", "scope": "kinds"}):
                flash(_("Se guardó la política «%(label)s». Los casos abiertos conservan sus vencimientos "
                        "hasta que los recalcule.", label=policy.label), "success")
                return redirect(url_for("admin.terms", cambio="1") + "#recalcular")
        values = {"amount": text("amount", 20), "unit": unit, "active": active, "no_deadline": no_deadline,
                  "third_party_pauses": third_party_pauses, **scope}
        status = 422
    others = [r for r in policy.resolution if r is not rule]
    page = render_template("admin/term_edit.html", policy=policy, rule=rule, others=others, values=values,
                           errors=errors, units=[(u.value, _(w)) for u, w in UNITS.items()],
                           scope=scope_of(cat, policy), tabs=tabs(), options=scope_options(cat))
    return page, status


@bp.post("/terminos/cierres")
@login_required
@require(Permission.CATALOG)
def closure_add() -> Response | tuple[str, int]:
    errors: dict[str, str] = {}
    raw, label = text("day", 20), text("label", 200)
    day: date | None = None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors["day"] = _("Escriba una fecha (aaaa-mm-dd).")
    if not label:
        errors["label"] = _("Escriba el motivo del cierre, p. ej. «Inventario anual».")
    if day is not None and day in catalog().closures:
        errors["day"] = _("Ese día ya es un día de cierre.")
    if day is not None and not errors and attempt(
            lambda: pqrs().catalog_admin.add_closure(day, label, actor()), errors):
        flash(_("El %(day)s es ahora un día de cierre: no cuenta para ningún término.",
                day=day.strftime("%d/%m/%Y")), "success")
        return redirect(url_for("admin.terms", cambio="1") + "#recalcular")
    return _page(errors, {"day": raw, "label": label}), 422


@bp.post("/terminos/cierres/<day>/quitar")
@login_required
@require(Permission.CATALOG)
def closure_remove(day: str) -> Response:
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if when not in catalog().closures:
        abort(404)
    errors: dict[str, str] = {}
    if attempt(lambda: pqrs().catalog_admin.remove_closure(when, actor()), errors):
        flash(_("El %(day)s ya no es un día de cierre.", day=when.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("admin.terms", cambio="1") + "#recalcular")


@bp.post("/terminos/recalcular")
@login_required
@require(Permission.CATALOG)
def terms_recompute() -> Response:
    changed = pqrs().recompute_terms(RECOMPUTE_REASON, actor())
    if changed:
        flash(ngettext("Se recalcularon los vencimientos de los casos abiertos: %(num)d caso cambió.",
                       "Se recalcularon los vencimientos de los casos abiertos: %(num)d casos cambiaron.",
                       changed), "success")
    else:
        flash(_("Se recalcularon los vencimientos de los casos abiertos: ninguno cambió."), "info")
    return redirect(url_for("admin.terms"))
