"""Workflow versions and term policies the administration creates, over every store: a case keeps the
version of its workflow it was filed under, and a new policy gives new cases their deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import InvalidTransition, ValidationError
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Extension, Term, TermRule, TermUnit
from pqrs_core.domain.values import Actor, Requester, RequesterKind
from pqrs_core.domain.workflow import State, StateCategory, Transition, Workflow
from pqrs_core.domain.workflow_editing import add_state
from pqrs_core.services.messagebus import Pqrs

if TYPE_CHECKING:
    from conftest import StoreUnderTest

AGENT = Actor("ana", frozenset({"agent"}))
BACK_OFFICE = Actor("beto", frozenset({"back_office"}))
ADMIN = Actor("root", frozenset({"admin"}))
PERSON = Requester(kind=RequesterKind.PERSON, full_name="Carla Gómez", document_type="CC",
                   document_number="1020304050", email="carla@example.com")


def _file(app: Pqrs, kind: str = "queja") -> Case:
    case = app.handle(c.FileCase(kind=kind, subject="Pedido incompleto", description="Faltan dos unidades.",
                                 requester=PERSON, channel="web_form"), AGENT)
    assert isinstance(case, Case)
    return case


def _move(app: Pqrs, case: Case, transition: str) -> None:
    app.handle(c.TransitionCase(filing_number=str(case.filing_number), transition=transition), BACK_OFFICE)


def _with_review(workflow: Workflow) -> Workflow:
    return add_state(workflow, State("en_revision", "En revisión jurídica", StateCategory.DOING),
                     Transition("revisar", "Enviar a revisión jurídica", ("filed",), "en_revision"))


def test_a_case_moves_by_the_workflow_version_it_was_filed_under(store: StoreUnderTest) -> None:
    app = store.app()
    before = _file(app)
    assert app.catalog_admin.edit_workflow("generic", _with_review, ADMIN, "add_state", {}) == 2
    after = _file(app)

    again = store.app()  # a new process: the catalog and the cases as stored
    catalog = again.catalog()
    assert catalog.workflow("generic").version == 2
    assert not catalog.workflow("generic", 1).has_state("en_revision")
    assert [(w.code, w.version) for w in catalog.workflow_versions] == [("generic", 1)]
    assert again.case(str(before.filing_number)).workflow_version == 1
    with pytest.raises(InvalidTransition):
        _move(again, before, "revisar")
    _move(again, after, "revisar")
    _move(again, before, "start")
    assert again.case(str(after.filing_number)).state == "en_revision"
    history = again.history(str(before.filing_number))
    assert Case.replay(history, catalog.workflow("generic", 1)).workflow_version == 1


def test_binding_a_kind_keeps_the_workflow_version(store: StoreUnderTest) -> None:
    app = store.app()
    app.catalog_admin.create_workflow("garantias", "Garantías", "generic", ADMIN)
    app.catalog_admin.bind_kinds("garantias", ["reclamo"], ADMIN)
    catalog = store.app().catalog()
    assert catalog.kind_workflows["reclamo"] == "garantias"
    assert catalog.workflow("garantias").version == 1
    assert _file(app, "reclamo").workflow == "garantias"


def test_a_term_policy_created_by_the_administration_sets_new_cases_deadlines(store: StoreUnderTest) -> None:
    app = store.app()
    policy = TermPolicy("quejas_web", "Quejas por la web",
                        (TermRule(Term(3, TermUnit.BUSINESS_DAYS), extension=Extension(allowed=False)),),
                        kinds=("queja",), channels=("web_form",))
    app.catalog_admin.put_term_policy(policy, ADMIN)
    case = _file(store.app())
    assert case.term_policy == "quejas_web"
    assert case.term == Term(3, TermUnit.BUSINESS_DAYS)
    calendar = app.catalog().calendar
    assert calendar is not None
    assert case.resolution_due == Term(3, TermUnit.BUSINESS_DAYS).deadline(case.received_at, calendar)
    change = app.catalog_admin.changes(limit=1)[0]
    assert (change["what"], change["data"]["kinds"], change["data"]["channels"]) == (
        "term_policies.put", ["queja"], ["web_form"])

    twin = TermPolicy("otra", "Otra", (TermRule(Term(5, TermUnit.BUSINESS_DAYS)),),
                      kinds=("queja",), channels=("web_form",))
    with pytest.raises(ValidationError) as refused:
        app.catalog_admin.put_term_policy(twin, ADMIN)
    assert refused.value.errors == {"scope": "la política «Quejas por la web» ya cubre exactamente esos "
                                             "casos: edítela o cambie el alcance"}
