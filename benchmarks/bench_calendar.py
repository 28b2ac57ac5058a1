"""Deadline throughput: 15-business-day deadlines for random reception instants over 2020–2027.

Prints one JSON line. The business-day table is built on the first calls (``cold_build_ms``); the
figure that matters, ``deadlines_per_second``, is measured on a warm calendar, the way a long-running
process computes deadlines.

    .venv/bin/python benchmarks/bench_calendar.py [--count 200000] [--seed 2026]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pqrs_core.domain.calendar import BusinessCalendar  # noqa: E402
from pqrs_core.domain.terms import Term  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    start = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2028, 1, 1, tzinfo=UTC).timestamp())
    receptions = [datetime.fromtimestamp(rng.randrange(start, end), tz=UTC) for _ in range(args.count)]
    calendar = BusinessCalendar()
    term = Term(15)

    began = time.perf_counter()
    term.deadline(receptions[0], calendar)
    term.deadline(datetime(2020, 1, 1, tzinfo=UTC), calendar)
    term.deadline(datetime(2027, 12, 31, tzinfo=UTC), calendar)
    cold = time.perf_counter() - began

    began = time.perf_counter()
    for received in receptions:
        term.deadline(received, calendar)
    elapsed = time.perf_counter() - began

    print(json.dumps({
        "benchmark": "deadline_15_business_days",
        "count": args.count,
        "years": "2020-2027",
        "seconds": round(elapsed, 4),
        "deadlines_per_second": round(args.count / elapsed),
        "cold_build_ms": round(cold * 1000, 2),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "holidays": version("holidays"),
        "machine": platform.machine(),
    }))


if __name__ == "__main__":
    main()
