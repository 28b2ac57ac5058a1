"""How a supervisor hands out a batch of cases among the people they chose (seed 002: «el supervisor
distribuye los casos radicados»). Two ways, each named for what it does:

- ``in_turns``: true turns (round-robin): the first case to the first person, the second to the second,
  and so on, starting again after the last; everyone gets the same number of cases (±1) whatever they
  already hold.
- ``least_loaded``: each case to whoever holds the fewest open cases at that moment, counting the ones
  this batch already gave them; it evens out the load, so one idle person may take the whole batch.

Both return the plan (case → person) without assigning anything: the page shows it as a preview and the
supervisor confirms it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def in_turns(cases: Sequence[str], people: Sequence[str]) -> list[tuple[str, str]]:
    """``cases`` dealt to ``people`` in turns, in the order given."""
    if not people:
        return []
    return [(case, people[i % len(people)]) for i, case in enumerate(cases)]


def least_loaded(cases: Sequence[str], load: Mapping[str, int]) -> list[tuple[str, str]]:
    """Each of ``cases`` to the person of ``load`` (open cases held) with the fewest at that moment,
    counting the cases given before it (ties: the first by user name)."""
    current = dict(load)
    plan: list[tuple[str, str]] = []
    if not current:
        return plan
    for case in cases:
        person = min(sorted(current), key=lambda name: current[name])
        plan.append((case, person))
        current[person] += 1
    return plan
