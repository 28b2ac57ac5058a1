"""From a ``Config`` to what ``pqrs worker`` needs: the SMTP mailer and the delivery options."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
from sqlalchemy import Engine

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog

from ..config import Config
from ..files import file_store
from ..surveys import survey_links
from .render import MailLabels, MailRenderer, TemplateOverrides
from .smtp import SmtpMailer
from .worker import DeliveryOptions

if TYPE_CHECKING:
    from .intake import IntakeSettings, MailIntake


def delivery_from_config(config: Config, catalog: Catalog | None = None,
                         engine: Engine | None = None) -> tuple[SmtpMailer, DeliveryOptions]:
    """The mailer and options ``config`` describes; ``catalog`` gives kinds, queues and states their
    labels in the messages (codes are shown without it), and tells which roles work on cases; with
    ``engine``, the templates edited in the administration are used (and the engine is required when
    the attachments are in the database)."""
    options = DeliveryOptions(mail_from=config.mail.mail_from, max_attempts=config.mail.max_attempts,
                              reply_mailbox=config.mail.reply_mailbox,
                              renderer=renderer_from_config(config, catalog, engine),
                              files=file_store(config, engine), surveys=survey_links(config))
    if catalog is not None:
        options = attrs.evolve(options, staff_roles=frozenset(
            role.code for role in catalog.roles if Permission.NOTE in role.permissions))
    return SmtpMailer.from_settings(config.mail), options


def renderer_from_config(config: Config, catalog: Catalog | None = None, engine: Engine | None = None, *,
                         overrides: TemplateOverrides | None = None) -> MailRenderer:
    """The renderer the worker sends with (organisation, time zone, overriding template files and, with
    ``engine``, the templates edited in the administration), also used to show a message before it is
    sent (the web's preview of a response). ``overrides`` replaces the stored templates (the
    administration's preview of a template being edited)."""
    from ..sqlalchemy.mail_template_store import StoredTemplates

    settings = config.settings()
    return MailRenderer(organisation=settings.organisation_name, timezone=config.timezone,
                        templates_dir=config.mail.templates_dir,
                        labels=MailLabels.from_catalog(catalog) if catalog is not None else None,
                        overrides=overrides or (StoredTemplates(engine) if engine is not None else None))


def intake_settings_from_config(config: Config) -> IntakeSettings:
    """How the intake files mail, from ``PQRS_MAIL_*``: the default kind and queue of new cases, the
    flood limit, and our own address (mail from it is a loop)."""
    from .intake import IntakeSettings, MailboxDefaults
    from .intake.receive import own_addresses

    defaults = MailboxDefaults(kind=config.mail.intake_kind, queue=config.mail.intake_queue)
    return IntakeSettings(defaults=defaults,
                          own_addresses=own_addresses([config.mail.mail_from]),
                          flood_limit=config.mail.intake_flood_limit, prefix=config.filing_prefix)


def mail_intake_from_config(config: Config) -> MailIntake:
    """The intake on the database and file store ``config`` names (what ``pqrs mail fetch`` and ``pqrs
    mail serve`` receive with). Close it (``intake.close()``, or use it in a ``with`` block)."""
    from ..wiring import build_pqrs, make_engine
    from .intake import MailIntake

    engine = make_engine(config)
    try:
        pqrs = build_pqrs(config, engine=engine)
    except BaseException:
        engine.dispose()
        raise
    pqrs.closers.append(engine.dispose)
    return MailIntake(pqrs, engine, settings=intake_settings_from_config(config))
