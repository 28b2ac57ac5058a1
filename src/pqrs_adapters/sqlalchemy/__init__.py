"""The SQLAlchemy store: SQLite file by default, PostgreSQL through a URL.

A library user opens it with ``pqrs_adapters.open_pqrs(url)``; the pieces it is built from are here
for those who wire adapters themselves::

    from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory, upgrade
    upgrade("sqlite:///var/pqrs.db")
    engine = make_engine("sqlite:///var/pqrs.db")
    pqrs = bootstrap(uow_factory=sql_uow_factory(engine))

Importing this package creates no engine and opens no connection.
"""

from .engine import make_engine
from .migrate import upgrade
from .unit_of_work import SqlUnitOfWork, sql_uow_factory

__all__ = ["SqlUnitOfWork", "make_engine", "sql_uow_factory", "upgrade"]
