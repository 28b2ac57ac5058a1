"""The optional ``characterisation`` object of a filing through the API, and the characterisation
report's counts, checked by hand on a small set of cases, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from pqrs_adapters.sqlalchemy import characterisation as store
from pqrs_adapters.sqlalchemy.characterisation import characterisation_queries
from pqrs_adapters.sqlalchemy.tables import requester_characterisation
from pqrs_core.domain.characterisation import PURPOSE_VERSION, purpose_digest
from pqrs_core.services.characterisation_report import characterisation_report
from pqrs_core.services.reports import Period, ReportFilter

from .conftest import Api, assert_problem

FILED_AT = "2026-12-01T10:00:00-05:00"


def consent(api: Api) -> dict[str, str]:
    return {"given_at": api.app.extensions["pqrs"].deps.clock.now().isoformat(),
            "purpose_version": PURPOSE_VERSION}


def case_id(api: Api, case: dict[str, Any]) -> str:
    found: str = api.app.extensions["pqrs"].case(case["filing_number"]).id
    return found


def stored(api: Api) -> list[dict[str, Any]]:
    with api.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(requester_characterisation)).mappings()]


def test_a_filing_without_characterisation_stores_none(api: Api) -> None:
    api.file()
    api.file(characterisation=None)
    assert stored(api) == []


def test_the_answers_are_kept_apart_with_the_consent_they_were_given_with(api: Api) -> None:
    case = api.file(characterisation={"age_range": "60_mas", "ethnic_group": "no_responde",
                                      "stratum": "2", "consent": consent(api)})
    [row] = stored(api)
    assert row["case_id"] == case_id(api, case)
    assert (row["age_range"], row["ethnic_group"], row["stratum"], row["sex"]) == ("60_mas", "no_responde",
                                                                                  "2", None)
    assert row["purpose_version"] == PURPOSE_VERSION and row["purpose_digest"] == purpose_digest()
    assert row["consented_at"].tzinfo is not None and row["channel"] == "api"
    # The case's own data does not carry them.
    assert "characterisation" not in api.get(f"cases/{case['filing_number']}").get_json()


def test_answers_without_consent_are_refused_naming_the_field(api: Api) -> None:
    body = {"kind": "peticion", "subject": "Solicitud", "description": "Texto.",
            "characterisation": {"sex": "mujer"}}
    problem = assert_problem(api.post("cases", json=body), 422, "validation-error")
    assert "characterisation.consent" in str(problem), problem
    assert stored(api) == []


def test_an_answer_outside_the_options_is_refused_naming_the_question(api: Api) -> None:
    body = {"kind": "peticion", "subject": "Solicitud", "description": "Texto.",
            "characterisation": {"stratum": "9", "consent": consent(api)}}
    problem = assert_problem(api.post("cases", json=body), 422, "validation-error")
    assert "characterisation.stratum" in str(problem), problem


def test_the_report_counts_each_answer_by_period(api: Api) -> None:
    pqrs = api.app.extensions["pqrs"]
    answers = ([{"sex": "mujer", "area": "cabecera"}] * 6 + [{"sex": "hombre", "area": "rural_disperso"}] * 2
               + [{"sex": "no_responde"}])
    for given in answers:
        api.file(characterisation={**given, "consent": consent(api)})
    api.file()  # no characterisation: counted among the cases, not among the people
    today = pqrs.deps.clock.now().astimezone(ZoneInfo(pqrs.deps.settings.timezone)).date()
    spec = ReportFilter(start=today, end=today, period=Period.DAY)
    report = characterisation_report(pqrs, characterisation_queries, spec, None)
    assert (report.people, report.cases) == (9, 10)
    assert report.total["sex"] == {"hombre": 2, "mujer": 6, "intersexual": 0, "no_responde": 1}
    # A question left blank counts as «Prefiero no responder».
    assert report.total["area"] == {"cabecera": 6, "centro_poblado": 0, "rural_disperso": 2, "no_responde": 1}
    assert list(report.by_period) == [today]
    assert report.by_period[today]["sex"] == report.total["sex"]


def test_store_reads_back_what_was_recorded(api: Api) -> None:
    case = api.file(characterisation={"disability": "visual", "consent": consent(api)})
    kept = store.of_case(api.engine, case_id(api, case))
    assert kept is not None and dict(kept.answers) == {"disability": "visual"}


def test_a_failure_to_record_after_filing_is_reported_not_raised(api: Api) -> None:
    case = api.file(characterisation={"sex": "mujer", "consent": consent(api)})
    again = store.of_case(api.engine, case_id(api, case))
    assert again is not None
    # A case keeps one characterisation: a second one is refused by the store, and only logged here.
    assert store.record_after_filing(api.engine, case_id(api, case), again) is False
    assert len(stored(api)) == 1
