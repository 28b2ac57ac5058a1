"""What every ``pqrs`` sub-command shares: Spanish error messages instead of tracebacks, the
configuration, an engine disposed of at the end, plain-text tables and local times."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click

from pqrs_core.domain.errors import DomainError

from ..config import Config, ConfigError

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> NoReturn:
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(1)


def friendly_errors(fn: F) -> F:
    """Turn domain, configuration and database errors into a Spanish message and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.exc import SQLAlchemyError

        from ..accounts import AccountError
        from ..presentation import error_message
        from ..sqlalchemy.schema_state import StoreNotMigrated

        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            fail(error_message(exc))
        except (ConfigError, AccountError, StoreNotMigrated) as exc:
            fail(str(exc))
        except SQLAlchemyError as exc:
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            fail(f"no se pudo usar la base de datos ({detail}). ¿Ejecutó «pqrs init»?")

    return wrapper  # type: ignore[return-value]


def get_config(ctx: click.Context) -> Config:
    config: Config = ctx.obj["config"]
    return config


@contextmanager
def open_engine(config: Config, *, checked: bool = True) -> Iterator[Any]:
    """The engine of the configured database; with ``checked``, refused (``StoreNotMigrated``) unless
    its schema is this version's, so that an older pqrs never writes to a newer schema."""
    from ..sqlalchemy.schema_state import check_schema
    from ..wiring import make_engine

    engine = make_engine(config)
    try:
        if checked:
            check_schema(engine, config.describe_database())
        yield engine
    finally:
        engine.dispose()


def table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]], max_width: int = 48) -> str:
    def cut(text: str) -> str:
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [tuple(cut(h) for h in headers), *[tuple(cut(v) for v in row) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(v.ljust(widths[i]) for i, v in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def local_time(config: Config, instant: Any) -> str:
    """``dd/mm/aaaa hh:mm`` in the organisation's time zone; «—» for nothing."""
    from zoneinfo import ZoneInfo

    if instant is None:
        return "—"
    return str(instant.astimezone(ZoneInfo(config.timezone)).strftime("%d/%m/%Y %H:%M"))
