"""Schemas of the items involved in a case (invoice lines) and of the requester's invoices."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from pqrs_core.domain.items import MAX_ITEMS, QUANTITY_PLACES
from pqrs_core.domain.values import MAX_CODE
from pqrs_core.services.invoices import MAX_PAGE

from .common import ApiSchema, check_year, required_text, text, version_field

QUANTITY_RANGE = validate.Range(min=0, min_inclusive=False, max=10**12, error="debe ser mayor que cero")


def quantity(**kwargs: Any) -> fields.Decimal:
    return fields.Decimal(as_string=True, validate=QUANTITY_RANGE, allow_nan=False,
                          metadata={"description": f"Cantidad (hasta {QUANTITY_PLACES} decimales)",
                                    "example": "2"}, **kwargs)


class ItemInputSchema(ApiSchema):
    """An invoice line involved in the case: the quantity affected and what the person confirmed. With an
    invoice source (ERP), the invoice must exist and the product be on it; lot, expiry, unit and shipping
    guide left out are taken from the ERP."""

    invoice = required_text(MAX_CODE, metadata={"description": "Número de la factura"})
    product = required_text(MAX_CODE, metadata={"description": "Código del producto"})
    quantity = quantity(required=True)
    description = text()
    line = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=0, max=10**6),
                          metadata={"description": "Número de la línea en la factura, si el ERP las numera"})
    unit = text(MAX_CODE)
    lot = text(MAX_CODE)
    expires_on = fields.Date(allow_none=True, load_default=None, validate=check_year,
                             metadata={"description": "Fecha de vencimiento (AAAA-MM-DD)"})
    shipping_guide = text(MAX_CODE, metadata={"description": "Guía de envío"})


def item_list(**kwargs: Any) -> fields.List[Any]:
    return fields.List(fields.Nested(ItemInputSchema), validate=validate.Length(
        max=MAX_ITEMS, error=f"admite como máximo {MAX_ITEMS} ítems"), **kwargs)


class ChangeItemsSchema(ApiSchema):
    """Items to add to the case and ids of items to remove."""

    add = item_list(load_default=list)
    remove = fields.List(fields.String(validate=validate.Length(max=MAX_CODE)), load_default=list,
                         validate=validate.Length(max=MAX_ITEMS))
    version = version_field()


class ErpLineSchema(ApiSchema):
    """What the invoice source said of the line when it was checked."""

    source = fields.String(required=True)
    checked_at = fields.DateTime(required=True)
    customer_id = fields.String(required=True, allow_none=True)
    invoice_date = fields.Date(required=True, allow_none=True)
    order_number = fields.String(required=True, allow_none=True)
    line = fields.Integer(required=True, allow_none=True)
    product = fields.String(required=True)
    description = fields.String(required=True)
    quantity = fields.Decimal(as_string=True, required=True)
    unit = fields.String(required=True, allow_none=True)
    lot = fields.String(required=True, allow_none=True)
    expires_on = fields.Date(required=True, allow_none=True)
    shipping_guide = fields.String(required=True, allow_none=True)


class ItemSchema(ApiSchema):
    """An item involved in the case; ``verified`` false: no ERP confirmed it (entered by hand)."""

    id = fields.String(required=True)
    invoice = fields.String(required=True)
    product = fields.String(required=True)
    quantity = fields.Decimal(as_string=True, required=True)
    description = fields.String(required=True)
    line = fields.Integer(required=True, allow_none=True)
    unit = fields.String(required=True, allow_none=True)
    lot = fields.String(required=True, allow_none=True)
    expires_on = fields.Date(required=True, allow_none=True)
    shipping_guide = fields.String(required=True, allow_none=True)
    verified = fields.Boolean(required=True)
    erp = fields.Nested(ErpLineSchema, required=True, allow_none=True)


class InvoiceLineSchema(ApiSchema):
    product = fields.String(required=True)
    quantity = fields.Decimal(as_string=True, required=True)
    description = fields.String(required=True)
    line = fields.Integer(required=True, allow_none=True)
    unit = fields.String(required=True, allow_none=True)
    lot = fields.String(required=True, allow_none=True)
    expires_on = fields.Date(required=True, allow_none=True)
    shipping_guide = fields.String(required=True, allow_none=True)


class InvoiceSchema(ApiSchema):
    source = fields.String(required=True, metadata={"description": "La fuente de facturas (ERP)"})
    number = fields.String(required=True)
    customer_id = fields.String(required=True)
    issued_on = fields.Date(required=True)
    order_number = fields.String(required=True, allow_none=True)
    lines = fields.List(fields.Nested(InvoiceLineSchema), required=True)


class InvoicePageSchema(ApiSchema):
    items = fields.List(fields.Nested(InvoiceSchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "Facturas que coinciden, en total"})
    offset = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    unavailable = fields.List(fields.String(), required=True, metadata={
        "description": "Fuentes que no respondieron a tiempo: sus facturas no están en la lista"})


class InvoiceQuerySchema(ApiSchema):
    customer_id = required_text(MAX_CODE, metadata={"description": "Cliente del ERP"})
    q = text(200, metadata={"description": "Número, fecha (AAAA-MM-DD o DD/MM/AAAA), producto o lote"})
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10**6,
                                                                   error="debe estar entre 0 y 1000000"))
    limit = fields.Integer(load_default=10, validate=validate.Range(
        min=1, max=MAX_PAGE, error=f"debe estar entre 1 y {MAX_PAGE}"))
