"""The items involved in a case on its page: the invoice lines with what the ERP said of each, an item
typed by hand or added from the customer's invoices (``/casos/<n>/facturas``: paged and searched, with
«Adicionar» and «Adicionar todo»), and an item removed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import NotFound

from . import item_rows
from .auth import login_required
from .case_view import PageAnswer, case_key, perform, render_case
from .common import actor, form_version, labels, pqrs, require

bp = Blueprint("items", __name__)


@bp.post("/casos/<filing_number>/items")
@login_required
@require(Permission.EDIT)
def change(filing_number: str) -> PageAnswer:
    key = case_key(filing_number)
    form = request.form
    version = form_version(form)
    action = form.get("accion", "")
    removed = form.get("quitar", "")[:64]
    if removed:
        command = c.ChangeCaseItems(filing_number=key, remove=(removed,), expected_version=version)
        return perform(key, command, success=_("Ítem quitado."), form_name="items", anchor="items")
    if action.startswith("adicionar:"):
        rows, problem = item_rows.rows_to_add(action)
        if problem:
            flash(problem, "warning")
            return redirect(url_for("case_page.items.invoices", filing_number=key), code=303)
    else:
        rows = item_rows.read_rows(form)
    items, errors = item_rows.to_items(rows)
    if errors or not rows:
        return render_case(key, typed=form, open_form="items", status=422,
                           errors=errors or {"items.0.invoice": _("Escriba la factura, el producto y la "
                                                                  "cantidad del ítem.")})
    fields = {f"add.{i}.{name}": f"items.{i}.{name}" for i in range(len(rows)) for name in item_rows.FIELDS}
    command = c.ChangeCaseItems(filing_number=key, add=tuple(items), expected_version=version)
    return perform(key, command, success=_("Ítems agregados."), form_name="items", fields=fields,
                   anchor="items")


@bp.get("/casos/<filing_number>/facturas")
@login_required
@require(Permission.EDIT)
def invoices(filing_number: str) -> ResponseReturnValue:
    key = case_key(filing_number)
    try:
        case = pqrs().case(key, actor())
    except NotFound:
        abort(404)
    query = request.args.get("q", "")[:200]
    offset = item_rows.offset_of("facturas:" + request.args.get("desde", ""))
    page = item_rows.invoice_page(case.requester.customer_id or "", query, offset)
    return render_template("web/case_invoices.html", case=case, invoices=page, query=query,
                           configured=pqrs().invoices.configured, labels=labels(()))
