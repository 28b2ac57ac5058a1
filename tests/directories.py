"""Customer directories and invoice sources for tests: in memory, registered as a plugin would register
them (``pqrs_customer_directories``, ``pqrs_invoice_sources``), and able to fail or be slow."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from pqrs_core.hookspecs import Register, hookimpl
from pqrs_core.plugins import collect_registrations
from pqrs_core.ports_integration import Customer, Invoice
from pqrs_core.services.customers import same_document
from pqrs_core.services.messagebus import Pqrs


class Directory:
    """Finds by document number, e-mail, code or part of the name. ``down`` makes it raise, as a CRM
    that cannot be reached; ``stall`` makes it wait until ``release`` is set, as one that hangs."""

    def __init__(self, customers: Sequence[Customer], *, name: str = "crm", down: bool = False,
                 stall: bool = False) -> None:
        self.name = name
        self.customers = list(customers)
        self.down = down
        self.stall = stall
        self.release = threading.Event()
        self.questions: list[str] = []

    def _answer(self, question: str) -> None:
        self.questions.append(question)
        if self.down:
            raise ConnectionError("CRM caído")
        if self.stall:
            self.release.wait(10)

    def find(self, text: str, limit: int = 20) -> list[Customer]:
        self._answer(text)
        wanted = text.casefold()
        return [c for c in self.customers if same_document(c.document_number, text)
                or wanted in (c.customer_id.casefold(), (c.email or "").casefold())
                or wanted in c.name.casefold()][:limit]

    def get(self, customer_id: str) -> Customer | None:
        self._answer(customer_id)
        return next((c for c in self.customers if c.customer_id == customer_id), None)


class Invoices:
    name = "erp"

    def __init__(self, invoices: Sequence[Invoice], *, down: bool = False) -> None:
        self.invoices = list(invoices)
        self.down = down

    def invoices_for(self, customer_id: str) -> list[Invoice]:
        if self.down:
            raise TimeoutError("ERP sin respuesta")
        return [i for i in self.invoices if i.customer_id == customer_id]

    def invoice(self, number: str) -> Invoice | None:
        return next((i for i in self.invoices if i.number == number), None)


class IntegrationPlugin:
    def __init__(self, directories: Sequence[Directory], sources: Sequence[Invoices]) -> None:
        self.directories = directories
        self.sources = sources

    @hookimpl
    def pqrs_customer_directories(self, register: Register) -> None:
        for directory in self.directories:
            register(directory)

    @hookimpl
    def pqrs_invoice_sources(self, register: Register) -> None:
        for source in self.sources:
            register(source)


def install(pqrs: Pqrs, *directories: Directory, invoices: Sequence[Invoices] = ()) -> None:
    """Register ``directories`` and ``invoices`` on the running application."""
    pm = pqrs.plugin_manager
    assert pm is not None
    plugin = IntegrationPlugin(directories, invoices)
    pm.register(plugin, name=f"integration-{id(plugin)}")
    pqrs.registrations = collect_registrations(pm)
