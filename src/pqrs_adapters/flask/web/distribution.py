"""Distribution (seed 002): the supervisor sees the unassigned open cases of their queues and the load of
each agent of those queues, and assigns the selected cases to one agent, among the agents they mark in
turns (round-robin, going on from where the queue's turns stopped) or to the least loaded, or with each
queue's own strategy (``pqrs_core.domain.assignment``: skills, turns, least load). Absent people and
people at their cap receive nothing. A split is shown first as a preview (who gets what, and why) and
done when the supervisor confirms it. Each case is assigned through ``AssignCase``; what could not be
assigned is reported case by case. The page also lists the open cases held by people who are absent
today, so that the supervisor hands them to someone else.

A supervisor sees only the cases of their queues here (their visibility, narrowed to those queues);
someone who belongs to no queue (an administrator) distributes every queue.
"""

from __future__ import annotations

from typing import Any

import attrs
from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.assignment import Strategy
from pqrs_core.domain.errors import DomainError, ValidationError
from pqrs_core.domain.values import Actor
from pqrs_core.ports import CaseQuery
from pqrs_core.services.assignment import work_day

from ...accounts import User
from .auth import login_required
from .common import actor, case_error_message, catalog, config, form_text, labels, now, pqrs, require
from .workload import OPEN, agents_of, loads

PAGE_SIZE = 50
MAX_SELECTED = 200
ORDERS = {"antiguos": "oldest", "vencimiento": "deadline", "recientes": "newest"}
# The ways of splitting the cases: among the marked people, or by each queue's strategy.
SPLITS: dict[str, Strategy | None] = {"turnos": Strategy.ROUND_ROBIN, "menos_carga": Strategy.LEAST_LOADED,
                                      "estrategia": None}


def _scope(who: Actor) -> tuple[str, ...]:
    """The queues ``who`` distributes: theirs, or every active queue for someone in none."""
    active = [q.code for q in catalog().queues if q.active]
    return tuple(q for q in active if q in who.queues) if who.queues else tuple(active)


@attrs.frozen
class Filters:
    queue: str
    order: str
    after: str | None

    def url(self, after: str | None = None) -> str:
        return url_for("supervision.distribution", cola=self.queue or None, orden=self.order, despues=after)


def _filters(source: Any, scope: tuple[str, ...], errors: dict[str, str]) -> Filters:
    queue = form_text(source, "cola", 64)
    if queue and queue not in scope:
        errors["cola"] = _("Solo puede distribuir los casos de sus colas.")
        queue = ""
    order = form_text(source, "orden", 20) or "antiguos"
    if order not in ORDERS:
        errors["orden"] = _("Elija un orden de la lista.")
        order = "antiguos"
    return Filters(queue, order, form_text(source, "despues", 40) or None)


@login_required
@require(Permission.ASSIGN)
def distribution() -> ResponseReturnValue:
    errors: dict[str, str] = {}
    filters = _filters(request.args, _scope(actor()), errors)
    return _page(filters, errors, selected=(), chosen=(), agent="", status=400)


@attrs.frozen
class Preview:
    """A split waiting for the supervisor's confirmation: ``rows`` are (case, subject, person's name or
    "", why); ``plan`` only the cases someone may take."""

    how: str  # a ``SPLITS`` code
    plan: tuple[tuple[str, str], ...]  # (case, person's user name)
    rows: tuple[tuple[str, str, str, str], ...]
    counts: tuple[tuple[str, int], ...]  # (person's name, cases this split gives them)


def _preview(how: str, selected: list[str], chosen: list[str], who: Actor) -> Preview:
    """The plan for ``selected``, read in one go (cases, people, loads): nothing is assigned."""
    people = chosen if how != "estrategia" else None
    planned = pqrs().plan_distribution(selected, who, strategy=SPLITS[how], people=people)
    names = labels([p.choice.username for p in planned if p.choice is not None])
    rows: list[tuple[str, str, str, str]] = []
    plan: list[tuple[str, str]] = []
    given: dict[str, int] = {}
    nobody = _("Nadie disponible: ausentes, en su tope o cola manual")
    for item in planned:
        number = str(item.case.filing_number)
        if item.choice is None:
            rows.append((number, item.case.subject, "", nobody))
            continue
        name = names.user(item.choice.username)
        rows.append((number, item.case.subject, name, item.choice.reason))
        plan.append((number, item.choice.username))
        given[name] = given.get(name, 0) + 1
    return Preview(how, tuple(plan), tuple(rows), tuple(given.items()))


def unassigned_query(who: Actor, queue: str = "", **page: Any) -> CaseQuery | None:
    """The open cases without a person of the queues ``who`` distributes (``queue`` only, when given);
    ``None`` when they distribute no queue."""
    queues = (queue,) if queue else _scope(who)
    if not queues:
        return None
    return CaseQuery(state_categories=OPEN, queues=queues, unassigned=True, **page)


def absentees(people: list[str]) -> set[str]:
    """Those of ``people`` absent on the working day (today, or the next one on a closed day)."""
    if not people:
        return set()
    day, _weekdays = work_day(catalog(), now(), config().timezone)
    return set(pqrs().assignment_admin.absent(day)) & set(people)


def absent_cases(who: Actor, scope: tuple[str, ...], away: set[str]) -> list[Any]:
    """The open cases of ``scope`` held by the people ``away``: flagged for redistribution, soonest
    deadline first."""
    if not scope:
        return []
    found: list[Any] = []
    for person in sorted(away):
        query = CaseQuery(state_categories=OPEN, queues=scope, assignee=person, sort="deadline",
                          limit=PAGE_SIZE)
        found.extend(pqrs().cases(query, who).cases)
    return found


def unassigned_count(who: Actor) -> int:
    """How many cases wait for ``who`` to hand them out (the menu shows it beside «Distribución», the
    landing page as a widget): counted once per request."""
    counted: dict[str, int] = g.setdefault("pqrs_unassigned_counts", {})
    if who.username not in counted:
        query = unassigned_query(who)
        counted[who.username] = pqrs().count(query, who) if query is not None else 0
    return counted[who.username]


def _page(filters: Filters, errors: dict[str, str], *, selected: Any, chosen: Any, agent: str,
          status: int = 422, preview: Preview | None = None) -> ResponseReturnValue:
    who = actor()
    scope = _scope(who)
    query = unassigned_query(who, filters.queue, sort=ORDERS[filters.order], limit=PAGE_SIZE,
                             after=filters.after)
    try:
        page = pqrs().cases(query, who) if query is not None else None
    except ValidationError:
        errors["despues"] = _("El enlace de paginación no es válido.")
        page = pqrs().cases(attrs.evolve(query, after=None), who) if query is not None else None
    total = pqrs().count(query, who) if query is not None else 0
    agents = agents_of(scope)
    workload = loads(agents, who)
    cases = page.cases if page is not None else ()
    next_url = filters.url(page.next_cursor) if page is not None and page.next_cursor else None
    away = absentees([a.username for a in workload])
    absent = absent_cases(who, scope, away)
    names = labels([c.assignee for c in absent if c.assignee])
    orders = [("antiguos", _("Más antiguos primero")), ("vencimiento", _("Vencimiento más próximo primero")),
              ("recientes", _("Más recientes primero"))]
    html = render_template(
        "supervision/distribution.html", cases=cases, total=total, workload=workload, errors=errors,
        labels=names, scope=[(q, names.queue(q)) for q in scope], filters=filters, next_url=next_url,
        orders=orders, selected=set(selected), chosen=set(chosen), agent=agent, preview=preview,
        agent_options=[(a.username, a.name) for a in workload], absent_cases=absent, away=away)
    return (html, status) if errors else html


@login_required
@require(Permission.ASSIGN)
def distribute() -> ResponseReturnValue:
    who = actor()
    scope = _scope(who)
    form = request.form
    errors: dict[str, str] = {}
    filters = attrs.evolve(_filters(form, scope, errors), after=None)
    selected = list(dict.fromkeys(n.strip().upper() for n in form.getlist("casos") if n.strip()))
    agents = {u.username: u for u in agents_of(scope)}
    action = form_text(form, "accion", 20)
    agent = form_text(form, "agente", 100)
    chosen = [a for a in form.getlist("agentes") if a in agents]
    if not selected:
        errors["casos"] = _("Seleccione al menos un caso para asignar.")
    elif len(selected) > MAX_SELECTED:
        errors["casos"] = _("Seleccione como máximo %(n)d casos a la vez.", n=MAX_SELECTED)
    plan: list[tuple[str, str]] = []
    if action == "asignar" and agent not in agents:
        errors["agente"] = _("Elija la persona a quien asignar los casos.")
    elif action in SPLITS and action != "estrategia" and not chosen:
        errors["agentes"] = _("Marque al menos una persona para repartir los casos.")
    elif action == "confirmar":
        plan = [(number, person) for number in selected
                if (person := form_text(form, f"reparto-{number}", 100))]
        if not plan or any(person not in agents for _number, person in plan):
            errors["accion"] = _("El reparto cambió o no es válido: vuelva a elegir cómo repartir.")
    elif action not in ("asignar", *SPLITS):
        errors["accion"] = _("Elija cómo asignar: a una persona, por turnos o a quien tenga menos casos.")
    if errors:
        return _page(filters, errors, selected=selected, chosen=chosen, agent=agent)
    if action in SPLITS:
        return _page(filters, errors, selected=selected, chosen=chosen, agent=agent, status=200,
                     preview=_preview(action, selected, chosen, who))

    assigner = _Assigner(who, scope, form, agents)
    if action == "asignar":
        plan = [(number, agent) for number in selected]
    for number, person in plan:
        assigner(number, person)
    if action == "confirmar" and form_text(form, "como", 20) == "turnos" and assigner.last:
        pqrs().record_turns(assigner.last, who)  # the queues' next turns go on from here
    assigner.report()
    return redirect(filters.url())


class _Assigner:
    """Assigns one case at a time as the supervisor, remembering what went where and what failed."""

    def __init__(self, who: Actor, scope: tuple[str, ...], form: Any, agents: dict[str, User]) -> None:
        self.who, self.scope, self.form, self.agents = who, scope, form, agents
        self.done: dict[str, list[str]] = {}
        self.failed: list[tuple[str, str]] = []
        self.last: dict[str, str] = {}  # queue → the last person given one of its cases

    def __call__(self, number: str, agent: str) -> bool:
        try:
            case = pqrs().case(number, self.who)
            if case.queue not in self.scope:
                raise _Refused(_("no está en sus colas"))
            if case.assignee is not None:
                holder = labels([case.assignee]).user(case.assignee)
                raise _Refused(_("ya está asignado a %(name)s", name=holder))
            version = form_text(self.form, f"version-{number}", 20)
            expected = int(version) if version.isdecimal() else None
            pqrs().handle(c.AssignCase(filing_number=number, assignee=agent, expected_version=expected),
                          self.who)
        except _Refused as exc:
            self.failed.append((number, str(exc)))
            return False
        except DomainError as exc:
            self.failed.append((number, case_error_message(exc, number)))
            return False
        self.done.setdefault(agent, []).append(number)
        if case.queue is not None:
            self.last[case.queue] = agent
        return True

    def report(self) -> None:
        for agent, numbers in self.done.items():
            flash(ngettext("Se asignó %(num)d caso a %(name)s: %(cases)s.",
                           "Se asignaron %(num)d casos a %(name)s: %(cases)s.", len(numbers),
                           name=self.agents[agent].display_name, cases=", ".join(numbers)), "success")
        for number, reason in self.failed:
            flash(_("No se pudo asignar %(case)s: %(reason)s", case=number, reason=reason), "error")


class _Refused(Exception):
    pass
