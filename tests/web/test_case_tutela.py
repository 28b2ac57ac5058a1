"""A tutela on the staff case page: no term until the judge's notice, then the judge's term; a refused
notice keeps what was typed and names the field."""

from __future__ import annotations

import html
from typing import Any

from pqrs_core.domain import commands as c

from .conftest import Site


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_tutela_shows_it_waits_for_the_admission_then_the_judges_report_term(site: Site) -> None:
    case = site.file("ana", kind="tutela", subject="Tutela de Marta Gómez")
    number = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), site.actor("ana"))
    ana = site.as_user("ana")
    url = f"/casos/{number}"

    page = _text(ana.get(url))
    assert "no corre ningún término desde la radicación" in page
    assert "Ningún término legal o contractual" not in page
    assert "Registrar el auto admisorio" in page

    version = str(site.pqrs.case(number).version)
    refused = ana.post(f"{url}/tutela/admision", {"version": version, "tutela_dias": "5",
                                                   "tutela_notificada": "2026-04-01T14:30"})
    assert refused.status_code == 422
    page = _text(refused)
    assert "de 1 a 3 días hábiles" in page and 'value="5"' in page and 'value="2026-04-01T14:30"' in page
    assert site.pqrs.case(number).term is None

    done = ana.post(f"{url}/tutela/admision", {"version": version, "tutela_dias": "2",
                                                "tutela_notificada": "2026-04-01T14:30"})
    assert done.status_code == 302
    # Notified Wednesday 1 April 2026; Holy Thursday and Good Friday are holidays: day 1 is Monday 6,
    # day 2 Tuesday 7 April 2026.
    page = _text(ana.get(url))
    assert "2 días hábiles" in page and "07/04/2026" in page
    assert "Prorrogar el término" not in page  # the judge's terms admit no extension
