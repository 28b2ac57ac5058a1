"""Routing: typification defaults and plain-language rules applied when a case is filed, re-typified,
written to by its requester or reaches a share of its term; the history says what did what."""

from __future__ import annotations

import attrs
import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.events import CaseEscalated, NoteAdded, RuleApplied, TypificationDefaultsApplied
from pqrs_core.domain.routing import MAX_CHAIN
from pqrs_core.domain.routing_defaults import TypificationDefaults, assignment_strategy_for, inherited
from pqrs_core.domain.rules import Action, Condition, Rule, sentence
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.testing import in_memory_pqrs

from .support import ADMIN, AGENT, BACK_OFFICE, REQUESTER, clock_of, file, number

COBRO_DOBLE = Rule(
    code="", name="Cobro doble a back office", trigger="filed",
    conditions=(Condition("kind", "is", "reclamo"), Condition("subject", "contains", "cobro doble")),
    actions=(Action("set_queue", "back_office"), Action("set_priority", "alta")), enabled=True)


@pytest.fixture
def pqrs() -> Pqrs:
    return in_memory_pqrs()


def reclamo(pqrs: Pqrs, subject: str = "Me hicieron un COBRO DOBLÉ en la factura", **more: object) -> str:
    return number(file(pqrs, kind="reclamo", subject=subject, **more))


def test_a_rule_reads_back_as_a_spanish_sentence(pqrs: Pqrs) -> None:
    assert sentence(COBRO_DOBLE, pqrs.catalog()) == (
        "Cuando se radica un caso, si el tipo es Reclamo y el asunto contiene «cobro doble», entonces "
        "pasarlo a la cola Back office (segundo nivel) y poner prioridad Alta")


def test_a_filed_case_that_matches_lands_where_the_rule_says_and_the_history_names_the_rule(
        pqrs: Pqrs) -> None:
    rule = pqrs.routing_admin.save_rule(COBRO_DOBLE, ADMIN)
    n = reclamo(pqrs)
    case = pqrs.case(n)
    assert (case.queue, case.priority) == ("back_office", "alta")
    fired = [e for e in pqrs.history(n) if isinstance(e, RuleApplied)]
    assert [(e.rule_name, e.rule_version, e.trigger) for e in fired] == [
        ("Cobro doble a back office", rule.version, "filed")]
    assert fired[0].actions == ("pasarlo a la cola Back office (segundo nivel)", "poner prioridad Alta")
    other = number(file(pqrs, kind="queja", subject="Me hicieron un cobro doble"))
    assert pqrs.case(other).queue == "primer_nivel"  # a queja: the rule does not fire


def test_editing_a_rule_makes_a_new_version_and_keeps_the_old(pqrs: Pqrs) -> None:
    first = pqrs.routing_admin.save_rule(COBRO_DOBLE, ADMIN)
    again = pqrs.routing_admin.save_rule(attrs.evolve(first, name=first.name), ADMIN)
    assert again.version == 1  # nothing changed
    louder = attrs.evolve(first, actions=(Action("set_priority", "bloqueante"),))
    edited = pqrs.routing_admin.save_rule(louder, ADMIN)
    assert edited.version == 2
    versions = pqrs.routing_admin.rule_versions(first.code, ADMIN)
    assert [(r.version, r.actions[0].value) for r, _who, _at in versions] == [(2, "bloqueante"),
                                                                            (1, "back_office")]
    n = reclamo(pqrs)
    assert [e.rule_version for e in pqrs.history(n) if isinstance(e, RuleApplied)] == [2]


def test_rules_apply_in_order_and_stop_when_one_says_so(pqrs: Pqrs) -> None:
    admin = pqrs.routing_admin
    admin.save_rule(attrs.evolve(COBRO_DOBLE, name="Primera", stop=True), ADMIN)
    admin.save_rule(attrs.evolve(COBRO_DOBLE, name="Segunda", actions=(Action("set_priority", "baja"),)),
                    ADMIN)
    n = reclamo(pqrs)
    assert [e.rule_name for e in pqrs.history(n) if isinstance(e, RuleApplied)] == ["Primera"]
    assert pqrs.case(n).priority == "alta"
    admin.move_rule("SEGUNDA", -1, ADMIN)
    n = reclamo(pqrs)
    assert [e.rule_name for e in pqrs.history(n) if isinstance(e, RuleApplied)] == ["Segunda", "Primera"]
    assert pqrs.case(n).priority == "alta"  # the later rule's action wins


def test_a_disabled_rule_does_not_fire(pqrs: Pqrs) -> None:
    rule = pqrs.routing_admin.save_rule(attrs.evolve(COBRO_DOBLE, enabled=False), ADMIN)
    assert pqrs.case(reclamo(pqrs)).queue == "primer_nivel"
    pqrs.routing_admin.set_rule_enabled(rule.code, True, ADMIN)
    assert pqrs.case(reclamo(pqrs)).queue == "back_office"


def test_a_failing_rule_never_blocks_the_filing_it_is_switched_off_and_admins_are_told(pqrs: Pqrs) -> None:
    pqrs.routing_admin.save_rule(attrs.evolve(COBRO_DOBLE, name="Cierra", actions=(
        Action("set_priority", "alta"), Action("transition", "close"))), ADMIN)  # close: not from «filed»
    n = reclamo(pqrs)
    case = pqrs.case(n)
    assert case.priority is None  # the rule left nothing half done
    rule = next(r for r in pqrs.catalog().rules if r.name == "Cierra")
    assert not rule.enabled and "falló" in rule.disabled_reason and n in rule.disabled_reason
    with pqrs.uow_factory() as uow:
        told = [m for m in uow.outbox.pending() if m.template == "rule_disabled"]
    assert [(m.recipient, m.context["rule_name"]) for m in told] == [("role:admin", "Cierra")]


def test_a_rule_with_unknown_values_is_refused_naming_the_field(pqrs: Pqrs) -> None:
    bad = attrs.evolve(COBRO_DOBLE, conditions=(Condition("kind", "is", "nada"),),
                       actions=(Action("set_queue", "ninguna"),))
    with pytest.raises(ValidationError) as raised:
        pqrs.routing_admin.save_rule(bad, ADMIN)
    assert set(raised.value.errors) == {"conditions.0.value", "actions.0.value"}


def test_chains_of_retypifying_rules_stop_with_a_note(pqrs: Pqrs) -> None:
    admin = pqrs.routing_admin
    admin.save_rule(Rule(code="", name="A calidad", trigger="retypified", enabled=True,
                         conditions=(Condition("typification", "is", "PEDIDO_NO_RECIBIDO"),),
                         actions=(Action("set_typification", "QUEJA_DE_CALIDAD"),)), ADMIN)
    admin.save_rule(Rule(code="", name="A pedido", trigger="retypified", enabled=True,
                         conditions=(Condition("typification", "is", "QUEJA_DE_CALIDAD"),),
                         actions=(Action("set_typification", "PEDIDO_NO_RECIBIDO"),)), ADMIN)
    n = number(file(pqrs))
    pqrs.handle(c.TypifyCase(filing_number=n, typification="PEDIDO_NO_RECIBIDO"), AGENT)  # goes through
    history = pqrs.history(n)
    # Each round both rules fire (the second undoes the first); after MAX_CHAIN rounds it stops.
    assert sum(isinstance(e, RuleApplied) for e in history) == 2 * MAX_CHAIN
    assert "se detuvieron" in [e for e in history if isinstance(e, NoteAdded)][-1].text


def test_words_match_without_accents_or_capitals_and_typification_subtrees(pqrs: Pqrs) -> None:
    pqrs.routing_admin.save_rule(Rule(
        code="", name="Operaciones", trigger="filed", enabled=True,
        conditions=(Condition("typification", "under", "OPERACIONES"),
                    Condition("text", "contains", "guía")),
        actions=(Action("add_tag", "logística"), Action("add_note", "Revisar la guía"))), ADMIN)
    n = number(file(pqrs, typification="PEDIDO_NO_RECIBIDO", description="No tengo la GUIA del envío"))
    assert pqrs.case(n).tags == ("logística",)
    miss = number(file(pqrs, typification="QUEJA_DE_CALIDAD", description="No tengo la guia"))
    assert pqrs.case(miss).tags == ()


def test_typification_defaults_are_inherited_and_applied_at_filing_and_retypification(pqrs: Pqrs) -> None:
    admin = pqrs.routing_admin
    admin.set_typification_defaults("OPERACIONES", TypificationDefaults(
        queue="back_office", important=True, urgent=True, assignment_strategy="skills"), ADMIN)
    admin.set_typification_defaults("PEDIDO_NO_RECIBIDO", TypificationDefaults(priority="media"), ADMIN)
    found = inherited(pqrs.catalog(), "PEDIDO_NO_RECIBIDO")
    assert {f: (v.value, v.origin) for f, v in found.items()} == {
        "queue": ("back_office", "OPERACIONES"), "priority": ("media", "PEDIDO_NO_RECIBIDO"),
        "assignment_strategy": ("skills", "OPERACIONES")}
    n = number(file(pqrs, typification="PEDIDO_NO_RECIBIDO"))
    case = pqrs.case(n)
    assert (case.queue, case.priority) == ("back_office", "media")
    assert assignment_strategy_for(pqrs.catalog(), case) == "skills"
    applied = [e for e in pqrs.history(n) if isinstance(e, TypificationDefaultsApplied)]
    assert applied[0].origins == ("OPERACIONES", "PEDIDO_NO_RECIBIDO", "OPERACIONES")
    other = number(file(pqrs))
    pqrs.handle(c.TypifyCase(filing_number=other, typification="QUEJA_DE_ENTREGA_DE_PEDIDOS"), AGENT)
    assert (pqrs.case(other).queue, pqrs.case(other).priority) == ("back_office", "bloqueante")
    chosen = number(file(pqrs, typification="PEDIDO_NO_RECIBIDO", queue="especialistas", priority="baja"))
    assert (pqrs.case(chosen).queue, pqrs.case(chosen).priority) == ("especialistas", "baja")


def test_a_typification_may_require_fields_before_the_case_is_closed(pqrs: Pqrs) -> None:
    pqrs.routing_admin.set_typification_defaults("OPERACIONES", TypificationDefaults(
        required_fields=("reason",)), ADMIN)
    n = number(file(pqrs, typification="PEDIDO_NO_RECIBIDO"))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), ADMIN)
    with pytest.raises(ValidationError) as raised:
        pqrs.handle(c.RespondCase(filing_number=n, text="Listo", solution="Listo", close=True), BACK_OFFICE)
    assert "reason" in raised.value.errors


def test_the_requester_message_trigger_and_tags_by_people(pqrs: Pqrs) -> None:
    pqrs.routing_admin.save_rule(Rule(code="", name="Escribió", trigger="requester_message", enabled=True,
                                      actions=(Action("notify", "user:sol"), Action("add_tag", "respondió"))),
                                 ADMIN)
    n = number(file(pqrs, requester=attrs.evolve(file(pqrs).requester, user="carla")))
    pqrs.handle(c.RequestInformation(filing_number=n, message="Envíe la factura"), AGENT)
    pqrs.handle(c.RecordRequesterReply(filing_number=n, message="Adjunto"), REQUESTER)
    assert pqrs.case(n).tags == ("respondió",)
    with pqrs.uow_factory() as uow:
        assert any(m.template == "rule_notice" and m.recipient == "user:sol" for m in uow.outbox.pending())
    pqrs.handle(c.TagCase(filing_number=n, add=("VIP",), remove=("Respondio",)), AGENT)
    assert pqrs.case(n).tags == ("VIP",)
    from pqrs_core.ports import CaseQuery
    assert [str(x.filing_number) for x in pqrs.cases(CaseQuery(tags=("vip",)), ADMIN).cases] == [n]


def test_the_term_share_trigger_runs_from_the_sweep_and_escalation_follows_the_policy(pqrs: Pqrs) -> None:
    from pqrs_core.domain.escalation import EscalationPolicy

    pqrs.routing_admin.save_rule(Rule(code="", name="Al 80 %", trigger="term_fraction", fraction=0.8,
                                      enabled=True, actions=(Action("set_priority", "bloqueante"),)), ADMIN)
    pqrs.routing_admin.set_escalation_policy("queue:primer_nivel", EscalationPolicy(
        target="group", value="supervisor", fractions=(0.8,)), ADMIN)
    n = reclamo(pqrs, subject="Otra cosa")
    due = pqrs.case(n).resolution_due
    assert due is not None
    clock = clock_of(pqrs)
    clock.set(due)
    pqrs.sweep()
    case = pqrs.case(n)
    assert case.priority == "bloqueante"
    escalations = [e for e in pqrs.history(n) if isinstance(e, CaseEscalated)]
    assert [(e.recipient, e.queue_after) for e in escalations] == [("role:supervisor", "primer_nivel")]


def test_the_dry_run_says_which_recent_cases_a_rule_would_match_and_what_it_would_change(
        pqrs: Pqrs) -> None:
    n = reclamo(pqrs)
    reclamo(pqrs, subject="Nada que ver")
    result = pqrs.routing_admin.dry_run(attrs.evolve(COBRO_DOBLE, enabled=False), ADMIN, limit=10)
    assert result.matched == 1
    hit = next(x for x in result.cases if x.matched)
    assert hit.filing_number == n
    assert hit.changes == ("cola: primer_nivel → back_office", "prioridad: — → alta")
    assert pqrs.case(n).queue == "primer_nivel"  # nothing stored
    assert not any(isinstance(e, RuleApplied) for e in pqrs.history(n))


def test_only_catalog_admins_manage_rules(pqrs: Pqrs) -> None:
    from pqrs_core.domain.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        pqrs.routing_admin.save_rule(COBRO_DOBLE, AGENT)
    with pytest.raises(PermissionDenied):
        pqrs.routing_admin.dry_run(COBRO_DOBLE, AGENT)


def test_notices_read_naturally(pqrs: Pqrs) -> None:
    rule = Rule(code="", name="Aviso", trigger="requester_message",
                actions=(Action("notify", "role:supervisor"), Action("notify", "queue:back_office")))
    assert sentence(rule, pqrs.catalog()) == (
        "Cuando el peticionario escribe en un caso, entonces avisar al grupo Supervisor y avisar a la cola "
        "Back office (segundo nivel)")
