"""The demo's cases, whatever day it is loaded on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pqrs_adapters.demo.loader import load_demo
from pqrs_core.clock import FrozenClock
from pqrs_core.ports import CaseQuery
from pqrs_core.testing import in_memory_pqrs


# 2026-12-06 drew none of the thirty cases for the portal's customer before the newest was given to them.
@pytest.mark.parametrize("now", [datetime(2026, 12, 6, 4, 0, tzinfo=UTC),
                                 datetime(2026, 12, 6, 11, 0, tzinfo=UTC),
                                 datetime(2026, 12, 9, 16, 0, tzinfo=UTC)])
def test_the_portal_customer_has_a_case_to_open_on_any_day(now: datetime) -> None:
    clock = FrozenClock(now)
    pqrs = in_memory_pqrs(at=now)
    pqrs.deps.clock.set(now)  # type: ignore[attr-defined]
    load_demo(pqrs, pqrs.deps.clock, count=30, now=clock.now())  # type: ignore[arg-type]

    cases = pqrs.cases(CaseQuery(limit=100)).cases
    theirs = [case for case in cases if case.requester.user == "juan.cliente"]
    assert len(cases) == 30 and theirs
