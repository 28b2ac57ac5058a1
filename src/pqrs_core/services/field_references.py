"""What a custom field names elsewhere in the catalog must exist: its kinds, its typifications and the
transitions it is required before."""

from __future__ import annotations

from ..domain.catalog import Catalog
from ..domain.errors import Problems
from ..domain.fields import FieldDefinition


def check_field_references(definition: FieldDefinition, catalog: Catalog) -> None:
    """``ValidationError`` naming the first unknown kind, typification or transition of ``definition``."""
    problems = Problems()
    kinds = {e.code for e in catalog.kinds}
    unknown = [k for k in definition.kinds if k not in kinds]
    if unknown:
        problems.add("kinds", f"«{unknown[0]}» no es un tipo de caso")
    nodes = {n.code for n in catalog.typifications}
    unknown = [t for t in definition.typifications if t not in nodes]
    if unknown:
        problems.add("typifications", f"«{unknown[0]}» no es una tipificación")
    transitions = {t.name for w in catalog.workflows for t in w.transitions}
    unknown = [t for t in definition.required_for_transitions if t not in transitions]
    if unknown:
        problems.add("required_for_transitions", f"«{unknown[0]}» no es una transición de ningún flujo")
    problems.raise_if_any()
