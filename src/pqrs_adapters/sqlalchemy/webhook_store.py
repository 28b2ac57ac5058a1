"""The webhook tables: subscriptions (created, changed, rotated, removed by administrators), the
deliveries the unit of work queues with the events (``queue_deliveries``) and their log.

Every change to a subscription is appended to the administration log (``catalog_changes``:
``webhooks.create``, ``.update``, ``.delete``, ``.rotate_secret``, and ``.disable`` when the worker
switches one off) in the same transaction; never the secret.

A delivery is queued in the transaction that stores its event, for every active subscription that
wants its type, with one insert. The active subscriptions are kept per process with the catalog's
revision token the unit of work read (``SqlCatalogStore.token``): every change to a subscription sets a
new token (``touch_revision``), so they are read again only after one changed, everywhere. What the
worker does with the deliveries is in ``pqrs_adapters.webhooks.delivery``.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs
import cattrs
from sqlalchemy import Connection, Engine, RowMapping, delete, insert, select, update

from pqrs_core.domain.case import Case
from pqrs_core.domain.values import SYSTEM_ACTOR

from ..webhooks.events import body, payload, webhook_type
from ..webhooks.subscriptions import Subscription, SubscriptionSettings, new_secret
from .catalog_store import RevisionCache, touch_revision
from .engine import begin_write
from .tables import catalog_changes, webhook_deliveries, webhook_subscriptions

LOG_LENGTH = 50  # deliveries the log shows
_ACTIVE = select(webhook_subscriptions.c.id, webhook_subscriptions.c.event_types).where(
    webhook_subscriptions.c.active.is_(True))
_INSERT = insert(webhook_deliveries)


def message_id() -> str:
    """A delivery's ``webhook-id``: the same on every attempt, so that receivers can deduplicate."""
    return f"msg_{uuid.uuid4().hex}"


Active = list[tuple[int, frozenset[str] | None]]  # (id, the types it wants; None: all)


# The active subscriptions each process read, with the revision token they were read at.
_CACHES: weakref.WeakKeyDictionary[Engine, RevisionCache[Active]] = weakref.WeakKeyDictionary()


def active_subscriptions(conn: Connection, token: str | None) -> Active:
    """The active subscriptions: those cached at ``token`` (the revision token the caller's transaction
    read), or read now."""
    cache: RevisionCache[Active] = _CACHES.setdefault(conn.engine, RevisionCache())
    found = cache.get(token)
    if found is None:
        found = [(row.id, None if row.event_types is None else frozenset(row.event_types))
                 for row in conn.execute(_ACTIVE)]
        cache.put(token, found)
    return found


def queue_deliveries(conn: Connection, cases: Iterable[Case], converter: cattrs.Converter,
                     token: str | None = None) -> int:
    """Queue a delivery of each new event of ``cases`` for each active subscription that wants it (in
    the caller's transaction, whose revision token is ``token``); how many were queued."""
    batch = [(case, event) for case in _once(cases) for event in case.events]
    if not batch:
        return 0
    subscriptions = active_subscriptions(conn, token)
    if not subscriptions:
        return 0
    rows: list[dict[str, Any]] = []
    for case, event in batch:
        kind = webhook_type(event.name)
        wanting = [sub_id for sub_id, wanted in subscriptions if wanted is None or kind in wanted]
        if not wanting:
            continue
        text = body(payload(converter, event, str(case.filing_number)))
        rows.extend({"subscription_id": sub_id, "message_id": message_id(), "event_type": kind,
                     "case_id": case.id, "filing_number": str(case.filing_number), "body": text,
                     "created_at": event.occurred_at, "attempts": 0, "round_attempts": 0,
                     "next_attempt_at": event.occurred_at} for sub_id in wanting)
    if rows:
        conn.execute(_INSERT, rows)
    return len(rows)


def _once(cases: Iterable[Case]) -> list[Case]:
    return list({id(case): case for case in cases}.values())


# --------------------------------------------------------------------------------- subscriptions
def _subscription(row: RowMapping) -> Subscription:
    types = row["event_types"]
    settings = SubscriptionSettings(url=row["url"], description=row["description"],
                                    event_types=tuple(types) if types is not None else None,
                                    active=row["active"])
    return Subscription(id=row["id"], settings=settings, secret=row["secret"], created_at=row["created_at"],
                        updated_at=row["updated_at"], disabled_at=row["disabled_at"],
                        disabled_reason=row["disabled_reason"])


def _values(settings: SubscriptionSettings) -> dict[str, Any]:
    return {"url": settings.url, "description": settings.description, "active": settings.active,
            "event_types": list(settings.event_types) if settings.event_types is not None else None}


def _record(conn: Connection, actor: str | None, at: datetime, action: str, subscription_id: int,
            settings: SubscriptionSettings | None = None, **extra: Any) -> None:
    """Append a change to the administration log (nothing when no one is named)."""
    if actor is None:
        return
    data: dict[str, Any] = {"webhook": subscription_id, **(_values(settings) if settings else {}), **extra}
    conn.execute(insert(catalog_changes).values(actor=actor, at=at, what=f"webhooks.{action}", data=data))


def list_subscriptions(engine: Engine) -> list[Subscription]:
    with engine.connect() as conn:
        return [_subscription(row) for row in conn.execute(
            select(webhook_subscriptions).order_by(webhook_subscriptions.c.id)).mappings()]


def get_subscription(engine: Engine, subscription_id: int) -> Subscription | None:
    with engine.connect() as conn:
        row = conn.execute(select(webhook_subscriptions).where(
            webhook_subscriptions.c.id == subscription_id)).mappings().first()
    return _subscription(row) if row is not None else None


def _found(engine: Engine, subscription_id: int) -> Subscription:
    found = get_subscription(engine, subscription_id)
    if found is None:
        raise LookupError(subscription_id)
    return found


def create_subscription(engine: Engine, settings: SubscriptionSettings, now: datetime, *,
                        actor: str | None = None) -> Subscription:
    """Store ``settings`` (already validated) with a new secret."""
    with begin_write(engine) as conn:
        new_id = conn.execute(insert(webhook_subscriptions).values(
            secret=new_secret(), created_at=now, updated_at=now, **_values(settings))
        ).inserted_primary_key[0]  # type: ignore[index]
        touch_revision(conn)
        _record(conn, actor, now, "create", int(new_id), settings)
    return _found(engine, int(new_id))


def update_subscription(engine: Engine, subscription_id: int, settings: SubscriptionSettings,
                        now: datetime, *, actor: str | None = None) -> Subscription:
    """Change a subscription (``LookupError`` when there is none). Switching it on forgets why it was
    switched off; its deliveries still pending go out again."""
    values: dict[str, Any] = {"updated_at": now, **_values(settings)}
    if settings.active:
        values.update(disabled_at=None, disabled_reason=None)
    with begin_write(engine) as conn:
        if conn.execute(update(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id)
                        .values(**values)).rowcount == 0:
            raise LookupError(subscription_id)
        touch_revision(conn)
        _record(conn, actor, now, "update", subscription_id, settings)
    return _found(engine, subscription_id)


def rotate_secret(engine: Engine, subscription_id: int, now: datetime, *,
                  actor: str | None = None) -> Subscription:
    """A new secret; the old one signs nothing from now on."""
    with begin_write(engine) as conn:
        if conn.execute(update(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id)
                        .values(secret=new_secret(), updated_at=now)).rowcount == 0:
            raise LookupError(subscription_id)
        _record(conn, actor, now, "rotate_secret", subscription_id)
    return _found(engine, subscription_id)


def delete_subscription(engine: Engine, subscription_id: int, now: datetime, *,
                        actor: str | None = None) -> None:
    """Remove a subscription and its deliveries."""
    with begin_write(engine) as conn:
        conn.execute(delete(webhook_deliveries)
                     .where(webhook_deliveries.c.subscription_id == subscription_id))
        if conn.execute(delete(webhook_subscriptions).where(
                webhook_subscriptions.c.id == subscription_id)).rowcount == 0:
            raise LookupError(subscription_id)
        touch_revision(conn)
        _record(conn, actor, now, "delete", subscription_id)


def disable_subscription(conn: Connection, subscription_id: int, now: datetime, reason: str) -> bool:
    """Switch a subscription off for ``reason`` (in the caller's transaction, recorded as done by
    ``SYSTEM_ACTOR``); ``False`` when it was already off."""
    done = bool(conn.execute(update(webhook_subscriptions).where(
        webhook_subscriptions.c.id == subscription_id, webhook_subscriptions.c.active.is_(True))
        .values(active=False, disabled_at=now, disabled_reason=reason, updated_at=now)).rowcount)
    if done:
        touch_revision(conn)
        _record(conn, SYSTEM_ACTOR, now, "disable", subscription_id, reason=reason)
    return done


# --------------------------------------------------------------------------------- the log
@attrs.frozen(kw_only=True)
class Delivery:
    id: int
    subscription_id: int
    message_id: str
    event_type: str
    case_id: str
    filing_number: str
    body: str
    created_at: datetime
    attempts: int
    round_attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    given_up_at: datetime | None
    last_status: int | None
    last_response: str | None
    last_error: str | None

    @property
    def status(self) -> str:
        """``delivered``, ``failed`` (given up) or ``pending``."""
        if self.delivered_at is not None:
            return "delivered"
        return "failed" if self.given_up_at is not None else "pending"


_DELIVERY_FIELDS = tuple(a.name for a in attrs.fields(Delivery))


def _delivery(row: RowMapping) -> Delivery:
    return Delivery(**{name: row[name] for name in _DELIVERY_FIELDS})


def list_deliveries(engine: Engine, subscription_id: int, limit: int = LOG_LENGTH) -> list[Delivery]:
    """The latest deliveries of a subscription, newest first."""
    d = webhook_deliveries.c
    with engine.connect() as conn:
        return [_delivery(row) for row in conn.execute(
            select(webhook_deliveries).where(d.subscription_id == subscription_id)
            .order_by(d.id.desc()).limit(limit)).mappings()]


def get_delivery(engine: Engine, subscription_id: int, delivery_id: int) -> Delivery | None:
    d = webhook_deliveries.c
    with engine.connect() as conn:
        row = conn.execute(select(webhook_deliveries).where(
            d.id == delivery_id, d.subscription_id == subscription_id)).mappings().first()
    return _delivery(row) if row is not None else None


def resend(engine: Engine, subscription_id: int, delivery_id: int, now: datetime) -> Delivery:
    """«Reenviar»: queue the delivery again now, with the same ``webhook-id`` and body and a new round
    of retries (``LookupError`` when there is no such delivery)."""
    d = webhook_deliveries.c
    with begin_write(engine) as conn:
        if conn.execute(update(webhook_deliveries).where(d.id == delivery_id,
                                                         d.subscription_id == subscription_id)
                        .values(next_attempt_at=now, round_attempts=0, delivered_at=None, given_up_at=None,
                                claimed_until=None)).rowcount == 0:
            raise LookupError(delivery_id)
    found = get_delivery(engine, subscription_id, delivery_id)
    assert found is not None
    return found


