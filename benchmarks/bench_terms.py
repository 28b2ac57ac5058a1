"""Terms and the sweep: deadline computation, filing, and the alarm sweep over N open cases.

Prints one JSON line per figure, then a Markdown table of them all. Nothing is asserted.

1. ``deadlines``: policy selection among ten term policies (the Colombian legal presets of
   ``pqrs_legal_co`` and two organisational service levels) + ``shifted_deadline`` with 0–2 pauses
   (5 % with the prórroga) + the first-response deadline where the policy has one +
   ``alarm_schedule``, for random receptions over 2024–2027 (warm calendar; ``cold_calendar_ms`` is
   the one-off building of its business-day table).
2. ``case_file_domain``: ``Case.file`` itself for ``--filings`` commands (validation, policy,
   deadlines, alarms, events); ``file_case_use_case_memory``: the ``FileCase`` use case on
   ``in_memory_pqrs`` with the same plugins (store reset after each filing);
   ``file_case_memory_growing_store``: the same into one store that keeps growing.
3. On SQLite (a file in a temporary directory) and PostgreSQL (a database created and dropped here;
   "skipped" when unreachable): ``load_cases`` (bulk load of N open cases, about ``--due-share`` due
   at the sweep instant), ``due_for_alarm_query`` (``--query-calls`` calls, with the query plan),
   ``sweep`` (``pqrs_core.services.sweep.sweep`` at the sweep instant; latency per batch) and
   ``sweep_nothing_due``.

    .venv/bin/python benchmarks/bench_terms.py                      # 100,000 deadlines and cases
    .venv/bin/python benchmarks/bench_terms.py --cases 1000000 --databases sqlite --skip-deadlines
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(Path(__file__).resolve().parent)]

from _figures import Figures, machine  # noqa: E402
from _postgres import DEFAULT_POSTGRES, bench_database, masked  # noqa: E402
from _sweep_workload import bench_store  # noqa: E402
from _terms_workload import bench_deadlines, bench_filing, legal_plugin  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=100_000, help="deadlines to compute")
    parser.add_argument("--filings", type=int, default=10_000, help="cases to file in memory")
    parser.add_argument("--growing", type=int, default=300,
                        help="filings into one growing in-memory store (0: skip)")
    parser.add_argument("--cases", type=int, default=100_000, help="open cases in each database")
    parser.add_argument("--due-share", type=float, default=0.01, help="share of cases due at the sweep")
    parser.add_argument("--query-calls", type=int, default=200)
    parser.add_argument("--query-limit", type=int, default=500)
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql (empty: no store figures)")
    parser.add_argument("--postgres-url", default=os.environ.get("PQRS_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="an administrative connection; a database pqrs_bench_<hex> is created there "
                             "and dropped afterwards (env PQRS_BENCH_POSTGRES_URL)")
    parser.add_argument("--chunk", type=int, default=5_000, help="rows per executemany")
    parser.add_argument("--chunks-per-transaction", type=int, default=10)
    parser.add_argument("--skip-deadlines", action="store_true", help="only the store figures")
    parser.add_argument("--profile-sweep", action="store_true",
                        help="profile the sweep (top functions on stderr; slows the sweep figure)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    figures = Figures("terms")
    print(json.dumps({"benchmark": "terms", "machine": machine(), "legal_plugin": legal_plugin() is not None,
                      "args": vars(args) | {"postgres_url": masked(args.postgres_url)}},
                     ensure_ascii=False), flush=True)
    if not args.skip_deadlines:
        bench_deadlines(figures, args.deadlines, args.seed)
        bench_filing(figures, args.filings, args.growing, args.seed)

    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    store_args = dict(n=args.cases, due_share=args.due_share, calls=args.query_calls, limit=args.query_limit,
                      seed=args.seed, chunk=args.chunk, chunks_per_transaction=args.chunks_per_transaction,
                      profile=args.profile_sweep)
    if "sqlite" in databases:
        with tempfile.TemporaryDirectory(prefix="pqrs-bench-") as tmp:
            bench_store(figures, "sqlite", f"sqlite:///{tmp}/bench.db", **store_args)  # type: ignore[arg-type]
    if "postgresql" in databases:
        run_postgresql(figures, args.postgres_url, store_args)

    print()
    print(figures.markdown())


def run_postgresql(figures: Figures, admin_url: str, store_args: dict[str, object]) -> None:
    """Create ``pqrs_bench_<hex>``, measure, drop it; say "skipped" when PostgreSQL is unreachable."""
    with bench_database(admin_url) as url:
        if url is None:
            figures.skipped("sweep", "postgresql", "unreachable")
            return
        bench_store(figures, "postgresql", url, **store_args)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
