"""``cf.<code>=value`` query parameters: filtering case listings (API and inbox) by custom fields."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from pqrs_core.domain.catalog import Catalog
from pqrs_core.field_search import MAX_INDEXED_TEXT

PREFIX = "cf."


def is_field_filter(name: str) -> bool:
    return name.startswith(PREFIX)


def field_filters(args: MultiDict[str, str], catalog: Catalog) -> tuple[tuple[tuple[str, str], ...],
                                                                         dict[str, str]]:
    """The ``(field code, value)`` pairs the parameters ask for (blank ones left out), and the problems
    by parameter name (an unknown field, a value too long)."""
    known = {f.code for f in catalog.fields}
    pairs: list[tuple[str, str]] = []
    errors: dict[str, str] = {}
    for name in args:
        if not is_field_filter(name):
            continue
        code = name[len(PREFIX):]
        if code not in known:
            errors[name] = "no es un campo adicional del catálogo"
            continue
        for value in args.getlist(name):
            if len(value) > MAX_INDEXED_TEXT:
                errors[name] = f"admite como máximo {MAX_INDEXED_TEXT} caracteres"
            elif value.strip():
                pairs.append((code, value.strip()))
    return tuple(dict.fromkeys(pairs)), errors
