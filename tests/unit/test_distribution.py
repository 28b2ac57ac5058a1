"""The two ways of splitting a batch of cases among people: true turns and least loaded."""

from __future__ import annotations

from collections import Counter

from pqrs_core.domain.distribution import in_turns, least_loaded


def test_turns_deal_one_case_to_each_person_in_order_whatever_they_hold() -> None:
    cases = [f"C{i}" for i in range(13)]

    plan = in_turns(cases, ["ana", "bruno", "carla"])

    assert [person for _case, person in plan[:4]] == ["ana", "bruno", "carla", "ana"]
    assert Counter(person for _case, person in plan) == {"ana": 5, "bruno": 4, "carla": 4}


def test_least_loaded_gives_an_idle_person_the_batch_until_the_loads_meet() -> None:
    plan = least_loaded(["C1", "C2", "C3", "C4"], {"ana": 3, "bruno": 0})

    assert [person for _case, person in plan] == ["bruno", "bruno", "bruno", "ana"]  # 3-3: ties by name


def test_nobody_to_give_to_means_no_plan() -> None:
    assert in_turns(["C1"], []) == [] and least_loaded(["C1"], {}) == []
