"""Sending over SMTP with ``smtplib``: one connection per batch, opened on the first message.

``send`` raises ``MailerUnavailable`` when the server cannot be reached or the connection breaks (the
worker then stops trying the rest of the batch), and lets ``smtplib``'s message-level errors
(recipients or sender refused, data rejected) through for that message alone.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Protocol

from ..config import MailSettings


class MailerUnavailable(Exception):
    """The mail server cannot take messages now (unreachable, disconnected, refused our login)."""


class Mailer(Protocol):
    def send(self, message: EmailMessage, recipients: Sequence[str]) -> dict[str, str]:
        """Hand ``message`` over for ``recipients``; returns the recipients the server refused
        (address → reason) when it accepted the others. Raises ``MailerUnavailable`` when the server
        cannot be used, or another exception when this message alone was refused."""
        ...

    def close(self) -> None:
        """Close any open connection (the next ``send`` opens a new one)."""
        ...


def describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return f"{type(exc).__name__}: {exc.smtp_code} {detail}".strip()
    return f"{type(exc).__name__}: {exc}".strip()


class SmtpMailer:
    def __init__(self, host: str, port: int, *, user: str | None = None, password: str | None = None,
                 starttls: bool = False, use_ssl: bool = False, timeout: float = 20) -> None:
        self.host, self.port = host, port
        self.user, self.password = user, password
        self.starttls, self.use_ssl, self.timeout = starttls, use_ssl, timeout
        self._smtp: smtplib.SMTP | None = None

    @classmethod
    def from_settings(cls, settings: MailSettings) -> SmtpMailer:
        return cls(settings.smtp_host, settings.smtp_port, user=settings.smtp_user,
                   password=settings.smtp_password, starttls=settings.smtp_starttls,
                   use_ssl=settings.smtp_ssl, timeout=settings.smtp_timeout)

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.use_ssl:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.user:
                smtp.login(self.user, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> dict[str, str]:
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (OSError, smtplib.SMTPException) as exc:  # unreachable, TLS, login refused
                raise MailerUnavailable(describe(exc)) from exc
        try:
            refused = self._smtp.send_message(message, to_addrs=list(recipients))
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                smtplib.SMTPNotSupportedError):
            raise  # this message only; smtplib has reset the connection for the next one
        except (OSError, smtplib.SMTPException) as exc:  # timed out, disconnected
            self.close()
            raise MailerUnavailable(describe(exc)) from exc
        return {address: f"{code} {reason.decode('utf-8', 'replace')}"
                for address, (code, reason) in refused.items()}

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
