"""One configured cattrs converter for turning domain objects into plain data and back.

Adapters build theirs with ``make_converter()`` and add hooks on top; the global converter is never
touched.
"""

from __future__ import annotations

import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import cattrs

from .domain.events import EVENT_TYPES, DomainEvent


def make_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, lambda d: d.isoformat())
    converter.register_structure_hook(datetime, lambda v, _t: v if isinstance(v, datetime)
                                      else datetime.fromisoformat(v))
    converter.register_unstructure_hook_func(_is_frozenset, lambda s: sorted(s))
    converter.register_unstructure_hook(date, lambda d: d.isoformat())
    converter.register_structure_hook(date, lambda v, _t: v if isinstance(v, date) else date.fromisoformat(v))
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, lambda v, _t: v if isinstance(v, Decimal) else Decimal(str(v)))
    return converter


def _is_frozenset(t: Any) -> bool:
    """``frozenset`` and ``frozenset[X]`` (role sets and the like) are stored as sorted lists."""
    return t is frozenset or typing.get_origin(t) is frozenset


def event_to_plain(converter: cattrs.Converter, event: DomainEvent) -> tuple[str, dict[str, Any]]:
    """``(event name, data)``; the data omits ``case_id``, ``actor`` and ``occurred_at``, which are
    stored in columns of their own."""
    data: dict[str, Any] = converter.unstructure(event)
    for key in ("case_id", "actor", "occurred_at"):
        data.pop(key, None)
    return event.name, data


def event_from_plain(converter: cattrs.Converter, name: str, data: dict[str, Any], *, case_id: str,
                     actor: str, occurred_at: datetime) -> DomainEvent:
    cls = EVENT_TYPES[name]
    full = {**data, "case_id": case_id, "actor": actor, "occurred_at": occurred_at}
    event: DomainEvent = converter.structure(full, cls)
    return event
