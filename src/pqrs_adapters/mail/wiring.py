"""From a ``Config`` to what ``pqrs worker`` needs: the SMTP mailer and the delivery options."""

from __future__ import annotations

from pqrs_core.domain.catalog import Catalog

from ..config import Config
from ..files.local import LocalFileStore
from .render import MailLabels, MailRenderer
from .smtp import SmtpMailer
from .worker import DeliveryOptions


def delivery_from_config(config: Config,
                         catalog: Catalog | None = None) -> tuple[SmtpMailer, DeliveryOptions]:
    """The mailer and options ``config`` describes; ``catalog`` gives kinds, queues and states their
    labels in the messages (codes are shown without it)."""
    options = DeliveryOptions(mail_from=config.mail.mail_from, max_attempts=config.mail.max_attempts,
                              renderer=renderer_from_config(config, catalog),
                              files=LocalFileStore(config.files_dir))
    return SmtpMailer.from_settings(config.mail), options


def renderer_from_config(config: Config, catalog: Catalog | None = None) -> MailRenderer:
    """The renderer the worker sends with (organisation, time zone, overriding templates), also used to
    show a message before it is sent (the web's preview of a response)."""
    settings = config.settings()
    return MailRenderer(organisation=settings.organisation_name, timezone=config.timezone,
                        templates_dir=config.mail.templates_dir,
                        labels=MailLabels.from_catalog(catalog) if catalog is not None else None)
