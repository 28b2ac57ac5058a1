"""The built-in defaults, shipped as a plugin on the same hooks a third party uses.

Guards are code; the catalog entries come from the specification documents (``defaults_data``).
"""

from __future__ import annotations

from datetime import timedelta

from . import defaults_data
from .domain.workflow import GuardContext
from .hookspecs import Register, hookimpl


@hookimpl
def pqrs_register_case_kinds(register: Register) -> None:
    for entry in defaults_data.default_kinds():
        register(entry)


@hookimpl
def pqrs_register_reasons(register: Register) -> None:
    for entry in defaults_data.default_reasons():
        register(entry)


@hookimpl
def pqrs_register_channels(register: Register) -> None:
    for entry in defaults_data.default_channels():
        register(entry)


@hookimpl
def pqrs_register_document_types(register: Register) -> None:
    for entry in defaults_data.default_document_types():
        register(entry)


@hookimpl
def pqrs_register_root_causes(register: Register) -> None:
    for entry in defaults_data.default_root_causes():
        register(entry)


@hookimpl
def pqrs_register_priorities(register: Register) -> None:
    for priority in defaults_data.default_priorities():
        register(priority)


@hookimpl
def pqrs_register_queues(register: Register) -> None:
    for queue in defaults_data.default_queues():
        register(queue)


@hookimpl
def pqrs_register_roles(register: Register) -> None:
    for role in defaults_data.default_roles():
        register(role)


@hookimpl
def pqrs_register_typifications(register: Register) -> None:
    for node in defaults_data.default_typifications():
        register(node)


@hookimpl
def pqrs_register_term_policies(register: Register) -> None:
    for policy in defaults_data.default_term_policies():
        register(policy)


@hookimpl
def pqrs_register_workflows(register: Register) -> None:
    register(defaults_data.generic_workflow())


def within_counter_response_window(case: object, context: GuardContext) -> str | None:
    """Seed 002: a counter-response reopens the case only within N days of the response (3 by
    default, ``Settings.counter_response_window_days``); afterwards the requester calls the line."""
    responded_at = getattr(case, "responded_at", None)
    if responded_at is None:
        return "el caso no ha sido respondido"
    days = int(context.settings.get("counter_response_window_days", 3))
    if context.now - responded_at > timedelta(days=days):
        return f"pasaron más de {days} días desde la respuesta"
    return None


@hookimpl
def pqrs_register_guards(register: Register) -> None:
    register("within_counter_response_window", within_counter_response_window)
