"""Filing a case received by phone, in person or on paper: the staff's new-case form.

``/casos/nuevo`` is one page in the order an agent hears a call. Its "Buscar" button (and, with
JavaScript, ``/casos/nuevo/peticionario`` as the agent leaves the document or e-mail field) finds the
requester of earlier cases and the customers of the directories plugins provide. Each rendered form
carries a one-time token that is claimed before filing, so a double click or a browser resubmit files
one case and the second request lands on it.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import attrs
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import DomainError, ValidationError
from pqrs_core.domain.values import RequesterKind
from pqrs_core.services.customers import clean_document

from ...presentation import REFERENCE_LABELS, error_message
from ...sqlalchemy import idempotency
from . import characterisation as charact
from . import filing_form as ff
from . import item_rows
from .auth import login_required
from .common import actor, can, catalog, config, engine, labels, now, pqrs, typification_choices
from .handling_time import seconds_since_opened
from .requester_lookup import (
    Lookup,
    directory_customer,
    find_requester,
    remember_requester,
    requester_values,
)

bp = Blueprint("filing", __name__)

TOKEN_FIELD = "form_token"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_KEY_PREFIX = "web:nuevo-caso:"
_REQUEST_KIND = "web-new-case"
WAIT_FOR_TWIN = 10.0  # seconds a resubmitted form waits for the first submission to finish


def may_file_for_others() -> bool:
    """Service staff who file cases for requesters (the menu shows them "Nuevo caso")."""
    return can(Permission.FILE) and (can(Permission.WORK) or can(Permission.NOTE) or can(Permission.ASSIGN))


def _require_staff() -> None:
    if not may_file_for_others():
        abort(403)


@bp.route("/casos/nuevo", methods=["GET", "POST"])
@login_required
def new_case() -> ResponseReturnValue:
    _require_staff()
    cat = catalog()
    timezone = config().timezone
    if request.method == "GET":
        return _page(ff.initial_form(now(), timezone), _new_token())
    form = ff.read_form(request.form, cat)
    token = request.form.get(TOKEN_FIELD, "")
    action = request.form.get("accion", "radicar")
    if action == "buscar":
        return _search(form, token)
    if action.startswith("cliente:"):
        return _pick_customer(form, token, action)
    if action.startswith(item_rows.ITEM_ACTIONS):
        return _items(form, token, action)
    if not _TOKEN.match(token):
        form.add_error(TOKEN_FIELD, _("el formulario no tenía su marca de envío; revise los datos y radique "
                                      "de nuevo"), "")
        return _page(form, _new_token(), status=422)
    answers, problems = charact.read(request.form)
    for name, message in problems.items():
        form.add_error(name, message, _("Caracterización"))
    command = ff.to_command(form, cat, timezone)
    if command is None or problems:
        return _page(form, token, status=422)
    command = attrs.evolve(command, handling_seconds=seconds_since_opened())
    who = actor()
    key = _KEY_PREFIX + token
    if not idempotency.claim(engine(), key, who.username, _REQUEST_KIND):
        return _already_filed(form, token, key)
    try:
        case: Case = pqrs().handle(command, who)
    except ValidationError as exc:
        idempotency.release(engine(), key, who.username)
        ff.place_errors(form, exc, cat)
        return _page(form, token, status=422)
    except DomainError as exc:
        idempotency.release(engine(), key, who.username)
        flash(error_message(exc), "error")
        return _page(form, token, status=422)
    except BaseException:
        idempotency.release(engine(), key, who.username)
        raise
    charact.keep(case, answers, case.channel or "")
    url = url_for("case_page.detail", filing_number=str(case.filing_number))
    idempotency.settle(engine(), key, who.username, 201, {"filing_number": str(case.filing_number)}, url)
    flash(_filed_message(case), "success")
    return redirect(url, code=303)


def _filed_message(case: Case) -> str:
    number = str(case.filing_number)
    if case.first_contact_resolution:
        return str(_("Radicado %(n)s y cerrado: resuelto en el primer contacto.", n=number))
    if case.resolution_due is not None:
        return str(_("Radicado %(n)s; respuesta a más tardar el %(due)s.", n=number,
                     due=labels().local(case.resolution_due)))
    return str(_("Radicado %(n)s.", n=number))


def _already_filed(form: ff.FilingForm, token: str, key: str) -> ResponseReturnValue:
    """The same form was sent before: go to the case it filed (waiting if it is still being filed)."""
    who = actor()
    stored = idempotency.wait_settled(engine(), key, who.username, timeout=WAIT_FOR_TWIN)
    if stored is None:  # the first submission failed and gave the token back: file this one
        return _page(form, token, status=409, notice=_(
            "El envío anterior de este formulario no se pudo radicar. Revise los datos y radique de "
            "nuevo."))
    if stored.status_code != idempotency.PENDING and stored.location:
        number = stored.body.get("filing_number", "") if isinstance(stored.body, dict) else ""
        flash(_("Este formulario ya se había radicado como %(n)s; no se radicó otra vez.", n=number),
              "info")
        return redirect(stored.location, code=303)
    return _page(form, token, status=409, notice=_(
        "Este formulario se está radicando en otra pestaña o envío; espere un momento y consulte la "
        "bandeja antes de radicarlo otra vez."))


def _search(form: ff.FilingForm, token: str) -> ResponseReturnValue:
    lookup = find_requester(form.get("requester.document_number"), form.get("requester.email"))
    if not lookup.searched:
        form.add_error("requester.document_number",
                       _("escriba un número de documento o un correo electrónico para buscar"),
                       _("Buscar peticionario"))
        return _page(form, token, lookup=lookup, status=422)
    best = lookup.best()
    if best is not None:
        _fill_blanks(form, requester_values(best))
    return _page(form, token, lookup=lookup, focus="requester")


def _pick_customer(form: ff.FilingForm, token: str, choice: str) -> ResponseReturnValue:
    found = directory_customer(choice)
    if found is None:
        flash(_("El directorio de clientes no encontró ese cliente."), "warning")
        return _page(form, token, focus="requester")
    for name in ("requester.customer_id", "requester.branch", "requester.lead_id"):
        form.values[name] = ""
    form.values.update(requester_values(found.requester()))
    lookup = find_requester(form.get("requester.document_number"), form.get("requester.email"))
    return _page(form, token, lookup=lookup, focus="requester")


def _items(form: ff.FilingForm, token: str, action: str) -> ResponseReturnValue:
    """The requester's invoices («Ver facturas», paged and searched), an invoice's lines added as items
    («Adicionar», «Adicionar todo»), an item row removed («Quitar»)."""
    if action.startswith("adicionar:"):
        rows, problem = item_rows.rows_to_add(action)
        if problem:
            flash(problem, "warning")
        form.items = item_rows.merge(form.items, rows)
    elif action.startswith("quitar-item:"):
        position = action.removeprefix("quitar-item:")
        if position.isdigit() and int(position) < len(form.items):
            del form.items[int(position)]
    return _page(form, token, focus="items")


def _fill_blanks(form: ff.FilingForm, values: dict[str, str]) -> None:
    """Fill the requester's inputs the agent left empty (what was typed is kept). The kind and the
    document type, which always hold a choice, follow the requester found unless the agent chose
    otherwise (an ERP id typed, another document number)."""
    kind = values.get("requester.kind")
    if kind and form.get("requester.kind") in ("", RequesterKind.PERSON.value) and not form.get(
            "requester.customer_id") and not form.get("requester.lead_id"):
        form.values["requester.kind"] = kind
    typed = clean_document(form.get("requester.document_number"))
    if values.get("requester.document_type") and typed in (None, values.get("requester.document_number")):
        form.values["requester.document_type"] = values["requester.document_type"]
    for name, value in values.items():
        if name not in ("requester.kind", "requester.document_type") and not form.get(name):
            form.values[name] = value


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def _page(form: ff.FilingForm, token: str, *, lookup: Lookup | None = None, status: int = 200,
          notice: str | None = None, focus: str | None = None) -> ResponseReturnValue:
    cat = catalog()
    cells, other_priorities = ff.priority_options(cat)
    action = request.form.get("accion", "") if request.method == "POST" else ""
    invoices = None
    if action.startswith(item_rows.ITEM_ACTIONS):
        invoices = item_rows.invoice_page(form.get("requester.customer_id"),
                                          request.form.get("facturas_q", ""), item_rows.offset_of(action))
    page = render_template(
        "web/new_case.html", form=form, token=token, token_field=TOKEN_FIELD, lookup=lookup, notice=notice,
        focus=focus, labels=labels([c.filed_by for c in lookup.cases] if lookup else ()),
        channels=ff.channel_options(cat), verbal_channels=sorted(ff.VERBAL_CHANNELS),
        kinds=[(e.code, e.label) for e in cat.kinds if e.active],
        reasons=[(e.code, e.label) for e in cat.reasons if e.active],
        document_types=[(e.code, e.label) for e in cat.document_types if e.active],
        requester_kinds=_requester_kinds(), typifications=typification_choices(),
        priority_cells=cells, other_priorities=other_priorities,
        reference_kinds=list(REFERENCE_LABELS.items()), custom_fields=ff.custom_fields_for(cat),
        kind_labels={e.code: e.label for e in cat.kinds}, invoices=invoices,
        invoices_configured=pqrs().invoices.configured, invoices_query=request.form.get("facturas_q", ""),
        **charact.context(charact.read(request.form)[0] if request.method == "POST" else charact.blank(),
                          staff=True))
    return page, status


def _requester_kinds() -> list[tuple[str, str]]:
    return [(RequesterKind.PERSON.value, _("Persona (no registrada como cliente)")),
            (RequesterKind.CUSTOMER.value, _("Cliente (ERP)")),
            (RequesterKind.LEAD.value, _("Cliente potencial")),
            (RequesterKind.ANONYMOUS.value, _("Anónimo"))]


@bp.post("/casos/nuevo/casos-del-peticionario")
@login_required
def requester_cases() -> ResponseReturnValue:
    """The inbox with every case of the requester typed in the new-case form (its "Ver los N casos"
    button posts the form here, in a new tab): the document and e-mail stay out of the address."""
    _require_staff()
    key = remember_requester(request.form.get("requester.document_number", "")[:200],
                             request.form.get("requester.email", "")[:300])
    if key is None:
        flash(_("Escriba el documento o el correo del peticionario para ver sus casos."), "error")
        return redirect(url_for("inbox.index"))
    return redirect(url_for("inbox.index", peticionario=key))


@bp.post("/casos/nuevo/peticionario")
@login_required
def requester_lookup() -> Response:
    """JSON for the form's script: the requester's inputs to fill and the results to show. The
    document and the e-mail come in the body of a POST (with the CSRF token), never in the address:
    addresses end up in access logs, proxies and the browser's history."""
    _require_staff()
    lookup = find_requester(request.form.get("documento", "")[:200], request.form.get("correo", "")[:300])
    best = lookup.best()
    html = render_template("web/new_case_lookup.html", lookup=lookup,
                           labels=labels([c.filed_by for c in lookup.cases]))
    body: dict[str, Any] = {
        "searched": lookup.searched,
        "requester": requester_values(best) if best is not None else None,
        "cases": [{"filing_number": str(c.filing_number), "subject": c.subject,
                   "url": url_for("case_page.detail", filing_number=str(c.filing_number))}
                  for c in lookup.cases],
        "customers": [{"directory": f.directory, "customer_id": f.customer.customer_id,
                       "name": f.customer.name, "requester": f.values()} for f in lookup.customers],
        "unavailable": list(lookup.unavailable),
        "html": html,
    }
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response
