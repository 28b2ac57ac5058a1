"""An acción de tutela has two terms, each set by the judge and counted from a notice (Decreto 2591 de
1991 art. 19: the report, 1 to 3 days from the notice of the admission; arts. 27 and 29 num. 5: the
compliance, at most 48 hours from the notice of the ruling), none from filing, none extendable.

Every expected deadline is counted by hand in a comment: a day term runs from the business day after
the notice and ends at midnight (Bogotá) of its last day; an hour term runs on the clock.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.commands import ExtendTerm, FileCase, RecordAdmissionNotice, RecordRulingNotice
from pqrs_core.domain.errors import InvalidOperation, ValidationError
from pqrs_core.domain.events import TermStarted
from pqrs_core.domain.terms import Term, TermUnit
from pqrs_core.testing import in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
CAL = BusinessCalendar()
AGENT = staff("ana", "agent")
BACK_OFFICE = staff("beatriz", "back_office")


def end_of(y: int, m: int, d: int) -> datetime:
    return CAL.end_of_day(date(y, m, d))


def _tutela(at: datetime):
    pqrs = in_memory_pqrs(load_entry_points=True, at=at)
    case = pqrs.handle(FileCase(kind="tutela", subject="Tutela de Juan Pérez",
                                description="Juzgado 3 Civil Municipal: derecho de petición"), AGENT)
    return pqrs, str(case.filing_number)


def test_a_tutela_has_no_term_from_filing_and_says_what_it_waits_for():
    pqrs, number = _tutela(datetime(2026, 4, 1, 9, 0, tzinfo=BOGOTA))
    case = pqrs.case(number)
    assert (case.term, case.resolution_due) == (None, None)
    assert not [e for e in pqrs.history(number) if isinstance(e, TermStarted)]
    explanation = pqrs.explain_term(number)
    assert explanation.reading is None
    assert any("no corre ningún término desde la radicación" in line and "auto admisorio" in line
               for line in explanation.lines)


def test_the_report_term_is_the_judges_days_from_the_notice_of_admission_over_holy_week():
    pqrs, number = _tutela(datetime(2026, 4, 1, 15, 0, tzinfo=BOGOTA))
    case = pqrs.handle(RecordAdmissionNotice(filing_number=number, days=2,
                                             notified_at=datetime(2026, 4, 1, 14, 30, tzinfo=BOGOTA)),
                       BACK_OFFICE)
    # Notified Wednesday 1 April 2026; Holy Thursday 2 and Good Friday 3 are holidays, so day 1 is
    # Monday 6 April and day 2 Tuesday 7 April 2026.
    assert (case.term_policy, case.term) == ("co_tutela", Term(2))
    assert case.resolution_due == end_of(2026, 4, 7)
    started = [e for e in pqrs.history(number) if isinstance(e, TermStarted)][-1]
    assert "art. 19" in started.source and "notificación del auto admisorio" in started.reason.lower()
    assert any("el juez fijó 2 días hábiles" in line for line in pqrs.explain_term(number).lines)


def test_the_report_term_skips_the_ley_2578_monday():
    pqrs, number = _tutela(datetime(2026, 7, 10, 17, 0, tzinfo=BOGOTA))
    case = pqrs.handle(RecordAdmissionNotice(filing_number=number, days=3), BACK_OFFICE)
    # Notified Friday 10 July 2026; Monday 13 July is the Ley 2578 de 2026 holiday (9 July moved), so
    # day 1 is Tuesday 14, day 2 Wednesday 15, day 3 Thursday 16 July 2026.
    assert case.resolution_due == end_of(2026, 7, 16)


def test_the_report_term_over_the_year_end():
    pqrs, number = _tutela(datetime(2026, 12, 30, 11, 0, tzinfo=BOGOTA))
    case = pqrs.handle(RecordAdmissionNotice(filing_number=number, days=3), BACK_OFFICE)
    # Notified Wednesday 30 December 2026: Thursday 31 (1), Friday 1 January is a holiday, weekend,
    # Monday 4 (2), Tuesday 5 January 2027 (3); Reyes falls on Monday 11 January.
    assert case.resolution_due == end_of(2027, 1, 5)


def test_the_compliance_term_is_the_judges_hours_from_the_notice_of_the_ruling():
    pqrs, number = _tutela(datetime(2026, 7, 1, 9, 0, tzinfo=BOGOTA))
    pqrs.handle(RecordAdmissionNotice(filing_number=number, days=1), BACK_OFFICE)
    pqrs.deps.clock.set(datetime(2026, 7, 10, 16, 0, tzinfo=BOGOTA))
    case = pqrs.handle(RecordRulingNotice(filing_number=number, hours=48,
                                          notified_at=datetime(2026, 7, 10, 15, 0, tzinfo=BOGOTA)),
                       BACK_OFFICE)
    # 48 clock hours from Friday 10 July 2026 15:00 → Sunday 12 July 15:00 (Bogotá): nights, the weekend
    # and the holiday count; the report term gives way to the compliance term.
    assert (case.term, case.extended_by) == (Term(48, TermUnit.CLOCK_HOURS), 0)
    assert case.resolution_due == datetime(2026, 7, 12, 15, 0, tzinfo=BOGOTA)
    lines = pqrs.explain_term(number).lines
    assert any("Notificación del fallo: el juez fijó 48 horas" in line for line in lines)


@pytest.mark.parametrize(("command", "field"), [
    (lambda n: RecordAdmissionNotice(filing_number=n, days=4), "days"),
    (lambda n: RecordAdmissionNotice(filing_number=n, days=0), "days"),
    (lambda n: RecordRulingNotice(filing_number=n, hours=49), "hours"),
    (lambda n: RecordRulingNotice(filing_number=n, hours=24,
                                  notified_at=datetime(2026, 4, 2, 9, 0, tzinfo=BOGOTA)), "notified_at"),
])
def test_the_judges_term_must_be_within_what_the_law_allows(command, field):
    pqrs, number = _tutela(datetime(2026, 4, 1, 9, 0, tzinfo=BOGOTA))
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(command(number), BACK_OFFICE)
    assert field in refused.value.errors
    assert pqrs.case(number).term is None  # nothing recorded


def test_the_judges_terms_admit_no_extension():
    pqrs, number = _tutela(datetime(2026, 4, 1, 9, 0, tzinfo=BOGOTA))
    pqrs.handle(RecordAdmissionNotice(filing_number=number, days=3), BACK_OFFICE)
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(ExtendTerm(filing_number=number, reason="Pruebas"), BACK_OFFICE)
    assert "improrrogables" in refused.value.errors["extra"]
    assert pqrs.case(number).extended_by == 0


def test_only_a_tutela_takes_a_judges_notice():
    pqrs = in_memory_pqrs(load_entry_points=True, at=datetime(2026, 4, 1, 9, 0, tzinfo=BOGOTA))
    case = pqrs.handle(FileCase(kind="peticion", subject="Certificado", description="Solicito"), AGENT)
    with pytest.raises(InvalidOperation):
        pqrs.handle(RecordAdmissionNotice(filing_number=str(case.filing_number), days=2), BACK_OFFICE)
