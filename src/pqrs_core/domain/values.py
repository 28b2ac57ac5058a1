"""Value objects: immutable, validated on demand, compared by value."""

from __future__ import annotations

import enum
import re
from datetime import datetime

import attrs

from .errors import Problems, ValidationError
from .text import forbidden_characters

# Field length limits shared by every entry point.
MAX_SUBJECT = 250
MAX_DESCRIPTION = 20_000
MAX_SHORT_TEXT = 200
MAX_LONG_TEXT = 20_000
MAX_CODE = 64

_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_PHONE_RE = re.compile(r"^\+?[0-9 ()\-.]{7,20}$")
_FILING_RE = re.compile(r"^(?P<prefix>[A-Z][A-Z0-9]{0,15})-(?P<year>\d{4})-(?P<seq>\d{6,})$")

# Colombian identity documents (Registraduría / DIAN formats): CC 3–10 digits, TI 10–11, NIT 6–10
# digits with an optional check digit, CE and PA alphanumeric.
DOCUMENT_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "CC": (re.compile(r"^\d{3,10}$"), "la cédula de ciudadanía tiene entre 3 y 10 dígitos"),
    "TI": (re.compile(r"^\d{10,11}$"), "la tarjeta de identidad tiene 10 u 11 dígitos"),
    "CE": (re.compile(r"^[A-Za-z0-9]{3,15}$"), "la cédula de extranjería tiene de 3 a 15 letras o dígitos"),
    "PA": (re.compile(r"^[A-Za-z0-9]{4,20}$"), "el pasaporte tiene de 4 a 20 letras o dígitos"),
    "NIT": (re.compile(r"^\d{6,10}(-?\d)?$"),
            "el NIT tiene de 6 a 10 dígitos y dígito de verificación opcional"),
    "PEP": (re.compile(r"^[A-Za-z0-9]{6,20}$"), "el PEP tiene de 6 a 20 letras o dígitos"),
    "PPT": (re.compile(r"^[A-Za-z0-9]{6,20}$"), "el PPT tiene de 6 a 20 letras o dígitos"),
}


def is_valid_email(value: str) -> bool:
    return len(value) <= 254 and _EMAIL_RE.match(value) is not None


def check_text(problems: Problems, field: str, value: str | None, *, max_length: int,
               required: bool = False, multiline: bool | None = None) -> None:
    """Adds a problem when ``value`` is missing (and required), too long, or holds characters no text
    may hold (see ``text.forbidden_characters``). ``multiline`` defaults to whether the limit is that
    of a long text (a description, a note, a response) rather than of one line (a name, a subject)."""
    if value is not None:
        # Before the blank check: ``str.strip`` drops some control characters (U+001C–U+001F).
        check_characters(problems, field, value,
                         multiline=max_length > MAX_SUBJECT if multiline is None else multiline)
    if value is None or not value.strip():
        if required:
            problems.add(field, "es obligatorio")
        return
    if len(value) > max_length:
        problems.add(field, f"admite como máximo {max_length} caracteres (tiene {len(value)})")


def check_characters(problems: Problems, field: str, value: str | None, *, multiline: bool = False) -> None:
    """Adds a problem when ``value`` holds a character it may not (control characters; line breaks in
    a one-line field). Every entry point refuses such a text with the field named, so the person can
    correct it: a NUL cannot be stored and a line break in a name breaks the mail sent to it."""
    if value is not None and (why := forbidden_characters(value, multiline=multiline)) is not None:
        problems.add(field, why)


def require_aware(problems: Problems, field: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        problems.add(field, "debe incluir la zona horaria")


@attrs.frozen(order=True)
class FilingNumber:
    """A radicado: ``PREFIX-YYYY-NNNNNN``, sequential per prefix and year, never reused."""

    prefix: str
    year: int
    sequence: int

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year:04d}-{self.sequence:06d}"

    @classmethod
    def parse(cls, text: str) -> FilingNumber:
        match = _FILING_RE.match(text.strip().upper())
        if match is None:
            raise ValidationError({"filing_number": f"«{text}» no es un radicado válido (PQRS-2026-000123)"})
        return cls(match["prefix"], int(match["year"]), int(match["seq"]))


class RequesterKind(enum.StrEnum):
    """Who filed: a customer synchronised from the ERP, a lead, or a person not in the CRM."""

    CUSTOMER = "customer"
    LEAD = "lead"
    PERSON = "person"
    ANONYMOUS = "anonymous"


# Seed 002: the data a front-line agent needs to file a PQR for a person not in the CRM.
PERSON_REQUIRED_DATA = {
    "full_name": "nombre completo",
    "document_number": "número de documento",
    "address": "dirección de residencia",
    "email": "correo electrónico",
}


# What identifies a person among the requester's data (Ley 1581 de 2012 art. 3 c).
PERSONAL_DATA_FIELDS = ("full_name", "document_number", "email", "phone", "address")


@attrs.frozen
class Requester:
    """The peticionario. Which fields matter depends on ``kind``."""

    kind: RequesterKind = attrs.field(default=RequesterKind.PERSON, converter=RequesterKind)
    customer_id: str | None = None
    branch: str | None = None
    lead_id: str | None = None
    full_name: str | None = None
    document_type: str | None = None
    document_number: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    user: str | None = None

    def problems(self, document_types: frozenset[str] | None = None) -> dict[str, str]:
        """Format problems (never "missing data": an incomplete petition is still filed)."""
        problems = Problems()
        for name in ("customer_id", "branch", "lead_id", "full_name", "address", "user"):
            check_text(problems, name, getattr(self, name), max_length=MAX_SHORT_TEXT)
        for name in ("document_type", "document_number", "email", "phone"):
            check_characters(problems, name, getattr(self, name))
        if self.kind is RequesterKind.CUSTOMER and not self.customer_id:
            problems.add("customer_id", "es obligatorio para un cliente del ERP")
        if self.kind is RequesterKind.LEAD and not self.lead_id:
            problems.add("lead_id", "es obligatorio para un cliente potencial")
        if self.email is not None and self.email.strip() and not is_valid_email(self.email.strip()):
            problems.add("email", f"«{self.email[:80]}» no es un correo electrónico válido")
        if self.phone is not None and self.phone.strip() and not _PHONE_RE.match(self.phone.strip()):
            problems.add("phone", "no es un número de teléfono válido")
        if self.document_number:
            doc_type = (self.document_type or "").upper()
            if not doc_type:
                problems.add("document_type", "es obligatorio cuando se da un número de documento")
            elif document_types is not None and doc_type not in document_types:
                problems.add("document_type", f"«{self.document_type}» no es un tipo de documento conocido")
            else:
                rule = DOCUMENT_PATTERNS.get(doc_type)
                number = self.document_number.strip()
                if len(number) > 20:
                    problems.add("document_number", "admite como máximo 20 caracteres")
                elif rule is not None and not rule[0].match(number):
                    problems.add("document_number", f"«{number}» no es válido: {rule[1]}")
        return dict(problems._errors)

    def missing_data(self) -> list[str]:
        """The seed-002 data a person requester did not give (noted, never refused: CPACA art. 15)."""
        if self.kind is not RequesterKind.PERSON:
            return []
        return [label for name, label in PERSON_REQUIRED_DATA.items() if not getattr(self, name)]

    @property
    def gives_personal_data(self) -> bool:
        """Whether the filing carries data of an identifiable person (Ley 1581 de 2012 art. 3 c): a
        name, a document, an e-mail address, a phone or an address. Only then does the organisation
        need the person's authorisation to process it (art. 9); an anonymous filing that gives none
        needs none, and is filed without it."""
        return any(getattr(self, name) for name in PERSONAL_DATA_FIELDS)

    @property
    def display_name(self) -> str:
        return self.full_name or self.customer_id or self.lead_id or self.email or "Anónimo"


class ReferenceKind(enum.StrEnum):
    INVOICE = "invoice"
    ORDER = "order"
    PURCHASE_ORDER = "purchase_order"


@attrs.frozen
class DocumentReference:
    """An invoice, order or purchase order involved in the case (seed 000)."""

    kind: ReferenceKind
    number: str


@attrs.frozen
class AttachmentInfo:
    """Metadata of a file attached to a case; the bytes live in the file store under ``storage_key``.

    ``public``: the requester may see it (the files they send themselves, and the ones the service
    team chooses to show them); an internal one is for the people who keep the work log only."""

    id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    public: bool = False


@attrs.frozen
class ThirdPartyEscalation:
    """The case is «con tercero»: sent to an outside party (a software vendor, a supplier) whose
    answer the organisation waits for, since ``since`` (see ``third_party.py``)."""

    address: str
    name: str
    since: datetime
    escalated_by: str
    pauses_term: bool = False


@attrs.frozen
class PendingResponse:
    """A response drafted and waiting for a second person's approval before it is sent (the official
    letter's document flow, see ``response_approval.py``): its text, the solution for the record,
    whether the case closes when it is sent, who drafted it and when."""

    text: str
    solution: str
    close: bool
    drafted_by: str
    drafted_at: datetime
    access_denied: bool = False  # the response refuses the information asked for (Ley 1712 de 2014)


_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@attrs.frozen
class DataConsent:
    """The requester's authorisation to process their personal data, kept as proof.

    Ley 1581 de 2012 art. 9 and Decreto 1377 de 2013 arts. 7–8: the authorisation is prior, express
    and informed, and silence never counts as consent; art. 17 b obliges the organisation to keep a
    copy of it. ``notice_version`` and ``notice_digest`` (SHA-256 of the exact text shown) say which
    data-processing notice the person accepted (art. 12: purpose, rights, controller); ``given_at``
    when and ``channel`` through which channel (a code of the channels list).
    """

    given_at: datetime
    notice_version: str
    notice_digest: str
    channel: str

    def problems(self) -> dict[str, str]:
        problems = Problems()
        require_aware(problems, "given_at", self.given_at)
        check_text(problems, "notice_version", self.notice_version, max_length=MAX_CODE, required=True)
        if not _SHA256_RE.match(self.notice_digest or ""):
            problems.add("notice_digest", "debe ser el SHA-256 del aviso, en 64 caracteres hexadecimales")
        check_text(problems, "channel", self.channel, max_length=MAX_CODE, required=True)
        return dict(problems._errors)


# The names the application itself acts under: the system (sweeps, alarms, catalog sync) and the public
# web form (anonymous filings). They are not people: no account may take one of these names, since an
# account named like an actor would read and act on everything recorded under it.
SYSTEM_ACTOR = "system"
WEB_FORM_ACTOR = "formulario.web"
SYSTEM_ACTOR_NAMES = frozenset({SYSTEM_ACTOR, WEB_FORM_ACTOR})


def is_system_actor_name(name: str) -> bool:
    """Whether ``name`` is (or only differs in case or surrounding spaces from) a system actor's name."""
    return name.strip().casefold() in SYSTEM_ACTOR_NAMES


@attrs.frozen
class Actor:
    """Who performs a command: a user name and the roles they hold."""

    username: str
    roles: frozenset[str] = frozenset()
    # What visibility needs to know about the person: the queues they belong to and the people of
    # their network (genealogía) below them. The adapters fill these from the user directory.
    queues: frozenset[str] = frozenset()
    network: frozenset[str] = frozenset()

    @classmethod
    def system(cls) -> Actor:
        return cls(SYSTEM_ACTOR, frozenset({"system"}))

    @classmethod
    def web_form(cls) -> Actor:
        """The public web form: files cases for anonymous people, with a requester's rights."""
        return cls(WEB_FORM_ACTOR, frozenset({"requester"}))

    def has_any(self, roles: frozenset[str]) -> bool:
        return "admin" in self.roles or "system" in self.roles or bool(self.roles & roles)
