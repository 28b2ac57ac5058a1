"""From query parameters to a ``CaseQuery`` (dates in the organisation's time zone)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from .problems import ApiProblem

# CaseQuery attribute -> query parameter
_PARAMETERS = {"after": "cursor", "text": "q", "states": "state", "state_categories": "state_category",
               "kinds": "kind", "priorities": "priority", "queues": "queue", "channels": "channel"}


def query_problem(exc: ValidationError) -> ApiProblem:
    """A store's refusal of a query (e.g. a cursor that names no case) as a 400 naming the parameter."""
    errors = {_PARAMETERS.get(name, name): message for name, message in exc.errors.items()}
    return ApiProblem("invalid-query", f"Parámetros de consulta inválidos: {', '.join(sorted(errors))}.",
                      errors=errors)


def _instant(value: date | datetime | None, timezone: str, *, end: bool) -> datetime | None:
    """A date is the start of that day (``end``: of the next day, so the day is included); a datetime
    without offset is read in ``timezone``. In UTC, clamped to the representable range."""
    if value is None:
        return None
    zone = ZoneInfo(timezone)
    if isinstance(value, datetime):
        instant = value if value.utcoffset() is not None else value.replace(tzinfo=zone)
    else:
        if end and value == date.max:
            return datetime.max.replace(tzinfo=UTC)
        instant = datetime.combine(value + timedelta(days=1) if end else value, time.min, tzinfo=zone)
    try:
        return instant.astimezone(UTC)
    except OverflowError:  # within hours of year 1 or 9999
        return (datetime.min if instant.year < 5000 else datetime.max).replace(tzinfo=UTC)


def case_query(args: dict[str, Any], timezone: str) -> CaseQuery:
    return CaseQuery(
        states=tuple(args["state"]),
        state_categories=tuple(StateCategory(c) for c in args["state_category"]),
        kinds=tuple(args["kind"]),
        typification=args.get("typification") or None,
        priorities=tuple(args["priority"]),
        queues=tuple(args["queue"]),
        assignee=args.get("assignee") or None,
        channels=tuple(args["channel"]),
        tags=tuple(args.get("tag", ())),
        lots=tuple(args.get("lot", ())),
        products=tuple(args.get("product", ())),
        requester_document=args.get("requester_document") or None,
        filed_from=_instant(args.get("filed_from"), timezone, end=False),
        filed_to=_instant(args.get("filed_to"), timezone, end=True),
        due_from=_instant(args.get("due_from"), timezone, end=False),
        due_to=_instant(args.get("due_to"), timezone, end=True),
        text=(args.get("q") or "").strip() or None,
        sort=args.get("sort", "newest"),
        limit=args.get("limit", 50),
        after=args.get("cursor") or None,
    )
