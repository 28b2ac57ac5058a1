"""Routing over every store: rules and their versions, typification defaults, escalation policies
and tags survive the store, and a filing applies them in its own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from pqrs_core.domain import commands as c
from pqrs_core.domain.escalation import EscalationPolicy
from pqrs_core.domain.events import RuleApplied, TypificationDefaultsApplied
from pqrs_core.domain.routing_defaults import TypificationDefaults
from pqrs_core.domain.rules import Action, Condition, Rule
from pqrs_core.domain.values import Actor, Requester
from pqrs_core.ports import CaseQuery

if TYPE_CHECKING:
    from conftest import StoreUnderTest

ADMIN = Actor("root", frozenset({"admin"}))
AGENT = Actor("ana", frozenset({"agent"}))
COBRO_DOBLE = Rule(
    code="", name="Cobro doble", trigger="filed", enabled=True,
    conditions=(Condition("kind", "is", "reclamo"), Condition("subject", "contains", "cobro doble")),
    actions=(Action("set_queue", "back_office"), Action("set_priority", "alta"),
             Action("add_tag", "Facturación")))


def filing(subject: str = "Cobro doble en mi factura", **more: object) -> c.FileCase:
    data: dict[str, object] = {"kind": "reclamo", "subject": subject, "description": "Revisen por favor.",
                               "requester": Requester(full_name="Carla Gómez", email="carla@example.com")}
    data.update(more)
    return c.FileCase(**data)  # type: ignore[arg-type]


def test_rules_defaults_and_policies_are_stored_with_their_versions(store: StoreUnderTest) -> None:
    pqrs = store.app()
    admin = pqrs.routing_admin
    first = admin.save_rule(COBRO_DOBLE, ADMIN)
    admin.save_rule(attrs.evolve(first, stop=True), ADMIN)
    admin.set_rule_enabled(first.code, False, ADMIN)
    admin.set_typification_defaults("OPERACIONES", TypificationDefaults(
        queue="back_office", priority="media", term_policy=None, assignment_strategy="skills",
        required_fields=("reason",)), ADMIN)
    policy = EscalationPolicy("email", "jefe@example.com", (0.8, 1.0))
    admin.set_escalation_policy("queue:primer_nivel", policy, ADMIN)
    catalog = store.app().catalog()  # a new application: everything read back from the store
    (rule,) = catalog.rules
    assert (rule.code, rule.version, rule.stop, rule.enabled) == (first.code, 2, True, False)
    assert rule.conditions == COBRO_DOBLE.conditions and rule.actions == COBRO_DOBLE.actions
    versions = admin.rule_versions(first.code, ADMIN)
    assert [(r.version, r.stop) for r, who, _at in versions] == [(2, True), (1, False)]
    assert {who for _r, who, _at in versions} == {"root"}
    assert catalog.typification_defaults["OPERACIONES"].required_fields == ("reason",)
    assert catalog.escalation_policies == {
        "queue:primer_nivel": EscalationPolicy("email", "jefe@example.com", (0.8, 1.0))}
    admin.set_escalation_policy("queue:primer_nivel", None, ADMIN)
    admin.set_typification_defaults("OPERACIONES", TypificationDefaults(), ADMIN)
    catalog = store.app().catalog()
    assert catalog.escalation_policies == {} and catalog.typification_defaults == {}


def test_a_filing_applies_defaults_and_rules_and_tags_are_filterable(store: StoreUnderTest) -> None:
    pqrs = store.app()
    pqrs.routing_admin.save_rule(COBRO_DOBLE, ADMIN)
    pqrs.routing_admin.set_typification_defaults("OPERACIONES", TypificationDefaults(
        assignment_strategy="skills"), ADMIN)
    hit = pqrs.handle(filing(typification="PEDIDO_NO_RECIBIDO"), AGENT)
    miss = pqrs.handle(filing("Otra cosa"), AGENT)
    n = str(hit.filing_number)
    stored = store.app().case(n)
    assert (stored.queue, stored.priority, stored.tags) == ("back_office", "alta", ("Facturación",))
    names = [e.name for e in pqrs.history(n)]
    assert "TypificationDefaultsApplied" in names and "RuleApplied" in names
    fired = next(e for e in pqrs.history(n) if isinstance(e, RuleApplied))
    assert (fired.rule_name, fired.rule_version) == ("Cobro doble", 1)
    assert next(e for e in pqrs.history(n) if isinstance(e, TypificationDefaultsApplied)).origins == (
        "OPERACIONES",)

    def listed(**query: object) -> list[str]:
        found = pqrs.cases(CaseQuery(**query), ADMIN).cases  # type: ignore[arg-type]
        return [str(x.filing_number) for x in found]

    assert listed(tags=("facturacion",)) == [n]
    assert listed(tags=("FACTURACIÓN", "otra")) == []
    assert listed(text="facturación") == [n]
    pqrs.handle(c.TagCase(filing_number=str(miss.filing_number), add=("facturacion", "VIP")), AGENT)
    pqrs.handle(c.TagCase(filing_number=n, remove=("Facturacion",)), AGENT)
    assert listed(tags=("facturación",)) == [str(miss.filing_number)]
    assert store.app().case(str(miss.filing_number)).tags == ("facturacion", "VIP")
    assert store.app().case(n).tags == ()


def test_a_failing_rule_is_switched_off_in_the_store(store: StoreUnderTest) -> None:
    pqrs = store.app()
    rule = pqrs.routing_admin.save_rule(attrs.evolve(COBRO_DOBLE, actions=(Action("transition", "close"),)),
                                        ADMIN)
    case = pqrs.handle(filing(), AGENT)
    assert case.state == "filed"
    (stored,) = store.app().catalog().rules
    assert stored.code == rule.code and not stored.enabled and stored.disabled_reason
    with store.uow_factory() as uow:
        assert [m.recipient for m in uow.outbox.pending() if m.template == "rule_disabled"] == ["role:admin"]


def test_the_demo_rules_route_a_new_cobro_doble_to_back_office_with_priority_alta(
        store: StoreUnderTest) -> None:
    from pqrs_adapters.demo.rules import DEMO_RULES, create_demo_routing

    pqrs = store.app()
    assert [r.code for r in create_demo_routing(pqrs)] == [r.code for r in DEMO_RULES]
    assert create_demo_routing(pqrs) == []  # a second time: nothing new
    invoice = "ERROR_EN_LIQUIDACION_DE_LA_FACTURA"
    case = pqrs.handle(filing("Me hicieron un cobro doble", typification=invoice), AGENT)
    stored = store.app().case(str(case.filing_number))
    assert (stored.queue, stored.priority, stored.tags) == ("back_office", "alta", ("Facturación",))
    fired = [e.rule_name for e in pqrs.history(str(case.filing_number)) if isinstance(e, RuleApplied)]
    assert fired == ["Cobro doble a back office"]
    tutela = pqrs.handle(filing("Interpondré una acción de TUTELA"), AGENT)
    assert (tutela.queue, tutela.priority) == ("especialistas", "bloqueante")
