"""The scope of a term policy (the kinds, typifications, priorities and channels of the cases it
covers) as the administration sets it: every code known, and no two active policies for one scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .catalog import Catalog
from .errors import Problems
from .sla import TermPolicy
from .terms import Extension, Term, TermRule

SCOPE_PARTS = ("kinds", "typifications", "priorities", "channels")


def scoped_policy(code: str, label: str, term: Term, scope: Mapping[str, Iterable[str]], *,
                  extension_allowed: bool = True, source: str = "", active: bool = True) -> TermPolicy:
    """A policy an administrator defines: one term, in force for every reception date, for the cases of
    ``scope`` (its parts by ``SCOPE_PARTS``; a missing or empty part covers everything)."""
    rule = TermRule(term, source=source, extension=Extension(allowed=extension_allowed))
    def part(name: str) -> tuple[str, ...]:
        return tuple(scope.get(name, ()))

    return TermPolicy(code, label, (rule,), source=source, active=active, kinds=part("kinds"),
                      typifications=part("typifications"), priorities=part("priorities"),
                      channels=part("channels"))


def scope_of(policy: TermPolicy) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(getattr(policy, part)) for part in SCOPE_PARTS)


def scope_data(policy: TermPolicy) -> dict[str, Any]:
    """The scope as the catalog change log records it."""
    return {part: sorted(getattr(policy, part)) for part in SCOPE_PARTS}


def scope_problems(policy: TermPolicy, catalog: Catalog) -> Problems:
    """Unknown codes in the scope of ``policy``, and another active policy with the very same scope
    (which of the two applied would depend on dates and codes, not on the administrator's intent).
    A switched-off policy may share its scope."""
    problems = Problems()
    known = {"kinds": {e.code for e in catalog.kinds}, "channels": {e.code for e in catalog.channels},
             "priorities": {p.code for p in catalog.priorities},
             "typifications": {code for code in policy.typifications if code in catalog.typifications}}
    for part in SCOPE_PARTS:
        unknown = sorted(set(getattr(policy, part)) - known[part])
        if unknown:
            problems.add(part, f"códigos desconocidos: {', '.join(unknown)}")
    if policy.active and not policy.fallback:
        same = next((p for p in catalog.term_policies
                     if p.code != policy.code and p.active and not p.fallback
                     and scope_of(p) == scope_of(policy)), None)
        if same is not None:
            problems.add("scope", f"la política «{same.label}» ya cubre exactamente esos casos: "
                                  "edítela o cambie el alcance")
    return problems
