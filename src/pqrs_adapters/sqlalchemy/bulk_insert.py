"""``BulkInsert``: one ``INSERT`` compiled once, for many rows, through the driver's ``executemany``.

SQLAlchemy's ``conn.execute(insert(table), rows)`` builds the parameters of every row through its
execution context: per row and column a dictionary lookup, a bind processor and bookkeeping, which cost
more than the database's own work when a batch holds thousands of rows. Here the statement is compiled
once per dialect and each row becomes the driver's parameters with the columns' own bind processors
(the same conversions as any other write: UTC instants, JSON), then ``exec_driver_sql`` hands them all
to the driver at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, TableClause, insert


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
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]

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
