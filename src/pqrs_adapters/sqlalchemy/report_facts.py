"""``case_report_facts``: what reports need of a case that its snapshot does not keep, written from the
events the repository stores, in the same statement batch and transaction.

Each save adds what its new events tell to the case's row (an upsert that adds counts and keeps the
last response), so that a report reads one row per case and never the event log. A case that no
event of these kinds touched has no row; reports read it as zeros.

The bulk import writes the same rows (``importing``); migration 0025 filled them for the cases
stored before it, from their events.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from sqlalchemy import Connection, case, func
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_core.domain.case import Case
from pqrs_core.domain.events import DomainEvent
from pqrs_core.services.reports import FACT_EVENTS, ReportFacts

from .tables import case_report_facts


def facts_delta(case_: Case, new_events: Sequence[DomainEvent]) -> dict[str, Any] | None:
    """What ``new_events`` add to the case's stored facts (``ReportFacts.after`` from nothing), or
    ``None`` when they add nothing."""
    if not any(isinstance(event, FACT_EVENTS) for event in new_events):
        return None
    return {"case_id": case_.id, **attrs.asdict(ReportFacts().after(new_events, case_.queue))}


def write_facts(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Add ``rows`` (``facts_delta``) to the stored facts, one upsert per case."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(case_report_facts)
    new, old = stmt.excluded, case_report_facts.c
    responded = new.responder.is_not(None)
    stmt = stmt.on_conflict_do_update(index_elements=[old.case_id], set_={
        "extensions": old.extensions + new.extensions,
        "transfers": old.transfers + new.transfers,
        "withdrawn": old.withdrawn | new.withdrawn,
        "incomplete": old.incomplete | new.incomplete,
        "responder": func.coalesce(new.responder, old.responder),
        "responder_queue": case((responded, new.responder_queue), else_=old.responder_queue),
        "access_denied": case((responded, new.access_denied), else_=old.access_denied),
    })
    for row in rows:  # one statement per case: an upsert batch may not name a row twice
        conn.execute(stmt, row)

