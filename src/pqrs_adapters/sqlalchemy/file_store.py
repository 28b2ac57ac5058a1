"""``DatabaseFileStore``: attachment bytes in the database, so that every host serving one PostgreSQL
database serves the same files (``PQRS_FILE_STORE=database``).

Like the local folder, a file's key is the SHA-256 of its bytes. A file is a row of ``stored_files``
(size, number of chunks) and its bytes cut into ``stored_file_chunks`` of at most ``CHUNK_SIZE``: no
single value is large (PostgreSQL keeps each chunk in TOAST on its own, and a download reads one chunk
at a time, ``stream``). The row and its chunks are written in one transaction, on a connection of
their own (as the local store writes before the unit of work that records the file commits): a file
whose row exists is whole, and a failed write leaves nothing.

A database that cannot be reached or written is ``StorageUnavailable`` (503, ``/health`` reports
``files``), like a full disk for the local store.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator

from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from pqrs_core.clock import SystemClock
from pqrs_core.domain.errors import NotFound, StorageUnavailable
from pqrs_core.ports import Clock

from .engine import WRITE_OPTION, begin_write, describe_error
from .tables import stored_file_chunks, stored_files

CHUNK_SIZE = 1024 * 1024
_KEY_RE = re.compile(r"^[0-9a-f]{64}$")
_PROBE_KEY = "health-check"  # never a SHA-256: no file can have it
log = logging.getLogger(__name__)


class DatabaseFileStore:
    def __init__(self, engine: Engine, clock: Clock | None = None, *, chunk_size: int = CHUNK_SIZE) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        self.chunk_size = chunk_size

    def put(self, content: bytes) -> str:
        key = hashlib.sha256(content).hexdigest()
        try:
            with begin_write(self.engine) as conn:
                if _chunk_count(conn, key) is None:
                    self._write(conn, key, content)
        except IntegrityError:
            if not self.exists(key):  # anything but the same bytes stored meanwhile by another host
                log.error("file store: the database refused the file %s", key)
                raise StorageUnavailable() from None
        except DBAPIError as exc:
            log.error("file store: cannot write to the database: %s", describe_error(exc))
            raise StorageUnavailable() from exc
        return key

    def _write(self, conn: Connection, key: str, content: bytes) -> None:
        view = memoryview(content)
        chunks = -(-len(content) // self.chunk_size)
        conn.execute(insert(stored_files).values(key=key, size=len(content), chunks=chunks,
                                                 created_at=self.clock.now()))
        for seq in range(chunks):
            piece = bytes(view[seq * self.chunk_size:(seq + 1) * self.chunk_size])
            conn.execute(insert(stored_file_chunks).values(key=key, seq=seq, content=piece))

    def get(self, key: str) -> bytes:
        return b"".join(self.stream(key))

    def stream(self, key: str) -> Iterator[bytes]:
        """The bytes of ``key`` chunk by chunk, each read in a short query of its own (a download
        holds no connection while the client reads); ``NotFound`` here, before the first chunk."""
        chunks = self._chunks_of(key)
        return self._read_chunks(key, chunks)

    def _chunks_of(self, key: str) -> int:
        if not _KEY_RE.match(key):
            raise NotFound("el archivo", key)
        try:
            with self.engine.connect() as conn:
                chunks = _chunk_count(conn, key)
        except DBAPIError as exc:
            log.error("file store: cannot read the database: %s", describe_error(exc))
            raise StorageUnavailable() from exc
        if chunks is None:
            raise NotFound("el archivo", key)
        return chunks

    def _read_chunks(self, key: str, chunks: int) -> Iterator[bytes]:
        for seq in range(chunks):
            with self.engine.connect() as conn:
                piece = conn.execute(select(stored_file_chunks.c.content).where(
                    stored_file_chunks.c.key == key, stored_file_chunks.c.seq == seq)).scalar_one()
            yield bytes(piece)

    def exists(self, key: str) -> bool:
        if not _KEY_RE.match(key):
            return False
        with self.engine.connect() as conn:
            return _chunk_count(conn, key) is not None

    def delete(self, key: str) -> bool:
        """Remove the file (its chunks go with it); whether there was one."""
        if not _KEY_RE.match(key):
            return False
        with begin_write(self.engine) as conn:
            conn.execute(delete(stored_file_chunks).where(stored_file_chunks.c.key == key))
            return bool(conn.execute(delete(stored_files).where(stored_files.c.key == key)).rowcount)

    def keys(self) -> Iterator[str]:
        """Every stored key, in order (read a page at a time: the store may hold many)."""
        after = ""
        while True:
            with self.engine.connect() as conn:
                page = list(conn.execute(select(stored_files.c.key).where(stored_files.c.key > after)
                                         .order_by(stored_files.c.key).limit(500)).scalars())
            yield from page
            if len(page) < 500:
                return
            after = page[-1]

    def count(self) -> tuple[int, int]:
        """How many files the store holds and their bytes."""
        with self.engine.connect() as conn:
            files, size = conn.execute(select(func.count(), func.coalesce(func.sum(stored_files.c.size), 0))
                                       .select_from(stored_files)).one()
        return int(files), int(size)

    def check(self) -> None:
        """``StorageUnavailable`` unless a file's row can be written (in a transaction rolled back)."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin() as tx:
                    conn.execute(insert(stored_files).values(key=_PROBE_KEY, size=0, chunks=0,
                                                             created_at=self.clock.now()))
                    tx.rollback()
        except DBAPIError as exc:
            log.error("file store: cannot write to the database: %s", describe_error(exc))
            raise StorageUnavailable() from exc


def _chunk_count(conn: Connection, key: str) -> int | None:
    found = conn.execute(select(stored_files.c.chunks).where(stored_files.c.key == key)).scalar_one_or_none()
    return None if found is None else int(found)
