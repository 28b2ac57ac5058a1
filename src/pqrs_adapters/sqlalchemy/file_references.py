"""The file-store keys the database refers to: every case attachment (letters included) and every raw
message the mail intake kept (``pqrs files check``)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, select

from .tables import cases, mail_intake


def referenced_keys(engine: Engine) -> Iterator[str]:
    """Each key the stored cases and the intake log name (a key may come more than once)."""
    with engine.connect() as conn:
        rows = conn.execution_options(yield_per=500).execute(select(cases.c.attachments))
        for (attachments,) in rows:
            for attachment in attachments or ():
                if attachment.get("storage_key"):
                    yield str(attachment["storage_key"])
    with engine.connect() as conn:
        rows = conn.execution_options(yield_per=500).execute(
            select(mail_intake.c.raw_key).where(mail_intake.c.raw_key.is_not(None)))
        for (key,) in rows:
            yield str(key)
