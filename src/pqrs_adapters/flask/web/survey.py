"""The satisfaction survey a requester reaches from the response e-mail (``/encuesta/<token>``).

Opening the link only shows the form; the answer is recorded when the form is sent (a mail scanner that
follows links casts no vote). One answer per case: a second one is refused politely. A link that was
tampered with is «not valid»; one older than ``PQRS_SURVEY_DAYS``, «expired». No account is needed: the
signed link is the requester's credential, and the page shows only the case's number and subject.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ...mail.formatting import long_date
from ...sqlalchemy.satisfaction import (
    MAX_COMMENT,
    MAX_SCORE,
    MIN_SCORE,
    answer_of,
    record_answer,
    surveyed_case,
)
from ...surveys import SurveyLinkError, SurveyLinkExpired, survey_links
from .common import config, engine, form_text, now

bp = Blueprint("encuesta", __name__)
SCALE = ((5, "Muy satisfecho(a)"), (4, "Satisfecho(a)"), (3, "Ni satisfecho(a) ni insatisfecho(a)"),
         (2, "Insatisfecho(a)"), (1, "Muy insatisfecho(a)"))
NPS = tuple(range(0, 11))


@bp.route("/encuesta/<token>", methods=["GET", "POST"])
def survey(token: str) -> ResponseReturnValue:
    links = survey_links(config())
    try:
        ticket = links.read(token, now())
    except SurveyLinkExpired:
        return _closed(_("El plazo para responder esta encuesta terminó."), 410)
    except SurveyLinkError:
        return _closed(_("El enlace de la encuesta no es válido. Copie el enlace completo del correo que "
                         "recibió."), 404)
    case = surveyed_case(engine(), ticket.case_id)
    if case is None:
        return _closed(_("El caso de esta encuesta ya no está disponible."), 404)
    if answer_of(engine(), case.case_id) is not None:
        return _thanks(case, already=True)
    nps_asked = config().quality.survey_nps
    if request.method == "GET":
        return _form(case, token, {}, {}, nps_asked, links.expires_at(ticket))
    form = request.form
    errors: dict[str, str] = {}
    score = _number(form.get("calificacion", ""), MIN_SCORE, MAX_SCORE)
    if score is None:
        errors["calificacion"] = _("Elija una calificación de 1 a 5.")
    nps: int | None = None
    if nps_asked and form.get("recomendacion", ""):
        nps = _number(form.get("recomendacion", ""), 0, 10)
        if nps is None:
            errors["recomendacion"] = _("Elija un número de 0 a 10.")
    comment = form_text(form, "comentario", MAX_COMMENT + 1)
    if len(comment) > MAX_COMMENT:
        errors["comentario"] = _("Escriba como máximo %(n)s caracteres.", n=MAX_COMMENT)
    if errors or score is None:
        return _form(case, token, form, errors, nps_asked, links.expires_at(ticket), status=422)
    if not record_answer(engine(), case.case_id, score, nps, comment, now()):
        return _thanks(case, already=True)
    return _thanks(case, already=False)


def _number(value: str, low: int, high: int) -> int | None:
    value = value.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 2):
        return None
    number = int(value)
    return number if low <= number <= high else None


def _form(case: Any, token: str, typed: Any, errors: dict[str, str], nps_asked: bool, until: Any,
          status: int = 200) -> ResponseReturnValue:
    values = {"calificacion": typed.get("calificacion", ""), "recomendacion": typed.get("recomendacion", ""),
              "comentario": typed.get("comentario", "")}
    return render_template("public/survey.html", case=case, token=token, form=values, errors=errors,
                           scale=SCALE, nps=NPS if nps_asked else (), max_comment=MAX_COMMENT,
                           until=long_date(until, config().timezone)), status


def _thanks(case: Any, *, already: bool) -> ResponseReturnValue:
    return render_template("public/survey_done.html", case=case, already=already), 200


def _closed(message: str, status: int) -> ResponseReturnValue:
    return render_template("public/survey_done.html", case=None, already=False, message=message), status
