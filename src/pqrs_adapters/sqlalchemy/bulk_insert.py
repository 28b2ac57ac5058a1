"""Many rows into one table at once, each statement compiled once: ``BulkInsert`` (``executemany`` on
SQLite, one ``INSERT ... SELECT FROM json_to_recordset`` on PostgreSQL), ``BulkCopy`` (``COPY ... FROM
STDIN``, PostgreSQL's bulk import) and ``BulkUpdate`` (one ``UPDATE`` of many rows by key and version,
PostgreSQL); ``bulk_writer`` picks the import's writer for a dialect.

SQLAlchemy's ``conn.execute(insert(table), rows)`` builds the parameters of every row through its
execution context: per row and column a dictionary lookup, a bind processor and bookkeeping, which cost
more than the database's own work when a batch holds thousands of rows. Here each row is turned into
what the driver takes once, by a writer made once per table and dialect, and then the rows go to the
database all at once. The import's writers have two steps, so the turning (``values``) may happen in
another process than the writing (``execute``):

- ``BulkInsert.values`` gives the driver's parameters with the columns' own bind processors (the same
  conversions as any other write: UTC instants, JSON), except the store's instants on SQLite, which
  have a direct equivalent of the dialect's processor (``sqlite_instant``: the three calls per value of
  the type's decorator and the dialect's ``%``-formatting were a tenth of an import's CPU time).
- ``BulkCopy.values`` gives the row as a line of ``COPY``'s text format: text escaped, ``\\N`` for
  NULL, instants in ISO 8601 with their offset, JSON as text. A string pickles and travels between
  processes for a fraction of what psycopg's ``Jsonb`` wrappers cost, and ``COPY`` takes a batch as one
  stream instead of one parameter set per row.

The repository's writes (``BulkInsert.insert``, ``BulkUpdate.execute``) on PostgreSQL send one statement
for the whole batch, with the rows as one JSON parameter read by ``json_to_recordset``: ``executemany``
would still send one statement per row (psycopg pipelines them, but the server parses, plans and runs
each); the SQL text is the same whatever the number of rows, and encoding the batch is one call of the C
JSON encoder. The values are the bound values (UTC instants; JSON columns as they are, a JSON column
that keeps ``None`` as JSON ``null`` gets ``null``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import JSON, ColumnClause, Connection, Dialect, TableClause, insert

from .tables import UTCDateTime

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


class BulkWriter(Protocol):
    def values(self, row: Mapping[str, Any]) -> Any: ...

    def execute(self, conn: Connection, rows: Sequence[Any]) -> None: ...


def bulk_writer(table: TableClause, columns: Sequence[str], dialect: Dialect) -> BulkWriter:
    """``BulkCopy`` on PostgreSQL (psycopg), ``BulkInsert`` elsewhere."""
    if dialect.name == "postgresql":
        return BulkCopy(table, columns, dialect)
    return BulkInsert(table, columns, dialect)


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
        self.processors: list[Callable[[Any], Any] | None] = [
            _bind_processor(table.c[name].type, dialect) for name in names]
        self._get = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
        self._processed = [(i, process) for i, process in enumerate(self.processors) if process is not None]
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
        found = list(self._get(row))
        for i, process in self._processed:
            found[i] = process(found[i])
        if self.positional:
            return tuple(found)
        return dict(zip(self.names, found, strict=True))

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


def _bind_processor(type_: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    if dialect.name == "sqlite" and isinstance(type_, UTCDateTime):
        return sqlite_instant
    processor: Callable[[Any], Any] | None = type_.dialect_impl(dialect).bind_processor(dialect)
    return processor


def sqlite_instant(value: datetime | None) -> str | None:
    """What ``UTCDateTime`` and SQLite's ``DATETIME`` together bind for ``value``: naive UTC text with
    microseconds, ``2025-03-03 14:15:00.000000``."""
    if value is None:
        return None
    return utc(value).isoformat(" ", "microseconds")[:26]


def utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive one is refused, as ``UTCDateTime`` refuses it."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: the store only takes timezone-aware instants")
    return value.astimezone(UTC)


# ---------------------------------------------------------------------------------------- COPY
# COPY's text format: a backslash, tab, newline and carriage return are written escaped, NULL is ``\N``.
NULL = "\\N"
# JSON as PostgreSQL reads it back into ``jsonb`` (the text itself is not kept): letters as they are,
# no spaces. Its text holds no tab or line break (JSON escapes them), only backslashes to double.
_json_text = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def copy_text(value: str) -> str:
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def copy_value(value: Any) -> str:
    """One non-JSON value in COPY's text format."""
    encode = _COPY_BY_TYPE.get(type(value))
    if encode is not None:
        return encode(value)
    if value is None:
        return NULL
    if isinstance(value, datetime):
        return _copy_instant(value)
    if isinstance(value, str):
        return copy_text(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no COPY text for {type(value).__name__}")


def _copy_instant(value: datetime) -> str:
    return utc(value).isoformat()


_COPY_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: copy_text, int: str, float: repr, bool: lambda b: "t" if b else "f", datetime: _copy_instant,
    date: date.isoformat, Decimal: str, type(None): lambda _none: NULL,
}


def _copy_json(none_as_null: bool) -> Callable[[Any], str]:
    def encode(value: Any) -> str:
        if value is None and none_as_null:
            return NULL
        return _json_text(value).replace("\\", "\\\\")

    return encode


class BulkCopy:
    """Rows as lines of ``COPY``'s text format, written with psycopg's ``cursor.copy``."""

    def __init__(self, table: TableClause, columns: Sequence[str], dialect: Dialect) -> None:
        self.names = list(columns)
        preparer = dialect.identifier_preparer
        self.sql = (f"COPY {preparer.format_table(table)} "
                    f"({', '.join(preparer.quote(name) for name in self.names)}) FROM STDIN")
        self._get = itemgetter(*self.names) if len(self.names) > 1 else (lambda row: (row[self.names[0]],))
        self._encoders: list[Callable[[Any], str]] = []
        for name in self.names:
            type_ = table.c[name].type
            impl = type_.dialect_impl(dialect)
            if isinstance(impl, JSON):
                self._encoders.append(_copy_json(bool(impl.none_as_null)))
            else:
                self._encoders.append(copy_value)

    def values(self, row: Mapping[str, Any]) -> str:
        """The row as one line of COPY text, its newline included."""
        values = self._get(row)
        return "\t".join([encode(value) for encode, value in zip(self._encoders, values, strict=True)]) + "\n"

    def execute(self, conn: Connection, lines: Sequence[str]) -> None:
        """Copy rows already turned into lines (``values``)."""
        if not lines:
            return
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor.copy(self.sql) as copy:
                copy.write("".join(lines))
        finally:
            cursor.close()
