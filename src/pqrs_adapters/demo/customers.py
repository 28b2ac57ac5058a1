"""The demo's customer directory: the customers of the demo cases (``pqrs demo``, seed 7 by default) as a
CRM would know them, with commercial data (rank, commercial status, sponsor, balance, credit limit), so
that the new-case form's search, the public form's matching by document and the 360° pages
(``/clientes/<documento>``) have something to show.

It is a plugin object like any directory plugin (``pqrs_customer_directories``); the application
registers it only with ``PQRS_DEMO_CUSTOMERS=1`` (``make run`` sets it). It answers from memory.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

from pqrs_core.domain.values import Requester, RequesterKind
from pqrs_core.hookspecs import Register, hookimpl
from pqrs_core.ports_integration import Customer
from pqrs_core.services.customers import same_document

from .loader import _People

DEFAULT_SEED = 7
RANKS = ("Bronce", "Plata", "Oro", "Diamante")
STATUSES = ("Activo", "Activo", "Activo", "Inactivo", "Bloqueado por cartera")
SEGMENTS = ("Hogar", "Ferreterías", "Distribuidor mayorista", "Consultora independiente", "Empresarial")
SPONSORS = ("Diana Castaño (diana.consultora)", "Carlos Mejía", "Luz Marina Ortiz", "Sin patrocinador")


def pesos(value: int) -> str:
    """Colombian pesos as people write them: ``$ 1.250.000``."""
    return "$ " + f"{value:,}".replace(",", ".")


def commercial_data(customer_id: str) -> tuple[tuple[str, str], ...]:
    """Commercial data for ``customer_id``, the same every time."""
    r = random.Random(int.from_bytes(hashlib.sha256(customer_id.encode()).digest()[:8], "big"))
    limit = r.choice((2, 3, 5, 8, 10, 15, 20)) * 1_000_000
    balance = r.randint(0, limit // 10_000) * 10_000
    return (("Rango", r.choice(RANKS)), ("Estado comercial", r.choice(STATUSES)),
            ("Segmento", r.choice(SEGMENTS)), ("Patrocinador", r.choice(SPONSORS)),
            ("Cupo de crédito", pesos(limit)), ("Saldo en cartera", pesos(balance)),
            ("Cliente desde", str(r.randint(2012, 2025))))


def as_customer(requester: Requester) -> Customer:
    assert requester.customer_id is not None
    return Customer(customer_id=requester.customer_id, name=requester.full_name or requester.customer_id,
                    document_type=requester.document_type, document_number=requester.document_number,
                    email=requester.email, phone=requester.phone, address=requester.address,
                    commercial=commercial_data(requester.customer_id))


JUAN = Customer(
    customer_id="CLI-010245", name="Juan Pérez", document_type="CC", document_number="80123456",
    email="juan.perez@example.com", phone="+57 310 555 0101", address="Calle 100 # 15-20 apto 301, Bogotá",
    branches=("Bogotá - Calle 100",),
    commercial=(("Rango", "Oro"), ("Estado comercial", "Activo"), ("Segmento", "Consultora independiente"),
                ("Patrocinador", "Diana Castaño (diana.consultora)"), ("Cupo de crédito", pesos(8_000_000)),
                ("Saldo en cartera", pesos(1_250_000)), ("Cliente desde", "2019")))


def demo_customers(seed: int = DEFAULT_SEED) -> tuple[Customer, ...]:
    """The customers among the demo's requesters for ``seed`` (the loader draws its pool of requesters
    first from ``random.Random(seed)``), Juan Pérez first."""
    people = _People(random.Random(seed))
    found: dict[str, Customer] = {JUAN.customer_id: JUAN}
    for requester in people.pool:
        if requester.kind is RequesterKind.CUSTOMER and requester.customer_id:
            found.setdefault(requester.customer_id, as_customer(requester))
    return tuple(found.values())


class DemoDirectory:
    """A ``CustomerDirectory`` over ``customers``."""

    name = "demo"

    def __init__(self, customers: Sequence[Customer]) -> None:
        self.customers = tuple(customers)
        self._by_id = {c.customer_id: c for c in self.customers}

    def find(self, text: str, limit: int = 20) -> Sequence[Customer]:
        wanted = text.strip().casefold()
        if not wanted:
            return []
        return [c for c in self.customers
                if same_document(c.document_number, text) or wanted == c.customer_id.casefold()
                or wanted == (c.email or "").casefold() or (len(wanted) >= 3 and wanted in c.name.casefold())
                ][:limit]

    def get(self, customer_id: str) -> Customer | None:
        return self._by_id.get(customer_id)


class DemoCustomersPlugin:
    """Registers the demo directory (built on first use: it replays the demo's pool of requesters)."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.seed = seed

    @hookimpl
    def pqrs_customer_directories(self, register: Register) -> None:
        register(DemoDirectory(demo_customers(self.seed)))
