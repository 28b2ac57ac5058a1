"""Dates and numbers as a person in Colombia reads them in an e-mail (es-CO), without the locale module
(which depends on what the host has installed): «15 de abril de 2026, 11:59 p. m.»."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre")


def as_instant(value: object) -> datetime | None:
    """A timezone-aware instant from a ``datetime`` or an ISO 8601 string (notification contexts are
    JSON, so their instants arrive as strings); ``None`` for anything else or a naive value."""
    if isinstance(value, datetime):
        instant = value
    elif isinstance(value, str) and value.strip():
        try:
            instant = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return instant if instant.tzinfo is not None and instant.utcoffset() is not None else None


def long_date(value: object, timezone: str) -> str:
    """«15 de abril de 2026» in ``timezone``; a plain ``date`` is taken as it is."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        instant = as_instant(value)
        if instant is None:
            return "—"
        day = instant.astimezone(ZoneInfo(timezone)).date()
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def long_datetime(value: object, timezone: str) -> str:
    """«15 de abril de 2026, 11:59 p. m.» in ``timezone`` (12-hour clock, as es-CO writes it)."""
    instant = as_instant(value)
    if instant is None:
        return "—"
    local = instant.astimezone(ZoneInfo(timezone))
    hour = local.hour % 12 or 12
    half = "a. m." if local.hour < 12 else "p. m."
    return f"{long_date(local.date(), timezone)}, {hour}:{local.minute:02d} {half}"


def percent(value: object) -> str:
    """``0.8`` → «80 %» (a space before the sign, as the Spanish style guides ask)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    return f"{round(value * 100)} %"
