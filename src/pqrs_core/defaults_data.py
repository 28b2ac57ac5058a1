"""Default catalog data, taken from the product's specification documents (its seeds, numbered 000 to 004).

* seed 000 (Siesa CRM, «Módulo de PQRS»): the default reasons (motivos) and priorities;
* seed 002 («Gestión de PQR»): the filing and response process the generic workflow follows;
* seed 003 (S4DS): the typification table (7.2.3.1), the Eisenhower matrix (6.3.4), the queues (6.3.8)
  and the communication channels (6.3.5, 7.2.2).

Pure data: every function returns a fresh list (or object) that the catalog store loads as the
initial configuration; an administrator edits it afterwards at run time.
"""

from __future__ import annotations

from pqrs_core.domain.access import Permission, Role, Scope
from pqrs_core.domain.catalog import CatalogEntry, Priority, Queue
from pqrs_core.domain.sla import TermPolicy
from pqrs_core.domain.terms import Term, TermRule
from pqrs_core.domain.text import slug
from pqrs_core.domain.typification import TypificationNode
from pqrs_core.domain.workflow import State, StateCategory, Transition, Workflow


def _entries(rows: list[tuple[str, str, str]]) -> list[CatalogEntry]:
    """Catalog entries from ``(code, label, description)`` rows, positioned 1..n in order."""
    return [
        CatalogEntry(code=code, label=label, description=description, position=position)
        for position, (code, label, description) in enumerate(rows, start=1)
    ]


# --- simple lists -----------------------------------------------------------------------------------


def default_kinds() -> list[CatalogEntry]:
    """The kinds of case (PQRSD + felicitación)."""
    return _entries([
        ("peticion", "Petición",
         "Solicitud de información, documentos, servicios o actuaciones dirigida a la organización."),
        ("queja", "Queja",
         "Manifestación de inconformidad por la conducta o la atención de una persona de la organización."),
        ("reclamo", "Reclamo",
         "Manifestación de inconformidad por la prestación deficiente o irregular de un producto o "
         "servicio."),
        ("sugerencia", "Sugerencia",
         "Propuesta para mejorar un producto, un servicio o un proceso de la organización."),
        ("denuncia", "Denuncia",
         "Puesta en conocimiento de una conducta posiblemente irregular para que se investigue."),
        ("felicitacion", "Felicitación",
         "Manifestación de satisfacción o reconocimiento por un producto, un servicio o una persona."),
    ])


# Seed 000, «Motivo»: the labels exactly as written there (including «Naciones»).
_SEED_REASONS = (
    "Calidad Producto Importado",
    "Calidad Producto Naciones",
    "Pedido no entregado",
    "Pedido incompleto",
    "Servicio del ejecutivo",
    "Entrega no coincide con lo pedido",
)


def default_reasons() -> list[CatalogEntry]:
    """Seed 000's default reasons (motivos), codes derived with :func:`slug`."""
    return _entries([(slug(label), label, "") for label in _SEED_REASONS])


def default_channels() -> list[CatalogEntry]:
    """Channels through which cases arrive (seed 003 6.3.5 and 7.2.2, seed 002)."""
    return _entries([
        ("email", "Correo electrónico", ""),
        ("web_form", "Formulario web", ""),
        ("phone", "Teléfono", ""),
        ("chat", "Chat / bot", ""),
        ("in_person", "Presencial", ""),
        ("physical_document", "Documento físico", ""),
        ("api", "API", ""),
        ("portal", "Portal de clientes", ""),
    ])


def default_document_types() -> list[CatalogEntry]:
    """Colombian identity document types."""
    return _entries([
        ("CC", "Cédula de ciudadanía", ""),
        ("CE", "Cédula de extranjería", ""),
        ("TI", "Tarjeta de identidad", ""),
        ("PA", "Pasaporte", ""),
        ("NIT", "NIT", ""),
        ("PEP", "Permiso especial de permanencia", ""),
        ("PPT", "Permiso por protección temporal", ""),
    ])


def default_root_causes() -> list[CatalogEntry]:
    """The 5M (six, with measurement) of the Ishikawa diagram that seed 000 asks cause analysis by."""
    return _entries([
        ("METODO", "Método", "El procedimiento, la política o la forma de hacer el trabajo."),
        ("MANO_DE_OBRA", "Mano de obra", "Las personas: conocimiento, entrenamiento, atención."),
        ("MATERIAL", "Material", "Los insumos, los productos o la información recibida."),
        ("MAQUINA", "Máquina", "Los equipos, los sistemas y las herramientas."),
        ("MEDIO_AMBIENTE", "Medio ambiente", "El entorno: condiciones externas, clima, lugar de trabajo."),
        ("MEDICION", "Medición", "Los datos, los indicadores y los instrumentos de medida."),
    ])


# --- priorities and queues --------------------------------------------------------------------------


def default_priorities() -> list[Priority]:
    """Seed 000's priorities, each in one cell of seed 003's Eisenhower matrix (6.3.4)."""
    return [
        Priority(code="bloqueante", label="Bloqueante", rank=1, important=True, urgent=True),
        Priority(code="alta", label="Alta", rank=2, important=True, urgent=False),
        Priority(code="media", label="Media", rank=3, important=False, urgent=True),
        Priority(code="baja", label="Baja", rank=4, important=False, urgent=False),
    ]


def default_queues() -> list[Queue]:
    """Attention levels (seed 003 6.3.8; seed 002 calls the back office the «Segundo Nivel»)."""
    return [
        Queue(code="primer_nivel", label="Primer nivel", tier=1,
              description="Casos que pueden gestionarse de manera fácil por asesores con conocimientos "
                          "básicos o generales; se atienden siempre en el primer nivel."),
        Queue(code="back_office", label="Back office (segundo nivel)", tier=2,
              description="Casos más complejos que se escalan desde el primer nivel para ser atendidos "
                          "por asesores con conocimientos más específicos."),
        Queue(code="especialistas", label="Especialistas", tier=3,
              description="Casos de mayor complejidad técnica que requieren asesores con conocimientos "
                          "especializados."),
    ]


# --- terms --------------------------------------------------------------------------------------------

# CPACA (Ley 1437 de 2011) art. 14, as set by Ley 1755 de 2015: "salvo norma legal especial [...] toda
# petición deberá resolverse dentro de los quince (15) días siguientes a su recepción".
DEFAULT_TERM_SOURCE = (
    "Término por defecto: Ley 1437 de 2011 (CPACA) art. 14, sustituido por la Ley 1755 de 2015, 15 días "
    "hábiles siguientes a la recepción, salvo norma especial o una política más específica.")


def default_term_policies() -> list[TermPolicy]:
    """The catch-all term (``fallback``): it names no kind, typification, priority or channel, so it
    applies to every case, of any kind an organisation or a plugin adds, that no other policy covers.
    An administrator edits it like any other policy."""
    return [TermPolicy("por_defecto", "Término por defecto (CPACA art. 14)",
                       resolution=(TermRule(Term(15), source=DEFAULT_TERM_SOURCE),),
                       source=DEFAULT_TERM_SOURCE, fallback=True)]


# --- typification ------------------------------------------------------------------------------------

# Seed 003 (7.2.3.1), table «TIPIFICACIÓN»: (CASO, CATEGORÍA, DESCRIPCIÓN) in table order; CASO and
# CATEGORÍA in sentence case, DESCRIPCIÓN verbatim.
_TYPIFICATION_TABLE = (
    ("Cambio y devolución sin aplicar", "Cambios y devoluciones",
     "Cuando se genera un cambio y devolución y el cliente argumenta no verlo aplicado en su cuenta "
     "corriente por algún motivo"),
    ("Solicitud de cambios y devoluciones", "Cambios y devoluciones",
     "Cuando el cliente manifiesta que desea un cambio o una devolución."),
    ("Derecho de petición", "Legales",
     "Cuando el cliente por algún motivo siente que no se le da respuesta oportuna o adecuada y recurre "
     "a términos legales"),
    ("Error en liquidación de la factura", "Sistema",
     "Cuando el cliente manifiesta que su factura tiene algún problema que no es causado por el mismo "
     "cliente"),
    ("Fraude suplantación de identidad", "Comercial",
     "Cuando el cliente manifiesta que alguien lo está suplantando y que él no es quien realiza los "
     "pedidos"),
    ("Mayor flete cobrado", "Sistema",
     "Cuando el cliente manifiesta que el flete es distinto a lo pactado por él"),
    ("Cliente no hizo pedido", "Comercial",
     "Cuando un cliente manifiesta que le llegó un pedido que el mismo no hizo"),
    ("Pago sin identificar", "Financiera",
     "Cuando se tienen pagos sin identificar a que cliente pertenecen"),
    ("Pedido no recibido", "Operaciones",
     "El cliente manifiesta que hizo pedido y no ha sido entregado aún"),
    ("Pedido recibido sin solicitarlo", "Operaciones",
     "Cliente que recibió el pedido aun sin solicitarlo"),
    ("Productos recibidos diferente a lo solicitado", "Operaciones",
     "Cuando el cliente manifiesta que le llegó un producto distinto al que lo solicitó"),
    ("Queja de calidad", "Servicio al cliente",
     "Todas las quejas de calidad asociadas a los productos o a los servicios"),
    ("Queja de entrega de pedidos", "Operaciones",
     "El cliente se queja por alguna parte del proceso de entrega de pedidos"),
    ("Queja de funcionario de agencia de cobranza", "Financiera",
     "Cuando se otorga crédito y las gestiones de cobro generan insatisfacción de los clientes"),
    ("Queja de funcionario de la compañía", "Operaciones",
     "Cuando un cliente se queja de la mala atención de algún funcionario de la compañía"),
    ("Reclamo producto facturado y no enviado", "Operaciones",
     "Cuando un cliente asegura que un producto que estaba dentro de su factura y fue cobrado, pero no "
     "le llegó con su pedido"),
    ("Reclamo proceso de facturación", "Operaciones",
     "Cuando el cliente tiene dificultades con la facturación de su pedido"),
    ("Solicitud actualización de datos", "Servicio al cliente",
     "Cuando el cliente necesita actualizar datos que no son modificables por el mismo"),
    ("Solicitud paz y salvo y referencia comerciales", "Servicio al cliente",
     "Solicitudes de paz y salvo en caso de reportes o asignaciones de crédito"),
    ("Solicitud posible nuevo cliente", "Comercial",
     "Cuando por parte de servicio al cliente se crean casos para revisar posibles nuevos clientes"),
    ("Dificultades con pedidos", "Servicio al cliente",
     "Todas las dificultades relacionadas con la captura o la toma de los pedidos."),
    ("Sugerencia y/o felicitaciones", "Servicio al cliente",
     "Sugerencias y felicitaciones de todo tipo"),
)


def default_typifications() -> list[TypificationNode]:
    """Seed 003's table: categories as roots (in order of first appearance), then the 22 cases."""
    roots: list[TypificationNode] = []
    for _case, category, _description in _TYPIFICATION_TABLE:
        if all(root.label != category for root in roots):
            roots.append(TypificationNode(code=slug(category), label=category, position=len(roots) + 1))
    leaves = [
        TypificationNode(code=slug(case), label=case, parent=slug(category), description=description,
                         position=position)
        for position, (case, category, description) in enumerate(_TYPIFICATION_TABLE, start=1)
    ]
    return [*roots, *leaves]


# --- workflow ----------------------------------------------------------------------------------------

_SUPERVISOR = frozenset({"supervisor"})
_STAFF = frozenset({"agent", "back_office", "supervisor"})
_STAFF_AND_REQUESTER = frozenset({"requester", "agent", "back_office", "supervisor"})
_BACK_OFFICE = frozenset({"back_office", "supervisor"})
_AGENT = frozenset({"agent", "supervisor"})

_GENERIC_DESCRIPTION = (
    "Proceso de radicación y respuesta de PQR (documento semilla 002, «Gestión de PQR»): el asesor "
    "recibe la solicitud, la resuelve en primera instancia si puede o la radica y la tipifica; el "
    "supervisor reparte los casos radicados al back office, que revisa la tipificación (si no es "
    "correcta devuelve el caso al asesor para que lo re-tipifique), solicita al peticionario la "
    "información que falte y emite la respuesta por correo electrónico. El peticionario puede enviar "
    "una contrarrespuesta dentro del plazo configurado (tres días en el documento), lo que reabre el caso."
)


def generic_workflow() -> Workflow:
    """The generic workflow (seed 003 «ISSUE GENERIC FLOW», with seed 002's process)."""
    todo, doing, waiting, done = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING,
                                  StateCategory.DONE)
    states = (
        State("filed", "Radicado", todo),
        State("assigned", "Asignado", todo),
        State("in_progress", "En progreso", doing),
        State("waiting_requester", "Esperando información del peticionario", waiting),
        State("returned", "Devuelto para re-tipificar", todo),
        State("responded", "Respondido", done),
        State("closed", "Cerrado", done),
        State("withdrawn", "Desistimiento tácito", done),
        State("transferred", "Trasladado por competencia", done),
    )
    transitions = (
        Transition("assign", "Asignar", ("filed",), "assigned", _SUPERVISOR),
        Transition("start", "Iniciar gestión", ("filed", "assigned"), "in_progress", _STAFF),
        # Also from filing: Ley 1755 de 2015 art. 17 has an incomplete petition completed "dentro de
        # los diez (10) días siguientes a la fecha de radicación", before anyone starts working on it.
        Transition("request_information", "Solicitar información", ("filed", "assigned", "in_progress"),
                   "waiting_requester", _STAFF),
        Transition("requester_replied", "Respuesta del peticionario", ("waiting_requester",),
                   "in_progress", _STAFF_AND_REQUESTER),
        Transition("respond", "Responder", ("assigned", "in_progress"), "responded", _STAFF),
        Transition("close", "Cerrar", ("responded",), "closed", _STAFF),
        Transition("return_for_retypification", "Devolver para re-tipificar", ("assigned", "in_progress"),
                   "returned", _BACK_OFFICE),
        Transition("resubmit", "Reenviar tras re-tipificar", ("returned",), "filed", _AGENT),
        Transition("reopen", "Reabrir", ("responded", "closed"), "in_progress", _STAFF_AND_REQUESTER,
                   guard="within_counter_response_window"),
        Transition("resolve_at_first_contact", "Resuelto en primer contacto", ("filed",), "closed",
                   _STAFF),
        # Ley 1755 de 2015 art. 17: the requester did not complete the petition in time.
        Transition("withdraw", "Declarar desistimiento tácito", ("waiting_requester",), "withdrawn",
                   _BACK_OFFICE),
        # Ley 1755 de 2015 art. 21: the organisation is not competent; it forwards the petition.
        Transition("transfer", "Trasladar por competencia", ("filed", "assigned", "in_progress", "returned"),
                   "transferred", _STAFF),
    )
    return Workflow(code="generic", label="Flujo genérico", initial_state="filed", states=states,
                    transitions=transitions, description=_GENERIC_DESCRIPTION)


def default_roles() -> list[Role]:
    """Seed 002's participants and seed 003's visibility rules (3.3–3.6).

    Service staff roles list no kinds or typifications, so ``role_match`` lets them see every case
    (a small team); an organisation restricts a role by listing the kinds or typification sub-trees it
    may access.
    """
    p = Permission
    staff_work = frozenset({p.FILE, p.EDIT, p.NOTE, p.TAKE, p.WORK, p.ATTACH, p.REPLY})
    staff_scopes = frozenset({Scope.OWN, Scope.AFFECTED, Scope.ASSIGNED, Scope.QUEUE, Scope.ROLE_MATCH})
    return [
        Role("requester", "Peticionario / cliente", frozenset({p.FILE, p.REPLY, p.ATTACH}),
             frozenset({Scope.OWN})),
        # A consultant reads the reports of her network's cases (seed 003 3.6).
        Role("consultant", "Consultor (red de ventas)", frozenset({p.FILE, p.REPLY, p.ATTACH, p.REPORTS}),
             frozenset({Scope.OWN, Scope.NETWORK})),
        Role("agent", "Asesor SAC (primer nivel)", staff_work, staff_scopes),
        Role("back_office", "Back office SAC (segundo nivel)", staff_work, staff_scopes),
        Role("supervisor", "Supervisor",
             staff_work | {p.ASSIGN, p.REPORTS, p.APPROVE_LETTERS, p.APPROVE_VOIDING, p.AUDIT}, staff_scopes),
        Role("quality", "Asesor de calidad", frozenset({p.NOTE, p.QUALITY, p.REPORTS}),
             frozenset({Scope.OWN, Scope.ASSIGNED, Scope.CLOSED})),
        Role("admin", "Administrador", frozenset(p), frozenset({Scope.ALL})),
    ]

