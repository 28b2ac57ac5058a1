"""The supervisor's dashboard (``/panel``, where supervisors land after logging in; seed 003): widgets
each person chooses and orders (``/panel/personalizar``, remembered in their preferences), over the
cases they may see: unassigned, at risk, overdue, filed and closed today (the organisation's today),
each person's load, the month's compliance and satisfaction, and the open corrective actions. The
figures refresh themselves in place every two minutes (``static/panel.js``; not a meta refresh, which
moves the page under the reader), and an «Actualizar ahora» link does it without the script."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from pqrs_core.domain.access import Permission
from pqrs_core.domain.case_terms import reading
from pqrs_core.domain.sla import TermStatus
from pqrs_core.ports import CaseQuery

from ...accounts.preferences import get_preference, set_preference
from ...sqlalchemy import dashboard as figures
from ...sqlalchemy.causes import open_corrective_actions
from ...sqlalchemy.satisfaction import satisfaction_report
from .auth import login_required
from .common import actor, can, catalog, config, engine, labels, now, pqrs
from .distribution import unassigned_count
from .reports.page import decimal, share, today
from .reports.pages import REPORT_PAGES

bp = Blueprint("panel", __name__)
PREFERENCE = "panel_widgets"
REFRESH_SECONDS = 120
# How many of the most urgent running cases are read to count the ones at risk.
AT_RISK_WINDOW = 300
WIDGETS = {"sin_asignar": "Sin asignar", "en_riesgo": "En riesgo", "vencidos": "Vencidos",
           "radicados_hoy": "Radicados hoy", "cerrados_hoy": "Cerrados hoy", "carga": "Carga por persona",
           "cumplimiento": "Cumplimiento del mes", "satisfaccion": "Satisfacción del mes",
           "acciones": "Acciones correctivas abiertas"}


def may_see() -> bool:
    return can(Permission.ASSIGN) or can(Permission.REPORTS)


def chosen_widgets(username: str) -> list[str]:
    stored = get_preference(engine(), username, PREFERENCE)
    if isinstance(stored, list):
        return [code for code in stored if code in WIDGETS]
    return list(WIDGETS)


@attrs.frozen
class Widget:
    code: str
    title: str
    value: str | None = None  # a figure
    help: str = ""
    rows: tuple[tuple[str, int], ...] = ()  # a small table (the load)
    link: str | None = None
    warn: bool = False


def _bounds(first: Any, last: Any) -> tuple[datetime, datetime]:
    zone = ZoneInfo(config().timezone)
    return (datetime.combine(first, time.min, tzinfo=zone).astimezone(UTC),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC))


def at_risk(query: CaseQuery) -> int:
    """Open cases past the share of their term that makes them «at risk» (not overdue yet), among the
    most urgent ones whose term is not paused for the requester and not over (overdue cases, however
    many, do not take the window's places)."""
    current = now()
    cases = pqrs().cases(attrs.evolve(query, state_categories=figures.RUNNING, due_from=current,
                                      sort="deadline", limit=AT_RISK_WINDOW), actor()).cases
    risk = pqrs().deps.settings.risk_threshold
    return sum(1 for case in cases
               if (found := reading(case, catalog(), current, risk)) is not None
               and found.status is TermStatus.AT_RISK)


def build(codes: list[str]) -> list[Widget]:
    who = actor()
    visible = catalog().visibility(who)
    query = CaseQuery(visible=visible, limit=0)
    day = today()
    day_start, day_end = _bounds(day, day)
    month_start, month_end = _bounds(day.replace(day=1), day)
    built: list[Widget] = []
    with engine().connect() as conn:

        def today_count(instant: str) -> str:
            return str(figures.count_between(conn, query, instant, day_start, day_end))

        makers: dict[str, Callable[[], Widget]] = {
            "sin_asignar": lambda: Widget("sin_asignar", _("Sin asignar"), str(unassigned_count(who)),
                                          _("En sus colas, esperando responsable"),
                                          link=url_for("supervision.distribution")),
            "en_riesgo": lambda: _warn(Widget("en_riesgo", _("En riesgo"), str(at_risk(query)),
                                              _("Abiertos cerca de su vencimiento"),
                                              link=url_for("inbox.index"))),
            "vencidos": lambda: _warn(Widget("vencidos", _("Vencidos"),
                                             str(figures.overdue_count(conn, query, now())),
                                             _("Abiertos después de su fecha límite"),
                                             link=url_for("inbox.index"))),
            "radicados_hoy": lambda: Widget("radicados_hoy", _("Radicados hoy"),
                                            today_count("filed_at"),
                                            day.strftime("%d/%m/%Y")),
            "cerrados_hoy": lambda: Widget("cerrados_hoy", _("Cerrados hoy"),
                                           today_count("closed_at"),
                                           day.strftime("%d/%m/%Y")),
            "carga": lambda: _load(figures.load_by_person(conn, query)),
            "cumplimiento": lambda: _compliance(figures.compliance(conn, query, month_start, month_end)),
            "satisfaccion": lambda: _satisfaction(satisfaction_report(conn, query, month_start, month_end)),
            "acciones": lambda: _actions(*open_corrective_actions(conn, query, day)),
        }
        for code in codes:
            built.append(makers[code]())
    return built


def _warn(widget: Widget) -> Widget:
    return attrs.evolve(widget, warn=widget.value not in (None, "0"))


def _load(load: dict[str | None, int]) -> Widget:
    names = labels([person for person in load if person])
    rows = tuple(sorted(((names.user(p) if p else _("Sin responsable"), n) for p, n in load.items()),
                        key=lambda r: (-r[1], r[0])))
    return Widget("carga", _("Carga por persona"), rows=rows, help=_("Casos abiertos de cada persona"))


def _compliance(found: figures.Compliance) -> Widget:
    return Widget("cumplimiento", _("Cumplimiento del mes"), share(found.share),
                  _("%(on)s de %(all)s respondidos a tiempo", on=found.on_time, all=found.ended))


def _satisfaction(report: Any) -> Widget:
    total = report.total
    value = decimal(total.average) + " / 5" if total.average is not None else "—"
    return Widget("satisfaccion", _("Satisfacción del mes"), value,
                  ngettext("%(num)s encuesta; %(share)s satisfechos",
                           "%(num)s encuestas; %(share)s satisfechos", total.answers,
                           share=share(total.satisfied_share)),
                  link=url_for("reports.satisfaction"))


def _actions(opened: int, overdue: int) -> Widget:
    return Widget("acciones", _("Acciones correctivas abiertas"), str(opened),
                  _("%(n)s vencidas", n=overdue), link=url_for("reports.corrective_actions_list"),
                  warn=overdue > 0)


def forbidden() -> ResponseReturnValue:
    return render_template("error.html", code=403, message=_("No tiene permiso para ver esta página.")), 403


@bp.get("/panel")
@login_required
def index() -> ResponseReturnValue:
    if not may_see():
        return forbidden()
    widgets = build(chosen_widgets(actor().username))
    return render_template("web/dashboard.html", widgets=widgets, refresh=REFRESH_SECONDS,
                           updated=labels().local(now()),
                           report_pages=REPORT_PAGES if can(Permission.REPORTS) else [])


@bp.route("/panel/personalizar", methods=["GET", "POST"])
@login_required
def customise() -> ResponseReturnValue:
    if not may_see():
        return forbidden()
    username = actor().username
    chosen = chosen_widgets(username)
    errors: dict[str, str] = {}
    if request.method == "POST":
        picked: list[tuple[int, int, str]] = []
        for index, code in enumerate(WIDGETS):
            if request.form.get(f"mostrar_{code}") != "1":
                continue
            text = (request.form.get(f"orden_{code}") or "").strip()
            if text and not (text.isascii() and text.isdigit() and len(text) <= 3):
                errors[f"orden_{code}"] = _("Escriba un número entero (1, 2, 3…).")
                continue
            picked.append((int(text) if text else 999, index, code))
        if not errors:
            set_preference(engine(), username, PREFERENCE, [code for _o, _i, code in sorted(picked)])
            flash(_("Panel guardado."), "success")
            return redirect(url_for("panel.index"), code=303)
    positions = {code: chosen.index(code) + 1 for code in chosen}
    rows = [(code, _(title), code in chosen, request.form.get(f"orden_{code}", positions.get(code, "")))
            for code, title in WIDGETS.items()]
    return render_template("web/dashboard_settings.html", rows=rows, errors=errors), 422 if errors else 200


@attrs.frozen
class AgentStrip:
    """The agent's own figures above the inbox: open, at risk, overdue, and answered today against the
    daily target."""

    open: int
    at_risk: int
    overdue: int
    done_today: int
    target: int


def agent_strip() -> AgentStrip | None:
    """The strip for a person who works on cases (``None`` for anyone else, and for those who hand
    cases out: supervisors have the dashboard)."""
    if not can(Permission.WORK) or can(Permission.ASSIGN):
        return None
    who = actor()
    mine = CaseQuery(assignee=who.username, visible=catalog().visibility(who), limit=0)
    day = today()
    start, end = _bounds(day, day)
    with engine().connect() as conn:
        load = figures.load_by_person(conn, mine).get(who.username, 0)
        overdue = figures.overdue_count(conn, mine, now())
        done = figures.answered_by(conn, who.username, start, end)
    return AgentStrip(open=load, at_risk=at_risk(mine) if load else 0, overdue=overdue, done_today=done,
                      target=config().quality.target_solutions_per_day)
