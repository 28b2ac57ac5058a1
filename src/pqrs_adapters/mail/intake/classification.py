"""What kind of message arrived, from its headers and structure alone (no database):

- ``automatic``: an RFC 3834 automatic message (``Auto-Submitted`` other than ``no``), a vacation
  responder's (``X-Autoreply``, ``X-Autorespond``), or bulk and list mail (``Precedence: bulk``, ``junk``
  or ``list``, a ``List-Id``). Recorded, never acknowledged, never a new case on its own;
- ``bounce``: an RFC 3464 delivery status notification (``multipart/report;
  report-type=delivery-status``): the recipients that failed and the Message-ID of the message that
  could not be delivered;
- the sender's authentication results (RFC 8601 ``Authentication-Results``): SPF, DKIM or DMARC that
  failed.
"""

from __future__ import annotations

import re
from email.message import EmailMessage, Message

import attrs

from .parsing import ParsedMail, header_text, one_line, part_text

_AUTH_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)
_FAILED_AUTH = frozenset({"fail", "softfail", "permerror"})
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# What vacation responders that set no header put in front of the subject (Exchange, Gmail, others).
_AUTOMATIC_SUBJECT = re.compile(r"^\s*(respuesta automática|automatic reply|auto[- ]?reply|autoreply|"
                                r"out of (the )?office|fuera de (la )?oficina|ausencia)\s*:", re.IGNORECASE)


def automatic_reason(mail: ParsedMail) -> str | None:
    """Why ``mail`` is an automatic message (Spanish), or ``None`` when a person sent it."""
    auto = mail.header("Auto-Submitted").strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"mensaje automático (Auto-Submitted: {one_line(auto)[:60]})"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Autoreply-From", "X-Mail-Autoreply"):
        if mail.header(name).strip():
            return f"respuesta automática ({name})"
    precedence = mail.header("Precedence").strip().lower()
    if precedence == "auto_reply":
        return "respuesta automática (Precedence: auto_reply)"
    if precedence in ("bulk", "junk", "list"):
        return f"correo masivo (Precedence: {precedence})"
    if mail.header("List-Id").strip():
        return "mensaje de una lista de correo (List-Id)"
    if _AUTOMATIC_SUBJECT.match(mail.subject):
        return f"respuesta automática (asunto «{mail.subject[:60]}»)"
    return None


def ours(mail: ParsedMail) -> bool:
    """Whether ``mail`` is one of our own messages come back (it carries the header we put on them)."""
    return bool(mail.header("X-PQRS-Filing-Number").strip())


@attrs.frozen
class Bounce:
    """A delivery status notification: who could not be reached and why."""

    failed: tuple[str, ...]  # the final recipients whose action is "failed"
    original_message_id: str | None
    diagnostic: str
    delayed_only: bool = False


def bounce(mail: ParsedMail) -> Bounce | None:
    """The DSN ``mail`` is, or ``None`` when it is not one (RFC 3464)."""
    message = mail.message
    if message.get_content_type() != "multipart/report":
        return None
    if (message.get_param("report-type") or "").lower() != "delivery-status":  # type: ignore[union-attr]
        return None
    failed: list[str] = []
    delayed: list[str] = []
    diagnostics: list[str] = []
    original: str | None = None
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in _status_blocks(part):
                recipient = _address(header_text(block, "Final-Recipient")
                                     or header_text(block, "Original-Recipient"))
                action = header_text(block, "Action").strip().lower()
                if not recipient:
                    continue
                if action == "failed":
                    failed.append(recipient)
                    diagnostic = one_line(header_text(block, "Diagnostic-Code")
                                          or header_text(block, "Status"))
                    if diagnostic:
                        diagnostics.append(diagnostic)
                elif action == "delayed":
                    delayed.append(recipient)
        elif ctype in ("message/rfc822", "text/rfc822-headers") and original is None:
            original = _original_message_id(part)
    return Bounce(failed=tuple(dict.fromkeys(failed)), original_message_id=original,
                  diagnostic="; ".join(dict.fromkeys(diagnostics))[:500],
                  delayed_only=not failed and bool(delayed))


def _status_blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    return []


def _address(field: str) -> str | None:
    """``rfc822; ana@example.co`` → ``ana@example.co``."""
    value = field.split(";", 1)[-1].strip().strip("<>").lower()
    return value if "@" in value else None


def _original_message_id(part: Message) -> str | None:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, Message):
            found = _MESSAGE_ID.findall(header_text(inner, "Message-ID"))
            return found[0] if found else None
        return None
    # text/rfc822-headers: the headers as text
    text = part_text(part) if isinstance(part, EmailMessage) else str(part.get_payload())
    match = re.search(r"^Message-ID:\s*(<[^<>\s]+>)", text, re.IGNORECASE | re.MULTILINE)
    return match.group(1) if match else None


def authentication_failures(mail: ParsedMail) -> tuple[str, ...]:
    """The methods (``spf``, ``dkim``, ``dmarc``) whose result in ``Authentication-Results`` is a
    failure, as «SPF=fail»."""
    failures: dict[str, None] = {}
    for value in mail.headers("Authentication-Results"):
        for method, result in _AUTH_RESULT.findall(value):
            if result.lower() in _FAILED_AUTH:
                failures.setdefault(f"{method.upper()}={result.lower()}", None)
    return tuple(failures)
