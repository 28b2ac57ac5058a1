"""SQLite counts kept by triggers on ``cases``: how many cases not deleted there are for each
combination of some of their values (``summary_schema``'s monthly counts, ``board_schema``'s board
counts). A case inserted adds one; an update of a watched column moves its one from the old
combination to the new; a delete removes it. And how every kept count's triggers follow
``metadata.create_all`` (``attach_triggers``).
"""

from __future__ import annotations

from collections.abc import Sequence


def sqlite_counts(table: str, definition: str, keys: Sequence[tuple[str, str]],
                  watched: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The statements that create ``table`` (``definition``: its column definitions) and its triggers,
    and those that drop them. ``keys``: each key column with the expression of its value, ``{row}``
    standing for ``new`` or ``old``; ``watched``: the columns of ``cases`` whose update moves a case."""
    columns = ", ".join(name for name, _value in keys)

    def values(row: str) -> str:
        return ", ".join(value.format(row=row) for _name, value in keys)

    def matches(row: str) -> str:
        return " AND ".join(f"{name} = {value.format(row=row)}" for name, value in keys)

    add = (f"INSERT INTO {table} ({columns}, cases) SELECT {values('new')}, 1 "
           "WHERE new.deleted_at IS NULL "
           f"ON CONFLICT ({columns}) DO UPDATE SET cases = cases + 1;")
    remove = f"UPDATE {table} SET cases = cases - 1 WHERE old.deleted_at IS NULL AND {matches('old')};"
    changed = " OR ".join(f"old.{k} IS NOT new.{k}" for k in watched)
    create = (
        f"CREATE TABLE {table} (\n{definition}\n  cases INTEGER NOT NULL,\n  PRIMARY KEY ({columns})\n)",
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON cases BEGIN\n  {add}\nEND",
        f"CREATE TRIGGER {table}_update AFTER UPDATE OF {', '.join(watched)} ON cases\n"
        f"WHEN {changed} BEGIN\n  {remove}\n  {add}\nEND",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON cases BEGIN\n  {remove}\nEND",
    )
    drop = (*(f"DROP TRIGGER IF EXISTS {table}_{what}" for what in ("insert", "update", "delete")),
            f"DROP TABLE IF EXISTS {table}")
    return create, drop


def key_value(name: str, nullable: bool) -> tuple[str, str]:
    """A key column copied from the case's column of the same name ('' for NULL when ``nullable``)."""
    return name, f"coalesce({{row}}.{name}, '')" if nullable else f"{{row}}.{name}"
