"""Running an import: lines in, cases out in batches, problems reported by line and field.

Each line becomes a case (``importing.CaseImporter``); cases are written ``batch_size`` at a time, each
batch in one transaction of the ``CaseImportSink``, so a batch is written whole or not at all. A line
that cannot be imported either stops the run (``stop_on_error``: the batch it belongs to is not
written, the batches before it are) or is skipped and reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from ..domain.errors import FilingNumbersTaken
from ..ports import CaseImportSink
from .importing import CaseImporter, ImportedCase, LineError, LineProblem


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


def import_lines(lines: Iterable[str | bytes], importer: CaseImporter, sink: CaseImportSink | None, *,
                 batch_size: int = 5000, stop_on_error: bool = True, start_line: int = 1,
                 on_batch: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Import ``lines`` (numbered from 1; those before ``start_line`` are passed over). Without a
    ``sink`` nothing is written: every line is only checked."""
    report = ImportReport()
    pending: list[ImportedCase] = []
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
                    sink.write([p.case for p in pending])
            except FilingNumbersTaken as exc:
                taken = set(exc.numbers)
                refused = [p for p in pending if str(p.case.filing_number) in taken]
                allocated = [p for p in refused if not p.number_given]
                if allocated:
                    report.conflict = str(allocated[0].case.filing_number)
                    report.stopped_at = allocated[0].line
                    return False
                for p in refused:
                    number = str(p.case.filing_number)
                    if not refuse([LineProblem(p.line, "filing_number", f"el radicado {number} ya existe")]):
                        return False
                pending = [p for p in pending if str(p.case.filing_number) not in taken]
                continue
            report.imported += len(pending)
            report.events += sum(len(p.case.events) for p in pending)
            report.batches += 1
            report.written_through = pending[-1].line
            if on_batch is not None:
                on_batch(report)
            pending = []
        in_batch.clear()
        return True

    for number, text in enumerate(lines, start=1):
        if number < start_line or not text.strip():
            continue
        report.lines += 1
        try:
            imported = importer.case_from_line(number, text)
        except LineError as exc:
            if refuse(exc.problems):
                continue
            return report
        key = str(imported.case.filing_number)
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

