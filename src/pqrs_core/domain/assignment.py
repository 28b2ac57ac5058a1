"""Who takes a case nobody holds: the assignment strategies of a queue (seed 004: «asignar responsables
según diferentes criterios»).

Everything here is pure: it receives the people of the queue (their skills, absences, working days and
cap), what each already holds, the queue's policy and the case's traits, and answers with a ``Choice``
(who, by which strategy, and why in words a person reads in the history) or ``None`` (the case stays in
the queue without a person: the strategy is manual, nobody is available, or everybody is full).

Strategies:

- ``manual``: no automatic assignment; a supervisor distributes.
- ``round_robin``: true turns. The queue remembers who received its last case (``QueuePolicy.last``);
  the next case goes to the first available person after them in user-name order, starting again after
  the last. The pointer survives batches and processes because the store keeps it with the policy.
- ``least_loaded``: the person whose open cases weigh least: each open case weighs by its priority
  (``PRIORITY_WEIGHTS`` by rank, rank 1 the most urgent) plus ``OVERDUE_WEIGHT`` when its term has run
  out; ties go to whoever holds fewer cases, then by user name.
- ``skills``: the people tagged with the case's typification (a tag on a node covers its whole
  subtree; the deepest tag wins), its kind or its language; the best match first, then the least loaded.
  When nobody has a matching skill, the least loaded person of the queue takes it, and the history
  says so.

Availability and caps apply to every strategy: nobody is chosen on a day they are absent or do not work,
nor when they hold as many open cases as their cap (their own, or the queue's per-person cap: the
lower of the two).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import attrs

# The weight of one open case in the least-loaded count, by priority rank (1 the most urgent); an
# unranked case or a rank beyond the table weighs 1.
PRIORITY_WEIGHTS: Mapping[int, int] = {1: 3, 2: 2}
OVERDUE_WEIGHT = 2  # added for each open case whose term has run out


class Strategy(enum.StrEnum):
    MANUAL = "manual"
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    SKILLS = "skills"


STRATEGY_LABELS: Mapping[Strategy, str] = {
    Strategy.MANUAL: "manual",
    Strategy.ROUND_ROBIN: "por turnos",
    Strategy.LEAST_LOADED: "a quien tiene menos carga",
    Strategy.SKILLS: "por habilidades",
}


@attrs.frozen
class Absence:
    """A person away from ``starts`` to ``ends``, both days included (organisation's dates)."""

    starts: date
    ends: date
    note: str = ""
    id: str = ""

    def covers(self, day: date) -> bool:
        return self.starts <= day <= self.ends


@attrs.frozen
class Skills:
    """What a person is good at: typification nodes (each covers its subtree), kinds, languages."""

    typifications: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.typifications or self.kinds or self.languages)


@attrs.frozen
class Agent:
    """A person a queue may hand cases to. ``working_weekdays`` (0 Monday … 6 Sunday) ``None``: the
    organisation's; ``cap`` ``None``: no cap of their own."""

    username: str
    skills: Skills = Skills()
    absences: tuple[Absence, ...] = ()
    working_weekdays: frozenset[int] | None = None
    cap: int | None = None

    def absent_on(self, day: date) -> bool:
        return any(a.covers(day) for a in self.absences)

    def works_on(self, day: date, organisation_weekdays: frozenset[int]) -> bool:
        weekdays = organisation_weekdays if self.working_weekdays is None else self.working_weekdays
        return day.weekday() in weekdays and not self.absent_on(day)


@attrs.frozen
class Holding:
    """What a person holds now: their open cases by priority rank (``None``: unranked) and how many
    of them are overdue."""

    by_rank: Mapping[int | None, int] = attrs.field(factory=dict)
    overdue: int = 0

    @property
    def open(self) -> int:
        return sum(self.by_rank.values())

    @property
    def weight(self) -> int:
        return (sum(PRIORITY_WEIGHTS.get(rank, 1) * n for rank, n in self.by_rank.items() if rank is not None)
                + self.by_rank.get(None, 0) + OVERDUE_WEIGHT * self.overdue)

    def plus(self, rank: int | None) -> Holding:
        """This holding with one more open case of ``rank`` (a case just given)."""
        return attrs.evolve(self, by_rank={**self.by_rank, rank: self.by_rank.get(rank, 0) + 1})


@attrs.frozen
class QueuePolicy:
    """How a queue hands out its cases: strategy, per-person cap (``None``: none), and who received
    its last case by turns (the round-robin pointer)."""

    queue: str
    strategy: Strategy = Strategy.MANUAL
    cap: int | None = None
    last: str | None = None


@attrs.frozen
class CaseTraits:
    """What the strategies look at in a case: its kind, the codes of its typification path (root
    first) with their labels, its language, and its priority rank."""

    kind: str
    path_codes: tuple[str, ...] = ()
    path_labels: tuple[str, ...] = ()
    language: str | None = None
    priority_rank: int | None = None


@attrs.frozen
class Choice:
    username: str
    strategy: Strategy
    reason: str  # why, as the history reads it: «por habilidades: tipificación Facturación › Cobro doble»


def cap_of(agent: Agent, policy: QueuePolicy) -> int | None:
    """The lower of the person's cap and the queue's per-person cap (``None``: no cap)."""
    caps = [c for c in (agent.cap, policy.cap) if c is not None]
    return min(caps) if caps else None


def has_room(agent: Agent, policy: QueuePolicy, holding: Holding) -> bool:
    cap = cap_of(agent, policy)
    return cap is None or holding.open < cap


def eligible(agents: Iterable[Agent], policy: QueuePolicy, holdings: Mapping[str, Holding], day: date,
             organisation_weekdays: frozenset[int]) -> list[Agent]:
    """The people who may receive a case of the queue on ``day``, by user name: working that day, not
    absent, below their cap."""
    return sorted((a for a in agents if a.works_on(day, organisation_weekdays)
                   and has_room(a, policy, holdings.get(a.username, Holding()))),
                  key=lambda a: a.username)


def _least_loaded(candidates: Sequence[Agent], holdings: Mapping[str, Holding]) -> Agent:
    def key(agent: Agent) -> tuple[int, int, str]:
        held = holdings.get(agent.username, Holding())
        return held.weight, held.open, agent.username
    return min(candidates, key=key)


def skill_match(skills: Skills, traits: CaseTraits) -> tuple[int, int, int]:
    """How well ``skills`` fit the case: (depth of the deepest tagged typification node on the case's
    path, 1-based, 0 when none; kind tagged; language tagged). Compared as a tuple: higher is better."""
    depth = max((i + 1 for i, code in enumerate(traits.path_codes) if code in skills.typifications),
                default=0)
    return (depth, int(traits.kind in skills.kinds),
            int(traits.language is not None and traits.language in skills.languages))


def _skills_reason(match: tuple[int, int, int], traits: CaseTraits, kind_label: str) -> str:
    parts = []
    if match[0]:
        labels = traits.path_labels[:match[0]] or traits.path_codes[:match[0]]
        parts.append("tipificación " + " › ".join(labels))
    if match[1]:
        parts.append(f"tipo {kind_label}")
    if match[2]:
        parts.append(f"idioma {traits.language}")
    return "por habilidades: " + ", ".join(parts)


def choose(policy: QueuePolicy, agents: Iterable[Agent], holdings: Mapping[str, Holding], traits: CaseTraits,
           *, day: date, organisation_weekdays: frozenset[int], strategy: Strategy | None = None,
           kind_label: str | None = None) -> Choice | None:
    """Who takes a case of the queue of ``policy`` on ``day``, by ``strategy`` (default: the queue's);
    ``None`` when the strategy is manual or nobody may take it (absent, not working, or full)."""
    how = strategy or policy.strategy
    if how is Strategy.MANUAL:
        return None
    candidates = eligible(agents, policy, holdings, day, organisation_weekdays)
    if not candidates:
        return None
    if how is Strategy.ROUND_ROBIN:
        after = [a for a in candidates if policy.last is None or a.username > policy.last]
        chosen = (after or candidates)[0]
        return Choice(chosen.username, how, "por turnos: le seguía en la cola")
    if how is Strategy.SKILLS:
        scored = [(skill_match(a.skills, traits), a) for a in candidates]
        best = max(score for score, _agent in scored)
        if any(best):
            matching = [a for score, a in scored if score == best]
            chosen = _least_loaded(matching, holdings)
            return Choice(chosen.username, how, _skills_reason(best, traits, kind_label or traits.kind))
        chosen = _least_loaded(candidates, holdings)
        return Choice(chosen.username, how,
                      "por habilidades: nadie disponible tiene la habilidad; a quien tiene menos carga")
    chosen = _least_loaded(candidates, holdings)
    held = holdings.get(chosen.username, Holding())
    return Choice(chosen.username, how, f"a quien tiene menos carga: {held.open} casos abiertos")


def plan(items: Sequence[tuple[str, str, CaseTraits]], policies: Mapping[str, QueuePolicy],
         agents: Mapping[str, Sequence[Agent]], holdings: Mapping[str, Holding], *, day: date,
         organisation_weekdays: frozenset[int], strategy: Strategy | None = None,
         kind_labels: Mapping[str, str] | None = None,
         ) -> tuple[list[tuple[str, Choice | None]], dict[str, QueuePolicy]]:
    """A batch of cases — (case, its queue, its traits) — handed out one after the other by ``choose``
    with the policy and people of each one's queue, each counting what the ones before it gave (load,
    caps, turns): the plan, and the policies with their round-robin pointers where the batch leaves them."""
    held = dict(holdings)
    moved = dict(policies)
    result: list[tuple[str, Choice | None]] = []
    for number, queue, traits in items:
        policy = moved.get(queue, QueuePolicy(queue))
        choice = choose(policy, agents.get(queue, ()), held, traits, day=day,
                        organisation_weekdays=organisation_weekdays, strategy=strategy,
                        kind_label=(kind_labels or {}).get(traits.kind))
        result.append((number, choice))
        if choice is not None:
            held[choice.username] = held.get(choice.username, Holding()).plus(traits.priority_rank)
            if choice.strategy is Strategy.ROUND_ROBIN:
                moved[queue] = attrs.evolve(policy, last=choice.username)
    return result, moved
