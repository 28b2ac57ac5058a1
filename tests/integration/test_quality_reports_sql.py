"""The quality reports as the pages and the API ask them, through the core (``quality_reports``) on
SQLite and PostgreSQL: the reader's visibility narrows the figures, the filter's days are the
organisation's, and a role without ``reports.view`` is refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from test_causes_sql import resolved
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR

from conftest import StoreUnderTest
from pqrs_adapters.sqlalchemy.quality_queries import quality_queries
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import PermissionDenied
from pqrs_core.domain.values import Actor
from pqrs_core.services.quality_figures import Targets
from pqrs_core.services.quality_reports import (
    causes_report,
    corrective_actions,
    productivity_report,
    satisfaction_report,
)
from pqrs_core.services.reports import ReportFilter

BOGOTA = ZoneInfo("America/Bogota")
# 23:30 in Bogotá on Monday 2 March 2026: already Tuesday in UTC.
LATE_MONDAY = datetime(2026, 3, 2, 23, 30, tzinfo=BOGOTA)
CONSULTANT = Actor("carla", frozenset({"consultant"}))  # reads reports of her own cases only


def test_the_quality_reports_read_the_readers_cases_in_the_organisations_days(
        sql_store: StoreUnderTest) -> None:
    app = sql_store.app(clock=FrozenClock(LATE_MONDAY))
    case = resolved(app, "queja")
    number = str(case.filing_number)
    app.handle(c.RecordRootCause(filing_number=number, cause="METODO", area="back_office",
                                 action="Revisar el despacho", action_owner="bruno",
                                 action_due=LATE_MONDAY.date() + timedelta(days=7)), BACK_OFFICE)
    monday = ReportFilter(start=LATE_MONDAY.date(), end=LATE_MONDAY.date())
    tuesday = ReportFilter(start=LATE_MONDAY.date() + timedelta(days=1),
                           end=LATE_MONDAY.date() + timedelta(days=1))

    report = causes_report(app, quality_queries, monday, SUPERVISOR)
    assert (report.resolved, report.with_cause) == (1, 1)
    assert causes_report(app, quality_queries, tuesday, SUPERVISOR).resolved == 0
    assert causes_report(app, quality_queries, monday, CONSULTANT).resolved == 0
    assert [a.filing_number for a in corrective_actions(app, quality_queries, SUPERVISOR, open_only=True)] \
        == [number]
    assert corrective_actions(app, quality_queries, CONSULTANT, open_only=False) == []
    work = productivity_report(app, quality_queries, monday, SUPERVISOR, Targets())
    assert (work.total.filed, work.total.answered, work.total.closed) == (1, 1, 1)
    assert [d.day for d in work.days] == [LATE_MONDAY.date()]
    assert satisfaction_report(app, quality_queries, monday, SUPERVISOR, "area").total.answers == 0


def test_a_role_without_reports_view_is_refused(sql_store: StoreUnderTest) -> None:
    app = sql_store.app(clock=FrozenClock(LATE_MONDAY))
    day = ReportFilter(start=LATE_MONDAY.date(), end=LATE_MONDAY.date())

    with pytest.raises(PermissionDenied):
        causes_report(app, quality_queries, day, AGENT)
    with pytest.raises(PermissionDenied):
        corrective_actions(app, quality_queries, AGENT, open_only=True)
