"""How the processes log: plain text for a person at a terminal, or JSON lines for a log collector
(``PQRS_LOG_FORMAT=json``), and the request id that ties together what one request caused.

The web application takes each request's id from its ``X-Request-Id`` header (a proxy's, when it is a
plain token) or makes one, answers it back in the same header, and keeps it in ``REQUEST_ID`` while the
request runs: every log line of the request carries it, and so do the notifications the request put
in the outbox, so that the worker's lines about delivering them name the same id.

JSON lines come from python-json-logger. Nothing here changes what may be logged (see the README's
"Logging"): no personal data, no secrets.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

REQUEST_ID: ContextVar[str | None] = ContextVar("pqrs_request_id", default=None)
REQUEST_ID_CONTEXT_KEY = "_request_id"  # where an outbox row keeps the id of the request that caused it
_GIVEN_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


def request_id_from(header: str | None) -> str:
    """The id a request is logged under: the one it came with when that is a plain token, else new."""
    if header and _GIVEN_ID.match(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (the current request's, or none) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level",
                                                         "name": "logger"},
                             timestamp=False)
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(log_format: str = "text", level: str = "INFO") -> None:
    """Send the process's log records to standard error in ``log_format`` (``text`` or ``json``)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(log_format))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)


def gunicorn_log_config(log_format: str, level: str) -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: its own lines in the same format as the application's."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"pqrs": {"()": formatter, "log_format": log_format}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "formatter": "pqrs", "filters": ["request_id"]}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
                    "gunicorn.access": {"level": level, "handlers": ["stderr"], "propagate": False}},
    }
