"""Building the cases of ``pqrs import`` in worker processes, written in file order by this one.

Building a case (parsing its line, validating it against the catalog, its terms and its workflow path)
and turning it into rows is most of the work of an import; writing the rows is the rest. Workers are
forked with the importer (catalog, calendar) and the sink's ``prepare``; they take chunks of lines and
send back each line's rows (``SqlImportSink.prepare``: plain tuples, cheap to send, where a whole
``Case`` with its events costs as much to pickle as to build) or its problems. The outcomes are taken
in file order, so ``import_run.import_outcomes`` sees exactly what building the lines one after another
would give.

Filing numbers stay those of a sequential import. A line that gives its number keeps it. A line without
one is sent with the number it will take if every line before it is imported: the next of its year
after the numbers the file gives and the earlier lines without one (its year read from ``filed_at`` or
``received_at``). On the way back each such case is checked against the real allocation; when a line
before it was refused, or its year was read otherwise, the line is built again here with the right
number. So no number is skipped or taken twice, in parallel or not.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pqrs_core.domain.case import Case
from pqrs_core.domain.values import FilingNumber
from pqrs_core.ports import ImportItem
from pqrs_core.services.import_run import build_in_order
from pqrs_core.services.importing import FILING_FIELD, CaseImporter, FilingPlan, LineError, read_instant

T = TypeVar("T", bound=ImportItem)
Prepare = Callable[[int, Case, bool], Any]
Line = tuple[int, bytes, FilingNumber | None]  # number, text, the number chosen for it here

# Lines per task, and tasks in flight per worker (bounds what is read ahead of the writer).
CHUNK = 200
IN_FLIGHT_PER_WORKER = 4
# The instant a case is numbered by: ``filed_at``, or else ``received_at`` (``CaseImporter``).
_INSTANTS = tuple(re.compile(rb'"' + name + rb'"\s*:\s*("[^"\\]*")')
                  for name in (b"filed_at", b"received_at"))

# The worker's importer and prepare function, set before forking.
_worker: tuple[CaseImporter, Prepare] | None = None


class _Chosen(FilingPlan):
    """A worker's numbers: the one the main process chose for the line being built."""

    def __init__(self, prefix: str) -> None:
        super().__init__(prefix)
        self.number: FilingNumber | None = None

    def next(self, year: int) -> FilingNumber:
        if self.number is None or self.number.year != year:
            raise _BuildHere
        return self.number

    def give_back(self, number: FilingNumber) -> None:
        pass

    def reserve(self, number: FilingNumber) -> None:
        pass


class _BuildHere(Exception):  # noqa: N818 - a signal, not an error
    """The line needs the main process's allocation."""


def _build(chunk: list[Line]) -> list[Any]:
    """In a worker: each line's prepared item or ``LineError``; ``None`` for a line the main process
    must build."""
    assert _worker is not None
    importer, prepare = _worker
    numbers = importer.numbers
    assert isinstance(numbers, _Chosen)
    found: list[Any] = []
    for line, text, number in chunk:
        numbers.number = number
        try:
            built = importer.case_from_line(line, text)
        except LineError as exc:
            found.append(exc)
        except _BuildHere:
            found.append(None)
        else:
            found.append(prepare(built.line, built.case, built.number_given))
    return found


@contextmanager
def outcomes_in_workers(lines: Iterable[tuple[int, str | bytes]], importer: CaseImporter,
                        prepare: Callable[[int, Case, bool], T], workers: int,
                        ) -> Iterator[Iterator[T | LineError]]:
    """The outcomes of ``lines`` in file order, built and prepared by ``workers`` processes (one or
    fewer: here). ``importer.numbers`` must already hold every number the file gives."""
    if workers <= 1:
        yield build_in_order(lines, importer, prepare)
        return
    global _worker
    _worker = (CaseImporter(importer.catalog, numbers=_Chosen(importer.numbers.prefix),
                            local_year=importer.local_year, new_id=importer.new_id, now=importer.now,
                            timezone=importer.zone.key), prepare)
    try:
        pool = multiprocessing.get_context("fork").Pool(workers)
    finally:
        _worker = None
    try:
        yield _ordered(lines, importer, prepare, pool, workers)
    finally:
        pool.terminate()
        pool.join()


def _ordered(lines: Iterable[tuple[int, str | bytes]], importer: CaseImporter,
             prepare: Callable[[int, Case, bool], T], pool: Any, workers: int) -> Iterator[T | LineError]:
    plan = importer.numbers
    guess = FilingPlan(plan.prefix, plan.last)  # the allocation if every line is imported
    in_flight: deque[tuple[Any, list[Line]]] = deque()

    def chunks() -> Iterator[list[Line]]:
        chunk: list[Line] = []
        for line, given in lines:
            text = given if isinstance(given, bytes) else given.encode()
            chunk.append((line, text, None if FILING_FIELD.search(text) else _guess(importer, guess, text)))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def take() -> Iterator[T | LineError]:
        result, chunk = in_flight.popleft()
        for outcome, (line, text, _chosen) in zip(result.get(), chunk, strict=True):
            if outcome is not None and not isinstance(outcome, LineError) and not outcome.number_given:
                number = plan.next(outcome.filing_number.year)
                if number == outcome.filing_number:
                    yield outcome
                    continue
                plan.give_back(number)
                outcome = None
            if outcome is None:
                yield from build_in_order([(line, text)], importer, prepare)
            else:
                yield outcome

    for chunk in chunks():
        in_flight.append((pool.apply_async(_build, (chunk,)), chunk))
        if len(in_flight) >= workers * IN_FLIGHT_PER_WORKER:
            yield from take()
    while in_flight:
        yield from take()


def _guess(importer: CaseImporter, guess: FilingPlan, text: bytes) -> FilingNumber | None:
    """The number a line without one takes if every line before it is imported (``None``: unknown)."""
    for pattern in _INSTANTS:
        match = pattern.search(text)
        if match is None:
            continue
        try:
            instant = read_instant(json.loads(match.group(1)), importer.zone)
        except ValueError:
            return None
        return guess.next(importer.local_year(instant))
    return None
