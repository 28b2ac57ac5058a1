"""A rule's share of the term is a finite number, whatever fires the rule."""

from __future__ import annotations

import math

import pytest

from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.rules import Action, Rule, Trigger, problems_of
from pqrs_core.testing import in_memory_pqrs


@pytest.mark.parametrize("trigger", [Trigger.FILED, Trigger.TERM_FRACTION])
@pytest.mark.parametrize("fraction", [math.nan, math.inf, -math.inf])
def test_a_fraction_that_is_not_finite_is_refused(trigger: Trigger, fraction: float) -> None:
    rule = Rule(code="R", name="Regla", trigger=trigger, actions=(Action("set_priority", "alta"),),
                fraction=fraction)
    with pytest.raises(ValidationError) as refused:
        problems_of(rule, in_memory_pqrs().catalog()).raise_if_any()
    assert "fraction" in refused.value.errors


def test_a_finite_fraction_of_a_filed_rule_is_accepted() -> None:
    rule = Rule(code="R", name="Regla", trigger=Trigger.FILED, actions=(Action("set_priority", "alta"),))
    assert not problems_of(rule, in_memory_pqrs().catalog())
