"""``BulkInsert``: one ``INSERT`` compiled once, for many rows; ``BulkUpdate``: one ``UPDATE`` of many
rows by key and version.

SQLAlchemy's ``conn.execute(insert(table), rows)`` builds the parameters of every row through its
execution context: per row and column a dictionary lookup, a bind processor and bookkeeping, which cost
more than the database's own work when a batch holds thousands of rows. Here the statement is compiled
once per dialect and each row becomes the driver's parameters with the columns' own bind processors
(the same conversions as any other write: UTC instants, JSON).

How the rows reach the database:

- SQLite (in the process, no round trips): the driver's ``executemany`` of the one statement.
- PostgreSQL: ``executemany`` would still send one statement per row (psycopg pipelines them, but the
  server parses, plans and runs each). ``insert`` and ``BulkUpdate.execute`` send one statement for the
  whole batch instead, with the rows as one JSON parameter read by ``json_to_recordset`` (``INSERT ...
  SELECT ... FROM json_to_recordset(%s)``, ``UPDATE ... FROM json_to_recordset(%s) AS v WHERE id = v.id
  AND version = v.version``): the SQL text is the same whatever the number of rows, and encoding the
  batch is one call of the C JSON encoder (psycopg escapes the elements of array parameters one by one
  in Python). The values are the bound values (UTC instants; JSON columns as they are, a JSON column
  that keeps ``None`` as JSON ``null`` gets ``null``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import JSON, ColumnClause, Connection, Dialect, TableClause, insert

Processor = Callable[[Any], Any] | None


def _processor(column: ColumnClause[Any], dialect: Dialect) -> Processor:
    return column.type.dialect_impl(dialect).bind_processor(dialect)


class _Recordset:
    """``json_to_recordset`` of rows with the bound values of ``columns`` (PostgreSQL): the ``AS v(...)``
    definition, the expression that reads each column from ``v``, and the JSON parameter of some rows."""

    def __init__(self, table: TableClause, columns: Sequence[tuple[str, str]], dialect: Dialect) -> None:
        """``columns``: (the name in the rows and in ``v``, the column of ``table`` it is typed as)."""
        quote = dialect.identifier_preparer.quote
        self.names = [name for name, _typed in columns]
        self.prepare: list[Processor] = []
        definitions, self.reads = [], []
        for name, typed in columns:
            impl = table.c[typed].type.dialect_impl(dialect)
            definitions.append(f"{quote(name)} {dialect.type_compiler_instance.process(impl)}")
            if isinstance(impl, JSON):
                self.prepare.append(None)  # the value itself, inside the JSON parameter
                self.reads.append(f"v.{quote(name)}" if impl.none_as_null
                                  else f"coalesce(v.{quote(name)}, 'null'::jsonb)")
            else:
                self.prepare.append(_processor(table.c[typed], dialect))
                self.reads.append(f"v.{quote(name)}")
        self.source = f"json_to_recordset(%s::json) AS v({', '.join(definitions)})"

    def parameter(self, rows: Sequence[Mapping[str, Any]]) -> str:
        prepared = [{name: _json_value(row[name], process)
                     for name, process in zip(self.names, self.prepare, strict=True)} for row in rows]
        return json.dumps(prepared, ensure_ascii=False, separators=(",", ":"))


def _json_value(value: Any, process: Processor) -> Any:
    if process is not None:
        value = process(value)
    return value.isoformat() if isinstance(value, date) else value  # datetimes too (a subclass)


class BulkInsert:
    def __init__(self, table: TableClause, columns: Sequence[str], dialect: Dialect) -> None:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
        self.sql = compiled.string
        self.positional = compiled.positional
        # The bind names in the order the driver takes them (positional styles) or by name.
        names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
        known = set(columns)
        if set(names) != known:
            raise ValueError(f"the statement binds {sorted(names)}, not the columns {sorted(known)}")
        self.names = names
        self.processors: list[Processor] = [_processor(table.c[name], dialect) for name in names]
        self.recordset: _Recordset | None = None
        if dialect.name == "postgresql":
            self.recordset = _Recordset(table, [(name, name) for name in names], dialect)
            quote = dialect.identifier_preparer.quote
            self.recordset_sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
                                  f"({', '.join(quote(name) for name in names)}) "
                                  f"SELECT {', '.join(self.recordset.reads)} FROM {self.recordset.source}")

    def values(self, row: Mapping[str, Any]) -> Any:
        """The driver's parameters of one row (a mapping with every column of the statement): a tuple
        in the statement's order for positional styles, a dictionary otherwise."""
        if self.positional:
            return tuple(row[name] if process is None else process(row[name])
                         for name, process in zip(self.names, self.processors, strict=True))
        return {name: row[name] if process is None else process(row[name])
                for name, process in zip(self.names, self.processors, strict=True)}

    def execute(self, conn: Connection, parameters: Sequence[Any]) -> None:
        """Insert rows already turned into parameters (``values``)."""
        if parameters:
            conn.exec_driver_sql(self.sql, list(parameters))

    def insert(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` (mappings with every column of the statement): one statement on PostgreSQL."""
        if not rows:
            return
        if self.recordset is None:
            self.execute(conn, [self.values(row) for row in rows])
        else:
            conn.exec_driver_sql(self.recordset_sql, (self.recordset.parameter(rows),))


class BulkUpdate:
    """``UPDATE table SET <columns> = v.<columns>, version = version + 1 [, <extra>] FROM
    json_to_recordset(...) AS v WHERE table.key = v.key AND table.version = v.version`` (PostgreSQL): the
    rows are mappings with the columns, the key and the version (named ``key_name`` and
    ``version_name``) and the value ``extra`` (name, column it is typed as, an SQL ``SET`` clause over
    ``v``) reads. ``execute`` returns how many rows matched."""

    def __init__(self, table: TableClause, columns: Sequence[str], dialect: Dialect, *, key: str,
                 key_name: str, version_name: str, extra: tuple[str, str, str] | None = None) -> None:
        if dialect.name != "postgresql":
            raise ValueError("one UPDATE of many rows is written for PostgreSQL")
        preparer = dialect.identifier_preparer
        quote = preparer.quote
        target = preparer.format_table(table)
        binds = [(key_name, key), (version_name, "version"), *((name, name) for name in columns)]
        if extra is not None:
            binds.append(extra[:2])
        self.recordset = _Recordset(table, binds, dialect)
        reads = dict(zip(self.recordset.names, self.recordset.reads, strict=True))
        sets = [f"{quote(name)} = {reads[name]}" for name in columns]
        sets.append(f"version = {target}.version + 1")
        if extra is not None:
            sets.append(extra[2])
        self.sql = (f"UPDATE {target} SET {', '.join(sets)} FROM {self.recordset.source} "
                    f"WHERE {target}.{quote(key)} = v.{quote(key_name)} "
                    f"AND {target}.version = v.{quote(version_name)}")

    def execute(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
        if not rows:
            return 0
        return int(conn.exec_driver_sql(self.sql, (self.recordset.parameter(rows),)).rowcount)
