"""The optional ``characterisation`` object of a filing: who the requester is (age range, sex, gender
identity, ethnic group, disability, zone, stratum), with the consent given for it. Answers without the
consent are refused (422 naming ``characterisation.consent``): they are sensitive data (Ley 1581 de 2012
arts. 5 and 6 a) and are never kept without it."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validates_schema

from pqrs_core.domain.characterisation import NO_ANSWER, PURPOSE_VERSION, QUESTIONS

from .common import ApiSchema, check_year, choice


class CharacterisationConsentSchema(ApiSchema):
    given_at = fields.AwareDateTime(format="iso", required=True, validate=check_year, metadata={
        "description": "Instante, con zona horaria, en que la persona autorizó guardar sus respuestas"})
    purpose_version = choice([PURPOSE_VERSION], required=True, metadata={
        "description": "Versión del texto de la finalidad que se le mostró (la vigente)"})


class _Consented(ApiSchema):
    consent = fields.Nested(CharacterisationConsentSchema, load_default=None, allow_none=True, metadata={
        "description": "La autorización para guardar estas respuestas (obligatoria si se envía alguna)"})

    @validates_schema
    def _consented(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data.get("consent") is None and any(data.get(q.code) for q in QUESTIONS):
            raise ValidationError("sin la autorización de la persona no se guardan sus respuestas de "
                                  "caracterización (Ley 1581 de 2012, art. 6)", "consent")


# One optional field per question, its options those of the catalogue.
CharacterisationSchema = type("CharacterisationSchema", (_Consented,), {
    q.code: choice([code for code, _label in q.options], load_default=None, allow_none=True,
                   metadata={"description": f"{q.label} («{NO_ANSWER}»: prefiere no responder)"})
    for q in QUESTIONS})
