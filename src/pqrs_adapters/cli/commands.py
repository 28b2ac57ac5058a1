"""The ``pqrs`` command: init, demo, serve, cases, show, worker, import; ``user`` and ``token`` live in
``accounts``, ``customers`` in ``customers``, ``maintain``, ``backup`` and ``restore`` in ``operations``.

Errors a person can cause (a bad filing number, a case that does not exist, a database that was never
initialised) are printed as Spanish sentences with exit code 1, never as a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from pqrs_core.domain.values import Actor
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.domain.working_days import (
    WORKING_DAYS,
    WORKING_DAYS_REASON,
    describe_working_days,
    working_days_warning,
)
from pqrs_core.ports import CaseQuery

from .. import DISTRIBUTION
from ..config import Config, ConfigError
from . import accounts as account_groups
from . import archive as archive_group
from . import customers as customers_group
from . import files as files_group
from . import mail as mail_group
from . import operations
from .support import fail as _fail
from .support import friendly_errors
from .support import get_config as _config
from .support import open_engine as _engine
from .support import table as _table

if TYPE_CHECKING:
    import threading

    from sqlalchemy import Engine

    from pqrs_core import Pqrs
    from pqrs_core.domain.case import Case
    from pqrs_core.domain.catalog import Catalog
    from pqrs_core.services.term_report import TermExplanation

    from ..demo.data import DemoUser
    from ..mail import DeliveryReport, PeriodicJob
    from ..presentation import Labels


@click.group(help="PQRS: peticiones, quejas, reclamos, sugerencias, denuncias y felicitaciones.")
@click.version_option(package_name=DISTRIBUTION, prog_name="pqrs", message="%(prog)s, versión %(version)s",
                      help="Muestra la versión instalada y termina.")
@click.pass_context
def main(ctx: click.Context) -> None:
    try:
        ctx.obj = {"config": Config.from_env()}
    except ConfigError as exc:
        _fail(str(exc))


# ------------------------------------------------------------------------------------------- init
@main.command(help="Crea o actualiza la base de datos, sincroniza el catálogo y crea el administrador.")
@click.option("--admin-username", default="admin", show_default=True)
@click.option("--admin-password", default=None,
              help="Contraseña del administrador (si no existe); sin ella se genera una al azar.")
@click.option("--working-days", type=click.Choice(sorted(WORKING_DAYS)), default=None,
              help="Días hábiles de la organización: mon-fri (lunes a viernes) o mon-sat (lunes a "
                   "sábado). Sin la opción se conserva la elección guardada o, la primera vez, la de "
                   "PQRS_SATURDAY_BUSINESS_DAY.")
@click.pass_context
@friendly_errors
def init(ctx: click.Context, admin_username: str, admin_password: str | None,
         working_days: str | None) -> None:
    from ..accounts import generate_password, get_user, save_user
    from ..wiring import build_pqrs, migrate

    config = _config(ctx)
    click.echo(f"Base de datos: {config.describe_database()}")
    migrate(config)
    click.echo("Esquema de la base de datos al día (migraciones aplicadas).")
    with _engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=True)
        catalog = pqrs.catalog()
        click.echo(f"Catálogo sincronizado: {len(catalog.kinds)} tipos, {len(catalog.typifications)} "
                   f"tipificaciones, {len(catalog.workflows)} flujos de trabajo.")
        _init_working_days(pqrs, catalog, admin_username, working_days)
        if get_user(engine, admin_username) is None:
            generated = admin_password is None
            password = admin_password if admin_password is not None else generate_password()
            save_user(engine, admin_username, display_name="Administrador", roles=("admin",),
                      password=password)
            click.echo(f"Administrador «{admin_username}» creado.")
            if generated:
                click.echo(f"  Contraseña generada: {password}  (guárdela: no se vuelve a mostrar)")
        else:
            click.echo(f"El administrador «{admin_username}» ya existe; no se modificó.")
        click.echo(f"Casos registrados: {pqrs.count()}.")


def _init_working_days(pqrs: Pqrs, catalog: Catalog, admin_username: str, choice: str | None) -> None:
    """Store the working days chosen (or, the first time, the settings' default) and say which they
    are; a change recomputes the open cases' deadlines, recorded in their history."""
    stored = catalog.working_weekdays
    default = catalog.calendar.working_weekdays if catalog.calendar is not None else WORKING_DAYS["mon-fri"]
    wanted = WORKING_DAYS[choice] if choice is not None else stored if stored is not None else default
    if wanted != stored:
        pqrs.catalog_admin.set_working_weekdays(wanted, Actor(admin_username, frozenset({"admin"})))
    click.echo(f"Días hábiles: {describe_working_days(wanted)}.")
    warning = working_days_warning(wanted)
    if warning:
        click.echo(f"  Aviso: {warning}")
    if stored is not None and wanted != stored:
        changed = pqrs.recompute_terms(WORKING_DAYS_REASON)
        click.echo(f"Vencimientos de los casos abiertos recalculados: {changed} cambiaron.")


# ------------------------------------------------------------------------------------------- demo
@main.command(help="Carga casos de demostración realistas a través de los casos de uso.")
@click.option("--count", default=300, show_default=True, type=click.IntRange(1, 5000))
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--force", is_flag=True, help="Cargar aunque la base de datos ya tenga casos.")
@click.option("--if-empty", is_flag=True,
              help="Si la base de datos ya tiene casos, no cargar nada y terminar sin error.")
@click.pass_context
@friendly_errors
def demo(ctx: click.Context, count: int, seed: int, force: bool, if_empty: bool) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from pqrs_core.clock import FrozenClock

    from ..accounts import get_user
    from ..demo import (
        create_demo_mailbox,
        create_demo_users,
        load_demo,
        record_demo_answers,
        settle_demo_notifications,
        state_summary,
    )
    from ..demo.answers import load_demo_answers
    from ..demo.assignment import add_demo_internal_requests, configure_demo_assignment
    from ..demo.data import DEMO_USERS
    from ..demo.retention import configure_demo_retention
    from ..demo.rules import create_demo_routing
    from ..wiring import build_pqrs

    config = _config(ctx)
    with _engine(config) as engine:
        clock = FrozenClock(datetime.now(UTC))  # the demo moves it through the last 90 days
        pqrs = build_pqrs(config, engine=engine, clock=clock, sync=True)
        existing = pqrs.count()
        if existing and if_empty and not force:
            click.echo(f"La base de datos ya tiene {existing} casos: no se cargan datos de demostración.")
            if get_user(engine, DEMO_USERS[0].username) is not None:
                click.echo(f"Buzón de demostración: {create_demo_mailbox(engine, clock.now())}.")
                load_demo_answers(engine, pqrs.catalog(), clock.now())
                _print_logins(DEMO_USERS)
            return
        if existing and not force:
            _fail(f"la base de datos ya tiene {existing} casos; use --force para cargar más de todos modos.")
        users = create_demo_users(engine)
        click.echo(f"Cargando {count} casos de demostración (semilla {seed})...")
        # The history is loaded without typesetting its official letters (hundreds of PDFs); the
        # letters of what is done from now on are issued as configured.
        documents = pqrs.deps.documents
        pqrs.deps = attrs.evolve(pqrs.deps, documents=None)
        result = load_demo(pqrs, clock, count=count, seed=seed, timezone=config.timezone)
        pqrs.deps = attrs.evolve(pqrs.deps, documents=documents)
        rules = create_demo_routing(pqrs)
        configure_demo_retention(pqrs)
        clock.set(datetime.now(UTC))
        configure_demo_assignment(pqrs, clock.now().astimezone(ZoneInfo(config.timezone)).date())
        add_demo_internal_requests(pqrs, clock.now())
        settled = settle_demo_notifications(engine)
        surveys = record_demo_answers(engine, result.survey_answers)
        mailbox = create_demo_mailbox(engine, clock.now())
        canned, articles = load_demo_answers(engine, pqrs.catalog(), clock.now())
        click.echo(f"Respuestas tipo: {canned}; artículos de la base de conocimiento: {articles}.")
        click.echo(f"Casos en la base de datos: {result.cases} "
                   f"({result.requesters} peticionarios distintos).")
        for label, number in state_summary(pqrs, result.by_state):
            click.echo(f"  {label:<42} {number:>5}")
        if rules:
            click.echo(f"Reglas de enrutamiento de demostración: {', '.join(r.name for r in rules)}.")
        click.echo(f"Encuestas de satisfacción respondidas: {surveys}.")
        click.echo(f"Las {settled} notificaciones de la historia de demostración quedan como enviadas; "
                   "los casos nuevos sí notifican.")
        click.echo(f"Buzón de demostración: {mailbox} (recibe correo con «make mail» o «pqrs mail serve»).")
    _print_logins(users)


def _print_logins(users: Sequence[DemoUser]) -> None:
    from ..demo.data import DEMO_PASSWORD

    click.echo("")
    click.echo(f"Usuarios de demostración (contraseña «{DEMO_PASSWORD}»):")
    for user in users:
        click.echo(f"  {user.username:<20} {user.display_name:<18} {user.description}")


# ------------------------------------------------------------------------------------------ serve
@main.command(help="Sirve la aplicación web (gunicorn; --dev usa el servidor de desarrollo de Flask).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--dev", is_flag=True, help="Servidor de desarrollo de Flask con recarga automática.")
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str, port: int, workers: int, dev: bool) -> None:
    import os
    import shutil
    import tempfile

    config = _config(ctx)
    # The gunicorn workers add up their metrics in files of one folder (prometheus-client's
    # multiprocess mode), named before the metrics are first imported.
    metrics_dir = None
    if config.metrics_token and not dev and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        metrics_dir = tempfile.mkdtemp(prefix="pqrs-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    from ..flask import create_app
    from ..wiring import build_pqrs

    # Sync the catalog once here, not in every worker.
    with _engine(config) as engine:
        build_pqrs(config, engine=engine, sync=True).count()
    click.echo(f"Sirviendo en http://{host}:{port}/  (base de datos: {config.describe_database()})")
    if dev:
        create_app(config, sync_catalog=False).run(host=host, port=port, debug=True)
        return
    from ..flask.server import run_gunicorn

    try:
        run_gunicorn(lambda: create_app(config, sync_catalog=False), host=host, port=port, workers=workers,
                     log_format=config.log_format, log_level=config.log_level)
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


# ------------------------------------------------------------------------------------------ cases
CATEGORY_NAMES = {c.value: c for c in StateCategory}


@main.command(help="Lista los casos, del más reciente al más antiguo.")
@click.option("--state", "states", multiple=True,
              help="Estado (filed, in_progress...) o categoría (todo, doing, waiting, done); repetible.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.pass_context
@friendly_errors
def cases(ctx: click.Context, states: tuple[str, ...], limit: int) -> None:
    from ..presentation import Labels
    from ..wiring import build_pqrs

    config = _config(ctx)
    categories = tuple(CATEGORY_NAMES[s] for s in states if s in CATEGORY_NAMES)
    codes = tuple(s for s in states if s not in CATEGORY_NAMES)
    with _engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=False)
        catalog = pqrs.catalog()
        known = {s.code for w in catalog.workflows for s in w.states}
        unknown = [s for s in codes if s not in known]
        if unknown:
            _fail(f"«{unknown[0]}» no es un estado ni una categoría. Estados: {', '.join(sorted(known))}; "
                  f"categorías: {', '.join(CATEGORY_NAMES)}.")
        if categories and codes:  # either may match: the query ANDs its filters, so list states only
            codes += tuple(s.code for w in catalog.workflows for s in w.states if s.category in categories)
            categories = ()
        page = pqrs.cases(CaseQuery(state_categories=categories, states=tuple(dict.fromkeys(codes)),
                                    limit=limit))
        labels = Labels(catalog, config.timezone)
        rows = [(str(case.filing_number), labels.local(case.filed_at), labels.kind(case.kind),
                 labels.state(case), labels.priority(case.priority), case.assignee or "—", case.subject)
                for case in page.cases]
        total = pqrs.count()
    if not rows:
        click.echo("No hay casos que coincidan.")
        return
    headers = ("Radicado", "Radicado el", "Tipo", "Estado", "Prioridad", "Responsable", "Asunto")
    click.echo(_table(headers, rows))
    more = " (hay más: aumente --limit)" if page.next_cursor else ""
    click.echo(f"{len(rows)} de {total} casos{more}.")


# ------------------------------------------------------------------------------------------- show
@main.command(help="Muestra un caso: sus datos, su vencimiento y su historia.")
@click.argument("filing_number")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, filing_number: str) -> None:
    from ..accounts import display_names
    from ..presentation import Labels
    from ..wiring import build_pqrs

    config = _config(ctx)
    with _engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=False)
        case = pqrs.case(filing_number, include_deleted=True)  # a voided case can still be audited
        history = pqrs.history(filing_number, include_deleted=True)
        term = pqrs.explain_term(filing_number, include_deleted=True)
        names = display_names(engine, [case.assignee or "", case.filed_by, case.received_by or "",
                                       case.front_line_agent or "", *(e.actor for e in history)])
        labels = Labels(pqrs.catalog(), config.timezone, names)
    for line in case_lines(case, labels, term):
        click.echo(line)
    click.echo("")
    click.echo("Historia:")
    for event in history:
        click.echo(f"  {labels.local(event.occurred_at)}  {labels.user(event.actor)}: "
                   f"{labels.describe(event, case)}")


def case_lines(case: Case, labels: Labels, term: TermExplanation | None = None) -> list[str]:
    """The case as ``pqrs show`` prints it: every field the case page shows, custom fields by their
    labels, and the deadline with its status (read by the application's clock)."""
    from ..presentation import REFERENCE_LABELS

    requester = case.requester
    document = (f"{labels.document_type(requester.document_type)} {requester.document_number}"
                if requester.document_number else "—")
    received = labels.local(case.received_at) + (f" por {labels.user(case.received_by)}"
                                                  if case.received_by else "")
    fields = [
        ("Radicado", str(case.filing_number)),
        ("Asunto", case.subject),
        ("Tipo", labels.kind(case.kind)),
        ("Estado", f"{labels.state(case)} ({labels.category(case.state_category)})"),
        ("Tipificación", labels.typification(case)),
        ("Motivo", labels.reason(case.reason)),
        ("Prioridad", labels.priority(case.priority)),
        ("Canal", labels.channel(case.channel) + (" (petición verbal)" if case.verbal else "")),
        ("Cola", labels.queue(case.queue)),
        ("Responsable", labels.user(case.assignee)),
    ]
    if case.front_line_agent:
        fields.append(("Primer nivel", labels.user(case.front_line_agent)))
    fields += [
        ("Recibido el", received),
        ("Radicado el", f"{labels.local(case.filed_at)} por {labels.user(case.filed_by)}"),
        ("Modificado el", labels.local(case.updated_at)),
        ("Respondido el", labels.local(case.responded_at)),
        ("Cerrado el", labels.local(case.closed_at)
         + (" (resuelto en primer contacto)" if case.first_contact_resolution else "")),
    ]
    fields += _term_fields(case, labels, term)
    fields += [
        ("Peticionario", requester.display_name),
        ("Documento", document),
        ("Correo", requester.email or "—"),
        ("Teléfono", requester.phone or "—"),
        ("Dirección", requester.address or "—"),
    ]
    if requester.customer_id:
        fields.append(("Cliente (ERP)", requester.customer_id
                       + (f", sucursal {requester.branch}" if requester.branch else "")))
    if requester.lead_id:
        fields.append(("Cliente potencial", requester.lead_id))
    if case.non_crm_contact:
        fields.append(("Contacto no CRM", case.non_crm_contact))
    if case.references:
        fields.append(("Referencias", ", ".join(f"{REFERENCE_LABELS.get(r.kind, r.kind)} {r.number}"
                                                for r in case.references)))
    fields += [(labels.custom_field(code), _plain_value(value)) for code, value in case.custom_fields.items()]
    if case.missing_information:
        fields.append(("Falta", ", ".join(case.missing_information)))
    if case.deleted_at is not None:
        fields.append(("ANULADO el", labels.local(case.deleted_at)))
    lines = [f"{name + ':':<15} {value}" for name, value in fields]
    lines += ["", "Descripción:", f"  {case.description}"]
    if case.solution:
        lines += ["", "Solución:", f"  {case.solution}"]
    return lines


def _term_fields(case: Case, labels: Labels, term: TermExplanation | None) -> list[tuple[str, str]]:
    if case.term is None:
        return [("Término", "ninguno aplica a este caso")]
    extended = f", prorrogado {case.extended_by}" if case.extended_by else ""
    fields = [("Término", f"{case.term.describe()}{extended}")]
    if term is not None and term.reading is not None:
        fields.append(("Vence", f"{labels.local(term.due)} ({term.status_label})"))
    if case.first_response_due:
        fields.append(("Primera resp.", f"antes del {labels.local(case.first_response_due)}"))
    if case.completion_due:
        fields.append(("Completar", "el peticionario puede completar hasta el "
                                    f"{labels.local(case.completion_due)}"))
    return fields


def _plain_value(value: Any) -> str:
    if value is True or value is False:
        return "Sí" if value else "No"
    return "—" if value is None or value == "" else str(value)


# ----------------------------------------------------------------------------------------- worker
HEARTBEAT_EVERY = timedelta(seconds=30)
SWEEP_EVERY = timedelta(minutes=5)
MAINTAIN_EVERY = timedelta(hours=1)
BOARD_COUNTS_EVERY = timedelta(seconds=10)
WEBHOOKS_EVERY = timedelta(0)  # at every turn of the loop


def periodic_jobs(config: Config, engine: Engine) -> list[PeriodicJob]:
    """What ``pqrs worker`` runs on a schedule besides sending mail: its heartbeat (``/metrics``), every
    30 seconds; the term sweep (alarms and escalations), every five minutes; the purge of what has
    expired (``pqrs maintain``), every hour; the board's counts' changes folded into their totals
    (PostgreSQL), every 10 seconds; and the webhooks due, at every turn."""
    from datetime import UTC, datetime

    from ..mail import PeriodicJob
    from ..sqlalchemy.board_counts import fold_changes
    from ..sqlalchemy.retention import purge_expired
    from ..sqlalchemy.store_metrics import beat, this_worker
    from ..webhooks.delivery import WebhookOptions, deliver_webhooks
    from ..wiring import build_pqrs

    pqrs = build_pqrs(config, engine=engine, sync=False)
    hooks = WebhookOptions(allow=config.webhook_allow)
    worker, started = this_worker(), datetime.now(UTC)
    return [PeriodicJob("heartbeat", HEARTBEAT_EVERY,
                        lambda now: beat(engine, worker, now, started_at=started)),
            PeriodicJob("sweep", SWEEP_EVERY, lambda now: pqrs.sweep(now)),
            PeriodicJob("maintain", MAINTAIN_EVERY, lambda now: purge_expired(engine, now, config.retention)),
            PeriodicJob("board_counts", BOARD_COUNTS_EVERY, lambda _now: fold_changes(engine)),
            PeriodicJob("webhooks", WEBHOOKS_EVERY, lambda now: deliver_webhooks(engine, now, options=hooks))]


@main.command(help="Levanta las alarmas de términos vencidos o por vencer y escala los casos cuyo "
                   "término venció (también lo hace «pqrs worker» cada 5 minutos).")
@click.pass_context
@friendly_errors
def sweep(ctx: click.Context) -> None:
    from ..wiring import build_pqrs

    config = _config(ctx)
    with _engine(config) as engine:
        report = build_pqrs(config, engine=engine, sync=False).sweep()
    click.echo(f"Barrido de términos: {report.cases} casos, {report.alarms} alarmas, "
               f"{report.escalations} escalamientos"
               + (f", {report.conflicts} casos cambiados mientras tanto (quedan para el próximo barrido)."
                  if report.conflicts else "."))


def _report_line(report: DeliveryReport) -> str:
    line = (f"Notificaciones: {report.sent} enviadas, {report.failed} por reintentar, "
            f"{report.given_up} abandonadas, {report.no_recipients} sin destinatarios")
    return line + (f", {report.released} devueltas a la cola." if report.released else ".")


@main.command(help="Envía por correo las notificaciones pendientes, con reintentos, y ejecuta las "
                   "tareas periódicas. Configuración: PQRS_SMTP_* y PQRS_MAIL_*.")
@click.option("--once", is_flag=True, help="Enviar todo lo pendiente una vez y terminar.")
@click.option("--poll", default=5.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Segundos de espera cuando no hay nada que enviar.")
@click.option("--batch", default=50, show_default=True, type=click.IntRange(1, 1000),
              help="Notificaciones que se reservan por lote.")
@click.option("--fetch-mail/--no-fetch-mail", default=None,
              help="Leer también los buzones por IMAP, en un hilo propio (por defecto "
                   "PQRS_WORKER_FETCH_MAIL).")
@click.pass_context
@friendly_errors
def worker(ctx: click.Context, once: bool, poll: float, batch: int, fetch_mail: bool | None) -> None:
    import signal
    import threading
    from datetime import UTC, datetime

    from ..logs import configure_logging
    from ..mail import DeliveryReport, deliver_once, delivery_from_config, delivery_proof, run_worker
    from ..mail.worker import run_due_jobs
    from ..wiring import build_pqrs

    config = _config(ctx)
    configure_logging(config.log_format, config.log_level)
    mail = config.mail
    with _engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=False)
        mailer, options = delivery_from_config(config, pqrs.catalog(), engine)
        options = attrs.evolve(options, on_sent=delivery_proof.recorder(pqrs))
        jobs = periodic_jobs(config, engine)
        click.echo(f"Correo por {mail.smtp_host}:{mail.smtp_port} como {mail.mail_from} "
                   f"(base de datos: {config.describe_database()}).")
        if once:
            run_due_jobs(jobs, datetime.now(UTC), {})  # the sweep first: its alarms go out now too
            total = DeliveryReport()
            while True:  # until a batch comes back short: everything due now has been tried
                report = deliver_once(engine, mailer, datetime.now(UTC), batch, options=options)
                total += report
                if report.claimed < batch:
                    break
            click.echo(_report_line(total))
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        fetcher = None
        if config.mail_in.fetch_in_worker if fetch_mail is None else fetch_mail:
            fetcher = _start_fetcher(config, engine, stop)
        click.echo(f"Esperando notificaciones cada {poll:g} s (Ctrl+C para terminar)...")
        run_worker(engine, mailer, poll, stop, options=options, jobs=jobs, batch=batch,
                   on_report=lambda r: click.echo(_report_line(r)))
        if fetcher is not None:
            fetcher.join()
        click.echo("Trabajador detenido.")


def _start_fetcher(config: Config, engine: Engine, stop: threading.Event) -> threading.Thread:
    """``pqrs mail fetch`` in a thread of the worker: the mailboxes are read while the outbox is
    delivered, each at its own pace (a slow IMAP server never holds back a notification)."""
    import threading

    from pqrs_core.clock import SystemClock

    from ..mail.imap_fetch import run_fetcher
    from ..mail.wiring import mail_intake_from_config
    from .mail import fetch_line

    intake = mail_intake_from_config(config)

    def fetch() -> None:
        with intake:
            run_fetcher(engine, intake, config.mail_in, SystemClock().now, stop,
                        poll_seconds=float(config.mail_in.fetch_poll),
                        on_report=lambda r: click.echo(fetch_line(r)))

    thread = threading.Thread(target=fetch, name="pqrs-mail-fetch", daemon=True)
    thread.start()
    click.echo(f"Leyendo también los buzones por IMAP (cada {config.mail_in.fetch_poll} s como máximo).")
    return thread


# ----------------------------------------------------------------------------------------- import
MAX_PRINTED_PROBLEMS = 100


@main.command("import", help="Importa casos históricos desde un archivo JSON Lines (un caso por línea). "
                             "Los casos no notifican a nadie: son historia.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--batch", default=5000, show_default=True, type=click.IntRange(1, 100_000),
              help="Casos por lote; cada lote se escribe en una transacción, completo o nada.")
@click.option("--on-error", type=click.Choice(["abort", "skip"]), default="abort", show_default=True,
              help="Ante una línea con errores: detener la importación (el lote de esa línea no se "
                   "escribe) u omitir la línea y seguir.")
@click.option("--from-line", default=1, show_default=True, type=click.IntRange(1),
              help="Empezar en esta línea (para continuar una importación detenida).")
@click.option("--dry-run", is_flag=True, help="Solo validar: no se escribe nada.")
@click.option("--workers", default=os.cpu_count() or 1, show_default="los núcleos de la máquina",
              type=click.IntRange(1, 64),
              help="Procesos que construyen los casos (1: todo en este proceso); el orden, los radicados "
                   "y los lotes son los mismos.")
@click.pass_context
@friendly_errors
def import_cases(ctx: click.Context, file: Path, file_format: str, batch: int, on_error: str,
                 from_line: int, dry_run: bool, workers: int) -> None:
    import time

    from ..importing.bulk import import_jsonl
    from ..wiring import build_pqrs

    config = _config(ctx)
    began = time.perf_counter()
    with _engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=False)
        with click.progressbar(length=file.stat().st_size, label="Importando", file=sys.stderr,
                               show_eta=True) as bar:
            report = import_jsonl(pqrs, engine, file, batch_size=batch, stop_on_error=on_error == "abort",
                                  dry_run=dry_run, start_line=from_line, progress=bar.update,
                                  workers=workers)
    seconds = time.perf_counter() - began
    for problem in report.problems[:MAX_PRINTED_PROBLEMS]:
        click.echo(f"Error en la {problem}", err=True)
    if len(report.problems) > MAX_PRINTED_PROBLEMS:
        click.echo(f"... y {len(report.problems) - MAX_PRINTED_PROBLEMS} errores más.", err=True)
    rate = f" ({report.imported / seconds:,.0f} casos/s)" if seconds > 0 and report.imported else ""
    if dry_run:
        click.echo(f"Validación: {report.imported} líneas válidas, {report.refused} con errores; "
                   f"no se escribió nada. {seconds:.1f} s.")
    else:
        click.echo(f"Importados: {report.imported} casos y {report.events} eventos en {report.batches} "
                   f"lotes, {seconds:.1f} s{rate}. Líneas omitidas: {report.refused}.")
    if report.conflict is not None:
        _fail(f"el radicado {report.conflict} ya existe: alguien radicó casos durante la importación. "
              f"Vuelva a ejecutarla con --from-line {report.stopped_at}.")
    if report.stopped_at is not None:
        _fail(f"importación detenida en la línea {report.stopped_at}: se escribieron los casos hasta la "
              f"línea {report.written_through}. Corrija la línea y continúe con --from-line "
              f"{report.written_through + 1}, o use --on-error skip.")


main.add_command(account_groups.user)
main.add_command(account_groups.token)
for command in (operations.maintain, operations.backup, operations.restore):
    main.add_command(command)
main.add_command(mail_group.mail)
main.add_command(files_group.files)
main.add_command(customers_group.customers)
main.add_command(archive_group.archive)
