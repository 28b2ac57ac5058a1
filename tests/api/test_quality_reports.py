"""GET /reports/satisfaction: the survey's and the quality reviews' figures over what the caller may see."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from pqrs_adapters.accounts import load_actor
from pqrs_adapters.sqlalchemy.satisfaction import record_answer
from pqrs_core.domain import commands as c

from .conftest import Api, assert_problem


def answered(api: Api, score: int, nps: int | None, **fields: object) -> str:
    number = str(api.file("ana", **fields)["filing_number"])
    app = api.app.extensions["pqrs"]
    engine: Engine = api.engine
    ana = load_actor(engine, "ana")
    assert ana is not None
    app.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    case = app.handle(c.RespondCase(filing_number=number, text="Listo.", close=True), ana)
    assert record_answer(engine, case.id, score, nps, "", app.deps.clock.now())
    return number


def test_the_figures_by_kind(api: Api) -> None:
    answered(api, 5, 10, kind="queja")
    answered(api, 2, 0, kind="queja")
    answered(api, 4, None, kind="peticion")

    body = api.get("reports/satisfaction?group_by=kind", "sofia").get_json()

    assert body["group_by"] == "kind" and body["end"] > body["start"]
    assert body["total"]["answers"] == 3 and body["total"]["average"] == 11 / 3
    assert body["total"]["nps"] == 0.0 and body["total"]["nps_answers"] == 2
    assert body["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    groups = {g["key"]: (g["answers"], g["average"], g["satisfied"]) for g in body["groups"]}
    assert groups == {"queja": (2, 3.5, 1), "peticion": (1, 4.0, 1)}
    only = api.get("reports/satisfaction?kind=peticion", "sofia").get_json()
    assert only["total"]["answers"] == 1


def test_problems_name_the_parameter(api: Api) -> None:
    assert_problem(api.get("reports/satisfaction", "ana"), 403, "forbidden")
    body = assert_problem(api.get("reports/satisfaction?group_by=color", "sofia"), 400, "invalid-query")
    assert set(body["errors"]) == {"group_by"}
    for period in ("start=2026-05-02&end=2026-05-01", "start=2020-01-01&end=2026-05-01",
                   "start=8384-08-17", "end=9999-12-31", "start=0001-01-01"):
        body = assert_problem(api.get(f"reports/satisfaction?{period}", "sofia"), 422, "validation-error")
        assert set(body["errors"]) <= {"start", "end"} and body["errors"], period
    body = assert_problem(api.get("reports/satisfaction?start=ayer", "sofia"), 400, "invalid-query")
    assert set(body["errors"]) == {"start"}


def test_the_causes_and_the_corrective_actions(api: Api) -> None:
    engine: Engine = api.engine
    app = api.app.extensions["pqrs"]
    ana = load_actor(engine, "ana")
    assert ana is not None
    for cause, action in (("METODO", "Revisar el instructivo"), ("METODO", ""), ("MATERIAL", ""), (None, "")):
        number = str(api.file("ana")["filing_number"])
        app.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
        app.handle(c.RespondCase(filing_number=number, text="Listo.", close=True), ana)
        if cause:
            app.handle(c.RecordRootCause(
                filing_number=number, cause=cause, area="primer_nivel", action=action,
                action_owner="bruno" if action else None,
                action_due=date(2030, 1, 31) if action else None), ana)

    body = api.get("reports/causes", "sofia").get_json()
    assert (body["resolved"], body["with_cause"]) == (4, 3)
    assert body["by_cause"] == [{"key": "METODO", "cases": 2}, {"key": "MATERIAL", "cases": 1}]
    assert body["by_area"] == [{"key": "primer_nivel", "cases": 3}]
    actions = api.get("reports/corrective-actions", "sofia").get_json()["items"]
    assert [(a["cause"], a["action"], a["owner"], a["due"], a["overdue"]) for a in actions] == [
        ("METODO", "Revisar el instructivo", "bruno", "2030-01-31", False)]
    assert_problem(api.get("reports/corrective-actions?state=closed", "sofia"), 400, "invalid-query")
    assert_problem(api.get("reports/causes", "ana"), 403, "forbidden")


def test_the_productivity_figures(api: Api) -> None:
    app = api.app.extensions["pqrs"]
    ana = load_actor(api.engine, "ana")
    assert ana is not None
    case = app.handle(c.FileCase(kind="peticion", subject="S", description="D", handling_seconds=90), ana)
    number = str(case.filing_number)
    app.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    app.handle(c.RespondCase(filing_number=number, text="Listo.", handling_seconds=400), ana)

    body = api.get("reports/productivity", "sofia").get_json()

    assert body["targets"] == {"filing_seconds": 120, "response_seconds": 270, "solutions_per_day": 55}
    [person] = body["people"]
    assert (person["person"], person["filed"], person["answered"]) == ("ana", 1, 1)
    assert (person["filing_on_target"], person["response_on_target"]) == (1.0, 0.0)
    assert person["response_median_seconds"] == 400
    assert_problem(api.get("reports/productivity?group_by=area", "sofia"), 400, "invalid-query")
