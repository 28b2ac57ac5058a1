"""``pqrs files``: the attachments' store: copy every file from one store to the other (``move``, to
go from the local folder to the database when a second host joins, or back) and verify the configured
one (``check``) (registered on ``pqrs`` by ``commands``)."""

from __future__ import annotations

import click

from ..config import FILE_STORES
from .support import fail, friendly_errors, get_config, open_engine

_STORE = click.Choice(FILE_STORES)
_NAMES = {"local": "la carpeta local", "database": "la base de datos"}


@click.group(help="Almacén de los adjuntos: la carpeta local (PQRS_FILES_DIR) o la base de datos "
                  "(PQRS_FILE_STORE=database, para varios servidores).")
def files() -> None:
    pass


@files.command("move", help="Copia los adjuntos de un almacén al otro y verifica cada copia (SHA-256). Se "
                            "puede repetir: lo ya copiado no se vuelve a copiar, y una copia interrumpida "
                            "se completa al ejecutarla otra vez.")
@click.option("--from", "source", type=_STORE, required=True, help="Almacén de origen.")
@click.option("--to", "target", type=_STORE, required=True, help="Almacén de destino.")
@click.option("--remove-source", is_flag=True,
              help="Borrar del origen cada archivo ya verificado en el destino (hágalo cuando todos los "
                   "servidores usen el destino).")
@click.pass_context
@friendly_errors
def move(ctx: click.Context, source: str, target: str, remove_source: bool) -> None:
    from ..files import file_store
    from ..files.moving import move_files

    if source == target:
        fail("el origen y el destino son el mismo almacén")
    config = get_config(ctx)
    with open_engine(config) as engine:
        report = move_files(file_store(config, engine, kind=source), file_store(config, engine, kind=target),
                            remove_source=remove_source)
    click.echo(f"De {_NAMES[source]} a {_NAMES[target]}: {report.copied} archivos copiados y verificados, "
               f"{report.present} ya estaban en el destino"
               + (f", {report.removed} borrados del origen." if remove_source else "."))
    if report.failed:
        fail(f"{len(report.failed)} archivos del origen no coinciden con su SHA-256 y no se copiaron: "
             + ", ".join(report.failed[:10]) + (" …" if len(report.failed) > 10 else ""))


@files.command("check", help="Lee todos los adjuntos del almacén configurado, verifica su SHA-256 y busca "
                             "los que la base de datos nombra y faltan.")
@click.pass_context
@friendly_errors
def check(ctx: click.Context) -> None:
    from ..files import file_store
    from ..files.moving import check_files
    from ..sqlalchemy.file_references import referenced_keys

    config = get_config(ctx)
    with open_engine(config) as engine:
        report = check_files(file_store(config, engine), referenced_keys(engine))
    click.echo(f"Almacén: {_NAMES[config.file_store]}. {report.stored} archivos; {report.unreferenced} sin "
               f"caso ni mensaje que los nombre.")
    problems = []
    if report.damaged:
        problems.append(f"{len(report.damaged)} dañados (su contenido no es su SHA-256): "
                        + ", ".join(report.damaged[:10]))
    if report.missing:
        problems.append(f"{len(report.missing)} nombrados en la base de datos y ausentes: "
                        + ", ".join(report.missing[:10]))
    if problems:
        fail("; ".join(problems))
    click.echo("Todos los archivos están completos.")
