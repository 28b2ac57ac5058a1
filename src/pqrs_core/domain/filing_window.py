"""Whether a request that attacks a decision (a recurso) was filed in time.

Some requests must themselves be filed within a term: a home-utility user files the recurso de
reposición, and the apelación as its subsidiary, within 5 business days of the notification of the
decision (Ley 142 de 1994 art. 154, read in secondary sources). A term policy says so with a
``FilingWindow``; staff record the notification date in the case's custom field the window names, and
``filing_check`` compares it with the reception. A late recurso is still filed and answered: whether to
reject it is for the person who decides it, so the case only shows, clearly, that it came late.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from .calendar import BusinessCalendar
    from .case import Case
    from .catalog import Catalog


@attrs.frozen
class FilingWindow:
    """A request must be filed within ``business_days`` business days of the notification of the
    decision it attacks (day 1 is the business day after the notification, as for any day term); the
    case's custom field ``notice_field`` holds the notification date."""

    business_days: int
    notice_field: str
    source: str = ""


@attrs.frozen
class FilingCheck:
    """A case's filing measured against its window: the notification date, the last day to file, the
    day the reception counts as made on, and whether that is after the last day."""

    notified_on: date
    last_day: date
    received_on: date
    business_days: int
    source: str

    @property
    def late(self) -> bool:
        return self.received_on > self.last_day

    def describe(self) -> str:
        """One Spanish sentence for the case page, the explanation and the API."""
        timing = "fuera de término" if self.late else "dentro del término"
        source = f" ({self.source})" if self.source else ""
        return (f"Presentado {timing}: la decisión se notificó el {self.notified_on:%d/%m/%Y}, el plazo "
                f"de {self.business_days} días hábiles para presentarlo vencía el "
                f"{self.last_day:%d/%m/%Y} y se recibió el {self.received_on:%d/%m/%Y}{source}.")


def check_filing(case: Case, window: FilingWindow, calendar: BusinessCalendar) -> FilingCheck | None:
    """``case``'s filing against ``window``; ``None`` until its notification date is recorded."""
    raw = case.custom_fields.get(window.notice_field)
    if not raw:
        return None
    notified_on = date.fromisoformat(str(raw))
    # A notification on a non-business day counts from the next business day, like a reception.
    last_day = calendar.add_business_days(calendar.business_day_on_or_after(notified_on),
                                          window.business_days)
    return FilingCheck(notified_on=notified_on, last_day=last_day,
                       received_on=calendar.reception_day(case.received_at),
                       business_days=window.business_days, source=window.source)


def filing_check(case: Case, catalog: Catalog) -> FilingCheck | None:
    """The filing check of ``case`` under the window of its term policy, if it has one."""
    policy = next((p for p in catalog.term_policies if p.code == case.term_policy), None)
    if policy is None or policy.filing_window is None or catalog.calendar is None:
        return None
    return check_filing(case, policy.filing_window, catalog.calendar)
