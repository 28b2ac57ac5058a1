"""The three special workflows of seed 003 (7.2.3.1), as ``pqrs_core`` workflow data.

Transition names that ``pqrs_core`` fires from a command of its own keep the core's names:
``request_information`` (``RequestInformation``) and ``requester_replied`` (``RecordRequesterReply``)
in the credit request, so that asking for the missing data pauses the term and the reply resumes it
exactly as in the generic workflow. Every other transition is fired with ``TransitionCase``.
"""

from __future__ import annotations

from pqrs_core.domain.workflow import State, StateCategory, Transition, Workflow

CREDIT_NOTE = "credit_note"
BACKORDER = "backorder"
CREDIT_REQUEST = "credit_request"

HAS_INVOICE_REFERENCE = "has_invoice_reference"

_FRONT_AND_BACK = frozenset({"agent", "back_office", "supervisor"})
_BACK_OFFICE = frozenset({"back_office", "supervisor"})
_SUPERVISOR = frozenset({"supervisor"})

_TODO, _DOING, _WAITING, _DONE = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING,
                                  StateCategory.DONE)


def credit_note_workflow() -> Workflow:
    """«CREDIT NOTE»: the note is reviewed, then accepted (only with an invoice reference) or rejected.

    Seed 003: «Aceptar nota → Rechazar nota».
    """
    return Workflow(
        code=CREDIT_NOTE,
        label="Creación de notas crédito / débito",
        initial_state="review",
        states=(
            State("review", "Revisión de la nota", _TODO),
            State("accepted", "Nota aceptada", _DONE),
            State("rejected", "Nota rechazada", _DONE),
        ),
        transitions=(
            Transition("accept_note", "Aceptar nota", ("review",), "accepted", _BACK_OFFICE,
                       guard=HAS_INVOICE_REFERENCE),
            Transition("reject_note", "Rechazar nota", ("review",), "rejected", _BACK_OFFICE),
        ),
        description=("Flujo especial en el que, desde la gestión del caso, se acepta o se rechaza la "
                     "creación de una nota crédito o débito (documento semilla 003, «CREDIT NOTE»). "
                     "Aceptarla exige una factura de referencia."),
    )


def backorder_workflow() -> Workflow:
    """«CREATE BACKORDER»: the backorder is reviewed, then accepted (the order is taken) or rejected.

    Seed 003: «Aceptar BACKORDER → Rechazar BACKORDER».
    """
    return Workflow(
        code=BACKORDER,
        label="Creación de pedidos backorder",
        initial_state="review",
        states=(
            State("review", "Revisión del backorder", _TODO),
            State("accepted", "Backorder aceptado", _DONE),
            State("rejected", "Backorder rechazado", _DONE),
        ),
        transitions=(
            Transition("accept_backorder", "Aceptar backorder", ("review",), "accepted", _FRONT_AND_BACK),
            Transition("reject_backorder", "Rechazar backorder", ("review",), "rejected", _FRONT_AND_BACK),
        ),
        description=("Flujo especial en el que, desde la gestión del caso, se acepta o se rechaza un "
                     "pedido backorder; al aceptarlo se toma el pedido (documento semilla 003, "
                     "«CREATE BACKORDER»)."),
    )


def credit_request_workflow() -> Workflow:
    """«ISSUE CREDIT WORKFLOW»: data review, missing data (waiting: the term pauses), credit decision,
    then accepted or denied. When the missing data arrives the case goes back to data review.

    Seed 003: «Revisión de datos → Datos faltantes → Decisión del crédito → Crédito aceptado →
    Crédito denegado».
    """
    return Workflow(
        code=CREDIT_REQUEST,
        label="Solicitud de crédito",
        initial_state="data_review",
        states=(
            State("data_review", "Revisión de datos", _TODO),
            State("missing_data", "Datos faltantes", _WAITING),
            State("credit_decision", "Decisión del crédito", _DOING),
            State("accepted", "Crédito aceptado", _DONE),
            State("denied", "Crédito denegado", _DONE),
        ),
        transitions=(
            Transition("request_information", "Solicitar datos faltantes", ("data_review",),
                       "missing_data", _FRONT_AND_BACK),
            Transition("requester_replied", "Datos recibidos", ("missing_data",), "data_review",
                       _FRONT_AND_BACK),
            Transition("data_complete", "Datos completos", ("data_review",), "credit_decision",
                       _BACK_OFFICE),
            Transition("approve_credit", "Aceptar crédito", ("credit_decision",), "accepted", _SUPERVISOR),
            Transition("deny_credit", "Denegar crédito", ("credit_decision",), "denied", _SUPERVISOR),
        ),
        description=("Cuando se solicita el estudio de un crédito se genera un caso en el que se revisan "
                     "los datos, se piden los que falten y se aprueba o se deniega la solicitud "
                     "(documento semilla 003, «ISSUE CREDIT WORKFLOW»)."),
    )
