"""The ``mailboxes`` table: list, read, create and change mailboxes, and keep each one's IMAP state.

The fetcher writes the state (``record_progress`` after every message it has handed to the intake and
marked on the server, ``record_fetch`` at the end of a pass); administrators write the settings. The
two never overwrite each other's columns. Every change an administrator makes is appended to the
administration log (``catalog_changes``: ``mailboxes.create``, ``mailboxes.update``) in the same
transaction, with the fields that changed — a new credential reference only as «changed».
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import Connection, Engine, RowMapping, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..mail.mailboxes import Mailbox, MailboxError, MailboxSettings
from .engine import begin_write
from .tables import catalog_changes, mailboxes

MAX_ERROR_LENGTH = 2000
SETTING_COLUMNS = tuple(a.name for a in attrs.fields(MailboxSettings))


def _mailbox(row: RowMapping) -> Mailbox:
    return Mailbox(id=row["id"], settings=MailboxSettings(**{name: row[name] for name in SETTING_COLUMNS}),
                   uidvalidity=row["uidvalidity"], last_uid=row["last_uid"],
                   last_fetch_at=row["last_fetch_at"], last_error=row["last_error"])


def list_mailboxes(engine: Engine, *, enabled_only: bool = False) -> list[Mailbox]:
    stmt = select(mailboxes).order_by(mailboxes.c.address)
    if enabled_only:
        stmt = stmt.where(mailboxes.c.enabled.is_(True))
    with engine.connect() as conn:
        return [_mailbox(row) for row in conn.execute(stmt).mappings()]


def get_mailbox(engine: Engine, mailbox_id: int) -> Mailbox | None:
    with engine.connect() as conn:
        row = conn.execute(select(mailboxes).where(mailboxes.c.id == mailbox_id)).mappings().first()
    return _mailbox(row) if row is not None else None


def find_mailbox(engine: Engine, address: str) -> Mailbox | None:
    with engine.connect() as conn:
        row = conn.execute(select(mailboxes).where(mailboxes.c.address == address.strip().lower())
                           ).mappings().first()
    return _mailbox(row) if row is not None else None


def _taken(address: str) -> MailboxError:
    return MailboxError("address", f"Ya existe un buzón con la dirección «{address}».")


def _record(conn: Connection, actor: str | None, at: datetime, before: MailboxSettings | None,
            after: MailboxSettings) -> None:
    """Append what ``actor`` changed to the administration log (nothing when no one is named, e.g. the
    demo, or nothing changed)."""
    if actor is None:
        return
    old = attrs.asdict(before) if before is not None else {}
    changed = {name: value for name, value in attrs.asdict(after).items()
               if before is None or old[name] != value}
    if not changed:
        return
    if "credential" in changed:
        changed["credential"] = "changed" if changed["credential"] else None
    data = {"mailbox": before.address if before is not None else after.address, **changed}
    conn.execute(insert(catalog_changes).values(
        actor=actor, at=at, what="mailboxes.create" if before is None else "mailboxes.update", data=data))


def create_mailbox(engine: Engine, settings: MailboxSettings, now: datetime, *,
                   actor: str | None = None) -> Mailbox:
    """Store a new mailbox (validated); ``MailboxError`` when a field is wrong or the address is taken."""
    settings = settings.validated()
    try:
        with begin_write(engine) as conn:
            new_id = conn.execute(insert(mailboxes).values(created_at=now, updated_at=now,
                                                           **attrs.asdict(settings))
                                  ).inserted_primary_key[0]  # type: ignore[index]
            _record(conn, actor, now, None, settings)
    except IntegrityError:
        raise _taken(settings.address) from None
    found = get_mailbox(engine, int(new_id))
    assert found is not None
    return found


def update_mailbox(engine: Engine, mailbox_id: int, settings: MailboxSettings, now: datetime, *,
                   actor: str | None = None) -> Mailbox:
    """Change a mailbox's settings. Pointing it at another server or folder forgets its IMAP state
    (the new folder is read from its start; the intake's Message-ID check keeps anything already filed
    from being filed again)."""
    settings = settings.validated()
    current = get_mailbox(engine, mailbox_id)
    if current is None:
        raise LookupError(mailbox_id)
    values: dict[str, Any] = {"updated_at": now, **attrs.asdict(settings)}
    if (settings.imap_url, settings.username) != (current.settings.imap_url, current.settings.username):
        values.update(uidvalidity=None, last_uid=None)
    try:
        with begin_write(engine) as conn:
            conn.execute(update(mailboxes).where(mailboxes.c.id == mailbox_id).values(**values))
            _record(conn, actor, now, current.settings, settings)
    except IntegrityError:
        raise _taken(settings.address) from None
    found = get_mailbox(engine, mailbox_id)
    assert found is not None
    return found


def set_enabled(engine: Engine, mailbox_id: int, enabled: bool, now: datetime, *,
                actor: str | None = None) -> None:
    current = get_mailbox(engine, mailbox_id)
    if current is None:
        raise LookupError(mailbox_id)
    with begin_write(engine) as conn:
        conn.execute(update(mailboxes).where(mailboxes.c.id == mailbox_id)
                     .values(enabled=enabled, updated_at=now))
        _record(conn, actor, now, current.settings, attrs.evolve(current.settings, enabled=enabled))


def record_progress(engine: Engine, mailbox_id: int, uidvalidity: int, last_uid: int) -> None:
    """The message ``last_uid`` of the folder generation ``uidvalidity`` is filed and marked."""
    with begin_write(engine) as conn:
        conn.execute(update(mailboxes).where(mailboxes.c.id == mailbox_id)
                     .values(uidvalidity=uidvalidity, last_uid=last_uid))


def record_fetch(engine: Engine, mailbox_id: int, now: datetime, error: str | None) -> None:
    """A pass over the mailbox ended at ``now``, well (``error`` empty) or with the Spanish ``error``."""
    with begin_write(engine) as conn:
        conn.execute(update(mailboxes).where(mailboxes.c.id == mailbox_id)
                     .values(last_fetch_at=now,
                             last_error=error[:MAX_ERROR_LENGTH] if error else None))
