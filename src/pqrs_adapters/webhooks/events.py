"""The events a webhook can subscribe to, and the versioned payload each delivery carries.

Every domain event (``pqrs_core.domain.events``) is published as ``case.<name>``: ``CaseFiled`` is
``case.filed``, ``NoteAdded`` is ``case.note_added``. The payload is::

    {"type": "case.filed", "version": 1, "timestamp": "2026-12-06T15:04:05+00:00",
     "data": {"case_id": …, "filing_number": …, "actor": …, <the event's own fields>}}

``version`` changes only when a field is removed or changes meaning; new fields may appear at any
time (receivers ignore what they do not know).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import cattrs

from pqrs_core.domain.events import EVENT_TYPES, DomainEvent
from pqrs_core.serialization import event_to_plain

PAYLOAD_VERSION = 1
PREFIX = "case."


def webhook_type(event_name: str) -> str:
    """``CaseFiled`` → ``case.filed``; ``NoteAdded`` → ``case.note_added``."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", event_name).lower()
    return PREFIX + snake.removeprefix("case_")


# Every type a subscription may name, in the order of the domain's list.
WEBHOOK_TYPES: dict[str, str] = {webhook_type(name): name for name in EVENT_TYPES}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def payload(converter: cattrs.Converter, event: DomainEvent, filing_number: str) -> dict[str, Any]:
    """The payload of ``event`` of the case ``filing_number``."""
    name, data = event_to_plain(converter, event)
    return {"type": webhook_type(name), "version": PAYLOAD_VERSION,
            "timestamp": event.occurred_at.astimezone(UTC).isoformat(),
            "data": {"case_id": event.case_id, "filing_number": filing_number, "actor": event.actor, **data}}


def body(content: Mapping[str, Any]) -> str:
    """The JSON text sent (and signed): compact, UTF-8."""
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=_plain)
