"""The organisation's working days: whether Saturday is a business day.

No statute says whether Saturday counts in the terms of the right of petition (CPACA, Ley 1437 de 2011
arts. 14 ff., speaks of "días" and Ley 4 de 1913 art. 62 only removes holidays). Función Pública's
concepts 254041 and 117191 of 2022 tie business days to the days the entity works, and the Código
General del Proceso art. 118 is read by analogy: an organisation open on Saturdays counts them. So it is
the organisation's choice, stored with its catalog (``Catalog.working_weekdays``) and set at ``pqrs init``
or in the administration; until it is stored, the settings' calendar decides.
"""

from __future__ import annotations

from collections.abc import Iterable

from .calendar import MONDAY_TO_FRIDAY, MONDAY_TO_SATURDAY, WEEKDAY_NAMES, BusinessCalendar

SATURDAY = 5
# The choices offered at ``pqrs init`` and in the administration, by code.
WORKING_DAYS = {"mon-fri": MONDAY_TO_FRIDAY, "mon-sat": MONDAY_TO_SATURDAY}

# Recorded in a case's history when a change of the working days moves its deadline.
WORKING_DAYS_REASON = "Cambio de los días hábiles de la organización"

SATURDAY_WARNING = (
    "La organización atiende los sábados: el sábado cuenta como día hábil en todos los términos, "
    "que así vencen antes en el calendario (15 días hábiles son unas dos semanas y media en vez de "
    "tres). Ninguna ley decide si el sábado es hábil; los conceptos 254041 y 117191 de 2022 de "
    "Función Pública lo atan a los días en que la organización trabaja. Al cambiar esta opción se "
    "recalculan los vencimientos de los casos abiertos, y cada vencimiento que cambie queda en la "
    "historia de su caso.")


def check_working_weekdays(weekdays: Iterable[int]) -> frozenset[int]:
    """``weekdays`` (0 = Monday … 6 = Sunday) as a set, or ``ValidationError`` on ``working_weekdays``."""
    days = frozenset(weekdays)
    BusinessCalendar(working_weekdays=days, country=None)  # the calendar's own checks
    return days


def working_days_code(weekdays: Iterable[int]) -> str | None:
    """The choice ``weekdays`` are (``"mon-fri"``, ``"mon-sat"``), or ``None`` for another set."""
    days = frozenset(weekdays)
    return next((code for code, choice in WORKING_DAYS.items() if choice == days), None)


def describe_working_days(weekdays: Iterable[int]) -> str:
    """The working days in words: «de lunes a viernes», «de lunes a sábado» or the days listed."""
    days = sorted(frozenset(weekdays))
    if days and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"de {WEEKDAY_NAMES[days[0]]} a {WEEKDAY_NAMES[days[-1]]}"
    return ", ".join(WEEKDAY_NAMES[d] for d in days)


def working_days_warning(weekdays: Iterable[int]) -> str | None:
    """What counting Saturdays does to the legal terms, when ``weekdays`` include Saturday."""
    return SATURDAY_WARNING if SATURDAY in frozenset(weekdays) else None
