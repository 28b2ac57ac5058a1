"""What routing rules cost a filing: the same cases filed with no rules and with 200 enabled rules (a
realistic mix: most test the kind, words of the subject or description and the typification subtree,
a few match and act): the routing step alone (the core's cost, ``route``) and the whole filing use
case on a SQLite file, with its transaction. Prints one JSON line per figure, the per-case difference and a
Markdown table. Goal: at most 2 ms more per case.

    .venv/bin/python benchmarks/bench_rules.py [--cases 1000] [--rules 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import attrs  # noqa: E402
from _figures import Figures  # noqa: E402

from pqrs_adapters.sqlalchemy import make_engine, sql_uow_factory, upgrade  # noqa: E402
from pqrs_core.bootstrap import bootstrap  # noqa: E402
from pqrs_core.clock import FrozenClock  # noqa: E402
from pqrs_core.domain import commands as c  # noqa: E402
from pqrs_core.domain.case import Case  # noqa: E402
from pqrs_core.domain.routing import route  # noqa: E402
from pqrs_core.domain.rules import Action, Condition, Rule, Trigger  # noqa: E402
from pqrs_core.domain.values import Actor, FilingNumber, Requester  # noqa: E402
from pqrs_core.memory import MemoryFileStore  # noqa: E402
from pqrs_core.services.messagebus import Pqrs  # noqa: E402
from pqrs_core.testing import in_memory_pqrs  # noqa: E402

ADMIN = Actor("root", frozenset({"admin"}))
AGENT = Actor("ana", frozenset({"agent"}))
KINDS = ("peticion", "queja", "reclamo", "sugerencia")
LEAVES = ("PEDIDO_NO_RECIBIDO", "ERROR_EN_LIQUIDACION_DE_LA_FACTURA", "QUEJA_DE_CALIDAD",
          "MAYOR_FLETE_COBRADO")
CATEGORIES = ("OPERACIONES", "SISTEMA", "SERVICIO_AL_CLIENTE", "COMERCIAL", "FINANCIERA", "LEGALES")
WORDS = ("cobro doble", "factura", "pedido", "entrega", "tutela", "garantía", "devolución", "flete",
         "descuento", "calidad", "suplantación", "paz y salvo")
SUBJECTS = ("Cobro doble en la factura", "El pedido no llegó", "Producto de mala calidad",
            "Solicitud de paz y salvo", "Flete superior al pactado", "Descuento no aplicado")


def make_rules(count: int, rng: random.Random) -> list[Rule]:
    rules = []
    for i in range(count):
        # Every rule is about one kind and either some words or a typification subtree, as people
        # write them; with these cases two or three of the 200 fire on a filing.
        conditions = [Condition("kind", "is", rng.choice(KINDS))]
        if i % 2:
            conditions.append(Condition("text", "contains", rng.choice(WORDS)))
        else:
            conditions.append(Condition("typification", "under", rng.choice(CATEGORIES)))
            conditions.append(Condition("subject", "contains", rng.choice(WORDS)))
        if i % 5 == 0:
            conditions.append(Condition("channel", "in", "email,web_form,phone"))
        actions = [Action("add_tag", f"regla {i % 7}")]
        if i % 4 == 0:
            actions.append(Action("set_priority", rng.choice(("alta", "media", "baja"))))
        rules.append(Rule(code=f"R{i:03d}", name=f"Regla {i}", trigger="filed", conditions=tuple(conditions),
                          actions=tuple(actions), enabled=True, position=i + 1))
    return rules


def commands(count: int, rng: random.Random) -> list[c.FileCase]:
    return [c.FileCase(kind=rng.choice(KINDS), subject=rng.choice(SUBJECTS), channel="email",
                       description="El cliente reporta una novedad y pide que la revisen.",
                       typification=rng.choice(LEAVES), requester=Requester(full_name="Marta Gómez"))
            for _ in range(count)]


def time_filings(pqrs: Pqrs, filings: list[c.FileCase]) -> list[int]:
    samples = []
    for command in filings:
        began = time.perf_counter_ns()
        pqrs.handle(command, AGENT)
        samples.append(time.perf_counter_ns() - began)
    return samples


def run(make: Callable[[], Pqrs], rules: list[Rule], filings: list[c.FileCase],
        figures: Figures) -> dict[str, float]:
    """The whole filing use case on two SQLite files, one without rules and one with them, filing the
    same case in each in turn (so that the machine's other load weighs on both alike)."""
    plain, routed = make(), make()
    for rule in rules:
        routed.routing_admin.save_rule(rule, ADMIN)
    for app in (plain, routed):
        time_filings(app, filings[:20])  # warm up: caches, compiled statements
    samples: dict[str, list[int]] = {"none": [], "with": []}
    for command in filings:
        for label, app in (("none", plain), ("with", routed)):
            samples[label].extend(time_filings(app, [command]))
    medians = {}
    for label, app in (("none", plain), ("with", routed)):
        figures.add(f"filing_{label}_rules", count=len(samples[label]), seconds=sum(samples[label]) / 1e9,
                    samples_ns=samples[label], database="sqlite", rules=len(app.catalog().rules))
        medians[label] = statistics.median(samples[label]) / 1e6
    return medians


def core_step(rules: list[Rule], filings: list[c.FileCase], figures: Figures) -> dict[str, float]:
    """The routing step alone (``route``), on the cases just filed, without rules and with them."""
    pqrs = in_memory_pqrs()
    catalog = pqrs.deps.complete(pqrs.catalog())
    now = pqrs.deps.clock.now()
    medians = {}
    for label, with_rules in (("none", ()), ("with", tuple(rules))):
        routed = attrs.evolve(catalog, rules=with_rules)
        samples = []
        fired = 0
        for i, command in enumerate(filings):
            number = FilingNumber("PQRS", 2026, i + 1)
            case = Case.file(command, catalog=routed, case_id=str(i), number=number, actor=AGENT, now=now)
            began = time.perf_counter_ns()
            fired += len(route(case, Trigger.FILED, catalog=routed, now=now).fired)
            samples.append(time.perf_counter_ns() - began)
        figures.add(f"route_{label}_rules", count=len(samples), seconds=sum(samples) / 1e9,
                    samples_ns=samples, database="core", rules=len(with_rules),
                    fired_per_case=round(fired / len(filings), 2))
        medians[label] = statistics.median(samples) / 1e6
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rules", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(2026)
    rules = make_rules(args.rules, rng)
    filings = commands(args.cases, rng)
    figures = Figures("rules")
    differences = {}
    medians = core_step(rules, filings, figures)
    differences["routing step (core)"] = medians["with"] - medians["none"]
    with tempfile.TemporaryDirectory() as folder:
        count = 0

        def sqlite_app() -> Pqrs:
            nonlocal count
            count += 1
            url = f"sqlite:///{Path(folder) / f'pqrs{count}.sqlite3'}"
            upgrade(url)
            return bootstrap(uow_factory=sql_uow_factory(make_engine(url)), clock=FrozenClock(),
                             files=MemoryFileStore())

        medians = run(sqlite_app, rules, filings, figures)
        differences["filing on SQLite"] = medians["with"] - medians["none"]
    for store, extra in differences.items():
        print(f"{store}: {args.rules} active rules add {extra:.3f} ms per filing (median; goal ≤ 2 ms)")
    print(figures.markdown())


if __name__ == "__main__":
    main()
