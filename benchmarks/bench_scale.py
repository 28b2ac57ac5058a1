"""A store with N historical cases: import rate, an agent's inbox, search, the yearly report and a
consultant's network (issue 6: W5, W2, W3, W4, W7).

For each database (SQLite file, PostgreSQL database):

- ``generate`` (once): ``benchmarks/generate.py`` writes N realistic cases (JSON lines).
- ``W5_import``: ``pqrs init`` then ``pqrs import FILE`` in a child process, as an administrator runs
  them; the rate is cases per second of the whole command, the RSS is the child's peak.
- ``W2_inbox``: an agent's first inbox page: the open cases of their queues, soonest deadline first, 25
  rows, with their visibility (``Pqrs.cases(CaseQuery(state_categories=open, queues=..., sort=
  "deadline", limit=25), actor)``), for the agents of every queue in turn.
- ``W3_search``: free-text search (``CaseQuery(text=q, limit=25)``) with a mix of realistic queries:
  words of the texts, names, document numbers, filing numbers and their sequences alone ("282").
- ``W4_summary``: the summary report over the last whole year of the data (``Pqrs.summary`` with
  ``filed_from``/``filed_to``), as a supervisor.
- ``W7_network_users``: 10,000 people created with ``accounts.save_user`` under a consultant, as a
  sponsor tree (ten below each); ``W7_network``: that consultant's first page of cases with their
  visibility (``load_actor`` reads the network once; ``actor_ms`` is what it costs).

After loading, the store's size per case, table by table and index by index (``bench_size.measure``,
issue 19).

Every query runs through the application (``build_pqrs``: read units of work, the catalog, the
visibility predicate), as the web pages and the API run it. The SQL of each workload is captured once
and its ``EXPLAIN QUERY PLAN`` (SQLite) or ``EXPLAIN (ANALYZE, BUFFERS)`` (PostgreSQL) goes into the
workload's JSON line (``plans``) and to stderr. One JSON line per figure, then a Markdown table.

    .venv/bin/python benchmarks/bench_scale.py                        # 100,000 cases, both databases
    .venv/bin/python benchmarks/bench_scale.py --cases 1000000 --databases sqlite

PostgreSQL: the database of ``PQRS_DATABASE_URL`` when it names one (it must be empty; it is kept),
otherwise ``pqrs_bench_<hex>`` created through ``--postgres-url`` and dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(HERE)]

from _figures import Figures, machine  # noqa: E402
from _postgres import DEFAULT_POSTGRES, bench_database, masked  # noqa: E402
from _served import served  # noqa: E402
from bench_size import measure as store_breakdown  # noqa: E402
from generate import AGENTS, DEFAULT_END, NETWORK_PEOPLE  # noqa: E402
from sqlalchemy import Engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from pqrs_adapters.accounts import load_actor, save_user  # noqa: E402
from pqrs_adapters.config import Config  # noqa: E402
from pqrs_adapters.sqlalchemy.engine import make_engine  # noqa: E402
from pqrs_adapters.wiring import build_pqrs  # noqa: E402
from pqrs_core.domain.values import Actor  # noqa: E402
from pqrs_core.domain.workflow import StateCategory  # noqa: E402
from pqrs_core.ports import CaseQuery  # noqa: E402
from pqrs_core.services.messagebus import Pqrs  # noqa: E402

OPEN = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)
BOGOTA = ZoneInfo("America/Bogota")
CONSULTANT = "lider.red"
PLAN_WIDTH = 240
# Free-text queries people type: words of the texts, a name, a city, and (added per store) a document
# number and a filing number that exist.
SEARCH_WORDS = ("pedido no ha llegado", "factura", "devolución", "cobro doble", "transportadora guía",
                "flete", "paz y salvo", "gómez", "maría rodríguez", "medellín", "suplantación",
                "crema hidratante", "nota crédito", "consignación", "felicitar asesora")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--databases", default="sqlite,postgres",
                        help="comma-separated: sqlite, postgres (or postgresql)")
    parser.add_argument("--postgres-url", default=os.environ.get("PQRS_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="administrative connection used to create and drop pqrs_bench_<hex> when "
                             "PQRS_DATABASE_URL names no PostgreSQL database (env PQRS_BENCH_POSTGRES_URL)")
    parser.add_argument("--batch", type=int, default=5000, help="pqrs import --batch")
    parser.add_argument("--inbox-calls", type=int, default=200)
    parser.add_argument("--search-calls", type=int, default=150)
    parser.add_argument("--summary-calls", type=int, default=15)
    parser.add_argument("--network-calls", type=int, default=200)
    parser.add_argument("--network", type=int, default=10_000, help="people in the consultant's network")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the generated file and the SQLite database go (default: a temporary "
                             "directory, removed at the end)")
    parser.add_argument("--served-calls", type=int, default=100,
                        help="requests per figure against pqrs serve on the loaded store (0: skip)")
    parser.add_argument("--keep-stores", action="store_true",
                        help="keep the loaded stores (SQLite in --workdir, PostgreSQL database "
                             "pqrs_bench_<cases>_<seed>) and reuse them on the next run instead of importing "
                             "again")
    args = parser.parse_args()

    figures = Figures("scale")
    database_url = os.environ.get("PQRS_DATABASE_URL", "")
    print(json.dumps({"benchmark": "scale", "machine": machine(), "load_average": os.getloadavg(),
                      "args": {k: str(v) for k, v in vars(args).items()}
                      | {"postgres_url": masked(args.postgres_url)}}, ensure_ascii=False), flush=True)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
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
        if {"postgres", "postgresql"} & set(databases):
            if database_url and make_url(database_url).get_backend_name() == "postgresql":
                run_store(figures, "postgresql", database_url, cases_file, args, work)
            else:
                name = f"pqrs_bench_{args.cases}_{args.seed}" if args.keep_stores else None
                with bench_database(args.postgres_url, name=name, keep=args.keep_stores) as url:
                    if url is None:
                        figures.skipped("W5_import", "postgresql", "unreachable")
                    else:
                        run_store(figures, "postgresql", url, cases_file, args, work)
    print()
    print(figures.markdown())


# ------------------------------------------------------------------------------------- the data
def generate(figures: Figures, path: Path, cases: int, seed: int) -> None:
    if path.exists():
        figures.add("generate", count=cases, seconds=None, note="file reused", database="file")
        return
    began = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--cases", str(cases), "--seed", str(seed),
                    "--output", str(path)], check=True, stderr=subprocess.DEVNULL)
    figures.add("generate", count=cases, seconds=time.perf_counter() - began, database="file",
                file_mb=round(path.stat().st_size / 2**20, 1))


def run_store(figures: Figures, database: str, url: str, cases_file: Path, args: argparse.Namespace,
              work: Path) -> None:
    with open_store(figures, database, url, cases_file, args, work) as (pqrs, engine):
        store_breakdown(figures, engine, columns=False)
        workloads(figures, database, pqrs, engine, args)
    if args.served_calls:
        queue, names = next(iter(AGENTS.items()))
        served(figures, database, url, work / f"served-{database}", agent=names[0], queue=queue,
               year=datetime.fromisoformat(DEFAULT_END).year - 1, words=SEARCH_WORDS, calls=args.served_calls)


@contextmanager
def open_store(figures: Figures, database: str, url: str, cases_file: Path, args: argparse.Namespace,
               work: Path) -> Iterator[tuple[Pqrs, Engine]]:
    """The store at ``url`` loaded with ``cases_file`` (or kept from an earlier run with
    ``--keep-stores``), and the application over it; the engine is disposed on leaving."""
    env = {**os.environ, "PQRS_DATABASE_URL": url, "PQRS_FILES_DIR": str(work / "files"),
           "PYTHONPATH": str(ROOT / "src")}
    cli = [sys.executable, "-m", "pqrs_adapters.cli"]
    engine = make_engine(url)
    try:
        if args.keep_stores and _loaded_cases(engine) >= args.cases:
            # ``pqrs init`` migrates a store kept from an older version, as after an upgrade.
            subprocess.run([*cli, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
            figures.add("W5_import", count=args.cases, seconds=None, database=database,
                        note="store kept from an earlier run", store_mb=store_size(engine, url))
        else:
            _load(figures, database, engine, url, cases_file, args, env, cli)
        config = Config.from_env({"PQRS_DATABASE_URL": url, "PQRS_FILES_DIR": str(work / "files")})
        yield build_pqrs(config, engine=engine, sync=False), engine
    finally:
        engine.dispose()


def _loaded_cases(engine: Engine) -> int:
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM cases")).scalar_one())
    except Exception:  # noqa: BLE001 - no schema yet
        return 0


def _load(figures: Figures, database: str, engine: Engine, url: str, cases_file: Path,
          args: argparse.Namespace, env: dict[str, str], cli: list[str]) -> None:
    subprocess.run([*cli, "init", "--admin-password", "bench-admin-2026"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    began = time.perf_counter()
    done = subprocess.run([*cli, "import", str(cases_file), "--batch", str(args.batch)], env=env,
                          check=True, stdout=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - began
    child_rss = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    summary = done.stdout.strip().splitlines()[-1]
    if database == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # What autovacuum does after a bulk load anyway (it is off on the benchmark machine).
            conn.execute(text("VACUUM (ANALYZE)"))
    figures.add("W5_import", count=args.cases, seconds=seconds, database=database, rss_mb=child_rss,
                output=summary, store_mb=store_size(engine, url))


def store_size(engine: Engine, url: str) -> float:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        else:
            database = make_url(url).database or ""
            size = sum(Path(f"{database}{s}").stat().st_size for s in ("", "-wal")
                       if Path(f"{database}{s}").exists())
    return round(size / 2**20, 1)


# ------------------------------------------------------------------------------------- workloads
def workloads(figures: Figures, database: str, pqrs: Pqrs, engine: Engine, args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    agents = create_agents(engine)

    def inbox(i: int) -> Any:
        actor = agents[i % len(agents)]
        queues = tuple(sorted(actor.queues))
        return pqrs.cases(CaseQuery(state_categories=OPEN, queues=queues, sort="deadline", limit=25), actor)

    measure(figures, "W2_inbox", database, engine, args.inbox_calls, inbox, agents=len(agents))

    samples = pqrs.cases(CaseQuery(limit=200, sort="oldest")).cases
    documents = [c.requester.document_number for c in samples[::40] if c.requester.document_number]
    queries = [*SEARCH_WORDS, *documents, *(str(c.filing_number) for c in samples[::50]),
               *(str(c.filing_number.sequence) for c in samples[25::50])]  # "282", as people say it
    rng.shuffle(queries)
    agent = agents[0]
    measure(figures, "W3_search", database, engine, args.search_calls,
            lambda i: pqrs.cases(CaseQuery(text=queries[i % len(queries)], limit=25), agent),
            queries=len(queries))

    year = datetime.fromisoformat(DEFAULT_END).year - 1
    supervisor = Actor("supervisor.bench", frozenset({"supervisor"}))
    span = {"filed_from": datetime(year, 1, 1, tzinfo=BOGOTA),
            "filed_to": datetime(year + 1, 1, 1, tzinfo=BOGOTA)}
    report = pqrs.summary(CaseQuery(**span), supervisor)
    measure(figures, "W4_summary", database, engine, args.summary_calls,
            lambda i: pqrs.summary(CaseQuery(**span), supervisor), year=year, cases_in_year=report.total)

    began = time.perf_counter()
    created = create_network(engine, args.network)
    figures.add("W7_network_users", count=created, seconds=time.perf_counter() - began, database=database)
    began = time.perf_counter()
    consultant = load_actor(engine, CONSULTANT)
    actor_ms = round((time.perf_counter() - began) * 1000, 1)
    assert consultant is not None
    visible = pqrs.summary(CaseQuery(), consultant).total
    measure(figures, "W7_network", database, engine, args.network_calls,
            lambda i: pqrs.cases(CaseQuery(limit=25), consultant), network=len(consultant.network),
            visible_cases=visible, actor_ms=actor_ms)


def create_agents(engine: Engine) -> list[Actor]:
    roles = {"primer_nivel": "agent", "back_office": "back_office", "especialistas": "back_office"}
    actors = []
    for queue, names in AGENTS.items():
        for name in names[:5]:
            save_user(engine, name, roles=(roles[queue],), queues=(queue,))
            actor = load_actor(engine, name)
            assert actor is not None
            actors.append(actor)
    return actors


def create_network(engine: Engine, size: int) -> int:
    """``size`` people below ``CONSULTANT``: red.00000 .. red.(size-1), ten below each (a sponsor tree
    four or five levels deep), created one by one with ``save_user`` as an administrator would."""
    save_user(engine, CONSULTANT, roles=("consultant", "requester"), display_name="Líder de la red")
    for i in range(min(size, NETWORK_PEOPLE)):
        sponsor = CONSULTANT if i < 10 else f"red.{i // 10 - 1:05d}"
        save_user(engine, f"red.{i:05d}", roles=("consultant", "requester"), sponsor=sponsor)
    return min(size, NETWORK_PEOPLE) + 1


def measure(figures: Figures, figure: str, database: str, engine: Engine, calls: int,
            call: Callable[[int], Any], **extra: Any) -> dict[str, Any]:
    """Time ``calls`` calls (after one warm-up call whose SQL is captured and explained)."""
    statements = capture(engine, lambda: call(0))
    plans = [explain(engine, sql, params) for sql, params in statements]
    for (sql, _params), plan in zip(statements, plans, strict=True):
        print(f"-- {figure} ({database}): {' '.join(sql.split())[:400]}", file=sys.stderr)
        for line in plan:
            print(f"   {line}", file=sys.stderr)
    samples = []
    began = time.perf_counter()
    for i in range(calls):
        t0 = time.perf_counter_ns()
        call(i)
        samples.append(time.perf_counter_ns() - t0)
    return figures.add(figure, count=calls, seconds=time.perf_counter() - began, samples_ns=samples,
                       database=database, statements=len(statements), plans=plans, **extra)


def capture(engine: Engine, call: Callable[[], Any]) -> list[tuple[str, Any]]:
    """The SELECTs on the ``cases`` table that ``call`` runs, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "cases" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return [(s, p) for s, p in seen if "FROM cases" in s]


def explain(engine: Engine, statement: str, parameters: Any) -> list[str]:
    """The plan, each line cut at ``PLAN_WIDTH`` characters (a network of 10,000 names is a long
    array)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            lines = [f"{'  ' * _depth(rows, r)}{r[-1]}" for r in rows]
        else:
            rows = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters).all()
            lines = [str(r[0]) for r in rows]
    return [line if len(line) <= PLAN_WIDTH else line[:PLAN_WIDTH] + "…" for line in lines]


def _depth(rows: list[Any], row: Any) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return depth


# ------------------------------------------------------------------------------------- plumbing
@contextmanager
def _workdir(path: Path | None) -> Iterator[Path]:
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="pqrs-scale-") as tmp:
        yield Path(tmp)


if __name__ == "__main__":
    main()
