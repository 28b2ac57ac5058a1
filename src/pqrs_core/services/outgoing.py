"""Outgoing filing numbers: handing them to the communications a command just recorded, and the
administration of the series (one format per kind of communication)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import attrs

from ..domain.access import Permission as P
from ..domain.case import Case
from ..domain.errors import ValidationError
from ..domain.outgoing import OUTGOING_KINDS, OutgoingNumber, Series, check_format, outgoing_kind, series_for
from ..domain.values import Actor
from ..ports import UnitOfWork
from .catalog_admin import CatalogAdmin


def number_communications(uow: UnitOfWork, case: Case, timezone: str) -> None:
    """Give every communication among ``case``'s new events that has none yet its outgoing number, in
    this transaction (a rollback gives the numbers back). The year is the organisation's: a response
    sent on 1 January at 03:00 UTC is still numbered in the old year in Bogotá."""
    configured: dict[str, str] | None = None
    for index, event in enumerate(case.events):
        kind = outgoing_kind(event)
        if kind is None or getattr(event, "outgoing_number", None):
            continue
        if configured is None:
            configured = uow.outgoing.series()
        number = issue(uow, series_for(configured, kind), case, event.occurred_at, timezone)
        case.events[index] = attrs.evolve(event, outgoing_number=number)  # type: ignore[call-arg]


def issue(uow: UnitOfWork, series: Series, case: Case, at: datetime, timezone: str) -> str:
    """The next number of ``series`` for a communication of ``case`` sent ``at``, recorded."""
    year = at.astimezone(ZoneInfo(timezone)).year
    number = series.number(year, uow.outgoing.next(series.format, year))
    # Two formats that write the same text (``X-{seq}`` and ``X-{seq:01d}``) have counters of their
    # own: a number another series already gave is skipped, never given twice.
    while uow.outgoing.find(number) is not None:
        number = series.number(year, uow.outgoing.next(series.format, year))
    uow.outgoing.record(OutgoingNumber(number=number, kind=series.kind, case_id=case.id,
                                       filing_number=str(case.filing_number), issued_at=at,
                                       series=series.format))
    return number


def list_series(uow: UnitOfWork) -> list[Series]:
    """Every kind of communication with its series (the organisation's format or the default)."""
    configured = uow.outgoing.series()
    return [series_for(configured, kind) for kind in OUTGOING_KINDS]


def put_series(uow: UnitOfWork, actor: Actor, kind: str, fmt: str, now: datetime) -> Series:
    """Set the format of ``kind``'s series (``catalog.admin``); a new format starts its own counter."""
    CatalogAdmin.allow(uow, actor, P.CATALOG)
    if kind not in OUTGOING_KINDS:
        raise ValidationError({"kind": "No es un tipo de comunicación de salida."})
    series = Series(kind, check_format(fmt))
    uow.outgoing.put_series(kind, series.format)
    uow.catalog.record_change(actor.username, now, "outgoing_series.put",
                              {"kind": kind, "format": series.format})
    uow.commit()
    return series
