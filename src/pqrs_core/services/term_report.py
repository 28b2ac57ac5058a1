"""A case's deadline explained: the Spanish lines of ``explain_term`` and where the term stands now,
as one value the API, the web pages, the CLI and library users read alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from ..domain.case import Case
from ..domain.case_terms import reading
from ..domain.catalog import Catalog
from ..domain.deemed_granted import deemed_granted
from ..domain.events import DomainEvent
from ..domain.filing_window import FilingCheck, filing_check
from ..domain.judicial_terms import awaiting_line
from ..domain.sla import STATUS_LABELS, TermReading, TermStatus
from ..domain.term_explanation import explain_term
from ..settings import Settings


@attrs.frozen
class TermExplanation:
    """How the deadline of a case was computed and where its term stands.

    ``lines`` are Spanish sentences, oldest first: the policy and its legal source, pauses,
    extensions and restarts, and, last, the status (``Estado del término: ...``) when a term applies.
    ``reading`` is ``None`` when no term applies to the case. ``filing`` says whether a request that
    must itself be filed within a term (a recurso) was, once its notification date is recorded.
    """

    filing_number: str
    lines: tuple[str, ...]
    reading: TermReading | None
    filing: FilingCheck | None = None

    @property
    def due(self) -> datetime | None:
        """When the resolution term ends (timezone-aware), or ``None``."""
        return self.reading.due if self.reading is not None else None

    @property
    def status(self) -> TermStatus | None:
        """On time, at risk, overdue, paused, met or missed; ``None`` without a term."""
        return self.reading.status if self.reading is not None else None

    @property
    def status_label(self) -> str | None:
        """The status as a person reads it, in Spanish (``"A tiempo"``, ``"Vencido"``...)."""
        return STATUS_LABELS[self.reading.status] if self.reading is not None else None


def explain_case_term(case: Case, history: Sequence[DomainEvent], catalog: Catalog, settings: Settings,
                      now: datetime) -> TermExplanation:
    """The explanation of ``case``'s term from its ``history``, read at ``now``."""
    current = reading(case, catalog, now, settings.risk_threshold)
    filing = filing_check(case, catalog)
    lines = explain_term(history, settings.calendar.zone, current, filing)
    waiting = awaiting_line(case, catalog)
    if waiting is not None:
        lines.append(waiting)
    granted = deemed_granted(case, catalog, now)
    if granted is not None:
        lines.append(granted.line(granted.due.astimezone(settings.calendar.zone).strftime("%d/%m/%Y %H:%M")))
    return TermExplanation(filing_number=str(case.filing_number), lines=tuple(lines), reading=current,
                           filing=filing)
