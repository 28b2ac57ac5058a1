"""Escalation policies, under ``/admin/escalamiento``: for each queue and each term policy, who
receives the escalations (the next tier, a named queue, a group, an e-mail address) and at which
shares of the term. The queue's policy wins over the term policy's; without either, a case escalates
to the next tier when its term is missed."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.escalation import (
    DEFAULT_POLICY,
    QUEUE_SCOPE,
    TARGET_LABELS,
    TERM_SCOPE,
    EscalationPolicy,
    EscalationTarget,
)

from ....mail.formatting import percent
from ..auth import login_required
from ..common import actor, catalog, pqrs, require
from .support import _, attempt, bp, checked, chosen, tabs, text


def _scopes(cat: Catalog) -> list[tuple[str, str]]:
    """Every scope a policy may have, with what it is called."""
    return ([(f"{QUEUE_SCOPE}{q.code}", _("Cola %(l)s", l=q.label)) for q in cat.queues if q.active]
            + [(f"{TERM_SCOPE}{p.code}", _("Política de términos %(l)s", l=p.label))
               for p in cat.term_policies if p.active])


def _describe(policy: EscalationPolicy, cat: Catalog) -> str:
    when = ", ".join(_("al vencer") if f >= 1 else _("al %(p)s", p=percent(f)) for f in policy.fractions)
    match policy.target:
        case EscalationTarget.NEXT_TIER:
            who = _("a la cola del nivel siguiente")
        case EscalationTarget.QUEUE:
            who = _("a la cola %(l)s", l=next((q.label for q in cat.queues if q.code == policy.value),
                                             policy.value))
        case EscalationTarget.GROUP:
            who = _("avisando al grupo %(l)s", l=next((r.label for r in cat.roles if r.code == policy.value),
                                                     policy.value))
        case _:
            who = _("avisando a %(e)s", e=policy.value)
    return _("Escala %(who)s, %(when)s", who=who, when=when)


def _page(errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None,
          status: int = 200) -> tuple[str, int]:
    cat = catalog()
    fractions = sorted({f for f in cat.alarm_fractions if 0 < f <= 1} | {1.0})
    rows = []
    for scope, label in _scopes(cat):
        own = cat.escalation_policies.get(scope)
        rows.append({"scope": scope, "label": label, "own": own is not None,
                     "policy": own or DEFAULT_POLICY, "text": _describe(own or DEFAULT_POLICY, cat)})
    page = render_template(
        "admin/escalation.html", rows=rows, errors=errors or {}, typed=typed or {},
        targets=[(t.value, TARGET_LABELS[t]) for t in EscalationTarget],
        fractions=[(f"{f:g}", _("Al vencer") if f >= 1 else percent(f)) for f in fractions],
        queues=[(q.code, q.label) for q in cat.queues if q.active],
        roles=[(r.code, r.label) for r in cat.roles if r.active], tabs=tabs())
    return page, status


@bp.get("/escalamiento")
@login_required
@require(Permission.CATALOG)
def escalation() -> tuple[str, int]:
    return _page()


@bp.post("/escalamiento")
@login_required
@require(Permission.CATALOG)
def escalation_save() -> Response | tuple[str, int]:
    scope = text("scope", 200)
    labels = dict(_scopes(catalog()))
    if scope not in labels:
        abort(404)
    errors: dict[str, str] = {}
    policy: EscalationPolicy | None = None
    if not checked("default"):
        target = text("target", 40)
        typed = {"queue": text("queue", 100), "group": text("role", 100), "email": text("email", 200)}
        value = typed.get(target, "")
        try:
            shares = tuple(sorted({float(f) for f in chosen("fractions")}))
        except ValueError:
            shares = ()
        try:
            policy = EscalationPolicy(target, value, shares)
        except ValueError:
            errors["target"] = _("Elija a quién se escala.")
    value_field = {"queue": "queue", "group": "role", "email": "email"}.get(text("target", 40), "target")
    fields = {"value": value_field, **{f"fractions.{i}": "fractions" for i in range(10)}}
    admin = pqrs().routing_admin
    if not errors and attempt(lambda: admin.set_escalation_policy(scope, policy, actor()), errors, fields):
        flash(_("Se guardó el escalamiento de %(s)s.", s=labels[scope]), "success")
        return redirect(url_for("admin.escalation") + f"#esc-{scope.replace(':', '-')}")
    return _page({f"{scope}:{k}": v for k, v in errors.items()}, {"scope": scope}, 422)
