"""The optional «¿Quién nos escribe?» section of the filing forms (public, portal and staff): the
characterisation questions (``pqrs_core.domain.characterisation``), the text of their purpose and a
consent checkbox of their own, never ticked beforehand (Ley 1581 de 2012 art. 6 a: sensitive data only
with explicit authorisation; art. 9: prior and informed).

Nothing here stops a filing: an answer outside the options is explained on its field, and answers sent
without the consent are not kept (the person is told so once the case is filed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from flask import flash
from flask_babel import gettext as _

from pqrs_core.domain.case import Case
from pqrs_core.domain.characterisation import (
    PURPOSE_TEXT,
    PURPOSE_VERSION,
    QUESTIONS,
    characterise,
)

from ...sqlalchemy import characterisation as store
from .common import engine, form_text, now

PREFIX = "caract_"
CONSENT_FIELD = "caract_autorizacion"


@attrs.frozen
class Answers:
    """What the section holds: each question's chosen code ("" when blank), and the consent."""

    values: Mapping[str, str]
    consent: bool = False

    @property
    def given(self) -> dict[str, str]:
        return {code: value for code, value in self.values.items() if value}


def blank() -> Answers:
    return Answers({q.code: "" for q in QUESTIONS})


def read(form: Mapping[str, Any]) -> tuple[Answers, dict[str, str]]:
    """The section's answers and an error per field whose answer is not one of its options."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for q in QUESTIONS:
        text = form_text(form, PREFIX + q.code, 40)
        if text and text not in q.codes:
            errors[PREFIX + q.code] = _("Elija una de las opciones de la lista.")
            text = ""
        values[q.code] = text
    return Answers(values, consent=bool(form.get(CONSENT_FIELD))), errors


def keep(case: Case, answers: Answers, channel: str) -> None:
    """Record ``answers`` for ``case`` if the person consented; tell them when answers were dropped."""
    kept = characterise(answers.given, consent=answers.consent, at=now(), channel=channel)
    if kept is not None:
        if not store.record_after_filing(engine(), case.id, kept):
            flash(_("La solicitud quedó radicada, pero sus respuestas sobre quién es el peticionario no se "
                    "pudieron guardar."), "warning")
    elif answers.given:
        flash(_("Sus respuestas sobre quién es el peticionario no se guardaron porque no se marcó la "
                "autorización para ese fin. La solicitud sí quedó radicada."), "warning")


def context(answers: Answers, *, staff: bool = False) -> dict[str, Any]:
    """What ``web/_characterisation.html`` needs."""
    return {"characterisation": answers, "characterisation_questions": QUESTIONS,
            "characterisation_purpose": PURPOSE_TEXT, "characterisation_version": PURPOSE_VERSION,
            "characterisation_prefix": PREFIX, "characterisation_consent": CONSENT_FIELD,
            "characterisation_staff": staff}
