"""The reports of ``/reportes`` over the last quarter of a store of N historical cases (issue 17: each report
over a quarter answers in at most 300 ms p95 at 1,000,000 cases, SQLite and PostgreSQL).

For each database the store is loaded as ``bench_scale.py`` loads it (``generate.py`` then ``pqrs
import``, which writes ``case_report_facts`` as the repository does), then each report is asked by a
supervisor, as the web page and the API ask it: ``report_counts``, ``report_timeliness`` or
``report_regulatory`` (visibility, the catalog, what the store groups) followed by the figures
(``report_figures``); productivity, causes and satisfaction as their pages ask them
(``quality_reports``), in a process whose heap is settled as a served worker's is
(``pqrs_adapters.flask.heap``; ``--unsettled`` leaves it). p50/p95 per report: one JSON line per figure,
then a Markdown table.

    .venv/bin/python benchmarks/bench_reports.py                         # 100,000 cases, both databases
    .venv/bin/python benchmarks/bench_reports.py --cases 1000000 --databases sqlite --keep-stores \\
        --workdir /var/tmp/pqrs-bench                                    # reuses bench_scale's stores
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(HERE)]

from _figures import Figures, machine  # noqa: E402
from _postgres import DEFAULT_POSTGRES, bench_database, masked  # noqa: E402
from bench_scale import _workdir, generate, measure, open_store  # noqa: E402
from generate import DEFAULT_END  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from pqrs_adapters.flask.api.schemas.reports import REGULATORY_PAGE  # noqa: E402
from pqrs_adapters.flask.heap import settle  # noqa: E402
from pqrs_adapters.sqlalchemy.quality_queries import quality_queries  # noqa: E402
from pqrs_adapters.sqlalchemy.report_queries import report_queries  # noqa: E402
from pqrs_core.domain.values import Actor  # noqa: E402
from pqrs_core.services import quality_reports as qr  # noqa: E402
from pqrs_core.services import report_figures as rf  # noqa: E402
from pqrs_core.services.messagebus import Pqrs  # noqa: E402
from pqrs_core.services.quality_figures import Targets  # noqa: E402
from pqrs_core.services.reports import (  # noqa: E402
    Period,
    ReportFilter,
    report_counts,
    report_regulatory,
    report_timeliness,
)

SUPERVISOR = Actor("bench.supervisor", frozenset({"supervisor"}))
# Each report as the page and the API read it: from the counts the store groups (groupings of the
# range, of the range before), or from what its own use case reads (timeliness; regulatory, with the
# API's page of cases).
REPORTS: dict[str, tuple[Any, Any, Period]] = {
    "R1_volume": (rf.volume_counted, (rf.VOLUME_GROUPINGS, rf.VOLUME_PREVIOUS), Period.WEEK),
    "R2_timeliness": (rf.timeliness_counted, "timeliness", Period.WEEK),
    "R3_resolution_levels": (rf.resolution_levels_counted, (rf.LEVEL_GROUPINGS, ()), Period.WEEK),
    "R4_regulatory": (rf.regulatory_counted, "regulatory", Period.QUARTER),
}
# The reports of the quality pages, as they ask them (``quality_reports``): the figures they return.
QUALITY: dict[str, tuple[Any, Period]] = {
    "R5_productivity": (lambda p, s: qr.productivity_report(p, quality_queries, s, SUPERVISOR, Targets()),
                        Period.WEEK),
    "R6_causes": (lambda p, s: qr.causes_report(p, quality_queries, s, SUPERVISOR), Period.MONTH),
    "R7_satisfaction": (lambda p, s: qr.satisfaction_report(p, quality_queries, s, SUPERVISOR, "area"),
                        Period.MONTH),
}


def last_quarter(end: date) -> ReportFilter:
    """The last whole quarter before ``end``'s quarter."""
    first = end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1)
    start = (first - timedelta(days=1)).replace(day=1)
    start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
    return ReportFilter(start=start, end=first - timedelta(days=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=os.environ.get("PQRS_BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--batch", type=int, default=5000, help="pqrs import --batch")
    parser.add_argument("--calls", type=int, default=10, help="timed calls per report")
    parser.add_argument("--quarter", type=date.fromisoformat, default=None,
                        help="a day of the quarter to report on (default: the last whole one of the data)")
    parser.add_argument("--reports", default="",
                        help="comma-separated prefixes of the reports to ask (e.g. R2,R4); all by default")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep-stores", action="store_true",
                        help="keep the loaded stores and reuse them (the same names as bench_scale.py)")
    parser.add_argument("--unsettled", action="store_true",
                        help="leave the heap as it is (a served worker settles it: pqrs_adapters.flask.heap)")
    args = parser.parse_args()

    figures = Figures("reports")
    print(json.dumps({"benchmark": "reports", "machine": machine(), "load_average": os.getloadavg(),
                      "args": {k: str(v) for k, v in vars(args).items()}
                      | {"postgres_url": masked(args.postgres_url)}}, ensure_ascii=False), flush=True)
    databases = {d.strip() for d in args.databases.split(",") if d.strip()}
    with _workdir(args.workdir) as work:
        cases_file = work / f"cases-{args.cases}-{args.seed}.jsonl"
        generate(figures, cases_file, args.cases, args.seed)
        if "sqlite" in databases:
            name = f"{args.cases}-{args.seed}" if args.keep_stores else uuid.uuid4().hex[:8]
            db = work / f"bench-{name}.sqlite3"
            try:
                run_store(figures, "sqlite", f"sqlite:///{db}", cases_file, args, work)
            finally:
                for suffix in ("", "-wal", "-shm"):
                    if not args.keep_stores:
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
        if {"postgres", "postgresql"} & databases:
            database_url = os.environ.get("PQRS_DATABASE_URL", "")
            if database_url and make_url(database_url).get_backend_name() == "postgresql":
                run_store(figures, "postgresql", database_url, cases_file, args, work)
            else:
                name = f"pqrs_bench_{args.cases}_{args.seed}" if args.keep_stores else None
                with bench_database(args.postgres_url, name=name, keep=args.keep_stores) as url:
                    if url is None:
                        figures.skipped("R1_volume", "postgresql", "unreachable")
                    else:
                        run_store(figures, "postgresql", url, cases_file, args, work)
    print()
    print(figures.markdown())


def run_store(figures: Figures, database: str, url: str, cases_file: Path, args: argparse.Namespace,
              work: Path) -> None:
    with open_store(figures, database, url, cases_file, args, work) as (pqrs, engine):
        if not args.unsettled:
            settle()  # as a served worker does once its application is built
        quarter = last_quarter(date.fromisoformat(DEFAULT_END[:10]) if args.quarter is None
                               else args.quarter.replace(day=1) + timedelta(days=100))
        chosen = tuple(r.strip() for r in args.reports.split(",") if r.strip())
        for figure, (compute, previous, period) in REPORTS.items():
            if chosen and not figure.startswith(chosen):
                continue
            spec = ReportFilter(start=quarter.start, end=quarter.end, period=period)
            rows = _run(pqrs, spec, compute, previous)
            measure(figures, figure, database, engine, args.calls,
                    lambda _i, s=spec, c=compute, p=previous: _run(pqrs, s, c, p),
                    start=str(spec.start), end=str(spec.end), cases_in_quarter=rows)
        for figure, (ask, period) in QUALITY.items():
            if chosen and not figure.startswith(chosen):
                continue
            spec = ReportFilter(start=quarter.start, end=quarter.end, period=period)
            ask(pqrs, spec)
            measure(figures, figure, database, engine, args.calls,
                    lambda _i, s=spec, a=ask: a(pqrs, s), start=str(spec.start), end=str(spec.end))


def _run(pqrs: Pqrs, spec: ReportFilter, compute: Any, groupings: Any) -> int:
    """Computes one report; the cases of the range."""
    if groupings == "timeliness":
        timed = report_timeliness(pqrs, report_queries, spec, SUPERVISOR)
        compute(timed, spec)
        return sum(timed.counts[0].values())
    if groupings == "regulatory":
        page = report_regulatory(pqrs, report_queries, spec, SUPERVISOR, limit=REGULATORY_PAGE)
        report = compute(page, spec)
        return int(report.totals.received)
    counted = report_counts(pqrs, report_queries, spec, SUPERVISOR, *groupings)
    compute(counted, spec)
    return sum(counted.counts[0].values())


if __name__ == "__main__":
    main()
