"""Running an import: lines in, cases out in batches, problems reported by line and field.

Each line becomes a case (``importing.CaseImporter``), then what the ``CaseImportSink`` writes
(``prepare``); these are written ``batch_size`` at a time, each batch in one transaction of the sink, so a
batch is written whole or not at all. Building and preparing may happen elsewhere (worker processes):
``import_outcomes`` takes the outcomes in file order, however they were made. A line
that cannot be imported either stops the run (``stop_on_error``: the batch it belongs to is not
written, the batches before it are) or is skipped and reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple, TypeVar

import attrs

from ..domain.case import Case
from ..domain.errors import FilingNumbersTaken
from ..domain.values import FilingNumber
from ..ports import CaseImportSink, ImportItem
from .importing import CaseImporter, ImportedCase, LineError, LineProblem

T = TypeVar("T", bound=ImportItem)


@attrs.define
class ImportReport:
    lines: int = 0  # non-blank lines read
    imported: int = 0  # cases written (or, without a sink, lines that would be)
    events: int = 0  # their events
    refused: int = 0  # lines not imported
    batches: int = 0
    problems: list[LineProblem] = attrs.field(factory=list)
    # The line that stopped the run, and the last line of the last batch written before it.
    stopped_at: int | None = None
    written_through: int = 0
    # Set when the store's filing sequence moved during the import (someone filed meanwhile).
    conflict: str | None = None

    @property
    def complete(self) -> bool:
        return self.stopped_at is None


class Checked(NamedTuple):
    """What a dry run keeps of a line's case."""

    line: int
    number_given: bool
    filing_number: FilingNumber
    event_count: int


def checked(line: int, case: Case, number_given: bool) -> Checked:
    return Checked(line, number_given, case.filing_number, len(case.events))


def numbered_lines(lines: Iterable[str | bytes], start_line: int = 1) -> Iterator[tuple[int, str | bytes]]:
    """The non-blank lines with their numbers (from 1), from ``start_line`` on."""
    for number, text in enumerate(lines, start=1):
        if number >= start_line and text.strip():
            yield number, text


def build_in_order(lines: Iterable[tuple[int, str | bytes]], importer: CaseImporter,
                   prepare: Callable[[int, Case, bool], T]) -> Iterator[T | LineError]:
    """Each line's outcome, built and prepared here, one after another."""
    for number, text in lines:
        try:
            built: ImportedCase = importer.case_from_line(number, text)
        except LineError as exc:
            yield exc
            continue
        yield prepare(built.line, built.case, built.number_given)


def import_lines(lines: Iterable[str | bytes], importer: CaseImporter, sink: CaseImportSink[T] | None, *,
                 batch_size: int = 5000, stop_on_error: bool = True, start_line: int = 1,
                 on_batch: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Import ``lines`` (numbered from 1; those before ``start_line`` are passed over), building each
    case here. Without a ``sink`` nothing is written: every line is only checked."""
    numbered = numbered_lines(lines, start_line)
    if sink is None:
        return import_outcomes(build_in_order(numbered, importer, checked), None, batch_size=batch_size,
                               stop_on_error=stop_on_error, on_batch=on_batch)
    return import_outcomes(build_in_order(numbered, importer, sink.prepare), sink, batch_size=batch_size,
                           stop_on_error=stop_on_error, on_batch=on_batch)


def import_outcomes(outcomes: Iterable[T | LineError], sink: CaseImportSink[T] | None, *,
                    batch_size: int = 5000, stop_on_error: bool = True,
                    on_batch: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Write the items of ``outcomes`` (one per non-blank line, in file order) in batches through
    ``sink`` and report the lines that could not be imported; without a ``sink`` only report."""
    report = ImportReport()
    pending: list[T] = []
    in_batch: dict[str, int] = {}

    def refuse(problems: list[LineProblem]) -> bool:
        """Record the problems of one line; ``True`` when the run goes on."""
        report.problems.extend(problems)
        report.refused += 1
        if stop_on_error:
            report.stopped_at = problems[0].line
            return False
        return True

    def flush() -> bool:
        nonlocal pending
        while pending:
            try:
                if sink is not None:
                    sink.write(pending)
            except FilingNumbersTaken as exc:
                taken = set(exc.numbers)
                refused = [p for p in pending if str(p.filing_number) in taken]
                allocated = [p for p in refused if not p.number_given]
                if allocated:
                    report.conflict = str(allocated[0].filing_number)
                    report.stopped_at = allocated[0].line
                    return False
                for p in refused:
                    number = str(p.filing_number)
                    if not refuse([LineProblem(p.line, "filing_number", f"el radicado {number} ya existe")]):
                        return False
                pending = [p for p in pending if str(p.filing_number) not in taken]
                continue
            report.imported += len(pending)
            report.events += sum(p.event_count for p in pending)
            report.batches += 1
            report.written_through = pending[-1].line
            if on_batch is not None:
                on_batch(report)
            pending = []
        in_batch.clear()
        return True

    for imported in outcomes:
        report.lines += 1
        if isinstance(imported, LineError):
            if refuse(imported.problems):
                continue
            return report
        number = imported.line
        key = str(imported.filing_number)
        if key in in_batch:
            problem = LineProblem(number, "filing_number",
                                  f"el radicado {key} ya está en la línea {in_batch[key]}")
            if refuse([problem]):
                continue
            return report
        in_batch[key] = number
        pending.append(imported)
        if len(pending) >= batch_size and not flush():
            return report
    flush()
    if sink is not None and report.imported:
        sink.finish()
    return report

