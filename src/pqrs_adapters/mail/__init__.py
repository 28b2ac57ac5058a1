"""E-mail out of the outbox: templates (``render``), recipients, SMTP (``smtp``) and the delivery worker
(``worker``) that ``pqrs worker`` runs. Nothing is done at import time."""

from .recipients import Address, Directory
from .render import MailLabels, MailRenderer, RenderedMail
from .smtp import Mailer, MailerUnavailable, SmtpMailer
from .wiring import delivery_from_config, mail_intake_from_config
from .worker import DeliveryOptions, DeliveryReport, PeriodicJob, deliver_once, run_worker

__all__ = ["Address", "DeliveryOptions", "DeliveryReport", "Directory", "MailLabels", "MailRenderer",
           "Mailer", "MailerUnavailable", "PeriodicJob", "RenderedMail", "SmtpMailer", "deliver_once",
           "delivery_from_config", "mail_intake_from_config", "run_worker"]
