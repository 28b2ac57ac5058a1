"""The staff's in-app notifications (the bell) and what each person has seen of each case.

The rows are written by ``SqlOutbox.add`` in the transaction of the change (see ``IN_APP_TEMPLATES``):
the core's ``notifications_for`` decides who is told what, once, for e-mail and the application alike.
A person receives what is addressed to them (``user:<name>``), to a queue they work in (``queue:``)
or to a role they hold (``role:``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import Engine, and_, exists, func, select

from pqrs_core.domain.values import Actor

from .codec import upsert
from .engine import begin_write
from .tables import case_views, notification_reads, staff_notifications

LISTED = 30  # how many of the latest notifications the list shows


@attrs.frozen
class StaffNotification:
    id: int
    template: str
    filing_number: str
    context: dict[str, Any]
    created_at: datetime
    read: bool


def recipients(actor: Actor) -> list[str]:
    """The outbox recipients that reach ``actor``."""
    return [f"user:{actor.username}", *(f"queue:{q}" for q in sorted(actor.queues)),
            *(f"role:{r}" for r in sorted(actor.roles))]


def _read_by(username: str) -> Any:
    n = staff_notifications.c
    return exists().where(and_(notification_reads.c.username == username,
                               notification_reads.c.notification_id == n.id))


def unread_count(engine: Engine, actor: Actor) -> int:
    n = staff_notifications.c
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(staff_notifications)
                                .where(n.recipient.in_(recipients(actor)), ~_read_by(actor.username)))
                   .scalar_one())


def latest(engine: Engine, actor: Actor, limit: int = LISTED) -> list[StaffNotification]:
    """``actor``'s latest notifications, newest first, each saying whether they read it."""
    n = staff_notifications.c
    read = _read_by(actor.username).label("read")
    with engine.connect() as conn:
        rows = conn.execute(select(n.id, n.template, n.filing_number, n.context, n.created_at, read)
                            .where(n.recipient.in_(recipients(actor))).order_by(n.id.desc()).limit(limit))
        return [StaffNotification(r.id, r.template, r.filing_number, dict(r.context), r.created_at,
                                  bool(r.read)) for r in rows]


def find(engine: Engine, actor: Actor, notification_id: int) -> StaffNotification | None:
    """One of ``actor``'s notifications (``None`` when there is no such one for them)."""
    n = staff_notifications.c
    read = _read_by(actor.username).label("read")
    with engine.connect() as conn:
        r = conn.execute(select(n.id, n.template, n.filing_number, n.context, n.created_at, read)
                         .where(n.id == notification_id, n.recipient.in_(recipients(actor)))).first()
    return StaffNotification(r.id, r.template, r.filing_number, dict(r.context), r.created_at,
                             bool(r.read)) if r is not None else None


def mark_read(engine: Engine, actor: Actor, now: datetime, ids: Iterable[int] | None = None) -> int:
    """Mark ``ids`` (all of ``actor``'s unread ones when ``None``) as read; how many were marked."""
    n = staff_notifications.c
    query = select(n.id).where(n.recipient.in_(recipients(actor)), ~_read_by(actor.username))
    if ids is not None:
        query = query.where(n.id.in_(list(ids)))
    with begin_write(engine) as conn:
        found = [row.id for row in conn.execute(query)]
        if found:
            conn.execute(notification_reads.insert(), [
                {"username": actor.username, "notification_id": i, "read_at": now} for i in found])
    return len(found)


def record_view(engine: Engine, username: str, case_id: str, version: int, now: datetime) -> None:
    """``username`` has just seen the case ``case_id`` at ``version``."""
    with begin_write(engine) as conn:
        upsert(conn, case_views, {"username": username, "case_id": case_id, "seen_version": version,
                                  "seen_at": now}, keys=("username", "case_id"))


def seen_versions(engine: Engine, username: str, case_ids: Collection[str]) -> dict[str, int]:
    """The version of each of ``case_ids`` that ``username`` last saw (cases never seen left out)."""
    if not case_ids:
        return {}
    v = case_views.c
    with engine.connect() as conn:
        rows = conn.execute(select(v.case_id, v.seen_version)
                            .where(v.username == username, v.case_id.in_(sorted(case_ids))))
        return {row.case_id: row.seen_version for row in rows}
