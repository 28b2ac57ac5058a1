"""The board and the open lists without a queue on a loaded store (issue 19): ``/tablero`` and the
API's open-case lists, served by the web application in this process (Flask's test client: routing,
login, the queries, the template), one request at a time, as an administrator, a supervisor and an
agent of one queue.

- ``board_<who>``: ``/tablero`` (four columns: counts and the first cards of each).
- ``panel_supervisor``: ``/panel``, the supervisor's landing page with its default widgets.
- ``open_newest``: ``/api/v1/cases?state_category=todo&state_category=doing&state_category=waiting&limit=25``
  (the API's default order, newest first, over every open case).
- ``todo_deadline``: ``/api/v1/cases?state_category=todo&sort=deadline&limit=25``.
- ``open_deadline``: the three open categories by deadline.

The store is one kept by ``bench_scale.py``/``bench_reports.py --keep-stores`` (or any store): it is
migrated first (``pqrs init``), as after an upgrade. Each figure prints p50/p95 and the load average;
the SQL of the board is captured once with its plans (``EXPLAIN QUERY PLAN`` / ``EXPLAIN ANALYZE``),
and the objects one call leaves in reference cycles are counted (``cyclic_garbage``). The application's
heap is settled first (``pqrs_adapters.flask.heap.settle``), as a served worker's is.

    .venv/bin/python benchmarks/bench_board.py --cases 100000       # a SQLite store built for the run
    .venv/bin/python benchmarks/bench_board.py --url sqlite:////var/tmp/me/bench-100000-7.sqlite3
    .venv/bin/python benchmarks/bench_board.py --url postgresql+psycopg://postgres@127.0.0.1/me_1m
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(HERE)]

from _figures import Figures, machine  # noqa: E402
from _postgres import masked  # noqa: E402
from bench_scale import capture, explain  # noqa: E402
from generate import AGENTS  # noqa: E402
from sqlalchemy import text  # noqa: E402

from pqrs_adapters.accounts import create_token, save_user  # noqa: E402
from pqrs_adapters.accounts.sessions import start_session  # noqa: E402
from pqrs_adapters.config import Config  # noqa: E402
from pqrs_adapters.flask import create_app  # noqa: E402
from pqrs_adapters.flask.heap import settle  # noqa: E402

OPEN = "state_category=todo&state_category=doing&state_category=waiting"
LISTS = {
    "open_newest": f"/api/v1/cases?{OPEN}&limit=25",
    "todo_deadline": "/api/v1/cases?state_category=todo&sort=deadline&limit=25",
    "open_deadline": f"/api/v1/cases?{OPEN}&sort=deadline&limit=25",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", default="", help="a loaded store (PQRS_DATABASE_URL); without it, a SQLite "
                        "store of --cases generated cases is built in a temporary directory")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--calls", type=int, default=60, help="timed requests per figure")
    parser.add_argument("--only", default="", help="comma-separated figures to run (default: all)")
    parser.add_argument("--no-init", action="store_true", help="do not migrate the store first")
    args = parser.parse_args()
    figures = Figures("board")
    print(json.dumps({"benchmark": "board", "machine": machine(), "load_average": os.getloadavg(),
                      "args": {"url": masked(args.url), "calls": args.calls, "cases": args.cases}}),
          flush=True)
    with tempfile.TemporaryDirectory(prefix="pqrs-board-") as work:
        url = args.url or _built(Path(work), args.cases, args.seed)
        env = {"PQRS_DATABASE_URL": url, "PQRS_FILES_DIR": str(Path(work) / "files")}
        if not args.no_init:
            subprocess.run([sys.executable, "-m", "pqrs_adapters.cli", "init"], check=True,
                           env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
                           stdout=subprocess.DEVNULL)
        app = create_app(Config.from_env(env), sync_catalog=False)
        settle()  # as a served worker does once its application is built
        engine = app.extensions["pqrs.engine"]
        now = app.extensions["pqrs"].deps.clock.now()
        queue, names = next(iter(AGENTS.items()))
        people = {"admin": ("bench.admin", ("admin",), ()), "supervisor": ("bench.sup", ("supervisor",), ()),
                  "agent": (names[0], ("agent",), (queue,))}
        for username, roles, queues in people.values():
            save_user(engine, username, password="bench-password-2026", roles=roles, queues=queues)
        clients = {}
        for who, (username, _roles, _queues) in people.items():
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = start_session(engine, username, now=now,
                                                    idle=app.permanent_session_lifetime)
            clients[who] = client
        token = create_token(engine, people["admin"][0], "bench-board")

        def board(who: str) -> int:
            return clients[who].get("/tablero").status_code

        def listing(path: str) -> int:
            return clients["admin"].get(path, headers={"Authorization": f"Bearer {token}"}).status_code

        work_items: list[tuple[str, Any]] = [(f"board_{who}", lambda who=who: board(who)) for who in people]
        work_items.append(("panel_supervisor", lambda: clients["supervisor"].get("/panel").status_code))
        work_items += [(name, lambda path=path: listing(path)) for name, path in LISTS.items()]
        wanted = {f.strip() for f in args.only.split(",") if f.strip()}
        for figure, call in work_items:
            if wanted and figure not in wanted:
                continue
            for _ in range(3):  # warm: imports, catalog, templates, caches
                call()
            print(json.dumps({"benchmark": "board", "figure": figure, "cyclic_garbage": _garbage(call)}),
                  flush=True)
            plans = [{"sql": sql[sql.find("FROM"):][:600], "plan": explain(engine, sql, params)}
                     for sql, params in capture(engine, call)]
            for plan in plans:
                print(f"-- {figure}\n{plan['sql']}\n" + "\n".join(plan["plan"]), file=sys.stderr)
            samples, errors = [], 0
            began = time.perf_counter()
            for _ in range(args.calls):
                start = time.perf_counter_ns()
                status = call()
                samples.append(time.perf_counter_ns() - start)
                errors += status != 200
            figures.add(figure, database=engine.dialect.name, count=args.calls,
                        seconds=time.perf_counter() - began, samples_ns=samples, errors=errors,
                        load_average=[round(x, 2) for x in os.getloadavg()])
        with engine.connect() as conn:
            total = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        print(json.dumps({"benchmark": "board", "cases": total}), flush=True)
    print()
    print(figures.markdown())


def _garbage(call: Any) -> int:
    """How many objects one call leaves in reference cycles: what the collector's passes must find."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        call()
        gc.collect()
        return len(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def _built(work: Path, cases: int, seed: int) -> str:
    """A SQLite store of ``cases`` generated cases under ``work`` (``generate.py``, ``pqrs import``)."""
    data, url = work / "cases.jsonl", f"sqlite:///{work / 'board.sqlite3'}"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--cases", str(cases), "--seed", str(seed),
                    "--output", str(data)], check=True, stderr=subprocess.DEVNULL)
    env = {**os.environ, "PQRS_DATABASE_URL": url, "PQRS_FILES_DIR": str(work / "files"),
           "PYTHONPATH": str(ROOT / "src")}
    for step in (["init", "--admin-password", "bench-admin-2026"], ["import", str(data), "--batch", "5000"]):
        subprocess.run([sys.executable, "-m", "pqrs_adapters.cli", *step], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    return url


if __name__ == "__main__":
    main()
