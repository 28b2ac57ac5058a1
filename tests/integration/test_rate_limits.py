"""The rate-limit counters of the public pages, on SQLite and PostgreSQL: every attempt counted once
even when several processes count at the same time, per subject and fixed window, old rows removed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from pqrs_adapters.sqlalchemy import make_engine
from pqrs_adapters.sqlalchemy.rate_limits import attempts, record_attempt, window_end, window_start
from pqrs_adapters.sqlalchemy.tables import rate_limits

if TYPE_CHECKING:
    from conftest import StoreUnderTest

NOW = datetime(2026, 3, 2, 14, 7, 30, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_windows_are_aligned_and_end_when_the_next_begins() -> None:
    assert window_start(NOW, WINDOW) == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    assert window_end(NOW, WINDOW) == datetime(2026, 3, 2, 14, 15, tzinfo=UTC)


def test_attempts_are_counted_per_subject_bucket_and_window(sql_store: StoreUnderTest) -> None:
    engine = sql_store.engine
    assert engine is not None

    counts = [record_attempt(engine, "lookup_failure", "a", window=WINDOW, now=NOW + timedelta(minutes=i))
              for i in range(3)]
    record_attempt(engine, "lookup_failure", "b", window=WINDOW, now=NOW)
    record_attempt(engine, "public_filing", "a", window=WINDOW, now=NOW)

    assert counts == [1, 2, 3]
    assert attempts(engine, "lookup_failure", "a", window=WINDOW, now=NOW) == 3
    assert attempts(engine, "lookup_failure", "b", window=WINDOW, now=NOW) == 1
    assert attempts(engine, "public_filing", "a", window=WINDOW, now=NOW) == 1
    later = NOW + WINDOW  # the next window starts from nothing
    assert attempts(engine, "lookup_failure", "a", window=WINDOW, now=later) == 0
    assert record_attempt(engine, "lookup_failure", "a", window=WINDOW, now=later) == 1


def test_attempts_counted_at_once_by_several_processes_are_all_counted(sql_store: StoreUnderTest) -> None:
    assert sql_store.url is not None
    engines = [make_engine(sql_store.url) for _ in range(4)]  # as four workers would have
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(
                lambda i: record_attempt(engines[i % 4], "public_filing", "x", window=WINDOW, now=NOW),
                range(20)))
    finally:
        for engine in engines:
            engine.dispose()

    assert sorted(results) == list(range(1, 21))
    assert sql_store.engine is not None
    assert attempts(sql_store.engine, "public_filing", "x", window=WINDOW, now=NOW) == 20


def test_rows_older_than_two_days_are_removed_as_new_attempts_come(sql_store: StoreUnderTest) -> None:
    engine = sql_store.engine
    assert engine is not None
    record_attempt(engine, "public_filing", "old", window=WINDOW, now=NOW - timedelta(days=3))

    record_attempt(engine, "public_filing", "new", window=WINDOW, now=NOW)

    with engine.connect() as conn:
        subjects = conn.execute(select(rate_limits.c.subject, func.count())
                                .group_by(rate_limits.c.subject)).all()
    assert dict(subjects) == {"new": 1}
