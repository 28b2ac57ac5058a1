"""The first-party plugin ``legal_co``, shipped in the openpqrs distribution and found through its entry
point: the Colombian legal terms give real cases the deadlines the law sets, counted on the real calendar
(Colombian holidays from the ``holidays`` package).

Every expected deadline below is counted by hand in a comment. A business-day term runs from the day
after reception (day 1 is the first business day after the reception date) and ends at midnight
(Bogotá) of its last day.
"""

from __future__ import annotations

from datetime import date, datetime
from importlib.metadata import entry_points
from zoneinfo import ZoneInfo

import attrs
import pytest
from hook_coverage import exercises

from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.commands import ExtendTerm, FileCase, TypifyCase
from pqrs_core.domain.errors import InvalidOperation, ValidationError
from pqrs_core.domain.events import TermExtended, TermStarted
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Term, TermRule, TermStart
from pqrs_core.hookspecs import hookimpl
from pqrs_core.memory import MemoryStore
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.services.catalog_sync import ADMIN_SOURCE
from pqrs_core.settings import Settings
from pqrs_core.testing import in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
CAL = BusinessCalendar()  # the default: America/Bogota, Monday to Friday, Colombian holidays
AGENT = staff("ana", "agent")
BACK_OFFICE = staff("beatriz", "back_office")
ADMIN = staff("admin", "admin")
INSTALL_HINT = "install pqrs again with: make .venv"

POLICY_CODES = {
    "co_peticion_general", "co_solicitud_documentos", "co_consulta", "co_habeas_data_consulta",
    "co_habeas_data_reclamo", "co_servicios_publicos", "co_tutela", "co_felicitacion",
    "co_recurso_reposicion", "co_recurso_apelacion",
}
PLUGIN_KINDS = {"consulta", "solicitud_documentos", "habeas_data_consulta", "habeas_data_reclamo", "tutela",
                "recurso_reposicion", "recurso_apelacion"}

# Friday 20 March 2026, 10:00 in Bogotá. The next Monday (23 March) is San José, moved from Thursday
# 19 March (Ley 51 de 1983), and 2–3 April are Holy Thursday and Good Friday.
FRIDAY_BEFORE_SAN_JOSE = datetime(2026, 3, 20, 10, 0, tzinfo=BOGOTA)
# A public authority or a private party performing public functions (Decreto 491 de 2020 bound those).
PUBLIC_FUNCTIONS = Settings(public_functions=True)


def end_of(y: int, m: int, d: int) -> datetime:
    """Midnight (the last instant) of a local day in Bogotá, in UTC: when a day term ends."""
    return CAL.end_of_day(date(y, m, d))


def _legal_co_entry_point():
    found = [ep for ep in entry_points(group="pqrs") if ep.name == "legal_co"]
    if not found:
        pytest.fail(f"the plugin legal_co is not installed; {INSTALL_HINT}")
    return found[0]


@pytest.fixture
def pqrs():
    _legal_co_entry_point()
    return in_memory_pqrs(load_entry_points=True, at=FRIDAY_BEFORE_SAN_JOSE)


def _file(pqrs, kind, **overrides):
    data = {"kind": kind, "subject": "Solicitud de prueba", "description": "Texto de la solicitud"}
    data.update(overrides)
    return pqrs.handle(FileCase(**data), AGENT)


def _started(pqrs, case) -> TermStarted:
    return [e for e in pqrs.history(str(case.filing_number)) if isinstance(e, TermStarted)][-1]


# --- installed and discovered -------------------------------------------------------------------------


def test_the_main_distribution_declares_the_legal_co_entry_point():
    ep = _legal_co_entry_point()
    assert ep.value == "pqrs_legal_co.plugin"
    assert ep.dist is not None and ep.dist.name == "openpqrs"


def test_get_plugin_manager_loads_it_from_the_entry_point():
    _legal_co_entry_point()
    import pqrs_legal_co.plugin

    pm = get_plugin_manager()
    assert pm.get_plugin("legal_co") is pqrs_legal_co.plugin
    for hook in ("pqrs_register_case_kinds", "pqrs_register_typifications", "pqrs_register_term_policies"):
        names = [impl.plugin_name for impl in getattr(pm.hook, hook).get_hookimpls()]
        assert "legal_co" in names, hook


def test_without_entry_points_the_plugin_is_not_loaded():
    pqrs = in_memory_pqrs(at=FRIDAY_BEFORE_SAN_JOSE)
    assert not PLUGIN_KINDS & pqrs.catalog().active_codes("kinds")
    assert _file(pqrs, "peticion").term_policy == "por_defecto"  # only the core's catch-all


@exercises("pqrs_register_case_kinds", "pqrs_register_typifications", "pqrs_register_term_policies")
def test_it_registers_the_kinds_the_typification_and_the_policies_each_with_its_source(pqrs):
    catalog = pqrs.catalog()
    kinds = {e.code: e.label for e in catalog.kinds if e.active}
    assert kinds["consulta"] == "Consulta"
    assert kinds["solicitud_documentos"] == "Solicitud de documentos e información"
    assert kinds["habeas_data_consulta"] == "Consulta de datos personales (habeas data)"
    assert kinds["habeas_data_reclamo"] == "Reclamo de datos personales (habeas data)"
    assert kinds["tutela"] == "Acción de tutela"
    assert {"peticion", "queja", "reclamo", "sugerencia", "denuncia", "felicitacion"} <= set(kinds)

    assert str(catalog.typifications.classify("SERVICIOS_PUBLICOS")) == "Servicios públicos domiciliarios"

    policies = {p.code: p for p in catalog.term_policies}
    assert POLICY_CODES <= set(policies)
    for code in POLICY_CODES:
        policy = policies[code]
        assert policy.active and policy.source, code
        assert all(rule.source for rule in policy.resolution), code
    assert "Ley 1755 de 2015" in policies["co_peticion_general"].source
    assert "Ley 1581 de 2012 art. 15" in policies["co_habeas_data_reclamo"].source
    assert "Ley 142 de 1994 art. 158" in policies["co_servicios_publicos"].source
    assert "Decreto 2591 de 1991" in policies["co_tutela"].source
    assert "No verificado" in policies["co_felicitacion"].source

    registrations = pqrs.registrations
    assert registrations.entries["kinds"]["consulta"][1] == "legal_co"
    assert registrations.typifications["SERVICIOS_PUBLICOS"][1] == "legal_co"
    assert {code for code, (_p, plugin) in registrations.term_policies.items() if plugin == "legal_co"} == (
        POLICY_CODES)


# --- deadlines on real dates ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["peticion", "queja", "reclamo", "sugerencia", "denuncia"])
def test_a_general_petition_gets_15_business_days_skipping_san_jose_and_holy_week(pqrs, kind):
    case = _file(pqrs, kind)
    # Received Friday 20 March 2026. Monday 23 is San José, so day 1 is Tuesday 24:
    # 24 25 26 27 (4), 30 31 1 Apr (7), Thursday 2 and Friday 3 are Holy Week,
    # 6 7 8 9 10 (12), 13 14 15 (15) → Wednesday 15 April 2026, at midnight.
    assert case.term_policy == "co_peticion_general"
    assert case.term == Term(15)
    assert case.resolution_due == end_of(2026, 4, 15)
    started = _started(pqrs, case)
    assert started.policy_label == "Petición general (CPACA art. 14)"
    assert "Ley 1437 de 2011 (CPACA) art. 14" in started.source and "Ley 1755 de 2015" in started.source


def test_the_general_extension_is_at_most_double(pqrs):
    number = str(_file(pqrs, "peticion").filing_number)
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(ExtendTerm(filing_number=number, reason="Se requiere concepto técnico", extra=16),
                    BACK_OFFICE)
    assert "15 días hábiles" in refused.value.errors["extra"]

    case = pqrs.handle(ExtendTerm(filing_number=number, reason="Se requiere concepto técnico"), BACK_OFFICE)
    # 15 + 15 = 30 business days from Tuesday 24 March: day 15 is Wednesday 15 April, then
    # 16 17 (17), 20–24 (22), 27–30 (26), Friday 1 May is Labour Day, 4 5 6 7 (30) → Thursday 7 May.
    assert case.extended_by == 15
    assert case.resolution_due == end_of(2026, 5, 7)


def test_documents_and_information_get_10_business_days(pqrs):
    case = _file(pqrs, "solicitud_documentos")
    # From Tuesday 24 March: 24–27 (4), 30 31 1 Apr (7), Holy Week, 6 7 8 (10) → Wednesday 8 April.
    assert (case.term_policy, case.term) == ("co_solicitud_documentos", Term(10))
    assert case.resolution_due == end_of(2026, 4, 8)
    assert "art. 14 num. 1" in _started(pqrs, case).source


def test_a_consulta_gets_30_business_days(pqrs):
    case = _file(pqrs, "consulta")
    # Day 15 is Wednesday 15 April (see the general petition); then 16 17 (17), 20–24 (22),
    # 27–30 (26), Friday 1 May is Labour Day, 4 5 6 7 (30) → Thursday 7 May 2026.
    assert (case.term_policy, case.term) == ("co_consulta", Term(30))
    assert case.resolution_due == end_of(2026, 5, 7)
    assert "art. 14 num. 2" in _started(pqrs, case).source


def test_a_habeas_data_consulta_gets_10_business_days_and_at_most_5_more(pqrs):
    case = _file(pqrs, "habeas_data_consulta")
    number = str(case.filing_number)
    # Ley 1581 art. 14 counts from the date of receipt: day 1 is Friday 20 March, Monday 23 is San José,
    # 24–27 (5), 30 31 1 April (8), Holy Thursday and Good Friday skipped, 6 (9), 7 (10)
    # → Tuesday 7 April 2026 (one business day before a term counted from the next day).
    assert (case.term_policy, case.term, case.resolution_due) == (
        "co_habeas_data_consulta", Term(10, start=TermStart.RECEPTION_DAY), end_of(2026, 4, 7))
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(ExtendTerm(filing_number=number, reason="Búsqueda en el archivo", extra=6), BACK_OFFICE)
    assert "5 días hábiles" in refused.value.errors["extra"]
    case = pqrs.handle(ExtendTerm(filing_number=number, reason="Búsqueda en el archivo"), BACK_OFFICE)
    # The default prórroga is the most allowed, 5 business days after the first term: 8 9 10 13 14
    # → Tuesday 14 April.
    assert (case.extended_by, case.resolution_due) == (5, end_of(2026, 4, 14))


def test_a_habeas_data_reclamo_gets_15_business_days_extendable_once_by_at_most_8(pqrs):
    case = _file(pqrs, "habeas_data_reclamo")
    number = str(case.filing_number)
    # Ley 1581 art. 15: 15 business days from the day after receipt → Wednesday 15 April 2026.
    assert (case.term_policy, case.term, case.resolution_due) == (
        "co_habeas_data_reclamo", Term(15), end_of(2026, 4, 15))
    assert "Ley 1581 de 2012 art. 15" in _started(pqrs, case).source

    with pytest.raises(ValidationError) as refused:
        pqrs.handle(ExtendTerm(filing_number=number, reason="Verificación con el área de cartera", extra=9),
                    BACK_OFFICE)
    assert refused.value.errors["extra"] == (
        "la prórroga de un término de 15 días hábiles admite como máximo 8 días hábiles")
    assert pqrs.case(number).extended_by == 0  # nothing was recorded

    case = pqrs.handle(ExtendTerm(filing_number=number, reason="Verificación con el área de cartera",
                                  extra=8), BACK_OFFICE)
    # 8 more business days after Wednesday 15 April: 16 17 (2), 20 21 22 23 24 (7), 27 (8)
    # → Monday 27 April 2026.
    assert (case.extended_by, case.resolution_due) == (8, end_of(2026, 4, 27))
    extended = [e for e in pqrs.history(number) if isinstance(e, TermExtended)]
    assert [(e.extra, e.due_before, e.due_after) for e in extended] == [
        (8, end_of(2026, 4, 15), end_of(2026, 4, 27))]

    with pytest.raises(InvalidOperation) as again:
        pqrs.handle(ExtendTerm(filing_number=number, reason="Otra vez", extra=1), BACK_OFFICE)
    assert "ya fue prorrogado" in str(again.value)
    assert pqrs.case(number).resolution_due == end_of(2026, 4, 27)


def test_a_home_utility_case_gets_the_ley_142_term(pqrs):
    case = _file(pqrs, "reclamo", typification="SERVICIOS_PUBLICOS")
    # Decreto-Ley 2150 art. 123 counts from the date of filing: day 1 is Friday 20 March, then as for
    # the consulta above, 7 April (10), 8 9 10 13 14 (15) → Tuesday 14 April, under Ley 142 art. 158 (more
    # specific than the general policy: kind and typification).
    assert (case.term_policy, case.resolution_due) == ("co_servicios_publicos", end_of(2026, 4, 14))
    assert "silencio administrativo positivo" in _started(pqrs, case).source

    # A sub-category the organisation adds under it keeps the utility term (a policy covers the sub-tree).
    pqrs.catalog_admin.add_typification("SP_FACTURACION", "Facturación", ADMIN, parent="SERVICIOS_PUBLICOS")
    billing = _file(pqrs, "peticion", typification="SP_FACTURACION")
    assert billing.term_policy == "co_servicios_publicos"

    # Typifying a general petition later moves it to the utility policy.
    other = _file(pqrs, "queja")
    assert other.term_policy == "co_peticion_general"
    other = pqrs.handle(TypifyCase(filing_number=str(other.filing_number), typification="SERVICIOS_PUBLICOS"),
                        AGENT)
    assert other.term_policy == "co_servicios_publicos"

    # A sugerencia is not a petición, queja or recurso of Ley 142: it keeps the general term.
    assert _file(pqrs, "sugerencia", typification="SERVICIOS_PUBLICOS").term_policy == "co_peticion_general"


@pytest.mark.parametrize(("kind", "typification"), [("queja", "SERVICIOS_PUBLICOS")])
def test_tutela_and_home_utility_terms_admit_no_extension(pqrs, kind, typification):
    # A tutela's terms (set by the judge) refuse it too: tests/plugins/test_legal_co_tutela.py.
    case = _file(pqrs, kind, typification=typification) if typification else _file(pqrs, kind)
    with pytest.raises(ValidationError) as refused:
        pqrs.handle(ExtendTerm(filing_number=str(case.filing_number), reason="Pruebas"), BACK_OFFICE)
    assert "no admite prórroga" in refused.value.errors["extra"]


def test_a_felicitacion_gets_15_business_days_by_organisational_policy(pqrs):
    case = _file(pqrs, "felicitacion")
    assert (case.term_policy, case.resolution_due) == ("co_felicitacion", end_of(2026, 4, 15))
    assert _started(pqrs, case).source.startswith("Política de la organización")


# --- the temporary rule of Decreto 491 de 2020 ----------------------------------------------------------


def test_a_petition_received_during_the_2020_emergency_gets_30_business_days():
    _legal_co_entry_point()
    pqrs = in_memory_pqrs(load_entry_points=True, at=datetime(2020, 5, 4, 9, 0, tzinfo=BOGOTA),
                          settings=PUBLIC_FUNCTIONS)
    case = _file(pqrs, "peticion")
    # Received Monday 4 May 2020 (Decreto 491 art. 5 in force). Day 1 is Tuesday 5 May:
    # 5–8 (4), 11–15 (9), 18–22 (14), Monday 25 is Ascension (moved), 26–29 (18), 1–5 June (23),
    # 8–12 (28), Monday 15 is Corpus Christi (moved), 16 17 (30) → Wednesday 17 June 2020.
    assert (case.term_policy, case.term) == ("co_peticion_general", Term(30))
    assert case.resolution_due == end_of(2020, 6, 17)
    assert "Decreto Legislativo 491 de 2020 art. 5" in _started(pqrs, case).source


def test_a_petition_received_after_the_emergency_gets_the_normal_term():
    _legal_co_entry_point()
    pqrs = in_memory_pqrs(load_entry_points=True, at=datetime(2023, 1, 10, 9, 0, tzinfo=BOGOTA))
    case = _file(pqrs, "peticion")
    # Received Tuesday 10 January 2023 (Reyes was Monday 9). Day 1 is Wednesday 11:
    # 11–13 (3), 16–20 (8), 23–27 (13), 30 31 (15) → Tuesday 31 January 2023.
    assert (case.term_policy, case.term) == ("co_peticion_general", Term(15))
    assert case.resolution_due == end_of(2023, 1, 31)
    assert "Ley 1755 de 2015" in _started(pqrs, case).source


@pytest.mark.parametrize(("received", "term"), [
    (date(2020, 3, 27), Term(15)),  # the day before Decreto 491 de 2020 was issued
    (date(2020, 3, 28), Term(30)),  # issued and in force (a Saturday: the reception date decides)
    (date(2022, 5, 17), Term(30)),  # Ley 2207 de 2022 promulgated; in force from the next day
    (date(2022, 5, 18), Term(15)),  # the CPACA terms are back
])
def test_the_temporary_rule_applies_by_reception_date(received, term):
    _legal_co_entry_point()
    pqrs = in_memory_pqrs(load_entry_points=True, at=datetime(2026, 3, 20, 10, 0, tzinfo=BOGOTA),
                          settings=PUBLIC_FUNCTIONS)
    case = _file(pqrs, "queja", received_at=datetime(received.year, received.month, received.day, 11, 0,
                                                     tzinfo=BOGOTA))
    assert case.term == term


@pytest.mark.parametrize(("kind", "term", "due"), [
    # Received Monday 4 May 2020, day 1 Tuesday 5 May: 5–8 (4), 11–15 (9), 18–22 (14), Monday 25 is
    # Ascension, 26 27 28 29 (18), 1 2 (20) → Tuesday 2 June 2020 (art. 5 num. 1, documents: 20).
    ("solicitud_documentos", Term(20), (2020, 6, 2)),
    # The 30 days above end Wednesday 17 June; then 18 19 (32), Monday 22 is Sacred Heart, 23 24 25
    # (35) → Thursday 25 June 2020 (art. 5 num. 2, consultas: 35).
    ("consulta", Term(35), (2020, 6, 25)),
])
def test_the_emergency_terms_for_documents_and_consultas(kind, term, due):
    _legal_co_entry_point()
    pqrs = in_memory_pqrs(load_entry_points=True, at=datetime(2020, 5, 4, 9, 0, tzinfo=BOGOTA),
                          settings=PUBLIC_FUNCTIONS)
    case = _file(pqrs, kind)
    assert (case.term, case.resolution_due) == (term, end_of(*due))
    assert "Decreto Legislativo 491 de 2020 art. 5" in _started(pqrs, case).source


@pytest.mark.parametrize(("kind", "term"), [("peticion", Term(15)), ("solicitud_documentos", Term(10)),
                                            ("consulta", Term(30))])
def test_an_organisation_without_public_functions_keeps_the_ordinary_terms_during_the_emergency(kind, term):
    _legal_co_entry_point()
    pqrs = in_memory_pqrs(load_entry_points=True, at=datetime(2020, 5, 4, 9, 0, tzinfo=BOGOTA))
    assert _file(pqrs, kind).term == term  # Decreto 491 bound only public functions (the default: off)


# --- disabling, catalog sync, overriding ----------------------------------------------------------------


def test_disabling_the_plugin_leaves_cases_without_these_terms():
    _legal_co_entry_point()
    pm = get_plugin_manager(disabled=["legal_co"])
    assert pm.get_plugin("legal_co") is None and pm.is_blocked("legal_co")

    pqrs = bootstrap(uow_factory=MemoryStore().unit_of_work, clock=FrozenClock(FRIDAY_BEFORE_SAN_JOSE),
                     plugin_manager=pm)
    catalog = pqrs.catalog()
    assert not POLICY_CODES & {p.code for p in catalog.term_policies}
    assert not PLUGIN_KINDS & catalog.active_codes("kinds")
    case = _file(pqrs, "peticion")
    assert (case.term_policy, case.term) == ("por_defecto", Term(15))  # the core's catch-all
    with pytest.raises(ValidationError) as refused:
        _file(pqrs, "consulta")
    assert "kind" in refused.value.errors


def test_disabling_it_later_deactivates_what_it_stored_and_past_cases_keep_their_deadlines():
    _legal_co_entry_point()
    store = MemoryStore()
    clock = FrozenClock(FRIDAY_BEFORE_SAN_JOSE)
    with_plugin = bootstrap(uow_factory=store.unit_of_work, clock=clock, plugin_manager=get_plugin_manager())
    stored = {p.code: p for p in with_plugin.catalog().term_policies}
    assert all(stored[code].active for code in POLICY_CODES)
    before = _file(with_plugin, "habeas_data_reclamo")

    without = bootstrap(uow_factory=store.unit_of_work, clock=clock,
                        plugin_manager=get_plugin_manager(disabled=["legal_co"]))
    catalog = without.catalog()
    stored = {p.code: p for p in catalog.term_policies}
    assert POLICY_CODES <= set(stored)  # kept, not deleted, so past deadlines stay explainable
    assert not any(stored[code].active for code in POLICY_CODES)
    assert not PLUGIN_KINDS & catalog.active_codes("kinds")
    assert not catalog.typifications.get("SERVICIOS_PUBLICOS").active

    assert _file(without, "peticion").term_policy == "por_defecto"
    past = without.case(str(before.filing_number))
    assert (past.term_policy, past.resolution_due) == ("co_habeas_data_reclamo", end_of(2026, 4, 15))

    again = bootstrap(uow_factory=store.unit_of_work, clock=clock, plugin_manager=get_plugin_manager())
    assert all(p.active for p in again.catalog().term_policies if p.code in POLICY_CODES)
    assert _file(again, "peticion").term_policy == "co_peticion_general"


def test_an_administrator_edit_of_a_policy_survives_the_sync():
    # Administrators edit policies in the catalog store (source "admin"); the sync never overwrites it.
    _legal_co_entry_point()
    store = MemoryStore()
    clock = FrozenClock(FRIDAY_BEFORE_SAN_JOSE)
    pqrs = bootstrap(uow_factory=store.unit_of_work, clock=clock, plugin_manager=get_plugin_manager())
    general = next(p for p in pqrs.catalog().term_policies if p.code == "co_peticion_general")
    with store.unit_of_work() as uow:
        uow.catalog.put_term_policy(attrs.evolve(general, resolution=(
            TermRule(Term(10), source="Política interna: 10 días hábiles"),)), ADMIN_SOURCE)
        uow.commit()

    pqrs = bootstrap(uow_factory=store.unit_of_work, clock=clock, plugin_manager=get_plugin_manager())
    case = _file(pqrs, "peticion")
    # 10 business days from Tuesday 24 March → Wednesday 8 April.
    assert (case.term_policy, case.term, case.resolution_due) == (
        "co_peticion_general", Term(10), end_of(2026, 4, 8))


class _UrgentComplaints:
    """An organisation's own plugin: blocking complaints are answered in 5 business days."""

    @hookimpl
    def pqrs_register_term_policies(self, register):
        register(TermPolicy("quejas_bloqueantes", "Quejas bloqueantes (acuerdo de servicio)",
                            (TermRule(Term(5), source="Acuerdo de nivel de servicio 2026"),),
                            kinds=("queja",), priorities=("bloqueante",)))


@exercises("pqrs_register_term_policies")
def test_a_plugin_with_a_more_specific_policy_overrides_the_legal_one():
    _legal_co_entry_point()
    pqrs = in_memory_pqrs(load_entry_points=True, at=FRIDAY_BEFORE_SAN_JOSE, plugins=[_UrgentComplaints()])
    urgent = _file(pqrs, "queja", priority="bloqueante")
    # 5 business days from Tuesday 24 March: 24 25 26 27 30 → Monday 30 March.
    assert (urgent.term_policy, urgent.resolution_due) == ("quejas_bloqueantes", end_of(2026, 3, 30))
    assert _file(pqrs, "queja", priority="media").term_policy == "co_peticion_general"
