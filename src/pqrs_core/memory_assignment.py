"""The in-memory ``AssignmentStore``: queue policies, people (``put_member``, since memory has no user
accounts), profiles and absences kept in the state of ``pqrs_core.memory``'s units of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import attrs

from .domain.assignment import Absence, Agent, Holding, QueuePolicy, Strategy
from .domain.workflow import StateCategory
from .ports import StaffMember

if TYPE_CHECKING:
    from .memory import _State

OPEN = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)
RUNNING = (StateCategory.TODO, StateCategory.DOING)


@attrs.frozen
class Member:
    """A person as the in-memory store knows them: roles, queues, active."""

    roles: frozenset[str]
    queues: tuple[str, ...]
    active: bool = True


class MemoryAssignmentStore:
    def __init__(self, state: _State) -> None:
        self._state = state

    def put_member(self, username: str, roles: Sequence[str], queues: Sequence[str],
                   active: bool = True) -> None:
        """Make ``username`` a person of ``queues`` (what user accounts do in the SQL store)."""
        self._state.writes += 1
        self._state.members[username] = Member(frozenset(roles), tuple(queues), active)

    def policy(self, queue: str, *, lock: bool = False) -> QueuePolicy:
        # The memory store's units of work run one at a time (its lock): nothing more to hold.
        return self._state.queue_policies.get(queue, QueuePolicy(queue))

    def policies(self) -> dict[str, QueuePolicy]:
        return dict(self._state.queue_policies)

    def strategy(self, queue: str) -> Strategy:
        return self.policy(queue).strategy

    def put_policy(self, queue: str, strategy: Strategy, cap: int | None) -> None:
        self._state.writes += 1
        self._state.queue_policies[queue] = attrs.evolve(self.policy(queue), strategy=strategy, cap=cap)

    def advance(self, queue: str, last: str) -> None:
        self._state.writes += 1
        self._state.queue_policies[queue] = attrs.evolve(self.policy(queue), last=last)

    def staff(self, queue: str) -> list[StaffMember]:
        return [StaffMember(self.agent(name), member.roles)
                for name, member in sorted(self._state.members.items())
                if member.active and queue in member.queues]

    def agent(self, username: str) -> Agent:
        return self._state.agents.get(username, Agent(username))

    def agents(self, usernames: Sequence[str]) -> list[Agent]:
        return [self.agent(name) for name in usernames]

    def absent(self, day: date) -> list[str]:
        return sorted(name for name, agent in self._state.agents.items() if agent.absent_on(day))

    def holdings(self, usernames: Sequence[str], now: datetime) -> dict[str, Holding]:
        ranks = {code: p.rank for code, (p, _source) in self._state.priorities.items()}
        wanted = set(usernames)
        found: dict[str, Holding] = {}
        for case in self._state.cases.values():
            if case.assignee not in wanted or case.deleted_at is not None or case.state_category not in OPEN:
                continue
            held = found.get(case.assignee, Holding()).plus(ranks.get(case.priority or ""))
            due = case.resolution_due
            if case.state_category in RUNNING and due is not None and due < now:
                held = attrs.evolve(held, overdue=held.overdue + 1)
            found[case.assignee] = held
        return found

    def put_profile(self, agent: Agent) -> None:
        self._state.writes += 1
        self._state.agents[agent.username] = attrs.evolve(agent, absences=self.agent(agent.username).absences)

    def add_absence(self, username: str, absence: Absence, actor: str, at: datetime) -> None:
        self._state.writes += 1
        agent = self.agent(username)
        self._state.agents[username] = attrs.evolve(agent, absences=(*agent.absences, absence))

    def remove_absence(self, username: str, absence_id: str) -> bool:
        agent = self.agent(username)
        kept = tuple(a for a in agent.absences if a.id != absence_id)
        if len(kept) == len(agent.absences):
            return False
        self._state.writes += 1
        self._state.agents[username] = attrs.evolve(agent, absences=kept)
        return True
