"""A customer's 360° view, by document number: who they are (the customer directory's contact and
commercial data, else the requester of their newest case), their cases (only those the viewer may
see), their invoices, their answers to the satisfaction survey and the consents they gave.

The page ``/clientes/<documento>``, the API's ``GET /customers/<document>`` and the CLI's
``pqrs customers show`` read it alike.
"""

from __future__ import annotations

import attrs
from sqlalchemy import Engine

from pqrs_core.domain.access import Permission
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor, DataConsent, Requester
from pqrs_core.ports import CaseQuery
from pqrs_core.services.customers import (
    Customers,
    FoundCustomer,
    Invoices,
    clean_document,
    customers_of,
)
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.services.quality_figures import SurveyAnswer

from .sqlalchemy.satisfaction import answers_of

PROFILE_CASES = 100  # the newest cases the view lists


@attrs.frozen
class Consent:
    filing_number: str
    consent: DataConsent


@attrs.frozen
class Survey:
    filing_number: str
    answer: SurveyAnswer


@attrs.frozen
class CustomerProfile:
    """What is known of the person with document ``document``."""

    document: str
    customer: FoundCustomer | None = None
    requester: Requester | None = None  # of their newest case the viewer may see
    cases: tuple[Case, ...] = ()
    total: int = 0  # how many of their cases the viewer may see (``cases`` holds the newest)
    invoices: Invoices = Invoices()
    shows_invoices: bool = False  # whether the viewer may read invoices (``case.edit``, as ``/invoices``)
    surveys: tuple[Survey, ...] = ()
    unavailable: tuple[str, ...] = ()  # the directories that could not answer

    @property
    def customer_id(self) -> str | None:
        if self.customer is not None:
            return self.customer.customer.customer_id
        return self.requester.customer_id if self.requester is not None else None

    @property
    def contact(self) -> Requester:
        """Name, document and contact data: the directory's, else the newest case's."""
        if self.customer is not None:
            return self.customer.requester()
        return self.requester or Requester(document_number=self.document)

    @property
    def commercial(self) -> tuple[tuple[str, str], ...]:
        return self.customer.customer.commercial if self.customer is not None else ()

    @property
    def branches(self) -> tuple[str, ...]:
        return self.customer.customer.branches if self.customer is not None else ()

    @property
    def consents(self) -> tuple[Consent, ...]:
        """The data-processing consents given when filing the listed cases, newest first."""
        return tuple(Consent(str(c.filing_number), c.consent) for c in self.cases if c.consent is not None)

    @property
    def more(self) -> bool:
        return self.total > len(self.cases)


def customer_profile(app: Pqrs, engine: Engine, actor: Actor | None, document: str, *, staff: bool,
                     limit: int = PROFILE_CASES,
                     customers: Customers | None = None) -> CustomerProfile | None:
    """The 360° view of the person with ``document`` as ``actor`` may see it; ``None`` when nothing is
    known of them, or when ``actor`` is not one of the staff (``staff``) and may see none of their cases
    (a consultant reads the customers of her network, and no one else). Without ``actor`` (the CLI),
    every case."""
    doc = clean_document(document)
    if doc is None:
        return None
    query = CaseQuery(requester_document=doc, limit=limit)
    cases = tuple(app.cases(query, actor).cases)
    if not cases and not staff:
        return None
    directories = customers if customers is not None else customers_of(app.registrations)
    found = directories.by_document(doc)
    if not cases and not found.customers:
        return None
    total = len(cases) if len(cases) < limit else app.count(CaseQuery(requester_document=doc), actor)
    profile = CustomerProfile(document=doc, customer=found.first,
                              requester=cases[0].requester if cases else None, cases=cases, total=total,
                              unavailable=found.unavailable)
    answers = answers_of(engine, [c.id for c in cases])
    surveys = tuple(Survey(str(c.filing_number), answers[c.id]) for c in cases if c.id in answers)
    customer_id = profile.customer_id
    shows_invoices = actor is None or Permission.EDIT in app.catalog().permissions(actor)
    invoices = directories.invoices(customer_id) if customer_id and shows_invoices else Invoices()
    return attrs.evolve(profile, surveys=surveys, invoices=invoices, shows_invoices=shows_invoices)


def find_profile(app: Pqrs, engine: Engine, actor: Actor | None, key: str, *, staff: bool,
                 customers: Customers | None = None) -> CustomerProfile | None:
    """``customer_profile`` for ``key``, a document number or, failing that, a customer code a directory
    knows (the view of that customer's document)."""
    directories = customers if customers is not None else customers_of(app.registrations)
    found = customer_profile(app, engine, actor, key, staff=staff, customers=directories)
    if found is not None or not directories.configured:
        return found
    known = directories.get(key.strip()).first
    number = known.customer.document_number if known is not None else None
    if not number or clean_document(number) == clean_document(key):
        return None
    return customer_profile(app, engine, actor, number, staff=staff, customers=directories)
