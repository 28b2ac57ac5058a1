"""``pqrs import``: historical cases from a JSON-lines file into the SQL store.

Two passes over the file: the first only collects the filing numbers it gives (so that the cases
without one are numbered after them), the second builds each case (``pqrs_core.services.importing``)
and its rows, in worker processes when there are several (``parallel``), and writes them in file
order, in batches, through ``SqlImportSink``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pqrs_core.services.import_run import ImportReport, checked, import_outcomes, numbered_lines
from pqrs_core.services.importing import CaseImporter, FilingPlan, given_filing_numbers
from pqrs_core.services.messagebus import Pqrs

from ..sqlalchemy.importing import SqlImportSink
from .parallel import outcomes_in_workers

if TYPE_CHECKING:
    from sqlalchemy import Engine


def import_jsonl(pqrs: Pqrs, engine: Engine, path: Path, *, batch_size: int = 5000,
                 stop_on_error: bool = True, dry_run: bool = False, start_line: int = 1,
                 progress: Callable[[int], None] | None = None, workers: int = 1) -> ImportReport:
    """Import the cases of ``path`` (one JSON object per line). ``progress`` is told the bytes of
    each line read; with ``dry_run`` every line is checked and nothing is written. ``workers``
    processes build the cases (1: this one)."""
    catalog = pqrs.catalog()
    sink = SqlImportSink(engine, calendar=catalog.calendar)
    settings = pqrs.deps.settings
    plan = FilingPlan(settings.filing_prefix, sink.sequences())
    with path.open("rb") as file:
        for number in given_filing_numbers(file):
            plan.reserve(number)
    importer = CaseImporter(catalog, numbers=plan, local_year=pqrs.deps.local_year,
                            new_id=pqrs.deps.new_id, now=pqrs.deps.clock.now(), timezone=settings.timezone)

    def lines(file: Iterator[bytes]) -> Iterator[bytes]:
        for raw in file:
            if progress is not None:
                progress(len(raw))
            yield raw

    with path.open("rb") as file:
        numbered = numbered_lines(lines(file), start_line)
        if dry_run:
            with outcomes_in_workers(numbered, importer, checked, workers) as found:
                return import_outcomes(found, None, batch_size=batch_size, stop_on_error=stop_on_error)
        try:
            with outcomes_in_workers(numbered, importer, sink.prepare, workers) as outcomes:
                return import_outcomes(outcomes, sink, batch_size=batch_size, stop_on_error=stop_on_error)
        finally:
            sink.close()
