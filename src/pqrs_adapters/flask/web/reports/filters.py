"""The filters every report page shares: a period of days (``desde``, ``hasta``, both included, in the
organisation's time zone; the last 30 days by default), the kind, a typification node (with what hangs
below it), the area (queue) and the channel. A value the page cannot use is named in ``errors`` and the
default is used instead, so the page still answers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from flask_babel import gettext as _

from pqrs_core.domain.access import Predicate
from pqrs_core.domain.catalog import Catalog
from pqrs_core.ports import CaseQuery

DEFAULT_DAYS = 30
MAX_DAYS = 731


@attrs.frozen
class ReportFilters:
    start: date
    end: date  # included
    kinds: tuple[str, ...] = ()
    typification: str | None = None
    queues: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    def instants(self, timezone: str) -> tuple[datetime, datetime]:
        """[start, end) in UTC: from the first day's midnight to the midnight after the last day."""
        zone = ZoneInfo(timezone)
        return (datetime.combine(self.start, time.min, tzinfo=zone).astimezone(UTC),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC))

    def case_query(self, visible: Predicate | None) -> CaseQuery:
        """The cases these filters select (not by a date: each report says which date it reads)."""
        return CaseQuery(kinds=self.kinds, typification=self.typification, queues=self.queues,
                         channels=self.channels, visible=visible, limit=0)

    def args(self) -> dict[str, Any]:
        """The query string that gives these filters back (for links and exports)."""
        return {"desde": self.start.isoformat(), "hasta": self.end.isoformat(), "tipo": list(self.kinds),
                "tipificacion": self.typification or "", "area": list(self.queues),
                "canal": list(self.channels)}


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def read_filters(args: Mapping[str, Any], catalog: Catalog,
                 today: date) -> tuple[ReportFilters, dict[str, str]]:
    """The filters of a report page's query string (``args``: ``request.args``)."""
    errors: dict[str, str] = {}
    end = today
    start = today - timedelta(days=DEFAULT_DAYS - 1)
    for name in ("desde", "hasta"):
        value = (args.get(name) or "").strip()
        if not value:
            continue
        day = _day(value)
        if day is None:
            errors[name] = _("Escriba la fecha como aaaa-mm-dd.")
        elif name == "desde":
            start = day
        else:
            end = day
    if start > end:
        errors["hasta"] = _("La fecha final no puede ser anterior a la inicial.")
        start, end = end - timedelta(days=DEFAULT_DAYS - 1), end
    if (end - start).days >= MAX_DAYS:
        errors["desde"] = _("El periodo puede tener como máximo %(n)s días.", n=MAX_DAYS)
        start = end - timedelta(days=MAX_DAYS - 1)

    def codes(name: str, known: set[str]) -> tuple[str, ...]:
        values = [v for v in (args.getlist(name) if hasattr(args, "getlist") else [args.get(name)]) if v]
        if any(v not in known for v in values):
            errors[name] = _("Elija una opción de la lista.")
        return tuple(v for v in values if v in known)

    kinds = codes("tipo", {e.code for e in catalog.entries("kinds")})
    queues = codes("area", {q.code for q in catalog.queues})
    channels = codes("canal", {e.code for e in catalog.entries("channels")})
    typification = (args.get("tipificacion") or "").strip() or None
    if typification is not None and typification not in catalog.typifications:
        errors["tipificacion"] = _("Elija una opción de la lista.")
        typification = None
    return ReportFilters(start=start, end=end, kinds=kinds, typification=typification, queues=queues,
                         channels=channels), errors
