"""The deadline workload: realistic term policies, cases and receptions, and the two filing paths.

Policies are the Colombian legal presets of ``pqrs_legal_co`` when that plugin is installed
(equivalents built here otherwise) plus two organisational service levels, ten in all, the way an
organisation running the plugin would have them. Receptions are random over 2024–2027: three in four
during office hours on a working weekday, the rest at any hour of any day (web form, e-mail).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from _figures import Figures

from pqrs_core.domain.calendar import BusinessCalendar
from pqrs_core.domain.case import Case
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.sla import Pause, TermPolicy, alarm_schedule, select_policy, shifted_deadline
from pqrs_core.domain.terms import Extension, Term, TermRule, TermUnit, rule_for
from pqrs_core.domain.typification import Typification
from pqrs_core.domain.values import FilingNumber, Requester
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.hookspecs import hookimpl
from pqrs_core.settings import Settings
from pqrs_core.testing import in_memory_pqrs, staff

BOGOTA = ZoneInfo("America/Bogota")
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2027, 12, 31)
AGENT = staff("ana", "agent")

# Share of cases per kind (a utility-like organisation; the legal kinds are rarer).
KIND_MIX = (("peticion", 30), ("queja", 22), ("reclamo", 22), ("sugerencia", 4), ("denuncia", 2),
            ("felicitacion", 3), ("consulta", 5), ("solicitud_documentos", 5), ("habeas_data_consulta", 2),
            ("habeas_data_reclamo", 2), ("tutela", 1))
CHANNELS = ("email", "web_form", "phone", "chat", "in_person", "physical_document", "api", "portal")
PRIORITIES = ("bloqueante", "alta", "media", "baja", None)
SERVICIOS_PUBLICOS = Typification("SERVICIOS_PUBLICOS", 1, ("Servicios públicos domiciliarios",),
                                  ("SERVICIOS_PUBLICOS",))
OTHER_TYPIFICATIONS = (
    Typification("ERROR_EN_LIQUIDACION_DE_LA_FACTURA", 1, ("Sistema", "Error en liquidación de la factura"),
                 ("SISTEMA", "ERROR_EN_LIQUIDACION_DE_LA_FACTURA")),
    Typification("PEDIDO_NO_RECIBIDO", 1, ("Operaciones", "Pedido no recibido"),
                 ("OPERACIONES", "PEDIDO_NO_RECIBIDO")),
)


# ---------------------------------------------------------------------------------------- policies
def legal_plugin() -> Any | None:
    """The ``pqrs_legal_co`` hook module when the plugin is installed."""
    try:
        from pqrs_legal_co import plugin
    except ImportError:
        return None
    return plugin


def legal_policies() -> list[TermPolicy]:
    """The plugin's legal presets, or equivalents (same terms, kinds and rules) without it."""
    try:
        from pqrs_legal_co.policies import term_policies
    except ImportError:
        return _equivalent_legal_policies()
    return term_policies()


def _equivalent_legal_policies() -> list[TermPolicy]:
    general = ("peticion", "queja", "reclamo", "sugerencia", "denuncia")
    double, none = Extension(), Extension(allowed=False)

    def one(code: str, amount: int, kinds: tuple[str, ...], ext: Extension | None = double,
            unit: TermUnit = TermUnit.BUSINESS_DAYS, **more: Any) -> TermPolicy:
        return TermPolicy(code, code, (TermRule(Term(amount, unit), extension=ext),), kinds=kinds, **more)

    return [
        TermPolicy("co_peticion_general", "general",
                   (TermRule(Term(15), extension=double),
                    TermRule(Term(30), valid_from=date(2020, 3, 28), valid_to=date(2022, 5, 16),
                             extension=double)), kinds=general),
        one("co_solicitud_documentos", 10, ("solicitud_documentos",)),
        one("co_consulta", 30, ("consulta",)),
        one("co_habeas_data_consulta", 10, ("habeas_data_consulta",), Extension(5)),
        one("co_habeas_data_reclamo", 15, ("habeas_data_reclamo",), Extension(8)),
        one("co_servicios_publicos", 15, ("peticion", "queja", "reclamo"), none,
            typifications=("SERVICIOS_PUBLICOS",)),
        one("co_tutela", 48, ("tutela",), none, TermUnit.CLOCK_HOURS),
        one("co_felicitacion", 15, ("felicitacion",), None),
    ]


def organisation_policies() -> list[TermPolicy]:
    """Two contractual service levels on top of the law: blocking cases answered first within 8
    business hours and resolved in 5 business days; complaints by chat acknowledged within 4
    business hours and resolved in 10 business days."""
    return [
        TermPolicy("sla_bloqueante", "Bloqueante (acuerdo de servicio)",
                   (TermRule(Term(5), extension=Extension(3)),),
                   first_response=(TermRule(Term(8, TermUnit.BUSINESS_HOURS)),),
                   kinds=("peticion", "queja", "reclamo"), priorities=("bloqueante",)),
        TermPolicy("sla_chat", "Chat (acuerdo de servicio)", (TermRule(Term(10)),),
                   first_response=(TermRule(Term(4, TermUnit.BUSINESS_HOURS)),),
                   kinds=("queja", "reclamo"), channels=("chat",)),
    ]


class OrganisationPolicies:
    """A plugin registering ``organisation_policies`` (and, without the legal plugin, its presets and
    the kinds they need)."""

    def __init__(self, with_legal_equivalents: bool) -> None:
        self.with_legal_equivalents = with_legal_equivalents

    @hookimpl
    def pqrs_register_term_policies(self, register: Callable[[Any], None]) -> None:
        for policy in organisation_policies():
            register(policy)
        if self.with_legal_equivalents:
            for policy in _equivalent_legal_policies():
                register(policy)

    @hookimpl
    def pqrs_register_case_kinds(self, register: Callable[[Any], None]) -> None:
        if self.with_legal_equivalents:
            from pqrs_core.domain.catalog import CatalogEntry

            for i, code in enumerate(("consulta", "solicitud_documentos", "habeas_data_consulta",
                                      "habeas_data_reclamo", "tutela")):
                register(CatalogEntry(code, code, "", position=20 + i))

    @hookimpl
    def pqrs_register_typifications(self, register: Callable[[Any], None]) -> None:
        if self.with_legal_equivalents:
            from pqrs_core.domain.typification import TypificationNode

            register(TypificationNode("SERVICIOS_PUBLICOS", "Servicios públicos domiciliarios", position=60))


def term_plugins() -> list[Any]:
    legal = legal_plugin()
    return [legal, OrganisationPolicies(False)] if legal is not None else [OrganisationPolicies(True)]


# ---------------------------------------------------------------------------------------- random data
def random_reception(rng: random.Random, first: date = FIRST_DAY, last: date = LAST_DAY) -> datetime:
    """Three in four during office hours (08:00–17:00) of a Monday–Friday, the rest at any time."""
    span = (last - first).days + 1
    while True:
        day = first + timedelta(days=rng.randrange(span))
        if rng.random() < 0.75:
            if day.weekday() >= 5:
                continue
            seconds = rng.randrange(8 * 3600, 17 * 3600)
        else:
            seconds = rng.randrange(86400)
        local = datetime(day.year, day.month, day.day, tzinfo=BOGOTA) + timedelta(seconds=seconds)
        return local.astimezone(UTC)


def pick_kind(rng: random.Random) -> str:
    return rng.choices([k for k, _ in KIND_MIX], weights=[w for _, w in KIND_MIX])[0]


def pick_typification(rng: random.Random, kind: str) -> Typification | None:
    roll = rng.random()
    if kind in ("peticion", "queja", "reclamo") and roll < 0.2:
        return SERVICIOS_PUBLICOS
    if roll < 0.65:
        return rng.choice(OTHER_TYPIFICATIONS)
    return None


def random_pauses(rng: random.Random, received: datetime) -> tuple[Pause, ...]:
    """0 pauses (60 %), 1 (30 %) or 2 (10 %): the requester owed information for hours to days."""
    roll = rng.random()
    count = 0 if roll < 0.6 else 1 if roll < 0.9 else 2
    pauses, cursor = [], received
    for _ in range(count):
        start = cursor + timedelta(hours=rng.uniform(2, 240))
        end = start + timedelta(hours=rng.uniform(1, 240))
        pauses.append(Pause(start, end))
        cursor = end
    return tuple(pauses)


@attrs.frozen
class Job:
    case: Case
    pauses: tuple[Pause, ...]
    extend: bool  # the organisation takes the prórroga (when the rule allows one)


def make_jobs(count: int, seed: int) -> list[Job]:
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    template = Case(id="bench", filing_number=FilingNumber("PQRS", 2026, 1), kind="peticion", subject="s",
                    description="d", workflow="generic", state="filed", state_category=StateCategory.TODO,
                    requester=Requester(), received_at=now, filed_at=now, filed_by="ana", created_at=now,
                    updated_at=now)
    jobs = []
    for _ in range(count):
        kind = pick_kind(rng)
        received = random_reception(rng)
        case = attrs.evolve(template, kind=kind, received_at=received, channel=rng.choice(CHANNELS),
                            priority=rng.choice(PRIORITIES), typification=pick_typification(rng, kind))
        jobs.append(Job(case, random_pauses(rng, received), rng.random() < 0.05))
    return jobs


# ---------------------------------------------------------------------------------------- figures
def deadline_of(job: Job, policies: list[TermPolicy], calendar: BusinessCalendar,
                fractions: tuple[float, ...]) -> tuple[datetime, datetime | None, int]:
    """What ``case_terms.term_started`` computes at filing: the policy, the resolution deadline after
    the pauses (and the prórroga when taken), the first-response deadline and the alarm schedule."""
    case = job.case
    day = calendar.local_date(case.received_at)
    chosen = select_policy(policies, case, day)
    assert chosen is not None, case.kind
    policy, rule = chosen
    extra = 0
    if job.extend and rule.extension is not None:
        extra = rule.extension.max_extra(rule.term)
    due = shifted_deadline(rule.term, case.received_at, calendar, job.pauses, extra=extra)
    first_due = None
    if policy.first_response:
        first_rule = rule_for(policy.first_response, day)
        if first_rule is not None:
            first_due = shifted_deadline(first_rule.term, case.received_at, calendar, job.pauses)
    alarms = alarm_schedule(case.received_at, due, calendar, fractions)
    return due, first_due, len(alarms)


def bench_deadlines(figures: Figures, count: int, seed: int) -> None:
    settings = Settings()
    calendar = settings.calendar
    fractions = settings.alarm_fractions
    policies = legal_policies() + organisation_policies()
    jobs = make_jobs(count, seed)

    began = time.perf_counter()
    for instant in (datetime(2024, 1, 2, 15, tzinfo=UTC), datetime(2027, 12, 30, 15, tzinfo=UTC)):
        calendar.add_business_hours(calendar.end_of_day(calendar.term_day(instant, 30)), 10)
    cold_ms = (time.perf_counter() - began) * 1000

    samples: list[int] = []
    clock = time.perf_counter_ns
    began = time.perf_counter()
    for job in jobs:
        t0 = clock()
        deadline_of(job, policies, calendar, fractions)
        samples.append(clock() - t0)
    elapsed = time.perf_counter() - began

    # Where the time goes: each step alone, over the same cases (totals only).
    stages: dict[str, float] = {}
    t0 = time.perf_counter()
    chosen = [select_policy(policies, j.case, calendar.local_date(j.case.received_at)) for j in jobs]
    stages["select_policy"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    dues = []
    for job, pick in zip(jobs, chosen, strict=True):
        assert pick is not None
        dues.append(shifted_deadline(pick[1].term, job.case.received_at, calendar, job.pauses))
    stages["shifted_deadline"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for job, due in zip(jobs, dues, strict=True):
        alarm_schedule(job.case.received_at, due, calendar, fractions)
    stages["alarm_schedule"] = time.perf_counter() - t0

    pauses = sum(len(j.pauses) for j in jobs)
    figures.add("deadlines", count=count, seconds=elapsed, samples_ns=samples, policies=len(policies),
                years="2024-2027", pauses_per_case=round(pauses / count, 3),
                stage_seconds={k: round(v, 4) for k, v in stages.items()}, cold_calendar_ms=round(cold_ms, 2))


def file_commands(count: int, seed: int,
                  typification_codes: list[str]) -> Iterator[tuple[FileCase, datetime]]:
    """``FileCase`` commands with their filing instants (a few minutes to hours after reception)."""
    rng = random.Random(seed)
    subjects = ("Cobro doble en la factura", "Pedido no recibido", "Corte del servicio sin aviso",
                "Solicitud de copia del contrato", "Actualización de datos personales",
                "Demora en la entrega")
    for i in range(count):
        kind = pick_kind(rng)
        received = random_reception(rng)
        typification = None
        roll = rng.random()
        if kind in ("peticion", "queja", "reclamo") and roll < 0.2:
            typification = "SERVICIOS_PUBLICOS"
        elif roll < 0.65 and typification_codes:
            typification = rng.choice(typification_codes)
        requester = Requester(full_name=f"Persona {i}", document_type="CC",
                              document_number=str(rng.randrange(10**9, 10**10)),
                              address="Calle 10 # 20-30, Bogotá", email=f"persona{i}@example.co")
        cmd = FileCase(kind=kind, subject=rng.choice(subjects), description="Descripción del caso " * 8,
                       requester=requester, channel=rng.choice(CHANNELS), priority=rng.choice(PRIORITIES),
                       typification=typification, received_at=received)
        yield cmd, received + timedelta(minutes=rng.uniform(1, 180))


def bench_filing(figures: Figures, count: int, growing: int, seed: int) -> None:
    """``Case.file`` (the domain path: validation, policy, deadlines, alarms, events) and the
    ``FileCase`` use case on the in-memory adapters with a term-policy plugin."""
    app = in_memory_pqrs(plugins=term_plugins(), at=datetime(2024, 1, 1, tzinfo=UTC))
    catalog = app.catalog()  # with the settings' calendar and alarm fractions, as handlers get it
    leaves = [n.code for n in catalog.typifications if not catalog.typifications.children(n.code)
              and n.code != "SERVICIOS_PUBLICOS"]
    commands = list(file_commands(count, seed, leaves))

    samples: list[int] = []
    clock = time.perf_counter_ns
    with_term = 0
    began = time.perf_counter()
    for i, (cmd, now) in enumerate(commands, start=1):
        t0 = clock()
        case = Case.file(cmd, catalog=catalog, case_id=str(uuid.uuid4()),
                         number=FilingNumber("PQRS", now.year, i), actor=AGENT, now=now)
        samples.append(clock() - t0)
        with_term += case.resolution_due is not None
    elapsed = time.perf_counter() - began
    figures.add("case_file_domain", count=count, seconds=elapsed, samples_ns=samples,
                policies=len(catalog.term_policies), with_deadline=with_term)

    # The use case (unit of work, catalog load, number, Case.file, notifications, add, commit) on
    # the in-memory store, put back to its just-bootstrapped state after every filing: the cost of a
    # filing, without the in-memory store's copying of everything it already holds (measured next).
    store_state = _memory_state(app)
    baseline = store_state.state
    frozen = app.deps.clock
    samples = []
    began = time.perf_counter()
    for cmd, now in commands:
        frozen.set(now)  # type: ignore[attr-defined]
        t0 = clock()
        app.handle(cmd, AGENT)
        samples.append(clock() - t0)
        store_state.state = baseline
    elapsed = time.perf_counter() - began
    figures.add("file_case_use_case_memory", count=count, seconds=elapsed, samples_ns=samples,
                note="in_memory_pqrs; store reset after each filing")

    # The same use case into one store that keeps every case: MemoryUnitOfWork deep-copies the whole
    # store on enter, commit and exit, so a filing costs O(cases already stored).
    if growing:
        samples = []
        began = time.perf_counter()
        for cmd, now in commands[:growing]:
            frozen.set(now)  # type: ignore[attr-defined]
            t0 = clock()
            app.handle(cmd, AGENT)
            samples.append(clock() - t0)
        elapsed = time.perf_counter() - began
        tail = samples[-max(1, growing // 10):]
        head = samples[:max(1, growing // 10)]
        figures.add("file_case_memory_growing_store", count=growing, seconds=elapsed, samples_ns=samples,
                    first_tenth_ms=round(sum(head) / len(head) / 1e6, 2),
                    last_tenth_ms=round(sum(tail) / len(tail) / 1e6, 2),
                    note="one in-memory store keeping every case: cost grows with the store")


def _memory_state(app: Any) -> Any:
    """The ``MemoryStore`` behind an ``in_memory_pqrs`` application."""
    with app.uow_factory() as uow:
        return uow._store  # noqa: SLF001 - a benchmark may look inside the fake
