"""The board: a kanban of the visible cases by state category (todo / doing / waiting / done, seed 003)
with the count of each column, the most urgent cases first.

The counts come from the summary of everything the person may see under the chosen filters; each
column shows only its first cards and links to the inbox for the rest. A card carries buttons for the
workflow transitions that need nothing but a click (start, resubmit, close); the others (respond,
request information...) are done on the case page, where they ask for what they need.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import DEDICATED_TRANSITIONS, Case
from pqrs_core.domain.errors import DomainError
from pqrs_core.domain.values import Actor
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from ...presentation import CATEGORY_LABELS
from .auth import login_required
from .case_cause import close_command
from .common import (
    actor,
    can,
    case_error_message,
    catalog,
    form_text,
    form_version,
    labels,
    pqrs,
    require,
    run,
    staff_pages,
)

bp = Blueprint("board", __name__)
staff_pages(bp, {"board.index": "portal.index"})

CARDS_PER_COLUMN = 12
# The order of each column: open cases by urgency (deadline soonest, then priority); resolved ones by
# the latest change.
COLUMN_SORT = {StateCategory.TODO: "deadline", StateCategory.DOING: "deadline",
               StateCategory.WAITING: "deadline", StateCategory.DONE: "updated"}
VIEWS = ("todos", "mios", "mis_colas")


@attrs.frozen
class Column:
    category: StateCategory
    label: str
    count: int
    cards: Sequence[Case]
    more_url: str


def _views(who: Actor) -> list[tuple[str, str]]:
    """The views the person may choose (service staff only; everyone else sees what is theirs)."""
    if not (can(Permission.WORK) or can(Permission.ASSIGN)):
        return []
    views = [("todos", _("Todos los que puedo ver")), ("mios", _("Asignados a mí"))]
    if who.queues:
        views.append(("mis_colas", _("De mis colas")))
    return views


@bp.get("/tablero")
@login_required
def index() -> str | tuple[str, int]:
    who = actor()
    views = _views(who)
    kinds = [(e.code, e.label) for e in catalog().kinds if e.active]
    queues = [(q.code, q.label) for q in catalog().queues if q.active] if views else []
    errors: dict[str, str] = {}

    view = request.args.get("vista", "todos")
    if view not in dict(views):
        if view != "todos":
            errors["vista"] = _("Elija una vista de la lista.")
        view = "todos"
    kind = request.args.get("tipo", "")
    if kind and kind not in dict(kinds):
        errors["tipo"] = _("El tipo «%(code)s» no existe.", code=kind[:64])
        kind = ""
    queue = request.args.get("cola", "")
    if queue and queue not in dict(queues):
        errors["cola"] = _("La cola «%(code)s» no existe.", code=queue[:64])
        queue = ""

    base = CaseQuery(kinds=(kind,) if kind else (), queues=(queue,) if queue else ())
    query: CaseQuery | None = base
    if view == "mios":
        query = attrs.evolve(base, assignee=who.username)
    elif view == "mis_colas":
        mine = tuple(sorted(who.queues))
        wanted = tuple(q for q in mine if q == queue) if queue else mine
        query = attrs.evolve(base, queues=wanted) if wanted else None  # a queue not mine: nothing

    columns = _columns(query, who, view, kind, queue)
    cards = [card for column in columns for card in column.cards]
    names = labels(card.assignee for card in cards)
    page = render_template("web/board.html", columns=columns, labels=names, views=views, view=view,
                           kinds=kinds, kind=kind, queues=queues, queue=queue, errors=errors,
                           total=sum(column.count for column in columns), moves=_moves(cards, who))
    return (page, 400) if errors else page


def _more_url(category: StateCategory, view: str, kind: str, queue: str, who: Actor) -> str:
    """The inbox showing the rest of a column: the same cases (view, kind, queue), in the same order.
    The inbox's views "mis casos" and "mi cola" hold open cases only: for the resolved column "mine"
    is the assignee filter, and "my queues" the queue filter (when there is one queue to name: the
    inbox filters one queue at a time)."""
    resolved = category is StateCategory.DONE
    args: dict[str, Any] = {"vista": "todos", "categoria": category.value, "tipo": kind or None,
                            "cola": queue or None, "orden": "actualizados" if resolved else "vencimiento"}
    if view == "mios":
        args.update({"responsable": who.username} if resolved else {"vista": "mis_casos"})
    elif view == "mis_colas" and not resolved:
        args["vista"] = "mi_cola"
    elif view == "mis_colas" and not queue and len(who.queues) == 1:
        args["cola"] = next(iter(who.queues))
    return url_for("inbox.index", **args)


def _columns(query: CaseQuery | None, who: Actor, view: str, kind: str, queue: str) -> list[Column]:
    counts = pqrs().count_by_state_category(query, who) if query is not None else {}
    columns = []
    for category, label in CATEGORY_LABELS.items():
        count = counts.get(category.value, 0)
        cards: Sequence[Case] = ()
        if query is not None and count:
            cards = pqrs().cases(attrs.evolve(query, state_categories=(category,), sort=COLUMN_SORT[category],
                                              limit=CARDS_PER_COLUMN), who).cases
        columns.append(Column(category, _(label), count, cards, _more_url(category, view, kind, queue, who)))
    return columns


# Transitions a card offers: those that need no input. ``close`` goes through ``CloseCase``.
CLICK_ONLY_DEDICATED = frozenset({"close"})


def _moves(cards: Sequence[Case], who: Actor) -> dict[str, list[tuple[str, str]]]:
    """For each card, the ``(transition, label)`` buttons ``who`` may press."""
    if not can(Permission.WORK):
        return {}
    moves: dict[str, list[tuple[str, str]]] = {}
    cat = catalog()
    for card in cards:
        workflow = card.known_workflow(cat)  # the version the case was filed under
        if workflow is None:
            continue
        moves[str(card.filing_number)] = [
            (t.name, t.label) for t in workflow.allowed_for(card.state, who)
            if t.name not in DEDICATED_TRANSITIONS or t.name in CLICK_ONLY_DEDICATED]
    return moves


@bp.post("/tablero/mover")
@login_required
@require(Permission.WORK)
def move() -> ResponseReturnValue:
    """Move a card: fire one transition on the case, at the version the board showed."""
    form = request.form
    number = form_text(form, "radicado", 40)
    transition = form_text(form, "transicion", 64)
    version = form_version(form)
    command: object
    if transition == "close":
        try:
            command = close_command(number, version)
        except DomainError as exc:
            flash(case_error_message(exc, number), "error")
            command = None
    else:
        command = c.TransitionCase(filing_number=number, transition=transition, expected_version=version)
    moved = run(command) if command is not None else None
    if isinstance(moved, Case):
        flash(_("El caso %(case)s pasó a «%(state)s».", case=number, state=labels().state(moved)), "success")
    view, kind, queue = (form_text(form, name, 64) or None for name in ("vista", "tipo", "cola"))
    return redirect(url_for("board.index", vista=view, tipo=kind, cola=queue))
