"""The board: a kanban of the visible cases by state category (todo / doing / waiting / done, seed 003)
with the count of each column, the most urgent cases first.

The counts come from the summary of everything the person may see under the chosen filters; each
column shows only its first cards and links to the inbox for the rest. Cards move on the case page,
through the transitions its workflow allows.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from ...presentation import CATEGORY_LABELS
from .auth import login_required
from .common import actor, can, catalog, labels, pqrs

bp = Blueprint("board", __name__)

CARDS_PER_COLUMN = 12
# The order of each column: open cases by urgency (deadline soonest, then priority); resolved ones by
# the latest change.
COLUMN_SORT = {StateCategory.TODO: "due", StateCategory.DOING: "due", StateCategory.WAITING: "due",
               StateCategory.DONE: "updated"}
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

    columns = _columns(query, who)
    names = labels(c.assignee for column in columns for c in column.cards)
    page = render_template("web/board.html", columns=columns, labels=names, views=views, view=view,
                           kinds=kinds, kind=kind, queues=queues, queue=queue, errors=errors,
                           total=sum(column.count for column in columns))
    return (page, 400) if errors else page


def _columns(query: CaseQuery | None, who: Actor) -> list[Column]:
    counts = pqrs().summary(query, who).by_state_category if query is not None else {}
    columns = []
    for category, label in CATEGORY_LABELS.items():
        count = counts.get(category.value, 0)
        cards: Sequence[Case] = ()
        if query is not None and count:
            cards = pqrs().cases(attrs.evolve(query, state_categories=(category,), sort=COLUMN_SORT[category],
                                              limit=CARDS_PER_COLUMN), who).cases
        more = url_for("inbox.index", categoria=category.value)
        columns.append(Column(category, _(label), count, cards, more))
    return columns
