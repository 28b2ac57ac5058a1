"""A new term policy: which cases it covers (kinds, typifications, priorities, channels), its term in
days or hours, and whether it may be extended. New cases take it at once; open ones keep their
deadlines until they are recomputed."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.term_scopes import scoped_policy
from pqrs_core.domain.terms import Term, TermUnit

from ..auth import login_required
from ..common import actor, catalog, pqrs, require
from .support import attempt, bp, new_code, tabs, text, whole_number
from .term_scope import scope_options, scope_values
from .terms import MAX_AMOUNT, UNITS


def _values() -> dict[str, Any]:
    return {"label": text("label", 200), "code": text("code", 64), "amount": text("amount", 20),
            "unit": text("unit", 40), "source": text("source", 500), **scope_values()}


@bp.route("/terminos/nueva", methods=["GET", "POST"])
@login_required
@require(Permission.CATALOG)
def term_new() -> Response | tuple[str, int]:
    cat = catalog()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"unit": TermUnit.BUSINESS_DAYS.value, "extension": True}
    status = 200
    if request.method == "POST":
        values = _values()
        if not values["label"]:
            errors["label"] = _("Escriba el nombre de la política.")
        code = new_code(errors, values["label"], {p.code for p in cat.term_policies}, upper=False)
        amount = whole_number(errors, "amount", minimum=1, maximum=MAX_AMOUNT)
        if values["unit"] not in {u.value for u in TermUnit}:
            errors["unit"] = _("Elija una unidad de la lista.")
        if not errors:
            policy = scoped_policy(code, values["label"], Term(amount, TermUnit(values["unit"])), values,
                                   extension_allowed=values["extension"], source=values["source"])
            if attempt(lambda: pqrs().catalog_admin.put_term_policy(policy, actor()), errors,
                       {"resolution": "amount", "scope": "kinds"}):
                flash(_("Se creó la política «%(label)s»: los casos nuevos que cubre la toman desde ya.",
                        label=policy.label), "success")
                return redirect(url_for("admin.terms"))
        status = 422
    page = render_template(
        "admin/term_new.html", values=values, errors=errors, tabs=tabs(),
        units=[(u.value, _(w)) for u, w in UNITS.items()], options=scope_options(cat))
    return page, status
