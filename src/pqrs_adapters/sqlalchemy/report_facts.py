"""``case_report_facts``: what reports need of a case that its snapshot does not keep, written from the
events the repository stores, in the same statement batch and transaction.

Each save adds what its new events tell to the case's row (an upsert that adds counts and keeps the
last response), so that a report reads one row per case and never the event log. A case that no
event of these kinds touched has no row; reports read it as zeros.

It also keeps the case's business time to answer (``AnswerTimes``), computed on the organisation's
calendar whenever a save changes the instants it is measured between.

The bulk import writes the same rows (``importing``); migration 0025 filled them for the cases
stored before it, from their events, and migration 0039 the answer times.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from sqlalchemy import Connection, case, func
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.case import Case
from pqrs_core.domain.events import DomainEvent
from pqrs_core.services.reports import FACT_EVENTS, AnswerTimes, ReportFacts, case_answer_times

from .tables import case_report_facts

TIME_COLUMNS = tuple(field.name for field in attrs.fields(AnswerTimes))


def facts_delta(case_: Case, new_events: Sequence[DomainEvent],
                times: AnswerTimes | None = None) -> dict[str, Any] | None:
    """What ``new_events`` add to the case's stored facts (``ReportFacts.after`` from nothing) and its
    answer ``times`` when they changed (``answer_times_changed``), or ``None`` when they add nothing."""
    if times is None and not any(isinstance(event, FACT_EVENTS) for event in new_events):
        return None
    return {"case_id": case_.id, **attrs.asdict(ReportFacts().after(new_events, case_.queue)),
            **attrs.asdict(times or AnswerTimes())}


def answer_times_changed(changes: Mapping[str, Any]) -> bool:
    """Whether a save that changes these ``cases`` columns changes the case's ``AnswerTimes``."""
    return "first_responded_at" in changes or "responded_at" in changes or "filed_at" in changes


def new_answer_times(case_: Case, calendar: Callable[[], BusinessCalendar] | None) -> AnswerTimes | None:
    """The ``AnswerTimes`` of a case that was (first) answered, on the organisation's ``calendar``
    (the settings' default calendar when the store was given none); ``None`` before any answer."""
    if case_.first_responded_at is None and case_.responded_at is None:
        return None
    return case_answer_times(case_, calendar() if calendar is not None else BusinessCalendar())


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
        # Set again whenever the instants change; an answer's instants are never taken back.
        **{name: func.coalesce(new[name], old[name]) for name in TIME_COLUMNS},
    })
    for row in rows:  # one statement per case: an upsert batch may not name a row twice
        conn.execute(stmt, row)

