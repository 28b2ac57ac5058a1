"""GET /cases/{n} and GET /cases: filters, sorting, cursor pages, free text, and visibility by role."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from .conftest import Api, assert_problem


def _numbers(response: Any) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [c["filing_number"] for c in response.get_json()["items"]]


def test_a_case_is_read_with_its_etag(api: Api) -> None:
    case = api.file()
    response = api.get(f"cases/{case['filing_number']}")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert response.get_json()["subject"] == "Solicitud de certificado"
    # Lower case works too: filing numbers are case-insensitive.
    assert api.get(f"cases/{case['filing_number'].lower()}").status_code == 200


@pytest.mark.parametrize("number", ["PQRS-2026-999999", "no-es-radicado", "PQRS-26-1", "%00"])
def test_unknown_or_malformed_filing_numbers_are_404(api: Api, number: str) -> None:
    assert_problem(api.get(f"cases/{number}"), 404, "not-found")


def test_filters_select_the_cases(api: Api) -> None:
    petition = api.file(channel="phone", priority="alta",
                        requester={"document_type": "CC", "document_number": "1020304050"})
    complaint = api.file(kind="queja", channel="email", typification="QUEJA_DE_CALIDAD", queue="back_office")
    api.post(f"cases/{complaint['filing_number']}/transitions", "ana", json={"transition": "start"})
    p, c = petition["filing_number"], complaint["filing_number"]

    assert _numbers(api.get("cases?kind=peticion")) == [p]
    assert _numbers(api.get("cases?kind=peticion&kind=queja")) == [c, p]
    assert _numbers(api.get("cases?channel=email")) == [c]
    assert _numbers(api.get("cases?priority=alta")) == [p]
    assert _numbers(api.get("cases?queue=back_office")) == [c]
    assert _numbers(api.get("cases?state=in_progress")) == [c]
    assert _numbers(api.get("cases?state_category=todo")) == [p]
    assert _numbers(api.get("cases?typification=SERVICIO_AL_CLIENTE")) == [c]  # an ancestor
    assert _numbers(api.get("cases?requester_document=1020304050")) == [p]
    assert _numbers(api.get("cases?filed_from=2000-01-01&filed_to=2999-12-31")) == [c, p]
    assert _numbers(api.get("cases?filed_to=2000-01-01")) == []
    assert _numbers(api.get("cases?filed_from=2000-01-01T00:00:00-05:00")) == [c, p]
    assert _numbers(api.get("cases?sort=oldest")) == [p, c]


def test_the_deadline_range_and_the_deadline_sort(api: Api) -> None:
    filed = [api.file(kind=kind)["filing_number"] for kind in ("peticion", "queja", "felicitacion")]
    items = api.get("cases?sort=deadline").get_json()["items"]
    dues = [(c["deadlines"] or {}).get("resolution_due") for c in items]
    dated = [d for d in dues if d is not None]
    assert sorted(c["filing_number"] for c in items) == filed and dated
    assert dues == sorted(dated) + [None] * (len(dues) - len(dated))  # soonest first, no deadline last
    def local_day(instant: str) -> str:
        return datetime.fromisoformat(instant).astimezone(ZoneInfo("America/Bogota")).date().isoformat()

    latest = local_day(max(dated))  # a date is read in the organisation's time zone, the whole day
    assert _numbers(api.get(f"cases?due_from={latest}&due_to={latest}&sort=deadline")) == [
        c["filing_number"] for c, due in zip(items, dues, strict=True) if due and local_day(due) == latest]
    assert _numbers(api.get("cases?due_to=2000-01-01")) == []
    refused = assert_problem(api.get("cases?due_from=mañana"), 400, "invalid-query")
    assert set(refused["errors"]) == {"due_from"}


def test_pages_follow_the_cursor(api: Api) -> None:
    filed = [api.file(subject=f"Caso {i}")["filing_number"] for i in range(5)]
    first = api.get("cases?limit=2").get_json()
    assert [c["filing_number"] for c in first["items"]] == filed[::-1][:2]
    second = api.get(f"cases?limit=2&cursor={first['next_cursor']}").get_json()
    third = api.get(f"cases?limit=2&cursor={second['next_cursor']}").get_json()
    seen = [c["filing_number"] for page in (first, second, third) for c in page["items"]]
    assert seen == filed[::-1]
    assert third["next_cursor"] is None


def test_free_text_search_ignores_accents_and_case(api: Api) -> None:
    match = api.file(subject="Petición de devolución", description="El cliente pide la devolución.")
    api.file(subject="Otra cosa", description="Nada que ver.")
    for q in ("peticion", "DEVOLUCION", "petición devolución"):
        assert _numbers(api.get(f"cases?q={q}")) == [match["filing_number"]], q


@pytest.mark.parametrize("query, names", [
    ("estado=filed", {"estado"}),
    ("limit=0", {"limit"}),
    ("limit=101", {"limit"}),
    ("limit=diez", {"limit"}),
    ("sort=random", {"sort"}),
    ("state_category=someday", {"state_category.0"}),
    ("filed_from=ayer", {"filed_from"}),
    ("filed_from=2026-02-30", {"filed_from"}),
    ("cursor=abc", {"cursor"}),
    ("assignee=a&assignee=b", {"assignee"}),
    ("foo=1&bar=2", {"foo", "bar"}),
])
def test_invalid_or_unknown_query_parameters_are_400_naming_them(api: Api, query: str,
                                                                 names: set[str]) -> None:
    body = assert_problem(api.get(f"cases?{query}"), 400, "invalid-query")
    assert set(body["errors"]) == names


# ------------------------------------------------------------------------------------ visibility
@pytest.fixture
def cases(api: Api) -> dict[str, str]:
    """One case filed by each of several people, and one assigned to bruno."""
    numbers = {}
    for user in ("juan", "pedro", "eva", "felipe", "diana", "ana"):
        numbers[user] = api.file(user, subject=f"Caso de {user}")["filing_number"]
    assigned = api.file("sofia", subject="Para bruno", queue="especialistas")["filing_number"]
    response = api.post(f"cases/{assigned}/assignment", "sofia", json={"assignee": "bruno"})
    assert response.status_code == 200, response.get_json()
    numbers["assigned"] = assigned
    return numbers


def _visible(api: Api, user: str) -> set[str]:
    return set(_numbers(api.get("cases?limit=100", user)))


def test_a_requester_sees_only_their_own_cases(api: Api, cases: dict[str, str]) -> None:
    assert _visible(api, "juan") == {cases["juan"]}
    assert_problem(api.get(f"cases/{cases['pedro']}", "juan"), 404, "not-found")
    assert api.get(f"cases/{cases['juan']}", "juan").status_code == 200
    assert_problem(api.get(f"cases/{cases['pedro']}/history", "juan"), 404, "not-found")


def test_a_requester_named_as_the_requester_of_a_case_sees_it(api: Api, cases: dict[str, str]) -> None:
    number = api.file("ana", requester={"full_name": "Pedro", "user": "pedro"})["filing_number"]
    assert number in _visible(api, "pedro")
    assert number not in _visible(api, "juan")


def test_a_consultant_sees_their_network_below_them(api: Api, cases: dict[str, str]) -> None:
    assert _visible(api, "diana") == {cases["diana"], cases["eva"], cases["felipe"]}
    assert _visible(api, "eva") == {cases["eva"], cases["felipe"]}
    assert _visible(api, "felipe") == {cases["felipe"]}


def test_staff_see_every_case(api: Api, cases: dict[str, str]) -> None:
    everything = set(cases.values())
    for user in ("ana", "bruno", "sofia", "admin"):
        assert _visible(api, user) == everything, user


def test_quality_sees_closed_cases_and_the_ones_assigned_to_them(api: Api, cases: dict[str, str]) -> None:
    closed = api.file("ana", resolved_at_first_contact=True, solution="Resuelto.")["filing_number"]
    assert _visible(api, "carlos") == {closed}
    assert api.get(f"cases/{cases['juan']}", "carlos").status_code == 404


def test_free_text_search_never_reaches_past_visibility(api: Api, cases: dict[str, str]) -> None:
    assert _numbers(api.get("cases?q=pedro", "juan")) == []
    assert _numbers(api.get("cases?q=juan", "juan")) == [cases["juan"]]
