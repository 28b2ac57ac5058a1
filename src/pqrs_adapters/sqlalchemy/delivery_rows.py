"""A case's proof of notification as stored in ``cases`` (migration 0035): every step as JSON
(``deliveries``), when the current answer counts as notified (``notified_at``, for reports) and the
days its aviso is published (``notice_from``, ``notice_until``, for the public page ``/avisos``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pqrs_core.domain.delivery import AVISO, Delivery, current, notified_at


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_row(deliveries: Sequence[Delivery]) -> dict[str, Any]:
    aviso = current(deliveries).get(AVISO)
    plain = [{"communication": d.communication, "channel": d.channel, "status": d.status,
              "at": d.at.isoformat(), "detail": d.detail, "notifies_at": _iso(d.notifies_at),
              "until": _iso(d.until)} for d in deliveries]
    return {"deliveries": plain or None, "notified_at": notified_at(deliveries),
            "notice_from": date.fromisoformat(aviso.detail) if aviso and aviso.detail else None,
            "notice_until": aviso.until if aviso else None}


def from_plain(data: Sequence[Mapping[str, Any]] | None) -> tuple[Delivery, ...]:
    return tuple(Delivery(communication=d["communication"], channel=d["channel"], status=d["status"],
                          at=datetime.fromisoformat(d["at"]), detail=d.get("detail"),
                          notifies_at=_instant(d.get("notifies_at")),
                          until=date.fromisoformat(d["until"]) if d.get("until") else None)
                 for d in data or ())


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
