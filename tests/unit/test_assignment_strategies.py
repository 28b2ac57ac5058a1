"""The assignment strategies of a queue (``pqrs_core.domain.assignment``): pure choices."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pqrs_core.domain.assignment import (
    Absence,
    Agent,
    CaseTraits,
    Holding,
    QueuePolicy,
    Skills,
    Strategy,
    choose,
    plan,
)

MONDAY = date(2026, 3, 2)
WEEKDAYS = frozenset(range(5))
TRAITS = CaseTraits(kind="reclamo", path_codes=("facturacion", "cobro-doble"),
                    path_labels=("Facturación", "Cobro doble"), priority_rank=2)


def pick(policy: QueuePolicy, agents: list[Agent], holdings: dict[str, Holding] | None = None,
         traits: CaseTraits = TRAITS, day: date = MONDAY) -> str | None:
    choice = choose(policy, agents, holdings or {}, traits, day=day, organisation_weekdays=WEEKDAYS)
    return choice.username if choice else None


def test_manual_assigns_nobody() -> None:
    assert pick(QueuePolicy("q"), [Agent("ana")]) is None


def test_round_robin_continues_after_the_last_person_and_wraps() -> None:
    people = [Agent("carla"), Agent("ana"), Agent("beto")]
    policy = QueuePolicy("q", Strategy.ROUND_ROBIN)
    assert pick(policy, people) == "ana"
    assert pick(QueuePolicy("q", Strategy.ROUND_ROBIN, last="ana"), people) == "beto"
    assert pick(QueuePolicy("q", Strategy.ROUND_ROBIN, last="carla"), people) == "ana"
    # The person who had the last turn left the queue: the turn goes to whoever follows them by name.
    assert pick(QueuePolicy("q", Strategy.ROUND_ROBIN, last="bruno"), people) == "carla"


def test_round_robin_across_batches_does_not_restart() -> None:
    people = [Agent("ana"), Agent("beto"), Agent("carla")]
    policy = QueuePolicy("q", Strategy.ROUND_ROBIN)
    first, policies = plan([("1", "q", TRAITS), ("2", "q", TRAITS)], {"q": policy}, {"q": people}, {},
                           day=MONDAY, organisation_weekdays=WEEKDAYS)
    second, policies = plan([("3", "q", TRAITS), ("4", "q", TRAITS)], policies, {"q": people}, {},
                            day=MONDAY, organisation_weekdays=WEEKDAYS)
    assert [c.username for _n, c in first + second if c] == ["ana", "beto", "carla", "ana"]
    assert policies["q"].last == "ana"


def test_least_loaded_weighs_priority_and_overdue() -> None:
    people = [Agent("ana"), Agent("beto")]
    policy = QueuePolicy("q", Strategy.LEAST_LOADED)
    # ana holds two ordinary cases; beto one urgent (3) — ana weighs 2, so she takes it.
    held = {"ana": Holding({3: 2}), "beto": Holding({1: 1})}
    assert pick(policy, people, held) == "ana"
    # One of ana's cases overdue: 2 + 2 = 4 > 3.
    held["ana"] = Holding({3: 2}, overdue=1)
    assert pick(policy, people, held) == "beto"


def test_skills_picks_the_deepest_tag_then_the_least_loaded() -> None:
    people = [Agent("ana", Skills(typifications=frozenset({"facturacion"}))),
              Agent("beto", Skills(typifications=frozenset({"cobro-doble"}))),
              Agent("carla", Skills(typifications=frozenset({"cobro-doble"}))),
              Agent("dora")]
    policy = QueuePolicy("q", Strategy.SKILLS)
    held = {"beto": Holding({3: 4}), "carla": Holding({3: 1})}
    choice = choose(policy, people, held, TRAITS, day=MONDAY, organisation_weekdays=WEEKDAYS)
    assert choice is not None and choice.username == "carla"
    assert choice.reason == "por habilidades: tipificación Facturación › Cobro doble"


def test_skills_by_kind_and_language_and_fallback() -> None:
    people = [Agent("ana", Skills(kinds=frozenset({"queja"}))),
              Agent("beto", Skills(kinds=frozenset({"reclamo"}), languages=frozenset({"en"})))]
    policy = QueuePolicy("q", Strategy.SKILLS)
    english = CaseTraits(kind="reclamo", language="en")
    choice = choose(policy, people, {}, english, day=MONDAY, organisation_weekdays=WEEKDAYS,
                    kind_label="Reclamo")
    assert choice is not None and choice.username == "beto"
    assert choice.reason == "por habilidades: tipo Reclamo, idioma en"
    nobody = choose(policy, people, {"ana": Holding({3: 1})}, CaseTraits(kind="sugerencia"),
                    day=MONDAY, organisation_weekdays=WEEKDAYS)
    assert nobody is not None and nobody.username == "beto" and "nadie disponible" in nobody.reason


def test_the_override_strategy_wins_over_the_queues() -> None:
    people = [Agent("ana"), Agent("beto")]
    choice = choose(QueuePolicy("q"), people, {"ana": Holding({3: 5})}, TRAITS, day=MONDAY,
                    organisation_weekdays=WEEKDAYS, strategy=Strategy.LEAST_LOADED)
    assert choice is not None and choice.username == "beto" and choice.strategy is Strategy.LEAST_LOADED


def test_absent_and_off_days_and_full_people_are_skipped() -> None:
    policy = QueuePolicy("q", Strategy.ROUND_ROBIN, cap=2)
    away = Agent("ana", absences=(Absence(MONDAY, MONDAY + timedelta(days=4)),))
    part_time = Agent("beto", working_weekdays=frozenset({1, 2}))  # Tuesday, Wednesday
    full = Agent("carla")
    own_cap = Agent("dora", cap=1)
    held = {"carla": Holding({3: 2}), "dora": Holding({None: 1})}
    assert pick(policy, [away, part_time, full, own_cap], held) is None
    assert pick(policy, [away, part_time, full, own_cap], held, day=MONDAY + timedelta(days=1)) == "beto"
    assert pick(policy, [away, full], held, day=MONDAY + timedelta(days=7)) == "ana"
    # Saturday: the organisation does not work.
    assert pick(policy, [Agent("eva")], day=MONDAY + timedelta(days=5)) is None


agents_st = st.lists(
    st.builds(Agent, username=st.sampled_from(["ana", "beto", "carla", "dora", "eva"]),
              absences=st.lists(st.builds(lambda s, n: Absence(MONDAY + timedelta(days=s),
                                                              MONDAY + timedelta(days=s + n)),
                                          st.integers(-3, 10), st.integers(0, 5)), max_size=2).map(tuple),
              working_weekdays=st.none() | st.frozensets(st.integers(0, 6), min_size=1),
              cap=st.none() | st.integers(0, 4)),
    max_size=5, unique_by=lambda a: a.username)


@settings(deadline=None)  # a loaded machine must not fail a property
@given(agents=agents_st, strategy=st.sampled_from(list(Strategy)), queue_cap=st.none() | st.integers(0, 5),
       batch=st.integers(1, 12), offset=st.integers(0, 13))
def test_never_an_absent_person_nor_above_cap(agents: list[Agent], strategy: Strategy, queue_cap: int | None,
                                              batch: int, offset: int) -> None:
    day = MONDAY + timedelta(days=offset)
    policy = QueuePolicy("q", strategy, cap=queue_cap)
    result, _policies = plan([(str(i), "q", TRAITS) for i in range(batch)], {"q": policy}, {"q": agents}, {},
                             day=day, organisation_weekdays=WEEKDAYS)
    given_to: dict[str, int] = {}
    by_name = {a.username: a for a in agents}
    for _number, choice in result:
        if choice is None:
            continue
        agent = by_name[choice.username]
        assert agent.works_on(day, WEEKDAYS)
        given_to[agent.username] = given_to.get(agent.username, 0) + 1
    for name, count in given_to.items():
        caps = [c for c in (by_name[name].cap, queue_cap) if c is not None]
        assert not caps or count <= min(caps)
    if strategy is Strategy.MANUAL:
        assert not given_to


@settings(deadline=None)
@given(names=st.lists(st.sampled_from(["ana", "beto", "carla", "dora", "eva", "fer"]), min_size=1,
                      unique=True),
       batches=st.lists(st.integers(1, 7), min_size=1, max_size=5))
def test_round_robin_is_fair_across_batches(names: list[str], batches: list[int]) -> None:
    people = [Agent(n) for n in names]
    policies = {"q": QueuePolicy("q", Strategy.ROUND_ROBIN)}
    counts = dict.fromkeys(names, 0)
    for size in batches:
        result, policies = plan([(str(i), "q", TRAITS) for i in range(size)], policies, {"q": people}, {},
                                day=MONDAY, organisation_weekdays=WEEKDAYS)
        for _number, choice in result:
            assert choice is not None
            counts[choice.username] += 1
    assert max(counts.values()) - min(counts.values()) <= 1
