"""``pqrs worker --once`` on a SQLite file with the demo data, against a real SMTP server: the demo's
90 days of history are not mailed, a case filed afterwards is acknowledged to its requester with its
filing number and due date, and a second run sends nothing again."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import select
from test_mail_delivery import SmtpSink, free_port

from pqrs_adapters.cli import main
from pqrs_adapters.config import Config
from pqrs_adapters.sqlalchemy import make_engine
from pqrs_adapters.sqlalchemy.tables import outbox
from pqrs_adapters.wiring import build_pqrs
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.values import Actor, Requester


def _run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_worker_once_acknowledges_a_new_case_and_not_the_demo_history(tmp_path: Path) -> None:
    sink = SmtpSink(free_port())
    sink.start()
    env = {"PQRS_DATABASE_URL": f"sqlite:///{tmp_path / 'pqrs.sqlite3'}", "PQRS_FILES_DIR": str(tmp_path),
           "PQRS_SMTP_HOST": "127.0.0.1", "PQRS_SMTP_PORT": str(sink.port),
           "PQRS_MAIL_FROM": "PQRS Demo <pqrs@demo.example.co>", "PQRS_ORGANISATION_NAME": "Acme Demo S.A.S."}
    config = Config.from_env(env)
    engine = make_engine(config.database_url)
    try:
        assert _run(env, "init", "--admin-password", "clave-admin-123").exit_code == 0
        demo = _run(env, "demo", "--count", "12", "--seed", "5")
        assert demo.exit_code == 0 and "historia de demostración quedan como enviadas" in demo.output
        with engine.connect() as conn:
            assert not conn.execute(select(outbox.c.id).where(outbox.c.sent_at.is_(None))).all()

        pqrs = build_pqrs(config, engine=engine, sync=False)
        case = pqrs.handle(FileCase(
            kind="reclamo", subject="Cobro doble en la factura FV-20931", description="Me cobraron dos veces",
            requester=Requester(full_name="Andrés Ospina", document_type="CC", document_number="80123456",
                                email="andres.ospina@example.com", address="Calle 1 # 2-3"),
            channel="phone"), Actor("ana.agente", frozenset({"agent"})))
        first = _run(env, "worker", "--once", "--batch", "7")
        second = _run(env, "worker", "--once")
    finally:
        sink.stop()
        engine.dispose()

    assert first.exit_code == 0, first.output
    assert f"127.0.0.1:{sink.port}" in first.output
    number = str(case.filing_number)
    acks = [m for m in sink.received if m.rcpt_tos == ["andres.ospina@example.com"]]
    assert [m.message["Subject"] for m in acks] == [f"[{number}] Recibimos su reclamo"]
    ack = acks[0]
    assert "Acme Demo S.A.S." in ack.text and number in ack.text and "a más tardar" in ack.text
    assert ack.message["Message-ID"].endswith("@demo.example.co>")
    staff = {m.rcpt_tos[0] for m in sink.received if m is not ack and number in m.message["Subject"]}
    assert staff  # the first-tier queue is told of the new case
    assert second.exit_code == 0 and "Notificaciones: 0 enviadas" in second.output
