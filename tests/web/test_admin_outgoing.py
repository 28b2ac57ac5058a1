"""The administration of outgoing numbers (``/admin/radicados-salida``): each kind of communication's
format, checked and shown next to its field, the first number it gives, and only for administrators."""

from __future__ import annotations

import html

from pqrs_core.domain import commands as c
from pqrs_core.domain.outgoing import numbers_in

from .conftest import Site

PAGE = "/admin/radicados-salida"


def test_an_administrator_gives_the_transfers_their_own_series(site: Site) -> None:
    admin = site.as_user("admin")
    year = site.today().year
    page = html.unescape(admin.page(PAGE))
    assert "Traslado por competencia" in page and f"RS-{year}-000001" in page
    assert "Radicados de salida" in html.unescape(admin.page("/admin"))

    saved = admin.post(PAGE, {"kind": "transfer", "format": "TR-{year}-{seq:04d}"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#serie-transfer")
    assert f"TR-{year}-0001" in html.unescape(admin.page(PAGE))
    assert "outgoing_series.put" in [change["what"] for change in site.pqrs.catalog_admin.changes()]

    case = site.file("ana")
    number = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="bruno", queue="back_office"),
                     site.actor("sofia"))
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), site.actor("bruno"))
    site.pqrs.handle(c.TransferCase(filing_number=number, entity="Superintendencia Financiera",
                                    reason="Es de su competencia."), site.actor("bruno"))
    assert [o.number for o in numbers_in(site.pqrs.history(number), number)] == [f"TR-{year}-0001"]


def test_a_format_without_the_sequence_is_refused_next_to_its_field(site: Site) -> None:
    response = site.as_user("admin").post(PAGE, {"kind": "response", "format": "RS-{year}-{nombre}"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert 'id="serie-response-error"' in page and "solo admite los campos {year} y {seq}" in page
    assert 'value="RS-{year}-{nombre}"' in page  # what was typed stays in the field
    assert [s.format for s in site.pqrs.outgoing_series() if s.kind == "response"] == ["RS-{year}-{seq:06d}"]


def test_only_administrators_change_the_series(site: Site) -> None:
    assert site.as_user("ana").get(PAGE).status_code == 403
    refused = site.as_user("sofia").post(PAGE, {"kind": "response", "format": "X-{seq}"})
    assert refused.status_code == 403
    assert site.as_user("admin").post(PAGE, {"kind": "carta", "format": "X-{seq}"}).status_code == 404
