"""Copying files from one store to another (``pqrs files move``) and checking a store against what the
database refers to (``pqrs files check``).

A move is idempotent and can be resumed: a file the target already holds is not copied again, so a
move cut short is finished by running it again. Every copied file is read back from the target and its
SHA-256 compared with its key before it counts (and before the source's copy is removed, when asked).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable

import attrs

from pqrs_core.domain.errors import NotFound

from . import ManagedFileStore

log = logging.getLogger(__name__)


@attrs.frozen
class MoveReport:
    copied: int  # written to the target and verified
    present: int  # the target had them already
    removed: int  # removed from the source (``remove_source``)
    failed: tuple[str, ...]  # keys whose bytes did not match their key (left where they were)


@attrs.frozen
class CheckReport:
    stored: int  # files in the store
    damaged: tuple[str, ...]  # stored bytes whose SHA-256 is not their key
    missing: tuple[str, ...]  # keys the database refers to that the store does not hold
    unreferenced: int  # stored files nothing in the database refers to


def _intact(store: ManagedFileStore, key: str) -> bool:
    digest = hashlib.sha256()
    try:
        for piece in store.stream(key):
            digest.update(piece)
    except NotFound:
        return False
    return digest.hexdigest() == key


def move_files(source: ManagedFileStore, target: ManagedFileStore, *, remove_source: bool = False,
               progress: Callable[[str], None] | None = None) -> MoveReport:
    """Copy every file of ``source`` that ``target`` lacks; with ``remove_source``, remove from
    ``source`` each file the target holds intact. ``progress`` is told each key done."""
    copied = present = removed = 0
    failed: list[str] = []
    for key in source.keys():
        if target.exists(key):
            present += 1
        else:
            content = source.get(key)
            if hashlib.sha256(content).hexdigest() != key:
                log.error("file move: the source's file %s is damaged; not copied", key)
                failed.append(key)
                continue
            target.put(content)
            if not _intact(target, key):
                log.error("file move: the copy of %s in the target does not match; source kept", key)
                failed.append(key)
                continue
            copied += 1
        if remove_source and _intact(target, key):
            removed += int(source.delete(key))
        if progress is not None:
            progress(key)
    return MoveReport(copied=copied, present=present, removed=removed, failed=tuple(failed))


def check_files(store: ManagedFileStore, referenced: Iterable[str]) -> CheckReport:
    """Read every file of ``store`` back (its SHA-256 must be its key) and look for each key in
    ``referenced`` (what the database refers to)."""
    stored: set[str] = set()
    damaged: list[str] = []
    for key in store.keys():
        stored.add(key)
        if not _intact(store, key):
            damaged.append(key)
    wanted = set(referenced)
    missing = sorted(key for key in wanted - stored if not store.exists(key))  # stored since the listing
    return CheckReport(stored=len(stored), damaged=tuple(damaged), missing=tuple(missing),
                       unreferenced=len(stored - wanted))
