"""``pqrs maintain``, ``pqrs backup`` and ``pqrs restore``: keeping a running store tidy and safe
(registered on ``pqrs`` by ``commands``)."""

from __future__ import annotations

from pathlib import Path

import click

from .support import fail, friendly_errors, get_config, open_engine


@click.command(help="Borra lo vencido, por lotes: claves de idempotencia, contadores de intentos, sesiones "
                   "inactivas y notificaciones ya entregadas (también lo hace «pqrs worker» cada hora). "
                   "Plazos: PQRS_KEEP_*.")
@click.pass_context
@friendly_errors
def maintain(ctx: click.Context) -> None:
    from datetime import UTC, datetime

    from ..sqlalchemy.retention import purge_expired

    config = get_config(ctx)
    with open_engine(config) as engine:
        report = purge_expired(engine, datetime.now(UTC), config.retention)
    click.echo(f"Mantenimiento: {report.idempotency_keys} claves de idempotencia, {report.rate_limits} "
               f"contadores de intentos, {report.sessions} sesiones inactivas, {report.sent_mail} "
               f"notificaciones entregadas y {report.webhooks} entregas de webhooks borradas.")


@click.command(help="Copia de seguridad de la base de datos y de los adjuntos en un solo archivo .tar.gz, "
                    "coherente aunque la aplicación siga atendiendo.")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
@friendly_errors
def backup(ctx: click.Context, destination: Path) -> None:
    from ..backup import BackupError
    from ..backup import backup as make_backup

    config = get_config(ctx)
    with open_engine(config) as engine:
        try:
            report = make_backup(config, engine, destination)
        except BackupError as exc:
            fail(str(exc))
    click.echo(f"Copia de seguridad en {report.path}: {report.cases} casos y {report.files} archivos "
               f"({report.size / 1_048_576:.1f} MB).")


@click.command(help="Restaura una copia de «pqrs backup» en la base de datos y la carpeta de adjuntos "
                    "configuradas (detenga antes la aplicación y el trabajador).")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Reemplazar lo que tenga la base de datos (si no está vacía).")
@click.pass_context
@friendly_errors
def restore(ctx: click.Context, source: Path, replace: bool) -> None:
    from ..backup import BackupError
    from ..backup import restore as restore_backup

    config = get_config(ctx)
    with open_engine(config, checked=False) as engine:
        try:
            report = restore_backup(config, engine, source, replace=replace)
        except BackupError as exc:
            fail(str(exc))
    click.echo(f"Restaurados {report.cases} casos y {report.files} archivos"
               + (" (esquema actualizado a esta versión)." if report.schema_upgraded else "."))
