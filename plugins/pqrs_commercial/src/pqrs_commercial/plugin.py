"""The hook implementations of the commercial plugin (entry point ``commercial``).

Each hook hands its items to the ``register`` callback; ``pqrs_core`` validates them, rejects
duplicates and brings them into the catalog store.
"""

from __future__ import annotations

from pqrs_core.hookspecs import Register, hookimpl

from . import catalog, guards, workflows


@hookimpl
def pqrs_register_case_kinds(register: Register) -> None:
    """Register ``nota_credito``, ``backorder`` and ``credito``."""
    for entry in catalog.case_kinds():
        register(entry)


@hookimpl
def pqrs_register_workflows(register: Register) -> None:
    """Register each special workflow with the kind that uses it."""
    register(workflows.credit_note_workflow(), kinds=[catalog.KIND_CREDIT_NOTE])
    register(workflows.backorder_workflow(), kinds=[catalog.KIND_BACKORDER])
    register(workflows.credit_request_workflow(), kinds=[catalog.KIND_CREDIT])


@hookimpl
def pqrs_register_guards(register: Register) -> None:
    """Register ``has_invoice_reference``, which the credit note's ``accept_note`` names."""
    register(workflows.HAS_INVOICE_REFERENCE, guards.has_invoice_reference)


@hookimpl
def pqrs_register_field_definitions(register: Register) -> None:
    """Register ``motivo_nota``, ``valor`` and ``numero_factura`` for credit/debit note requests."""
    for definition in catalog.field_definitions():
        register(definition)


@hookimpl
def pqrs_register_typifications(register: Register) -> None:
    """Register the «Notas» category and its two leaves."""
    for node in catalog.typifications():
        register(node)
