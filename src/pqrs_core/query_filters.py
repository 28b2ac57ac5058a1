"""Evaluating a ``CaseQuery`` against a case in Python (the SQL store compiles the same filters)."""

from __future__ import annotations

from .domain.case import Case
from .ports import CaseQuery


def matches_query(case: Case, query: CaseQuery) -> bool:
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
    if query.typification is not None and (
            case.typification is None or query.typification not in case.typification.path_codes):
        return False
    if query.requester_document is not None and case.requester.document_number != query.requester_document:
        return False
    return True
