"""What a library user imports from ``pqrs_core``: everything the documentation uses is there, the
application is built without the test helpers, and importing builds nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import pqrs_core
from pqrs_core import (
    Actor,
    AssignCase,
    CaseQuery,
    FileCase,
    FrozenClock,
    NotFound,
    Requester,
    RespondCase,
    StateCategory,
    SystemClock,
    Term,
    TermPolicy,
    TermRule,
    TermStatus,
    TransitionCase,
    hookimpl,
    in_memory,
)
from pqrs_core.testing import switch_off_default_term

BOGOTA = ZoneInfo("America/Bogota")


class FifteenDayComplaints:
    @hookimpl
    def pqrs_register_term_policies(self, register):  # type: ignore[no-untyped-def]
        register(TermPolicy("reclamos_de_prueba", "Reclamos de prueba",
                            resolution=(TermRule(Term(15), source="Política de prueba"),),
                            kinds=("reclamo",)))


def test_every_public_name_is_importable_from_the_package() -> None:
    missing = [name for name in pqrs_core.__all__ if not hasattr(pqrs_core, name)]
    assert missing == []
    assert len(set(pqrs_core.__all__)) == len(pqrs_core.__all__)
    assert {"Pqrs", "in_memory", "FileCase", "CaseQuery", "Catalog", "ValidationError", "Clock",
            "TermExplanation"} <= set(pqrs_core.__all__)


def test_importing_the_public_api_loads_no_adapter_and_builds_nothing() -> None:
    program = ("import json, sys, pqrs_core, pqrs_adapters\n"
               "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
               "('sqlalchemy', 'flask', 'alembic', 'click', 'pluggy_loaded_plugins'))))")
    src = str(Path(pqrs_core.__file__).resolve().parents[1])
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False,
                            env={**os.environ, "PYTHONPATH": src}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_in_memory_runs_on_the_system_clock_without_the_test_helpers() -> None:
    pqrs = in_memory(load_entry_points=False)

    assert isinstance(pqrs.deps.clock, SystemClock)
    assert {"queja", "reclamo"} <= {k.code for k in pqrs.catalog().kinds}


def test_a_case_is_filed_moved_answered_queried_and_its_term_explained() -> None:
    # A Monday morning in Bogotá: a 15-business-day term, counted from the next day and skipping
    # the holiday of Monday 23 March, runs until the end of Tuesday 24 March.
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA))
    pqrs = in_memory(clock=clock, plugins=[FifteenDayComplaints()], load_entry_points=False)
    ana, sofia = Actor("ana", frozenset({"agent"})), Actor("sofia", frozenset({"supervisor"}))
    stranger = Actor("pedro", frozenset({"customer"}))
    case = pqrs.handle(FileCase(kind="reclamo", channel="phone", subject="Pedido incompleto",
                                description="Llegaron 8 de las 10 cajas.",
                                requester=Requester(full_name="María Pérez")), ana)
    number = str(case.filing_number)

    running = pqrs.explain_term(number, ana)
    pqrs.handle(AssignCase(filing_number=number, assignee="ana"), sofia)
    pqrs.handle(TransitionCase(filing_number=number, transition="start"), ana)
    clock.advance(hours=2)
    pqrs.handle(RespondCase(filing_number=number, text="Enviamos las 2 cajas.", close=True), ana)
    done = pqrs.explain_term(number, ana)

    assert running.status is TermStatus.ON_TIME and running.status_label == "A tiempo"
    assert running.due is not None and running.due.astimezone(BOGOTA).date().isoformat() == "2026-03-24"
    assert any("Reclamos de prueba" in line and "Política de prueba" in line for line in running.lines)
    assert done.status is TermStatus.MET and done.lines[-1].startswith("Estado del término: Cumplido")
    closed = pqrs.cases(CaseQuery(state_categories=(StateCategory.DONE,)), ana).cases
    assert [str(c.filing_number) for c in closed] == [number]
    assert pqrs.cases(CaseQuery(), stranger).cases == []
    with pytest.raises(NotFound):
        pqrs.explain_term(number, stranger)


def test_a_case_without_a_term_is_explained_without_a_deadline() -> None:
    pqrs = in_memory(load_entry_points=False)
    ana = Actor("ana", frozenset({"agent"}))
    switch_off_default_term(pqrs)  # no policy applies
    case = pqrs.handle(FileCase(kind="queja", subject="Sin término", description="Nada aplica."), ana)

    explanation = pqrs.explain_term(str(case.filing_number), ana)

    assert explanation.reading is None and explanation.due is None and explanation.status_label is None
    assert explanation.lines and "radicado" in explanation.lines[0]
