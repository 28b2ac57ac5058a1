"""The archive packages through the API, on SQLite and PostgreSQL: a closed case's package, an open
case refused with 409, and the bulk export of a range of closing dates read in Bogotá (a case closed at
23:30 there belongs to that day, though it is the next day in UTC): one package per case closed in the
range, each a ZIP whose index names its case."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from pqrs_adapters import accounts
from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Requester

from .conftest import Api, assert_problem, freeze_clock

BOGOTA = ZoneInfo("America/Bogota")


def _closed_at(api: Api, at: datetime, subject: str) -> str:
    """File a case and close it with a response at ``at`` (the application's clock)."""
    clock = api.app.extensions.get("test.clock")
    if clock is None:
        clock = api.app.extensions["test.clock"] = freeze_clock(api.app, api.engine)
    clock.set(at)
    pqrs = api.app.extensions["pqrs"]
    ana = accounts.load_actor(api.engine, "ana")
    case = pqrs.handle(c.FileCase(kind="peticion", subject=subject, description="Solicito un certificado.",
                                  channel="phone", requester=Requester(full_name="Marta Gómez",
                                                                       email="marta@example.com")), ana)
    number = str(case.filing_number)
    if subject.startswith("abierto"):
        return number
    pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), ana)
    pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    closed = pqrs.handle(c.RespondCase(filing_number=number, text="Certificado expedido.", close=True), ana)
    assert closed.closed_at == at
    return number


def _packages(api: Api, first: str, last: str, user: str = "ana") -> dict[str, zipfile.ZipFile]:
    response = api.get(f"archive-packages?from={first}&to={last}", user)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/zip"
    outer = zipfile.ZipFile(io.BytesIO(response.get_data()))
    found = {}
    for name in outer.namelist():
        inner = zipfile.ZipFile(io.BytesIO(outer.read(name)))
        index = json.loads(inner.read("indice.json"))
        assert name == f"expediente-{index['radicado']}.zip"
        found[index["radicado"]] = inner
    return found


def test_a_range_of_closing_days_in_bogota_exports_one_package_per_case_closed_in_it(api: Api) -> None:
    late = _closed_at(api, datetime(2026, 3, 2, 23, 30, tzinfo=BOGOTA), "tarde")  # 04:30 UTC on the 3rd
    next_day = _closed_at(api, datetime(2026, 3, 3, 10, 0, tzinfo=BOGOTA), "al día siguiente")
    later = _closed_at(api, datetime(2026, 3, 5, 9, 0, tzinfo=BOGOTA), "después")
    still_open = _closed_at(api, datetime(2026, 3, 5, 10, 0, tzinfo=BOGOTA), "abierto")
    assert set(_packages(api, "2026-03-02", "2026-03-02")) == {late}
    assert set(_packages(api, "2026-03-03", "2026-03-03")) == {next_day}
    every = _packages(api, "2026-03-01", "2026-03-31")
    assert set(every) == {late, next_day, later} and still_open not in every
    assert _packages(api, "2026-03-06", "2026-03-31") == {}
    for inner in every.values():
        assert "hoja-de-control.pdf" in inner.namelist() and "indice.pdf" in inner.namelist()


def test_one_case_package_and_an_open_case_refused(api: Api) -> None:
    closed = _closed_at(api, datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA), "cerrado")
    still_open = _closed_at(api, datetime(2026, 3, 2, 10, 0, tzinfo=BOGOTA), "abierto")
    response = api.get(f"cases/{closed}/archive-package")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert f"expediente-{closed}.zip" in response.headers["Content-Disposition"]
    index = json.loads(zipfile.ZipFile(io.BytesIO(response.get_data())).read("indice.json"))
    assert index["radicado"] == closed and index["trd"] is None
    problem = assert_problem(api.get(f"cases/{still_open}/archive-package"), 409, "invalid-operation")
    assert "sigue abierto" in problem["detail"]


def test_a_wrong_range_names_the_parameter_and_a_requester_may_not_export(api: Api) -> None:
    body = assert_problem(api.get("archive-packages?from=2026-03-05&to=2026-03-01"), 422, "validation-error")
    assert "to" in body["errors"]
    body = assert_problem(api.get("archive-packages?to=2026-03-01"), 400, "invalid-query")
    assert "from" in body["errors"]
    assert_problem(api.get("archive-packages?from=2026-03-01&to=2026-03-01", "juan"), 403, "forbidden")


def test_days_out_of_the_storable_years_are_refused_naming_the_parameter(api: Api) -> None:
    body = assert_problem(api.get("archive-packages?from=9999-12-31&to=9999-12-31"), 422, "validation-error")
    assert "from" in body["errors"]
    body = assert_problem(api.get("archive-packages?from=2026-01-01&to=9999-12-31"), 422, "validation-error")
    assert "to" in body["errors"]
