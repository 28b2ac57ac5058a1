"""Items involved in cases on SQLite and PostgreSQL: stored with their ERP snapshot, indexed in
``case_items`` so that every case of a lot or a product is found (a recall), and rewritten when items
are removed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select, text
from test_store_contract import SUPERVISOR

from conftest import StoreUnderTest
from pqrs_adapters.sqlalchemy.case_queries import where_clause
from pqrs_adapters.sqlalchemy.tables import case_items, cases
from pqrs_core.domain import commands as c
from pqrs_core.domain.items import InvolvedItem
from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.ports import CaseQuery
from pqrs_core.ports_integration import Invoice, InvoiceLine
from pqrs_core.testing import InvoiceSourcePlugin, ListInvoiceSource

CUSTOMER = Requester(kind=RequesterKind.CUSTOMER, customer_id="C-001", full_name="Droguería Central")
ERP = ListInvoiceSource([
    Invoice("FE-1", "C-001", date(2026, 2, 2), lines=(
        InvoiceLine("CREMA-250", Decimal("12"), "Crema 250 ml", line=1, lot="L2602-1",
                    expires_on=date(2027, 2, 1)),
        InvoiceLine("SHAMPOO-400", Decimal("6"), "Shampoo 400 ml", line=2, lot="L2602-2"))),
    Invoice("FE-2", "C-001", date(2026, 2, 9), lines=(
        InvoiceLine("CREMA-250", Decimal("4"), "Crema 250 ml", line=1, lot="L2602-9"),)),
])


def _file(app, *items: InvolvedItem) -> str:
    case = app.handle(c.FileCase(kind="reclamo", subject="Producto vencido", description="Detalle",
                                 requester=CUSTOMER, items=items), SUPERVISOR)
    return str(case.filing_number)


def _numbers(app, **query) -> list[str]:
    return sorted(str(case.filing_number) for case in app.cases(CaseQuery(**query)).cases)


def test_cases_are_found_by_lot_and_product_and_keep_their_snapshot(sql_store: StoreUnderTest) -> None:
    app = sql_store.app(plugins=[InvoiceSourcePlugin(ERP)])
    crema = InvolvedItem(invoice="FE-1", product="CREMA-250", quantity=Decimal("2"))
    shampoo = InvolvedItem(invoice="FE-1", product="shampoo-400", quantity=Decimal("1.5"))
    other_lot = InvolvedItem(invoice="FE-2", product="CREMA-250", quantity=Decimal("4"))
    a = _file(app, crema, shampoo)
    b = _file(app, other_lot)
    d = _file(app)
    assert _numbers(app, lots=("l2602-1",)) == [a]
    assert _numbers(app, products=("Crema-250",)) == sorted([a, b])
    assert _numbers(app, products=("CREMA-250",), lots=("L2602-2",)) == []  # not on the same item
    assert _numbers(app, lots=("L2602-1", "L2602-9")) == sorted([a, b])
    assert d not in _numbers(app, products=("SHAMPOO-400",))

    stored = app.case(a)
    assert [(i.product, i.lot, i.expires_on, i.verified) for i in stored.items] == [
        ("CREMA-250", "L2602-1", date(2027, 2, 1), True), ("SHAMPOO-400", "L2602-2", None, True)]
    assert stored.items[1].quantity == Decimal("1.5") and stored.items[0].erp is not None
    assert stored.items[0].erp.quantity == Decimal("12") and stored.items[0].erp.source == "erp_de_prueba"

    app.handle(c.ChangeCaseItems(filing_number=a, remove=(stored.items[0].id,)), SUPERVISOR)
    assert _numbers(app, lots=("L2602-1",)) == []
    assert _numbers(app, lots=("L2602-2",)) == [a]
    engine = sql_store.engine
    assert engine is not None
    with engine.connect() as conn:
        rows = conn.execute(select(case_items.c.lot_key, case_items.c.product_key)
                            .order_by(case_items.c.lot_key)).all()
    assert [tuple(r) for r in rows] == [("l2602-2", "shampoo-400"), ("l2602-9", "crema-250")]


def test_a_lot_search_starts_from_the_lot_index(sql_store: StoreUnderTest) -> None:
    """At a million cases a rare lot must be looked up, not probed case by case in the listing's order."""
    engine = sql_store.engine
    assert engine is not None
    with engine.connect() as conn:
        statement = (select(cases.c.id).where(where_clause(conn, CaseQuery(lots=("L-1",))))
                     .order_by(cases.c.filing_year.desc(), cases.c.filing_seq.desc()).limit(25))
        sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
        prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
        plan = " ".join(str(row) for row in conn.execute(text(prefix + sql)))
    assert "ix_case_items_lot_key_case_id" in plan, plan
