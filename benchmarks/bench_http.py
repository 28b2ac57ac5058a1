"""Filing over HTTP (W1) against ``pqrs serve`` (gunicorn, 2 sync workers unless ``--workers``), with the
same server's ``/health`` (W1b) as the ceiling, for one client and for 8 concurrent clients; then the
same 8-client filing while one worker is killed with SIGKILL, checking that every acknowledged filing is
stored and that the filing numbers have no gap.

Prints one JSON line per figure, then a Markdown table. Nothing is asserted.

    .venv/bin/python benchmarks/bench_http.py                          # SQLite and PostgreSQL
    .venv/bin/python benchmarks/bench_http.py --requests 5000 --databases sqlite
    .venv/bin/python benchmarks/bench_http.py --databases postgresql --workers 4   # more sync workers

The clients are Python threads on the same machine as the server (each request a new connection, as
gunicorn's sync workers close them); they compete with it for the CPU, for W1 and W1b alike.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(Path(__file__).resolve().parent)]

from _figures import Figures, machine  # noqa: E402
from _http import FILING, request, resident_mb  # noqa: E402
from _postgres import DEFAULT_POSTGRES, bench_database, masked  # noqa: E402

from e2e.live import pqrs_command, serve, workers_of  # noqa: E402


def _run(requests: int, clients: int, call: Callable[[], tuple[int, bytes]],
         during: Callable[[Callable[[], int]], None] | None = None,
         ) -> tuple[float, list[int], list[tuple[int, bytes]]]:
    """``requests`` calls spread over ``clients`` threads: wall seconds, per-call ns, (status, body).
    ``during``, if given, runs meanwhile in this thread with a function telling how many calls ended."""
    samples: list[int] = []
    results: list[tuple[int, bytes]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(count: int) -> None:
        barrier.wait()
        for _ in range(count):
            began = time.perf_counter_ns()
            answer = call()
            took = time.perf_counter_ns() - began
            with lock:
                samples.append(took)
                results.append(answer)

    shares = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    threads = [threading.Thread(target=client, args=(n,)) for n in shares]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    if during is not None:
        during(lambda: len(results))
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, samples, results


def bench(figures: Figures, database: str, env: dict[str, str], requests: int, workers: int = 2) -> None:
    with tempfile.TemporaryDirectory(prefix="pqrs-bench-http-") as tmp, \
            serve(Path(tmp), cases=0, env=env, workers=workers) as server:
        made = pqrs_command(server.environ, "token", "create", "--user", "admin", "--name", "bench")
        token = made.stdout.strip().splitlines()[-1]
        body = json.dumps(FILING).encode()

        def health() -> tuple[int, bytes]:
            return request(f"{server.base}/health", token, None)

        def file() -> tuple[int, bytes]:
            return request(f"{server.base}/api/v1/cases", token, body)

        for _ in range(20):  # warm both workers (imports, catalog, calendar)
            file()
            health()
        for clients in (1, 8):
            for figure, call in (("W1b_health", health), ("W1_filing", file)):
                seconds, samples, results = _run(requests, clients, call)
                ok = sum(1 for status, _ in results if status in (200, 201))
                figures.add(f"{figure}_{clients}_clients", database=database, count=ok, seconds=seconds,
                            samples_ns=samples, errors=len(results) - ok,
                            worker_rss_mb=resident_mb(workers_of(server.pid)))

        # The same filing load, one worker killed a third of the way through.
        victim = workers_of(server.pid)[0]

        def kill_a_worker(done: Callable[[], int]) -> None:
            while done() < requests // 3:
                time.sleep(0.002)
            os.kill(victim, signal.SIGKILL)

        seconds, samples, results = _run(requests, 8, file, during=kill_a_worker)
        acknowledged = [json.loads(b)["filing_number"] for status, b in results if status == 201]
        stored: list[str] = []
        cursor = ""
        while True:
            url = f"{server.base}/api/v1/cases?limit=100&sort=oldest" + (
                f"&cursor={cursor}" if cursor else "")
            page = json.loads(request(url, token, None)[1])
            stored += [item["filing_number"] for item in page["items"]]
            cursor = page.get("next_cursor") or ""
            if not cursor:
                break
        sequence = sorted(int(n.rsplit("-", 1)[1]) for n in stored)
        figures.add("W1_filing_8_clients_worker_killed", database=database, count=len(acknowledged),
                    seconds=seconds, samples_ns=samples, errors=len(results) - len(acknowledged),
                    acknowledged_missing=len(set(acknowledged) - set(stored)),
                    acknowledged_twice=len(acknowledged) - len(set(acknowledged)),
                    stored=len(stored), stored_gaps_or_repeats=sequence != list(range(1, len(stored) + 1)),
                    serving_after=health()[0] == 200, workers_after=len(workers_of(server.pid)))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per figure")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers of the server")
    parser.add_argument("--postgres-url", default=os.environ.get("PQRS_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="an administrative URL: a database is created and dropped there")
    args = parser.parse_args()
    figures = Figures("http")
    print(json.dumps({"benchmark": "http", "machine": machine(),
                      "args": vars(args) | {"postgres_url": masked(args.postgres_url)}}), flush=True)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if "sqlite" in databases:
        bench(figures, "sqlite", {}, args.requests, args.workers)
    if "postgresql" in databases:
        with bench_database(args.postgres_url) as url:
            if url is None:
                figures.skipped("W1_filing", "postgresql", "unreachable")
            else:
                bench(figures, "postgresql", {"PQRS_DATABASE_URL": url}, args.requests, args.workers)
    print()
    print(figures.markdown())


if __name__ == "__main__":
    main()
