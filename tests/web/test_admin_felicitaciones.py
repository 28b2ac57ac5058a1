"""Felicitaciones: no law sets a term, so the organisation chooses in the administration: 15 business days
labelled as its own policy (editable), or no deadline at all. A legal term cannot be left without one."""

from __future__ import annotations

import html

import pytest

from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.sla import TermPolicy, TermTrigger
from pqrs_core.domain.terms import Term, TermRule

from .conftest import Site


def test_the_organisation_chooses_no_deadline_for_felicitaciones_then_a_term_again(site: Site) -> None:
    first = site.file("ana", kind="felicitacion", subject="Gracias por la atención")
    assert first.term == Term(15) and first.term_policy == "co_felicitacion"
    admin = site.as_user("admin")
    page = html.unescape(admin.page("/admin/terminos/co_felicitacion"))
    assert "Ninguna ley fija este término" in page and "Sin vencimiento" in page
    assert "Sin vencimiento" not in html.unescape(admin.page("/admin/terminos/co_peticion_general"))

    saved = admin.post("/admin/terminos/co_felicitacion", {"amount": "15", "unit": "business_days",
                                                            "active": "1", "no_deadline": "1"})
    assert saved.status_code == 302
    assert "Sin vencimiento" in html.unescape(admin.page("/admin/terminos"))
    later = site.file("ana", kind="felicitacion", subject="Excelente servicio")
    assert (later.term, later.resolution_due) == (None, None)
    assert "Ningún término legal o contractual" in html.unescape(
        site.as_user("ana").page(f"/casos/{later.filing_number}"))

    # A legal policy keeps its term even if the box is forced into the form.
    admin.post("/admin/terminos/co_peticion_general", {"amount": "15", "unit": "business_days",
                                                       "active": "1", "no_deadline": "1"})
    assert site.file("ana", kind="peticion").term == Term(15)

    admin.post("/admin/terminos/co_felicitacion", {"amount": "10", "unit": "business_days", "active": "1"})
    again = site.file("ana", kind="felicitacion", subject="Muy amables")
    assert again.term == Term(10)
    assert "Política de la organización" in [e for e in site.pqrs.history(str(again.filing_number))
                                             if e.name == "TermStarted"][-1].source


def test_only_a_policy_no_law_requires_may_have_no_deadline() -> None:
    with pytest.raises(ValidationError) as refused:
        TermPolicy("legal", "Legal", (TermRule(Term(15)),), trigger=TermTrigger.NONE)
    assert "no_deadline" in refused.value.errors
    assert TermPolicy("propia", "Propia", (TermRule(Term(15)),), trigger="none", optional=True).trigger \
        is TermTrigger.NONE
