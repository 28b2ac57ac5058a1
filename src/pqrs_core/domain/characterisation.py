"""Who the requesters are: the optional characterisation questions public entities report on
(DAFP, «Guía para la caracterización de ciudadanos, usuarios o grupos de interés»), with the
categories of DANE (Censo Nacional de Población y Vivienda 2018: autorreconocimiento étnico, clase de
zona; Resolución 113 de 2020 del Ministerio de Salud: categorías de discapacidad; estratos of Ley 142 de
1994 art. 102), and the rules of keeping and reporting them.

Ethnic origin and health (a disability) are sensitive data (Ley 1581 de 2012 art. 5); answering is
optional and needs explicit consent for a stated purpose (art. 6 a, art. 9): no question is ever
required, each one can be answered «Prefiero no responder», and answers given without the consent are
not kept. What is kept records when the consent was given and which version of the purpose text
(its SHA-256) the person read (art. 17 b, proof of the authorisation).

Reports show only counts, and a count of fewer than ``MIN_CELL`` people is suppressed (shown as
«<5»), with a second cell of its group when one suppressed cell could be worked out from the total.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from .errors import ValidationError

NO_ANSWER = "no_responde"
NO_ANSWER_LABEL = "Prefiero no responder"
MIN_CELL = 5  # counts below this are suppressed in reports (re-identification risk)
PURPOSE_VERSION = "2026-12"
PURPOSE_TEXT = (
    "Estas preguntas son opcionales y no cambian el trámite ni la respuesta de su solicitud. Con sus "
    "respuestas conocemos quiénes acuden a la entidad para adecuar la atención a sus necesidades "
    "(enfoque diferencial) y rendir informes estadísticos, siempre agregados y sin identificar a nadie. "
    "El grupo étnico y la discapacidad son datos sensibles (Ley 1581 de 2012, art. 5): no está obligado "
    "a responderlos. Sus respuestas se guardan aparte de los datos de su solicitud y solo se usan para "
    "esta finalidad."
)


@attrs.frozen
class Question:
    code: str
    label: str
    options: tuple[tuple[str, str], ...]  # (code, label), «Prefiero no responder» included

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for code, _label in self.options)

    def label_of(self, code: str) -> str:
        return dict(self.options).get(code, code)


def _question(code: str, label: str, *options: tuple[str, str]) -> Question:
    return Question(code, label, (*options, (NO_ANSWER, NO_ANSWER_LABEL)))


QUESTIONS: tuple[Question, ...] = (
    # Ley 1622 de 2013 (jóvenes: 14 a 28 años) and Ley 1251 de 2008 (persona mayor: 60 años o más).
    _question("age_range", "Rango de edad",
              ("menor_18", "Menor de 18 años"), ("18_28", "18 a 28 años"), ("29_59", "29 a 59 años"),
              ("60_mas", "60 años o más")),
    _question("sex", "Sexo (al nacer)",
              ("hombre", "Hombre"), ("mujer", "Mujer"), ("intersexual", "Intersexual")),
    _question("gender_identity", "Identidad de género",
              ("masculino", "Masculino"), ("femenino", "Femenino"), ("transgenero", "Transgénero"),
              ("no_binario", "No binario"), ("otra", "Otra")),
    _question("ethnic_group", "Autorreconocimiento étnico",
              ("indigena", "Indígena"), ("rrom", "Gitano(a) o Rrom"),
              ("raizal", "Raizal del Archipiélago de San Andrés, Providencia y Santa Catalina"),
              ("palenquero", "Palenquero(a) de San Basilio"),
              ("afro", "Negro(a), mulato(a), afrodescendiente, afrocolombiano(a)"),
              ("ninguno", "Ningún grupo étnico")),
    _question("disability", "Discapacidad",
              ("ninguna", "Ninguna"), ("fisica", "Física"), ("auditiva", "Auditiva"), ("visual", "Visual"),
              ("sordoceguera", "Sordoceguera"), ("intelectual", "Intelectual"),
              ("psicosocial", "Psicosocial (mental)"), ("multiple", "Múltiple")),
    _question("area", "Zona de residencia",
              ("cabecera", "Cabecera municipal (urbana)"), ("centro_poblado", "Centro poblado"),
              ("rural_disperso", "Rural disperso")),
    _question("stratum", "Estrato socioeconómico",
              *((str(n), f"Estrato {n}") for n in range(1, 7))),
)
QUESTION_CODES = tuple(q.code for q in QUESTIONS)
_BY_CODE = {q.code: q for q in QUESTIONS}


def question(code: str) -> Question:
    return _BY_CODE[code]


def purpose_digest(text: str = PURPOSE_TEXT) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@attrs.frozen
class Characterisation:
    """The answers a requester gave (question code -> option code; a question left blank is absent)
    and the proof of their consent: when, which purpose text (version and SHA-256), through which
    channel."""

    answers: Mapping[str, str]
    consented_at: datetime
    purpose_version: str = PURPOSE_VERSION
    purpose_digest: str = attrs.field(factory=purpose_digest)
    channel: str = ""


def clean_answers(raw: Mapping[str, object]) -> dict[str, str]:
    """The answers given in ``raw`` (blank ones dropped); ``ValidationError`` naming each question whose
    answer is not one of its options, or any unknown question."""
    errors: dict[str, str] = {}
    answers: dict[str, str] = {}
    for code, value in raw.items():
        if code not in _BY_CODE:
            errors[code] = "no es una pregunta de caracterización"
            continue
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        if text not in _BY_CODE[code].codes:
            errors[code] = "elija una de las opciones de la lista"
            continue
        answers[code] = text
    if errors:
        raise ValidationError(errors)
    return answers


def characterise(answers: Mapping[str, str], *, consent: bool, at: datetime,
                 channel: str) -> Characterisation | None:
    """What is kept of ``answers``: nothing when there are none, and nothing without ``consent``
    (Ley 1581 de 2012 art. 6 a: sensitive data only with the holder's explicit authorisation)."""
    if not answers or not consent:
        return None
    if at.tzinfo is None:
        raise ValueError("the consent's instant must be timezone-aware")
    return Characterisation(dict(answers), at, channel=channel)


def suppressed(counts: Mapping[str, int], minimum: int = MIN_CELL) -> dict[str, int | None]:
    """``counts`` (option -> people) with every count from 1 to ``minimum - 1`` hidden (``None``); when
    exactly one cell is hidden, the smallest other non-zero cell is hidden too, so that the total does
    not give it away. Zero is shown: it identifies nobody."""
    shown: dict[str, int | None] = {k: (None if 0 < v < minimum else v) for k, v in counts.items()}
    hidden = [k for k, v in shown.items() if v is None]
    if len(hidden) == 1:
        others = sorted((v, k) for k, v in counts.items() if k not in hidden and v > 0)
        if others:
            shown[others[0][1]] = None
    return shown


def tally(rows: Iterable[Mapping[str, str | None]]) -> dict[str, dict[str, int]]:
    """Per question, how many ``rows`` (one requester's answers each) gave each option; a question
    left blank counts as «Prefiero no responder»."""
    counts = {q.code: {code: 0 for code, _label in q.options} for q in QUESTIONS}
    for row in rows:
        for q in QUESTIONS:
            answer = row.get(q.code) or NO_ANSWER
            if answer in counts[q.code]:
                counts[q.code][answer] += 1
    return counts
