"""Adapters of the ``pqrs_core`` ports (SQLAlchemy store, local file store) and the entry points.

For library users: ``open_pqrs(url)`` builds the application on a SQLite or PostgreSQL database,
``migrate(url)`` creates or upgrades its schema, and ``StoreNotMigrated`` says a database was never
initialised. Importing this package opens no connection and loads none of the adapters: each name
below is imported when it is first used, so the command line and the web application, which import
modules of this package, do not pay for the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

DISTRIBUTION = "openpqrs"
"""The name pqrs is installed under (``pip install openpqrs``); ``pqrs`` on PyPI is an unrelated project."""

if TYPE_CHECKING:
    from .config import Config
    from .sqlalchemy.schema_state import StoreNotMigrated
    from .wiring import migrate, open_pqrs

_EXPORTS = {"Config": ".config", "migrate": ".wiring", "open_pqrs": ".wiring",
            "StoreNotMigrated": ".sqlalchemy.schema_state"}

__all__ = ["Config", "StoreNotMigrated", "migrate", "open_pqrs"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
