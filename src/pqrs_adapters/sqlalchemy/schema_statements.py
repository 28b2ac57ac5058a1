"""The statements a dialect needs beyond ``tables.metadata`` (triggers, functions, full-text tables,
partial indexes of one database), run as ``metadata.create_all`` and ``metadata.drop_all`` go."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, MetaData, Table, event


def attach_statements(target: Table | MetaData, create: Mapping[str, Sequence[str]],
                      drop: Mapping[str, Sequence[str]]) -> None:
    """Run the dialect's ``create`` statements after ``target`` is created (``metadata.create_all``;
    for the metadata, after every table) and its ``drop`` statements before it is dropped."""

    def after_create(_target: Table | MetaData, connection: Connection, **_kw: Any) -> None:
        for statement in create.get(connection.dialect.name, ()):
            connection.exec_driver_sql(statement)

    def before_drop(_target: Table | MetaData, connection: Connection, **_kw: Any) -> None:
        for statement in drop.get(connection.dialect.name, ()):
            connection.exec_driver_sql(statement)

    event.listen(target, "after_create", after_create)
    event.listen(target, "before_drop", before_drop)
