"""Routing rules, under ``/admin/reglas``: the ordered list, each rule read as a Spanish sentence;
an editor of «cuando / si / entonces» rows for people who do not program, which reads the rule back,
tries it on the most recent cases before it is switched on, and keeps every version."""

from __future__ import annotations

import math
from typing import Any

import attrs
from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.rules import (
    ACTION_PHRASES,
    CUSTOM_PREFIX,
    FIELDS,
    OPERATOR_PHRASES,
    REQUESTER_KIND_LABELS,
    TRIGGER_PHRASES,
    Action,
    ActionKind,
    Condition,
    Operator,
    Rule,
    Trigger,
    problems_of,
    sentence,
)
from pqrs_core.services.routing_admin import DryRun

from ..auth import login_required
from ..common import actor, catalog, labels, pqrs, require
from .support import _, attempt, bp, checked, tabs, text, whole_number
from .support import sentence as as_sentence

# Blank rows offered below the rule's own conditions and actions (no script needed to add one).
BLANK_ROWS = 2
MAX_ROWS = 20
DRY_RUN_DEFAULT = 50


def _trigger_options(cat: Catalog) -> list[tuple[str, str]]:
    return [(t.value, TRIGGER_PHRASES[t].format(p="…").capitalize()) for t in Trigger]


def _field_options(cat: Catalog) -> list[tuple[str, str]]:
    options = [(code, label.capitalize()) for code, label in FIELDS.items()]
    options += [(f"{CUSTOM_PREFIX}{f.code}", _("Campo «%(l)s»", l=f.label)) for f in cat.fields if f.active]
    return options


def _value_suggestions(cat: Catalog) -> list[tuple[str, str]]:
    """Codes a condition or an action may name, with what they are (a ``<datalist>``)."""
    found = [(e.code, _("Tipo: %(l)s", l=e.label)) for e in cat.kinds if e.active]
    found += [(e.code, _("Canal: %(l)s", l=e.label)) for e in cat.channels if e.active]
    found += [(e.code, _("Motivo: %(l)s", l=e.label)) for e in cat.reasons if e.active]
    found += [(p.code, _("Prioridad: %(l)s", l=p.label)) for p in cat.priorities if p.active]
    found += [(q.code, _("Cola: %(l)s", l=q.label)) for q in cat.queues if q.active]
    found += [(code, _("Peticionario: %(l)s", l=label)) for code, label in REQUESTER_KIND_LABELS.items()]
    found += [(n.code, _("Tipificación: %(l)s", l=n.label)) for n in cat.typifications if n.active]
    found += [(f"role:{r.code}", _("Grupo: %(l)s", l=r.label)) for r in cat.roles if r.active]
    found += [(f"queue:{q.code}", _("Avisar a la cola %(l)s", l=q.label)) for q in cat.queues if q.active]
    transitions = {t.name: t.label for w in cat.workflows for t in w.transitions}
    found += [(name, _("Transición: %(l)s", l=label)) for name, label in transitions.items()]
    return found


def _fraction_options(cat: Catalog) -> list[tuple[str, str]]:
    shares = sorted({f for f in cat.alarm_fractions if 0 < f < 1} | {0.8})
    return [(f"{f:g}", f"{round(f * 100)} %") for f in shares]


def _form_rule(code: str, current: Rule | None) -> tuple[Rule, dict[str, str]]:
    """The rule the form describes (rows left blank are ignored) and the problems of reading it."""
    errors: dict[str, str] = {}
    conditions: list[Condition] = []
    for i in range(MAX_ROWS + BLANK_ROWS):
        field, operator = text(f"c{i}_field", 100), text(f"c{i}_operator", 40)
        value = text(f"c{i}_value", 2_000)
        if not field and not value:
            continue
        try:
            conditions.append(Condition(field, operator or Operator.IS, value))
        except ValueError:
            errors[f"conditions.{len(conditions)}.operator"] = _("Elija una comparación de la lista.")
    actions: list[Action] = []
    for i in range(MAX_ROWS + BLANK_ROWS):
        kind, value = text(f"a{i}_kind", 40), text(f"a{i}_value", 2_000)
        if not kind:
            continue
        try:
            actions.append(Action(kind, value))
        except ValueError:
            errors[f"actions.{len(actions)}.value"] = _("Elija una acción de la lista.")
    trigger = text("trigger", 40)
    try:
        when = Trigger(trigger)
    except ValueError:
        errors["trigger"] = _("Elija cuándo se evalúa la regla.")
        when = Trigger.FILED
    try:
        fraction = float(text("fraction", 10) or "0.8")
    except ValueError:
        fraction = math.nan
    if not math.isfinite(fraction):
        errors["fraction"] = _("Elija una parte del término.")
        fraction = 0.8
    base = current or Rule(code="", name="", trigger=when)
    rule = attrs.evolve(base, code=code, name=text("name", 200), trigger=when, conditions=tuple(conditions),
                        actions=tuple(actions), stop=checked("stop"), enabled=checked("enabled"),
                        fraction=fraction)
    return rule, errors


def _rows(rule: Rule | None) -> tuple[list[Condition | None], list[Action | None]]:
    conditions: list[Condition | None] = list(rule.conditions if rule else ())
    actions: list[Action | None] = list(rule.actions if rule else ())
    return conditions + [None] * BLANK_ROWS, actions + [None] * BLANK_ROWS


def _page(rule: Rule | None, *, errors: dict[str, str] | None = None, dry: DryRun | None = None,
          preview: str | None = None, status: int = 200, limit: int = DRY_RUN_DEFAULT) -> tuple[str, int]:
    cat = catalog()
    conditions, actions = _rows(rule)
    versions = []
    stored = next((r for r in cat.rules if rule is not None and r.code == rule.code), None)
    if stored is not None:
        versions = [(r, sentence(r, cat), who, at) for r, who, at in pqrs().routing_admin.rule_versions(
            stored.code, actor())]
    page = render_template(
        "admin/rule_form.html", rule=rule, stored=stored, conditions=conditions, actions=actions,
        triggers=_trigger_options(cat), fields=_field_options(cat),
        operators=[(o.value, OPERATOR_PHRASES[o]) for o in Operator],
        action_kinds=[(k.value, ACTION_PHRASES[k].replace(" {v}", "…").replace("«{v}»", "…")
                       .capitalize()) for k in ActionKind],
        suggestions=_value_suggestions(cat), fractions=_fraction_options(cat),
        preview=preview if preview is not None else (sentence(rule, cat) if rule and rule.actions else None),
        dry=dry, limit=limit, errors=errors or {}, versions=versions,
        labels=labels(who for _r, _s, who, _at in versions), tabs=tabs())
    return page, status


@bp.get("/reglas")
@login_required
@require(Permission.CATALOG)
def rules() -> str:
    cat = catalog()
    rows = [(rule, sentence(rule, cat)) for rule in cat.rules]
    return render_template("admin/rules.html", rows=rows, tabs=tabs())


@bp.get("/reglas/nueva")
@login_required
@require(Permission.CATALOG)
def rule_new() -> tuple[str, int]:
    return _page(None)


@bp.get("/reglas/<code>")
@login_required
@require(Permission.CATALOG)
def rule_edit(code: str) -> tuple[str, int]:
    return _page(_known(code))


def _known(code: str) -> Rule:
    rule = next((r for r in catalog().rules if r.code == code), None)
    if rule is None:
        abort(404)
    return rule


@bp.post("/reglas/nueva")
@login_required
@require(Permission.CATALOG)
def rule_create() -> Response | tuple[str, int]:
    return _submit(None)


@bp.post("/reglas/<code>")
@login_required
@require(Permission.CATALOG)
def rule_update(code: str) -> Response | tuple[str, int]:
    return _submit(_known(code))


def _submit(current: Rule | None) -> Response | tuple[str, int]:
    rule, errors = _form_rule(current.code if current else "", current)
    op = request.form.get("op", "save")
    limit = whole_number(errors, "limit", minimum=1, maximum=500, default=DRY_RUN_DEFAULT)
    if errors:
        return _page(rule, errors=errors, status=422, limit=limit)
    if op in ("preview", "dry_run"):
        dry: list[DryRun] = []
        admin = pqrs().routing_admin
        if op == "dry_run" and attempt(lambda: dry.append(admin.dry_run(rule, actor(), limit=limit)), errors):
            return _page(rule, dry=dry[0], limit=limit)
        if op == "preview":
            try:
                problems_of(rule, catalog()).raise_if_any()
            except ValidationError as exc:
                errors.update({k: as_sentence(v) for k, v in exc.errors.items()})
        return _page(rule, errors=errors, status=422 if errors else 200, limit=limit)
    saved: list[Rule] = []
    if attempt(lambda: saved.append(pqrs().routing_admin.save_rule(rule, actor())), errors):
        done = saved[0]
        if current is None:
            flash(_("Se creó la regla «%(n)s».", n=done.name), "success")
        elif done.version != current.version:
            flash(_("Se guardó la versión %(v)d de la regla «%(n)s»; la anterior queda en su historial.",
                    v=done.version, n=done.name), "success")
        else:
            flash(_("Se guardó la regla «%(n)s».", n=done.name), "success")
        return redirect(url_for("admin.rules") + f"#regla-{done.code}")
    return _page(rule, errors=errors, status=422, limit=limit)


@bp.post("/reglas/<code>/activa")
@login_required
@require(Permission.CATALOG)
def rule_toggle(code: str) -> Response:
    rule = _known(code)
    enabled = checked("enabled")
    errors: dict[str, str] = {}
    if attempt(lambda: pqrs().routing_admin.set_rule_enabled(code, enabled, actor()), errors):
        flash(_("Se activó la regla «%(n)s».", n=rule.name) if enabled else
              _("Se desactivó la regla «%(n)s».", n=rule.name), "success")
    return redirect(url_for("admin.rules") + f"#regla-{code}")


@bp.post("/reglas/<code>/orden")
@login_required
@require(Permission.CATALOG)
def rule_move(code: str) -> Response:
    _known(code)
    offset = -1 if request.form.get("direction") == "up" else 1
    errors: dict[str, Any] = {}
    attempt(lambda: pqrs().routing_admin.move_rule(code, offset, actor()), errors)
    return redirect(url_for("admin.rules") + f"#regla-{code}")
