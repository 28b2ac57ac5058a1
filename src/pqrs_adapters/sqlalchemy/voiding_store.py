"""``SqlVoidingStore``: voiding requests and records (``pqrs_core.domain.voiding``) in ``voidings``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, select
from sqlalchemy.exc import IntegrityError

from pqrs_core.domain.errors import InvalidOperation, NotFound
from pqrs_core.domain.voiding import TargetKind, Voiding, VoidingStatus

from .tables import voidings

_PENDING_TAKEN = "ya hay una solicitud de anulación pendiente para este registro"


def _row(v: Voiding) -> dict[str, Any]:
    return dict(id=v.id, target_kind=str(v.target_kind), target=v.target, reason=v.reason,
                requested_by=v.requested_by, requester_roles=sorted(v.requester_roles),
                requested_at=v.requested_at, status=str(v.status), decided_by=v.decided_by,
                decided_at=v.decided_at, note=v.note, number=v.number)


def _voiding(r: RowMapping) -> Voiding:
    return Voiding(id=r["id"], target_kind=TargetKind(r["target_kind"]), target=r["target"],
                   reason=r["reason"], requested_by=r["requested_by"],
                   requester_roles=frozenset(r["requester_roles"]), requested_at=r["requested_at"],
                   status=VoidingStatus(r["status"]), decided_by=r["decided_by"], decided_at=r["decided_at"],
                   note=r["note"], number=r["number"])


class SqlVoidingStore:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, voiding: Voiding) -> None:
        """The partial unique index refuses a second pending request for the same target, even from a
        concurrent transaction; the unit of work is then rolled back whole."""
        if self.list(VoidingStatus.PENDING, target_kind=voiding.target_kind, target=voiding.target, limit=1):
            raise InvalidOperation(_PENDING_TAKEN)
        try:
            self._conn.execute(voidings.insert().values(_row(voiding)))
        except IntegrityError:
            raise InvalidOperation(_PENDING_TAKEN) from None

    def get(self, voiding_id: str) -> Voiding:
        row = self._conn.execute(select(voidings).where(voidings.c.id == voiding_id)).mappings().first()
        if row is None:
            raise NotFound("la solicitud de anulación", voiding_id)
        return _voiding(row)

    def save(self, voiding: Voiding) -> None:
        values = _row(voiding)
        del values["id"]
        self._conn.execute(voidings.update().where(voidings.c.id == voiding.id).values(values))

    def list(self, status: VoidingStatus | None = None, *, target_kind: str | None = None,
             target: str | None = None, limit: int = 200) -> list[Voiding]:
        query = select(voidings).order_by(voidings.c.requested_at.desc(), voidings.c.id.desc()).limit(limit)
        if status is not None:
            query = query.where(voidings.c.status == str(status))
        if target_kind is not None:
            query = query.where(voidings.c.target_kind == target_kind)
        if target is not None:
            query = query.where(voidings.c.target == target)
        return [_voiding(r) for r in self._conn.execute(query).mappings()]
