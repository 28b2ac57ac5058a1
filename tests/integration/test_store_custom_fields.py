"""Custom fields on every store: a field defined at run time round-trips, cases are filtered by its
values and found by free-text search (from ``case_field_values`` on the SQL stores, kept with the
case's events), and migration 0029
fills that index from the cases stored before it."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import select, text

import pqrs_adapters.sqlalchemy as store_package
from pqrs_adapters.importing.bulk import import_jsonl
from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory, upgrade
from pqrs_adapters.sqlalchemy.tables import case_field_values
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.fields import FieldDefinition, FieldType
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.memory import MemoryFileStore
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:

    from conftest import StoreUnderTest

ADMIN = Actor("root", frozenset({"admin"}))
AGENT = Actor("ana", frozenset({"agent"}))
ZONES = FieldDefinition("zonas", "Zonas", FieldType.MULTI_CHOICE, choices=("norte", "sur"),
                        choice_labels={"norte": "Zona norte"}, public=True)
AMOUNT = FieldDefinition("monto", "Monto", FieldType.DECIMAL, minimum=Decimal("0"), maximum=Decimal("1e6"),
                         required_for_transitions=("start",))
METER = FieldDefinition("medidor", "Medidor", FieldType.TEXT, pattern=r"M-\d+")


def _file(app: Pqrs, **custom: object) -> str:
    case = app.handle(c.FileCase(kind="queja", subject="Cobro", description="Me cobraron dos veces.",
                                 requester=Requester(full_name="Ana Ruiz", email="ana@example.com"),
                                 custom_fields=dict(custom)), AGENT)
    return str(case.filing_number)


def _found(app: Pqrs, *pairs: tuple[str, str]) -> list[str]:
    return sorted(str(x.filing_number) for x in app.cases(CaseQuery(custom_fields=pairs)).cases)


def test_a_field_defined_at_run_time_round_trips_and_filters(store: StoreUnderTest) -> None:
    app = store.app()
    for definition in (ZONES, AMOUNT, METER):
        app.catalog_admin.put_field(definition, ADMIN)
    defined = [f for f in app.catalog().fields if f.code in ("zonas", "monto", "medidor")]
    assert defined == [ZONES, AMOUNT, METER]
    a = _file(app, zonas=["sur", "norte"], monto="1500", medidor="M-1")
    b = _file(app, zonas=["sur"], monto="20.5")
    assert _found(app, ("zonas", "sur")) == sorted([a, b])
    assert _found(app, ("zonas", "Norte")) == [a]
    assert _found(app, ("monto", "1500.00")) == [a]
    assert _found(app, ("medidor", "m-1"), ("zonas", "sur")) == [a]
    edit = {"custom_fields": {"medidor": "M-2", "zonas": ["norte"]}}
    app.handle(c.ChangeFields(filing_number=a, changes=edit), AGENT)
    assert _found(app, ("medidor", "M-1")) == []
    assert _found(app, ("medidor", "M-2")) == [a]
    assert _found(app, ("zonas", "sur")) == [b]
    assert _found(app, ("monto", "20.5"), ("zonas", "norte")) == []
    # A free-text search finds a case holding the whole query as a value.
    assert [str(x.filing_number) for x in app.cases(CaseQuery(text="m-2")).cases] == [a]
    assert [str(x.filing_number) for x in app.cases(CaseQuery(text="Zona")).cases] == []


def _migration_0029() -> ModuleType:
    """Migration 0029's module (its backfill runs on a store at any later revision too)."""
    path = Path(store_package.__file__).parent / "migrations" / "versions" / "0029_custom_fields.py"
    spec = importlib.util.spec_from_file_location("migration_0029", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_0029_indexes_the_custom_fields_cases_already_hold(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pqrs.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        app = bootstrap(uow_factory=sql_uow_factory(engine), clock=FrozenClock(), files=MemoryFileStore())
        app.catalog_admin.put_field(ZONES, ADMIN)
        n = _file(app, zonas=["norte", "sur"])
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM case_field_values"))
            _migration_0029()._backfill(conn)
        with engine.connect() as conn:
            rows = conn.execute(select(case_field_values.c.field, case_field_values.c.text_value)
                                .order_by(case_field_values.c.text_value)).all()
        assert [tuple(r) for r in rows] == [("zonas", "norte"), ("zonas", "sur")]
        assert _found(app, ("zonas", "sur")) == [n]
    finally:
        engine.dispose()


def test_imported_cases_are_filtered_by_their_custom_fields(sql_store: StoreUnderTest,
                                                            tmp_path: Path) -> None:
    app = sql_store.app()
    app.catalog_admin.put_field(ZONES, ADMIN)
    source = tmp_path / "casos.jsonl"
    lines = [{"kind": "queja", "subject": f"Corte {i}", "description": "Sin servicio.",
              "received_at": "2025-03-03T09:15:00-05:00", "channel": "phone",
              "requester": {"full_name": "Ana Ruiz", "email": "ana@example.com"},
              "custom_fields": {"zonas": zones}} for i, zones in enumerate((["sur"], ["norte", "sur"]))]
    source.write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert sql_store.engine is not None
    report = import_jsonl(app, sql_store.engine, source)
    assert report.imported == 2, report
    assert [x.subject for x in app.cases(CaseQuery(custom_fields=(("zonas", "norte"),))).cases] == ["Corte 1"]
    assert len(app.cases(CaseQuery(custom_fields=(("zonas", "sur"),))).cases) == 2
