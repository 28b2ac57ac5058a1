"""The avisos published on the website (CPACA art. 69): the cases whose answer could not be notified
and whose notice is up on a given day, for the public page ``/avisos``.

Only the filing number, the kind and the days are published: the requester's name and the subject
are personal data a public page may not circulate (Ley 1581 de 2012 art. 4 literal f, principle of
restricted circulation); the requester finds the answer by its number at the public lookup."""

from __future__ import annotations

from datetime import date

import attrs
from sqlalchemy import Connection, select

from .tables import cases


@attrs.frozen
class PublishedNotice:
    filing_number: str
    kind: str
    published_from: date
    published_until: date


def published_on(conn: Connection, day: date) -> list[PublishedNotice]:
    """The notices published on ``day`` (a local date), the latest first; deleted cases never."""
    c = cases.c
    rows = conn.execute(
        select(c.filing_number, c.kind, c.notice_from, c.notice_until)
        .where(c.notice_until >= day, c.notice_from <= day, c.deleted_at.is_(None))
        .order_by(c.notice_from.desc(), c.filing_number))
    return [PublishedNotice(*row) for row in rows]
