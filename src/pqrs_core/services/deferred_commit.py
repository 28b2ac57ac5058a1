"""``DeferredCommit``: a unit of work seen by several commands' handlers as their own, so that what
they do is committed once, by the caller, or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Self

from ..domain.events import DomainEvent
from ..ports import (
    AssignmentStore,
    CaseRepository,
    CatalogStore,
    NumberAllocator,
    Outbox,
    OutgoingNumbers,
    RateCounter,
    UnitOfWork,
    VoidingStore,
)


class DeferredCommit:
    """``uow`` whose ``commit`` does nothing: the handlers run through it write in ``uow``'s transaction,
    and the caller commits ``uow`` itself once they all succeeded (a refusal raises before it)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    @property
    def cases(self) -> CaseRepository:
        return self._uow.cases

    @property
    def catalog(self) -> CatalogStore:
        return self._uow.catalog

    @property
    def numbers(self) -> NumberAllocator:
        return self._uow.numbers

    @property
    def outgoing(self) -> OutgoingNumbers:
        return self._uow.outgoing

    @property
    def outbox(self) -> Outbox:
        return self._uow.outbox

    @property
    def rates(self) -> RateCounter:
        return self._uow.rates

    @property
    def assignment(self) -> AssignmentStore:
        return self._uow.assignment

    @property
    def voidings(self) -> VoidingStore:
        return self._uow.voidings

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        return None

    def commit(self) -> None:
        return None

    def rollback(self) -> None:
        self._uow.rollback()

    def collect_new_events(self) -> Iterator[DomainEvent]:
        return self._uow.collect_new_events()
