"""Explicit translation between a ``Case`` and its row in ``cases`` (and back, exactly)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pqrs_core.domain.case import Case
from pqrs_core.domain.sla import Alarm, Pause
from pqrs_core.domain.term_left import LeftUnit, TermLeft
from pqrs_core.domain.terms import Term, TermStart, TermUnit
from pqrs_core.domain.typification import PATH_SEPARATOR, Typification
from pqrs_core.domain.values import (
    AttachmentInfo,
    DataConsent,
    DocumentReference,
    FilingNumber,
    PendingResponse,
    ReferenceKind,
    Requester,
    RequesterKind,
    ThirdPartyEscalation,
)
from pqrs_core.domain.workflow import StateCategory

from . import delivery_rows, internal_request_rows, item_rows
from .search import search_document

REQUESTER_FIELDS = ("customer_id", "branch", "lead_id", "full_name", "document_type", "document_number",
                    "address", "email", "phone", "user")
# Case attributes stored in a column of the same name, as they are.
PLAIN_FIELDS = ("id", "kind", "subject", "description", "workflow", "workflow_version", "state",
                "received_at", "filed_at", "filed_by", "front_line_agent", "channel", "reason", "priority",
                "queue", "assignee",
                "non_crm_contact", "solution", "received_by", "verbal", "first_contact_resolution",
                "responded_at", "closed_at", "created_at", "updated_at", "version", "term_from",
                "completion_due", "completion_extended", "quality_reviewed_at", "quality_score",
                "deleted_at", "term_ended_at", "root_cause", "cause_area", "corrective_action",
                "action_owner", "action_due", "action_done_at", "external_source", "external_number")
CODES_DELIMITER = "|"


def path_codes_text(codes: tuple[str, ...]) -> str:
    """``|a|b|``: every ancestor code delimited on both sides, for ``LIKE '%|code|%'``."""
    return CODES_DELIMITER + CODES_DELIMITER.join(codes) + CODES_DELIMITER


def case_to_row(case: Case, search_text: str | None = None) -> dict[str, Any]:
    """The snapshot columns of ``case`` (without ``priority_rank``, which the store looks up), with the
    words free-text search looks at (``search_text`` when the caller knows them already)."""
    row: dict[str, Any] = {name: getattr(case, name) for name in PLAIN_FIELDS}
    number = case.filing_number
    row.update(filing_number=str(number), filing_prefix=number.prefix, filing_year=number.year,
               filing_seq=number.sequence, state_category=case.state_category.value,
               requester_kind=case.requester.kind.value)
    row.update({f"requester_{name}": getattr(case.requester, name) for name in REQUESTER_FIELDS})
    typ = case.typification
    row.update(
        typification_code=typ.code if typ else None,
        typification_version=typ.version if typ else None,
        typification_path=PATH_SEPARATOR.join(typ.path) if typ else None,
        typification_path_codes=path_codes_text(typ.path_codes) if typ else None,
        typification_data=typification_data(typ),
        references=[{"kind": r.kind.value, "number": r.number} for r in case.references],
        custom_fields=dict(case.custom_fields),
        tags=list(case.tags) or None,
        attachments=[_attachment_to_plain(a) for a in case.attachments],
        missing_information=list(case.missing_information),
        search_text=search_document(case) if search_text is None else search_text,
        due_at=case.resolution_due,
        term_policy=case.term_policy,
        term_data=_term_data(case.term),
        first_response_due=case.first_response_due,
        first_responded_at=case.first_responded_at,
        pauses=[{"start": p.start.isoformat(), "end": p.end.isoformat() if p.end else None,
                 **({"cause": p.cause} if p.cause else {})} for p in case.pauses],
        extended_by=case.extended_by,
        alarms=[{"fraction": a.fraction, "at": a.at.isoformat()} for a in case.alarms],
        alarms_raised=list(case.alarms_raised),
        next_alarm_at=case.next_alarm_at,
        paused_left=case.paused_left.amount if case.paused_left else None,
        paused_left_unit=case.paused_left.unit.value if case.paused_left else None,
        third_party=_third_party_to_plain(case.third_party),
        internal_requests=internal_request_rows.to_plain(case.internal_requests),
        pending_request_queues=internal_request_rows.pending_queues(case.internal_requests),
        pending_response=_pending_to_plain(case.pending_response),
        items=item_rows.to_plain(case.items),
        **delivery_rows.to_row(case.deliveries),
    )
    consent = case.consent
    row.update(consent_given_at=consent.given_at if consent else None,
               consent_notice_version=consent.notice_version if consent else None,
               consent_notice_digest=consent.notice_digest if consent else None,
               consent_channel=consent.channel if consent else None)
    return row


def row_to_case(row: Mapping[Any, Any]) -> Case:
    requester = Requester(kind=RequesterKind(row["requester_kind"]),
                          **{name: row[f"requester_{name}"] for name in REQUESTER_FIELDS})
    typification = None
    if row["typification_code"] is not None:
        path, codes = typification_lists(row["typification_path"], row["typification_path_codes"],
                                         row["typification_data"])
        typification = Typification(row["typification_code"], row["typification_version"], path, codes)
    return Case(
        **{name: row[name] for name in PLAIN_FIELDS},
        filing_number=FilingNumber(row["filing_prefix"], row["filing_year"], row["filing_seq"]),
        state_category=StateCategory(row["state_category"]),
        requester=requester,
        typification=typification,
        references=tuple(DocumentReference(ReferenceKind(r["kind"]), r["number"]) for r in row["references"]),
        custom_fields=dict(row["custom_fields"]),
        tags=tuple(row.get("tags") or ()),
        attachments=tuple(AttachmentInfo(**a) for a in row["attachments"]),
        missing_information=tuple(row["missing_information"]),
        resolution_due=row["due_at"],
        term_policy=row["term_policy"],
        term=_term(row["term_data"]),
        first_response_due=row["first_response_due"],
        first_responded_at=row["first_responded_at"],
        pauses=tuple(Pause(datetime.fromisoformat(p["start"]),
                           datetime.fromisoformat(p["end"]) if p["end"] else None, p.get("cause"))
                     for p in row["pauses"]),
        extended_by=row["extended_by"],
        alarms=tuple(Alarm(a["fraction"], datetime.fromisoformat(a["at"])) for a in row["alarms"]),
        alarms_raised=tuple(row["alarms_raised"]),
        consent=_consent(row),
        paused_left=(TermLeft(row["paused_left"], LeftUnit(row["paused_left_unit"]))
                     if row["paused_left_unit"] is not None else None),
        third_party=_third_party(row.get("third_party")),
        internal_requests=internal_request_rows.from_plain(row.get("internal_requests")),
        pending_response=_pending(row.get("pending_response")),
        items=item_rows.from_plain(row.get("items")),
        deliveries=delivery_rows.from_plain(row.get("deliveries")),
    )


def typification_data(typ: Typification | None) -> dict[str, Any] | None:
    """``typification_data``: the path's labels and codes as lists, only when the joined columns
    (``typification_path``, ``typification_path_codes``) cannot give them back exactly (a label holding
    the separator, a code holding "|"); NULL otherwise (migration 0041)."""
    if typ is None:
        return None
    joined = PATH_SEPARATOR.join(typ.path), path_codes_text(typ.path_codes)
    if _split_path(*joined) == (typ.path, typ.path_codes):
        return None
    return {"path": list(typ.path), "path_codes": list(typ.path_codes)}


def typification_lists(path: str | None, codes: str | None,
                       data: Mapping[str, Any] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The path's labels and codes of a row: from ``typification_data`` when it holds them, otherwise
    from the joined columns."""
    if data:
        return tuple(data["path"]), tuple(data["path_codes"])
    return _split_path(path or "", codes or CODES_DELIMITER * 2)


def _split_path(path: str, codes: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    inner = codes[len(CODES_DELIMITER):-len(CODES_DELIMITER)]
    return (tuple(path.split(PATH_SEPARATOR)) if path else (),
            tuple(inner.split(CODES_DELIMITER)) if inner else ())


def _consent(row: Mapping[Any, Any]) -> DataConsent | None:
    if row["consent_given_at"] is None:
        return None
    return DataConsent(given_at=row["consent_given_at"], notice_version=row["consent_notice_version"],
                       notice_digest=row["consent_notice_digest"], channel=row["consent_channel"])


def _term(data: Mapping[str, Any] | None) -> Term | None:
    if not data:
        return None
    return Term(data["amount"], TermUnit(data["unit"]), TermStart(data.get("start", TermStart.NEXT_DAY)))


def _term_data(term: Term | None) -> dict[str, Any] | None:
    """The term as stored; ``start`` only when the term counts from the day of receipt, so rows
    written before terms said where they start read the same."""
    if term is None:
        return None
    data: dict[str, Any] = {"amount": term.amount, "unit": term.unit.value}
    if term.start is not TermStart.NEXT_DAY:
        data["start"] = term.start.value
    return data


def _third_party_to_plain(value: ThirdPartyEscalation | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"address": value.address, "name": value.name, "since": value.since.isoformat(),
            "escalated_by": value.escalated_by, "pauses_term": value.pauses_term}


def _third_party(data: Mapping[str, Any] | None) -> ThirdPartyEscalation | None:
    if not data:
        return None
    return ThirdPartyEscalation(address=data["address"], name=data["name"],
                                since=datetime.fromisoformat(data["since"]),
                                escalated_by=data["escalated_by"], pauses_term=bool(data.get("pauses_term")))


def _pending_to_plain(value: PendingResponse | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"text": value.text, "solution": value.solution, "close": value.close,
            "drafted_by": value.drafted_by, "drafted_at": value.drafted_at.isoformat(),
            "access_denied": value.access_denied}


def _pending(data: Mapping[str, Any] | None) -> PendingResponse | None:
    if not data:
        return None
    return PendingResponse(text=data["text"], solution=data["solution"], close=bool(data["close"]),
                           drafted_by=data["drafted_by"],
                           drafted_at=datetime.fromisoformat(data["drafted_at"]),
                           access_denied=bool(data.get("access_denied")))


def _attachment_to_plain(info: AttachmentInfo) -> dict[str, Any]:
    return {"id": info.id, "filename": info.filename, "content_type": info.content_type,
            "size": info.size, "sha256": info.sha256, "storage_key": info.storage_key, "public": info.public}
