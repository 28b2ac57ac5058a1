"""Who a supervisor distributes to, and how loaded each of them is.

The agents of a set of queues are the active users who work in one of them and may work cases
(``case.work``), except the people who distribute themselves (``case.assign``: supervisors, admins).
An agent's load is what the supervisor may see of the open cases assigned to them: by state category,
and how many are overdue (a running term whose deadline has passed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from pqrs_core.domain.access import Permission
from pqrs_core.domain.values import Actor
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import CaseQuery

from ...accounts import User, list_users
from .common import catalog, engine, now, pqrs

OPEN = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)
RUNNING = (StateCategory.TODO, StateCategory.DOING)  # waiting cases have their term paused


@attrs.frozen
class AgentLoad:
    username: str
    name: str
    queues: tuple[str, ...]
    by_category: Mapping[str, int]
    overdue: int

    @property
    def open(self) -> int:
        return sum(self.by_category.get(c.value, 0) for c in OPEN)


def agents_of(queues: Iterable[str]) -> list[User]:
    """The people a supervisor hands the cases of ``queues`` to, by name."""
    wanted = set(queues)
    cat = catalog()
    found = []
    for user in list_users(engine()):
        if not user.active or not wanted & set(user.queues):
            continue
        granted = cat.permissions(Actor(user.username, frozenset(user.roles)))
        if Permission.WORK in granted and Permission.ASSIGN not in granted:
            found.append(user)
    return sorted(found, key=lambda u: (u.display_name.casefold(), u.username))


def loads(agents: Sequence[User], who: Actor) -> list[AgentLoad]:
    """Each agent's open cases as ``who`` may see them."""
    at = now()
    result = []
    for user in agents:
        assigned = CaseQuery(assignee=user.username, state_categories=OPEN)
        summary = pqrs().summary(assigned, who)
        overdue = pqrs().summary(attrs.evolve(assigned, state_categories=RUNNING, due_to=at), who)
        result.append(AgentLoad(user.username, user.display_name, user.queues,
                                dict(summary.by_state_category), overdue.total))
    return result
