"""Custom field values as listings filter them (``CaseQuery.custom_fields``, ``?cf.<code>=value``).

Each value of a case's ``custom_fields`` becomes one or more ``IndexedValue`` (one per option of a
multiple choice): its text, folded (lower case, no accents, cut to ``MAX_INDEXED_TEXT``) or, for a
number, in its canonical form (``10.50`` as ``10.5``), and its number and date when it reads as one. A
filter matches a case holding a value whose text is the one asked for, read the same way (so ``10``
finds ``10.0``): one equality, along one index. The SQL stores keep these rows in
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
# Numbers written in their canonical form (``10.50`` and ``10.5`` alike): up to this many digits.
MAX_NUMBER_DIGITS = 30
# What a yes / no value is indexed as, and the words a filter may use for each.
_YES, _NO = "si", "no"
_BOOLEAN_WORDS = {"si": _YES, "true": _YES, "no": _NO, "false": _NO}


@attrs.frozen
class IndexedValue:
    field: str
    text: str
    number: float | None = None
    day: date | None = None


def _decimal(text: str) -> Decimal | None:
    """``text`` as a finite number of reasonable size, if it is one."""
    if len(text) > MAX_NUMBER_DIGITS + 10:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number.adjusted()) > MAX_NUMBER_DIGITS:
        return None
    return number


def _canonical(number: Decimal) -> str:
    """``10.50`` -> ``10.5``, ``1E+1`` -> ``10``, ``-0`` -> ``0``."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _day(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _text(text: str) -> IndexedValue:
    """A value or a filter as text: a number in its canonical form, anything else folded."""
    number = _decimal(text)
    if number is not None:
        return IndexedValue("", _canonical(number), float(number))
    return IndexedValue("", fold(text)[:MAX_INDEXED_TEXT], None, _day(text))


def _one(field: str, value: Any) -> IndexedValue:
    if isinstance(value, bool):
        return IndexedValue(field, _YES if value else _NO)
    return attrs.evolve(_text(str(value).strip()), field=field)


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
    value = _text(_storable(wanted))
    return attrs.evolve(value, text=_BOOLEAN_WORDS.get(value.text, value.text))


def searched(text: str) -> tuple[str, ...]:
    """The indexed texts a free-text search finds cases by: the whole query folded, and as a number
    when it is one (a search for «123456789» finds the case whose contract number is that; one for
    «00123», the case holding «123» or «00123»)."""
    query = _storable(text)
    found = {fold(query)[:MAX_INDEXED_TEXT], _text(query).text} if query else set()
    return tuple(sorted(found))


def found(row: IndexedValue, wanted: IndexedValue) -> bool:
    return row.text == wanted.text


def matches(custom_fields: Mapping[str, Any], field: str, wanted: str) -> bool:
    """Whether a case with ``custom_fields`` passes the filter ``cf.<field>=<wanted>``."""
    target = probe(wanted)
    return any(row.field == field and found(row, target) for row in indexed_values(custom_fields))
