"""Run-time administration of assignment: each queue's strategy and per-person cap (``catalog.admin``),
each person's skills, working weekdays and cap (``users.admin``), and absences (``users.admin``, or the
person themselves: «mis ausencias»). Changes are recorded in the catalog's audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from ..domain.access import Permission, permissions_of
from ..domain.assignment import Absence, Agent, QueuePolicy, Skills, Strategy
from ..domain.errors import NotFound, PermissionDenied, Problems
from ..domain.values import MAX_SHORT_TEXT, Actor, check_text
from ..ports import Clock, UnitOfWork
from .catalog_admin import ADMIN_ROLES

MAX_CAP = 10_000
MAX_ABSENCE_DAYS = 366
T = TypeVar("T")


def _check_cap(problems: Problems, field: str, cap: int | None) -> None:
    if cap is not None and not 0 <= cap <= MAX_CAP:
        problems.add(field, f"el tope debe ser un número entre 0 y {MAX_CAP}, o quedar vacío (sin tope)")


class AssignmentAdmin:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], clock: Clock,
                 new_id: Callable[[], str]) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._new_id = new_id

    def _run(self, actor: Actor, permission: Permission | None, what: str, data: dict[str, Any],
             change: Callable[[UnitOfWork], T]) -> T:
        """Run ``change`` if ``actor`` holds ``permission`` (``None``: anyone may), recorded as ``what``."""
        with self._uow_factory() as uow:
            if permission is not None and not actor.has_any(ADMIN_ROLES) and permission not in permissions_of(
                    actor, uow.catalog.load().roles):
                raise PermissionDenied(permission)
            result = change(uow)
            uow.catalog.record_change(actor.username, self._clock.now(), what, data)
            uow.commit()
            return result

    # --- reads --------------------------------------------------------------------------------------
    def policies(self) -> dict[str, QueuePolicy]:
        with self._uow_factory() as uow:
            return uow.assignment.policies()

    def agent(self, username: str) -> Agent:
        with self._uow_factory() as uow:
            return uow.assignment.agent(username)

    def absent(self, day: date) -> list[str]:
        """The people away on ``day`` (their open cases wait for redistribution)."""
        with self._uow_factory() as uow:
            return uow.assignment.absent(day)

    # --- queues -------------------------------------------------------------------------------------
    def set_policy(self, queue: str, strategy: str, cap: int | None, actor: Actor) -> None:
        """Set how ``queue`` hands out its cases."""
        problems = Problems()
        try:
            how = Strategy(strategy)
        except ValueError:
            problems.add("strategy", "elija una estrategia de la lista")
            how = Strategy.MANUAL
        _check_cap(problems, "cap", cap)
        problems.raise_if_any()

        def change(uow: UnitOfWork) -> None:
            if queue not in {q.code for q in uow.catalog.load().queues}:
                raise NotFound("la cola", queue)
            uow.assignment.put_policy(queue, how, cap)
        self._run(actor, Permission.CATALOG, "queue_assignment.put",
                  {"queue": queue, "strategy": how.value, "cap": cap}, change)

    # --- people -------------------------------------------------------------------------------------
    def set_profile(self, username: str, *, typifications: Iterable[str] = (), kinds: Iterable[str] = (),
                    languages: Iterable[str] = (), working_weekdays: Iterable[int] | None = None,
                    cap: int | None = None, actor: Actor) -> Agent:
        """Set ``username``'s skills, own working weekdays (``None``: the organisation's) and cap."""
        problems = Problems()
        langs = frozenset(code.strip().casefold() for code in languages if code.strip())
        for code in langs:
            check_text(problems, "languages", code, max_length=20)
        weekdays = frozenset(working_weekdays) if working_weekdays is not None else None
        if weekdays is not None and (not weekdays or not weekdays <= frozenset(range(7))):
            problems.add("working_weekdays", "marque al menos un día de trabajo")
        _check_cap(problems, "cap", cap)
        problems.raise_if_any()
        agent = Agent(username, Skills(frozenset(typifications), frozenset(kinds), langs),
                      working_weekdays=weekdays, cap=cap)

        def change(uow: UnitOfWork) -> Agent:
            catalog = uow.catalog.load()
            unknown = Problems()
            if set(agent.skills.kinds) - {k.code for k in catalog.kinds}:
                unknown.add("kinds", "uno de los tipos elegidos no existe")
            if any(code not in catalog.typifications for code in agent.skills.typifications):
                unknown.add("typifications", "una de las tipificaciones elegidas no existe")
            unknown.raise_if_any()
            uow.assignment.put_profile(agent)
            return uow.assignment.agent(username)
        return self._run(actor, Permission.USERS, "agent_profile.put", {
            "username": username, "typifications": sorted(agent.skills.typifications),
            "kinds": sorted(agent.skills.kinds), "languages": sorted(langs),
            "working_weekdays": sorted(weekdays) if weekdays is not None else None, "cap": cap}, change)

    def _own_or_users(self, username: str, actor: Actor) -> Permission | None:
        return None if username == actor.username else Permission.USERS

    def add_absence(self, username: str, starts: date | None, ends: date | None, note: str,
                    actor: Actor) -> Absence:
        """Record that ``username`` is away from ``starts`` to ``ends`` (both included). The person
        themselves or a users administrator may."""
        problems = Problems()
        if starts is None:
            problems.add("starts", "escriba la fecha en que empieza la ausencia")
        if ends is None:
            problems.add("ends", "escriba la fecha en que termina la ausencia")
        if starts is not None and ends is not None:
            if ends < starts:
                problems.add("ends", "la ausencia no puede terminar antes de empezar")
            elif (ends - starts).days >= MAX_ABSENCE_DAYS:
                problems.add("ends", "una ausencia dura como máximo un año: registre otra para después")
        check_text(problems, "note", note, max_length=MAX_SHORT_TEXT)
        problems.raise_if_any()
        assert starts is not None and ends is not None
        absence = Absence(starts, ends, note.strip(), self._new_id())

        def change(uow: UnitOfWork) -> Absence:
            uow.assignment.add_absence(username, absence, actor.username, self._clock.now())
            return absence
        return self._run(actor, self._own_or_users(username, actor), "agent_absence.add",
                         {"username": username, "starts": starts.isoformat(), "ends": ends.isoformat(),
                          "id": absence.id}, change)

    def remove_absence(self, username: str, absence_id: str, actor: Actor) -> None:
        def change(uow: UnitOfWork) -> None:
            if not uow.assignment.remove_absence(username, absence_id):
                raise NotFound("la ausencia", absence_id)
        self._run(actor, self._own_or_users(username, actor), "agent_absence.remove",
                  {"username": username, "id": absence_id}, change)
