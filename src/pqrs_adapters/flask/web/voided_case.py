"""A voided case's page for those who may audit (``case.audit``): read-only, under a clear «ANULADO»
banner with its voiding record (number, reason, who asked, who approved, when), the case's data and its
complete history. Nobody works on a voided case; everyone else gets the 404 of an unknown case."""

from __future__ import annotations

from flask import render_template

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import NotFound
from pqrs_core.domain.voiding import VoidingStatus

from .case_timeline import ENTRY_KINDS, timeline
from .case_view import case_key
from .common import actor, back_link, can, labels, pqrs


def voided_page(filing_number: str) -> tuple[str, int] | None:
    """The page of the voided case ``filing_number``, or ``None`` when it is not a voided case the
    logged-in person may audit."""
    if not can(Permission.AUDIT):
        return None
    key = case_key(filing_number)
    app, who = pqrs(), actor()
    try:
        case = app.case(key, who, include_deleted=True)
        history = app.history(key, who, include_deleted=True)
    except NotFound:
        return None
    if case.deleted_at is None:
        return None
    records = app.voidings(who, VoidingStatus.APPROVED, target_kind="case", target=key)
    record = records[0] if records else None
    names = labels([case.filed_by, case.assignee, *(e.actor for e in history),
                    *((record.requested_by, record.decided_by) if record else ())])
    return render_template("web/voided_case.html", case=case, record=record, labels=names,
                           timeline=timeline(history, case, names), entry_kinds=ENTRY_KINDS,
                           back=back_link()), 200
