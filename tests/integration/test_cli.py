"""The ``pqrs`` command on a real SQLite file, as an administrator uses it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pqrs_adapters.accounts import authenticate, get_user, load_actor
from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_adapters.demo.data import DEMO_PASSWORD, DEMO_USERS, TOPICS
from pqrs_adapters.wiring import build_pqrs, make_engine
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

DEMO_COUNT = 40


def _env(root: Path) -> dict[str, str]:
    return {"PQRS_DATABASE_URL": f"sqlite:///{root / 'pqrs.sqlite3'}", "PQRS_FILES_DIR": str(root / "files")}


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _config(env: dict[str, str]) -> Config:
    return Config.from_env(env)


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    env = _env(tmp_path_factory.mktemp("demo"))
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    result = _run(env, "demo", "--count", str(DEMO_COUNT), "--seed", "11")
    assert result.exit_code == 0, result.output
    yield env


def test_init_creates_the_database_and_an_admin_and_is_idempotent(tmp_path: Path) -> None:
    env = _env(tmp_path)

    first = _run(env, "init")
    second = _run(env, "init")

    assert first.exit_code == 0, first.output
    assert "Administrador «admin» creado" in first.output
    assert "Contraseña generada:" in first.output
    password = first.output.split("Contraseña generada:")[1].split()[0]
    assert second.exit_code == 0, second.output
    assert "ya existe" in second.output and "Contraseña generada" not in second.output
    engine = make_engine(_config(env))
    try:
        admin = authenticate(engine, "admin", password)
        assert admin is not None and admin.roles == ("admin",)
        pqrs = build_pqrs(_config(env), engine=engine, sync=False)
        assert pqrs.count() == 0
        assert len([n for n in pqrs.catalog().typifications if n.parent is not None]) >= 22
    finally:
        engine.dispose()


def test_init_uses_the_given_admin_password(tmp_path: Path) -> None:
    env = _env(tmp_path)

    result = _run(env, "init", "--admin-username", "root.pqrs", "--admin-password", "una-clave-larga")

    assert result.exit_code == 0, result.output
    assert "Contraseña generada" not in result.output
    engine = make_engine(_config(env))
    try:
        assert authenticate(engine, "root.pqrs", "una-clave-larga") is not None
        assert authenticate(engine, "root.pqrs", "otra-clave-larga") is None
    finally:
        engine.dispose()


def test_demo_cases_span_every_state_category_and_the_last_90_days(demo_env: dict[str, str]) -> None:
    engine = make_engine(_config(demo_env))
    try:
        pqrs = build_pqrs(_config(demo_env), engine=engine, sync=False)
        cases = pqrs.cases(CaseQuery(limit=1000)).cases
        assert len(cases) == DEMO_COUNT
        assert {c.state_category for c in cases} == set(StateCategory)
        assert {"filed", "assigned", "in_progress", "waiting_requester", "returned", "responded",
                "closed"} <= {c.state for c in cases}
        assert any(c.first_contact_resolution for c in cases)
        filed = sorted(c.filed_at for c in cases)
        assert filed[-1] - filed[0] > timedelta(days=45)
        assert any(c.filed_at - c.received_at >= timedelta(hours=20) for c in cases)
        topic_codes = {t.code for t in TOPICS}
        assert all(c.typification is None or c.typification.code in topic_codes for c in cases)
        assert len({c.channel for c in cases}) >= 4
        # Every case got there through the workflow: its history starts with the filing.
        closed = next(c for c in cases if c.state == "closed" and not c.first_contact_resolution)
        names = [e.name for e in pqrs.history(str(closed.filing_number))]
        assert names[0] == "CaseFiled" and "CaseAssigned" in names and "CaseResponded" in names
        for user in DEMO_USERS:
            assert get_user(engine, user.username) is not None
            assert authenticate(engine, user.username, DEMO_PASSWORD) is not None
    finally:
        engine.dispose()


def test_demo_users_have_queues_and_the_consultant_sees_her_network(demo_env: dict[str, str]) -> None:
    engine = make_engine(_config(demo_env))
    try:
        pqrs = build_pqrs(_config(demo_env), engine=engine, sync=False)
        actors = {u.username: load_actor(engine, u.username) for u in DEMO_USERS}
        assert actors["ana.agente"].queues == {"primer_nivel"}  # type: ignore[union-attr]
        assert actors["bruno.backoffice"].queues == {"back_office"}  # type: ignore[union-attr]
        assert actors["sofia.supervisora"].queues == {"primer_nivel", "back_office", "especialistas"}  # type: ignore[union-attr]
        diana, juan = actors["diana.consultora"], actors["juan.cliente"]
        assert diana is not None and juan is not None and diana.network == {"juan.cliente"}
        everything = pqrs.cases(CaseQuery(limit=1000)).cases
        juans = {str(c.filing_number) for c in everything if c.requester.user == "juan.cliente"}
        assert juans
        assert {str(c.filing_number) for c in pqrs.cases(CaseQuery(limit=1000), juan).cases} == juans
        seen_by_diana = {str(c.filing_number) for c in pqrs.cases(CaseQuery(limit=1000), diana).cases}
        dianas = {str(c.filing_number) for c in everything
                  if "diana.consultora" in (c.filed_by, c.requester.user)}
        # Her network's cases and her own, and nothing else (whether the demo gave her cases of her own
        # depends on the day it runs).
        assert juans <= seen_by_diana == juans | dianas
        assert len(seen_by_diana) < len(everything)
    finally:
        engine.dispose()


def test_demo_prints_the_logins_and_refuses_to_run_twice(demo_env: dict[str, str]) -> None:
    again = _run(demo_env, "demo", "--count", "3")

    assert again.exit_code == 1
    assert f"ya tiene {DEMO_COUNT} casos" in again.output and "--force" in again.output

    forced = _run(demo_env, "demo", "--count", "2", "--seed", "3", "--force")

    assert forced.exit_code == 0, forced.output
    assert f"Casos en la base de datos: {DEMO_COUNT + 2}" in forced.output
    assert DEMO_PASSWORD in forced.output
    assert all(user.username in forced.output for user in DEMO_USERS)


def test_cases_lists_newest_first_and_filters_by_state(demo_env: dict[str, str]) -> None:
    listing = _run(demo_env, "cases", "--limit", "5")
    waiting = _run(demo_env, "cases", "--state", "waiting", "--limit", "50")

    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert lines[0].split()[:2] == ["Radicado", "Radicado"]
    numbers = [line.split()[0] for line in lines[2:7]]
    assert numbers == sorted(numbers, reverse=True) and all(n.startswith("PQRS-") for n in numbers)
    assert waiting.exit_code == 0, waiting.output
    body = waiting.output.splitlines()[2:-1]
    assert body and all("Esperando información" in line for line in body)


def test_show_prints_the_case_and_its_history(demo_env: dict[str, str]) -> None:
    first = _run(demo_env, "cases", "--limit", "1").output.splitlines()[2].split()[0]

    result = _run(demo_env, "show", first.lower())

    assert result.exit_code == 0, result.output
    assert f"Radicado:       {first}" in result.output
    assert "Historia:" in result.output and f"Radicó el caso {first}" in result.output


@pytest.mark.parametrize(("argument", "message"), [
    ("PQRS-26-1", "no es un radicado válido"),
    ("PQRS-2026-999999", "No existe el caso «PQRS-2026-999999»"),
])
def test_show_explains_a_bad_filing_number_in_spanish(demo_env: dict[str, str], argument: str,
                                                       message: str) -> None:
    result = _run(demo_env, "show", argument)

    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_commands_on_an_uninitialised_database_say_what_to_do(tmp_path: Path) -> None:
    result = _run(_env(tmp_path), "cases")

    assert result.exit_code == 1
    assert "no tiene el esquema de pqrs (nunca se inicializó). Ejecute «pqrs init»" in result.stderr
    assert "Traceback" not in result.output


def test_an_unusable_setting_is_reported_in_spanish(tmp_path: Path) -> None:
    result = _run({**_env(tmp_path), "PQRS_TIMEZONE": "Marte/Olympus"}, "cases")

    assert result.exit_code == 1
    assert "no es una zona horaria conocida" in result.stderr


def test_demo_if_empty_leaves_a_loaded_database_alone_and_still_prints_the_logins(
        demo_env: dict[str, str]) -> None:
    before = _run(demo_env, "cases", "--limit", "1000").output.splitlines()[-1]

    result = _run(demo_env, "demo", "--if-empty")

    assert result.exit_code == 0, result.output
    assert "no se cargan datos de demostración" in result.output
    assert DEMO_PASSWORD in result.output and "ana.agente" in result.output
    assert _run(demo_env, "cases", "--limit", "1000").output.splitlines()[-1] == before


def test_sweep_raises_the_alarms_of_the_demo_and_then_has_nothing_left(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    assert _run(env, "demo", "--count", "30", "--seed", "3").exit_code == 0
    first = _run(env, "sweep")
    assert first.exit_code == 0 and first.output.startswith("Barrido de términos: ")
    engine = make_engine(_config(env))
    try:
        pqrs = build_pqrs(_config(env), engine=engine, sync=False)
        raised = sum(len(c.alarms_raised) for c in pqrs.cases(CaseQuery(limit=100)).cases)
        due = [c for c in pqrs.cases(CaseQuery(limit=100)).cases if c.next_alarm_at is not None
               and c.next_alarm_at <= pqrs.deps.clock.now()]
    finally:
        engine.dispose()
    assert raised > 0 and f"{raised} alarmas" in first.output and due == []
    assert _run(env, "sweep").output.startswith("Barrido de términos: 0 casos, 0 alarmas")


def test_maintain_purges_what_has_expired_and_the_worker_runs_it_every_hour(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from pqrs_adapters.cli.commands import periodic_jobs
    from pqrs_adapters.sqlalchemy import idempotency

    env = {**_env(tmp_path), "PQRS_KEEP_IDEMPOTENCY_DAYS": "2"}
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    engine = make_engine(_config(env))
    try:
        now = datetime.now(UTC)
        idempotency.claim(engine, "hace-tres-dias", "admin", "h", now=now - timedelta(days=3))
        idempotency.claim(engine, "hace-un-dia", "admin", "h", now=now - timedelta(days=1))
        jobs = {job.name: job.every for job in periodic_jobs(_config(env), engine)}

        result = _run(env, "maintain")

        assert result.exit_code == 0, result.output
        assert result.output.startswith("Mantenimiento: 1 claves de idempotencia, 0 contadores")
        assert idempotency.lookup(engine, "hace-un-dia", "admin") is not None
        assert jobs == {"heartbeat": timedelta(seconds=30), "sweep": timedelta(minutes=5),
                        "maintain": timedelta(hours=1), "board_counts": timedelta(seconds=10),
                        "webhooks": timedelta(0)}
    finally:
        engine.dispose()


def test_an_older_pqrs_refuses_a_database_a_newer_one_has_upgraded(tmp_path: Path) -> None:
    from sqlalchemy import text

    env = _env(tmp_path)
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    engine = make_engine(_config(env))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9001'"))
    engine.dispose()

    for command in (("init",), ("cases",), ("serve",), ("worker", "--once"), ("maintain",)):
        result = CliRunner().invoke(main, list(command), env=env)
        assert result.exit_code == 1, (command, result.output)
        assert ("tiene un esquema más reciente que este pqrs (versión 9001): lo actualizó una versión "
                "posterior de pqrs") in result.stderr, command
        assert "Traceback" not in result.output


def test_the_business_calendar_and_alarms_are_configured_from_the_environment(tmp_path: Path) -> None:
    from datetime import date

    import pytest as _pytest

    from pqrs_adapters.config import ConfigError

    env = {**_env(tmp_path), "PQRS_SATURDAY_BUSINESS_DAY": "1",
           "PQRS_WORKING_HOURS": "08:00-12:00,14:00-18:00", "PQRS_ALARM_FRACTIONS": "0.9,0.5",
           "PQRS_RISK_THRESHOLD": "0.7", "PQRS_AFTER_CLOSING_NEXT_DAY": "1"}
    settings = Config.from_env(env).settings()
    assert settings.calendar.is_business_day(date(2026, 3, 7))  # a Saturday
    assert settings.calendar.after_closing_next_day
    assert not settings.calendar.is_business_day(date(2026, 3, 23))  # San José, a holiday
    assert (settings.alarm_fractions, settings.risk_threshold) == ((0.5, 0.9), 0.7)
    plain = Config.from_env(_env(tmp_path)).settings()
    assert not plain.calendar.is_business_day(date(2026, 3, 7))
    assert not plain.calendar.after_closing_next_day  # a reception after closing time counts that day
    for bad in ({"PQRS_WORKING_HOURS": "ocho a cinco"}, {"PQRS_ALARM_FRACTIONS": "1.5"},
                {"PQRS_HOLIDAYS_COUNTRY": "XX"}):
        with _pytest.raises(ConfigError):
            Config.from_env({**_env(tmp_path), **bad})


def test_show_prints_custom_fields_the_deadline_and_the_term_clock_in_spanish(tmp_path: Path) -> None:
    from pqrs_adapters import open_pqrs
    from pqrs_adapters.presentation import Labels
    from pqrs_core import (
        Actor,
        FieldDefinition,
        FileCase,
        RecordRequesterReply,
        RequestInformation,
        Term,
        TermPolicy,
        TermRule,
        TransitionCase,
    )

    env = _env(tmp_path)
    assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
    admin, ana = Actor("admin", frozenset({"admin"})), Actor("ana", frozenset({"agent"}))
    with open_pqrs(_config(env)) as pqrs:
        pqrs.catalog_admin.put_field(FieldDefinition("lote", "Lote de producción"), admin)
        pqrs.catalog_admin.put_term_policy(TermPolicy(
            "quejas_telefonicas", "Quejas por teléfono",
            resolution=(TermRule(Term(15), source="Política interna"),), kinds=("queja",),
            channels=("phone",)), admin)
        case = pqrs.handle(FileCase(kind="queja", channel="phone", subject="Cajas dañadas",
                                    description="Dos cajas llegaron golpeadas.",
                                    custom_fields={"lote": "L-2231"}), ana)
        number = str(case.filing_number)
        pqrs.handle(TransitionCase(filing_number=number, transition="start"), ana)
        pqrs.handle(RequestInformation(filing_number=number, message="Envíe fotos de las cajas."), ana)
        pqrs.handle(RecordRequesterReply(filing_number=number, message="Adjunto las fotos."), ana)
        case = pqrs.case(number)
        history = pqrs.history(number)
        labels = Labels(pqrs.catalog(), _config(env).timezone)
        expected_history = [labels.describe(event, case) for event in history]

    result = _run(env, "show", number)

    assert result.exit_code == 0, result.output
    output = result.output
    assert "Lote de producción:" in output and "L-2231" in output
    assert f"Vence:          {labels.local(case.resolution_due)} (A tiempo)" in output
    assert "Término:        15 días hábiles" in output
    # The history reads as the case page tells it: the term clock too, never an event's code name.
    assert all(sentence in output for sentence in expected_history)
    assert "Término suspendido mientras el peticionario aporta información." in output
    assert "Término reanudado; ahora vence el" in output
    assert not any(f"{event.name}." in output for event in history)


def test_init_asks_for_the_working_days_prints_and_stores_them_and_warns_about_saturdays(
        tmp_path: Path) -> None:
    from pqrs_core.domain.working_days import WORKING_DAYS

    env = {**_env(tmp_path), "PQRS_SATURDAY_BUSINESS_DAY": "0"}
    first = _run(env, "init", "--admin-password", "clave-admin-123", "--working-days", "mon-sat")
    assert first.exit_code == 0, first.output
    assert "Días hábiles: de lunes a sábado." in first.output
    assert "Aviso:" in first.output and "Función Pública" in first.output
    assert "se recalculan los vencimientos de los casos abiertos" in first.output

    def stored() -> object:
        engine = make_engine(_config(env))
        try:
            catalog = build_pqrs(_config(env), engine=engine, sync=False).catalog()
            return catalog.working_weekdays, catalog.calendar.is_business_day(date(2026, 3, 7))  # type: ignore[union-attr]
        finally:
            engine.dispose()

    # Stored, and it wins over the environment (which says Monday to Friday); Saturday 7 March 2026 counts.
    assert stored() == (WORKING_DAYS["mon-sat"], True)
    # Running init again without the option keeps the organisation's choice.
    again = _run(env, "init")
    assert "Días hábiles: de lunes a sábado." in again.output and stored() == (WORKING_DAYS["mon-sat"], True)
    # Choosing Monday to Friday stores it, says so without the warning, and recomputes open deadlines.
    back = _run(env, "init", "--working-days", "mon-fri")
    assert back.exit_code == 0, back.output
    assert "Días hábiles: de lunes a viernes." in back.output and "Aviso:" not in back.output
    assert "Vencimientos de los casos abiertos recalculados: 0 cambiaron." in back.output
    assert stored() == (WORKING_DAYS["mon-fri"], False)


def test_init_takes_the_first_working_days_from_the_environment(tmp_path: Path) -> None:
    env = {**_env(tmp_path), "PQRS_SATURDAY_BUSINESS_DAY": "1"}
    result = _run(env, "init", "--admin-password", "clave-admin-123")
    assert result.exit_code == 0, result.output
    assert "Días hábiles: de lunes a sábado." in result.output and "Función Pública" in result.output
    assert "--working-days" in _run(env, "init", "--help").output


def test_demo_data_feed_the_quality_and_productivity_reports(demo_env: dict[str, str]) -> None:
    from datetime import UTC, datetime

    from pqrs_adapters.sqlalchemy.causes import causes_report
    from pqrs_adapters.sqlalchemy.productivity import productivity_report
    from pqrs_adapters.sqlalchemy.satisfaction import satisfaction_report

    engine = make_engine(_config(demo_env))
    try:
        start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
        with engine.connect() as conn:
            satisfaction = satisfaction_report(conn, CaseQuery(), None, None)
            causes = causes_report(conn, CaseQuery(), None, None)
            productivity = productivity_report(conn, CaseQuery(), start, end, "America/Bogota")
        assert satisfaction.total.answers > 0 and satisfaction.total.reviews > 0
        assert causes.with_cause > 0 and causes.by_cause
        assert productivity.total.filing_times and productivity.total.response_times
    finally:
        engine.dispose()


def test_demo_back_office_assigns_invoice_errors_by_skills(demo_env: dict[str, str]) -> None:
    from pqrs_adapters.demo.assignment import ASKS
    from pqrs_core.domain.assignment import Strategy
    from pqrs_core.domain.commands import FileCase
    from pqrs_core.domain.values import Actor

    engine = make_engine(_config(demo_env))
    try:
        pqrs = build_pqrs(_config(demo_env), engine=engine, sync=False)
        policies = pqrs.assignment_admin.policies()
        assert policies["back_office"].strategy is Strategy.SKILLS
        assert pqrs.assignment_admin.agent("bruno.backoffice").absences  # away: his cases are flagged
        case = pqrs.handle(FileCase(kind="reclamo", subject="Cobro doble en la factura",
                                    description="Dos veces", queue="back_office",
                                    typification="ERROR_EN_LIQUIDACION_DE_LA_FACTURA"),
                           Actor("sofia.supervisora", frozenset({"supervisor"})))
        assert case.assignee == "valeria.backoffice"
        asked = [r for c in pqrs.cases(CaseQuery(queues=("back_office",), limit=1000)).cases
                 for r in c.internal_requests]
        # Each run of the demo (this module's store has two: the first and a forced one) asks the first
        # line from the two oldest open back-office cases whose legal term still runs: the first ask is
        # answered, the second pending. Fewer only when fewer such cases are left (it depends on the day
        # the demo runs); none at all only when no open case of the queue's has its term running.
        first, second = (text for text, _answer in ASKS)
        answered = [r for r in asked if r.text == first]
        pending = [r for r in asked if r.text == second]
        assert len(answered) + len(pending) == len(asked)
        assert all(r.answer is not None for r in answered) and all(r.answer is None for r in pending)
        assert len(pending) <= len(answered) <= 2
        if not asked:
            calendar = pqrs.catalog().calendar
            assert calendar is not None
            today = calendar.local_date(pqrs.deps.clock.now())
            working = (StateCategory.TODO, StateCategory.DOING)
            open_cases = pqrs.cases(CaseQuery(queues=("back_office",), state_categories=working,
                                              limit=1000)).cases
            assert not [c.filing_number for c in open_cases
                        if c.filing_number != case.filing_number and not c.internal_requests
                        and c.resolution_due is not None and calendar.local_date(c.resolution_due) >= today]
    finally:
        engine.dispose()
