"""What ``/metrics`` reads from the store at each scrape: the outbox's backlog and its age, the alarms
the sweep has yet to raise, and the workers' heartbeats. Each figure is one indexed query, whatever
the store's size."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

import attrs
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.dialects import postgresql, sqlite

from .engine import begin_write
from .tables import cases, outbox, worker_heartbeats

STALE_HEARTBEATS = timedelta(days=1)  # a worker silent that long has been stopped: ``pqrs maintain``


@attrs.frozen
class StoreFigures:
    outbox_pending: int
    outbox_given_up: int
    outbox_oldest_pending_age: float  # seconds; 0 when nothing is pending
    alarms_due: int
    heartbeat_ages: dict[str, float]  # worker -> seconds since its last beat


def read_figures(engine: Engine, now: datetime, max_attempts: int) -> StoreFigures:
    unsent = outbox.c.sent_at.is_(None)
    with engine.connect() as conn:
        pending, oldest = conn.execute(
            select(func.count(), func.min(outbox.c.created_at))
            .where(unsent, outbox.c.attempts < max_attempts)).one()
        given_up = conn.execute(select(func.count())
                                .where(unsent, outbox.c.attempts >= max_attempts)).scalar_one()
        alarms = conn.execute(select(func.count()).where(
            and_(cases.c.next_alarm_at.is_not(None), cases.c.next_alarm_at <= now))).scalar_one()
        beats = conn.execute(select(worker_heartbeats.c.worker, worker_heartbeats.c.beat_at)).all()
    return StoreFigures(
        outbox_pending=int(pending), outbox_given_up=int(given_up),
        outbox_oldest_pending_age=max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0,
        alarms_due=int(alarms),
        heartbeat_ages={worker: max(0.0, (now - beat_at).total_seconds()) for worker, beat_at in beats})


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(engine: Engine, worker: str, now: datetime, *, started_at: datetime) -> None:
    """Record that ``worker`` is alive at ``now``."""
    t = worker_heartbeats
    with begin_write(engine) as conn:
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        conn.execute(insert(t).values(worker=worker, started_at=started_at, beat_at=now)
                     .on_conflict_do_update(index_elements=[t.c.worker], set_={"beat_at": now}))
