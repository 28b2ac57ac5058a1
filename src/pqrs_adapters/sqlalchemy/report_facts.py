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

from sqlalchemy import Connection, case, func
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_core.domain import events as ev
from pqrs_core.domain.case import Case

from .tables import case_report_facts

_ZERO = {"extensions": 0, "transfers": 0, "withdrawn": False, "incomplete": False, "responder": None,
         "responder_queue": None, "access_denied": False}


def facts_delta(case_: Case, new_events: Sequence[ev.DomainEvent]) -> dict[str, Any] | None:
    """What ``new_events`` add to the case's facts, or ``None`` when they add nothing."""
    row: dict[str, Any] = dict(_ZERO, case_id=case_.id)
    touched = False
    for event in new_events:
        if isinstance(event, ev.TermExtended):
            row["extensions"] += 1
        elif isinstance(event, ev.CaseTransferred):
            row["transfers"] += 1
        elif isinstance(event, ev.PetitionWithdrawn):
            row["withdrawn"] = True
        elif isinstance(event, ev.CompletionRequested):
            row["incomplete"] = True
        elif isinstance(event, ev.CaseResponded):
            # The level that answered: the queue the response was sent from (the case's queue then, for
            # events recorded before the response kept it).
            row.update(responder=event.actor, responder_queue=event.responder_queue or case_.queue,
                       access_denied=event.access_denied)
        else:
            continue
        touched = True
    return row if touched else None


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

