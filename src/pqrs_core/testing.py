"""Helpers for tests and for plugin authors: in-memory fakes, a frozen clock, one-test plugins.

    from pqrs_core.testing import in_memory_pqrs, staff
    pqrs = in_memory_pqrs()
    case = pqrs.handle(FileCase(kind="queja", subject="...", description="..."), staff("ana", "agent"))
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .bootstrap import in_memory
from .clock import FrozenClock
from .domain.values import Actor
from .memory import MemoryFileStore, MemoryStore
from .services.messagebus import Pqrs
from .settings import Settings

__all__ = ["FrozenClock", "MemoryFileStore", "MemoryStore", "in_memory_pqrs", "staff"]


def staff(username: str, *roles: str) -> Actor:
    return Actor(username, frozenset(roles))


def in_memory_pqrs(*, plugins: Iterable[Any] = (), at: datetime | None = None,
                   settings: Settings | None = None, load_entry_points: bool = False,
                   store: MemoryStore | None = None) -> Pqrs:
    """A complete application on in-memory adapters, with the default plugin plus ``plugins``
    (registered for this instance only) and a ``FrozenClock`` at ``at`` (``pqrs.deps.clock``)."""
    return in_memory(clock=FrozenClock(at), settings=settings, plugins=plugins,
                     load_entry_points=load_entry_points, store=store)
