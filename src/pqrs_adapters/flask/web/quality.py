"""Quality (seed 002): the quality advisor lists the closed cases (not yet reviewed, reviewed, or all; closed
between two dates; of one kind) and records a review of one: a score from 1 to 5, the checklist and
observations (``RecordQualityReview``). The review joins the case's history.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ConcurrencyConflict, DomainError, NotFound, ValidationError
from pqrs_core.domain.events import QualityReviewed
from pqrs_core.domain.quality import CHECKLIST, MAX_SCORE, MIN_SCORE
from pqrs_core.domain.values import MAX_LONG_TEXT, FilingNumber
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from ...presentation import error_message
from .auth import login_required
from .common import actor, catalog, config, form_text, form_version, labels, pqrs, require

PAGE_SIZE = 25
REVIEWED = {"pendientes": False, "revisados": True, "todos": None}
SCALE = {1: "Deficiente", 2: "Insuficiente", 3: "Aceptable", 4: "Bueno", 5: "Excelente"}


def _day(value: str, field: str, errors: dict[str, str], *, end: bool) -> datetime | None:
    """A date of the form (``aaaa-mm-dd``) as the instant its day starts in the organisation's time zone
    (``end``: the next day's start, so that the day is included)."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors[field] = _("Escriba la fecha como aaaa-mm-dd.")
        return None
    if end:
        if day == date.max:
            return None
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(config().timezone)).astimezone(UTC)


@login_required
@require(Permission.QUALITY)
def index() -> ResponseReturnValue:
    args = request.args
    errors: dict[str, str] = {}
    reviewed = args.get("revision", "pendientes")
    if reviewed not in REVIEWED:
        errors["revision"] = _("Elija una opción de la lista.")
        reviewed = "pendientes"
    kinds = [(e.code, e.label) for e in catalog().kinds if e.active]
    kind = args.get("tipo", "")
    if kind and kind not in dict(kinds):
        errors["tipo"] = _("El tipo «%(code)s» no existe.", code=kind[:64])
        kind = ""
    since, until = args.get("desde", "")[:10], args.get("hasta", "")[:10]
    closed_from = _day(since, "desde", errors, end=False)
    closed_to = _day(until, "hasta", errors, end=True)
    if closed_from and closed_to and closed_from >= closed_to:
        errors["hasta"] = _("La fecha final debe ser igual o posterior a la inicial.")
    query = CaseQuery(state_categories=(StateCategory.DONE,), closed=True,
                      quality_reviewed=REVIEWED[reviewed], kinds=(kind,) if kind else (),
                      closed_from=closed_from, closed_to=closed_to, sort="closed", limit=PAGE_SIZE,
                      after=args.get("despues") or None)
    who = actor()
    try:
        page = pqrs().cases(query, who)
    except ValidationError:
        errors["despues"] = _("El enlace de paginación no es válido.")
        query = attrs.evolve(query, after=None)
        page = pqrs().cases(query, who)
    next_url = None
    if page.next_cursor:
        next_url = url_for("supervision.quality", revision=reviewed, tipo=kind or None, desde=since or None,
                           hasta=until or None, despues=page.next_cursor)
    options = [("pendientes", _("Sin revisar")), ("revisados", _("Revisados")), ("todos", _("Todos"))]
    html = render_template(
        "supervision/quality.html", cases=page.cases, total=pqrs().summary(query, who).total, errors=errors,
        labels=labels(x.assignee for x in page.cases), kinds=kinds, kind=kind, since=since, until=until,
        reviewed=reviewed, next_url=next_url, reviewed_options=options)
    return (html, 400) if errors else html


def _closed_case(filing_number: str) -> Case:
    try:
        return pqrs().case(str(FilingNumber.parse(filing_number)), actor())
    except (ValidationError, NotFound):
        abort(404)


@login_required
@require(Permission.QUALITY)
def review(filing_number: str) -> ResponseReturnValue:
    case = _closed_case(filing_number)
    blank = {"version": case.version, "puntaje": "", "chequeo": [], "observaciones": ""}
    return _review_page(case, {}, blank)


def _review_page(case: Case, errors: dict[str, str], typed: dict[str, Any],
                 status: int = 200) -> ResponseReturnValue:
    number = str(case.filing_number)
    history = pqrs().history(number, actor())
    names = labels([case.assignee, case.filed_by, *(e.actor for e in history)])
    reviews = [{"at": e.occurred_at, "actor": names.user(e.actor), "text": names.describe(e, case)}
               for e in history if isinstance(e, QualityReviewed)]
    response = next((e for e in reversed(history) if e.name == "CaseResponded"), None)
    html = render_template("supervision/quality_review.html", case=case, labels=names, errors=errors,
                           typed=typed, reviews=reviews, response=response, checklist=CHECKLIST,
                           scale=[(n, _(SCALE[n])) for n in range(MIN_SCORE, MAX_SCORE + 1)])
    return (html, status) if status != 200 else html


@login_required
@require(Permission.QUALITY)
def record(filing_number: str) -> ResponseReturnValue:
    case = _closed_case(filing_number)
    form = request.form
    codes = dict(CHECKLIST)
    score_text = form_text(form, "puntaje", 4)
    checked = [x for x in form.getlist("chequeo") if x in codes]
    notes = form_text(form, "observaciones", MAX_LONG_TEXT + 1)
    typed: dict[str, Any] = {"version": form_version(form) or case.version, "puntaje": score_text,
                             "chequeo": checked, "observaciones": notes}
    errors: dict[str, str] = {}
    score = int(score_text) if score_text.isdecimal() else None
    if score is None or not MIN_SCORE <= score <= MAX_SCORE:
        errors["puntaje"] = _("Elija una calificación de %(low)d a %(high)d.", low=MIN_SCORE, high=MAX_SCORE)
    if len(notes) > MAX_LONG_TEXT:
        errors["observaciones"] = _("Las observaciones admiten como máximo %(n)d caracteres.",
                                    n=MAX_LONG_TEXT)
    if errors or score is None:
        return _review_page(case, errors, typed, 422)
    command = c.RecordQualityReview(filing_number=str(case.filing_number), score=score,
                                    checklist={code: code in checked for code in codes},
                                    notes=notes, expected_version=form_version(form))
    try:
        pqrs().handle(command, actor())
    except ConcurrencyConflict as exc:
        flash(_("El caso cambió mientras usted lo editaba: %(detail)s Su revisión no se guardó; revise los "
                "cambios y envíela de nuevo.", detail=error_message(exc)), "error")
        current = _closed_case(filing_number)
        return _review_page(current, errors, {**typed, "version": current.version}, 409)
    except DomainError as exc:
        flash(error_message(exc), "error")
        return _review_page(case, errors, typed, 422)
    following = next_to_review(str(case.filing_number))
    if following is None:
        flash(_("Se registró la revisión de calidad de %(case)s. No quedan casos cerrados sin revisar.",
                case=str(case.filing_number)), "success")
        return redirect(url_for("supervision.quality"))
    flash(_("Se registró la revisión de calidad de %(case)s. Siguiente caso: %(next)s.",
            case=str(case.filing_number), next=following), "success")
    return redirect(url_for("supervision.quality_review", filing_number=following))


def next_to_review(reviewed: str) -> str | None:
    """The closed case to review after ``reviewed``: the latest closed one not yet reviewed."""
    query = CaseQuery(state_categories=(StateCategory.DONE,), closed=True, quality_reviewed=False,
                      sort="closed", limit=2)
    found = [str(x.filing_number) for x in pqrs().cases(query, actor()).cases]
    return next((number for number in found if number != reviewed), None)
