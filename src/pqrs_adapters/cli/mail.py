"""``pqrs mail``: mail into cases, read over IMAP (``fetch``) or received over SMTP/LMTP (``serve``)
(registered on ``pqrs`` by ``pqrs_adapters.cli``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .support import fail, friendly_errors, get_config, open_engine

if TYPE_CHECKING:
    from ..mail.imap_fetch import FetchReport


@click.group(help="Correo entrante: leer buzones por IMAP o recibir por SMTP/LMTP.")
def mail() -> None:
    pass


def fetch_line(report: FetchReport) -> str:
    """One Spanish line: how many messages were received, by outcome, and the mailboxes that failed."""
    outcomes = ", ".join(f"{name}: {count}" for name, count in sorted(report.outcomes.items()))
    line = f"Buzones leídos: {report.mailboxes}; mensajes recibidos: {report.received}"
    line += f" ({outcomes})." if outcomes else "."
    for address, error in sorted(report.errors.items()):
        line += f"\nError en {address}: {error}"
    return line


@mail.command("fetch", help="Lee por IMAP los buzones activos y convierte cada mensaje nuevo en un caso "
                            "(o lo une a su caso). Usa IDLE si el servidor lo tiene.")
@click.option("--once", is_flag=True, help="Leer una vez y terminar.")
@click.option("--poll", default=None, type=click.FloatRange(1, 86_400),
              help="Segundos entre lecturas (por defecto PQRS_MAIL_FETCH_POLL, 60); con IDLE, lo más "
                   "que se espera entre dos lecturas.")
@click.option("--mailbox", "address", default=None, help="Leer solo este buzón (su dirección).")
@click.pass_context
@friendly_errors
def fetch(ctx: click.Context, once: bool, poll: float | None, address: str | None) -> None:
    import logging
    import signal
    import threading

    from pqrs_core.clock import SystemClock

    from ..mail.imap_fetch import fetch_once, run_fetcher
    from ..mail.wiring import mail_intake_from_config
    from ..sqlalchemy.mailbox_store import find_mailbox

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = get_config(ctx)
    clock = SystemClock()
    with open_engine(config) as engine:
        if address is not None:
            found = find_mailbox(engine, address)
            if found is None or not found.settings.imap_url:
                fail(f"no hay un buzón {address} con URL IMAP.")
            elif not found.settings.enabled:
                fail(f"el buzón {address} está desactivado; actívelo en la administración (Buzones).")
        intake = mail_intake_from_config(config)
        try:
            if once:
                report = fetch_once(engine, intake, config.mail_in, clock.now, only=address)
                click.echo(fetch_line(report))
                if report.errors:
                    raise SystemExit(1)
                return
            stop = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            seconds = poll or float(config.mail_in.fetch_poll)
            click.echo(f"Leyendo los buzones cada {seconds:g} s como máximo (Ctrl+C para terminar)...")
            run_fetcher(engine, intake, config.mail_in, clock.now, stop, poll_seconds=seconds,
                        only=address, on_report=lambda r: click.echo(fetch_line(r)))
            click.echo("Lectura de buzones detenida.")
        finally:
            intake.close()


@mail.command("serve", help="Recibe correo por SMTP (o LMTP con --lmtp) para las direcciones de los "
                            "buzones; responde 250 solo cuando el mensaje quedó guardado.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=2525, show_default=True, type=click.IntRange(1, 65535))
@click.option("--lmtp", is_flag=True, help="Hablar LMTP (RFC 2033) en vez de SMTP.")
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str, port: int, lmtp: bool) -> None:
    import logging
    import signal
    import threading

    from pqrs_core.clock import SystemClock

    from ..mail.receiver import start_receiver
    from ..mail.wiring import mail_intake_from_config

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = get_config(ctx)
    max_bytes = config.mail_in.max_message_mb * 1024 * 1024
    with open_engine(config) as engine:
        intake = mail_intake_from_config(config)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        try:
            try:
                controller = start_receiver(engine, intake, SystemClock().now, host=host, port=port,
                                            max_bytes=max_bytes, lmtp=lmtp)
            except (OSError, RuntimeError) as exc:
                fail(f"no se pudo escuchar en {host}:{port} ({exc}).")
            protocol = "LMTP" if lmtp else "SMTP"
            click.echo(f"Recibiendo correo por {protocol} en {host}:{port} (mensajes de hasta "
                       f"{config.mail_in.max_message_mb} MB; base de datos: {config.describe_database()}). "
                       "Ctrl+C para terminar.")
            while not stop.wait(1.0):
                pass
            controller.stop()  # a message cut short gets no 250: its sender sends it again
            click.echo("Receptor detenido.")
        finally:
            intake.close()
