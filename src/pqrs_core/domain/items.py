"""Items involved in a case (seed 000's «Ítems y facturas involucradas»): the invoice lines a requester
complains about, with the quantity affected, lot, expiry date and shipping guide.

Each item keeps a snapshot of what the ERP said about its line when it was checked (``ErpLine``: the
source, when, the quantity invoiced...); an item entered by hand while no ERP answered has none and is
shown as «no verificada». Items are added and removed by ``ItemsInvolved`` events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

import attrs

from .errors import Problems
from .text import fold
from .values import MAX_CODE, MAX_SHORT_TEXT, check_text

MAX_ITEMS = 200
# Quantities are kept with at most this many decimals (units, kilograms, litres...).
QUANTITY_PLACES = 4


@attrs.frozen(kw_only=True)
class ErpLine:
    """An invoice line as an invoice source gave it when the item was checked."""

    source: str
    checked_at: datetime
    customer_id: str | None = None
    invoice_date: date | None = None
    order_number: str | None = None
    line: int | None = None
    product: str
    description: str = ""
    quantity: Decimal
    unit: str | None = None
    lot: str | None = None
    expires_on: date | None = None
    shipping_guide: str | None = None


@attrs.frozen(kw_only=True)
class InvolvedItem:
    """A line of an invoice involved in the case: ``quantity`` is the quantity affected (never more than
    the ERP invoiced); lot, expiry and shipping guide as the person filing confirmed or corrected them."""

    id: str = ""
    invoice: str
    product: str
    quantity: Decimal
    description: str = ""
    line: int | None = None  # the line of the invoice, when the ERP numbers them
    unit: str | None = None
    lot: str | None = None
    expires_on: date | None = None
    shipping_guide: str | None = None
    erp: ErpLine | None = None

    @property
    def verified(self) -> bool:
        """Whether an invoice source confirmed the invoice and its line."""
        return self.erp is not None


def item_key(value: str) -> str:
    """What two spellings of a product code or lot share (``case_items`` is searched by it)."""
    return fold(" ".join(value.split()))


def item_problems(problems: Problems, prefix: str, item: InvolvedItem, customer_id: str | None) -> None:
    """What is wrong with ``item`` (fields named ``<prefix>invoice``, ``<prefix>quantity``...): an
    invoice of another customer than the requester ``customer_id`` is one."""
    check_text(problems, f"{prefix}invoice", item.invoice, max_length=MAX_CODE, required=True)
    erp = item.erp
    if erp is not None and erp.customer_id and customer_id and erp.customer_id != customer_id:
        problems.add(f"{prefix}invoice", f"la factura {item.invoice} es de otro cliente")
    check_text(problems, f"{prefix}product", item.product, max_length=MAX_CODE, required=True)
    check_text(problems, f"{prefix}description", item.description, max_length=MAX_SHORT_TEXT)
    for name in ("unit", "lot", "shipping_guide"):
        check_text(problems, f"{prefix}{name}", getattr(item, name), max_length=MAX_CODE)
    quantity = item.quantity
    if not quantity.is_finite() or quantity <= 0:
        problems.add(f"{prefix}quantity", "debe ser mayor que cero")
    elif -quantity.as_tuple().exponent > QUANTITY_PLACES:  # type: ignore[operator]
        problems.add(f"{prefix}quantity", f"admite como máximo {QUANTITY_PLACES} decimales")
    elif item.erp is not None and quantity > item.erp.quantity:
        problems.add(f"{prefix}quantity", f"no puede superar la cantidad facturada ({item.erp.quantity})")


def plan_items(current: tuple[InvolvedItem, ...], add: Iterable[InvolvedItem], remove: Iterable[str],
               customer_id: str | None) -> tuple[tuple[InvolvedItem, ...], tuple[str, ...]]:
    """``(added, removed)``: the items of ``add`` after checking each (``ValidationError`` naming
    ``add.<i>.<field>``) and the ids of ``remove`` the case has (``remove`` names one it has not)."""
    problems = Problems()
    added = tuple(add)
    for i, item in enumerate(added):
        item_problems(problems, f"add.{i}.", item, customer_id)
        if not item.id or item.id in {other.id for other in (*current, *added[:i])}:
            problems.add(f"add.{i}", "cada ítem necesita un identificador propio")
    have = {item.id for item in current}
    removed = tuple(dict.fromkeys(remove))
    unknown = [r for r in removed if r not in have]
    if unknown:
        problems.add("remove", f"el caso no tiene el ítem {unknown[0]}")
    if len(current) - len(removed) + len(added) > MAX_ITEMS:
        problems.add("items", f"un caso admite como máximo {MAX_ITEMS} ítems")
    problems.raise_if_any()
    return added, removed


def applied(current: tuple[InvolvedItem, ...], added: tuple[InvolvedItem, ...],
            removed: tuple[str, ...]) -> tuple[InvolvedItem, ...]:
    """The items after an ``ItemsInvolved`` event."""
    gone = set(removed)
    return (*(item for item in current if item.id not in gone), *added)
