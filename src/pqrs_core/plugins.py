"""The plugin manager factory and the collection of what plugins register.

No plugin manager exists at import time; ``get_plugin_manager()`` builds one. Built-in defaults are a
plugin too (``pqrs_core.default_plugin``) on the same hooks as everyone else's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .domain.access import Role
from .domain.catalog import LIST_NAMES, CatalogEntry, FieldDefinition, Priority, Queue
from .domain.errors import DuplicateRegistration, ValidationError
from .domain.rules import Rule
from .domain.sla import TermPolicy
from .domain.typification import TypificationNode
from .domain.workflow import Guard, Workflow
from .ports_integration import CustomerDirectory, InvoiceSource

ENTRY_POINT_GROUP = "pqrs"
DEFAULT_PLUGINS = ("pqrs_core.default_plugin",)


def get_plugin_manager(*, disabled: Iterable[str] = (), load_entry_points: bool = True,
                       extra: Iterable[Any] = ()) -> pluggy.PluginManager:
    """A plugin manager with the default plugin, the installed ``pqrs`` entry points (unless
    ``load_entry_points`` is false) and ``extra`` plugin objects; ``disabled`` names plugins to
    block (the adapters read them from ``PQRS_DISABLE_PLUGINS``)."""
    import importlib

    pm = pluggy.PluginManager("pqrs")
    pm.add_hookspecs(hookspecs)
    for name in disabled:
        pm.set_blocked(name)
    for module_name in DEFAULT_PLUGINS:
        if not pm.is_blocked(module_name):
            pm.register(importlib.import_module(module_name), name=module_name)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in extra:
        pm.register(plugin, name=plugin_name_of(plugin))
    pm.check_pending()
    return pm


def plugin_name_of(plugin: Any) -> str:
    """A readable name for a plugin object registered directly (a module, a class or an instance)."""
    name = getattr(plugin, "__name__", None)
    if isinstance(name, str):
        return name
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"


@attrs.define
class Registrations:
    """Everything the plugins registered, each item with the name of the plugin that registered it."""

    entries: dict[str, dict[str, tuple[CatalogEntry, str]]] = attrs.field(
        factory=lambda: {name: {} for name in LIST_NAMES})
    priorities: dict[str, tuple[Priority, str]] = attrs.field(factory=dict)
    queues: dict[str, tuple[Queue, str]] = attrs.field(factory=dict)
    typifications: dict[str, tuple[TypificationNode, str]] = attrs.field(factory=dict)
    workflows: dict[str, tuple[Workflow, tuple[str, ...], str]] = attrs.field(factory=dict)
    guards: dict[str, tuple[Guard, str]] = attrs.field(factory=dict)
    fields: dict[str, tuple[FieldDefinition, str]] = attrs.field(factory=dict)
    roles: dict[str, tuple[Role, str]] = attrs.field(factory=dict)
    term_policies: dict[str, tuple[TermPolicy, str]] = attrs.field(factory=dict)
    rules: dict[str, tuple[Rule, str]] = attrs.field(factory=dict)
    invoice_sources: list[InvoiceSource] = attrs.field(factory=list)
    customer_directories: list[CustomerDirectory] = attrs.field(factory=list)


def _keep(store: dict[str, Any], code: str, value: Any, plugin: str, what: str) -> None:
    if code in store:
        previous = store[code][-1]
        raise DuplicateRegistration(
            f"{what} «{code}» registrado por «{plugin}» ya lo registró «{previous}»")
    store[code] = value


def _call_each(pm: pluggy.PluginManager, hook_name: str,
               make_register: Callable[[str], Callable[..., None]]) -> None:
    """Call every implementation in pluggy's order (``tryfirst`` first, ``trylast`` last), each with a
    ``register`` bound to its plugin's name. Collection hooks take no wrappers."""
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    wrappers = [i.plugin_name for i in impls if i.hookwrapper or i.wrapper]
    if wrappers:
        raise ValidationError({"plugin": f"{hook_name} no admite wrappers: {', '.join(wrappers)}"})
    ordered = ([i for i in impls if i.tryfirst] + [i for i in impls if not (i.tryfirst or i.trylast)]
               + [i for i in impls if i.trylast])
    for impl in ordered:
        impl.function(register=make_register(impl.plugin_name))


def collect_registrations(pm: pluggy.PluginManager) -> Registrations:
    """Call every collection hook and gather the results, rejecting duplicates and wrong types."""
    reg = Registrations()

    def list_register(list_name: str) -> Callable[[str], Callable[..., None]]:
        def make(plugin: str) -> Callable[..., None]:
            def register(entry: CatalogEntry) -> None:
                _expect(entry, CatalogEntry, plugin)
                _keep(reg.entries[list_name], entry.code, (entry, plugin), plugin, "El valor")
            return register
        return make

    for hook, list_name in (("pqrs_register_case_kinds", "kinds"), ("pqrs_register_reasons", "reasons"),
                            ("pqrs_register_channels", "channels"),
                            ("pqrs_register_document_types", "document_types"),
                            ("pqrs_register_root_causes", "root_causes")):
        _call_each(pm, hook, list_register(list_name))

    def simple(store: dict[str, Any], cls: type, what: str) -> Callable[[str], Callable[..., None]]:
        def make(plugin: str) -> Callable[..., None]:
            def register(item: Any) -> None:
                _expect(item, cls, plugin)
                _keep(store, item.code, (item, plugin), plugin, what)
            return register
        return make

    _call_each(pm, "pqrs_register_priorities", simple(reg.priorities, Priority, "La prioridad"))
    _call_each(pm, "pqrs_register_queues", simple(reg.queues, Queue, "La cola"))
    _call_each(pm, "pqrs_register_field_definitions", simple(reg.fields, FieldDefinition, "El campo"))
    _call_each(pm, "pqrs_register_roles", simple(reg.roles, Role, "El rol"))
    _call_each(pm, "pqrs_register_term_policies",
               simple(reg.term_policies, TermPolicy, "La política de términos"))
    _call_each(pm, "pqrs_register_rules", simple(reg.rules, Rule, "La regla"))

    def typification(plugin: str) -> Callable[..., None]:
        def register(node: TypificationNode) -> None:
            _expect(node, TypificationNode, plugin)
            if node.parent is not None and node.parent not in reg.typifications:
                raise ValidationError({"typification.parent": (
                    f"«{plugin}» registró «{node.code}» antes que su padre «{node.parent}»")})
            _keep(reg.typifications, node.code, (node, plugin), plugin, "La tipificación")
        return register

    _call_each(pm, "pqrs_register_typifications", typification)

    def workflow(plugin: str) -> Callable[..., None]:
        def register(wf: Workflow, kinds: Sequence[str] = ()) -> None:
            _expect(wf, Workflow, plugin)
            _keep(reg.workflows, wf.code, (wf, tuple(kinds), plugin), plugin, "El flujo")
        return register

    _call_each(pm, "pqrs_register_workflows", workflow)

    def guard(plugin: str) -> Callable[..., None]:
        def register(name: str, fn: Guard) -> None:
            if not callable(fn):
                raise ValidationError({"guard": f"«{plugin}» registró «{name}» sin una función"})
            _keep(reg.guards, name, (fn, plugin), plugin, "La condición")
        return register

    _call_each(pm, "pqrs_register_guards", guard)

    def collector(target: list[Any]) -> Callable[[str], Callable[..., None]]:
        def make(plugin: str) -> Callable[..., None]:
            return target.append
        return make

    _call_each(pm, "pqrs_invoice_sources", collector(reg.invoice_sources))
    _call_each(pm, "pqrs_customer_directories", collector(reg.customer_directories))
    _check_workflows(reg)
    return reg


def _check_workflows(reg: Registrations) -> None:
    """Every guard a transition names is registered, and no kind is claimed by two workflows."""
    problems: dict[str, str] = {}
    claimed: dict[str, str] = {}
    for code, (workflow, kinds, plugin) in reg.workflows.items():
        for transition in workflow.transitions:
            if transition.guard is not None and transition.guard not in reg.guards:
                problems[f"workflow.{code}.{transition.name}"] = (
                    f"la condición «{transition.guard}» no está registrada (plugin «{plugin}»)")
        for kind in kinds:
            if kind in claimed:
                raise DuplicateRegistration(
                    f"El tipo «{kind}» lo reclaman los flujos «{claimed[kind]}» y «{code}»")
            claimed[kind] = code
    if problems:
        raise ValidationError(problems)


def _expect(item: Any, cls: type, plugin: str) -> None:
    if not isinstance(item, cls):
        raise ValidationError({"plugin": f"«{plugin}» registró {item!r}, que no es un {cls.__name__}"})
