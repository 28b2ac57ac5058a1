"""Spanish messages for marshmallow's built-in validation errors.

The schemas pass Spanish messages to the validators they build (lengths, ranges, choices); the
fixed messages of marshmallow's field types are translated here, once.
"""

from __future__ import annotations

SPANISH: dict[str, str] = {
    "Missing data for required field.": "es obligatorio",
    "Unknown field.": "no es un campo conocido",
    "Field may not be null.": "no puede ser nulo",
    "Invalid value.": "valor inválido",
    "Invalid input type.": "debe ser un objeto JSON",
    "Not a valid string.": "debe ser texto",
    "Not a valid utf-8 string.": "debe ser texto UTF-8",
    "Not a valid integer.": "debe ser un número entero",
    "Not a valid number.": "debe ser un número",
    "Not a valid boolean.": "debe ser verdadero o falso (true/false)",
    "Not a valid list.": "debe ser una lista",
    "Not a valid mapping type.": "debe ser un objeto",
    "Not a valid datetime.": "no es una fecha y hora válida (ISO 8601)",
    "Not a valid date.": "no es una fecha válida (AAAA-MM-DD)",
    "Not a valid aware datetime.": "debe incluir la zona horaria (p. ej. 2026-03-01T08:30:00-05:00)",
    "Not a valid email address.": "no es un correo electrónico válido",
    "Special numeric values (nan or infinity) are not permitted.": "debe ser un número finito",
    "Number too large.": "el número es demasiado grande",
    "Shorter than minimum length 1.": "no puede estar vacío",
}


def translate(message: str) -> str:
    """The Spanish text of a marshmallow message (messages already in Spanish pass through)."""
    return SPANISH.get(message, message)
