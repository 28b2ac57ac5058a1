"""``pqrs user`` and ``pqrs token``: people and the API tokens machines use (registered on ``pqrs``
by ``pqrs_adapters.cli``)."""

from __future__ import annotations

import click

from .support import fail, friendly_errors, get_config, local_time, open_engine, table


@click.group(help="Usuarios: crear y listar.")
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
    from ..accounts import get_user, save_user
    from ..wiring import build_pqrs

    config = get_config(ctx)
    with open_engine(config) as engine:
        catalog = build_pqrs(config, engine=engine, sync=False).catalog()
        known_roles = {r.code for r in catalog.roles} | {"admin"}
        unknown = [r for r in roles if r not in known_roles]
        if catalog.roles and unknown:
            fail(f"«{unknown[0]}» no es un rol. Roles: {', '.join(sorted(known_roles))}.")
        known_queues = {q.code for q in catalog.queues}
        unknown = [q for q in queues if q not in known_queues]
        if unknown:
            fail(f"«{unknown[0]}» no es una cola. Colas: {', '.join(sorted(known_queues)) or 'ninguna'}.")
        if get_user(engine, username.strip()) is not None:
            fail(f"el usuario «{username.strip()}» ya existe.")
        save_user(engine, username, roles=roles, queues=queues, sponsor=sponsor, password=password,
                  display_name=display_name, email=email)
    click.echo(f"Usuario «{username.strip()}» creado (roles: {', '.join(sorted(set(roles))) or 'ninguno'}).")
    if password is None:
        click.echo("Sin contraseña: puede usar la API con un token (pqrs token create --user ...).")


@user.command("list", help="Lista los usuarios.")
@click.pass_context
@friendly_errors
def user_list(ctx: click.Context) -> None:
    from ..accounts import list_users

    with open_engine(get_config(ctx)) as engine:
        users = list_users(engine)
    if not users:
        click.echo("No hay usuarios.")
        return
    rows = [(u.username, u.display_name, ", ".join(u.roles) or "—", ", ".join(u.queues) or "—",
             u.sponsor or "—", "sí" if u.active else "no", "sí" if u.has_password else "no") for u in users]
    click.echo(table(("Usuario", "Nombre", "Roles", "Colas", "Patrocinador", "Activo", "Contraseña"), rows))


# ------------------------------------------------------------------------------------------ token
@click.group(help="Tokens de la API (Authorization: Bearer ...).")
def token() -> None:
    pass


@token.command("create", help="Crea un token para un usuario y lo muestra una sola vez.")
@click.option("--user", "username", required=True, help="Usuario al que pertenece el token.")
@click.option("--name", default="", help="Para qué es el token (p. ej. «chatbot»).")
@click.pass_context
@friendly_errors
def token_create(ctx: click.Context, username: str, name: str) -> None:
    from ..accounts import create_token

    with open_engine(get_config(ctx)) as engine:
        plaintext = create_token(engine, username.strip(), name)
    click.echo(f"Token para «{username.strip()}» (guárdelo ahora: no se vuelve a mostrar):")
    click.echo(plaintext)


@token.command("list", help="Lista los tokens (nunca su secreto).")
@click.option("--user", "username", default=None, help="Solo los de este usuario.")
@click.pass_context
@friendly_errors
def token_list(ctx: click.Context, username: str | None) -> None:
    from ..accounts import list_tokens

    config = get_config(ctx)
    with open_engine(config) as engine:
        tokens = list_tokens(engine, username)
    if not tokens:
        click.echo("No hay tokens.")
        return
    rows = [(str(t.id), t.username, t.name or "—", t.prefix + "…", local_time(config, t.created_at),
             local_time(config, t.last_used_at), "revocado" if t.revoked_at else "activo") for t in tokens]
    click.echo(table(("ID", "Usuario", "Nombre", "Prefijo", "Creado", "Último uso", "Estado"), rows))


@token.command("revoke", help="Revoca un token (deja de funcionar de inmediato).")
@click.argument("token_id", type=int)
@click.pass_context
@friendly_errors
def token_revoke(ctx: click.Context, token_id: int) -> None:
    from ..accounts import revoke_token

    with open_engine(get_config(ctx)) as engine:
        if not revoke_token(engine, token_id):
            fail(f"no hay un token activo con el ID {token_id}.")
    click.echo(f"Token {token_id} revocado.")
