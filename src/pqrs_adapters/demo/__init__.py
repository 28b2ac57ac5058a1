"""Demo data: the people, topics and texts it is made of (``data``) and the loader that files and works
the cases through the use cases (``loader``)."""

from __future__ import annotations

from .loader import (
    DemoLoader,
    DemoResult,
    create_demo_mailbox,
    create_demo_users,
    load_demo,
    record_demo_answers,
    settle_demo_notifications,
    state_summary,
)

__all__ = ["DemoLoader", "DemoResult", "create_demo_mailbox", "create_demo_users", "load_demo",
           "record_demo_answers", "settle_demo_notifications", "state_summary"]
