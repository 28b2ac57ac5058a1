"""Finding the requester while a call is on: by document number or e-mail, in the earlier cases the agent
may see and in the customer directories plugins provide (``pqrs_customer_directories``).

Used by the new-case form, with and without JavaScript (the "Buscar" button and the JSON endpoint).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import attrs
from flask import session

from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Requester, is_valid_email
from pqrs_core.ports import CaseQuery
from pqrs_core.services.customers import Customers, clean_document, customers_of
from pqrs_core.services.customers import FoundCustomer as DirectoryCustomer

from .common import actor, pqrs

log = logging.getLogger(__name__)

EARLIER_CASES = 10  # how many earlier cases the form lists
DIRECTORY_MATCHES = 5  # how many customers of each directory it offers
REMEMBERED = "requesters"  # the session's key for the requesters the inbox filters by
REMEMBERED_LIMIT = 5

# The requester's inputs of the form, by attribute of ``Requester``.
REQUESTER_FIELDS = ("kind", "document_type", "document_number", "full_name", "email", "phone", "address",
                    "customer_id", "branch", "lead_id")


def clean_email(text: str | None) -> str | None:
    value = (text or "").strip()
    return value if value and is_valid_email(value) else None


@attrs.frozen
class FoundCustomer(DirectoryCustomer):
    """A customer a directory returned, as the new-case form offers them."""

    @property
    def choice(self) -> str:
        """The value of the button that picks this customer (``cliente:<directory>:<id>``)."""
        return f"cliente:{self.directory}:{self.customer.customer_id}"

    def values(self) -> dict[str, str]:
        """The form's requester inputs for this customer."""
        return requester_values(self.requester())


@attrs.frozen
class Lookup:
    """What a search found: the requester of the newest earlier case, the earlier cases (newest first),
    the directories' customers, and the directories that could not answer."""

    document: str | None
    email: str | None
    requester: Requester | None = None
    cases: tuple[Case, ...] = ()
    total: int = 0  # how many earlier cases there are in all (``cases`` holds the newest of them)
    customers: tuple[FoundCustomer, ...] = ()
    unavailable: tuple[str, ...] = ()

    @property
    def searched(self) -> bool:
        return bool(self.document or self.email)

    @property
    def more(self) -> bool:
        """Whether there are earlier cases beyond the ones listed."""
        return self.total > len(self.cases)

    @property
    def found(self) -> bool:
        return bool(self.requester or self.customers)

    def best(self) -> Requester | None:
        """The requester to fill the form with: the one of the earlier cases, else the only customer."""
        if self.requester is not None:
            return self.requester
        if len(self.customers) == 1:
            return self.customers[0].requester()
        return None


def directories() -> Customers:
    """The customer directories (and invoice sources) the installed plugins registered."""
    return customers_of(pqrs().registrations)


def find_requester(document: str | None, email: str | None) -> Lookup:
    """Search the earlier cases the logged-in person may see, and every customer directory."""
    doc, mail = clean_document(document), clean_email(email)
    if not (doc or mail):
        return Lookup(document=doc, email=mail)
    who = actor()
    found: dict[str, Case] = {}
    for query in (CaseQuery(requester_document=doc, limit=EARLIER_CASES) if doc else None,
                  CaseQuery(requester_email=mail, limit=EARLIER_CASES) if mail else None):
        if query is not None:
            for case in pqrs().cases(query, who).cases:
                found.setdefault(str(case.filing_number), case)
    cases = tuple(sorted(found.values(), key=lambda c: c.filing_number, reverse=True)[:EARLIER_CASES])
    total = _earlier_total(doc, mail, len(found))
    answer = directories().find(doc or mail or "", limit=DIRECTORY_MATCHES)
    customers = [FoundCustomer(f.directory, f.customer) for f in answer.customers]
    return Lookup(document=doc, email=mail, requester=cases[0].requester if cases else None, cases=cases,
                  total=total, customers=tuple(customers), unavailable=answer.unavailable)


def _earlier_total(doc: str | None, mail: str | None, listed: int) -> int:
    """How many cases the logged-in person may see have the document ``doc`` or the e-mail ``mail``
    (those with both counted once); ``listed`` when every one of them was already read."""
    if listed < EARLIER_CASES:
        return listed
    who = actor()

    def count(document: str | None, email: str | None) -> int:
        return pqrs().count(CaseQuery(requester_document=document, requester_email=email), who)

    if doc and mail:
        return count(doc, None) + count(None, mail) - count(doc, mail)
    return count(doc, mail)


def remember_requester(document: str | None, email: str | None) -> str | None:
    """Keep a requester's document and e-mail in the session under a short random key for the inbox's
    ``peticionario`` filter, so that they never travel in an address (access logs, proxies, history);
    ``None`` when there is nothing to search by. The session keeps the last few."""
    doc, mail = clean_document(document), clean_email(email)
    if not (doc or mail):
        return None
    mail = None if doc else mail  # the document names the person; the inbox matches both fields at once
    kept = {k: v for k, v in dict(session.get(REMEMBERED, {})).items() if v != [doc, mail]}
    key = secrets.token_urlsafe(6)
    session[REMEMBERED] = dict([*list(kept.items())[-(REMEMBERED_LIMIT - 1):], (key, [doc, mail])])
    return key


def remembered_requester(key: str) -> tuple[str | None, str | None] | None:
    """The document and e-mail ``remember_requester`` kept under ``key`` (``None`` when it did not)."""
    found = dict(session.get(REMEMBERED, {})).get(key) if key else None
    if not isinstance(found, list) or len(found) != 2:
        return None
    return found[0] or None, found[1] or None


def directory_customer(choice: str) -> FoundCustomer | None:
    """The customer a ``cliente:<directory>:<id>`` button names, asked again of its directory."""
    _, _, rest = choice.partition(":")
    name, _, customer_id = rest.partition(":")
    found = directories().in_directory(name, customer_id)
    return FoundCustomer(found.directory, found.customer) if found is not None else None


def requester_values(requester: Requester) -> dict[str, str]:
    """The form's requester inputs (``requester.<field>``) for ``requester``; empty ones left out."""
    values: dict[str, str] = {}
    for name in REQUESTER_FIELDS:
        value: Any = getattr(requester, name)
        if value:
            values[f"requester.{name}"] = str(value)
    return values
