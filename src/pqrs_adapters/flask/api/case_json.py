"""A case as API data: the plain values ``CaseSchema`` dumps, with the transitions the caller may try."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
from flask import current_app, url_for

from pqrs_core.domain import delivery
from pqrs_core.domain.access import Permission
from pqrs_core.domain.attachments import visible_attachments
from pqrs_core.domain.case import Case
from pqrs_core.domain.case_terms import reading
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.deemed_granted import deemed_granted
from pqrs_core.domain.internal_requests import InternalRequest
from pqrs_core.domain.sla import STATUS_LABELS
from pqrs_core.domain.values import Actor
from pqrs_core.services.messagebus import Pqrs

from ...presentation import paused_summary
from .item_json import item_data
from .schemas.cases import CaseSchema

_CASE = CaseSchema()


def _state(catalog: Catalog, case: Case, actor: Actor) -> tuple[str, list[str]]:
    workflow = case.known_workflow(catalog)
    if workflow is None:
        return case.state, []
    return workflow.state(case.state).label, [t.name for t in workflow.allowed_for(case.state, actor)]


def deadlines_data(case: Case, catalog: Catalog, now: datetime,
                   risk_threshold: float) -> dict[str, Any] | None:
    """The ``deadlines`` of a case (``None`` when no term applies to it)."""
    current = reading(case, catalog, now, risk_threshold)
    if current is None or case.term is None:
        return None
    return {"policy": case.term_policy, "term": case.term.describe(),
            "resolution_due": case.resolution_due, "first_response_due": case.first_response_due,
            "status": current.status.value,
            "status_label": STATUS_LABELS[current.status],
            "remaining_business_hours": round(current.remaining.total_seconds() / 3600, 2),
            "elapsed_fraction": round(current.elapsed_fraction, 4), "extended_by": case.extended_by,
            "completion_due": case.completion_due, "paused_since": current.paused_since,
            "paused_left": ({"amount": current.left.amount, "unit": current.left.unit.value}
                            if current.left is not None else None),
            "paused_text": paused_summary(current, catalog.calendar) if catalog.calendar else None,
            "deemed_granted_due": granted.due if (granted := deemed_granted(case, catalog, now)) else None}


def request_data(item: InternalRequest, now: datetime) -> dict[str, Any]:
    """An internal request as the API shows it, with its state at ``now``."""
    return {"id": item.id, "queue": item.queue, "text": item.text, "due": item.due,
            "state": item.state(now).value, "requested_by": item.requested_by,
            "requested_at": item.requested_at, "answer": item.answer, "answered_by": item.answered_by,
            "answered_at": item.answered_at}


def notification_data(case: Case) -> dict[str, Any]:
    """How and when the answer was notified (``pqrs_core.domain.delivery``), every step."""
    return {"notified_at": delivery.notified_at(case.deliveries), "in_time": delivery.notified_in_time(case),
            "failed": delivery.failed(case), "steps": [attrs.asdict(d) for d in case.deliveries]}


def third_party_data(case: Case) -> dict[str, Any] | None:
    held = case.third_party
    if held is None:
        return None
    return {"address": held.address, "name": held.name, "since": held.since,
            "escalated_by": held.escalated_by, "pauses_term": held.pauses_term}


def case_data(case: Case, catalog: Catalog, actor: Actor) -> dict[str, Any]:
    number = str(case.filing_number)
    label, allowed = _state(catalog, case, actor)
    app: Pqrs = current_app.extensions["pqrs"]
    typification = case.typification
    staff = Permission.NOTE in catalog.permissions(actor)  # the staff who keep the work log
    plain: dict[str, Any] = {
        "filing_number": number,
        "kind": case.kind,
        "subject": case.subject,
        "description": case.description,
        "workflow": case.workflow, "workflow_version": case.workflow_version,
        "state": case.state,
        "state_label": label,
        "state_category": case.state_category.value,
        "requester": {**attrs.asdict(case.requester), "kind": case.requester.kind.value},
        "channel": case.channel,
        "reason": case.reason,
        "typification": None if typification is None else {
            "code": typification.code, "version": typification.version, "label": typification.label,
            "path": list(typification.path), "path_codes": list(typification.path_codes)},
        "priority": case.priority,
        "queue": case.queue,
        "assignee": case.assignee,
        "filed_by": case.filed_by,
        "front_line_agent": case.front_line_agent,
        "non_crm_contact": case.non_crm_contact,
        "external_source": case.external_source,
        "external_number": case.external_number,
        "references": [{"kind": r.kind.value, "number": r.number} for r in case.references],
        "solution": case.solution,
        "custom_fields": (dict(case.custom_fields) if staff
                          else catalog.public_custom_fields(case.custom_fields)),
        "tags": list(case.tags),
        "items": [item_data(i) for i in case.items],
        "missing_information": list(case.missing_information),
        "received_at": case.received_at,
        "received_by": case.received_by,
        "verbal": case.verbal,
        "first_contact_resolution": case.first_contact_resolution,
        "consent": None if case.consent is None else attrs.asdict(case.consent),
        "attachments": [
            {"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
             "sha256": a.sha256, "public": a.public,
             "url": url_for("api.download_attachment", number=number, attachment_id=a.id)}
            for a in visible_attachments(case, catalog.permissions(actor))],
        "filed_at": case.filed_at,
        "responded_at": case.responded_at,
        "closed_at": case.closed_at,
        "voided_at": case.deleted_at,
        "updated_at": case.updated_at,
        "version": case.version,
        "deadlines": deadlines_data(case, catalog, app.deps.clock.now(), app.deps.settings.risk_threshold),
        "allowed_transitions": allowed,
    }
    if staff:  # as the history
        plain["third_party"] = third_party_data(case)
        plain["internal_requests"] = [request_data(r, app.deps.clock.now()) for r in case.internal_requests]
        plain["notification"] = notification_data(case)
    dumped: dict[str, Any] = _CASE.dump(plain)
    return dumped
