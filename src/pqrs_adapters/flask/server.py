"""Running the WSGI app under gunicorn, programmatically (no gunicorn command line, no config file)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

from ..logs import gunicorn_log_config
from .heap import settle


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn with ``options`` as its settings (those this gunicorn version does not know are
    skipped); each worker calls ``factory`` to build its app
    (after the fork, so no engine or connection is shared between processes)."""

    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Any:
        app = self.factory()
        settle()  # the worker's application built: its objects out of the collector's full passes
        return app


# The access log's line without the query string and the referrer (gunicorn's default has both): a
# search for a name or a document in the address must not end up in the log.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'


def _child_exit(server: Any, worker: Any) -> None:
    """A worker that ended leaves its live metrics (gauges) out of the sums (multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def run_gunicorn(factory: Callable[[], Any], *, host: str, port: int, workers: int = 2,
                 log_format: str = "text", log_level: str = "INFO", **options: Any) -> None:
    """Serve ``factory``'s app. With ``log_format="json"`` gunicorn's own lines are JSON too, and its
    access log gives way to the application's request lines (which carry the request id)."""
    logging: dict[str, Any] = {}
    if log_format == "json":
        logging = {"logconfig_dict": gunicorn_log_config(log_format, log_level), "accesslog": None,
                   "loglevel": log_level.lower()}
    settings: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "proc_name": "pqrs",
        # gunicorn >= 25.1 opens a control socket at one fixed path per user: two servers on one
        # machine (tests, several instances) would fight over it, and pqrs does not use it.
        "control_socket_disable": True,
        "child_exit": _child_exit,
        **logging,
        **options,
    }
    GunicornServer(factory, settings).run()
