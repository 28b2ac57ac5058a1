"""What follows when a term is missed and the law deems the request granted.

CPACA (Ley 1437 de 2011) art. 14 num. 1, as set by Ley 1755 de 2015: a request for documents or
information not answered within its 10 days "se entenderá, para todos los efectos legales, que la
respectiva solicitud ha sido aceptada" and "las copias se entregarán dentro de los tres (3) días
siguientes". A term rule names that consequence (``TermRule.deemed_granted``); once its term is
missed, the case shows the new term, counted from the day after the missed deadline.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from .case_terms import reading
from .catalog import Catalog
from .sla import TermStatus
from .terms import DeemedGrant, rule_for

if TYPE_CHECKING:
    from .case import Case


@attrs.frozen
class DeemedGranted:
    """A missed term whose request the law deems granted: what is now due, and by when."""

    missed: datetime  # the deadline that passed without an answer in time
    term: DeemedGrant
    due: datetime

    def line(self, zone_format: str) -> str:
        """The explanation in Spanish; ``zone_format`` is ``due`` as the organisation reads it."""
        return (f"Venció el término sin respuesta: la solicitud se entiende aceptada ({self.term.source}); "
                f"{self.term.what} a más tardar el {zone_format} ({self.term.term.describe()}).")


def deemed_granted(case: Case, catalog: Catalog, now: datetime) -> DeemedGranted | None:
    """The new term of ``case`` when its term was missed and its rule deems the request granted, else
    ``None`` (no such rule, or the term still runs or was met)."""
    calendar = catalog.calendar
    if case.resolution_due is None or calendar is None or case.term_from is not None:
        return None  # a term restarted (art. 17, reopening) is not the one the law speaks of
    policy = next((p for p in catalog.term_policies if p.code == case.term_policy), None)
    if policy is None:
        return None
    rule = rule_for(policy.resolution, calendar.local_date(case.received_at), catalog.public_functions)
    if rule is None or rule.deemed_granted is None:
        return None
    current = reading(case, catalog, now)
    if current is None or current.status not in (TermStatus.OVERDUE, TermStatus.MISSED):
        return None
    grant = rule.deemed_granted
    return DeemedGranted(missed=case.resolution_due, term=grant,
                         due=grant.term.deadline(case.resolution_due, calendar))
