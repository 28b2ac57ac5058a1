"""A case waiting for its requester: its pages say since when the term is paused and how much business
time it has left, never the deadline from before the pause (which moves when the term resumes)."""

from __future__ import annotations

import re

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case

from .conftest import Site
from .test_public import text_of


def paused_months_ago(site: Site, clock: FrozenClock) -> tuple[Case, str, int]:
    """A case whose requester was asked for information two days after filing and has not answered
    for three months: the case, the local instant of the pause as the pages write it and the business
    days its term had left then."""
    case = site.file("ana", subject="Certificado de paz y salvo")
    number, ana = str(case.filing_number), site.actor("ana")
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), site.actor("sofia"))
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    paused_at = clock.advance(days=2)
    paused: Case = site.pqrs.handle(c.RequestInformation(filing_number=number,
                                                         message="Envíenos la consignación."), ana)
    clock.advance(days=90)
    calendar = site.pqrs.catalog().calendar
    assert calendar is not None and paused.resolution_due is not None
    left = calendar.business_days_between(calendar.local_date(paused_at),
                                          calendar.local_date(paused.resolution_due))
    assert 1 < left < 15  # two business days of the 15 went by before the pause
    return paused, paused_at.astimezone(calendar.zone).strftime("%d/%m/%Y %H:%M"), left


def test_the_case_page_and_the_lookup_say_since_when_it_is_paused_and_what_it_has_left(
        site: Site, clock: FrozenClock) -> None:
    case, since, left = paused_months_ago(site, clock)
    assert case.resolution_due is not None
    stale = case.resolution_due.astimezone(site.pqrs.deps.settings.calendar.zone).strftime("%d/%m/%Y")
    expected = f"En pausa desde {since}; quedan {left} días hábiles"

    page = text_of(site.as_user("ana").page(f"/casos/{case.filing_number}"))
    # The summary at the top and the term section both read the pause, not the stale date.
    top = re.search(r"Vencimiento: (.*?\))", page)
    assert top is not None and expected in top.group(1) and stale not in top.group(1)
    term = re.search(r"Vence (.*?\))", page)
    assert term is not None and expected in term.group(1) and stale not in term.group(1)

    lookup = site.as_user(None).post("/consultar", {"radicado": str(case.filing_number),
                                                    "documento": "43123456"})
    public = text_of(lookup.get_data(as_text=True))
    assert lookup.status_code == 200
    assert expected in public and "el término está suspendido" in public
    assert stale not in public


def test_the_inbox_row_shows_the_time_left_of_a_paused_case(site: Site, clock: FrozenClock) -> None:
    case, since, left = paused_months_ago(site, clock)

    page = text_of(site.as_user("ana").page("/bandeja"))

    assert str(case.filing_number) in page
    assert f"En pausa desde {since}; quedan {left} días hábiles" in page
