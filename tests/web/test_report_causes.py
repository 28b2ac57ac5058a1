"""The causes report (Pareto by cause and by typification) and the list of corrective actions."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c

from .conftest import Site


def resolved(site: Site, cause: str | None, *, action: str = "", due_in: int = 10, kind: str = "peticion",
             typification: str | None = None) -> str:
    case = site.file("ana", kind=kind, typification=typification)
    number = str(case.filing_number)
    ana = site.actor("ana")
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), site.actor("sofia"))
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    site.pqrs.handle(c.RespondCase(filing_number=number, text="Listo.", close=True), ana)
    if cause:
        site.pqrs.handle(c.RecordRootCause(
            filing_number=number, cause=cause, area="primer_nivel", action=action,
            action_owner="bruno" if action else None,
            action_due=site.today() + timedelta(days=due_in) if action else None), ana)
    return number


def test_the_pareto_of_causes_counts_by_hand(site: Site, clock: FrozenClock) -> None:
    for cause in ("METODO", "METODO", "METODO", "MATERIAL", "MATERIAL", "MAQUINA", None):
        resolved(site, cause)
    visitor = site.as_user("sofia")

    html = visitor.page("/reportes/causas")
    download = visitor.get("/reportes/causas?tabla=causas&formato=csv").get_data(as_text=True)
    table = list(csv.reader(io.StringIO(download.lstrip("\ufeff")), delimiter=";"))

    assert "<svg" in html and "% acumulado" in html
    # 7 resolved, 6 with a cause (86 %): Método 3 (50 %, 50 %), Material 2 (33 %, 83 %),
    # Máquina 1 (17 %, 100 %).
    assert "<dd>7" in html and "<dd>6" in html and "86 % de los resueltos" in html
    assert table[1:] == [["Método", "3", "50 %", "50 %"], ["Material", "2", "33 %", "83 %"],
                         ["Máquina", "1", "17 %", "100 %"]]


def test_open_corrective_actions_come_first_by_due_date_and_overdue_ones_are_marked(
        site: Site, clock: FrozenClock) -> None:
    late = resolved(site, "METODO", action="Actualizar el instructivo", due_in=2)
    soon = resolved(site, "MATERIAL", action="Cambiar de proveedor", due_in=5)
    done = resolved(site, "MAQUINA", action="Reparar la impresora", due_in=1)
    resolved(site, "MEDICION")  # no action
    site.pqrs.handle(c.CompleteCorrectiveAction(filing_number=done, note="Reparada"), site.actor("ana"))
    clock.advance(days=3)
    visitor = site.as_user("sofia")

    html = visitor.page("/reportes/acciones-correctivas")
    every = visitor.page("/reportes/acciones-correctivas?estado=todas")

    assert html.index(late) < html.index(soon) and done not in html
    assert "Vencida" in html and html.count("Vencida") == 1
    assert done in every and "Completada" in every
    assert site.as_user("ana").get("/reportes/acciones-correctivas").status_code == 403
