"""The proof of notification of a case's communications (``pqrs_core.domain.delivery``): the staff
record a courier delivery and a personal one, and publish the aviso of an answer that could not be
notified (CPACA art. 69). The e-mail's result and the portal read are recorded by the application.
The case's ``notification`` (staff only) says when the answer was notified and whether within the
term."""

from __future__ import annotations

from flask import Response

from pqrs_core.domain import commands as c

from .case_actions import _act, _operation
from .routing import api_route
from .schemas.delivery import CourierDeliverySchema, InPersonDeliverySchema
from .schemas.terms import VersionOnlySchema

_COURIER, _IN_PERSON, _VERSION = CourierDeliverySchema(), InPersonDeliverySchema(), VersionOnlySchema()


@api_route("/cases/<number>/notification/courier", "POST", _operation(
    "Registrar un envío por correo certificado", CourierDeliverySchema,
    "Despachado, entregado (la entrega notifica la comunicación) o devuelto con su motivo; con la "
    "empresa, la guía y, si se tiene, el soporte (un adjunto del caso)."))
def record_courier(number: str) -> Response:
    return _act(number, _COURIER, lambda key, d, v: c.RecordCourierDelivery(
        filing_number=key, company=d["company"], guide=d["guide"], status=d["status"], reason=d["reason"],
        proof=d["proof"], communication=d["communication"], expected_version=v))


@api_route("/cases/<number>/notification/in-person", "POST", _operation(
    "Registrar una notificación personal", InPersonDeliverySchema,
    "Quién la recibió y el recibido firmado (un adjunto del caso), CPACA art. 67."))
def record_in_person(number: str) -> Response:
    return _act(number, _IN_PERSON, lambda key, d, v: c.RecordInPersonDelivery(
        filing_number=key, received_by=d["received_by"], receipt=d["receipt"],
        communication=d["communication"], expected_version=v))


@api_route("/cases/<number>/notification/aviso", "POST", _operation(
    "Publicar el aviso de la respuesta", VersionOnlySchema,
    "Solo cuando la respuesta no pudo notificarse: se publica en /avisos por cinco días hábiles y la "
    "notificación queda surtida al finalizar el día hábil siguiente al retiro (CPACA art. 69); si no, 409."))
def publish_notice(number: str) -> Response:
    return _act(number, _VERSION, lambda key, d, v: c.PublishNotice(filing_number=key, expected_version=v))
