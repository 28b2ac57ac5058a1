"""The filing window of the home-utility recursos (Ley 142 de 1994 art. 154): the recurso de reposición,
and the apelación as its subsidiary, is filed within 5 business days of the notification of the
decision it attacks. Staff record that date on the recurso (at filing or later) and the case shows,
in its term explanation, whether the recurso came in time or late.

Every expected last day is counted by hand in a comment.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hook_coverage import exercises

from pqrs_core.domain import commands as c
from pqrs_core.domain.filing_window import FilingCheck
from pqrs_core.testing import in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
AGENT = staff("ana", "agent")
NOTICE = "fecha_notificacion_decision"


def _check(received_at: datetime, notified_on: date | None,
           kind: str = "recurso_reposicion") -> tuple[FilingCheck | None, tuple[str, ...]]:
    """File a recurso received at ``received_at`` against a decision notified on ``notified_on``."""
    pqrs = in_memory_pqrs(load_entry_points=True, at=received_at)
    fields = {NOTICE: notified_on.isoformat()} if notified_on is not None else {}
    case = pqrs.handle(c.FileCase(kind=kind, subject="Recurso contra la factura",
                                  description="No estoy de acuerdo con la decisión", channel="email",
                                  received_at=received_at, custom_fields=fields), AGENT)
    explanation = pqrs.explain_term(str(case.filing_number))
    return explanation.filing, explanation.lines


@pytest.mark.parametrize(("notified_on", "last_day", "in_time", "late"), [
    # Semana Santa: notified Tuesday 31 March 2026; day 1 is Wednesday 1 April, Thursday 2 and Friday 3
    # are holidays, Mon 6 (2), Tue 7 (3), Wed 8 (4), Thu 9 (5) → last day Thursday 9 April.
    (date(2026, 3, 31), date(2026, 4, 9),
     datetime(2026, 4, 9, 16, 0, tzinfo=BOGOTA), datetime(2026, 4, 10, 9, 0, tzinfo=BOGOTA)),
    # The Ley 2578 Monday of 2026: notified Friday 10 July; Monday 13 (Virgen de Chiquinquirá) is a
    # holiday, Tue 14 (1), 15 (2), 16 (3), 17 (4), Monday 20 is Independence Day, Tue 21 (5)
    # → last day Tuesday 21 July.
    (date(2026, 7, 10), date(2026, 7, 21),
     datetime(2026, 7, 21, 16, 0, tzinfo=BOGOTA), datetime(2026, 7, 22, 9, 0, tzinfo=BOGOTA)),
    # Year end: notified Wednesday 23 December 2026; Thu 24 (1), Friday 25 is Christmas, Mon 28 (2),
    # 29 (3), 30 (4), Thu 31 (5) → last day Thursday 31 December. An e-mail of Saturday 2 January 2027
    # counts as received Monday 4 (Friday 1 is a holiday): late.
    (date(2026, 12, 23), date(2026, 12, 31),
     datetime(2026, 12, 31, 16, 0, tzinfo=BOGOTA), datetime(2027, 1, 2, 11, 0, tzinfo=BOGOTA)),
    # The Ley 2578 Monday of 2027: notified Wednesday 7 July 2027; Thu 8 (1), Fri 9 (2), Monday 12 is
    # the holiday, Tue 13 (3), Wed 14 (4), Thu 15 (5) → last day Thursday 15 July.
    (date(2027, 7, 7), date(2027, 7, 15),
     datetime(2027, 7, 15, 16, 0, tzinfo=BOGOTA), datetime(2027, 7, 16, 9, 0, tzinfo=BOGOTA)),
])
@exercises("pqrs_register_field_definitions")
def test_a_recurso_after_the_fifth_business_day_from_the_notification_shows_as_late(
        notified_on: date, last_day: date, in_time: datetime, late: datetime) -> None:
    check, lines = _check(in_time, notified_on)
    assert check is not None and check.last_day == last_day and not check.late
    assert any(line.startswith("Presentado dentro del término") for line in lines)

    check, lines = _check(late, notified_on, kind="recurso_apelacion")
    assert check is not None and check.last_day == last_day and check.late
    late_line = next(line for line in lines if line.startswith("Presentado fuera de término"))
    assert f"vencía el {last_day:%d/%m/%Y}" in late_line and "Ley 142 de 1994 art. 154" in late_line
    assert lines[-1].startswith("Estado del término")  # the status stays last


def test_staff_record_the_notification_date_after_filing_and_other_kinds_have_no_window() -> None:
    received = datetime(2026, 4, 10, 9, 0, tzinfo=BOGOTA)  # Friday after Semana Santa
    assert _check(received, None)[0] is None  # nothing to compare until the date is recorded
    pqrs = in_memory_pqrs(load_entry_points=True, at=received)
    case = pqrs.handle(c.FileCase(kind="recurso_reposicion", subject="Recurso", description="Recurso",
                                  channel="phone"), AGENT)
    key = str(case.filing_number)
    assert pqrs.explain_term(key).filing is None
    # Notified Tuesday 31 March 2026: the last day was Thursday 9 April (counted above), so Friday 10 is
    # late.
    pqrs.handle(c.ChangeFields(filing_number=key, changes={"custom_fields": {NOTICE: "2026-03-31"}}),
                staff("beto", "back_office"))
    filing = pqrs.explain_term(key).filing
    assert filing is not None and filing.late and filing.received_on == date(2026, 4, 10)
    # A petition has no filing window, and the recursos' field is not offered on it.
    petition = pqrs.handle(c.FileCase(kind="peticion", subject="Certificado", description="Certificado",
                                      channel="phone"), AGENT)
    assert pqrs.explain_term(str(petition.filing_number)).filing is None
    notice = next(d for d in pqrs.catalog().fields if d.code == NOTICE)
    assert notice.applies_to("recurso_apelacion") and not notice.applies_to("peticion")
