"""One raw message as the intake reads it: who sent it, to whom, its identity and thread headers, the
subject, the text (from the plain-text part, or from the HTML part once sanitised) and its files.

Parsing uses the standard library's ``email`` package with ``policy.default`` (RFC 2047 encoded-word
headers, RFC 2231 file names, every charset Python knows). What it adds:

- HTML-only mail becomes text through ``html_text`` (nh3 sanitises, inscriptis lays out the text);
- ``winmail.dat`` (``application/ms-tnef``, Outlook's rich text) gives its files and body (tnefparse);
- a forwarded message (a ``message/rfc822`` part) is kept whole as a ``.eml`` file, and its sender,
  subject and text are added to the description;
- parts in a charset Python does not know are read as Latin-1 rather than refused.

Nothing here raises for a malformed message: the intake must file whatever arrives.
"""

from __future__ import annotations

import email
import hashlib
import mimetypes
import re
from datetime import datetime
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import attrs

from pqrs_core.domain.text import without_forbidden

from .html_text import html_to_text

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_GENERIC_TYPES = frozenset({"application/octet-stream", "application/x-download", "binary/octet-stream"})
TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})


class _HeaderClasses(HeaderRegistry):
    """The standard registry, with each header's class built once: the standard one builds a new class
    every time a header is read, which was most of the time spent reading a message."""

    def __init__(self) -> None:
        super().__init__()
        self._built: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = super().__getitem__(name)
        return built


POLICY = policy.default.clone(header_factory=_HeaderClasses())


@attrs.frozen
class MailFile:
    """A file the message carries (an attachment, an inline image, a forwarded message)."""

    filename: str
    content_type: str
    content: bytes
    inline: bool = False


@attrs.frozen
class ParsedMail:
    message: EmailMessage
    raw_sha256: str
    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_name: str | None
    from_address: str | None
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To: lower case
    subject: str
    date: datetime | None
    text: str
    from_html: bool
    files: tuple[MailFile, ...]

    @property
    def key(self) -> str:
        """What identifies the message for idempotency: its Message-ID, or a hash of its bytes."""
        return self.message_id or f"sha256:{self.raw_sha256}"

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The Message-IDs this message answers, the nearest first (In-Reply-To, then References from
        the last)."""
        seen: dict[str, None] = {}
        for mid in (*self.in_reply_to, *reversed(self.references)):
            seen.setdefault(mid, None)
        return tuple(seen)

    def header(self, name: str) -> str:
        """The header's value as text (empty when absent or unreadable)."""
        return header_text(self.message, name)

    def headers(self, name: str) -> list[str]:
        return [_safe_str(v) for v in (self.message.get_all(name) or [])]


def parse(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=POLICY)
    assert isinstance(message, EmailMessage)
    from_name, from_address = _from(message)
    text, from_html = body_text(message)
    files: list[MailFile] = []
    forwarded: list[str] = []
    body = _body_part(message)
    _collect(message, body, files, forwarded)
    if forwarded:
        text = "\n\n".join(part for part in (text.strip(), *forwarded) if part)
    extra_text = [f.content.decode("utf-8", "replace") for f in files if f.filename == _TNEF_BODY]
    files = [f for f in files if f.filename != _TNEF_BODY]
    if not text.strip() and extra_text:
        text = extra_text[0]
    return ParsedMail(
        message=message, raw_sha256=hashlib.sha256(raw).hexdigest(),
        message_id=_first_id(header_text(message, "Message-ID")),
        in_reply_to=tuple(_MESSAGE_ID.findall(header_text(message, "In-Reply-To"))),
        references=tuple(_MESSAGE_ID.findall(header_text(message, "References"))),
        from_name=from_name, from_address=from_address, recipients=_recipients(message),
        subject=one_line(header_text(message, "Subject")), date=_date(message),
        text=clean_text(text), from_html=from_html, files=tuple(files))


def header_text(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a header the parser cannot even represent
        return ""
    return _safe_str(value) if value is not None else ""


def _safe_str(value: object) -> str:
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - undecodable header
        return ""


def one_line(text: str) -> str:
    """Header text (a subject, a name, a file name) on one line: runs of white space and line breaks
    become one space, control characters (which no stored one-line text may hold) are dropped."""
    return " ".join(without_forbidden(text, multiline=True).split())


def clean_text(text: str) -> str:
    """Line breaks normalised, control characters (which no stored text may hold) and byte order marks
    dropped, runs of blank lines shortened."""
    text = without_forbidden(text.replace("\r\n", "\n").replace("\r", "\n"), multiline=True)
    text = text.replace("\ufeff", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _first_id(value: str) -> str | None:
    found = _MESSAGE_ID.findall(value)
    return found[0] if found else None


def _from(message: Message) -> tuple[str | None, str | None]:
    name, found = parseaddr(header_text(message, "From"))
    address = found.strip().lower()
    return (one_line(name) or None), (address if "@" in address else None)


def _recipients(message: Message) -> tuple[str, ...]:
    values: list[str] = []
    for name in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"):
        values.extend(_safe_str(v) for v in (message.get_all(name) or []))
    found = dict.fromkeys(addr.strip().lower() for _name, addr in getaddresses(values) if "@" in addr)
    return tuple(found)


def _date(message: Message) -> datetime | None:
    try:
        value = parsedate_to_datetime(header_text(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo is not None else None


def part_text(part: Message) -> str:
    """A text part's content as ``str``; an unknown or wrong charset is read as Latin-1 or with
    replacement characters rather than refused."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, KeyError, AssertionError):
        pass
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeError):
        try:
            return payload.decode("utf-8")
        except UnicodeError:
            return payload.decode("latin-1")


def _body_part(message: EmailMessage) -> Message | None:
    try:
        return message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - a broken structure: no body
        return None


def body_text(message: EmailMessage) -> tuple[str, bool]:
    """The text of the message's body and whether it came from HTML."""
    body = _body_part(message)
    if body is None:
        return "", False
    if body.get_content_type() == "text/html":
        return html_to_text(part_text(body)), True
    return part_text(body), False


_TNEF_BODY = "\x00tnef-body"


def _collect(part: Message, body: Message | None, files: list[MailFile], forwarded: list[str]) -> None:
    """The files under ``part`` (depth first), and the text of forwarded messages."""
    ctype = part.get_content_type()
    if part is body:
        return
    if ctype == "message/rfc822":
        _forwarded(part, files, forwarded)
        return
    if part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                _collect(sub, body, files, forwarded)
        return
    filename = _filename(part)
    disposition = part.get_content_disposition()
    if ctype in ("text/plain", "text/html") and filename is None and disposition != "attachment":
        return  # an alternative of the body (or a second text part shown inline)
    if ctype in ("message/delivery-status", "text/rfc822-headers", "message/disposition-notification"):
        return
    content = part.get_payload(decode=True)
    if not isinstance(content, bytes):
        content = b""
    if ctype in TNEF_TYPES or (filename or "").lower() == "winmail.dat":
        files.extend(tnef_files(content))
        return
    files.append(MailFile(filename=filename or default_name(len(files) + 1, ctype),
                          content_type=guess_type(ctype, filename), content=content,
                          inline=disposition == "inline" or part.get("Content-ID") is not None))


def _forwarded(part: Message, files: list[MailFile], forwarded: list[str]) -> None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, Message):
        return
    raw = inner.as_bytes(policy=POLICY.clone(linesep="\r\n")) if isinstance(inner, EmailMessage) \
        else inner.as_bytes()
    name = _filename(part) or "mensaje-reenviado.eml"
    files.append(MailFile(filename=name, content_type="message/rfc822", content=raw))
    text, _html = body_text(inner) if isinstance(inner, EmailMessage) else ("", False)
    forwarded.append("\n".join([
        "---------- Mensaje reenviado ----------",
        f"De: {one_line(header_text(inner, 'From'))}",
        f"Fecha: {one_line(header_text(inner, 'Date'))}",
        f"Asunto: {one_line(header_text(inner, 'Subject'))}",
        "",
        text.strip(),
    ]))
    if isinstance(inner, EmailMessage):
        _collect(inner, _body_part(inner), files, [])


def tnef_files(content: bytes) -> list[MailFile]:
    """The files inside a ``winmail.dat``, and its body (as a pseudo-file the parser takes out); the
    ``winmail.dat`` itself when it cannot be read."""
    from tnefparse.tnef import TNEF  # type: ignore[import-untyped]

    try:
        tnef = TNEF(content)
    except Exception:  # noqa: BLE001 - not readable: keep it as it came
        return [MailFile("winmail.dat", "application/ms-tnef", content)]
    found: list[MailFile] = []
    for n, attachment in enumerate(tnef.attachments, start=1):
        try:
            name = attachment.long_filename() or attachment.name
        except Exception:  # noqa: BLE001
            name = None
        name = name.decode("latin-1") if isinstance(name, bytes) else name
        name = one_line(name or "") or default_name(n, "application/octet-stream")
        found.append(MailFile(name, guess_type("application/octet-stream", name), bytes(attachment.data)))
    body = tnef.body or (html_to_text(_as_text(tnef.htmlbody)) if tnef.htmlbody else None)
    if body:
        found.append(MailFile(_TNEF_BODY, "text/plain", _as_text(body).encode()))
    return found


def _as_text(value: object) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeError:
            return value.decode("cp1252", "replace")
    return str(value)


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - a malformed parameter
        return None
    if not name:
        return None
    name = one_line(name).replace("/", "_").replace("\\", "_").strip(". ")
    return name[:200] or None


def default_name(n: int, content_type: str) -> str:
    extension = mimetypes.guess_extension(content_type) or ".bin"
    return f"adjunto-{n}{extension}"


def guess_type(declared: str, filename: str | None) -> str:
    """The declared type, or the one the file name's extension says when the declared one is generic
    (many clients send every file as ``application/octet-stream``)."""
    if declared in _GENERIC_TYPES and filename:
        guessed, _encoding = mimetypes.guess_type(filename)
        if guessed:
            return guessed
    return declared
