"""Many rows into one table at once, compiled once: ``BulkInsert`` (``executemany``, SQLite) and
``BulkCopy`` (``COPY ... FROM STDIN``, PostgreSQL); ``bulk_writer`` picks the one for a dialect.

SQLAlchemy's ``conn.execute(insert(table), rows)`` builds the parameters of every row through its
execution context: per row and column a dictionary lookup, a bind processor and bookkeeping, which cost
more than the database's own work when a batch holds thousands of rows. Here each row is turned into
what the driver takes once, by a writer made once per table and dialect, and then the rows go to the
database all at once. Both writers have the same two steps, so the turning (``values``) may happen in
another process than the writing (``execute``):

- ``BulkInsert.values`` gives the driver's parameters with the columns' own bind processors (the same
  conversions as any other write: UTC instants, JSON), except the store's instants on SQLite, which
  have a direct equivalent of the dialect's processor (``sqlite_instant``: the three calls per value of
  the type's decorator and the dialect's ``%``-formatting were a tenth of an import's CPU time).
- ``BulkCopy.values`` gives the row as a line of ``COPY``'s text format: text escaped, ``\\N`` for
  NULL, instants in ISO 8601 with their offset, JSON as text. A string pickles and travels between
  processes for a fraction of what psycopg's ``Jsonb`` wrappers cost, and ``COPY`` takes a batch as one
  stream instead of one parameter set per row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import JSON, Connection, Dialect, TableClause, insert

from .tables import UTCDateTime


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
