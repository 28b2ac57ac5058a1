"""The organisation's working days under the Colombian terms of ``legal_co``: whether Saturday is a
business day is the organisation's choice (no statute decides it; Función Pública's concepts 254041 and
117191 of 2022 tie it to the days the organisation works), stored with its catalog, and it replaces the
settings' default. Changing it moves the deadlines of open cases when they are recomputed.

Every expected deadline is counted by hand in a comment.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pqrs_core import Pqrs
from pqrs_core.domain.calendar import MONDAY_TO_SATURDAY, BusinessCalendar
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.events import TermStarted
from pqrs_core.domain.working_days import WORKING_DAYS, WORKING_DAYS_REASON, working_days_warning
from pqrs_core.settings import Settings
from pqrs_core.testing import in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
AGENT = staff("ana", "agent")
ADMIN = staff("root", "admin")


def _pqrs(at: datetime, working_days: str | None = None, settings: Settings | None = None) -> Pqrs:
    pqrs = in_memory_pqrs(load_entry_points=True, at=at, settings=settings)
    if working_days is not None:
        pqrs.catalog_admin.set_working_weekdays(WORKING_DAYS[working_days], ADMIN)
    return pqrs


def _petition_due(pqrs: Pqrs, received_at: datetime) -> date:
    case = pqrs.handle(FileCase(kind="peticion", subject="Certificado", description="Solicito un certificado",
                                channel="email", received_at=received_at), AGENT)
    assert case.term_policy == "co_peticion_general" and case.resolution_due is not None
    return case.resolution_due.astimezone(BOGOTA).date()


@pytest.mark.parametrize(("received", "monday_to_friday", "monday_to_saturday"), [
    # Semana Santa. Received Tuesday 31 March 2026, day 1 is Wednesday 1 April; Thursday 2 and Friday 3
    # are holidays. Monday to Friday: 1 Apr (1), 6–10 (6), 13–17 (11), 20, 21, 22, 23 (15) → Thu 23 Apr.
    # Monday to Saturday: 1 Apr (1), Sat 4 (2), 6–11 (8), 13–18 (14), Mon 20 (15) → Mon 20 Apr.
    (datetime(2026, 3, 31, 10, 0, tzinfo=BOGOTA), date(2026, 4, 23), date(2026, 4, 20)),
    # The Ley 2578 Monday. Received Friday 10 July 2026; Monday 13 (Virgen de Chiquinquirá, moved from
    # the 9th) and Monday 20 (Independence Day) are holidays. Monday to Friday: 14–17 (4), 21–24 (8),
    # 27–31 (13), 3 Aug (14), 4 Aug (15) → Tue 4 Aug. Monday to Saturday: Sat 11 (1), 14–18 (6),
    # 21–25 (11), 27, 28, 29, 30 (15) → Thu 30 Jul.
    (datetime(2026, 7, 10, 10, 0, tzinfo=BOGOTA), date(2026, 8, 4), date(2026, 7, 30)),
    # Year end. Received Wednesday 30 December 2026; Friday 1 January and Monday 11 (Reyes, moved from
    # the 6th) are holidays. Monday to Friday: Thu 31 Dec (1), 4–8 Jan (6), 12–15 (10), 18–22 (15)
    # → Fri 22 Jan 2027. Monday to Saturday: Thu 31 (1), Sat 2 Jan (2), 4–9 (8), 12–16 (13), 18 (14),
    # 19 (15) → Tue 19 Jan 2027.
    (datetime(2026, 12, 30, 10, 0, tzinfo=BOGOTA), date(2027, 1, 22), date(2027, 1, 19)),
])
def test_the_organisations_working_days_decide_whether_saturdays_count(
        received: datetime, monday_to_friday: date, monday_to_saturday: date) -> None:
    assert _petition_due(_pqrs(received, "mon-fri"), received) == monday_to_friday
    assert _petition_due(_pqrs(received, "mon-sat"), received) == monday_to_saturday
    # Until the organisation chooses, the settings' calendar decides (Monday to Friday by default).
    assert _petition_due(_pqrs(received), received) == monday_to_friday


def test_the_stored_choice_replaces_the_settings_default() -> None:
    # The environment says Saturdays count (PQRS_SATURDAY_BUSINESS_DAY=1); the organisation then chose
    # Monday to Friday: Tuesday 31 March 2026 → Thursday 23 April (counted above), not Monday 20.
    received = datetime(2026, 3, 31, 10, 0, tzinfo=BOGOTA)
    saturdays = Settings(calendar=BusinessCalendar(working_weekdays=MONDAY_TO_SATURDAY))
    assert _petition_due(_pqrs(received, settings=saturdays), received) == date(2026, 4, 20)
    assert _petition_due(_pqrs(received, "mon-fri", settings=saturdays), received) == date(2026, 4, 23)


def test_changing_the_working_days_recomputes_open_deadlines_with_the_reason_in_the_history() -> None:
    received = datetime(2026, 3, 31, 10, 0, tzinfo=BOGOTA)
    pqrs = _pqrs(received, "mon-fri")
    case = pqrs.handle(FileCase(kind="peticion", subject="Certificado", description="Solicito un certificado",
                                channel="email", received_at=received), AGENT)
    pqrs.catalog_admin.set_working_weekdays(WORKING_DAYS["mon-sat"], ADMIN)
    key = str(case.filing_number)
    assert case.resolution_due == pqrs.case(key).resolution_due  # kept until recomputed

    assert pqrs.recompute_terms(WORKING_DAYS_REASON) == 1

    # Counted above: Monday to Saturday from Tuesday 31 March 2026 → Monday 20 April.
    recomputed = pqrs.case(key)
    assert recomputed.resolution_due is not None
    assert recomputed.resolution_due.astimezone(BOGOTA).date() == date(2026, 4, 20)
    started = [e for e in pqrs.history(key) if isinstance(e, TermStarted)]
    assert started[-1].reason == WORKING_DAYS_REASON


def test_working_days_are_checked_and_only_saturdays_carry_the_warning() -> None:
    pqrs = _pqrs(datetime(2026, 3, 31, 10, 0, tzinfo=BOGOTA))
    with pytest.raises(ValidationError) as raised:
        pqrs.catalog_admin.set_working_weekdays([], ADMIN)
    assert "working_weekdays" in raised.value.errors
    assert pqrs.catalog().working_weekdays is None
    warning = working_days_warning(WORKING_DAYS["mon-sat"])
    assert warning is not None and "Función Pública" in warning and "recalculan" in warning
    assert working_days_warning(WORKING_DAYS["mon-fri"]) is None
