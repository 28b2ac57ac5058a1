"""The customer directories and invoice sources plugins provide (``pqrs_customer_directories``,
``pqrs_invoice_sources``), asked the same way by the web pages, the API, the CLI and mail intake.

A directory is someone else's system (a CRM, an ERP): it may be slow, down or broken. Every question is
asked with a time limit and a failure never escapes: the answer names the directories (or sources) that
could not answer, and the caller decides what that means (the API accepts a ``customer_id`` it could not
verify and says so in the log; a page says which directory is unavailable).
"""

from __future__ import annotations

import enum
import logging
import re
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

import attrs

from ..domain.values import Requester, RequesterKind
from ..ports_integration import Customer, CustomerDirectory, Invoice, InvoiceSource

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 5.0  # seconds a directory or an invoice source has to answer one question
DEFAULT_LIMIT = 20
_SEPARATORS = re.compile(r"[\s.\-]")
_SPACES_DOTS = re.compile(r"[\s.]")
T = TypeVar("T")


class Unavailable(Exception):
    """A directory or a source failed or did not answer in time."""


def source_name(source: object) -> str:
    """The name a directory or an invoice source goes by (its class name when it has none)."""
    return str(getattr(source, "name", "") or type(source).__name__)


def clean_document(text: str | None) -> str | None:
    """A document number as cases store it: without the spaces or dots people write (43.123.456);
    ``None`` when nothing (or more than 20 characters) remains."""
    value = _SPACES_DOTS.sub("", text or "")
    return value if 0 < len(value) <= 20 else None


def same_document(a: str | None, b: str | None) -> bool:
    """Whether two document numbers are the same one, written with or without dots, spaces or dashes
    (``43.123.456`` and ``43123456``; ``900123456-7`` and ``9001234567``)."""
    left, right = _SEPARATORS.sub("", a or "").upper(), _SEPARATORS.sub("", b or "").upper()
    return bool(left) and left == right


def ask(source: object, question: Callable[[], T], timeout: float) -> T:
    """``question()``'s answer, or ``Unavailable`` when it raises or takes longer than ``timeout``
    seconds. It runs on a daemon thread: a late answer is dropped, and a call that never returns keeps
    neither the request nor the process's exit waiting."""
    answers: list[T] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            answers.append(question())
        except BaseException as exc:  # noqa: BLE001 - reported on the caller's thread below
            errors.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name=f"pqrs-{source_name(source)}", daemon=True).start()
    if not done.wait(timeout):
        log.warning("%s did not answer within %s s", source_name(source), timeout)
        raise Unavailable(source_name(source))
    if errors:
        log.error("%s failed", source_name(source), exc_info=errors[0])
        raise Unavailable(source_name(source)) from errors[0]
    return answers[0]


@attrs.frozen
class FoundCustomer:
    """A customer a directory returned, and the directory that knows them."""

    directory: str
    customer: Customer

    def requester(self) -> Requester:
        """The requester of a case this customer files."""
        c = self.customer
        return Requester(kind=RequesterKind.CUSTOMER, customer_id=c.customer_id, full_name=c.name,
                         document_type=c.document_type, document_number=c.document_number, email=c.email,
                         phone=c.phone, address=c.address,
                         branch=c.branches[0] if len(c.branches) == 1 else None)


@attrs.frozen
class Found:
    """The customers the directories returned, and the directories that could not answer."""

    customers: tuple[FoundCustomer, ...] = ()
    unavailable: tuple[str, ...] = ()

    @property
    def first(self) -> FoundCustomer | None:
        return self.customers[0] if self.customers else None


class Verdict(enum.Enum):
    """What the directories say of a ``customer_id``."""

    KNOWN = "known"  # a directory knows it
    UNKNOWN = "unknown"  # every directory answered and none knows it
    UNVERIFIED = "unverified"  # none knows it, and some could not answer
    UNCHECKED = "unchecked"  # no directory is configured: any customer_id goes


@attrs.frozen
class Verification:
    verdict: Verdict
    found: Found = Found()

    @property
    def rejected(self) -> bool:
        return self.verdict is Verdict.UNKNOWN


@attrs.frozen
class Invoices:
    """A customer's invoices from every source, newest first, and the sources that could not answer."""

    invoices: tuple[Invoice, ...] = ()
    unavailable: tuple[str, ...] = ()


@attrs.frozen
class Customers:
    """The customer directories and invoice sources, asked with a time limit each."""

    directories: Sequence[CustomerDirectory] = ()
    invoice_sources: Sequence[InvoiceSource] = ()
    timeout: float = DEFAULT_TIMEOUT

    @property
    def configured(self) -> bool:
        """Whether any customer directory is installed."""
        return bool(self.directories)

    def _each(self, question: Callable[[CustomerDirectory], Sequence[Customer] | Customer | None]) -> Found:
        found: list[FoundCustomer] = []
        unavailable: list[str] = []
        for directory in self.directories:
            try:
                answer = ask(directory, lambda d=directory: question(d), self.timeout)  # type: ignore[misc]
            except Unavailable:
                unavailable.append(source_name(directory))
                continue
            customers = [answer] if isinstance(answer, Customer) else list(answer or ())
            found.extend(FoundCustomer(source_name(directory), c)
                         for c in customers if isinstance(c, Customer))
        return Found(tuple(found), tuple(unavailable))

    def find(self, text: str, limit: int = DEFAULT_LIMIT) -> Found:
        """Customers whose name, document number or e-mail matches ``text``, up to ``limit`` of each
        directory."""
        text = text.strip()
        if not text:
            return Found()
        return self._each(lambda d: list(d.find(text, limit=limit))[:limit])

    def get(self, customer_id: str) -> Found:
        """The customer with ``customer_id`` in each directory that knows them."""
        customer_id = customer_id.strip()
        if not customer_id:
            return Found()
        found = self._each(lambda d: d.get(customer_id))
        return attrs.evolve(found, customers=tuple(
            f for f in found.customers if f.customer.customer_id == customer_id))

    def in_directory(self, directory: str, customer_id: str) -> FoundCustomer | None:
        """The customer ``customer_id`` of the directory named ``directory`` (``None`` when it does not
        know them or could not answer)."""
        only = [d for d in self.directories if source_name(d) == directory]
        return attrs.evolve(self, directories=only).get(customer_id).first

    def by_document(self, document_number: str | None) -> Found:
        """The customers whose document number is ``document_number`` (however it is written)."""
        if not _SEPARATORS.sub("", document_number or ""):
            return Found()
        found = self.find(document_number or "")
        return attrs.evolve(found, customers=tuple(
            f for f in found.customers if same_document(f.customer.document_number, document_number)))

    def verify(self, customer_id: str) -> Verification:
        """Whether a directory knows ``customer_id``."""
        if not self.configured:
            return Verification(Verdict.UNCHECKED)
        found = self.get(customer_id)
        if found.customers:
            return Verification(Verdict.KNOWN, found)
        return Verification(Verdict.UNVERIFIED if found.unavailable else Verdict.UNKNOWN, found)

    def link(self, requester: Requester) -> Requester:
        """``requester`` linked to the customer a directory knows by their document number (the kind
        becomes customer, the ``customer_id`` the directory's; what the person wrote is kept). Unchanged
        when they are not a plain person (already a customer, a lead, anonymous), give no document, or no
        single customer has it (of the same document type when both say one)."""
        if (requester.kind is not RequesterKind.PERSON or requester.customer_id
                or not requester.document_number or not self.configured):
            return requester
        wanted_type = (requester.document_type or "").upper()
        ids = {f.customer.customer_id for f in self.by_document(requester.document_number).customers
               if not (wanted_type and f.customer.document_type)
               or f.customer.document_type.upper() == wanted_type}
        if len(ids) != 1:
            return requester
        return attrs.evolve(requester, kind=RequesterKind.CUSTOMER, customer_id=ids.pop())

    def invoices(self, customer_id: str) -> Invoices:
        """The customer's invoices from every invoice source, newest first."""
        found: list[Invoice] = []
        unavailable: list[str] = []
        for source in self.invoice_sources:
            try:
                answer = ask(source, lambda s=source: list(s.invoices_for(customer_id)),  # type: ignore[misc]
                             self.timeout)
            except Unavailable:
                unavailable.append(source_name(source))
                continue
            found.extend(i for i in answer if isinstance(i, Invoice))
        found.sort(key=lambda i: (i.issued_on, i.number), reverse=True)
        return Invoices(tuple(found), tuple(unavailable))


def customers_of(registrations: object | None, timeout: float = DEFAULT_TIMEOUT) -> Customers:
    """The ``Customers`` of an application's plugin registrations (``Pqrs.registrations``; none
    without them)."""
    return Customers(directories=tuple(getattr(registrations, "customer_directories", ())),
                     invoice_sources=tuple(getattr(registrations, "invoice_sources", ())), timeout=timeout)
