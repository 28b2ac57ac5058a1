"""The hook implementations of the Colombian legal presets (entry point ``legal_co``).

Each hook hands its items to the ``register`` callback; ``pqrs_core`` validates them, rejects
duplicates and brings them into the catalog store. When the plugin is disabled or uninstalled, the
catalog sync deactivates what it stored, so new cases no longer get these terms.
"""

from __future__ import annotations

from pqrs_core.hookspecs import Register, hookimpl

from . import catalog, policies


@hookimpl
def pqrs_register_case_kinds(register: Register) -> None:
    """Register ``consulta``, ``solicitud_documentos``, ``habeas_data_consulta``,
    ``habeas_data_reclamo``, ``tutela``, ``recurso_reposicion`` and ``recurso_apelacion``."""
    for entry in catalog.case_kinds():
        register(entry)


@hookimpl
def pqrs_register_typifications(register: Register) -> None:
    """Register the «Servicios públicos domiciliarios» category (Ley 142 de 1994)."""
    for node in catalog.typifications():
        register(node)


@hookimpl
def pqrs_register_field_definitions(register: Register) -> None:
    """Register ``fecha_notificacion_decision`` for the recursos (their 5-day filing window)."""
    for definition in catalog.field_definitions():
        register(definition)


@hookimpl
def pqrs_register_term_policies(register: Register) -> None:
    """Register the legal term policies (see :mod:`pqrs_legal_co.policies` for terms and sources)."""
    for policy in policies.term_policies():
        register(policy)
