"""Schemas of the items involved in a case (invoice lines) and of the requester's invoices."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from pqrs_core.domain.items import MAX_ITEMS, QUANTITY_PLACES
from pqrs_core.domain.values import MAX_CODE
from pqrs_core.services.invoices import MAX_PAGE

from .common import ApiSchema, check_year, required_text, text, version_field

# Quantities travel as decimal strings («2», «1.5»), never as binary floating point.
QUANTITY_PATTERN = rf"^[0-9]{{1,12}}([.,][0-9]{{1,{QUANTITY_PLACES}}})?$"


def quantity_field(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Regexp(QUANTITY_PATTERN, error=(
        f"debe ser un número como «2» o «1.5», con hasta {QUANTITY_PLACES} decimales")), metadata={
        "description": f"Cantidad, un número decimal escrito como texto (hasta {QUANTITY_PLACES} decimales)",
        "example": "2"}, **kwargs)


def decimal_text(**kwargs: Any) -> fields.String:
    """A quantity in an answer: a decimal number written as text («12», «1.5»)."""
    return fields.String(metadata={"description": "Número decimal escrito como texto", "example": "2"},
                         **kwargs)


class ItemInputSchema(ApiSchema):
    """An invoice line involved in the case: the quantity affected and what the person confirmed. With an
    invoice source (ERP), the invoice must exist and the product be on it; lot, expiry, unit and shipping
    guide left out are taken from the ERP."""

    invoice = required_text(MAX_CODE, metadata={"description": "Número de la factura"})
    product = required_text(MAX_CODE, metadata={"description": "Código del producto"})
    quantity = quantity_field(required=True)
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
    quantity = decimal_text(required=True)
    unit = fields.String(required=True, allow_none=True)
    lot = fields.String(required=True, allow_none=True)
    expires_on = fields.Date(required=True, allow_none=True)
    shipping_guide = fields.String(required=True, allow_none=True)


class ItemSchema(ApiSchema):
    """An item involved in the case; ``verified`` false: no ERP confirmed it (entered by hand)."""

    id = fields.String(required=True)
    invoice = fields.String(required=True)
    product = fields.String(required=True)
    quantity = decimal_text(required=True)
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
    quantity = decimal_text(required=True)
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
