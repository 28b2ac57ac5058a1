"""When a petition counts as received, under the Colombian terms of ``legal_co``: a reception on a
non-business day (an e-mail on a Saturday) counts as made on the next business day (Consejo de
Estado, expediente 27219 de 2024); one after closing time on a business day counts that day, unless
the organisation sets "after closing time counts as the next business day".

Every expected deadline is counted by hand in a comment.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.commands import FileCase
from pqrs_core.settings import Settings
from pqrs_core.testing import in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
AGENT = staff("ana", "agent")


def _due(received_at: datetime, calendar: BusinessCalendar | None = None) -> date:
    """The local date of the deadline of a petition received at ``received_at``, filed that minute."""
    settings = Settings(calendar=calendar) if calendar is not None else None
    pqrs = in_memory_pqrs(load_entry_points=True, at=received_at, settings=settings)
    case = pqrs.handle(FileCase(kind="peticion", subject="Certificado", description="Solicito un certificado",
                                channel="email", received_at=received_at), AGENT)
    assert case.term_policy == "co_peticion_general" and case.resolution_due is not None
    return case.resolution_due.astimezone(BOGOTA).date()


def test_an_email_received_on_a_saturday_counts_as_received_the_next_business_day() -> None:
    # Saturday 11 July 2026; Sunday 12; Monday 13 is the Virgen de Chiquinquirá holiday (Ley 2578 de
    # 2026, moved from 9 July): it counts as received Tuesday 14, so day 1 is Wednesday 15.
    # 15, 16, 17 (3); Monday 20 July is Independence Day; 21–24 (7); 27–31 (12); 3, 4, 5 Aug (15)
    # → Wednesday 5 August 2026.
    assert _due(datetime(2026, 7, 11, 10, 0, tzinfo=BOGOTA)) == date(2026, 8, 5)
    # Received on Tuesday 14 itself: the same day 1 and the same deadline.
    assert _due(datetime(2026, 7, 14, 10, 0, tzinfo=BOGOTA)) == date(2026, 8, 5)


def test_after_closing_time_counts_that_day_unless_the_organisation_says_next_business_day() -> None:
    after_closing = datetime(2026, 12, 30, 18, 0, tzinfo=BOGOTA)  # Wednesday, the office closes at 17:00
    # By default the reception day counts: day 1 is Thursday 31 Dec; Friday 1 Jan 2027 is a holiday;
    # 4–8 Jan (6); Monday 11 Jan is Reyes (moved from the 6th); 12–15 (10); 18–22 (15)
    # → Friday 22 January 2027.
    assert _due(after_closing) == date(2027, 1, 22)
    # Where after closing time counts as the next business day, it counts as received Thursday 31,
    # so day 1 is Monday 4 Jan: one business day later → Monday 25 January 2027.
    next_day = BusinessCalendar(after_closing_next_day=True)
    assert _due(after_closing, next_day) == date(2027, 1, 25)
    # Before closing time the setting changes nothing.
    assert _due(datetime(2026, 12, 30, 16, 59, tzinfo=BOGOTA), next_day) == date(2027, 1, 22)
