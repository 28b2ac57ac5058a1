"""``/cases``: file a case, read one, list and search them, edit their fields."""

from __future__ import annotations

from typing import Any

import attrs
from flask import Response, current_app, request

from pqrs_core.domain.access import Permission
from pqrs_core.domain.characterisation import Characterisation, characterise
from pqrs_core.domain.commands import ChangeFields, FileCase
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.values import DataConsent, DocumentReference, ReferenceKind, Requester

from ...sqlalchemy import characterisation as characterisation_store
from ..field_filters import field_filters, is_field_filter
from . import idempotency
from .auth import current_actor
from .case_json import case_data
from .customers import check_customer
from .filters import case_query, query_problem
from .inputs import expected_version, filing_number, json_body, query_args, raw_json
from .item_json import item_from_data
from .problems import ApiProblem
from .responses import case_response, handled_case_response, json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.cases import CasePageSchema, CaseSchema, ChangeFieldsSchema, FileCaseSchema
from .schemas.queries import CaseListQuerySchema

API_CHANNEL = "api"  # the channel of a case filed here by anyone but staff registering a received one
_FILE = FileCaseSchema()
_CHANGE = ChangeFieldsSchema()
_LIST = CaseListQuerySchema()


def _file_command(data: dict[str, Any]) -> FileCase:
    requester = data.pop("requester", None) or {}
    references = data.pop("references", [])
    consent = data.pop("consent", None)
    if consent is not None:
        given = {name: value for name, value in consent.items() if value is not None}
        consent = DataConsent(**{"channel": data.get("channel") or API_CHANNEL, **given})
    items = tuple(item_from_data(i) for i in data.pop("items", []))
    return FileCase(
        consent=consent,
        items=items,
        requester=Requester(**requester),
        references=tuple(DocumentReference(ReferenceKind(r["kind"]), r["number"]) for r in references),
        missing_information=tuple(data.pop("missing_information", [])),
        entry_channel=API_CHANNEL,
        **data,
    )


@api_route("/cases", "POST", Operation(
    summary="Radicar un caso", tag="cases", body=FileCaseSchema,
    description="Radica un caso por cualquier canal. Con «Idempotency-Key», repetir la misma solicitud "
                "devuelve la misma respuesta sin crear otro caso; la misma clave con otro cuerpo es 422.",
    request_headers=("Idempotency-Key",),
    replies={201: Reply("Caso radicado", CaseSchema, headers=("Location", "ETag"))},
    problems=(403, 409)))
def file_case() -> Response:
    actor = current_actor()
    key = idempotency.key_from_request()
    raw = raw_json()
    digest = idempotency.request_hash(raw) if key else ""
    data = json_body(_FILE, raw)
    characterisation = _characterisation(data.pop("characterisation", None), data.get("channel"))
    command = _file_command(data)
    check_customer(command.requester)
    if not key:
        return _filed(command, actor, characterisation)
    answered = idempotency.claim(key, actor, digest)
    if answered is not None:
        return answered
    try:
        response = _filed(command, actor, characterisation)
    except BaseException:
        idempotency.release(key, actor)
        raise
    return idempotency.settle(key, actor, response)


def _characterisation(data: dict[str, Any] | None, channel: str | None) -> Characterisation | None:
    """What is kept of the filing's ``characterisation`` object (the schema refused answers without
    consent)."""
    if not data or data.get("consent") is None:
        return None
    answers = {name: value for name, value in data.items() if name != "consent" and value}
    return characterise(answers, consent=True, at=data["consent"]["given_at"],
                        channel=channel or API_CHANNEL)


def _filed(command: FileCase, actor: Any, characterisation: Characterisation | None) -> Response:
    """File the case, keep its characterisation apart, and answer the case."""
    case, catalog = pqrs().handle_with_catalog(command, actor)
    if characterisation is not None:
        characterisation_store.record_after_filing(current_app.extensions["pqrs.engine"], case.id,
                                                   characterisation)
    return case_response(case, actor, 201, location=True, catalog=catalog)


@api_route("/cases/<number>", "GET", Operation(
    summary="Consultar un caso", tag="cases",
    description="El caso, si quien consulta puede verlo (si no, 404). La versión va en ETag.",
    replies={200: Reply("El caso", CaseSchema, headers=("ETag",))}))
def get_case(number: str) -> Response:
    actor = current_actor()
    case = pqrs().case(filing_number(number), actor=actor)
    return case_response(case, actor)


@api_route("/cases", "GET", Operation(
    summary="Listar y buscar casos", tag="cases", query=CaseListQuerySchema,
    description="Los casos visibles para quien consulta, filtrados y ordenados, por páginas (cursor). "
                "``cf.<código>=valor`` filtra por un campo adicional (sin distinguir mayúsculas ni tildes; "
                "los números se comparan como números; una selección múltiple, si incluye la opción).",
    replies={200: Reply("Una página de casos", CasePageSchema)}))
def list_cases() -> Response:
    actor = current_actor()
    args = query_args(_LIST, extra=is_field_filter)
    app = pqrs()
    catalog = app.catalog()
    pairs, errors = field_filters(request.args, catalog)
    if errors:
        raise ApiProblem("invalid-query", f"Parámetros de consulta inválidos: {', '.join(sorted(errors))}.",
                         errors=errors)
    try:
        query = attrs.evolve(case_query(args, app.deps.settings.timezone), custom_fields=pairs)
        if args.get("include_voided"):
            if Permission.AUDIT not in catalog.permissions(actor):
                raise ApiProblem("forbidden", "Solo quien audita ve los casos anulados.",
                                 errors={"include_voided": "requiere el permiso case.audit"})
            query = attrs.evolve(query, include_voided=True)
        page = app.cases(query, actor=actor)
    except ValidationError as exc:
        raise query_problem(exc) from None
    return json_response({"items": [case_data(c, catalog, actor) for c in page.cases],
                          "next_cursor": page.next_cursor})


@api_route("/cases/<number>", "PATCH", Operation(
    summary="Editar campos de un caso", tag="cases", body=ChangeFieldsSchema,
    description="Cambia los campos editables enviados (el peticionario y las referencias se reemplazan "
                "completos; un campo que no se envía no cambia). La versión esperada va en If-Match o en "
                "«version».",
    request_headers=("If-Match",),
    replies={200: Reply("El caso editado", CaseSchema, headers=("ETag",))},
    problems=(403, 409)))
def change_case(number: str) -> Response:
    actor = current_actor()
    key = filing_number(number)
    data = json_body(_CHANGE)
    version = expected_version(data.pop("version", None))
    if data.get("requester"):
        check_customer(Requester(**data["requester"]))
    return handled_case_response(ChangeFields(filing_number=key, changes=data, expected_version=version),
                                 actor)
