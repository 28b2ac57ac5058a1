"""Evaluating a ``CaseQuery`` against a case in Python (the SQL store compiles the same filters)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from .domain.access import matches
from .domain.calendar import BusinessCalendar
from .domain.case import Case
from .domain.items import item_key
from .domain.tags import tag_key
from .domain.term_left import paused_left, resumed_due
from .domain.text import fold, identifier_query, query_words, text_matches, words
from .field_search import indexed_values, searched
from .field_search import matches as field_matches
from .ports import UNTYPIFIED, CaseQuery, CaseSummary


def searchable_parts(case: Case) -> tuple[str, ...]:
    """The values free-text search looks at, as they are (``searchable_text`` folds them)."""
    r = case.requester
    return (str(case.filing_number), case.subject, case.description, r.full_name or "",
            r.document_number or "", r.email or "", case.non_crm_contact or "", case.external_number or "",
            *case.tags)


def searchable_text(case: Case) -> str:
    """What free-text search looks at, folded (lower case, no accents)."""
    return fold(" ".join(searchable_parts(case)))


def text_found(case: Case, text: str) -> bool:
    """Whether a free-text search finds ``case``: every word in its searchable text, or (a search of
    digits alone) its filing number's sequence or its requester's document number
    (``identifier_query``), or a custom field value that is the whole query (``field_search.searched``).
    The SQL stores search the same way."""
    wanted = query_words(text)
    if wanted is None or text_matches(words(searchable_text(case)), wanted):
        return True
    whole = searched(text)
    if whole and wanted and any(row.text in whole for row in indexed_values(case.custom_fields)):
        return True
    sequence, documents = identifier_query(text)
    return (sequence is not None and case.filing_number.sequence == sequence) or (
        case.requester.document_number in documents)


def fold_email(value: str | None) -> str | None:
    """An e-mail address as the filters compare it: trimmed, in lower case (``None`` stays ``None``)."""
    return value.strip().lower() if value is not None else None


def matches_query(case: Case, query: CaseQuery) -> bool:
    if case.deleted_at is not None and not query.include_voided:
        return False  # a voided case is in no listing, search or report
    if query.state_categories and case.state_category not in query.state_categories:
        return False
    if query.states and case.state not in query.states:
        return False
    if query.kinds and case.kind not in query.kinds:
        return False
    if query.queues and case.queue not in query.queues:
        return False
    if query.priorities and case.priority not in query.priorities:
        return False
    if query.assignee is not None and case.assignee != query.assignee:
        return False
    if query.tags and not {tag_key(t) for t in query.tags} <= {tag_key(t) for t in case.tags}:
        return False
    if (query.lots or query.products) and not involves(case, query.lots, query.products):
        return False
    if query.custom_fields and not all(field_matches(case.custom_fields, code, value)
                                       for code, value in query.custom_fields):
        return False
    if query.typification is not None and (
            case.typification is None or query.typification not in case.typification.path_codes):
        return False
    if query.requester_document is not None and case.requester.document_number != query.requester_document:
        return False
    if query.requester_email is not None and (
            fold_email(case.requester.email) != fold_email(query.requester_email)):
        return False
    if query.channels and case.channel not in query.channels:
        return False
    if query.filed_from is not None and case.filed_at < query.filed_from:
        return False
    if query.filed_to is not None and case.filed_at >= query.filed_to:
        return False
    if query.unassigned and case.assignee is not None:
        return False
    if query.pending_request_queue is not None and not any(
            r.queue == query.pending_request_queue and r.answered_at is None for r in case.internal_requests):
        return False
    if query.with_third_party and case.third_party is None:
        return False
    if query.awaiting_approval and case.pending_response is None:
        return False
    if query.closed_from is not None and (case.closed_at is None or case.closed_at < query.closed_from):
        return False
    if query.closed_to is not None and (case.closed_at is None or case.closed_at >= query.closed_to):
        return False
    if query.closed is not None and (case.closed_at is not None) != query.closed:
        return False
    reviewed = case.quality_reviewed_at is not None
    if query.quality_reviewed is not None and reviewed != query.quality_reviewed:
        return False
    due = case.resolution_due
    if query.due_from is not None and (due is None or due < query.due_from):
        return False
    if query.due_to is not None and (due is None or due >= query.due_to):
        return False
    if query.text and not text_found(case, query.text):
        return False
    if query.visible is not None and not matches(query.visible, case):
        return False
    return True


def involves(case: Case, lots: tuple[str, ...], products: tuple[str, ...]) -> bool:
    """Whether one of the case's items is of one of ``lots`` (if any) and one of ``products`` (if any)."""
    lot_keys = {item_key(v) for v in lots}
    product_keys = {item_key(v) for v in products}
    return any((not lot_keys or (item.lot is not None and item_key(item.lot) in lot_keys))
               and (not product_keys or item_key(item.product) in product_keys) for item in case.items)


def deadline_rank(case: Case, now: datetime | None, calendar: BusinessCalendar | None) -> datetime | None:
    """The instant the "deadline" sort ranks ``case`` by: the deadline it would have if its paused
    term resumed at ``now``, or else its deadline (``None`` without a term)."""
    left = paused_left(case, calendar) if now is not None else None
    if left is None or now is None or calendar is None:
        return case.resolution_due
    return resumed_due(left, now, calendar)


def sort_key(case: Case, sort: str, ranks: Mapping[str, int], now: datetime | None = None,
             calendar: BusinessCalendar | None = None) -> tuple[float, ...]:
    """Ascending key giving the order of ``CaseQuery.sort`` (the SQL store orders the same way).
    ``ranks`` maps priority codes to their rank; cases without a priority sort after ranked ones.
    ``now`` and ``calendar`` rank the paused cases for "deadline" (``deadline_rank``)."""
    number = case.filing_number
    newest = (-number.year, -number.sequence)
    if sort == "oldest":
        return (number.year, number.sequence)
    if sort == "priority":
        rank = ranks.get(case.priority, UNRANKED) if case.priority else UNRANKED
        return (rank, *newest)
    if sort == "updated":
        return (-case.updated_at.timestamp(), *newest)
    if sort == "closed":
        return (-(case.closed_at or case.filed_at).timestamp(), *newest)
    if sort == "deadline":
        due = deadline_rank(case, now, calendar)
        rank = ranks.get(case.priority, UNRANKED) if case.priority else UNRANKED
        return (0, due.timestamp(), rank, number.year, number.sequence) if due is not None else (
            1, 0.0, rank, number.year, number.sequence)
    return newest


UNRANKED = 1_000_000


def summarize(cases: Iterable[Case]) -> CaseSummary:
    """The counts of ``CaseSummary`` over ``cases`` (the SQL store computes the same with GROUP BY)."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in (
        "by_state_category", "by_state", "by_kind", "by_priority", "by_channel", "by_typification",
        "by_category")}
    total = first_contact = 0
    for case in cases:
        total += 1
        first_contact += case.first_contact_resolution
        typ = case.typification
        counters["by_state_category"][case.state_category.value] += 1
        counters["by_state"][case.state] += 1
        counters["by_kind"][case.kind] += 1
        counters["by_priority"][case.priority or ""] += 1
        counters["by_channel"][case.channel or ""] += 1
        counters["by_typification"][typ.code if typ else UNTYPIFIED] += 1
        counters["by_category"][typ.category if typ else UNTYPIFIED] += 1
    return CaseSummary(total=total, first_contact_resolutions=first_contact,
                       **{name: dict(counter) for name, counter in counters.items()})
