"""The timeliness report's answer times read by typification path and queue (as the store joins the
cells it keeps) give the figures of the same cases read one by one."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from pqrs_core.domain.catalog import Catalog
from pqrs_core.services import report_figures as f
from pqrs_core.services.reports import Period, ReportFilter, TimedCases, TimelinessInput, one_timed_case

SPEC = ReportFilter(start=date(2026, 4, 1), end=date(2026, 6, 30), period=Period.QUARTER)
NOW = datetime(2026, 7, 1, 15, 0, tzinfo=UTC)


def _report(timed: list[TimedCases]) -> f.TimelinessReport:
    data = TimelinessInput([Counter()], [Counter()], timed, Catalog(), NOW, "America/Bogota")
    return f.timeliness_counted(data, SPEC)


def test_the_hours_grouped_count_each_case_as_one_by_one() -> None:
    billing, service = ("FACTURACION", "COBRO_DOBLE"), ("SERVICIO",)
    case = one_timed_case
    one_by_one = [case(billing, "back_office", 2.5, 10.0), case(billing, "back_office", 2.5, 10.0),
                  case(billing, "back_office", 2.5, 10.0), case(billing, "back_office", 7.25, None),
                  case(service, None, 1.0, 3.0), case(service, None, 40.0, 41.0)]
    # The store's way: a typification path and queue's hours joined (here in two parts), cells of alike
    # cases apart.
    cells = [TimedCases(billing, "back_office", [7.25], []), case(billing, "back_office", 2.5, 10.0, 3),
             TimedCases(service, None, [40.0, 1.0], [41.0, 3.0])]
    counted, read = _report(cells), _report(one_by_one)
    assert counted.first_response_hours == read.first_response_hours
    assert counted.resolution_hours == read.resolution_hours
    # Counted by hand: first response 1.0, 2.5 ×3, 7.25, 40.0; resolution 3.0, 10.0 ×3, 41.0.
    assert counted.first_response_hours["total"] == [f.DurationStats("total", 6, 2.5, 40.0, 9.29)]
    assert counted.resolution_hours["total"] == [f.DurationStats("total", 5, 10.0, 41.0, 14.8)]
    assert [(s.key, s.count) for s in counted.first_response_hours["queue"]] == [("back_office", 4),
                                                                              (f.NO_VALUE, 2)]
