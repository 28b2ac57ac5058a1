"""The ``pqrs`` command: init, demo, serve, cases, show, user, token.

Errors a person can cause (a bad filing number, a case that does not exist, a database that was never
initialised) are printed as Spanish sentences with exit code 1, never as a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pqrs_core.domain.errors import DomainError
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from .config import Config, ConfigError

if TYPE_CHECKING:
    from .demo_data import DemoUser

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str) -> None:
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(1)


def friendly_errors(fn: F) -> F:
    """Turn domain, configuration and database errors into a Spanish message and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.exc import SQLAlchemyError

        from .accounts import AccountError
        from .presentation import error_message

        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            _fail(error_message(exc))
        except (ConfigError, AccountError) as exc:
            _fail(str(exc))
        except SQLAlchemyError as exc:
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            _fail(f"no se pudo usar la base de datos ({detail}). ¿Ejecutó «pqrs init»?")

    return wrapper  # type: ignore[return-value]


def _config(ctx: click.Context) -> Config:
    config: Config = ctx.obj["config"]
    return config


@contextmanager
def _engine(config: Config) -> Iterator[Any]:
    from .app import make_engine

    engine = make_engine(config)
    try:
        yield engine
    finally:
        engine.dispose()


@click.group(help="PQRS: peticiones, quejas, reclamos, sugerencias, denuncias y felicitaciones.")
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
@click.pass_context
@friendly_errors
def init(ctx: click.Context, admin_username: str, admin_password: str | None) -> None:
    from .accounts import generate_password, get_user, save_user
    from .app import build_pqrs, migrate

    config = _config(ctx)
    click.echo(f"Base de datos: {config.describe_database()}")
    migrate(config)
    click.echo("Esquema de la base de datos al día (migraciones aplicadas).")
    with _engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=True)
        catalog = pqrs.catalog()
        click.echo(f"Catálogo sincronizado: {len(catalog.kinds)} tipos, {len(catalog.typifications)} "
                   f"tipificaciones, {len(catalog.workflows)} flujos de trabajo.")
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

    from pqrs_core.clock import FrozenClock

    from .accounts import get_user
    from .app import build_pqrs
    from .demo import create_demo_users, load_demo, state_summary
    from .demo_data import DEMO_USERS

    config = _config(ctx)
    with _engine(config) as engine:
        clock = FrozenClock(datetime.now(UTC))  # the demo moves it through the last 90 days
        pqrs = build_pqrs(config, engine=engine, clock=clock, sync=True)
        existing = pqrs.count()
        if existing and if_empty and not force:
            click.echo(f"La base de datos ya tiene {existing} casos: no se cargan datos de demostración.")
            if get_user(engine, DEMO_USERS[0].username) is not None:
                _print_logins(DEMO_USERS)
            return
        if existing and not force:
            _fail(f"la base de datos ya tiene {existing} casos; use --force para cargar más de todos modos.")
        users = create_demo_users(engine)
        click.echo(f"Cargando {count} casos de demostración (semilla {seed})...")
        result = load_demo(pqrs, clock, count=count, seed=seed, timezone=config.timezone)
        click.echo(f"Casos en la base de datos: {result.cases} "
                   f"({result.requesters} peticionarios distintos).")
        for label, number in state_summary(pqrs, result.by_state):
            click.echo(f"  {label:<42} {number:>5}")
    _print_logins(users)


def _print_logins(users: Sequence[DemoUser]) -> None:
    from .demo_data import DEMO_PASSWORD

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
    from .app import build_pqrs
    from .flask import create_app

    config = _config(ctx)
    # Sync the catalog once here, not in every worker.
    with _engine(config) as engine:
        build_pqrs(config, engine=engine, sync=True).count()
    click.echo(f"Sirviendo en http://{host}:{port}/  (base de datos: {config.describe_database()})")
    if dev:
        create_app(config, sync_catalog=False).run(host=host, port=port, debug=True)
        return
    from .flask.server import run_gunicorn

    run_gunicorn(lambda: create_app(config, sync_catalog=False), host=host, port=port, workers=workers)


# ------------------------------------------------------------------------------------------ cases
CATEGORY_NAMES = {c.value: c for c in StateCategory}


@main.command(help="Lista los casos, del más reciente al más antiguo.")
@click.option("--state", "states", multiple=True,
              help="Estado (filed, in_progress...) o categoría (todo, doing, waiting, done); repetible.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.pass_context
@friendly_errors
def cases(ctx: click.Context, states: tuple[str, ...], limit: int) -> None:
    from .app import build_pqrs
    from .presentation import Labels

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


def _table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]], max_width: int = 48) -> str:
    def cut(text: str) -> str:
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [tuple(cut(h) for h in headers), *[tuple(cut(v) for v in row) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(v.ljust(widths[i]) for i, v in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- show
@main.command(help="Muestra un caso y su historia.")
@click.argument("filing_number")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, filing_number: str) -> None:
    from .accounts import display_names
    from .app import build_pqrs
    from .presentation import Labels

    config = _config(ctx)
    with _engine(config) as engine:
        pqrs = build_pqrs(config, engine=engine, sync=False)
        case = pqrs.case(filing_number)
        history = pqrs.history(filing_number)
        names = display_names(engine, [case.assignee or "", case.filed_by, *(e.actor for e in history)])
        labels = Labels(pqrs.catalog(), config.timezone, names)
    for line in case_lines(case, labels):
        click.echo(line)
    click.echo("")
    click.echo("Historia:")
    for event in history:
        click.echo(f"  {labels.local(event.occurred_at)}  {labels.user(event.actor)}: "
                   f"{labels.describe(event, case)}")


def case_lines(case: Any, labels: Any) -> list[str]:
    from .presentation import REFERENCE_LABELS

    requester = case.requester
    document = (f"{requester.document_type} {requester.document_number}"
                if requester.document_number else "—")
    fields = [
        ("Radicado", str(case.filing_number)),
        ("Asunto", case.subject),
        ("Tipo", labels.kind(case.kind)),
        ("Estado", f"{labels.state(case)} ({labels.category(case.state_category)})"),
        ("Tipificación", labels.typification(case)),
        ("Motivo", labels.reason(case.reason)),
        ("Prioridad", labels.priority(case.priority)),
        ("Canal", labels.channel(case.channel)),
        ("Cola", labels.queue(case.queue)),
        ("Responsable", labels.user(case.assignee)),
        ("Recibido el", labels.local(case.received_at)),
        ("Radicado el", f"{labels.local(case.filed_at)} por {labels.user(case.filed_by)}"),
        ("Respondido el", labels.local(case.responded_at)),
        ("Cerrado el", labels.local(case.closed_at)),
        ("Peticionario", requester.display_name),
        ("Documento", document),
        ("Correo", requester.email or "—"),
        ("Teléfono", requester.phone or "—"),
        ("Dirección", requester.address or "—"),
    ]
    if case.references:
        fields.append(("Referencias", ", ".join(f"{REFERENCE_LABELS.get(r.kind, r.kind)} {r.number}"
                                                for r in case.references)))
    if case.missing_information:
        fields.append(("Falta", ", ".join(case.missing_information)))
    lines = [f"{name + ':':<15} {value}" for name, value in fields]
    lines += ["", "Descripción:", f"  {case.description}"]
    if case.solution:
        lines += ["", "Solución:", f"  {case.solution}"]
    return lines


# ------------------------------------------------------------------------------------------- user
def _local(config: Config, instant: Any) -> str:
    from zoneinfo import ZoneInfo

    if instant is None:
        return "—"
    return str(instant.astimezone(ZoneInfo(config.timezone)).strftime("%d/%m/%Y %H:%M"))


@main.group(help="Usuarios: crear y listar.")
def user() -> None:
    pass


@user.command("create", help="Crea un usuario con sus roles, colas y patrocinador (red).")
@click.argument("username")
@click.option("--role", "roles", multiple=True, help="Rol (agent, back_office, supervisor...); repetible.")
@click.option("--queue", "queues", multiple=True, help="Cola en la que trabaja (primer_nivel...); repetible.")
@click.option("--sponsor", default=None, help="Usuario que lo patrocina: la persona queda en su red.")
@click.option("--password", default=None, help="Contraseña (si no se da, solo podrá usar tokens).")
@click.option("--display-name", default=None, help="Nombre para mostrar.")
@click.option("--email", default=None)
@click.pass_context
@friendly_errors
def user_create(ctx: click.Context, username: str, roles: tuple[str, ...], queues: tuple[str, ...],
                sponsor: str | None, password: str | None, display_name: str | None,
                email: str | None) -> None:
    from .accounts import get_user, save_user
    from .app import build_pqrs

    config = _config(ctx)
    with _engine(config) as engine:
        catalog = build_pqrs(config, engine=engine, sync=False).catalog()
        known_roles = {r.code for r in catalog.roles} | {"admin"}
        unknown = [r for r in roles if r not in known_roles]
        if catalog.roles and unknown:
            _fail(f"«{unknown[0]}» no es un rol. Roles: {', '.join(sorted(known_roles))}.")
        known_queues = {q.code for q in catalog.queues}
        unknown = [q for q in queues if q not in known_queues]
        if unknown:
            _fail(f"«{unknown[0]}» no es una cola. Colas: {', '.join(sorted(known_queues)) or 'ninguna'}.")
        if get_user(engine, username.strip()) is not None:
            _fail(f"el usuario «{username.strip()}» ya existe.")
        save_user(engine, username, roles=roles, queues=queues, sponsor=sponsor, password=password,
                  display_name=display_name, email=email)
    click.echo(f"Usuario «{username.strip()}» creado (roles: {', '.join(sorted(set(roles))) or 'ninguno'}).")
    if password is None:
        click.echo("Sin contraseña: puede usar la API con un token (pqrs token create --user ...).")


@user.command("list", help="Lista los usuarios.")
@click.pass_context
@friendly_errors
def user_list(ctx: click.Context) -> None:
    from .accounts import list_users

    with _engine(_config(ctx)) as engine:
        users = list_users(engine)
    if not users:
        click.echo("No hay usuarios.")
        return
    rows = [(u.username, u.display_name, ", ".join(u.roles) or "—", ", ".join(u.queues) or "—",
             u.sponsor or "—", "sí" if u.active else "no", "sí" if u.has_password else "no") for u in users]
    click.echo(_table(("Usuario", "Nombre", "Roles", "Colas", "Patrocinador", "Activo", "Contraseña"), rows))


# ------------------------------------------------------------------------------------------ token
@main.group(help="Tokens de la API (Authorization: Bearer ...).")
def token() -> None:
    pass


@token.command("create", help="Crea un token para un usuario y lo muestra una sola vez.")
@click.option("--user", "username", required=True, help="Usuario al que pertenece el token.")
@click.option("--name", default="", help="Para qué es el token (p. ej. «chatbot»).")
@click.pass_context
@friendly_errors
def token_create(ctx: click.Context, username: str, name: str) -> None:
    from .accounts import create_token

    with _engine(_config(ctx)) as engine:
        plaintext = create_token(engine, username.strip(), name)
    click.echo(f"Token para «{username.strip()}» (guárdelo ahora: no se vuelve a mostrar):")
    click.echo(plaintext)


@token.command("list", help="Lista los tokens (nunca su secreto).")
@click.option("--user", "username", default=None, help="Solo los de este usuario.")
@click.pass_context
@friendly_errors
def token_list(ctx: click.Context, username: str | None) -> None:
    from .accounts import list_tokens

    config = _config(ctx)
    with _engine(config) as engine:
        tokens = list_tokens(engine, username)
    if not tokens:
        click.echo("No hay tokens.")
        return
    rows = [(str(t.id), t.username, t.name or "—", t.prefix + "…", _local(config, t.created_at),
             _local(config, t.last_used_at), "revocado" if t.revoked_at else "activo") for t in tokens]
    click.echo(_table(("ID", "Usuario", "Nombre", "Prefijo", "Creado", "Último uso", "Estado"), rows))


@token.command("revoke", help="Revoca un token (deja de funcionar de inmediato).")
@click.argument("token_id", type=int)
@click.pass_context
@friendly_errors
def token_revoke(ctx: click.Context, token_id: int) -> None:
    from .accounts import revoke_token

    with _engine(_config(ctx)) as engine:
        if not revoke_token(engine, token_id):
            _fail(f"no hay un token activo con el ID {token_id}.")
    click.echo(f"Token {token_id} revocado.")


if __name__ == "__main__":  # pragma: no cover
    main()
