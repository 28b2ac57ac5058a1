"""A case's internal requests as stored in ``cases`` (migration 0024): the list as JSON
(``internal_requests``) and the areas that owe an answer as ``|queue|queue|`` (``pending_request_queues``)
for ``LIKE '%|queue|%'`` (an area's pending requests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pqrs_core.domain.internal_requests import InternalRequest


def to_plain(requests: Sequence[InternalRequest]) -> list[dict[str, Any]] | None:
    if not requests:
        return None
    return [{"id": r.id, "queue": r.queue, "text": r.text, "due": r.due.isoformat(),
             "requested_by": r.requested_by, "requested_at": r.requested_at.isoformat(),
             "soon_at": r.soon_at.isoformat(), "overdue_at": r.overdue_at.isoformat(), "answer": r.answer,
             "answered_by": r.answered_by,
             "answered_at": r.answered_at.isoformat() if r.answered_at else None,
             "alarms_raised": list(r.alarms_raised)} for r in requests]


def pending_queues(requests: Sequence[InternalRequest]) -> str | None:
    waiting = sorted({r.queue for r in requests if r.answered_at is None})
    return "|" + "|".join(waiting) + "|" if waiting else None


def from_plain(data: Sequence[Mapping[str, Any]] | None) -> tuple[InternalRequest, ...]:
    return tuple(InternalRequest(
        id=d["id"], queue=d["queue"], text=d["text"], due=date.fromisoformat(d["due"]),
        requested_by=d["requested_by"], requested_at=datetime.fromisoformat(d["requested_at"]),
        soon_at=datetime.fromisoformat(d["soon_at"]), overdue_at=datetime.fromisoformat(d["overdue_at"]),
        answer=d.get("answer"), answered_by=d.get("answered_by"),
        answered_at=datetime.fromisoformat(d["answered_at"]) if d.get("answered_at") else None,
        alarms_raised=tuple(d.get("alarms_raised") or ())) for d in data or ())
