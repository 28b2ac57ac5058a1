"""Issue 3's property: whatever the users, roles, networks, queues and cases, an actor lists exactly the
cases the visibility predicate lets through, and the report totals count exactly those, on the
in-memory store, a real SQLite file and a real PostgreSQL database.

Each example files its cases through the use cases on a fresh in-memory store, then stores the same
cases, the users and a custom role in the SQL database (emptied first; created once per module), and
reads every user back as an ``Actor`` with ``load_actor`` (roles, queues, network by recursive query).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete

from pqrs_adapters.accounts import load_actor, save_user
from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory, upgrade, visibility_sql
from pqrs_adapters.sqlalchemy.tables import api_tokens, case_events, cases, filing_sequences, users
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Permission, Role, Scope, matches
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.memory import MemoryFileStore, MemoryStore
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.ports import CaseQuery
from pqrs_core.query_filters import summarize
from pqrs_core.services.messagebus import Pqrs

ROLES = ("requester", "consultant", "agent", "back_office", "supervisor", "quality", "admin", "claims")
QUEUES = ("primer_nivel", "back_office")
KINDS = ("peticion", "queja", "reclamo", "sugerencia", "felicitacion")
STATES = ("filed", "in_progress", "closed")
LEAVES = ("PEDIDO_NO_RECIBIDO", "ERROR_EN_LIQUIDACION_DE_LA_FACTURA", "QUEJA_DE_ENTREGA_DE_PEDIDOS")
TYPIFICATION_CODES = ("OPERACIONES", "SISTEMA", *LEAVES)
SYSTEM = Actor.system()


@attrs.frozen
class World:
    names: tuple[str, ...]
    roles: dict[str, frozenset[str]]
    queues: dict[str, frozenset[str]]
    sponsors: dict[str, str | None]
    claims: Role
    cases: tuple[dict[str, Any], ...]
    inline_limit: int


@st.composite
def worlds(draw: st.DrawFn) -> World:
    names = tuple(f"u{i}" for i in range(draw(st.integers(3, 7))))
    pick_name = st.sampled_from(names)
    sponsors: dict[str, str | None] = {}
    for i, name in enumerate(names):  # a sponsor always comes earlier: the tree has no cycle
        sponsors[name] = draw(st.none() | st.sampled_from(names[:i])) if i else None
    claims = Role("claims", "Reclamos", frozenset({Permission.NOTE}),
                  frozenset(draw(st.sets(st.sampled_from([Scope.ROLE_MATCH, Scope.ASSIGNED, Scope.QUEUE]),
                                         min_size=1))),
                  kinds=tuple(draw(st.lists(st.sampled_from(KINDS), unique=True, max_size=2))),
                  typifications=tuple(draw(st.lists(st.sampled_from(TYPIFICATION_CODES), unique=True,
                                                    max_size=2))))
    case_data = st.fixed_dictionaries({
        "kind": st.sampled_from(KINDS), "typification": st.none() | st.sampled_from(LEAVES),
        "queue": st.none() | st.sampled_from(QUEUES), "assignee": st.none() | pick_name,
        "filed_by": pick_name, "requester_user": st.none() | pick_name, "state": st.sampled_from(STATES)})
    return World(
        names=names,
        roles={n: frozenset(draw(st.sets(st.sampled_from(ROLES), max_size=2))) for n in names},
        queues={n: frozenset(draw(st.sets(st.sampled_from(QUEUES)))) for n in names},
        sponsors=sponsors, claims=claims,
        cases=tuple(draw(st.lists(case_data, min_size=5, max_size=30))),
        inline_limit=draw(st.sampled_from([0, visibility_sql.INLINE_LIMIT])),
    )


def _app(uow_factory: Any) -> Pqrs:
    return bootstrap(uow_factory=uow_factory, clock=FrozenClock(),
                     plugin_manager=get_plugin_manager(load_entry_points=False), files=MemoryFileStore())


def _file_cases(app: Pqrs, world: World) -> list[Case]:
    for data in world.cases:
        filer = Actor(data["filed_by"], frozenset({"admin"}))
        case: Case = app.handle(c.FileCase(
            kind=data["kind"], subject="Asunto", description="Descripción", typification=data["typification"],
            queue=data["queue"], assignee=data["assignee"],
            requester=Requester(full_name="Persona", user=data["requester_user"])), filer)
        number = str(case.filing_number)
        if data["state"] != "filed":
            app.handle(c.TransitionCase(filing_number=number, transition="start"), SYSTEM)
        if data["state"] == "closed":
            app.handle(c.RespondCase(filing_number=number, text="Respuesta", close=True), SYSTEM)
    return list(app.cases(CaseQuery(limit=1000)).cases)


def _expected_actor(world: World, name: str) -> Actor:
    below: set[str] = set()
    frontier = {name}
    while frontier:
        frontier = {n for n, sponsor in world.sponsors.items() if sponsor in frontier} - below
        below |= frontier
    return Actor(name, world.roles[name], queues=world.queues[name], network=frozenset(below))


def _store_world(engine: Engine, world: World, filed: list[Case]) -> None:
    with engine.begin() as conn:
        for table in (case_events, cases, filing_sequences, api_tokens):
            conn.execute(delete(table))
        conn.execute(users.update().values(sponsor=None))
        conn.execute(delete(users))
    for name in world.names:
        save_user(engine, name, roles=sorted(world.roles[name]), queues=sorted(world.queues[name]),
                  sponsor=world.sponsors[name] or "")
    with sql_uow_factory(engine)() as uow:
        uow.catalog.put_role(world.claims, "admin")
        for case in filed:
            uow.cases.add(attrs.evolve(case, events=[]))
        uow.commit()


@pytest.fixture(scope="module")
def sqlite_property_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('property')) / 'pqrs.db'}"
    upgrade(url)
    engine = make_engine(url)
    _app(sql_uow_factory(engine)).count()  # the catalog, synced once
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def postgres_property_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    _app(sql_uow_factory(engine)).count()
    yield engine
    engine.dispose()


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_every_actor_sees_exactly_what_the_predicate_allows(request: pytest.FixtureRequest,
                                                            database: str) -> None:
    engine: Engine = request.getfixturevalue(f"{database}_property_engine")
    sql_app = _app(sql_uow_factory(engine, write=False))

    @settings(max_examples=12, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(world=worlds())
    def check(world: World) -> None:
        memory_app = _app(MemoryStore().unit_of_work)
        memory_app.catalog_admin.put_role(world.claims, SYSTEM)
        filed = _file_cases(memory_app, world)
        _store_world(engine, world, filed)
        catalog = memory_app.catalog()
        assert sql_app.catalog().roles == catalog.roles
        saved, visibility_sql.INLINE_LIMIT = visibility_sql.INLINE_LIMIT, world.inline_limit
        try:
            for name in world.names:
                actor = _expected_actor(world, name)
                assert load_actor(engine, name) == actor
                predicate = catalog.visibility(actor)
                expected = [str(x.filing_number) for x in filed if matches(predicate, x)]
                for app in (memory_app, sql_app):
                    listed = app.cases(CaseQuery(limit=1000), actor).cases
                    assert [str(x.filing_number) for x in listed] == expected, (name, predicate)
                    assert app.summary(actor=actor) == summarize(x for x in filed if matches(predicate, x))
        finally:
            visibility_sql.INLINE_LIMIT = saved

    check()
