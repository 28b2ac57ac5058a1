"""The base schema (unknown fields rejected) and field builders with the domain's limits and Spanish
messages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from pqrs_core.domain.values import MAX_CODE, MAX_LONG_TEXT, MAX_SHORT_TEXT

# A catalog code in a URL: letters, digits, ``_``, ``.`` and ``-``.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
# A filing number (radicado) as the path of a URL: PREFIX-YYYY-NNNNNN.
FILING_NUMBER_PATTERN = r"^[A-Za-z][A-Za-z0-9]{0,15}-\d{4}-\d{6,}$"


# Instants outside these years are certainly mistakes (and some cannot be converted between zones).
MIN_YEAR, MAX_YEAR = 1900, 2999


def check_year(value: date) -> None:
    """A validator: the date or datetime falls between ``MIN_YEAR`` and ``MAX_YEAR``."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(f"el año debe estar entre {MIN_YEAR} y {MAX_YEAR}")


class ApiSchema(Schema):
    """Every request and response schema: unknown fields are an error, never silently dropped."""

    class Meta:
        unknown = RAISE


# Text a database can store: no NUL character.
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="contiene caracteres no permitidos (NUL)")


def text(max_length: int = MAX_SHORT_TEXT, *, required: bool = False, allow_none: bool | None = None,
         **kwargs: Any) -> fields.String:
    """A string of at most ``max_length`` characters; nullable unless required (or told)."""
    return fields.String(
        required=required, allow_none=(not required) if allow_none is None else allow_none,
        validate=[validate.Length(max=max_length, error=f"admite como máximo {max_length} caracteres"),
                  NO_NUL],
        **kwargs)


def required_text(max_length: int = MAX_LONG_TEXT, **kwargs: Any) -> fields.String:
    """A non-empty string of at most ``max_length`` characters."""
    return fields.String(
        required=True,
        validate=[validate.Length(min=1, max=max_length,
                                  error=f"debe tener entre 1 y {max_length} caracteres"), NO_NUL],
        **kwargs)


def code(*, required: bool = False, allow_none: bool | None = None, **kwargs: Any) -> fields.String:
    """A catalog code (kind, channel, priority...)."""
    return text(MAX_CODE, required=required, allow_none=allow_none, **kwargs)


def choice(values: Iterable[str], *, required: bool = False, allow_none: bool = False,
           **kwargs: Any) -> fields.String:
    options = list(values)
    return fields.String(
        required=required, allow_none=allow_none,
        validate=validate.OneOf(options, error=f"debe ser uno de: {', '.join(options)}"), **kwargs)


def version_field(**kwargs: Any) -> fields.Integer:
    """The version of the case the client read (alternative to the ``If-Match`` header)."""
    return fields.Integer(
        strict=True, load_default=None, allow_none=True,
        validate=validate.Range(min=1, max=2**31 - 1, error="debe ser un número de versión (1 o más)"),
        metadata={"description": "Versión del caso que el cliente leyó (alternativa a If-Match); "
                                 "si cambió, la respuesta es 409."},
        **kwargs)


def text_list(max_items: int = 50, max_length: int = MAX_SHORT_TEXT, **kwargs: Any) -> fields.List[str]:
    return fields.List(
        text(max_length, allow_none=False),
        validate=validate.Length(max=max_items, error=f"admite como máximo {max_items} elementos"),
        **kwargs)


class ProblemSchema(ApiSchema):
    """An error (RFC 9457 problem details)."""

    type = fields.String(required=True, metadata={
        "description": "URI estable del tipo de problema, p. ej. https://pqrs.dev/problems/not-found"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "Explicación en español"})
    errors = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "Campo (ruta con puntos) → mensaje, para errores de validación"})
    allowed = fields.List(fields.String(), metadata={
        "description": "Transiciones permitidas desde el estado actual (invalid-transition)"})
    transition = fields.String()
    state = fields.String()
    expected_version = fields.Integer(allow_none=True)
    current_version = fields.Integer(allow_none=True)
