"""File stores behind the core's ``FileStore`` port: the local folder (``local``) a single host keeps
attachments in, and the database (``database``, ``pqrs_adapters.sqlalchemy.file_store``) every host of
one PostgreSQL database shares. ``PQRS_FILE_STORE`` chooses; ``pqrs files move`` copies between them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pqrs_core.ports import FileStore

from .local import LocalFileStore

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from pqrs_core.ports import Clock

    from ..config import Config

__all__ = ["LocalFileStore", "ManagedFileStore", "file_store"]


@runtime_checkable
class ManagedFileStore(FileStore, Protocol):
    """A store the operators' commands can go through (list, copy, verify, remove) and a download can
    read a piece at a time."""

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> bool:
        """Remove the file; whether there was one."""
        ...

    def keys(self) -> Iterator[str]:
        """Every stored key, in order."""
        ...

    def stream(self, key: str) -> Iterator[bytes]:
        """The bytes of ``key`` in pieces; ``NotFound`` before the first one."""
        ...


def file_store(config: Config, engine: Engine | None, *, kind: str | None = None,
               clock: Clock | None = None) -> ManagedFileStore:
    """The store ``kind`` names (``config.file_store`` unless given): the folder ``config.files_dir``,
    or the database of ``engine`` (required then)."""
    kind = kind or config.file_store
    if kind == "local":
        return LocalFileStore(config.files_dir)
    if kind == "database":
        from ..sqlalchemy.file_store import DatabaseFileStore

        if engine is None:
            raise ValueError("the database file store needs an engine")
        return DatabaseFileStore(engine, clock)
    raise ValueError(f"unknown file store {kind!r}")
