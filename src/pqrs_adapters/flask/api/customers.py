"""``/customers/<document>``: a customer's 360° view; and the check of the ``customer_id`` a case names
against the customer directories, when any is installed.

A ``customer_id`` no directory knows is refused (422 on ``requester.customer_id``). When a directory
does not answer (down, slow, broken) the case is filed all the same, and the log says which
``customer_id`` went unverified: a CRM outage must not stop the filing of petitions with legal terms.
"""

from __future__ import annotations

import logging
from typing import Any

import attrs
from flask import Response, current_app

from pqrs_core.domain.access import is_staff
from pqrs_core.domain.values import Requester
from pqrs_core.services.customers import Verdict, customers_of

from ...customer_profile import CustomerProfile, find_profile
from .auth import current_actor
from .case_json import case_data
from .problems import ApiProblem
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.customers import CustomerProfileSchema

log = logging.getLogger(__name__)
CUSTOMER_FIELD = "requester.customer_id"


def check_customer(requester: Requester | None) -> None:
    """Refuse a ``customer_id`` the customer directories do not know (none installed: anything goes)."""
    if requester is None or not requester.customer_id:
        return
    verification = customers_of(pqrs().registrations).verify(requester.customer_id)
    if verification.rejected:
        raise ApiProblem("validation-error", "Ningún directorio de clientes conoce ese código de cliente.",
                         errors={CUSTOMER_FIELD: f"«{requester.customer_id[:80]}» no es un cliente conocido"})
    if verification.verdict is Verdict.UNVERIFIED:
        log.warning("customer_id %r accepted unverified: %s did not answer", requester.customer_id,
                    ", ".join(verification.found.unavailable))


def profile_data(profile: CustomerProfile) -> dict[str, Any]:
    app = pqrs()
    catalog = app.catalog()
    actor = current_actor()
    contact = profile.contact
    return {
        "document": profile.document,
        "customer_id": profile.customer_id,
        "directory": profile.customer.directory if profile.customer is not None else None,
        "contact": {**attrs.asdict(contact), "kind": contact.kind.value},
        "branches": list(profile.branches),
        "commercial": [{"label": label, "value": value} for label, value in profile.commercial],
        "total_cases": profile.total,
        "cases": [case_data(c, catalog, actor) for c in profile.cases],
        "invoices": [{"number": i.number, "issued_on": i.issued_on.isoformat(),
                      "order_number": i.order_number, "lines": len(i.lines)}
                     for i in profile.invoices.invoices],
        "surveys": [{"filing_number": s.filing_number, "answered_at": s.answer.answered_at.isoformat(),
                     "score": s.answer.score, "nps": s.answer.nps, "comment": s.answer.comment}
                    for s in profile.surveys],
        "consents": [{"filing_number": c.filing_number, "given_at": c.consent.given_at.isoformat(),
                      "notice_version": c.consent.notice_version, "notice_digest": c.consent.notice_digest,
                      "channel": c.consent.channel} for c in profile.consents],
        "unavailable": [*profile.unavailable, *profile.invoices.unavailable],
    }


@api_route("/customers/<document>", "GET", Operation(
    summary="Vista 360° de un cliente", tag="customers",
    description="Por número de documento (o, si no, por el código de cliente que conoce un directorio): "
                "los datos de contacto y comerciales que da el directorio de clientes (o, si ninguno lo "
                "conoce, los de su caso más reciente), sus casos que quien "
                "consulta puede ver, sus facturas (vacías para quien no puede editar casos, como en "
                "«/invoices»), sus respuestas a la encuesta de satisfacción y las "
                "autorizaciones de tratamiento de datos que dio. 404 si no se sabe nada de ese documento, o "
                "si quien consulta no es del personal y no puede ver ninguno de sus casos.",
    replies={200: Reply("El cliente", CustomerProfileSchema)}))
def get_customer(document: str) -> Response:
    actor = current_actor()
    app = pqrs()
    profile = find_profile(app, current_app.extensions["pqrs.engine"], actor, document[:100],
                           staff=is_staff(app.catalog().permissions(actor)))
    if profile is None:
        raise ApiProblem("not-found", "No hay datos de un cliente con ese documento que usted pueda ver.")
    return json_response(profile_data(profile))
