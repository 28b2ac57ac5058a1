"""A server worker killed (SIGKILL) while eight clients file cases over the HTTP API: every filing that
was acknowledged with a 201 is in the store, no filing number is given twice or skipped, and the
server keeps serving (gunicorn's master starts a new worker)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .live import Server, pqrs_command, serve, workers_of

pytestmark = pytest.mark.slow

CLIENTS = 8
FILINGS_PER_CLIENT = 40  # 320 filings in all


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    with serve(tmp_path, cases=0) as running:
        yield running


def _file(base: str, token: str, subject: str) -> tuple[int, str | None]:
    body = json.dumps({"kind": "queja", "subject": subject, "description": "Radicada durante la prueba.",
                       "channel": "api"}).encode()
    request = urllib.request.Request(f"{base}/api/v1/cases", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())["filing_number"]
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (OSError, http.client.HTTPException):  # the connection died with the worker (mid-answer too)
        return 0, None


def _all_numbers(base: str, token: str) -> list[str]:
    numbers: list[str] = []
    cursor = ""
    while True:
        url = f"{base}/api/v1/cases?limit=100&sort=oldest" + (f"&cursor={cursor}" if cursor else "")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            page = json.loads(response.read())
        numbers += [item["filing_number"] for item in page["items"]]
        cursor = page.get("next_cursor") or ""
        if not cursor:
            return numbers


def test_killing_a_worker_loses_no_acknowledged_filing_and_leaves_no_gap(server: Server) -> None:
    made = pqrs_command(server.environ, "token", "create", "--user", "admin", "--name", "carga")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    acknowledged: list[str] = []
    failures: list[int] = []
    lock = threading.Lock()
    started = threading.Barrier(CLIENTS + 1)

    def client(index: int) -> None:
        started.wait()
        for n in range(FILINGS_PER_CLIENT):
            status, number = _file(server.base, token, f"Cliente {index} radicación {n}")
            with lock:
                if status == 201 and number is not None:
                    acknowledged.append(number)
                else:
                    failures.append(status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    started.wait()
    while len(acknowledged) < CLIENTS * FILINGS_PER_CLIENT // 3:
        time.sleep(0.01)
    victims = workers_of(server.pid)
    assert victims, "gunicorn has no workers"
    os.kill(victims[0], signal.SIGKILL)
    at_kill = len(acknowledged)
    for thread in threads:
        thread.join(timeout=300)

    stored = _all_numbers(server.base, token)
    sequence = sorted(int(number.rsplit("-", 1)[1]) for number in stored)
    assert len(acknowledged) == len(set(acknowledged))  # no number acknowledged twice
    assert set(acknowledged) <= set(stored)  # every 201 is in the store
    assert sequence == list(range(1, len(stored) + 1))  # no number skipped or repeated in the store
    # The server kept serving after the kill: filings went on being acknowledged, by the new worker too.
    assert len(acknowledged) > at_kill and len(acknowledged) + len(failures) == CLIENTS * FILINGS_PER_CLIENT
    assert victims[0] not in workers_of(server.pid) and len(workers_of(server.pid)) == len(victims)
    print(f"\n{len(acknowledged)} acknowledged, {len(failures)} failed ({sorted(set(failures))}), "
          f"{len(stored)} stored; worker {victims[0]} killed after {at_kill} acknowledgements")
