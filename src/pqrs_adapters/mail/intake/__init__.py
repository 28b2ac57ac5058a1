"""E-mail intake: what happens to one raw message once it has arrived (parsed, classified, threaded,
filed as a case or added to one, logged). The transports (IMAP fetcher, SMTP/LMTP receiver) call
``MailIntake.receive(raw, Arrival(...))``; ``mail_intake_from_config`` builds one from a ``Config``."""

from .filing import MailboxDefaults
from .hooks import (
    ThirdPartyMessage,
    on_third_party_reply,
    register_third_party_handler,
    unregister_third_party_handler,
)
from .receive import Arrival, IntakeResult, IntakeSettings, IntakeUnavailable, MailIntake

__all__ = ["Arrival", "IntakeResult", "IntakeSettings", "IntakeUnavailable", "MailIntake", "MailboxDefaults",
           "ThirdPartyMessage", "on_third_party_reply", "register_third_party_handler",
           "unregister_third_party_handler"]
