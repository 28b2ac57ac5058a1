"""One intake, one transaction. The core's command handlers each commit their unit of work; the intake
runs several of them (file the case, attach its files, note what it noticed) and writes its log row,
and all of it must be kept or none. ``IntakeTransaction`` hands the handlers the intake's unit of
work with ``commit`` held back until the intake commits, and runs each command in a savepoint, so a
refused one (an attachment of a type not allowed) leaves the others standing."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection

from pqrs_core.domain.errors import DomainError
from pqrs_core.domain.values import Actor
from pqrs_core.ports import UnitOfWork
from pqrs_core.services.handlers import HANDLERS, Deps

from ...sqlalchemy.unit_of_work import SqlUnitOfWork


class _HeldCommit:
    """The unit of work as the handlers see it: everything but ``commit``, which waits."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)

    def commit(self) -> None:
        """Held: the intake commits once, with its log row."""


class IntakeTransaction:
    def __init__(self, uow: SqlUnitOfWork, deps: Deps, actor: Actor) -> None:
        self.uow = uow
        self.deps = deps
        self.actor = actor
        self.held = cast(UnitOfWork, _HeldCommit(uow))

    @property
    def conn(self) -> Connection:
        return self.uow.connection

    def run(self, command: object, actor: Actor | None = None) -> Any:
        """Run ``command`` through its handler in a savepoint; a ``DomainError`` undoes only it."""
        handler = HANDLERS[type(command)]
        savepoint = self.conn.begin_nested()
        seen = len(self.uow.cases.seen)
        try:
            result = handler(command, self.held, self.deps, actor or self.actor)
        except DomainError:
            savepoint.rollback()
            del self.uow.cases.seen[seen:]
            raise
        savepoint.commit()
        return result
