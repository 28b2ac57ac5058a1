"""The API blueprint and the description of each operation, from which ``openapi.py`` writes the
OpenAPI document. Every view is registered with ``api_route``, so none can be left undocumented."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from flask import Blueprint
from marshmallow import Schema

API_PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=API_PREFIX)

F = TypeVar("F", bound=Callable[..., Any])


@attrs.frozen
class Reply:
    """One documented response."""

    description: str
    schema: type[Schema] | None = None
    headers: tuple[str, ...] = ()  # names of RESPONSE_HEADERS (openapi.py)
    media_type: str = "application/json"


@attrs.frozen
class Tag:
    """A group of operations in the OpenAPI document. Client generators turn the name into module and
    function names (``api.catalog``), so it is an ASCII identifier; people read the Spanish label (Redoc's
    ``x-displayName``) and description."""

    name: str
    label: str
    description: str


TAGS: dict[str, Tag] = {tag.name: tag for tag in (
    Tag("cases", "Casos", "Radicar, consultar, listar, buscar y editar casos, y leer su historia."),
    Tag("actions", "Acciones", "Lo que se hace con un caso: transiciones, asignación, notas, respuestas, "
                               "tipificación, solicitudes de información, prórrogas, traslados, "
                               "desistimientos, devoluciones y reaperturas."),
    Tag("terms", "Términos", "Cómo se calculó el vencimiento de un caso: la política, la fuente legal, las "
                             "pausas y la prórroga."),
    Tag("attachments", "Adjuntos", "Adjuntar archivos a un caso y descargarlos."),
    Tag("catalog", "Catálogo", "Las listas del catálogo (tipos, motivos, canales, prioridades, colas, roles, "
                               "tipificaciones) y su administración."),
    Tag("reports", "Reportes", "Cifras de los casos."),
    Tag("rules", "Reglas", "Reglas de enrutamiento en lenguaje natural (cuándo, si, entonces): su orden, sus "
                           "versiones y la prueba con los casos recientes."),
    Tag("mailboxes", "Buzones", "Las direcciones de correo que reciben PQRS (lectura IMAP, valores por "
                                "defecto de los casos) y su prueba de conexión."),
    Tag("answers", "Respuestas tipo", "Respuestas tipo y macros: buscarlas, llenarlas con los datos de un "
                                      "caso y administrarlas."),
    Tag("customers", "Clientes", "La vista 360° de un cliente: datos del directorio de clientes, casos, "
                                 "facturas, encuestas y autorizaciones."),
    Tag("webhooks", "Webhooks", "Suscripciones a los eventos de los casos, firmadas (Standard Webhooks), y "
                                "el registro de sus entregas."),
    Tag("voidings", "Anulaciones", "Anular casos en lugar de borrarlos: la solicitud, la aprobación por "
                                   "otra persona con otro rol y el registro numerado."),
    Tag("documentation", "Documentación", "Este documento OpenAPI."),
)}


@attrs.frozen
class Operation:
    summary: str
    tag: str = attrs.field(validator=attrs.validators.in_(TAGS))  # a name of TAGS
    replies: dict[int, Reply]
    description: str = ""
    body: type[Schema] | None = None
    body_media_type: str = "application/json"
    query: type[Schema] | None = None
    request_headers: tuple[str, ...] = ()  # names of REQUEST_HEADERS (openapi.py)
    problems: tuple[int, ...] = ()  # besides those every operation of its shape can answer
    auth: bool = True
    body_required: bool = True


# endpoint name -> operation
OPERATIONS: dict[str, Operation] = {}


def api_route(rule: str, method: str, operation: Operation) -> Callable[[F], F]:
    """Register the view under ``rule`` for ``method`` and remember how it is documented."""

    def decorate(view: F) -> F:
        endpoint = view.__name__
        if endpoint in OPERATIONS:
            raise RuntimeError(f"duplicate API endpoint name {endpoint}")
        OPERATIONS[endpoint] = operation
        bp.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=[method])
        return view

    return decorate
