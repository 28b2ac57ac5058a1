"""``SqlReportQueries``: the rows reports read (``pqrs_core.services.reports.ReportRow``), one per case,
from ``cases`` and its ``case_report_facts``.

The filters and the visibility are the case listings' own (``case_queries.where_clause``, which
compiles the access predicates with ``visibility_sql``), so a report counts exactly the cases its
reader may list. Only the columns a report uses are read, in one pass, streamed.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection, select

from pqrs_core.ports import CaseQuery
from pqrs_core.services.reports import ReportRow

from .case_queries import where_clause
from .tables import case_report_facts, cases

_c, _f = cases.c, case_report_facts.c
_COLUMNS = (_c.filing_number, _c.filed_at, _c.kind, _c.channel, _c.requester_kind, _c.typification_path_codes,
            _c.queue, _c.assignee, _c.state_category, _c.due_at, _c.first_responded_at, _c.responded_at,
            _c.closed_at, _c.term_ended_at, _c.first_contact_resolution, _c.paused_left_unit, _f.extensions,
            _f.transfers, _f.withdrawn, _f.incomplete, _f.responder, _f.responder_queue, _f.access_denied)
_FROM = cases.outerjoin(case_report_facts, case_report_facts.c.case_id == cases.c.id)
BATCH = 5000


class SqlReportQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def rows(self, query: CaseQuery) -> Iterator[ReportRow]:
        stmt = select(*_COLUMNS).select_from(_FROM).where(where_clause(self._conn, query))
        result = self._conn.execution_options(yield_per=BATCH).execute(stmt)
        for r in result:
            yield ReportRow(
                filing_number=r.filing_number, filed_at=r.filed_at, kind=r.kind, channel=r.channel,
                requester_kind=r.requester_kind,
                typification_codes=tuple(r.typification_path_codes.strip("|").split("|"))
                if r.typification_path_codes else (),
                queue=r.queue, assignee=r.assignee, state_category=r.state_category, due_at=r.due_at,
                first_responded_at=r.first_responded_at, responded_at=r.responded_at, closed_at=r.closed_at,
                term_ended_at=r.term_ended_at, first_contact=bool(r.first_contact_resolution),
                # Paused: what the term had left is kept while it is stopped (migration 0013); a case
                # waiting for the requester from before it is paused too.
                paused=r.paused_left_unit is not None or r.state_category == "waiting",
                extensions=r.extensions or 0, transfers=r.transfers or 0, withdrawn=bool(r.withdrawn),
                incomplete=bool(r.incomplete), responder=r.responder, responder_queue=r.responder_queue,
                access_denied=bool(r.access_denied))


def report_queries(uow: object) -> SqlReportQueries:
    """The report queries of a SQL unit of work (``report_rows``'s ``source``)."""
    from .unit_of_work import SqlUnitOfWork

    assert isinstance(uow, SqlUnitOfWork)
    return SqlReportQueries(uow.connection)
