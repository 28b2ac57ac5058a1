"""What an administrator registers: the URL, the events (by type, or all), a description and whether it
is on. The secret is generated here, never chosen: ``whsec_`` and 24 random bytes in base64, as the
Standard Webhooks specification writes it; it is shown when created or rotated."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterable
from datetime import datetime

import attrs

from .addresses import AllowList, Resolver, UnsafeUrl, check_url, system_resolver
from .events import WEBHOOK_TYPES

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24
MAX_DESCRIPTION = 300


class WebhookError(ValueError):
    """A field of a subscription is wrong: ``field`` names it, ``message`` says why (in Spanish)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def event_types(chosen: Iterable[str] | None) -> tuple[str, ...] | None:
    """The types a subscription names, in the catalogue's order (``None``: every event); an unknown
    one is a ``WebhookError`` on ``event_types``."""
    if chosen is None:
        return None
    names = list(dict.fromkeys(chosen))
    unknown = [name for name in names if name not in WEBHOOK_TYPES]
    if unknown:
        raise WebhookError("event_types", f"Tipo de evento desconocido: «{unknown[0]}».")
    if not names:
        raise WebhookError("event_types", "Elija al menos un tipo de evento, o todos.")
    return tuple(name for name in WEBHOOK_TYPES if name in names)


@attrs.frozen(kw_only=True)
class SubscriptionSettings:
    url: str
    description: str = ""
    event_types: tuple[str, ...] | None = None  # None: every event
    active: bool = True

    def validated(self, allow: AllowList, resolve: Resolver = system_resolver) -> SubscriptionSettings:
        """The settings cleaned (``WebhookError`` naming the field at fault); the URL must be one the
        worker may call now (``addresses.check_url``)."""
        url = self.url.strip()
        if not url:
            raise WebhookError("url", "Indique la URL que recibe los eventos.")
        try:
            check_url(url, allow, resolve)
        except UnsafeUrl as exc:
            raise WebhookError("url", str(exc)) from None
        description = " ".join(self.description.split())
        if len(description) > MAX_DESCRIPTION:
            raise WebhookError("description", f"La descripción admite hasta {MAX_DESCRIPTION} caracteres.")
        return attrs.evolve(self, url=url, description=description, event_types=event_types(self.event_types))

    def wants(self, webhook_type: str) -> bool:
        return self.event_types is None or webhook_type in self.event_types


@attrs.frozen(kw_only=True)
class Subscription:
    id: int
    settings: SubscriptionSettings
    secret: str
    created_at: datetime
    updated_at: datetime
    disabled_at: datetime | None = None
    disabled_reason: str | None = None
