"""The filters every report shares, read from a query string into a ``ReportFilter``: the filing dates
(``AAAA-MM-DD``, both included, in the organisation's time zone), the period to group by and the
kind, typification (a subtree: any node), queue and channel.

The web pages read Spanish parameter names (``desde``, ``hasta``, ``periodo``, ``tipo``,
``tipificacion``, ``cola``, ``canal``); the API the English ones (``start``, ``end``, ``period``,
``kind``, ``typification``, ``queue``, ``channel``). Both get the errors by the parameter at fault.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import attrs

from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.errors import ValidationError
from pqrs_core.services.reports import MAX_DAYS, Period, ReportFilter, report_day_error

# Parameter -> the filter it sets, in each language.
WEB_NAMES = {"start": "desde", "end": "hasta", "period": "periodo", "kinds": "tipo",
             "typification": "tipificacion", "queues": "cola", "channels": "canal"}
API_NAMES = {"start": "start", "end": "end", "period": "period", "kinds": "kind",
             "typification": "typification", "queues": "queue", "channels": "channel"}
WEB_PERIODS = {"dia": Period.DAY, "semana": Period.WEEK, "mes": Period.MONTH, "trimestre": Period.QUARTER,
               "semestre": Period.SEMESTER}
PERIOD_NAMES = {"dia": "Día", "semana": "Semana", "mes": "Mes", "trimestre": "Trimestre",
                "semestre": "Semestre"}
DEFAULT_DAYS = 30  # a report opened without dates covers the last 30 days, today included


class Args(Protocol):
    """A query string: ``werkzeug``'s ``MultiDict`` (one value, or all of a repeated parameter)."""

    def get(self, key: str) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


@attrs.frozen
class ParsedFilters:
    """The filter (``None`` when something was wrong), what was typed and the errors by parameter."""

    spec: ReportFilter | None
    values: dict[str, str | list[str]]
    errors: dict[str, str]


def local_today(catalog: Catalog, now: datetime, timezone: str) -> date:
    """The organisation's date at ``now`` (what "today" is for a report)."""
    if catalog.calendar is not None:
        return catalog.calendar.local_date(now)
    return now.astimezone(ZoneInfo(timezone)).date()


def _date(text: str) -> date:
    return date.fromisoformat(text.strip())


def parse_filters(args: Args, catalog: Catalog, today: date, *, names: Mapping[str, str] = WEB_NAMES,
                  default_period: Period = Period.WEEK,
                  periods: Sequence[Period] = tuple(Period)) -> ParsedFilters:
    """The report filter the query string asks for; ``periods`` limits the choice (the regulatory
    report groups by quarter or semester)."""
    errors: dict[str, str] = {}
    values: dict[str, str | list[str]] = {}
    web = names is WEB_NAMES
    start = end = None
    for field in ("start", "end"):
        text = (args.get(names[field]) or "").strip()
        values[names[field]] = text
        if text:
            try:
                day = _date(text)
            except ValueError:
                errors[names[field]] = "Escriba la fecha como aaaa-mm-dd."
                continue
            problem = report_day_error(day)
            if problem is not None:
                errors[names[field]] = problem
                continue
            if field == "start":
                start = day
            else:
                end = day
    if end is None and names["end"] not in errors:
        end = today
    if start is None and names["start"] not in errors and end is not None:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    period_text = (args.get(names["period"]) or "").strip()
    values[names["period"]] = period_text
    period = default_period if default_period in periods else periods[0]
    if period_text:
        by_name = WEB_PERIODS if web else {p.value: p for p in Period}
        chosen = by_name.get(period_text)
        if chosen is None or chosen not in periods:
            allowed = [k for k, v in by_name.items() if v in periods]
            errors[names["period"]] = f"Debe ser uno de: {', '.join(allowed)}."
        else:
            period = chosen
    lists = {"kinds": "kinds", "queues": "queues", "channels": "channels"}
    known = {"kinds": catalog.active_codes("kinds") | {e.code for e in catalog.entries("kinds")},
             "queues": {q.code for q in catalog.queues},
             "channels": {e.code for e in catalog.entries("channels")}}
    chosen_lists: dict[str, tuple[str, ...]] = {}
    for field, attribute in lists.items():
        items = [v.strip() for v in args.getlist(names[field]) if v.strip()]
        values[names[field]] = items
        unknown = [v for v in items if v not in known[field]]
        if unknown:
            errors[names[field]] = f"Valor desconocido: {unknown[0][:60]}."
        chosen_lists[attribute] = tuple(dict.fromkeys(items))
    typification = (args.get(names["typification"]) or "").strip() or None
    values[names["typification"]] = typification or ""
    if typification is not None and typification not in catalog.typifications:
        errors[names["typification"]] = "No es una tipificación del catálogo."
    if start is not None and end is not None and not errors:
        if end < start:
            errors[names["end"]] = "La fecha final es anterior a la inicial."
        elif (end - start).days >= MAX_DAYS:
            errors[names["end"]] = f"Un reporte abarca a lo sumo {MAX_DAYS} días."
    if errors or start is None or end is None:
        return ParsedFilters(None, values, errors)
    try:
        spec = ReportFilter(start=start, end=end, period=period, typification=typification, **chosen_lists)
    except ValidationError as exc:  # dates outside the years a report reads
        return ParsedFilters(None, values, {names.get(k, k): v for k, v in exc.errors.items()})
    values[names["start"]], values[names["end"]] = start.isoformat(), end.isoformat()
    if web:
        values[names["period"]] = next(k for k, v in WEB_PERIODS.items() if v is period)
    else:
        values[names["period"]] = period.value
    return ParsedFilters(spec, values, errors)
