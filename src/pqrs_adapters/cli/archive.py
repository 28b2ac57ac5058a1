"""``pqrs archive export``: closed cases' packages for the organisation's archive system (ZIP with the
documents, electronic index and control sheet; ``documents.archive_package``). One case
(``--case``) or every case closed in a range of days in the organisation's zone (``--from``/``--to``),
written one package at a time into ``--out`` (registered on ``pqrs`` by ``commands``)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import click

from pqrs_core.domain.values import SYSTEM_ACTOR, Actor

from .support import fail, friendly_errors, get_config, open_engine


@click.group(help="Expedientes para el sistema de archivo de la organización (tablas de retención "
                  "documental, Ley 594 de 2000).")
def archive() -> None:
    pass


@archive.command("export", help="Exporta el expediente de un caso cerrado (--case) o de todos los casos "
                                "cerrados entre dos fechas (--from y --to, días incluidos, en la zona "
                                "horaria de la organización): un ZIP por caso, con sus documentos, el "
                                "índice electrónico y la hoja de control.")
@click.option("--case", "filing_number", help="Radicado del caso cerrado.")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), help="Primer día de cierre (AAAA-MM-DD).")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), help="Último día de cierre (AAAA-MM-DD).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="Carpeta donde se escriben los paquetes.")
@click.option("--user", "username", help="Exportar como esta persona (ve solo sus casos); sin él, con "
                                        "todos los permisos.")
@click.pass_context
@friendly_errors
def export(ctx: click.Context, filing_number: str | None, first: datetime | None, last: datetime | None,
           out: Path, username: str | None) -> None:
    from pqrs_core.services.archive_export import case_files, closed_between, closing_range, may_export

    from ..accounts import load_actor
    from ..documents.archive_package import package_name, writer_for
    from ..wiring import build_pqrs

    if bool(filing_number) == (first is not None or last is not None):
        fail("indique --case, o --from y --to")
    if filing_number is None and (first is None or last is None):
        fail("indique --from y --to")
    out.mkdir(parents=True, exist_ok=True)
    config = get_config(ctx)
    with open_engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=False)
        actor = load_actor(engine, username) if username else Actor(SYSTEM_ACTOR, frozenset({"admin"}))
        if actor is None:
            fail(f"no existe el usuario «{username}»")
        may_export(pqrs, actor)
        if filing_number:
            numbers: Iterable[str] = [filing_number]
        else:
            assert first is not None and last is not None
            start, end = closing_range(first.date(), last.date(), config.timezone)
            numbers = closed_between(pqrs, start, end, actor)
        writer, written = writer_for(pqrs), 0
        for record in case_files(pqrs, numbers, actor):
            target = out / package_name(str(record.case.filing_number))
            # Written beside its final name, then renamed: a package in the folder is always whole.
            with tempfile.NamedTemporaryFile(dir=out, suffix=".part", delete=False) as part:
                try:
                    entries = writer.write(record, part)
                except BaseException:
                    os.unlink(part.name)
                    raise
            os.replace(part.name, target)
            written += 1
            click.echo(f"{target}: {len(entries)} documentos.")
    click.echo(f"{written} expedientes exportados." if written != 1 else "1 expediente exportado.")
