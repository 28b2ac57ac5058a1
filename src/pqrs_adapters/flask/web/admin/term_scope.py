"""The scope of a term policy on its forms (new and edit): the kinds, typifications, priorities and
channels it covers, and whether its term may be extended."""

from __future__ import annotations

from typing import Any

from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.term_scopes import SCOPE_PARTS

from .support import checked, chosen
from .typifications import parent_choices

# Sent by the forms that show the scope: a form without it leaves the scope as it was.
SCOPE_SHOWN = "con_alcance"


def scope_values() -> dict[str, Any]:
    """The scope and the extension choice as the form sent them."""
    return {**{part: chosen(part) for part in SCOPE_PARTS}, "extension": checked("extension")}


def policy_scope(policy: TermPolicy) -> dict[str, Any]:
    """The form's scope values of ``policy``."""
    return {part: list(getattr(policy, part)) for part in SCOPE_PARTS}


def scope_options(cat: Catalog) -> dict[str, Any]:
    """The choices of each part of the scope."""
    return {"kinds": [(e.code, e.label) for e in cat.kinds if e.active],
            "channels": [(e.code, e.label) for e in cat.channels if e.active],
            "priorities": [(p.code, p.label) for p in cat.priorities if p.active],
            "typifications": parent_choices(cat.typifications)}
