"""The custom fields on the case page: each value as people read it (option labels, «Sí»/«No»), and
the fields the workflow's next actions need that the case does not have yet (``required before a
transition``), so that the person sees what to fill in before pressing the button."""

from __future__ import annotations

from typing import Any

from pqrs_core.domain.case import Case
from pqrs_core.domain.catalog import Catalog


def shown_values(case: Case, catalog: Catalog) -> list[tuple[str, str]]:
    """``(label, value)`` of each custom field the case holds, in the catalog's order, then unknown ones."""
    definitions = {d.code: d for d in catalog.fields}
    ordered = [d.code for d in catalog.fields if d.code in case.custom_fields]
    ordered += [code for code in case.custom_fields if code not in definitions]
    rows = []
    for code in ordered:
        definition = definitions.get(code)
        value = case.custom_fields[code]
        rows.append((definition.label, definition.shown(value)) if definition is not None
                    else (code, str(value)))
    return rows


def missing_before_actions(case: Case, catalog: Catalog) -> list[tuple[str, list[str]]]:
    """``(action label, [field labels])`` for each action the case's state offers that a required
    custom field still blocks."""
    workflow = case.known_workflow(catalog)
    if workflow is None:
        return []
    found = []
    for transition in workflow.transitions:
        if case.state not in transition.sources:
            continue
        missing = catalog.missing_before(transition, case.kind, case.custom_fields)
        if missing:
            found.append((transition.label, [d.label for d in missing]))
    return found


def case_custom_fields(case: Case, catalog: Catalog) -> dict[str, Any]:
    """What the case page's templates read of the custom fields."""
    return {"custom_values": shown_values(case, catalog),
            "fields_missing": missing_before_actions(case, catalog)}
