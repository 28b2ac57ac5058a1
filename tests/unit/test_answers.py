"""Canned answers and macros in the core: which answers fit a case (typification subtree, kind, owner,
search), the variables a case gives them, a draft's validation, and the commands a macro runs."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import attrs
import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain.answers import (
    AnswerDraft,
    CannedAnswer,
    MacroActions,
    answer_context,
    answers_for_case,
    macro_commands,
    sample_context,
    search_answers,
)
from pqrs_core.domain.case import Case
from pqrs_core.domain.errors import ConcurrencyConflict, InvalidTransition, ValidationError
from pqrs_core.services.messagebus import Pqrs

from .support import BACK_OFFICE, SUPERVISOR, event_names, file

BOGOTA = ZoneInfo("America/Bogota")
CATEGORY, LEAF = "CAMBIOS_Y_DEVOLUCIONES", "SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES"


def answer(id: int, title: str, *, typifications: tuple[str, ...] = (), kinds: tuple[str, ...] = (),
           owner: str | None = None, active: bool = True, usage: int = 0,
           body: str = "Texto") -> CannedAnswer:
    return CannedAnswer(id=id, title=title, body=body, typifications=typifications, kinds=kinds, owner=owner,
                        active=active, usage_count=usage)


def test_answers_for_the_case_typification_come_first_most_specific_then_most_used(pqrs: Pqrs) -> None:
    case = file(pqrs, typification="SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES")
    tree = pqrs.catalog().typifications
    generic = answer(1, "Saludo general", usage=50)
    category = answer(2, "Devoluciones: plazo", typifications=(CATEGORY,), usage=9)
    leaf = answer(3, "Solicitud de devolución recibida", typifications=(LEAF,))
    category_popular = answer(4, "Devoluciones: requisitos", typifications=(CATEGORY,), usage=20)
    elsewhere = answer(5, "Factura mal liquidada", typifications=("ERROR_EN_LIQUIDACION_DE_LA_FACTURA",))

    choices = answers_for_case([generic, category, leaf, category_popular, elsewhere], case, tree, "beto")

    assert [a.id for a in choices.suggested] == [3, 4, 2]
    assert [a.id for a in choices.others] == [1, 5]


def test_an_answer_for_another_kind_is_not_suggested_and_others_personal_or_inactive_are_hidden(
        pqrs: Pqrs) -> None:
    case = file(pqrs, kind="queja", typification="SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES")
    tree = pqrs.catalog().typifications
    for_petitions = answer(1, "Para peticiones", typifications=(CATEGORY,), kinds=("peticion",))
    for_complaints = answer(2, "Para quejas", typifications=(CATEGORY,), kinds=("queja",))
    mine = answer(3, "Mía", owner="beto")
    someone_elses = answer(4, "De otra persona", owner="sol")
    off = answer(5, "Desactivada", active=False)

    choices = answers_for_case([for_petitions, for_complaints, mine, someone_elses, off], case, tree, "beto")

    assert [a.id for a in choices.suggested] == [2]
    assert {a.id for a in choices.others} == {1, 3}


def test_search_ignores_accents_and_case_and_takes_the_last_word_as_a_prefix() -> None:
    answers = [answer(1, "Devolución aprobada", body="Su devolución fue aprobada"),
               answer(2, "Garantía", body="La garantía cubre el daño")]
    assert [a.id for a in search_answers(answers, "DEVOLUCION apro")] == [1]
    assert [a.id for a in search_answers(answers, "garantia")] == [2]
    assert search_answers(answers, "inexistente") == []
    assert len(search_answers(answers, "  ")) == 2


def test_the_context_holds_the_case_values_as_plain_strings(pqrs: Pqrs) -> None:
    case = file(pqrs, typification="SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES")
    context = answer_context(case, pqrs.catalog(), now=pqrs.deps.clock.now(), zone=BOGOTA,
                             agent_name="Beto Ruiz", organisation="Comercial Andina")

    assert context["radicado"] == str(case.filing_number)
    assert context["peticionario"]["nombre"] == "Carla Gómez"
    assert context["peticionario"]["documento"] == "CC 1020304050"
    assert context["tipo"] == "Queja"
    assert context["tipificacion"] == "Cambios y devoluciones › Solicitud de cambios y devoluciones"
    assert context["agente"]["nombre"] == "Beto Ruiz"
    assert context["hoy"] == "02/03/2026"
    assert case.resolution_due is not None
    assert context["vence"] == case.resolution_due.astimezone(BOGOTA).strftime("%d/%m/%Y")

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        return isinstance(value, str)

    assert plain(context)


def test_a_draft_names_every_field_at_fault(pqrs: Pqrs) -> None:
    draft = AnswerDraft(title=" ", body="", typifications=("NO_EXISTE",), kinds=("otro",),
                        macro=MacroActions(priority="urgentisima", queue="nadie", transition="respond"))
    with pytest.raises(ValidationError) as refused:
        draft.validated(pqrs.catalog())
    assert set(refused.value.errors) == {"title", "body", "typifications", "kinds", "macro.priority",
                                         "macro.queue", "macro.transition"}


def test_a_valid_draft_is_trimmed(pqrs: Pqrs) -> None:
    draft = AnswerDraft(title="  Hola ", body=" Cuerpo \n", typifications=("LEGALES", "LEGALES"),
                        macro=MacroActions(transition="close"))
    valid = draft.validated(pqrs.catalog())
    assert (valid.title, valid.body, valid.typifications) == ("Hola", "Cuerpo", ("LEGALES",))


def test_a_macro_runs_only_the_changes_the_case_needs_then_its_transition(pqrs: Pqrs) -> None:
    case = file(pqrs, typification="SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES")
    macro = attrs.evolve(answer(1, "Devolución aprobada + cerrar"), macro=MacroActions(
        priority="alta", typification="SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES", queue="back_office",
        transition="close"))
    key = str(case.filing_number)
    plan = macro_commands(macro, case)
    assert case.queue != "back_office"
    assert list(plan) == [c.ChangeFields(filing_number=key, changes={"priority": "alta"}),
                          c.AssignCase(filing_number=key, assignee=case.assignee, queue="back_office"),
                          c.CloseCase(filing_number=key)]  # no TypifyCase: it is already so typified
    assert plan.closes
    for command in plan.changes:
        pqrs.handle(command, SUPERVISOR)
    changed = pqrs.case(key, SUPERVISOR)
    assert (changed.priority, changed.queue) == ("alta", "back_office")


def _in_progress(pqrs: Pqrs) -> Case:
    case = file(pqrs, typification="SOLICITUD_DE_CAMBIOS_Y_DEVOLUCIONES")
    key = str(case.filing_number)
    pqrs.handle(c.AssignCase(filing_number=key, assignee="beto"), SUPERVISOR)
    started = pqrs.handle(c.TransitionCase(filing_number=key, transition="start"), BACK_OFFICE)
    assert isinstance(started, Case)
    return started


def _with_macro(case: Case, macro: MacroActions, *, close: bool = False) -> c.RespondWithMacro:
    plan = macro_commands(attrs.evolve(answer(1, "Macro"), macro=macro), case)
    key = str(case.filing_number)
    return c.RespondWithMacro(
        filing_number=key, response=c.RespondCase(filing_number=key, text="Aprobamos su devolución.",
                                                  close=close or plan.closes),
        changes=plan.changes, transition=None if plan.closes else plan.transition,
        expected_version=case.version)


def test_a_response_with_a_macro_records_each_command_in_the_history(pqrs: Pqrs) -> None:
    case = _in_progress(pqrs)
    key = str(case.filing_number)
    before = event_names(pqrs, key)

    done = pqrs.handle(_with_macro(case, MacroActions(priority="alta", queue="back_office",
                                                      transition="close")), BACK_OFFICE)

    assert isinstance(done, Case)
    assert (done.state, done.priority, done.queue) == ("closed", "alta", "back_office")
    assert pqrs.case(key).version == done.version
    added = event_names(pqrs, key)[len(before):]
    assert added.index("FieldChanged") < added.index("CaseAssigned") < added.index("CaseResponded") \
        < added.index("CaseClosed")


def test_a_refused_macro_transition_leaves_the_changes_and_the_response_undone(pqrs: Pqrs) -> None:
    case = _in_progress(pqrs)
    key = str(case.filing_number)
    before = event_names(pqrs, key)

    with pytest.raises(InvalidTransition):  # a responded case is not started again
        pqrs.handle(_with_macro(case, MacroActions(priority="alta", queue="back_office", transition="start")),
                    BACK_OFFICE)

    after = pqrs.case(key)
    assert (after.state, after.priority, after.queue, after.version) == (
        case.state, case.priority, case.queue, case.version)
    assert after.responded_at is None
    assert event_names(pqrs, key) == before


def test_a_response_with_a_macro_is_refused_on_a_stale_version(pqrs: Pqrs) -> None:
    case = _in_progress(pqrs)
    key = str(case.filing_number)
    pqrs.handle(c.AddNote(filing_number=key, text="Llamé al peticionario."), BACK_OFFICE)

    with pytest.raises(ConcurrencyConflict):
        pqrs.handle(_with_macro(case, MacroActions(priority="alta")), BACK_OFFICE)

    assert pqrs.case(key).priority == case.priority


def test_a_response_with_a_macro_runs_only_a_macros_commands_on_its_own_case(pqrs: Pqrs) -> None:
    case, other = _in_progress(pqrs), _in_progress(pqrs)
    command = _with_macro(case, MacroActions(priority="alta"))
    elsewhere = attrs.evolve(command, changes=(c.ChangeFields(filing_number=str(other.filing_number),
                                                              changes={"priority": "alta"}),))
    noted = attrs.evolve(command, transition=c.AddNote(filing_number=command.filing_number, text="Nota"))

    with pytest.raises(ValidationError) as refused:
        pqrs.handle(elsewhere, BACK_OFFICE)
    assert set(refused.value.errors) == {"changes"}
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(noted, BACK_OFFICE)
    assert set(refused.value.errors) == {"transition"}
    assert pqrs.case(str(other.filing_number)).priority == other.priority
    assert pqrs.case(command.filing_number).version == case.version


def test_the_sample_context_has_every_variable_a_case_gives(pqrs: Pqrs) -> None:
    case = file(pqrs)
    values = {"now": pqrs.deps.clock.now(), "zone": BOGOTA, "agent_name": "Beto", "organisation": "X"}
    real = answer_context(case, pqrs.catalog(), **values)  # type: ignore[arg-type]
    sample = sample_context(pqrs.catalog(), **values)  # type: ignore[arg-type]
    assert set(sample) == set(real)
    assert all(set(sample[k]) == set(real[k]) for k in real if isinstance(real[k], dict) and k != "campos")


def test_the_demo_answers_and_articles_are_valid_and_render_on_a_case(pqrs: Pqrs) -> None:
    from pqrs_adapters.demo.answers import ANSWERS, ARTICLES
    from pqrs_adapters.sandbox import render_sandboxed

    catalog = pqrs.catalog()
    case = file(pqrs)
    context = answer_context(case, catalog, now=pqrs.deps.clock.now(), zone=BOGOTA, agent_name="Beto",
                             organisation="Comercial Andina")
    assert len(ANSWERS) >= 12 and any(not a.macro.empty for a in ANSWERS)
    assert 8 <= len(ARTICLES) <= 10
    assert any(a.public for a in ARTICLES) and any(not a.public for a in ARTICLES)
    for draft in ANSWERS:
        text = render_sandboxed(draft.validated(catalog).body, context)
        assert "Carla Gómez" in text and "{{" not in text
    assert len({a.validated(catalog).slug for a in ARTICLES}) == len(ARTICLES)
