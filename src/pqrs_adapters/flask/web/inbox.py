"""The inbox: the cases a person may see, with filters, saved views, sorting by deadline, keyset
paging, bulk actions and exports (Excel, CSV).

- ``GET /bandeja``: the table (filters in the query string: see ``inbox_filters``).
- ``POST /bandeja/acciones``: a bulk action on the ticked rows (``accion``: ``asignar``, ``mover``,
  ``anular``, also under its former name ``eliminar``: a voiding request per case; ``exportar``), then
  back to the same view with the outcome as a message.
- ``GET /bandeja/exportar``: every case the current filters select, read page by page as the file is
  written, as ``formato`` ``xlsx`` or ``csv`` with the ``columnas`` ``basicas`` or ``completas``.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import NotFound, ValidationError
from pqrs_core.domain.workflow import StateCategory

from ...accounts.preferences import INBOX_VIEW, get_preference, set_preference
from ...presentation import CATEGORY_LABELS
from ..field_filters import PREFIX
from . import bulk, export
from .auth import login_required
from .common import (
    actor,
    can,
    catalog,
    config,
    engine,
    labels,
    now,
    pqrs,
    staff_pages,
    staff_people,
    typification_choices,
)
from .dashboard import agent_strip
from .inbox_filters import (
    FIELD_NAMES,
    InboxFilters,
    check_choices,
    check_fields,
    parse_filters,
    sort_labels,
    views,
)

bp = Blueprint("inbox", __name__)
staff_pages(bp, {"inbox.index": "portal.index"})
PAGE_SIZE = 25
EXPORT_PAGE = 500


def _staff() -> bool:
    return can(Permission.WORK) or can(Permission.NOTE) or can(Permission.ASSIGN)


def _may_export() -> bool:
    return can(Permission.WORK) or can(Permission.REPORTS)


# Who may export the requesters' characterisation beside the cases: it holds sensitive data (Ley 1581 de
# 2012 art. 5), so only administrators, who answer for the processing (art. 17), add it to an export.
CHARACTERISATION_EXPORT = Permission.USERS
CHARACTERISATION_OPTION = "caracterizacion"


def may_export_characterisation() -> bool:
    return _may_export() and can(CHARACTERISATION_EXPORT)


@bp.get("/bandeja")
@login_required
def index() -> ResponseReturnValue:
    options = _options()
    filters = _filters(options)
    if "vista" in request.args and "vista" not in filters.errors and _staff():
        _remember_view(filters.view.code)
    cursor = request.args.get("despues") or None
    query = filters.query(actor(), now(), config().timezone, limit=PAGE_SIZE, after=cursor)
    try:
        page = pqrs().cases(query, actor=actor())
    except ValidationError:  # a cursor changed by hand: the first page, and a word about it
        filters = attrs.evolve(filters, errors={**filters.errors, "despues": _(
            "El enlace de paginación no es válido: se muestra la primera página.")})
        cursor = None
        page = pqrs().cases(attrs.evolve(query, after=None), actor=actor())
    cases = page.cases
    allowed = {str(x.filing_number): bulk.allowed_transitions(catalog(), x, actor()) for x in cases}
    on_page = {name for names in allowed.values() for name in names}
    options["transitions"] = [(n, label) for n, label in options["transitions"] if n in on_page]
    total = pqrs().count(attrs.evolve(query, after=None), actor=actor())
    next_url = (url_for("inbox.index", **filters.args(), despues=page.next_cursor)
                if page.next_cursor else None)
    first_url = url_for("inbox.index", **filters.args()) if cursor else None
    page_html = render_template(
        "web/inbox.html", cases=cases, labels=labels(c.assignee for c in cases), filters=filters,
        views=views(), options=options, sorts=sort_labels(), total=total, allowed=allowed,
        chips=filters.chips(_chip_names(options)), next_url=next_url, first_url=first_url,
        here=request.full_path.rstrip("?"), staff=_staff(), may=_may(), strip=agent_strip(),
        voided_outgoing=pqrs().voided_outgoing_number(query.text) if query.text else None)
    # Wrong filters: the page again, each marked with its message, as every list page answers them.
    return (page_html, 400) if filters.errors else page_html


def _filters(options: dict[str, Any]) -> InboxFilters:
    """The filters of the request, every wrong value marked on its field; without a ``vista``, the
    view the person last opened, or their own work."""
    default = _landing_view() if "vista" not in request.args else "todos"
    choices: dict[str, Container[str]] = {
        name: {code for code, _label in options[key]}
        for name, key in (("categoria", "categories"), ("estado", "states"), ("tipo", "kinds"),
                          ("prioridad", "priorities"), ("cola", "queues"), ("canal", "channels"))}
    choices["tipificacion"] = catalog().typifications
    if _staff():
        choices["responsable"] = {username for username, _name in options["people"]}
    for definition in catalog().fields:
        if definition.type.with_options:
            choices[PREFIX + definition.code] = set(definition.choices)
    filters = check_fields(parse_filters(request.args, default), {f.code for f in catalog().fields})
    return check_choices(filters, choices)


def _chip_names(options: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The label of each value of the filters with a list of choices."""
    names = {name: dict(options[key]) for name, key in (
        ("categoria", "categories"), ("estado", "states"), ("tipo", "kinds"), ("prioridad", "priorities"),
        ("cola", "queues"), ("canal", "channels"), ("responsable", "people"))}
    names["tipificacion"] = {code: text for group in options["typifications"] for code, text in group.options}
    for definition in catalog().fields:
        names[PREFIX + definition.code] = dict(definition.options())
    names[FIELD_NAMES] = {PREFIX + d.code: d.label for d in catalog().fields}
    return names


def _landing_view() -> str:
    """Where the inbox opens: the view the person last chose; for agents and back office (who work
    cases and distribute none) their own open cases, or their queues' when they have none."""
    remembered = get_preference(engine(), actor().username, INBOX_VIEW)
    if remembered in {v.code for v in views()}:
        return str(remembered)
    if not can(Permission.WORK) or can(Permission.ASSIGN):
        return "todos"
    mine = parse_filters({"vista": "mis_casos"}).query(actor(), now(), config().timezone, limit=1)
    if pqrs().cases(mine, actor=actor()).cases:
        return "mis_casos"
    return "mi_cola" if actor().queues else "todos"


def _remember_view(code: str) -> None:
    if get_preference(engine(), actor().username, INBOX_VIEW) != code:
        set_preference(engine(), actor().username, INBOX_VIEW, code)


def _may() -> dict[str, bool]:
    """Which bulk actions to offer (each is checked again when posted)."""
    return {"file": can(Permission.FILE) and _staff(),
            "assign": can(Permission.ASSIGN), "take": can(Permission.TAKE), "move": can(Permission.WORK),
            "export": _may_export(), "delete": can(Permission.DELETE),
            "export_characterisation": may_export_characterisation()}


def _options() -> dict[str, Any]:
    """The choices of every filter and bulk action, from the catalog."""
    cat = catalog()
    states: dict[str, str] = {}
    for workflow in cat.workflows:
        for state in workflow.states:
            states.setdefault(state.code, state.label)
    active = [(e.code, e.label) for e in cat.entries("kinds") if e.active]
    return {
        "categories": [(c.value, CATEGORY_LABELS[c]) for c in StateCategory],
        "states": sorted(states.items(), key=lambda s: s[1].casefold()),
        "kinds": active,
        "channels": [(e.code, e.label) for e in cat.entries("channels") if e.active],
        "priorities": [(p.code, p.label) for p in cat.priorities if p.active],
        "queues": [(q.code, q.label) for q in cat.queues if q.active],
        "people": staff_people() if _staff() else [],
        "typifications": typification_choices(),
        "transitions": bulk.bulk_transitions(cat),
        "fields": [d for d in cat.fields if d.active],
    }


# ----------------------------------------------------------------------------------- bulk actions
def _back() -> str:
    target = request.form.get("volver", "")
    if target.startswith("/bandeja") and "//" not in target and "\\" not in target:
        return target
    return url_for("inbox.index")


@bp.post("/bandeja/acciones")
@login_required
def bulk_action() -> ResponseReturnValue:
    action = request.form.get("accion", "")
    selection = bulk.Selection.from_form(request.form)
    if action == "eliminar":
        action = "anular"  # deleting became voiding: the former action asks for it too
    if action not in ("asignar", "mover", "anular", "exportar_xlsx", "exportar_csv"):
        abort(400)
    _check_permission(action)
    problem = bulk.selection_problem(selection.items)
    if problem:
        flash(problem, "error")
        return redirect(_back())
    if action.startswith("exportar_"):
        return _export_selected(selection, action.removeprefix("exportar_"))
    names: dict[str, str] = {}
    if action == "asignar":
        assignee = request.form.get("persona", "").strip()[:100] or None
        queue = request.form.get("cola", "").strip()[:100] or None
        if assignee is None and queue is None:
            flash(_("Elija a quién asignar los casos, o a qué cola."), "error")
            return redirect(_back())
        if assignee is not None:
            names["assignee"] = labels([assignee]).user(assignee)
        if queue is not None:
            names["queue"] = labels().queue(queue)
        outcome = bulk.assign(selection, assignee, queue)
    elif action == "mover":
        transition = request.form.get("transicion", "").strip()[:100]
        choices = dict(bulk.bulk_transitions(catalog()))
        if transition not in choices:
            flash(_("Elija la transición con la que mover los casos."), "error")
            return redirect(_back())
        names["transition"] = choices[transition]
        outcome = bulk.move(selection, transition)
    else:
        reason = request.form.get("motivo", "").strip()[:2000]
        if not reason:
            flash(_("Escriba el motivo de la anulación: queda en la historia de cada caso."), "error")
            return redirect(_back())
        outcome = bulk.request_voiding(selection, reason)
    message, category = outcome.message(bulk.done_message(action, len(outcome.done), names))
    flash(message, category)
    return redirect(_back())


def _check_permission(action: str) -> None:
    """Each action's permission, checked here and again by every use case."""
    if action == "asignar":
        mine = request.form.get("persona", "").strip() == actor().username
        allowed = can(Permission.ASSIGN) or (mine and can(Permission.TAKE))
    elif action == "mover":
        allowed = can(Permission.WORK)
    elif action == "anular":
        allowed = can(Permission.DELETE)
    else:
        allowed = _may_export()
    if not allowed:
        abort(403)


# ----------------------------------------------------------------------------------------- exports
def _export_response(pages: Iterator[Sequence[Case]], file_format: str, column_set: str,
                     about: list[tuple[str, str]], source: Any) -> Response:
    with_characterisation = bool(source.get(CHARACTERISATION_OPTION))
    if with_characterisation and not may_export_characterisation():
        abort(403)
    cols = export.columns(column_set, catalog().fields, characterisation=with_characterisation)
    zone = config().timezone
    stamp = now().astimezone(ZoneInfo(zone))
    name = f"casos-{stamp:%Y%m%d-%H%M}-{column_set}.{file_format}"
    if file_format == "csv":
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        chunks = export.csv_chunks(cols, export.rows(pages, cols, characterisation=with_characterisation),
                                   zone)
        return Response(stream_with_context(chunks), content_type=export.CSV_TYPE, headers=disposition)
    names = labels()
    about = [(_("Generado el"), names.local(now())), (_("Por"), names.user(actor().username)), *about]
    if with_characterisation:
        about.append((_("Caracterización"), _("Incluida a solicitud de quien exporta (datos sensibles)")))
    output = export.xlsx_file(cols, export.rows(pages, cols, characterisation=with_characterisation), zone,
                              about)
    return send_file(output, mimetype=export.XLSX_TYPE, as_attachment=True, download_name=name,
                     max_age=0)


def _format_and_columns(source: Any, file_format: str | None = None) -> tuple[str, str]:
    file_format = file_format or source.get("formato", "xlsx")
    column_set = source.get("columnas", "basicas")
    if file_format not in export.FORMATS or column_set not in export.COLUMN_SETS:
        abort(400)
    return file_format, column_set


def _export_selected(selection: bulk.Selection, file_format: str) -> Response:
    file_format, column_set = _format_and_columns(request.form, file_format)
    found: list[Case] = []
    for number in selection.numbers:
        try:
            found.append(pqrs().case(number, actor()))
        except NotFound:
            continue  # deleted meanwhile, or no longer visible: left out
    about = [(_("Casos"), _("Los %(n)d seleccionados en la bandeja", n=len(found)))]
    return _export_response(iter([found]), file_format, column_set, about, request.form)


@bp.get("/bandeja/exportar")
@login_required
def export_matching() -> ResponseReturnValue:
    if not _may_export():
        abort(403)
    file_format, column_set = _format_and_columns(request.args)
    filters = _filters(_options())
    if filters.errors:  # the page again, the wrong filters marked
        return redirect(f"{url_for('inbox.index')}?{request.query_string.decode('ascii', 'replace')}")
    who, at, zone = actor(), now(), config().timezone

    def pages() -> Iterator[Sequence[Case]]:
        cursor = None
        while True:
            page = pqrs().cases(filters.query(who, at, zone, limit=EXPORT_PAGE, after=cursor), actor=who)
            yield page.cases
            cursor = page.next_cursor
            if cursor is None:
                return

    view = url_for("inbox.index", **filters.args(), _external=True)
    about = [(_("Casos"), _("Todos los que selecciona la vista «%(view)s» con sus filtros",
                            view=filters.view.label)),
             (_("Vista de la bandeja"), view)]
    return _export_response(pages(), file_format, column_set, about, request.args)
