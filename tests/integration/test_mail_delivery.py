"""Notifications delivered from the outbox to a real SMTP server (aiosmtpd, started by the tests) on a
real SQLite file and a real PostgreSQL database: the right people, the filing number in every
subject, both bodies, retries with backoff, a stable Message-ID when a message has to be sent again,
and never the same message twice from two workers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select
from test_store_contract import AGENT, SUPERVISOR

from pqrs_adapters.accounts import save_user
from pqrs_adapters.mail import worker as mail_worker
from pqrs_adapters.mail.smtp import SmtpMailer
from pqrs_adapters.mail.worker import DeliveryOptions, DeliveryReport, backoff, deliver_once
from pqrs_adapters.sqlalchemy import make_engine
from pqrs_adapters.sqlalchemy.engine import begin_write
from pqrs_adapters.sqlalchemy.outbox import SqlOutbox
from pqrs_adapters.sqlalchemy.tables import outbox
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.notifications import Notification
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Term, TermRule
from pqrs_core.domain.values import Requester
from pqrs_core.hookspecs import hookimpl
from pqrs_core.testing import switch_off_default_term

if TYPE_CHECKING:
    from conftest import StoreUnderTest

BOGOTA = ZoneInfo("America/Bogota")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA)
MARIA = Requester(full_name="María Pérez", document_type="CC", document_number="52123456",
                  email="maria@example.com")


# ------------------------------------------------------------------------------------ the SMTP server
@attrs.frozen
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())  # type: ignore[attr-defined]

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None
        return str(part.get_content())  # type: ignore[attr-defined]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it is given."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mailer(self) -> SmtpMailer:
        # Generous: on a loaded machine a reply can take seconds, and a timeout here fails a message
        # (retried only when the test's frozen clock moves on) instead of testing what the test is about.
        return SmtpMailer("127.0.0.1", self.port, timeout=60)


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink(free_port())
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp_down() -> Iterator[SmtpSink]:
    """A port nothing listens on, until the test calls ``start()``."""
    sink = SmtpSink(free_port())
    yield sink
    sink.stop()


# ------------------------------------------------------------------------------------ helpers
class Terms:
    @hookimpl
    def pqrs_register_term_policies(self, register):  # type: ignore[no-untyped-def]
        register(TermPolicy("general", "General", (TermRule(Term(15), source="Ley 1755 de 2015 art. 14"),)))


def filing(**overrides: Any) -> c.FileCase:
    values: dict[str, Any] = dict(kind="queja", subject="Pedido incompleto",
                                  description="Llegaron 3 de 5 cajas", requester=MARIA)
    values.update(overrides)
    return c.FileCase(**values)


def engine_of(store: StoreUnderTest) -> Engine:
    assert store.engine is not None
    return store.engine


def rows(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(outbox).order_by(outbox.c.id)).mappings())


def row_for(engine: Engine, template: str) -> Any:
    found = [r for r in rows(engine) if r["template"] == template]
    assert len(found) == 1, [r["template"] for r in rows(engine)]
    return found[0]


# ------------------------------------------------------------------------------------ tests
def test_the_requester_receives_the_acknowledgement_with_the_filing_number_and_the_due_date(
        sql_store: StoreUnderTest, smtp: SmtpSink) -> None:
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock, plugins=[Terms()])
    case: Case = app.handle(filing(), AGENT)
    number = str(case.filing_number)
    engine = engine_of(sql_store)

    report = deliver_once(engine, smtp.mailer(), clock.now(),
                          options=DeliveryOptions(mail_from="PQRS Acme <pqrs@acme.example.co>"))

    # The new case was also announced to its queue, where nobody with an e-mail works.
    assert report == DeliveryReport(claimed=2, sent=1, no_recipients=1)
    [mail] = smtp.received
    assert mail.rcpt_tos == ["maria@example.com"]
    assert mail.mail_from == "pqrs@acme.example.co"
    assert mail.message["Subject"] == f"[{number}] Recibimos su queja"
    assert mail.message["To"] == "María Pérez <maria@example.com>"
    assert mail.message["X-PQRS-Filing-Number"] == number
    assert mail.message["Auto-Submitted"] == "auto-generated"
    # 15 business days from Tuesday 3 March 2026 (San José, Monday 23, is a holiday): Tuesday 24 March.
    for body in (mail.text, mail.html):
        assert number in body and "María Pérez" in body
        assert "24 de marzo de 2026, 11:59 p. m." in body
        assert "2 de marzo de 2026, 9:00 a. m." in body  # received
    assert "<strong>24 de marzo de 2026, 11:59 p. m.</strong>" in mail.html
    row = row_for(engine, "acknowledgement")
    assert row["sent_at"] == clock.now() and row["last_error"] is None and row["claimed_until"] is None
    assert mail.message["Message-ID"] == row["message_id"] == f"<{row['key']}@acme.example.co>"

    again = deliver_once(engine, smtp.mailer(), clock.now() + timedelta(days=1))
    assert again == DeliveryReport() and len(smtp.received) == 1


def test_without_a_term_the_acknowledgement_says_nothing_of_a_due_date(
        sql_store: StoreUnderTest, smtp: SmtpSink) -> None:
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    switch_off_default_term(app)
    app.handle(filing(), AGENT)

    deliver_once(engine_of(sql_store), smtp.mailer(), clock.now())

    [mail] = smtp.received
    assert "a más tardar" not in mail.text and "a más tardar" not in mail.html


def test_staff_notifications_go_to_the_active_users_of_the_queue_and_to_the_assignee(
        sql_store: StoreUnderTest, smtp: SmtpSink) -> None:
    engine = engine_of(sql_store)
    save_user(engine, "ana", display_name="Ana Gómez", email="ana@acme.example.co", roles=("agent",),
              queues=("primer_nivel",))
    save_user(engine, "pedro", email="pedro@acme.example.co", roles=("agent",), queues=("primer_nivel",),
              active=False)
    save_user(engine, "luis", roles=("agent",), queues=("primer_nivel",))  # no e-mail
    save_user(engine, "bruno", display_name="Bruno Restrepo", email="bruno@acme.example.co",
              roles=("back_office",), queues=("back_office",))
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    case = app.handle(filing(requester=Requester(full_name="Sin correo"), queue="primer_nivel"), AGENT)
    number = str(case.filing_number)

    deliver_once(engine, smtp.mailer(), clock.now())
    clock.advance(hours=1)
    app.handle(c.AssignCase(filing_number=number, assignee="bruno", queue="back_office"), SUPERVISOR)
    deliver_once(engine, smtp.mailer(), clock.now())

    new_case, assigned = smtp.received
    assert new_case.rcpt_tos == ["ana@acme.example.co"]
    assert new_case.message["Subject"] == f"[{number}] Nuevo caso: Pedido incompleto"
    assert "Se radicó un nuevo caso en su cola" in new_case.text
    assert assigned.rcpt_tos == ["bruno@acme.example.co"]
    assert assigned.message["To"] == "Bruno Restrepo <bruno@acme.example.co>"
    assert assigned.message["Subject"] == f"[{number}] Se le asignó el caso: Pedido incompleto"
    assert [r["template"] for r in rows(engine)] == ["new_case", "assigned"]  # no e-mail: no acknowledgement


def test_roles_and_the_response_text(sql_store: StoreUnderTest, smtp: SmtpSink) -> None:
    engine = engine_of(sql_store)
    save_user(engine, "sofia", email="sofia@acme.example.co", roles=("supervisor",))
    save_user(engine, "sara", email="sara@acme.example.co", roles=("supervisor", "quality"))
    save_user(engine, "ana", email="ana@acme.example.co", roles=("agent",))
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    case = app.handle(filing(), AGENT)
    number = str(case.filing_number)
    with begin_write(engine) as conn:
        SqlOutbox(conn).add(Notification(key="alarma-1", template="alarm", recipient="role:supervisor",
                                         case_id=case.id, filing_number=number, created_at=clock.now(),
                                         context={"subject": case.subject, "kind": case.kind,
                                                  "fraction": 0.8, "due": "2026-03-24T04:59:59+00:00"}))
    app.handle(c.AssignCase(filing_number=number, assignee="ana"), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=number, transition="start"), AGENT)
    app.handle(c.RespondCase(filing_number=number, text="Enviamos las 2 cajas <faltantes>.\n\nGracias."),
               AGENT)

    deliver_once(engine, smtp.mailer(), clock.now())

    by_subject = {m.message["Subject"]: m for m in smtp.received}
    alarm = by_subject[f"[{number}] Alerta: 80 % del plazo: Pedido incompleto"]
    assert sorted(alarm.rcpt_tos) == ["sara@acme.example.co", "sofia@acme.example.co"]
    assert "23 de marzo de 2026, 11:59 p. m." in alarm.text
    response = by_subject[f"[{number}] Respuesta a su queja"]
    assert response.rcpt_tos == ["maria@example.com"]
    assert "Enviamos las 2 cajas <faltantes>." in response.text
    assert "<p>Enviamos las 2 cajas &lt;faltantes&gt;.</p>" in response.html


def test_a_notification_nobody_can_receive_is_done_with_a_note_not_retried(
        sql_store: StoreUnderTest, smtp: SmtpSink) -> None:
    engine = engine_of(sql_store)
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    case = app.handle(filing(), AGENT)
    with begin_write(engine) as conn:
        SqlOutbox(conn).add(Notification(key="nadie", template="escalation", recipient="role:supervisor",
                                         case_id=case.id, filing_number=str(case.filing_number),
                                         created_at=clock.now(), context={}))

    report = deliver_once(engine, smtp.mailer(), clock.now())

    assert report == DeliveryReport(claimed=3, sent=1, no_recipients=2)  # and the new case's queue
    row = row_for(engine, "escalation")
    assert row["sent_at"] is not None and row["message_id"] is None
    assert row["last_error"] == "sin destinatarios"
    assert deliver_once(engine, smtp.mailer(), clock.now() + timedelta(days=1)).claimed == 0
    assert len(smtp.received) == 1


def test_with_the_server_down_delivery_is_retried_later_and_happens_once(
        sql_store: StoreUnderTest, smtp_down: SmtpSink) -> None:
    engine = engine_of(sql_store)
    clock = FrozenClock(MONDAY)
    sql_store.app(clock=clock).handle(filing(), AGENT)
    now = clock.now()

    down = deliver_once(engine, smtp_down.mailer(), now)

    assert down == DeliveryReport(claimed=2, failed=1, no_recipients=1)
    row = row_for(engine, "acknowledgement")
    assert row["attempts"] == 1 and row["sent_at"] is None and row["claimed_until"] is None
    assert row["next_attempt_at"] == now + timedelta(minutes=1)
    assert row["last_error"].startswith("intento 1 de 10: ")
    assert deliver_once(engine, smtp_down.mailer(), now + timedelta(seconds=59)).claimed == 0

    smtp_down.start()
    up = deliver_once(engine, smtp_down.mailer(), now + timedelta(minutes=1))
    later = deliver_once(engine, smtp_down.mailer(), now + timedelta(hours=2))

    assert up == DeliveryReport(claimed=1, sent=1) and later.claimed == 0
    assert len(smtp_down.received) == 1
    row = row_for(engine, "acknowledgement")
    assert row["sent_at"] == now + timedelta(minutes=1) and row["attempts"] == 2 and row["last_error"] is None


def test_failures_back_off_exponentially_and_are_given_up_after_the_last_attempt(
        sql_store: StoreUnderTest, smtp_down: SmtpSink) -> None:
    engine = engine_of(sql_store)
    clock = FrozenClock(MONDAY)
    sql_store.app(clock=clock).handle(filing(), AGENT)
    options = DeliveryOptions(max_attempts=4)
    now = clock.now()
    waits = []
    for _ in range(3):
        assert deliver_once(engine, smtp_down.mailer(), now, options=options).failed == 1
        row = row_for(engine, "acknowledgement")
        waits.append(row["next_attempt_at"] - now)
        now = row["next_attempt_at"]

    last = deliver_once(engine, smtp_down.mailer(), now, options=options)

    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert last == DeliveryReport(claimed=1, given_up=1)
    row = row_for(engine, "acknowledgement")
    assert row["attempts"] == 4 and row["sent_at"] is None
    assert row["last_error"].startswith("abandonado tras 4 intentos: ")
    assert deliver_once(engine, smtp_down.mailer(), now + timedelta(days=30), options=options).claimed == 0
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 6, 7, 8, 50)] == [1, 2, 4, 32, 60, 60, 60]


def test_a_crash_after_sending_resends_the_message_with_the_same_message_id(
        sql_store: StoreUnderTest, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = engine_of(sql_store)
    clock = FrozenClock(MONDAY)
    sql_store.app(clock=clock).handle(filing(), AGENT)
    now = clock.now()
    real_mark_sent = mail_worker.mark_sent
    crashes = []

    def crash_once(*args: Any, **kwargs: Any) -> None:
        if not crashes:
            crashes.append(True)
            raise RuntimeError("el proceso murió antes de marcar el envío")
        real_mark_sent(*args, **kwargs)

    monkeypatch.setattr(mail_worker, "mark_sent", crash_once)
    options = DeliveryOptions(lease=timedelta(minutes=15))

    with pytest.raises(RuntimeError):
        deliver_once(engine, smtp.mailer(), now, options=options)
    assert len(smtp.received) == 1
    assert row_for(engine, "acknowledgement")["sent_at"] is None
    # Still leased to the worker that crashed: nobody sends it before the lease ends.
    assert deliver_once(engine, smtp.mailer(), now + timedelta(minutes=14), options=options).claimed == 0
    resent = deliver_once(engine, smtp.mailer(), now + timedelta(minutes=16), options=options)

    assert resent == DeliveryReport(claimed=2, sent=1, no_recipients=1)
    first, second = smtp.received
    assert first.message["Message-ID"] == second.message["Message-ID"]
    assert first.message["Date"] == second.message["Date"]
    assert first.message["Subject"] == second.message["Subject"]
    assert row_for(engine, "acknowledgement")["message_id"] == first.message["Message-ID"]
    assert deliver_once(engine, smtp.mailer(), now + timedelta(hours=5), options=options).claimed == 0


def test_two_workers_never_send_the_same_message_twice(sql_store: StoreUnderTest, smtp: SmtpSink) -> None:
    """Fifty notifications, two workers with their own engines claiming small batches at once."""
    url = sql_store.url
    assert url is not None
    clock = FrozenClock(MONDAY)
    case = sql_store.app(clock=clock).handle(filing(), AGENT)
    with begin_write(engine_of(sql_store)) as conn:
        for i in range(49):  # and the acknowledgement: 50 messages (the queue's notice reaches nobody)
            SqlOutbox(conn).add(Notification(key=f"n-{i:03d}", template="response", recipient="requester",
                                             case_id=case.id, filing_number=str(case.filing_number),
                                             created_at=clock.now(), context={"message": f"Mensaje {i}"}))
    start = threading.Barrier(2)
    reports: list[DeliveryReport] = []
    errors: list[BaseException] = []

    def work() -> None:
        engine = make_engine(url)
        total = DeliveryReport()
        try:
            start.wait()
            while True:
                report = deliver_once(engine, smtp.mailer(), clock.now(), batch=3)
                total += report
                if report.claimed == 0:
                    break
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            engine.dispose()
            reports.append(total)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    assert not any(thread.is_alive() for thread in threads), "a worker was still delivering after 10 minutes"
    assert not errors
    unsent = [(r["key"], r["attempts"], r["last_error"])
              for r in rows(engine_of(sql_store)) if r["sent_at"] is None]
    assert not unsent, f"left unsent: {unsent}; the workers' reports: {reports}"
    message_ids = [m.message["Message-ID"] for m in smtp.received]
    assert len(message_ids) == 50 and len(set(message_ids)) == 50
    assert sum(r.sent for r in reports) == 50, reports


def test_the_worker_loop_delivers_runs_its_periodic_jobs_and_stops_when_told(
        sql_store: StoreUnderTest, smtp: SmtpSink) -> None:
    engine = engine_of(sql_store)
    clock = FrozenClock(MONDAY)
    sql_store.app(clock=clock).handle(filing(), AGENT)
    stop = threading.Event()
    ran: list[datetime] = []
    job = mail_worker.PeriodicJob("cuenta", timedelta(hours=1), ran.append)
    loop = threading.Thread(target=mail_worker.run_worker,
                            args=(engine, smtp.mailer(), 0.05, stop),
                            kwargs={"jobs": [job], "clock": clock.now})
    loop.start()
    try:
        for _ in range(200):
            if smtp.received:
                break
            threading.Event().wait(0.05)
    finally:
        stop.set()
        loop.join(timeout=10)

    assert not loop.is_alive()
    assert [m.message["Subject"].endswith("Recibimos su queja") for m in smtp.received] == [True]
    assert ran == [clock.now()]  # once: the clock stood still for less than the job's hour
