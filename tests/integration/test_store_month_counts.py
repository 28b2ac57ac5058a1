"""The summary report over filing dates on every store equals the reference count, also while cases
change, are retypified, closed and deleted, and for ranges that cut months anywhere. On SQLite the whole
months come from ``case_month_counts``, kept by triggers (``summary_schema``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import text

from pqrs_adapters.sqlalchemy.migrate import alembic_config
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Actor
from pqrs_core.ports import CaseQuery
from pqrs_core.query_filters import matches_query, summarize
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import void_case

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")
AGENT = Actor("ana", frozenset({"agent"}))
ADMIN = Actor("root", frozenset({"admin"}))
SUPERVISOR = Actor("sofia", frozenset({"supervisor"}))
# Filing instants around month ends (UTC and Bogotá), over a year change.
INSTANTS = [datetime(2025, 11, 30, 23, 30, tzinfo=UTC), datetime(2025, 12, 1, 0, 0, tzinfo=UTC),
            datetime(2025, 12, 1, 3, 0, tzinfo=UTC), datetime(2025, 12, 15, 14, 0, tzinfo=UTC),
            datetime(2025, 12, 31, 23, 59, tzinfo=BOGOTA), datetime(2026, 1, 1, 4, 0, tzinfo=UTC),
            datetime(2026, 1, 1, 5, 0, tzinfo=UTC), datetime(2026, 1, 20, 9, 0, tzinfo=UTC),
            datetime(2026, 2, 3, 16, 0, tzinfo=UTC), datetime(2026, 2, 28, 23, 0, tzinfo=BOGOTA),
            datetime(2026, 3, 10, 12, 0, tzinfo=UTC)]
QUERIES = [
    CaseQuery(),
    CaseQuery(filed_from=datetime(2025, 12, 1, tzinfo=UTC), filed_to=datetime(2026, 2, 1, tzinfo=UTC)),
    CaseQuery(filed_from=datetime(2025, 12, 1, tzinfo=BOGOTA), filed_to=datetime(2026, 3, 1, tzinfo=BOGOTA)),
    CaseQuery(filed_from=datetime(2026, 1, 1, tzinfo=BOGOTA), filed_to=datetime(2027, 1, 1, tzinfo=BOGOTA)),
    CaseQuery(filed_from=datetime(2025, 12, 10, tzinfo=UTC)),
    CaseQuery(filed_to=datetime(2026, 1, 20, tzinfo=UTC)),
    CaseQuery(filed_from=datetime(2025, 12, 2, tzinfo=UTC), filed_to=datetime(2025, 12, 20, tzinfo=UTC)),
    CaseQuery(filed_from=datetime(2025, 12, 1, tzinfo=UTC), filed_to=datetime(2026, 3, 10, 12, tzinfo=UTC),
              kinds=("queja",)),
]


def _check(app: Pqrs) -> None:
    every = app.cases(CaseQuery(limit=1000)).cases
    for query in QUERIES:
        expected = summarize(x for x in every if matches_query(x, query))
        assert app.summary(query, SUPERVISOR) == expected, query
        assert app.summary(query) == expected, query


def test_the_summary_by_filing_dates_follows_every_change(store: StoreUnderTest) -> None:
    clock = FrozenClock(INSTANTS[0])
    app = store.app(clock=clock)
    numbers = []
    for i, instant in enumerate(INSTANTS):
        clock.set(instant)
        filed = app.handle(c.FileCase(
            kind=("peticion", "queja", "reclamo")[i % 3], subject=f"Caso {i}", description="Sin respuesta",
            channel=("email", "phone", None)[i % 3], priority=("alta", None, "baja")[i % 3],
            typification=("PEDIDO_NO_RECIBIDO", None)[i % 2], queue="primer_nivel"), AGENT)
        numbers.append(str(filed.filing_number))
    _check(app)

    clock.set(datetime(2026, 3, 20, 15, 0, tzinfo=UTC))
    app.handle(c.AssignCase(filing_number=numbers[1], assignee="bruno"), SUPERVISOR)
    app.handle(c.TypifyCase(filing_number=numbers[2], typification="ERROR_EN_LIQUIDACION_DE_LA_FACTURA"),
               SUPERVISOR)
    app.handle(c.AssignCase(filing_number=numbers[3], assignee="bruno"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=numbers[3], transition="start"), SUPERVISOR)
    app.handle(c.RespondCase(filing_number=numbers[3], text="Resuelto.", close=True), SUPERVISOR)
    void_case(app, numbers[4], "Duplicado", requested_by=ADMIN, approved_by=SUPERVISOR)
    void_case(app, numbers[6], "Prueba", requested_by=ADMIN, approved_by=SUPERVISOR)
    _check(app)
    assert app.summary(QUERIES[0]).total == len(INSTANTS) - 2

    if store.engine is not None and store.engine.dialect.name == "sqlite":
        with store.engine.connect() as conn:
            found = conn.execute(text("SELECT month, sum(cases) FROM case_month_counts GROUP BY month"))
            months = {month: n for month, n in found}
        assert months == {"2025-11": 1, "2025-12": 3, "2026-01": 2, "2026-02": 1, "2026-03": 2}


@pytest.mark.parametrize("sql_store", ["sqlite"], indirect=True)
def test_migration_0008_counts_the_cases_stored_before_it(sql_store: StoreUnderTest) -> None:
    """Checked through filings, a downgrade to 0007 (which drops the counts and keeps the cases) and
    the upgrade again. The filings come first: today's code writes columns later migrations add."""
    assert sql_store.engine is not None and sql_store.url is not None
    clock = FrozenClock(INSTANTS[0])
    app = sql_store.app(clock=clock)
    for instant in INSTANTS[:5]:
        clock.set(instant)
        app.handle(c.FileCase(kind="queja", subject="Demora", description="Sin respuesta"), AGENT)
    config = alembic_config(sql_store.url)
    command.downgrade(config, "0007")
    with sql_store.engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert "case_month_counts" not in tables
    command.upgrade(config, "head")
    _check(app)
    assert app.summary(CaseQuery(filed_from=datetime(2025, 12, 1, tzinfo=UTC),
                                 filed_to=datetime(2026, 1, 1, tzinfo=UTC))).total == 3
