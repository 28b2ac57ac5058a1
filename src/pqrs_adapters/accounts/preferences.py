"""What the application remembers for each person across sessions and devices: the
``user_preferences`` table, one JSON value per person and key (e.g. ``inbox_view``, the inbox view the
person last opened)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from ..sqlalchemy.engine import begin_write
from ..sqlalchemy.tables import user_preferences

INBOX_VIEW = "inbox_view"


def get_preference(engine: Engine, username: str, key: str) -> Any:
    """The value remembered for ``username`` under ``key``, or ``None``."""
    t = user_preferences
    with engine.connect() as conn:
        return conn.execute(select(t.c.value).where(t.c.username == username, t.c.key == key)).scalar()


def set_preference(engine: Engine, username: str, key: str, value: Any) -> None:
    """Remember ``value`` for ``username`` under ``key`` (replacing what was there)."""
    t = user_preferences
    try:
        with begin_write(engine) as conn:
            changed = conn.execute(update(t).where(t.c.username == username, t.c.key == key)
                                   .values(value=value)).rowcount
            if not changed:
                conn.execute(t.insert().values(username=username, key=key, value=value))
    except IntegrityError:
        pass  # the same person's other tab saved it at the same moment: one of the two is kept
