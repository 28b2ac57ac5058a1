"""The items involved in a case (invoice lines) and the requester's invoices from the ERP."""

from __future__ import annotations

import attrs
from flask import Response

from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission as P
from pqrs_core.domain.errors import PermissionDenied

from .auth import current_actor
from .case_actions import _act, _operation
from .inputs import query_args
from .item_json import item_from_data
from .responses import json_response, pqrs
from .routing import Operation, Reply, api_route
from .schemas.items import ChangeItemsSchema, InvoicePageSchema, InvoiceQuerySchema

_CHANGE, _QUERY, _PAGE = ChangeItemsSchema(), InvoiceQuerySchema(), InvoicePageSchema()


@api_route("/cases/<number>/items", "POST", _operation(
    "Agregar o quitar ítems involucrados", ChangeItemsSchema,
    "Líneas de factura involucradas en el caso. Con una fuente de facturas (ERP), una factura que no existe "
    "es 422 en «add.<i>.invoice» y la cantidad no puede superar la facturada; si el ERP no responde, los "
    "ítems quedan «no verificados». «remove»: ids de ítems del caso."))
def change_items(number: str) -> Response:
    return _act(number, _CHANGE, lambda key, d, v: c.ChangeCaseItems(
        filing_number=key, add=tuple(item_from_data(i) for i in d["add"]), remove=tuple(d["remove"]),
        expected_version=v))


@api_route("/invoices", "GET", Operation(
    summary="Facturas de un cliente", tag="cases", query=InvoiceQuerySchema,
    description="Las facturas del cliente en todas las fuentes (ERP), de la más reciente a la más antigua, "
                "buscadas por número, fecha, producto o lote. Una fuente que no responde a tiempo se nombra "
                "en «unavailable». Para el personal que radica casos.",
    replies={200: Reply("Una página de facturas", InvoicePageSchema)}, problems=(403,)))
def list_invoices() -> Response:
    actor = current_actor()
    app = pqrs()
    if P.EDIT not in app.catalog().permissions(actor):
        raise PermissionDenied(P.EDIT)
    args = query_args(_QUERY)
    page = app.customer_invoices(args["customer_id"], args.get("q") or "", offset=args["offset"],
                                 limit=args["limit"])
    return json_response(_PAGE.dump({
        "items": [{"source": f.source, **attrs.asdict(f.invoice, recurse=True)} for f in page.invoices],
        "total": page.total, "offset": page.offset, "limit": page.limit,
        "unavailable": list(page.unavailable)}))
