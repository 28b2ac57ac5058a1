"""``pqrs serve`` as an operator watches it: JSON log lines with request ids from every gunicorn
worker, and /metrics adding up what all the workers counted."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

from .live import serve

TOKEN = "metricas-e2e-123"


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status), response.read().decode(), dict(response.headers)


def _served(body: str) -> float:
    """Requests to /health/live the metrics have counted."""
    found = re.search(r'pqrs_http_request_duration_seconds_count\{endpoint="web.liveness",method="GET",'
                      r'status="200"\} ([0-9.]+)', body)
    return float(found.group(1)) if found else 0.0


def test_json_logs_and_metrics_summed_over_the_workers(tmp_path: Path) -> None:
    env = {"PQRS_LOG_FORMAT": "json", "PQRS_METRICS_TOKEN": TOKEN}
    with serve(tmp_path, cases=0, env=env, workers=2) as server:
        for i in range(40):  # spread over both workers by the kernel
            status, _, headers = _get(f"{server.base}/health/live", {"X-Request-Id": f"sonda-{i}"})
            assert status == 200 and headers["X-Request-Id"] == f"sonda-{i}"
        scrapes = [_get(f"{server.base}/metrics", {"Authorization": f"Bearer {TOKEN}"})[1] for _ in range(4)]
    assert all(_served(body) == 40 for body in scrapes), [_served(body) for body in scrapes]

    lines = [json.loads(line) for line in (tmp_path / "server.log").read_text().splitlines()
             if line.startswith("{")]
    probes = [line for line in lines if str(line.get("request_id", "")).startswith("sonda-")]
    assert len(probes) == 40
    assert {line["path"] for line in probes} == {"/health/live"}
    assert all(line["logger"] == "pqrs.requests" and line["status"] == 200 for line in probes)
    assert any(line["logger"].startswith("gunicorn") for line in lines)  # gunicorn's own lines are JSON too
