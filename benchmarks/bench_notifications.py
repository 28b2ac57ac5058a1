"""The bell's queries, run on every staff page: the unread count and the latest notifications of one
person, and the inbox's seen versions of a page of cases, over many notifications on SQLite.

Prints one JSON line per figure and a Markdown table.

    .venv/bin/python benchmarks/bench_notifications.py [--notifications 200000] [--people 200] [--reads 2000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import Figures  # noqa: E402

from pqrs_adapters.sqlalchemy import make_engine, upgrade  # noqa: E402
from pqrs_adapters.sqlalchemy import staff_notifications as store  # noqa: E402
from pqrs_adapters.sqlalchemy.tables import staff_notifications  # noqa: E402
from pqrs_core.domain.values import Actor  # noqa: E402

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--reads", type=int, default=2000, help="how many times each query runs")
    args = parser.parse_args()
    rng = random.Random(2026)
    figures = Figures("notifications")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'pqrs.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        queues = ["primer_nivel", "back_office", "especialistas"]
        rows = [{"key": f"n{i}", "recipient": (f"user:agente{rng.randrange(args.people)}" if i % 4 else
                                               f"queue:{rng.choice(queues)}"),
                 "template": "assigned", "case_id": f"case-{i}", "filing_number": f"PQRS-2026-{i:06d}",
                 "context": {"subject": "Solicitud"}, "created_at": T0 + timedelta(seconds=i)}
                for i in range(args.notifications)]
        began = time.perf_counter()
        with engine.begin() as conn:
            for start in range(0, len(rows), 10_000):
                conn.execute(staff_notifications.insert(), rows[start:start + 10_000])
        figures.add("insert", count=len(rows), seconds=time.perf_counter() - began, database="sqlite")
        who = Actor("agente7", frozenset({"agent"}), queues=frozenset({"primer_nivel"}))
        store.mark_read(engine, who, T0, range(1, 1001))  # some of them read
        for name, query in (("unread_count", lambda: store.unread_count(engine, who)),
                            ("latest_30", lambda: store.latest(engine, who)),
                            ("seen_versions_25", lambda: store.seen_versions(
                                engine, who.username, [f"case-{i}" for i in range(25)]))):
            samples = []
            for _ in range(args.reads):
                began_ns = time.perf_counter_ns()
                query()
                samples.append(time.perf_counter_ns() - began_ns)
            figures.add(name, count=args.reads, seconds=sum(samples) / 1e9, samples_ns=samples,
                        database="sqlite", notifications=args.notifications,
                        unread=store.unread_count(engine, who))
        engine.dispose()
    print(figures.markdown())


if __name__ == "__main__":
    main()
