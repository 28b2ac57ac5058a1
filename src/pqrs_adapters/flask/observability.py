"""What an operator watches the web application by: a request id on every request and its log lines,
one JSON line per request (with ``PQRS_LOG_FORMAT=json``), and ``/metrics`` for Prometheus.

``/metrics`` exists only when ``PQRS_METRICS_TOKEN`` is set, and answers only to that bearer token. It
reports request latency by route, cases filed by channel, and what the store says at each scrape
(``sqlalchemy/store_metrics.py``): the outbox's backlog and the age of its oldest message,
notifications given up, alarms due, and how long ago each worker last showed signs of life. Under
``pqrs serve`` the gunicorn workers share their counters through prometheus-client's multiprocess mode
(``PROMETHEUS_MULTIPROC_DIR``, which ``pqrs serve`` sets up).
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Iterator
from datetime import datetime

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from pqrs_core import __version__
from pqrs_core.domain.events import CaseFiled
from pqrs_core.signals import signal_for

from ..config import Config
from ..logs import REQUEST_ID, request_id_from
from ..sqlalchemy.store_metrics import read_figures

log = logging.getLogger("pqrs.requests")
REQUEST_ID_HEADER = "X-Request-Id"

REQUEST_SECONDS = Histogram("pqrs_http_request_duration_seconds", "Duración de las solicitudes HTTP",
                            ["method", "endpoint", "status"])
CASES_FILED = Counter("pqrs_cases_filed", "Casos radicados en este servidor, por canal", ["channel"])


def _count_filing(sender: object, event: CaseFiled) -> None:
    CASES_FILED.labels(event.channel or "sin_canal").inc()


signal_for(CaseFiled).connect(_count_filing)


class StoreCollector(Collector):
    """The store's figures, read when Prometheus scrapes."""

    def __init__(self, engine: Engine, now: datetime, max_attempts: int) -> None:
        self.engine, self.now, self.max_attempts = engine, now, max_attempts

    def collect(self) -> Iterator[Metric]:
        figures = read_figures(self.engine, self.now, self.max_attempts)
        yield InfoMetricFamily("pqrs", "Versión de pqrs", value={"version": __version__})
        yield GaugeMetricFamily("pqrs_outbox_pending", "Notificaciones por enviar",
                                value=figures.outbox_pending)
        yield GaugeMetricFamily("pqrs_outbox_oldest_pending_age_seconds",
                                "Antigüedad de la notificación más vieja por enviar",
                                value=figures.outbox_oldest_pending_age)
        yield GaugeMetricFamily("pqrs_outbox_given_up", "Notificaciones abandonadas tras todos los intentos",
                                value=figures.outbox_given_up)
        yield GaugeMetricFamily("pqrs_alarms_due", "Casos con una alarma de término que el barrido no ha "
                                                   "levantado", value=figures.alarms_due)
        beats = GaugeMetricFamily("pqrs_worker_heartbeat_age_seconds",
                                  "Segundos desde la última vuelta de cada trabajador", labels=["worker"])
        for worker, age in sorted(figures.heartbeat_ages.items()):
            beats.add_metric([worker], age)
        yield beats


def _process_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def init_observability(app: Flask, config: Config) -> None:
    log_requests = config.log_format == "json"

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        g.request_id_token = REQUEST_ID.set(g.request_id)

    @app.after_request
    def _finish(response: Response) -> Response:
        started = g.get("request_started")
        if started is None:
            return response
        response.headers[REQUEST_ID_HEADER] = g.request_id
        seconds = time.perf_counter() - started
        endpoint = request.url_rule.endpoint if request.url_rule is not None else "sin_ruta"
        REQUEST_SECONDS.labels(request.method, endpoint, str(response.status_code)).observe(seconds)
        if log_requests:  # the path without its query string: searches can hold personal data
            log.info("solicitud", extra={"method": request.method, "path": request.path, "endpoint": endpoint,
                                         "status": response.status_code,
                                         "duration_ms": round(seconds * 1000, 1)})
        return response

    @app.teardown_request
    def _forget(exc: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            REQUEST_ID.reset(token)

    @app.get("/metrics")
    def metrics() -> Response:
        expected = config.metrics_token
        if not expected:
            abort(404)
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {expected}".encode()):
            return Response("Se requiere el token de métricas.\n", status=401, mimetype="text/plain",
                            headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        pqrs = current_app.extensions["pqrs"]
        store = CollectorRegistry(auto_describe=False)
        store.register(StoreCollector(current_app.extensions["pqrs.engine"], pqrs.deps.clock.now(),
                                      config.mail.max_attempts))
        body = generate_latest(_process_registry()) + generate_latest(store)
        return Response(body, mimetype="text/plain; version=0.0.4; charset=utf-8")
