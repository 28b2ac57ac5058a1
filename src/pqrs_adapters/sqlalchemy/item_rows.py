"""A case's involved items as stored: the list with each item's ERP snapshot in ``cases.items``
(JSON), and one ``case_items`` row per item by its folded keys (what the lot and product filters read)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import cattrs

from pqrs_core.domain.case import Case
from pqrs_core.domain.items import InvolvedItem, item_key
from pqrs_core.serialization import make_converter


@cache
def _converter() -> cattrs.Converter:
    return make_converter()


def to_plain(items: Sequence[InvolvedItem]) -> list[dict[str, Any]] | None:
    if not items:
        return None
    plain: list[dict[str, Any]] = _converter().unstructure(list(items))
    return plain


def from_plain(data: Sequence[Any] | None) -> tuple[InvolvedItem, ...]:
    return tuple(_converter().structure(list(data or ()), list[InvolvedItem]))


def index_rows(case: Case) -> list[dict[str, Any]]:
    """The ``case_items`` rows of ``case``."""
    return [{"case_id": case.id, "item_id": item.id, "invoice_key": item_key(item.invoice),
             "product_key": item_key(item.product), "lot_key": item_key(item.lot) if item.lot else None}
            for item in case.items]
