"""Custom field values as listings filter them (``CaseQuery.custom_fields``, ``?cf.<code>=value``).

Each value of a case's ``custom_fields`` becomes one or more ``IndexedValue`` (one per option of a
multiple choice): its folded text (lower case, no accents, cut to ``MAX_INDEXED_TEXT``), and its
number and date when it reads as one. A filter matches a case holding a value whose folded text is
the one asked for, or whose number equals it (``10`` finds ``10.0``). The SQL stores keep these rows in
``case_field_values`` (written with the case, indexed by value and field); ``matches`` is the same
test on a case in memory. A free-text search also finds a case holding the whole query as one of its
values (``searched``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from .domain.text import fold

MAX_INDEXED_TEXT = 200
# What a yes / no value is indexed as, and the words a filter may use for each.
_YES, _NO = "si", "no"
_BOOLEAN_WORDS = {"si": _YES, "true": _YES, "1": _YES, "no": _NO, "false": _NO, "0": _NO}


@attrs.frozen
class IndexedValue:
    field: str
    text: str
    number: float | None = None
    day: date | None = None


def _number(text: str) -> float | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() else None


def _day(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _one(field: str, value: Any) -> IndexedValue:
    if isinstance(value, bool):
        return IndexedValue(field, _YES if value else _NO)
    text = str(value)
    number = float(value) if isinstance(value, int) else _number(text.strip())
    return IndexedValue(field, fold(text.strip())[:MAX_INDEXED_TEXT], number, _day(text.strip()))


def indexed_values(custom_fields: Mapping[str, Any]) -> list[IndexedValue]:
    """The rows ``case_field_values`` holds for a case's ``custom_fields`` (empty values have none)."""
    rows: list[IndexedValue] = []
    for field, value in custom_fields.items():
        values: Iterable[Any] = value if isinstance(value, list | tuple) else (value,)
        rows.extend(_one(field, v) for v in values if v is not None and v != "")
    return list({(r.field, r.text): r for r in rows}.values())


def _storable(text: str) -> str:
    """``text`` without NUL characters, which no stored value holds (and PostgreSQL refuses)."""
    return text.replace("\x00", "").strip()


def probe(wanted: str) -> IndexedValue:
    """What a filter value is compared as (its ``field`` left empty)."""
    text = fold(_storable(wanted))[:MAX_INDEXED_TEXT]
    return IndexedValue("", _BOOLEAN_WORDS.get(text, text), _number(_storable(wanted)))


def searched(text: str) -> str:
    """What a free-text search compares custom field values with: the whole query, folded (a search
    for «123456789» finds the case whose contract number is that)."""
    return fold(_storable(text))[:MAX_INDEXED_TEXT]


def found(row: IndexedValue, wanted: IndexedValue) -> bool:
    return row.text == wanted.text or (wanted.number is not None and row.number == wanted.number)


def matches(custom_fields: Mapping[str, Any], field: str, wanted: str) -> bool:
    """Whether a case with ``custom_fields`` passes the filter ``cf.<field>=<wanted>``."""
    target = probe(wanted)
    return any(row.field == field and found(row, target) for row in indexed_values(custom_fields))
