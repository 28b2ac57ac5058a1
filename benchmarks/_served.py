"""The loaded store served by ``pqrs serve`` (gunicorn, 2 workers): an agent's inbox, search, the
yearly summary and filing over the JSON API, one client, then the workers' resident size. This is where
"each server worker stays under 150 MB resident at 1M cases" is read."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path

from _figures import Figures
from _http import FILING, request, resident_mb

from e2e.live import pqrs_command, serve, workers_of


def served(figures: Figures, database: str, url: str, root: Path, *, agent: str, queue: str, year: int,
           words: Sequence[str], calls: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    with serve(root, cases=0, env={"PQRS_DATABASE_URL": url, "PQRS_FILES_DIR": str(root / "files")},
               workers=2) as server:
        def token(user: str) -> str:
            made = pqrs_command(server.environ, "token", "create", "--user", user, "--name", "bench")
            return made.stdout.strip().splitlines()[-1]

        admin, worker = token("admin"), token(agent)
        api = f"{server.base}/api/v1"
        inbox = (f"{api}/cases?sort=deadline&limit=25&queue={queue}"
                 "&state_category=todo&state_category=doing&state_category=waiting")
        summary = f"{api}/reports/summary?filed_from={year}-01-01&filed_to={year}-12-31"
        body = json.dumps(FILING).encode()
        work: list[tuple[str, Callable[[int], tuple[int, bytes]]]] = [
            ("served_inbox", lambda i: request(inbox, worker)),
            ("served_search", lambda i: request(
                f"{api}/cases?limit=25&q={urllib.parse.quote(words[i % len(words)])}", worker)),
            ("served_summary", lambda i: request(summary, admin)),
            ("served_filing", lambda i: request(f"{api}/cases", admin, body)),
        ]
        for _figure, call in work:  # both workers warm: imports, catalog, calendar, first pages
            for i in range(6):
                call(i)
        for figure, call in work:
            samples, errors = [], 0
            began = time.perf_counter()
            for i in range(calls):
                start = time.perf_counter_ns()
                status, _ = call(i)
                samples.append(time.perf_counter_ns() - start)
                errors += status not in (200, 201)
            figures.add(figure, database=database, count=calls, seconds=time.perf_counter() - began,
                        samples_ns=samples, errors=errors, rss_mb=resident_mb(workers_of(server.pid)),
                        rss_of="the largest server worker")
