"""A paused term over HTTP: the case's ``deadlines`` say since when it is paused and what it had left,
beside the deadline from before the pause (kept for existing clients)."""

from __future__ import annotations

from typing import Any

import pytest

from pqrs_core.clock import FrozenClock

from .conftest import Api, freeze_clock


@pytest.fixture()
def clock(api: Api) -> FrozenClock:
    return freeze_clock(api.app, api.engine)


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def test_a_paused_case_carries_since_when_and_the_business_days_it_has_left(api: Api,
                                                                             clock: FrozenClock) -> None:
    n = api.file("ana", kind="peticion")["filing_number"]
    _ok(api.post(f"cases/{n}/assignment", "sofia", json={"assignee": "bruno"}))
    paused_at = clock.advance(days=2)  # Wednesday: two of the 15 business days went by
    asked = _ok(api.post(f"cases/{n}/information-requests", "bruno",
                         json={"message": "Envíe la factura"}))
    clock.advance(days=90)

    deadlines = _ok(api.get(f"cases/{n}", "bruno"))["deadlines"]

    assert deadlines["status"] == "paused"
    assert deadlines["resolution_due"] == asked["deadlines"]["resolution_due"]  # still there, as before
    assert deadlines["paused_since"].startswith(paused_at.isoformat()[:16])
    assert deadlines["paused_left"] == {"amount": 13, "unit": "business_days"}
    assert deadlines["paused_text"] == "En pausa desde 04/03/2026 09:00; quedan 13 días hábiles"


def test_an_incomplete_petition_has_its_whole_term_left(api: Api, clock: FrozenClock) -> None:
    n = api.file("ana", kind="peticion")["filing_number"]
    _ok(api.post(f"cases/{n}/assignment", "sofia", json={"assignee": "bruno"}))
    clock.advance(days=2)
    _ok(api.post(f"cases/{n}/completion-requests", "bruno",
                 json={"message": "Falta la copia de la factura", "missing": ["factura"]}))

    deadlines = _ok(api.get(f"cases/{n}", "bruno"))["deadlines"]

    assert deadlines["paused_left"] == {"amount": 15, "unit": "restart_business_days"}
    assert deadlines["paused_text"].endswith("quedan 15 días hábiles, contados de nuevo cuando se "
                                             "complete la petición")
