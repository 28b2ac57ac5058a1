"""Mail into cases: messages per second through ``MailIntake.receive`` (M1) and through the SMTP receiver
``pqrs mail serve`` driven by smtplib (M2: one client, one connection; M3: 4 clients at once), on SQLite
and PostgreSQL. Every message is a new case from a different sender (a plain-text message of about
1 KB, as most PQRS are), acknowledged through the outbox as any filing.

Besides messages per wall-clock second, each figure gives messages per CPU second of this process
(``per_cpu_second``: the intake, the receiver and, for M2/M3, the smtplib clients too): the target is at
least 50 messages per second per core.

Prints one JSON line per figure, then a Markdown table. Nothing is asserted.

    .venv/bin/python benchmarks/mail_intake.py                       # SQLite and PostgreSQL
    .venv/bin/python benchmarks/mail_intake.py --messages 2000 --databases sqlite
"""

from __future__ import annotations

import argparse
import resource
import smtplib
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(Path(__file__).resolve().parent)]

from _figures import Figures, machine  # noqa: E402
from _postgres import DEFAULT_POSTGRES, bench_database, masked  # noqa: E402

from pqrs_adapters.config import Config  # noqa: E402
from pqrs_adapters.mail.intake import Arrival, MailboxDefaults  # noqa: E402
from pqrs_adapters.mail.mailboxes import MailboxSettings  # noqa: E402
from pqrs_adapters.mail.receiver import start_receiver  # noqa: E402
from pqrs_adapters.mail.wiring import mail_intake_from_config  # noqa: E402
from pqrs_adapters.sqlalchemy import make_engine, upgrade  # noqa: E402
from pqrs_adapters.sqlalchemy.mailbox_store import create_mailbox  # noqa: E402

ADDRESS = "pqrs@bench.example"
BODY = ("Buenos días. Les escribo porque en la factura del mes pasado aparece un cobro que no reconozco "
        "y que no corresponde a ningún servicio contratado. Solicito que revisen el caso, me expliquen "
        "el origen del valor y, si es un error, lo reversen en la próxima factura. ") * 3


def message(run: str, number: int) -> bytes:
    return (f"From: Cliente {number} <cliente{number}.{run}@correo.example>\r\nTo: {ADDRESS}\r\n"
            f"Subject: Cobro no reconocido {number}\r\nMessage-ID: <{run}-{number}@correo.example>\r\n"
            "Date: Mon, 2 Mar 2026 08:00:00 -0500\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{BODY}\r\n").encode()


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(work: Callable[[list[int]], None]) -> tuple[float, float, list[int]]:
    """Wall seconds, CPU seconds and per-message nanoseconds of ``work``."""
    samples: list[int] = []
    cpu, began = cpu_seconds(), time.perf_counter()
    work(samples)
    return time.perf_counter() - began, cpu_seconds() - cpu, samples


def add(figures: Figures, figure: str, database: str, count: int,
        measured: tuple[float, float, list[int]]) -> None:
    seconds, cpu, samples = measured
    figures.add(figure, database=database, count=count, seconds=seconds, samples_ns=samples,
                cpu_seconds=round(cpu, 3), per_cpu_second=round(count / cpu) if cpu > 0 else None)


def bench(figures: Figures, database: str, url: str, messages: int, smtp_messages: int) -> None:
    with tempfile.TemporaryDirectory(prefix="pqrs-bench-mail-") as tmp:
        upgrade(url)
        config = Config(database_url=url, files_dir=Path(tmp) / "files")
        intake = mail_intake_from_config(config)
        engine = make_engine(url)
        create_mailbox(engine, MailboxSettings(address=ADDRESS), datetime.now(UTC))
        try:
            defaults = MailboxDefaults(kind="reclamo")
            run = f"m1{time.time_ns()}"

            def receive_all(samples: list[int]) -> None:
                for n in range(messages):
                    began = time.perf_counter_ns()
                    result = intake.receive(message(run, n), Arrival(
                        received_at=datetime.now(UTC), mailbox=ADDRESS, source="bench", defaults=defaults))
                    samples.append(time.perf_counter_ns() - began)
                    assert result.outcome == "filed", result.reason

            add(figures, "M1 receive()", database, messages, timed(receive_all))

            controller = start_receiver(engine, intake, lambda: datetime.now(UTC), host="127.0.0.1",
                                        port=_free_port(), max_bytes=35 * 1024 * 1024)
            try:
                for figure, clients in (("M2 SMTP, 1 client", 1), ("M3 SMTP, 4 clients", 4)):
                    run = f"m{clients}{time.time_ns()}"
                    add(figures, figure, database, smtp_messages,
                        timed(lambda samples, r=run, c=clients: _smtp(controller.port, r, smtp_messages,
                                                                         c, samples)))
            finally:
                controller.stop()
        finally:
            intake.close()
            engine.dispose()


def _smtp(port: int, run: str, count: int, clients: int, samples: list[int]) -> None:
    lock = threading.Lock()

    def client(numbers: range) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            for n in numbers:
                began = time.perf_counter_ns()
                refused = smtp.sendmail(f"cliente{n}@correo.example", [ADDRESS], message(run, n))
                took = time.perf_counter_ns() - began
                assert not refused
                with lock:
                    samples.append(took)

    share = count // clients
    threads = [threading.Thread(target=client, args=(range(i * share, count if i == clients - 1
                                                           else (i + 1) * share),))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _free_port() -> int:
    from dovecot import free_port

    return free_port()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000, help="messages through receive() (M1)")
    parser.add_argument("--smtp-messages", type=int, default=500, help="messages over SMTP (M2, M3)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="admin URL of the PostgreSQL server")
    args = parser.parse_args()
    figures = Figures("mail_intake")
    print(f"# machine: {machine()}", flush=True)
    for database in args.databases.split(","):
        if database == "sqlite":
            with tempfile.TemporaryDirectory(prefix="pqrs-bench-mail-db-") as tmp:
                bench(figures, "sqlite", f"sqlite:///{tmp}/pqrs.sqlite3", args.messages, args.smtp_messages)
        else:
            with bench_database(args.postgres) as url:
                if url is None:
                    figures.skipped("M1-M3", "postgres", f"{masked(args.postgres)} unreachable")
                    continue
                bench(figures, "postgres", url, args.messages, args.smtp_messages)
    print()
    print(figures.markdown())


if __name__ == "__main__":
    main()
