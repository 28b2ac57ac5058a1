"""A PostgreSQL database of its own for one benchmark run: created, handed over, dropped."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator

from sqlalchemy import create_engine, make_url, text

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def masked(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@contextlib.contextmanager
def bench_database(admin_url: str, *, name: str | None = None, keep: bool = False) -> Iterator[str | None]:
    """Create ``pqrs_bench_<hex>`` (or ``name``) through ``admin_url`` and yield its URL (``None`` when
    PostgreSQL is unreachable); drop it afterwards, whatever happened, unless ``keep`` (then a database
    of that name left by an earlier run is handed over as it is)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure to connect means "unreachable"
        admin.dispose()
        yield None
        return
    name = name or f"pqrs_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first()
        if exists is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        for _ in range(0 if keep else 3):
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except Exception:  # noqa: BLE001 - retry once the last connections are gone
                time.sleep(1)
        admin.dispose()
