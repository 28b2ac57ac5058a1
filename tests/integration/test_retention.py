"""``purge_expired``: what has expired goes, in batches; everything still of use stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select

from pqrs_adapters.accounts import save_user
from pqrs_adapters.accounts.sessions import session_user, start_session
from pqrs_adapters.sqlalchemy import idempotency, rate_limits
from pqrs_adapters.sqlalchemy.engine import begin_write
from pqrs_adapters.sqlalchemy.retention import PurgeReport, purge_expired
from pqrs_adapters.sqlalchemy.tables import idempotency_keys, outbox, user_sessions
from pqrs_adapters.sqlalchemy.tables import rate_limits as rate_limit_rows

if TYPE_CHECKING:
    from conftest import StoreUnderTest

NOW = datetime(2027, 1, 1, 4, 40, tzinfo=UTC)
IDLE = timedelta(hours=10)


def _engine(sql_store: StoreUnderTest) -> Engine:
    assert sql_store.engine is not None
    return sql_store.engine


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _outbox_row(engine: Engine, key: str, *, created: datetime, sent: datetime | None) -> None:
    with begin_write(engine) as conn:
        conn.execute(outbox.insert().values(
            key=key, template="acknowledgement", recipient="requester", case_id="c1",
            filing_number="PQRS-2026-000001", context={}, created_at=created, attempts=1 if sent else 10,
            next_attempt_at=created, sent_at=sent))


def test_expired_rows_are_purged_in_batches_and_the_rest_is_kept(sql_store: StoreUnderTest) -> None:
    engine = _engine(sql_store)
    save_user(engine, "ana")
    for i in range(7):  # idempotency keys: 7 older than a week, 2 recent
        idempotency.claim(engine, f"viejo-{i}", "ana", "h", now=NOW - timedelta(days=8, minutes=i))
    for i in range(2):
        idempotency.claim(engine, f"reciente-{i}", "ana", "h", now=NOW - timedelta(days=6))
    # Rate-limit counters: 1 from this hour, 5 from three days ago (recorded after it: recording an
    # attempt at an instant deletes the counters already expired then).
    rate_limits.record_attempt(engine, "lookup_failure", "cliente-hoy", window=timedelta(minutes=15), now=NOW)
    for i in range(5):
        rate_limits.record_attempt(engine, "lookup_failure", f"cliente-{i}", window=timedelta(minutes=15),
                                   now=NOW - timedelta(days=3))
    stale = [start_session(engine, "ana", now=NOW - IDLE - timedelta(minutes=i + 1), idle=IDLE * 10)
             for i in range(4)]
    live = start_session(engine, "ana", now=NOW - timedelta(hours=1), idle=IDLE * 10)
    for i in range(4):  # mail sent more than a year ago
        _outbox_row(engine, f"enviado-viejo-{i}", created=NOW - timedelta(days=400),
                    sent=NOW - timedelta(days=399))
    _outbox_row(engine, "enviado-reciente", created=NOW - timedelta(days=3), sent=NOW - timedelta(days=3))
    _outbox_row(engine, "abandonado-viejo", created=NOW - timedelta(days=400), sent=None)

    report = purge_expired(engine, NOW, sessions_idle=IDLE, batch=3)

    assert report == PurgeReport(idempotency_keys=7, rate_limits=5, sessions=4, sent_mail=4)
    assert report.total == 20
    assert _count(engine, idempotency_keys) == 2 and _count(engine, rate_limit_rows) == 1
    assert _count(engine, user_sessions) == 1 and session_user(engine, live, now=NOW, idle=IDLE) == "ana"
    assert all(session_user(engine, token, now=NOW, idle=IDLE * 10) is None for token in stale)
    with engine.connect() as conn:
        left = sorted(conn.execute(select(outbox.c.key)).scalars())
    assert left == ["abandonado-viejo", "enviado-reciente"]  # what was never delivered stays
    assert purge_expired(engine, NOW, sessions_idle=IDLE, batch=3) == PurgeReport()
