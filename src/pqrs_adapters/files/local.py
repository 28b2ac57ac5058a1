"""``LocalFileStore``: attachment bytes on the local disk, content-addressed.

A file's key is the SHA-256 of its bytes; it lives at ``root/ab/cd/<sha256>``. User-given file names
never touch the file system (they stay in the case's ``AttachmentInfo``). Writes go to a temporary
file in the same directory, are flushed to disk and renamed into place, so a reader never sees half
a file and a crash leaves at most a stray temporary file.

A folder the process may not write to (or a full disk) is ``StorageUnavailable``, the core's error for
"try again later", never a bare ``OSError``: the pages and the API answer 503 and ``/health`` reports
the store (``check``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pqrs_core.domain.errors import NotFound, StorageUnavailable

_KEY_RE = re.compile(r"^[0-9a-f]{64}$")
_STORED_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$")
READ_SIZE = 1024 * 1024
log = logging.getLogger(__name__)


class LocalFileStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        """Where the file with ``key`` lives; ``NotFound`` for anything that is not a SHA-256 key."""
        if not _KEY_RE.match(key):
            raise NotFound("el archivo", key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, content: bytes) -> str:
        key = hashlib.sha256(content).hexdigest()
        target = self.path_for(key)
        if target.exists():
            return key
        try:
            self._write(target, content)
        except OSError as exc:
            log.error("file store: cannot write under %s: %s", self.root, exc.strerror or exc)
            raise StorageUnavailable() from exc
        return key

    def check(self) -> None:
        """``StorageUnavailable`` unless a file can be written (and removed) under the root."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self.root, prefix=".health-")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            log.error("file store: cannot write under %s: %s", self.root, exc.strerror or exc)
            raise StorageUnavailable() from exc

    def _write(self, target: Path, content: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self.path_for(key).read_bytes()
        except FileNotFoundError:
            raise NotFound("el archivo", key) from None

    def stream(self, key: str) -> Iterator[bytes]:
        """The bytes of ``key`` a block at a time (a download never holds the whole file in memory);
        ``NotFound`` here, before the first block."""
        try:
            handle = self.path_for(key).open("rb")
        except FileNotFoundError:
            raise NotFound("el archivo", key) from None
        return _blocks(handle)

    def delete(self, key: str) -> bool:
        """Remove the file; whether there was one."""
        try:
            self.path_for(key).unlink()
        except (NotFound, FileNotFoundError):
            return False
        return True

    def keys(self) -> Iterator[str]:
        """Every stored key, in order, leaving out temporary files."""
        for path, _name in self.files():
            yield path.name

    def files(self) -> Iterator[tuple[Path, str]]:
        """Every stored file: its path and its name under the root (``ab/cd/<sha256>``), in order."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            name = path.relative_to(self.root).as_posix()
            if _STORED_NAME.match(name) and path.name.startswith(path.parent.parent.name + path.parent.name) \
                    and path.is_file():
                yield path, name

    def exists(self, key: str) -> bool:
        try:
            return self.path_for(key).is_file()
        except NotFound:
            return False


def _blocks(handle: io.BufferedReader) -> Iterator[bytes]:
    with handle:
        while block := handle.read(READ_SIZE):
            yield block
