"""Webhooks delivered by the worker's function to a real HTTP receiver on 127.0.0.1 (allow-listed), on a
real SQLite file and a real PostgreSQL database: queued with the events in their transaction, signed
as Standard Webhooks says (checked by the receiver with the ``standardwebhooks`` library), retried on
the schedule with the application's clock moved (never real waiting) until given up, when the
subscription is switched off and the administrators told; private addresses refused at delivery time
after resolving the name; redirects not followed; never the same delivery from two workers at once."""

from __future__ import annotations

import ssl
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from test_mail_delivery import SmtpSink, Terms, free_port
from test_store_contract import AGENT

from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_adapters.mail.render import MailRenderer
from pqrs_adapters.sqlalchemy import make_engine
from pqrs_adapters.sqlalchemy.retention import purge_expired
from pqrs_adapters.sqlalchemy.tables import (
    catalog_changes,
    outbox,
    staff_notifications,
    webhook_deliveries,
)
from pqrs_adapters.sqlalchemy.webhook_store import (
    create_subscription,
    get_subscription,
    list_deliveries,
    resend,
    update_subscription,
)
from pqrs_adapters.webhooks.addresses import AllowList
from pqrs_adapters.webhooks.delivery import (
    MAX_ATTEMPTS,
    RETRY_SCHEDULE,
    WebhookOptions,
    WebhookReport,
    deliver_webhooks,
)
from pqrs_adapters.webhooks.sending import client
from pqrs_adapters.webhooks.subscriptions import Subscription, SubscriptionSettings
from pqrs_adapters.wiring import build_pqrs
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ConcurrencyConflict
from pqrs_core.domain.values import Requester
from pqrs_core.services.messagebus import Pqrs
from sql_statements import recorded_statements
from webhook_receiver import PATH, Receiver

if TYPE_CHECKING:
    from conftest import StoreUnderTest

LOCAL = AllowList.parse("127.0.0.1")
OPTIONS = WebhookOptions(allow=LOCAL)
MARIA = Requester(full_name="María Pérez", document_type="CC", document_number="52123456",
                  email="maria@example.com")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()


def engine_of(store: StoreUnderTest) -> Engine:
    assert store.engine is not None
    return store.engine


def subscribe(engine: Engine, receiver: Receiver, now: datetime, **settings: Any) -> Subscription:
    created = create_subscription(engine, SubscriptionSettings(url=receiver.url, **settings).validated(LOCAL),
                                  now)
    receiver.secret = created.secret
    return created


def file_case(app: Pqrs, subject: str = "Pedido incompleto") -> Case:
    case: Case = app.handle(c.FileCase(kind="queja", subject=subject, description="Llegaron 3 de 5 cajas",
                                       requester=MARIA), AGENT)
    return case


def deliver_all(engine: Engine, clock: FrozenClock, options: WebhookOptions = OPTIONS) -> WebhookReport:
    return deliver_webhooks(engine, clock.now(), options=options)


def pending(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(webhook_deliveries).where(
            webhook_deliveries.c.next_attempt_at.is_not(None)).order_by(webhook_deliveries.c.id)).mappings())


# ------------------------------------------------------------------------------------ delivery
def test_each_event_reaches_the_subscriptions_that_want_it_signed_and_with_its_payload(
        sql_store: StoreUnderTest, receiver: Receiver) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    every = subscribe(engine, receiver, clock.now(), description="Todo")
    filed_only = Receiver().start()
    try:
        only = create_subscription(engine, SubscriptionSettings(
            url=filed_only.url, event_types=("case.filed",)).validated(LOCAL), clock.now())
        filed_only.secret = only.secret
        create_subscription(engine, SubscriptionSettings(url=receiver.url, active=False).validated(LOCAL),
                            clock.now())
        app = sql_store.app(clock=clock, plugins=[Terms()])
        case = file_case(app)
        number = str(case.filing_number)
        app.handle(c.AddNote(filing_number=number, text="Se revisa con bodega"), AGENT)

        report = deliver_all(engine, clock)

        events = [r.payload for r in receiver.received]
        assert [e["type"] for e in events][0] == "case.filed"
        assert "case.note_added" in [e["type"] for e in events]
        assert report.claimed == report.delivered == len(events) + 1 and report.failed == 0
        filed = events[0]
        assert filed["version"] == 1
        assert datetime.fromisoformat(filed["timestamp"]) == clock.now()
        assert filed["data"]["filing_number"] == number and filed["data"]["case_id"] == case.id
        assert filed["data"]["actor"] == "ana" and filed["data"]["subject"] == "Pedido incompleto"
        assert filed["data"]["requester"]["full_name"] == "María Pérez"
        term = next(e for e in events if e["type"] == "case.term_started")
        assert term["data"]["term"] == {"amount": 15, "unit": "business_days", "start": "next_day"}
        assert datetime.fromisoformat(term["data"]["resolution_due"]) == case.resolution_due
        note = next(e for e in events if e["type"] == "case.note_added")
        assert note["data"]["text"] == "Se revisa con bodega"
        first = receiver.received[0]
        assert first.path == PATH and first.headers["content-type"] == "application/json"
        assert first.headers["webhook-id"].startswith("msg_")
        assert int(first.headers["webhook-timestamp"]) == int(clock.now().timestamp())
        assert first.headers["webhook-signature"].startswith("v1,")
        assert [r.payload["type"] for r in filed_only.received] == ["case.filed"]
        assert receiver.rejected == [] and filed_only.rejected == []
        assert len(receiver.received) == len(set(receiver.ids()))  # the disabled one got nothing
        log = list_deliveries(engine, every.id)
        assert {d.status for d in log} == {"delivered"}
        assert log[-1].last_status == 200 and log[-1].last_response == f"recibido {first.message_id}"
        assert deliver_all(engine, clock) == WebhookReport()
    finally:
        filed_only.stop()


def test_nothing_is_queued_without_a_subscription_nor_by_a_command_that_fails(
        sql_store: StoreUnderTest, receiver: Receiver) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    app = sql_store.app(clock=clock)
    number = str(file_case(app).filing_number)  # no subscription yet
    assert pending(engine) == []
    subscribe(engine, receiver, clock.now())

    with pytest.raises(ConcurrencyConflict):
        app.handle(c.AddNote(filing_number=number, text="Otra versión", expected_version=99), AGENT)
    assert pending(engine) == []
    app.handle(c.AddNote(filing_number=number, text="Esta sí"), AGENT)
    assert [r["event_type"] for r in pending(engine)] == ["case.note_added"]


def test_the_active_subscriptions_are_read_again_only_after_one_changed_anywhere(
        sql_store: StoreUnderTest, receiver: Receiver) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    app = sql_store.app(clock=clock)
    file_case(app)  # none active: remembered with the revision token
    other = make_engine(sql_store.url or "")  # another process creates one
    try:
        subscribe(other, receiver, clock.now(), event_types=("case.filed",))
    finally:
        other.dispose()
    def subscription_reads() -> int:
        return sum(1 for statement, _ in seen if "FROM webhook_subscriptions" in statement)

    with recorded_statements(engine) as seen:
        first = file_case(app, "Primero")
        assert subscription_reads() == 1
        second = file_case(app, "Segundo")
        assert subscription_reads() == 1
    assert [r["filing_number"] for r in pending(engine)] == [str(first.filing_number),
                                                             str(second.filing_number)]


def test_a_receiver_that_is_down_and_then_up_gets_every_event_once_per_subscription(
        sql_store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    first, second = Receiver(strict_time=False).start(), Receiver(strict_time=False).start()
    try:
        subscriptions = [subscribe(engine, first, clock.now()), subscribe(engine, second, clock.now())]
        first.stop()  # down: its port refuses connections
        app = sql_store.app(clock=clock)
        numbers = {str(file_case(app, f"Caso {n}").filing_number) for n in range(3)}

        report = deliver_all(engine, clock)
        assert report.failed == report.claimed // 2 and report.delivered == report.claimed // 2
        failed = [r for r in pending(engine)]
        assert failed and all(r["last_error"].startswith("no se pudo conectar") for r in failed)
        assert all(r["next_attempt_at"] == clock.now() + RETRY_SCHEDULE[0] for r in failed)
        clock.advance(seconds=30)
        assert deliver_all(engine, clock) == WebhookReport()  # not due yet
        clock.advance(seconds=30)
        assert deliver_all(engine, clock).failed == len(failed)

        first.start()  # back up, same port
        clock.advance(minutes=5)
        assert deliver_all(engine, clock).delivered == len(failed)
        clock.advance(days=4)
        assert deliver_all(engine, clock) == WebhookReport()

        for receiver in (first, second):
            assert receiver.rejected == []
            counted = Counter(receiver.ids())
            assert set(counted.values()) == {1}
            assert {r.payload["data"]["filing_number"] for r in receiver.received} == numbers
        assert {d.status for s in subscriptions for d in list_deliveries(engine, s.id)} == {"delivered"}
        assert {d.attempts for d in list_deliveries(engine, subscriptions[0].id)} == {3}
    finally:
        first.stop()
        second.stop()


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
        sql_store: StoreUnderTest, receiver: Receiver) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    subscription = subscribe(engine, receiver, clock.now(), event_types=("case.filed",))
    receiver.redirect_to = "/otro-lugar"
    file_case(sql_store.app(clock=clock))

    report = deliver_all(engine, clock)

    assert report.failed == 1 and report.delivered == 0
    assert receiver.paths == [PATH]  # the redirect's target was never asked for
    [delivery] = list_deliveries(engine, subscription.id)
    assert delivery.status == "pending" and delivery.last_status == 302
    assert delivery.last_error == "redirección a /otro-lugar (no se sigue)"


def test_private_addresses_are_refused_at_delivery_time_after_resolving_the_name(
        sql_store: StoreUnderTest, receiver: Receiver) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    receiver.strict_time = False  # the clock moves minutes ahead of the real one
    subscription = subscribe(engine, receiver, clock.now(), event_types=("case.filed",))
    file_case(sql_store.app(clock=clock))

    # The allow-list no longer names the receiver: nothing is sent.
    assert deliver_all(engine, clock, WebhookOptions()).failed == 1
    assert receiver.paths == []
    [refused] = list_deliveries(engine, subscription.id)
    assert "PQRS_WEBHOOK_ALLOW" in (refused.last_error or "") and refused.last_status is None

    # A name that resolved to a public address when saved and to a local one now (DNS rebinding).
    update_subscription(engine, subscription.id, SubscriptionSettings(
        url=f"http://receptor.example:{receiver.port}{PATH}", event_types=("case.filed",)), clock.now())
    rebound = WebhookOptions(resolve=lambda host, port: ["127.0.0.1"])
    clock.advance(minutes=1)
    assert deliver_all(engine, clock, rebound).failed == 1
    assert receiver.paths == []

    # Allowed by name: the request goes to the address checked, with the URL's host in Host.
    named = WebhookOptions(allow=AllowList.parse("receptor.example"),
                           resolve=lambda host, port: ["127.0.0.1"])
    clock.advance(minutes=5)
    assert deliver_all(engine, clock, named).delivered == 1
    assert receiver.received[0].headers["host"] == f"receptor.example:{receiver.port}"


def test_after_about_three_days_of_failures_the_subscription_is_switched_off_and_the_admins_told(
        sql_store: StoreUnderTest) -> None:
    clock = FrozenClock(datetime.now(UTC))
    started = clock.now()
    engine = engine_of(sql_store)
    receiver = Receiver(strict_time=False).start()
    try:
        receiver.status = 503
        subscription = subscribe(engine, receiver, clock.now(), description="ERP",
                                 event_types=("case.filed",))
        case = file_case(sql_store.app(clock=clock))
        attempts = 0
        while pending(engine):
            [row] = pending(engine)
            clock.advance(seconds=(row["next_attempt_at"] - clock.now()).total_seconds())
            report = deliver_all(engine, clock)
            attempts += 1
            assert report.claimed == 1 and report.delivered == 0
        assert attempts == MAX_ATTEMPTS == 10
        assert timedelta(days=3) <= clock.now() - started <= timedelta(days=3, hours=6)
        assert len(receiver.received) == 10 and len(set(receiver.ids())) == 1  # one message, ten tries

        [delivery] = list_deliveries(engine, subscription.id)
        assert delivery.status == "failed" and delivery.attempts == 10 and delivery.last_status == 503
        off = get_subscription(engine, subscription.id)
        assert off is not None and not off.settings.active and off.disabled_at == clock.now()
        assert off.disabled_reason is not None and "HTTP 503" in off.disabled_reason
        with engine.connect() as conn:
            told = list(conn.execute(select(outbox).where(
                outbox.c.template == "webhook_disabled")).mappings())
            bell = list(conn.execute(select(staff_notifications).where(
                staff_notifications.c.template == "webhook_disabled")).mappings())
            logged = list(conn.execute(select(catalog_changes.c.actor, catalog_changes.c.what)))
        assert [(t["recipient"], t["filing_number"]) for t in told] == [
            ("role:admin", str(case.filing_number))]
        assert told[0]["context"]["description"] == "ERP" and len(bell) == 1
        assert ("system", "webhooks.disable") in [tuple(row) for row in logged]
        mail = MailRenderer().render("webhook_disabled", told[0]["filing_number"], told[0]["context"],
                                     recipient="role:admin")
        assert mail.subject == f"[{case.filing_number}] Se desactivó el webhook «ERP»"
        assert receiver.url in mail.text and "HTTP 503" in mail.text

        # Switched off, it gets no new events; switched on, the failed one is resent with «Reenviar».
        receiver.status = 200
        file_case(sql_store.app(clock=clock))
        assert len(list_deliveries(engine, subscription.id)) == 1
        resend(engine, subscription.id, delivery.id, clock.now())
        assert deliver_all(engine, clock) == WebhookReport()  # not while it is off
        update_subscription(engine, subscription.id, SubscriptionSettings(
            url=off.settings.url, event_types=("case.filed",)), clock.now())
        assert deliver_all(engine, clock).delivered == 1
        assert get_subscription(engine, subscription.id).disabled_reason is None  # type: ignore[union-attr]
        resent = next(d for d in list_deliveries(engine, subscription.id) if d.id == delivery.id)
        assert resent.status == "delivered" and resent.attempts == 11
        assert receiver.ids().count(delivery.message_id) == 11  # the same webhook-id every time
    finally:
        receiver.stop()


def test_two_workers_never_send_the_same_delivery(sql_store: StoreUnderTest, receiver: Receiver) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    subscribe(engine, receiver, clock.now(), event_types=("case.filed",))
    app = sql_store.app(clock=clock)
    for n in range(24):
        file_case(app, f"Caso {n}")
    assert sql_store.url is not None
    start = threading.Barrier(2)
    reports: list[WebhookReport] = []

    def work() -> None:
        own = make_engine(sql_store.url or "")
        try:
            start.wait()
            while (report := deliver_webhooks(own, clock.now(), batch=3, options=OPTIONS)).claimed:
                reports.append(report)
        finally:
            own.dispose()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(r.delivered for r in reports) == 24
    assert len(receiver.received) == 24 and set(Counter(receiver.ids()).values()) == {1}


def test_pqrs_worker_delivers_the_webhooks(tmp_path: Path, receiver: Receiver) -> None:
    sink = SmtpSink(free_port())
    sink.start()
    env = {"PQRS_DATABASE_URL": f"sqlite:///{tmp_path / 'pqrs.sqlite3'}", "PQRS_FILES_DIR": str(tmp_path),
           "PQRS_SMTP_HOST": "127.0.0.1", "PQRS_SMTP_PORT": str(sink.port), "PQRS_WEBHOOK_ALLOW": "127.0.0.1"}
    config = Config.from_env(env)
    engine = make_engine(config.database_url)
    try:
        init = CliRunner().invoke(main, ["init", "--admin-password", "clave-admin-123"], env=env)
        assert init.exit_code == 0, init.output
        pqrs = build_pqrs(config, engine=engine, sync=False)
        subscribe(engine, receiver, pqrs.deps.clock.now(), event_types=("case.filed",))
        case = file_case(pqrs)

        run = CliRunner().invoke(main, ["worker", "--once"], env=env, catch_exceptions=False)
    finally:
        sink.stop()
        engine.dispose()

    assert run.exit_code == 0, run.output
    assert [r.payload["data"]["filing_number"] for r in receiver.received] == [str(case.filing_number)]
    assert receiver.rejected == []


def test_a_batch_that_runs_out_of_its_lease_gives_the_rest_back_unsent(
        sql_store: StoreUnderTest, receiver: Receiver) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    subscribe(engine, receiver, clock.now(), event_types=("case.filed",))
    file_case(sql_store.app(clock=clock))

    report = deliver_all(engine, clock, WebhookOptions(allow=LOCAL, lease=timedelta(0)))

    assert report == WebhookReport(claimed=1, released=1) and receiver.paths == []
    [row] = pending(engine)
    assert row["claimed_until"] is None and row["attempts"] == 0
    assert deliver_all(engine, clock).delivered == 1


def test_an_unexpected_error_fails_that_delivery_only(sql_store: StoreUnderTest, receiver: Receiver) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    subscription = subscribe(engine, receiver, clock.now(), event_types=("case.filed",))
    file_case(sql_store.app(clock=clock))

    def broken(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("se dañó")

    options = WebhookOptions(allow=LOCAL,
                             make_client=lambda: httpx.Client(transport=httpx.MockTransport(broken)))
    assert deliver_all(engine, clock, options).failed == 1
    [delivery] = list_deliveries(engine, subscription.id)
    assert delivery.last_error == "error inesperado: RuntimeError: se dañó" and delivery.status == "pending"


def certificate(tmp_path: Path, name: str) -> Path:
    """A self-signed certificate (and its key, in the same file) for the host ``name``."""
    pem = tmp_path / f"{name}.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
                    "-keyout", str(pem), "-out", str(pem)], check=True, capture_output=True)
    return pem


@pytest.mark.parametrize(("served_as", "delivered"), [("receptor.example", True), ("otro.example", False)])
def test_over_https_the_certificate_is_checked_against_the_urls_host_at_the_checked_address(
        sql_store: StoreUnderTest, tmp_path: Path, served_as: str, delivered: bool) -> None:
    engine = engine_of(sql_store)
    pem = certificate(tmp_path, served_as)
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(pem)
    receiver = Receiver(tls=server_tls).start()
    try:
        clock = FrozenClock(datetime.now(UTC))
        allow = AllowList.parse("receptor.example")
        to_localhost = WebhookOptions(allow=allow, resolve=lambda host, port: ["127.0.0.1"],
                                      make_client=lambda: client(ssl.create_default_context(cafile=str(pem))))
        created = create_subscription(engine, SubscriptionSettings(
            url=f"https://receptor.example:{receiver.port}{PATH}", event_types=("case.filed",)
        ).validated(allow, to_localhost.resolve),
            clock.now())
        receiver.secret = created.secret
        file_case(sql_store.app(clock=clock))

        report = deliver_webhooks(engine, clock.now(), options=to_localhost)

        assert bool(report.delivered) is delivered
        if delivered:
            assert {r.headers["host"] for r in receiver.received} == {f"receptor.example:{receiver.port}"}
        else:
            assert receiver.received == []
            [failed] = list_deliveries(engine, created.id)
            assert "CERTIFICATE_VERIFY_FAILED" in (failed.last_error or "")
    finally:
        receiver.stop()


def test_pqrs_maintain_purges_old_delivered_webhooks_and_keeps_the_rest(
        sql_store: StoreUnderTest, receiver: Receiver) -> None:
    clock = FrozenClock(datetime.now(UTC))
    engine = engine_of(sql_store)
    receiver.strict_time = False
    subscription = subscribe(engine, receiver, clock.now(), event_types=("case.filed",))
    app = sql_store.app(clock=clock)
    file_case(app, "Viejo")
    assert deliver_all(engine, clock).delivered == 1
    clock.advance(days=300)
    file_case(app, "Reciente")
    assert deliver_all(engine, clock).delivered == 1
    receiver.status = 500
    file_case(app, "Fallido")
    assert deliver_all(engine, clock).failed == 1
    clock.advance(days=70)

    report = purge_expired(engine, clock.now())

    assert report.webhooks == 1
    kept = list_deliveries(engine, subscription.id)
    assert len(kept) == 2 and {d.status for d in kept} == {"delivered", "pending"}
