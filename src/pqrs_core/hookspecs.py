"""Every plugin hook of pqrs, each documented with what it receives, returns and when it is called.

Collection hooks hand the plugin a ``register`` callback; the core validates what is registered and
rejects duplicates, naming the plugins involved. A plugin implements hooks with ``hookimpl``::

    from pqrs_core.hookspecs import hookimpl
    from pqrs_core.domain.catalog import CatalogEntry

    @hookimpl
    def pqrs_register_case_kinds(register):
        register(CatalogEntry("tutela", "Acción de tutela"))

and declares itself in its ``pyproject.toml``::

    [project.entry-points.pqrs]
    my_plugin = "my_package.plugin"
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

hookspec = pluggy.HookspecMarker("pqrs")
hookimpl = pluggy.HookimplMarker("pqrs")

Register = Callable[..., None]


@hookspec
def pqrs_register_case_kinds(register: Register) -> None:
    """Register case kinds (tipos): ``register(CatalogEntry(code, label, description))``.

    Called when the catalog is synchronised (``pqrs init``, application start). Example::

        register(CatalogEntry("tutela", "Acción de tutela"))

    :param register: callback taking one ``CatalogEntry``.
    :return: nothing.
    """


@hookspec
def pqrs_register_reasons(register: Register) -> None:
    """Register reasons (motivos): ``register(CatalogEntry("PEDIDO_NO_ENTREGADO", "Pedido no entregado"))``.

    :param register: callback taking one ``CatalogEntry``.
    :return: nothing.
    """


@hookspec
def pqrs_register_channels(register: Register) -> None:
    """Register reception channels: ``register(CatalogEntry("whatsapp", "WhatsApp"))``.

    :param register: callback taking one ``CatalogEntry``.
    :return: nothing.
    """


@hookspec
def pqrs_register_document_types(register: Register) -> None:
    """Register identity document types: ``register(CatalogEntry("RC", "Registro civil"))``.

    :param register: callback taking one ``CatalogEntry``.
    :return: nothing.
    """


@hookspec
def pqrs_register_root_causes(register: Register) -> None:
    """Register root causes a closed case may be attributed to (the 5M of the Ishikawa diagram and any
    the organisation adds): ``register(CatalogEntry("PROVEEDOR", "Proveedor externo"))``.

    :param register: callback taking one ``CatalogEntry``.
    :return: nothing.
    """


@hookspec
def pqrs_register_priorities(register: Register) -> None:
    """Register priorities: ``register(Priority("critica", "Crítica", rank=0, important=True, urgent=True))``.

    :param register: callback taking one ``Priority``.
    :return: nothing.
    """


@hookspec
def pqrs_register_queues(register: Register) -> None:
    """Register queues (colas / niveles): ``register(Queue("juridica", "Jurídica", tier=3))``.

    :param register: callback taking one ``Queue``.
    :return: nothing.
    """


@hookspec
def pqrs_register_roles(register: Register) -> None:
    """Register roles: what their members may do (permissions) and which cases they see (scopes)::

        register(Role("juridica", "Área jurídica",
                      permissions=frozenset({"case.work", "case.note"}),
                      scopes=frozenset({"assigned", "role_match"}), kinds=("denuncia",)))

    Permissions are the values of ``pqrs_core.domain.access.Permission``; scopes those of ``Scope``.

    :param register: callback taking one ``Role``.
    :return: nothing.
    """


@hookspec
def pqrs_register_term_policies(register: Register) -> None:
    """Register term policies: for a combination of kinds, typifications, priorities and channels
    (empty: any), the resolution term and optionally a first-response term, each a list of
    ``TermRule`` objects with validity dates. The most specific matching policy applies to a case::

        register(TermPolicy("habeas_data_reclamo", "Reclamo de datos personales",
                            resolution=(TermRule(Term(15), source="Ley 1581 de 2012 art. 15",
                                                 extension=Extension(8)),),
                            kinds=("reclamo",), typifications=("DATOS_PERSONALES",)))

    :param register: callback taking one ``TermPolicy``.
    :return: nothing.
    """


@hookspec
def pqrs_register_typifications(register: Register) -> None:
    """Register typification nodes, parents before children::

        register(TypificationNode("TRANSPORTE", "Transporte"))
        register(TypificationNode("ORDEN_NO_LLEGO", "La orden no llegó", parent="TRANSPORTE"))

    :param register: callback taking one ``TypificationNode``.
    :return: nothing.
    """


@hookspec
def pqrs_register_workflows(register: Register) -> None:
    """Register workflows and the case kinds that use them::

        register(credit_note_workflow(), kinds=["nota_credito"])

    A workflow registered with no kinds is available but used by no kind until an administrator
    assigns it. The default plugin registers the ``generic`` workflow.

    :param register: callback ``register(workflow: Workflow, kinds: Sequence[str] = ())``.
    :return: nothing.
    """


@hookspec
def pqrs_register_guards(register: Register) -> None:
    """Register transition guards by name: ``register("has_invoice", fn)`` where
    ``fn(case, context) -> str | None`` returns ``None`` to allow or a Spanish reason to refuse.
    A workflow's transition names its guard in ``Transition.guard``.

    :param register: callback ``register(name: str, guard: Guard)``.
    :return: nothing.
    """


@hookspec
def pqrs_register_field_definitions(register: Register) -> None:
    """Register custom fields: ``register(FieldDefinition("lote", "Lote", FieldType.TEXT))``.
    Values of custom fields are validated against these definitions.

    :param register: callback taking one ``FieldDefinition``.
    :return: nothing.
    """


@hookspec
def pqrs_register_rules(register: Register) -> None:
    """Register routing rules (``pqrs_core.domain.rules``): when something happens to a case, if its
    conditions hold, apply its actions. Registered rules appear in «Administración › Reglas» like the
    administrator's; an administrator who edits one owns it from then on (the sync no longer changes
    it). A registered rule that changes makes a new version, so the history of past cases still names
    the version that acted::

        register(Rule(code="COBRO_DOBLE", name="Cobro doble a back office", trigger=Trigger.FILED,
                      conditions=(Condition("kind", Operator.IS, "reclamo"),
                                  Condition("subject", Operator.CONTAINS, "cobro doble")),
                      actions=(Action(ActionKind.SET_QUEUE, "back_office"),
                               Action(ActionKind.SET_PRIORITY, "alta")),
                      enabled=True, position=10))

    Called when the catalog is synchronised (``pqrs init``, application start).

    :param register: callback taking one ``Rule`` (its ``code`` is required and unique).
    :return: nothing.
    """


@hookspec
def pqrs_invoice_sources(register: Register) -> None:
    """Provide invoice sources (an ERP): ``register(source)`` where ``source`` implements
    ``pqrs_core.ports_integration.InvoiceSource`` (``invoices_for(customer_id)``, ``invoice(number)``).
    The sources list a customer's invoices and check the items involved in a case (an invoice no source
    knows is refused); the adapters call each with a deadline and cache its answers.

    Called when the application is bootstrapped.

    :param register: callback taking one invoice source.
    :return: nothing.
    """


@hookspec
def pqrs_customer_directories(register: Register) -> None:
    """Provide customer directories (a CRM): ``register(directory)`` where ``directory`` implements
    ``pqrs_core.ports_integration.CustomerDirectory`` (``find(text)``, ``get(customer_id)``).

    Called when the application is bootstrapped.

    :param register: callback taking one customer directory.
    :return: nothing.
    """


HOOK_NAMES: tuple[str, ...] = tuple(
    name for name, value in dict(globals()).items() if name.startswith("pqrs_") and callable(value)
)

__all__ = ["HOOK_NAMES", "Register", "hookimpl", "hookspec", *HOOK_NAMES]
