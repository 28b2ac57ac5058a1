"""``SqlAssignmentStore``: queue policies (``queue_assignment``), people's profiles and absences
(``agent_profiles``, ``agent_absences``) and what people hold, read from ``cases`` in one grouped query.

``policy(lock=True)`` makes sure the queue's row exists and locks it (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's write transactions already run one at a time) until the unit of work ends: two
filings into one queue then assign one after the other, each seeing the other's case and turn.

``strategy(queue)``, which every filing asks, is served from the strategies a process read at the
catalog's revision token (``RevisionCache``): setting a policy sets a new token in its transaction, so
every process reads them again after a change. The round-robin pointer, which moves with every case
given by turns, is not cached: it is read, locked, with ``policy(lock=True)``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, case, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_core.domain.assignment import Absence, Agent, Holding, QueuePolicy, Skills, Strategy
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.ports import StaffMember

from .catalog_store import RevisionCache, SqlCatalogStore
from .codec import upsert
from .tables import agent_absences, agent_profiles, cases, queue_assignment, users

OPEN = [c.value for c in (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)]
RUNNING = [c.value for c in (StateCategory.TODO, StateCategory.DOING)]
_STRATEGIES = select(queue_assignment.c.queue, queue_assignment.c.strategy)
# The queues' strategies each process read, with the revision token they were read at.
_STRATEGY_CACHES: weakref.WeakKeyDictionary[Engine, RevisionCache[dict[str, Strategy]]] = \
    weakref.WeakKeyDictionary()


def _strategy(code: str) -> Strategy:
    try:
        return Strategy(code)
    except ValueError:  # a strategy this version does not know (written by a newer one): manual
        return Strategy.MANUAL


# Built once (SQLAlchemy compiles each once): the sweep reads a policy for every case it escalates.
_POLICY = select(queue_assignment).where(queue_assignment.c.queue == bindparam("queue"))
_POLICY_LOCKED = _POLICY.with_for_update()
_ENSURE_POLICY = {
    name: upsert(queue_assignment).values(queue=bindparam("queue"), strategy=Strategy.MANUAL.value)
    .on_conflict_do_nothing(index_elements=[queue_assignment.c.queue])
    for name, upsert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))}


def _policy(row: Any, queue: str) -> QueuePolicy:
    if row is None:
        return QueuePolicy(queue)
    return QueuePolicy(queue, _strategy(row.strategy), row.cap, row.last_assignee)


class SqlAssignmentStore:
    def __init__(self, conn: Connection, catalog: SqlCatalogStore | None = None) -> None:
        self._conn = conn
        # Its revision token keys the cached strategies; a policy change sets a new one.
        self._catalog = catalog
        # The policies read in this unit of work, until it changes them: a read without the lock is
        # answered from here (the sweep asks for the policy of every case it escalates).
        self._read: dict[str, QueuePolicy] = {}

    def policy(self, queue: str, *, lock: bool = False) -> QueuePolicy:
        if not lock and queue in self._read:
            return self._read[queue]
        if lock:
            self._conn.execute(_ENSURE_POLICY[self._conn.dialect.name], {"queue": queue})
        found = self._read[queue] = _policy(
            self._conn.execute(_POLICY_LOCKED if lock else _POLICY, {"queue": queue}).first(), queue)
        return found

    def strategy(self, queue: str) -> Strategy:
        token = self._catalog.token if self._catalog is not None else None
        cache: RevisionCache[dict[str, Strategy]] = _STRATEGY_CACHES.setdefault(self._conn.engine,
                                                                                RevisionCache())
        strategies = cache.get(token)
        if strategies is None:
            strategies = {row.queue: _strategy(row.strategy) for row in self._conn.execute(_STRATEGIES)}
            cache.put(token, strategies)
        return strategies.get(queue, Strategy.MANUAL)

    def forget(self) -> None:
        """After a rollback: what was read may have been written in the transaction undone."""
        self._read.clear()

    def policies(self) -> dict[str, QueuePolicy]:
        return {row.queue: _policy(row, row.queue) for row in self._conn.execute(select(queue_assignment))}

    def put_policy(self, queue: str, strategy: Strategy, cap: int | None) -> None:
        self._read.pop(queue, None)
        upsert(self._conn, queue_assignment, {"queue": queue, "strategy": strategy.value, "cap": cap},
               keys=("queue",))
        if self._catalog is not None:
            self._catalog.touch()  # every process reads the strategies again

    def advance(self, queue: str, last: str) -> None:
        self._read.pop(queue, None)
        upsert(self._conn, queue_assignment,
               {"queue": queue, "strategy": Strategy.MANUAL.value, "last_assignee": last},
               keys=("queue",), update=("last_assignee",))

    def _agents(self, usernames: Iterable[str]) -> dict[str, Agent]:
        names = sorted(set(usernames))
        profiles = {row.username: row for row in self._conn.execute(
            select(agent_profiles).where(agent_profiles.c.username.in_(names)))}
        absences: dict[str, list[Absence]] = {}
        for row in self._conn.execute(select(agent_absences).where(agent_absences.c.username.in_(names))
                                      .order_by(agent_absences.c.starts, agent_absences.c.id)):
            absences.setdefault(row.username, []).append(Absence(row.starts, row.ends, row.note, row.id))
        found = {}
        for name in names:
            profile: Any = profiles.get(name)
            skills = Skills(frozenset(profile.typifications), frozenset(profile.kinds),
                            frozenset(profile.languages)) if profile is not None else Skills()
            weekdays = (frozenset(profile.working_weekdays)
                        if profile is not None and profile.working_weekdays else None)
            found[name] = Agent(name, skills, tuple(absences.get(name, ())), weekdays,
                                profile.cap if profile is not None else None)
        return found

    def staff(self, queue: str) -> list[StaffMember]:
        people = [(row.username, frozenset(row.roles)) for row in self._conn.execute(
            select(users.c.username, users.c.roles, users.c.queues).where(users.c.active.is_(True))
            .order_by(users.c.username)) if queue in (row.queues or ())]
        agents = self._agents(name for name, _roles in people)
        return [StaffMember(agents[name], roles) for name, roles in people]

    def agent(self, username: str) -> Agent:
        return self._agents([username])[username]

    def agents(self, usernames: Sequence[str]) -> list[Agent]:
        found = self._agents(usernames)
        return [found[name] for name in usernames]

    def absent(self, day: date) -> list[str]:
        return list(self._conn.execute(
            select(agent_absences.c.username).distinct()
            .where(agent_absences.c.starts <= day, agent_absences.c.ends >= day)
            .order_by(agent_absences.c.username)).scalars())

    def holdings(self, usernames: Sequence[str], now: datetime) -> dict[str, Holding]:
        if not usernames:
            return {}
        late = and_(cases.c.state_category.in_(RUNNING), cases.c.due_at < now)
        overdue = func.sum(case((late, 1), else_=0))
        rows = self._conn.execute(
            select(cases.c.assignee, cases.c.priority_rank, func.count(), overdue)
            .where(cases.c.assignee.in_(sorted(set(usernames))), cases.c.state_category.in_(OPEN),
                   cases.c.deleted_at.is_(None))
            .group_by(cases.c.assignee, cases.c.priority_rank))
        by_rank: dict[str, dict[int | None, int]] = {}
        behind: dict[str, int] = {}
        for assignee, rank, count, overdue_count in rows:
            by_rank.setdefault(assignee, {})[rank] = int(count)
            behind[assignee] = behind.get(assignee, 0) + int(overdue_count or 0)
        return {name: Holding(ranks, behind.get(name, 0)) for name, ranks in by_rank.items()}

    def put_profile(self, agent: Agent) -> None:
        skills = agent.skills
        upsert(self._conn, agent_profiles, {
            "username": agent.username, "typifications": sorted(skills.typifications),
            "kinds": sorted(skills.kinds), "languages": sorted(skills.languages),
            "working_weekdays": None if agent.working_weekdays is None else sorted(agent.working_weekdays),
            "cap": agent.cap}, keys=("username",))

    def add_absence(self, username: str, absence: Absence, actor: str, at: datetime) -> None:
        self._conn.execute(insert(agent_absences).values(
            id=absence.id, username=username, starts=absence.starts, ends=absence.ends, note=absence.note,
            created_by=actor, created_at=at))

    def remove_absence(self, username: str, absence_id: str) -> bool:
        result = self._conn.execute(delete(agent_absences).where(
            agent_absences.c.username == username, agent_absences.c.id == absence_id))
        return bool(result.rowcount)
