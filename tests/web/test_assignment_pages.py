"""Assignment in the web pages: a queue's strategy and cap in its admin form, and what it does."""

from __future__ import annotations

from pqrs_core.domain.assignment import Strategy

from .conftest import Site


def test_a_queues_strategy_and_cap_are_set_in_its_form_and_used_at_filing(site: Site) -> None:
    admin = site.as_user("admin")
    page = admin.page("/admin/listas/colas/back_office")
    assert "Asignación automática" in page and "Manual: un supervisor distribuye" in page

    form = {"label": "Back office", "order": "2", "active": "1", "strategy": "least_loaded"}
    refused = admin.post("/admin/listas/colas/back_office", {**form, "cap": "²"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Escriba un número entero entre 0 y 10000" in body and 'value="²"' in body
    assert "back_office" not in site.pqrs.assignment_admin.policies()

    saved = admin.post("/admin/listas/colas/back_office", {**form, "cap": "3"})
    assert saved.status_code == 302
    policy = site.pqrs.assignment_admin.policies()["back_office"]
    assert (policy.strategy, policy.cap) == (Strategy.LEAST_LOADED, 3)
    case = site.file("ana", queue="back_office")
    assert case.assignee == "bruno"  # the only back-office agent; sofia supervises
    assert "a quien tiene menos carga" in admin.page(f"/casos/{case.filing_number}")
