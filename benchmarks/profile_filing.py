"""Where one API filing's time goes, in process: the SQL statements of one ``POST /api/v1/cases`` (a
``before_cursor_execute`` listener), the CPU time per filing and per ``GET /health`` through the whole
WSGI application (Flask's test client, the same body as ``bench_http.py``), and a cProfile of the
filings split by the part of the code each function belongs to.

Prints the statements, then one JSON line per figure and the profile's split. Nothing is asserted.

    .venv/bin/python benchmarks/profile_filing.py                      # SQLite
    .venv/bin/python benchmarks/profile_filing.py --database postgresql --filings 500

The store is a fresh ``pqrs init`` (in a temporary directory, or a PostgreSQL database created and
dropped here), as ``bench_http.py`` serves it.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(Path(__file__).resolve().parent)]

from _http import FILING  # noqa: E402
from _postgres import DEFAULT_POSTGRES, bench_database  # noqa: E402
from sqlalchemy import Engine, event  # noqa: E402

from e2e.live import DEMO_PASSWORD, pqrs_command, server_env  # noqa: E402

TRANSACTION = "-- a transaction begins (SQLite: the BEGIN is the statement listed before this line)"
# The part of the code a profiled function belongs to: the first prefix of its file's path that matches.
PARTS = (("pqrs_core", "pqrs_core"), ("pqrs_adapters/sqlalchemy", "pqrs_adapters.sqlalchemy"),
         ("pqrs_adapters/flask", "pqrs_adapters.flask"), ("pqrs_adapters", "pqrs_adapters (other)"),
         ("pqrs_legal_co", "pqrs_legal_co"), ("sqlalchemy", "SQLAlchemy"), ("sqlite3", "sqlite3 driver"),
         ("psycopg", "psycopg driver"), ("werkzeug", "werkzeug"), ("flask", "flask"),
         ("marshmallow", "marshmallow"), ("cattrs", "cattrs"), ("prometheus_client", "prometheus_client"),
         ("json", "json"), ("logging", "logging"))


@contextmanager
def statements(engine: Engine) -> Iterator[list[list[Any]]]:
    """The SQL statements the engine runs meanwhile, each ``[line, milliseconds in the driver]`` (one
    line each; ``executemany`` marked; the commit timed as a statement of its own)."""
    seen: list[list[Any]] = []
    dialect = engine.dialect
    do_commit = dialect.do_commit

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        line = " ".join(statement.split())
        seen.append([f"{line[:150]}{'…' if len(line) > 150 else ''}"
                     + (f"  [executemany ×{len(parameters)}]" if many else ""), time.perf_counter()])

    def after(*_args: Any) -> None:
        seen[-1][1] = (time.perf_counter() - seen[-1][1]) * 1000

    def begin(_conn: Any) -> None:
        seen.append([TRANSACTION, 0.0])

    def commit(dbapi_connection: Any) -> None:
        began = time.perf_counter()
        do_commit(dbapi_connection)
        seen.append(["COMMIT", (time.perf_counter() - began) * 1000])

    listeners = (("before_cursor_execute", before), ("after_cursor_execute", after), ("begin", begin))
    for name, listener in listeners:
        event.listen(engine, name, listener)
    dialect.do_commit = commit  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        dialect.do_commit = do_commit  # type: ignore[method-assign]
        for name, listener in listeners:
            event.remove(engine, name, listener)


def part_of(filename: str) -> str:
    for prefix, name in PARTS:
        if f"/{prefix}/" in filename or f"/{prefix}." in filename or filename.endswith(f"/{prefix}.py"):
            return name
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C)"
    return "other Python"


def split(profile: cProfile.Profile) -> dict[str, float]:
    """Each part's own time (``tottime``), in seconds."""
    stats = pstats.Stats(profile)
    parts: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        part = part_of(filename)
        parts[part] = parts.get(part, 0.0) + tottime
    return dict(sorted(parts.items(), key=lambda kv: -kv[1]))


def cpu_ms(calls: int, call: Callable[[], Any]) -> tuple[float, float]:
    """Mean CPU and wall milliseconds per call of ``call``."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        call()
    return ((time.process_time() - cpu) * 1000 / calls, (time.perf_counter() - wall) * 1000 / calls)


def run(database: str, environ: dict[str, str], filings: int, top: int) -> None:
    done = pqrs_command(environ, "init", "--admin-password", DEMO_PASSWORD)
    assert done.returncode == 0, done.stdout + done.stderr
    made = pqrs_command(environ, "token", "create", "--user", "admin", "--name", "profile")
    token = made.stdout.strip().splitlines()[-1]
    os.environ.update(environ)
    from pqrs_adapters.flask import create_app

    app = create_app()
    engine: Engine = app.extensions["pqrs.engine"]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    body = json.dumps(FILING)

    def file() -> None:
        answer = client.post("/api/v1/cases", data=body, headers=headers, content_type="application/json")
        assert answer.status_code == 201, answer.get_data(as_text=True)

    def health() -> None:
        assert client.get("/health").status_code == 200

    for _ in range(20):
        file()
        health()
    with statements(engine) as seen:
        file()
    count = len(seen)
    with statements(engine) as timed:
        for _ in range(filings):
            file()
    print(f"-- the statements of one API filing ({database}), mean ms in the driver over {filings} filings")
    for number, (line, _ms) in enumerate(seen, 1):
        mean = sum(timed[i][1] for i in range(number - 1, len(timed), count)) / filings
        print(f"{number:3}  {mean:6.3f}  {line}")
    figures: dict[str, Any] = {"database": database, "filings": filings,
                               "statements": sum(1 for s, _ in seen if s not in (TRANSACTION, "COMMIT")),
                               "transactions": sum(1 for s, _ in seen if s == TRANSACTION),
                               "driver_ms": sum(ms for _s, ms in timed) / filings}
    figures["filing_cpu_ms"], figures["filing_wall_ms"] = cpu_ms(filings, file)
    figures["health_cpu_ms"], figures["health_wall_ms"] = cpu_ms(filings, health)
    figures |= {k: round(v, 3) for k, v in figures.items() if isinstance(v, float)}
    figures["load_average"] = os.getloadavg()
    print(json.dumps(figures))
    if not top:  # no cProfile run (e.g. under py-spy, which the profiler would distort)
        return
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(filings):
        file()
    profile.disable()
    total = sum(split(profile).values())
    print(f"-- own time per part, {filings} filings under cProfile "
          f"({total * 1000 / filings:.2f} ms per filing)")
    for part, seconds in split(profile).items():
        print(f"{part:28} {seconds * 1000 / filings:7.3f} ms  {seconds * 100 / total:5.1f} %")
    print(f"-- the {top} functions with most cumulative time")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(top)
    print(f"-- the {top} functions with most own time")
    pstats.Stats(profile).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--filings", type=int, default=1000, help="filings (and /health calls) timed")
    parser.add_argument("--top", type=int, default=40,
                        help="functions listed from the profile (0: no cProfile run)")
    parser.add_argument("--postgres-url", default=os.environ.get("PQRS_BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pqrs-profile-filing-") as tmp:
        environ = server_env(Path(tmp))
        if args.database == "sqlite":
            run("sqlite", environ, args.filings, args.top)
            return
        with bench_database(args.postgres_url) as url:
            if url is None:
                print("PostgreSQL is unreachable", file=sys.stderr)
                return
            run("postgresql", environ | {"PQRS_DATABASE_URL": url}, args.filings, args.top)


if __name__ == "__main__":
    main()
