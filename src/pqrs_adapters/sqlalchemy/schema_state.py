"""Whether a database holds the schema this version of pqrs expects, checked before it is used, so
that a database nobody initialised reads as such instead of a driver's "no such table"."""

from __future__ import annotations

from sqlalchemy import Engine

from .migrate import alembic_config


class StoreNotMigrated(RuntimeError):
    """The database has no pqrs schema, or another version of it than this pqrs expects.

    Run ``pqrs init`` (or ``pqrs_adapters.migrate(url)``, or ``open_pqrs(url, migrate=True)``) to
    create or upgrade it. ``current`` holds the database's schema revisions (empty: none),
    ``expected`` those of this pqrs. The message is in Spanish, for the person who runs the program.
    """

    def __init__(self, database: str, current: tuple[str, ...], expected: tuple[str, ...]) -> None:
        self.database, self.current, self.expected = database, current, expected
        if set(current) - set(known_revisions()):
            super().__init__(f"La base de datos {database} tiene un esquema más reciente que este pqrs "
                             f"(versión {', '.join(current)}): lo actualizó una versión posterior de pqrs. "
                             "Use esa versión o una más reciente; esta no la modifica.")
            return
        state = ("no tiene el esquema de pqrs (nunca se inicializó)" if not current
                 else f"tiene un esquema desactualizado (versión {', '.join(current)})")
        super().__init__(f"La base de datos {database} {state}. Ejecute «pqrs init» (o "
                         "pqrs_adapters.migrate) para crear o actualizar el esquema.")


def _script_heads() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(sorted(ScriptDirectory.from_config(alembic_config("")).get_heads()))


def known_revisions() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(r.revision for r in ScriptDirectory.from_config(alembic_config("")).walk_revisions())


def current_revisions(engine: Engine) -> tuple[str, ...]:
    """The schema revisions the database is at (empty when it has no pqrs schema)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


def check_schema(engine: Engine, database: str | None = None) -> None:
    """Raise ``StoreNotMigrated`` unless the database at ``engine`` has this pqrs's newest schema.

    :param database: how to name the database in the message (default: its URL, password hidden).
    """
    current, expected = current_revisions(engine), _script_heads()
    if current != expected:
        name = database or engine.url.render_as_string(hide_password=True)
        raise StoreNotMigrated(name, current, expected)
