"""A ``CaseQuery`` as SQL: its filters as a ``WHERE`` clause, its sort orders with keyset pagination, and
the report counts of ``CaseSummary`` with ``GROUP BY``.

Each piece mirrors ``pqrs_core.query_filters`` (``matches_query``, ``sort_key``, ``summarize``): the
contract tests run the same queries on the in-memory store and compare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import attrs
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
    tuple_,
)

from pqrs_core.domain.access import Everything
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.items import item_key
from pqrs_core.domain.outgoing import search_key
from pqrs_core.domain.tags import tag_key
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.field_search import probe
from pqrs_core.ports import SORTS, UNTYPIFIED, CasePage, CaseQuery, CaseSummary
from pqrs_core.query_filters import UNRANKED, fold_email

from .case_rows import path_codes_text, row_to_case
from .outgoing_store import case_ids_with_number
from .search import text_clause
from .summary_schema import COUNTS
from .summary_schema import KEYS as COUNTED
from .tables import case_field_values, case_items, case_tags, cases
from .visibility_sql import has_large_set, visibility_clause

# (expression, descending) pairs: the order of each ``CaseQuery.sort``, the same as ``sort_key``.
# ``filing_number`` breaks the ties ``sort_key`` leaves between prefixes and makes the order total.
_NEWEST: list[tuple[ColumnElement[Any], bool]] = [
    (cases.c.filing_year, True), (cases.c.filing_seq, True), (cases.c.filing_number, True)]
SORT_KEYS: dict[str, list[tuple[ColumnElement[Any], bool]]] = {
    "newest": _NEWEST,
    "oldest": [(cases.c.filing_year, False), (cases.c.filing_seq, False), (cases.c.filing_number, False)],
    "priority": [(func.coalesce(cases.c.priority_rank, UNRANKED), False), *_NEWEST],
    "updated": [(cases.c.updated_at, True), *_NEWEST],
    "closed": [(func.coalesce(cases.c.closed_at, cases.c.filed_at), True), *_NEWEST],
    "deadline": [(cases.c.due_at, False), (func.coalesce(cases.c.priority_rank, UNRANKED), False),
                 (cases.c.filing_year, False), (cases.c.filing_seq, False), (cases.c.filing_number, False)],
}
OPEN_CATEGORIES = frozenset(StateCategory) - {StateCategory.DONE}
# Sorts read along an index (``ix_cases_filing_order``), and how many of their first cases a listing
# with a broad visibility looks at, in turn, before it asks for every matching case (``list_cases``):
# few first (a network with a tenth of the cases fills a page from the newest 500 in 13 ms at a
# million cases, where 2,000 took 23), more when that was not enough.
PROBED_SORTS = frozenset({"newest", "oldest"})
PROBE_ROWS = (500, 4000)
# Sort keys that may be NULL, by sort: they order NULLS LAST (both databases, explicitly) and the keyset
# condition treats NULL as the greatest value.
NULLABLE_KEYS: dict[str, frozenset[int]] = {"deadline": frozenset({0})}
# How many cases holding a custom field value make it common (``_field_holds``).
COMMON_VALUE = 2_000


def where_clause(conn: Connection, query: CaseQuery, *, semi_join: bool = False) -> ColumnElement[bool]:
    """Every filter of ``query`` (visibility and free text included), ANDed; ``semi_join``: see
    ``visibility_sql.in_set``."""
    c = cases.c
    # A voided case is in no listing, unless asked for (auditing).
    parts: list[ColumnElement[bool]] = [] if query.include_voided else [c.deleted_at.is_(None)]
    if query.state_categories and StateCategory.DONE not in query.state_categories:
        # Open cases only, written as the condition of the partial indexes a list of them reads
        # (``ix_cases_open_deadline``, ``ix_cases_open_category_due``...): a database uses a partial
        # index only for a query whose own condition implies the index's, and SQLite only sees that
        # when it is the same text.
        parts.append(c.state_category != literal_column(f"'{StateCategory.DONE.value}'"))
    if query.state_categories and set(query.state_categories) != OPEN_CATEGORIES:
        parts.append(c.state_category.in_([sc.value for sc in query.state_categories]))
    for column, values in ((c.state, query.states), (c.kind, query.kinds), (c.queue, query.queues),
                           (c.priority, query.priorities), (c.channel, query.channels)):
        if values:
            parts.append(column.in_(values))
    if query.assignee is not None:
        parts.append(c.assignee == query.assignee)
    for tag in dict.fromkeys(tag_key(t) for t in query.tags):
        parts.append(exists().where(case_tags.c.case_id == c.id, case_tags.c.tag_key == tag))
    if query.lots or query.products:
        parts.append(_involves(query.lots, query.products))
    for code, value in query.custom_fields:
        parts.append(_field_holds(conn, code, value))
    if query.typification is not None:
        parts.append(c.typification_path_codes.contains(path_codes_text((query.typification,)),
                                                        autoescape=True))
    if query.requester_document is not None:
        parts.append(c.requester_document_number == query.requester_document)
    if query.requester_email is not None:
        parts.append(func.lower(func.trim(c.requester_email)) == fold_email(query.requester_email))
    if query.filed_from is not None:
        parts.append(c.filed_at >= query.filed_from)
    if query.filed_to is not None:
        parts.append(c.filed_at < query.filed_to)
    if query.with_third_party:
        parts.append(c.third_party.is_not(None))
    if query.pending_request_queue is not None:
        parts.append(c.pending_request_queues.contains(path_codes_text((query.pending_request_queue,)),
                                                       autoescape=True))
    if query.awaiting_approval:
        parts.append(c.pending_response.is_not(None))
    if query.unassigned:
        parts.append(c.assignee.is_(None))
    if query.closed_from is not None:
        parts.append(c.closed_at >= query.closed_from)
    if query.closed_to is not None:
        parts.append(c.closed_at < query.closed_to)
    if query.closed is not None:
        parts.append(c.closed_at.is_not(None) if query.closed else c.closed_at.is_(None))
    if query.quality_reviewed is not None:
        parts.append(c.quality_reviewed_at.is_not(None) if query.quality_reviewed
                     else c.quality_reviewed_at.is_(None))
    if query.due_from is not None:
        parts.append(c.due_at >= query.due_from)
    if query.due_to is not None:
        parts.append(c.due_at < query.due_to)
    if query.text:
        searched = text_clause(conn, query.text)
        key = search_key(query.text)
        if key is not None:  # or the case that sent the communication with that outgoing number
            sent = c.id.in_(case_ids_with_number(key))
            searched = sent if searched is None else or_(searched, sent)
        if searched is not None:
            parts.append(searched)
    if query.visible is not None:
        parts.append(visibility_clause(query.visible, conn.dialect.name, semi_join=semi_join))
    return and_(true(), *parts)


def _involves(lots: tuple[str, ...], products: tuple[str, ...]) -> ColumnElement[bool]:
    """An item of the case of one of ``lots`` and one of ``products`` (``query_filters.involves``): the
    cases whose ids ``case_items``' lot or product index gives (``IN``, not a correlated ``EXISTS``, so that
    a rare lot is looked up once instead of probed for every case the listing's order walks through)."""
    item = case_items.c
    conditions = []
    if lots:
        conditions.append(item.lot_key.in_(sorted({item_key(v) for v in lots})))
    if products:
        conditions.append(item.product_key.in_(sorted({item_key(v) for v in products})))
    return cases.c.id.in_(select(item.case_id).where(*conditions))
def _field_holds(conn: Connection, code: str, value: str) -> ColumnElement[bool]:
    """The case has ``value`` in custom field ``code`` (``field_search.found``), read from the index.
    A value few cases hold is looked up first (``cases.id IN``: the cases come from the index); a
    common one is checked case by case along the listing's order (``EXISTS``), which stops at a page
    instead of sorting every match. A count of at most ``COMMON_VALUE`` index entries tells them apart
    (each form alone, at 100,000 cases on SQLite: ``IN`` takes 0.2 s for a value of 40% of the cases,
    ``EXISTS`` 0.6 s for a value of one; chosen so, 3 ms and 8 ms)."""
    v = case_field_values.c
    same = v.text_value == probe(value).text
    holding = select(v.case_id).where(v.field == code, same)
    sample = holding.limit(COMMON_VALUE).subquery()
    common = conn.execute(select(func.count()).select_from(sample)).scalar_one()
    if common < COMMON_VALUE:
        return cases.c.id.in_(holding)
    return exists().where(v.case_id == cases.c.id, v.field == code, same)


def list_cases(conn: Connection, query: CaseQuery) -> CasePage:
    """A page of the cases ``query`` selects, in its order, after its cursor."""
    if query.sort not in SORTS:
        raise ValidationError({"sort": f"debe ser uno de: {', '.join(SORTS)}"})
    if query.sort == "deadline" and query.now is not None and query.calendar is not None:
        from .deadline_order import list_by_time_left

        return list_by_time_left(conn, query, where_clause(conn, query))
    keys = SORT_KEYS[query.sort]
    nullable = NULLABLE_KEYS.get(query.sort, frozenset())
    after = _after(conn, keys, query.after, nullable) if query.after is not None else true()
    limit = max(query.limit, 0)
    order = [expr.desc() if descending else expr.asc() for expr, descending in keys]
    order = [o.nulls_last() if i in nullable else o for i, o in enumerate(order)]
    stmt: Select[Any] = select(cases).where(after).order_by(*order).limit(limit + 1)
    rows: Sequence[Any] = []
    complete = False
    sqlite = conn.dialect.name == "sqlite"
    if query.sort in PROBED_SORTS and (_broad(query) or (sqlite and bool(query.text))):
        # The first PROBE_ROWS cases in the order (along ix_cases_filing_order) first: when a full page
        # is among them, it is the page. Otherwise (few cases match), the whole query. On SQLite a
        # search is probed too: a common word otherwise looks up and sorts every case that has it.
        for probe in PROBE_ROWS:
            if sqlite:
                rowid: ColumnElement[Any] = literal_column("cases.rowid")  # in every index: no row read
                first = (select(rowid).select_from(cases).where(after).order_by(*order).limit(probe)
                         .correlate(None))
                rows = conn.execute(stmt.where(where_clause(conn, query), rowid.in_(first))).mappings().all()
            else:
                rows, complete = _probe_postgresql(conn, query, stmt, after, order, probe)
            if len(rows) > limit or complete:
                break
    if len(rows) <= limit and not complete:
        rows = conn.execute(stmt.where(where_clause(conn, query))).mappings().all()
    page = [row_to_case(r) for r in rows[:limit]]
    cursor = str(page[-1].filing_number) if len(rows) > limit and page else None
    return CasePage(page, cursor)


def _probe_postgresql(conn: Connection, query: CaseQuery, stmt: Select[Any], after: ColumnElement[bool],
                      order: list[Any], reach: int) -> tuple[Sequence[Any], bool]:
    """PostgreSQL's probe: the names as a subquery (no planning per name) over the cases up to the
    ``reach``-th in the order (an index range). ``True`` with the rows when that range is everything
    left, so the rows are the answer whatever their number."""
    year, seq = cases.c.filing_year, cases.c.filing_seq
    bound = conn.execute(select(year, seq).where(after).order_by(*order).offset(reach).limit(1)).first()
    probe = stmt.where(where_clause(conn, query, semi_join=True))
    if bound is None:
        return conn.execute(probe).mappings().all(), True
    # Every case up to the bound, in the order (ties on the bound's number included).
    key, edge = tuple_(year, seq), tuple_(*bound)
    within = key >= edge if query.sort == "newest" else key <= edge
    return conn.execute(probe.where(within)).mappings().all(), False


def _broad(query: CaseQuery) -> bool:
    """Whether ``query``'s visibility names many people (a consultant's network), so that it likely
    selects many cases: SQLite would gather every case of those people through their indexes and sort
    them all, PostgreSQL would spend longer planning (estimating each name) than running, where
    reading the newest cases until a page is full costs a few thousand rows."""
    return query.visible is not None and has_large_set(query.visible)


def _after(conn: Connection, keys: list[tuple[ColumnElement[Any], bool]], cursor: str,
           nullable: frozenset[int] = frozenset()) -> ColumnElement[bool]:
    """Rows strictly after the cursor's row in the order ``keys``; the keys at the positions
    ``nullable`` sort NULLs last (ascending keys only)."""
    values = conn.execute(select(*(expr for expr, _ in keys))
                          .where(cases.c.filing_number == cursor.strip().upper())).first()
    if values is None:
        raise ValidationError({"after": "el cursor no corresponde a un caso"})
    return beyond(keys, tuple(values), nullable)


def beyond(keys: Sequence[tuple[ColumnElement[Any], bool]], values: Sequence[Any],
           nullable: frozenset[int] = frozenset()) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order ``keys`` (see ``_after``)."""
    def equal(j: int) -> ColumnElement[bool]:
        expr = keys[j][0]
        return expr.is_(None) if values[j] is None else expr == values[j]

    alternatives: list[ColumnElement[bool]] = []
    for i, (expr, descending) in enumerate(keys):
        if values[i] is None:
            continue  # nothing is beyond NULL, the last value
        beyond = expr < values[i] if descending else expr > values[i]
        if i in nullable:
            beyond = or_(beyond, expr.is_(None))
        alternatives.append(and_(*(equal(j) for j in range(i)), beyond))
    return or_(false(), *alternatives)


def summarize_cases(conn: Connection, query: CaseQuery) -> CaseSummary:
    """The counts of ``CaseSummary`` over the cases ``query`` selects (``limit``, ``after`` and ``sort``
    ignored), as ``pqrs_core.query_filters.summarize`` computes them: one pass over the cases, grouped
    by every column a count is kept for, then added up here (a report over a year of cases reads them
    once, not once per count). On SQLite a report by filing dates alone, by someone who sees every
    case, reads its whole months from ``case_month_counts`` (``summary_schema``)."""
    rows = _summary_rows(conn, query)
    counters: dict[str, Counter[str]] = {name: Counter() for name in (
        "by_state_category", "by_state", "by_kind", "by_priority", "by_channel", "by_typification",
        "by_category")}
    total = first_contact = 0
    for category, state, kind, priority, channel, code, path_codes, resolved, n in rows:
        total += n
        first_contact += n if resolved else 0
        counters["by_state_category"][category] += n
        counters["by_state"][state] += n
        counters["by_kind"][kind] += n
        counters["by_priority"][priority or ""] += n
        counters["by_channel"][channel or ""] += n
        counters["by_typification"][code or UNTYPIFIED] += n
        counters["by_category"][path_codes.strip("|").split("|")[0] if path_codes else UNTYPIFIED] += n
    return CaseSummary(total=total, first_contact_resolutions=first_contact,
                       **{name: dict(counter) for name, counter in counters.items()})


_SUMMARY_COLUMNS = (cases.c.state_category, cases.c.state, cases.c.kind, cases.c.priority, cases.c.channel,
                    cases.c.typification_code, cases.c.typification_path_codes,
                    cases.c.first_contact_resolution)


def _summary_rows(conn: Connection, query: CaseQuery) -> list[Any]:
    """``(the summary's columns..., number of cases)`` rows, possibly several per combination."""
    months = _whole_months(query) if conn.dialect.name == "sqlite" and _by_filing_dates_only(query) else None
    if months is None:
        return _grouped(conn, query)
    first, end = months
    bounds = []
    if first is not None:
        bounds.append(COUNTS.c.month >= _month(first))
    if end is not None:
        bounds.append(COUNTS.c.month < _month(end))
    keys = [COUNTS.c[k] for k in COUNTED]
    total = func.sum(COUNTS.c.cases)
    rows = list(conn.execute(select(*keys, total).where(*bounds).group_by(*keys).having(total > 0)))
    # The partial months at the edges, from the cases.
    if first is not None and (query.filed_from is None or query.filed_from < first):
        rows += _grouped(conn, attrs.evolve(query, filed_to=first))
    if end is not None and (query.filed_to is None or query.filed_to > end):
        rows += _grouped(conn, attrs.evolve(query, filed_from=end))
    return rows


def _grouped(conn: Connection, query: CaseQuery) -> list[Any]:
    return list(conn.execute(select(*_SUMMARY_COLUMNS, func.count()).where(where_clause(conn, query))
                             .group_by(*_SUMMARY_COLUMNS)))


def _by_filing_dates_only(query: CaseQuery) -> bool:
    """Whether ``query`` filters by nothing but the filing dates, for someone who sees every case."""
    unfiltered = attrs.evolve(query, filed_from=None, filed_to=None, visible=None, sort="newest", limit=50,
                              after=None, now=None, calendar=None)
    return unfiltered == CaseQuery() and (query.visible is None or isinstance(query.visible, Everything))


def _whole_months(query: CaseQuery) -> tuple[datetime | None, datetime | None] | None:
    """The first and the end of the whole UTC months inside the query's filing range (``None`` for an
    open end), or ``None`` when there is no whole month in it."""
    start = query.filed_from.astimezone(UTC) if query.filed_from is not None else None
    stop = query.filed_to.astimezone(UTC) if query.filed_to is not None else None
    first = None
    if start is not None:
        first = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if first < start:
            first = _next_month(first)
    end = stop.replace(day=1, hour=0, minute=0, second=0, microsecond=0) if stop is not None else None
    if first is not None and end is not None and first >= end:
        return None
    return first, end


def _next_month(instant: datetime) -> datetime:
    return instant.replace(year=instant.year + instant.month // 12, month=instant.month % 12 + 1)


def _month(instant: datetime) -> str:
    return f"{instant.year:04d}-{instant.month:02d}"
