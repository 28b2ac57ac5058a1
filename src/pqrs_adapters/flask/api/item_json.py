"""Items involved in a case to and from API data (``schemas.items``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from pqrs_core.domain.items import InvolvedItem


def item_from_data(data: dict[str, Any]) -> InvolvedItem:
    """An item as the API sends it (validated by ``ItemInputSchema``)."""
    return InvolvedItem(invoice=data["invoice"], product=data["product"],
                        quantity=Decimal(data["quantity"].replace(",", ".")),
                        description=data.get("description") or "", line=data.get("line"),
                        unit=data.get("unit") or None, lot=data.get("lot") or None,
                        expires_on=data.get("expires_on"), shipping_guide=data.get("shipping_guide") or None)


def item_data(item: InvolvedItem) -> dict[str, Any]:
    return {**attrs.asdict(item, recurse=True), "verified": item.verified}
