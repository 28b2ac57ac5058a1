"""A case history that goes through every kind of domain event."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.items import InvolvedItem
from pqrs_core.domain.letters import Letter, Signer
from pqrs_core.domain.outgoing import numbers_in
from pqrs_core.domain.routing_defaults import TypificationDefaults
from pqrs_core.domain.rules import Action, Condition, Rule
from pqrs_core.domain.values import Actor, DocumentReference, ReferenceKind
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.settings import Settings
from pqrs_core.testing import in_memory_pqrs

from .support import (
    ADMIN,
    AGENT,
    BACK_OFFICE,
    QUALITY,
    REQUESTER,
    SUPERVISOR,
    GeneralTerms,
    LogisticsFields,
    clock_of,
    file,
    number,
)

SPECIALIST = Actor("esteban", frozenset({"back_office"}), queues=frozenset({"especialistas"}))


def every_event_case() -> tuple[Pqrs, str]:
    pqrs = in_memory_pqrs(plugins=[LogisticsFields, GeneralTerms])
    clock: FrozenClock = clock_of(pqrs)
    # Routing: the typification names an assignment strategy, a rule tags the case when it is filed.
    pqrs.routing_admin.set_typification_defaults("OPERACIONES", TypificationDefaults(
        assignment_strategy="manual"), ADMIN)
    pqrs.routing_admin.save_rule(Rule(code="", name="Reclamos verbales", trigger="filed", enabled=True,
                                      conditions=(Condition("kind", "is", "reclamo"),),
                                      actions=(Action("add_tag", "verbal"),)), ADMIN)
    n = number(file(pqrs, kind="reclamo", typification="PEDIDO_NO_RECIBIDO", verbal=True,
                    references=(DocumentReference(ReferenceKind.INVOICE, "FE-1001"),),
                    custom_fields={"numero_guia": "G-1", "monto": "12500.50", "fecha_entrega": "2026-02-20"},
                    missing_information=("copia de la guía",), important=True, urgent=False))
    steps: list[tuple[object, object]] = [
        (c.TypifyCase(filing_number=n, typification="RECLAMO_PRODUCTO_FACTURADO_Y_NO_ENVIADO"), AGENT),
        (c.ChangeFields(filing_number=n, changes={
            "subject": "Producto facturado y no enviado", "priority": "bloqueante",
            "requester": {"kind": "customer", "customer_id": "C-42", "email": "compras@example.com",
                          "user": "carla"},
            "references": [{"kind": "order", "number": "PED-9"}],
            "custom_fields": {"unidades": 2, "recurrente": True},
            "missing_information": [], "verbal": False,
        }), AGENT),
        (c.ChangeCaseItems(filing_number=n, add=(
            InvolvedItem(invoice="FE-1001", product="P-7", quantity=Decimal("2"), lot="L-1",
                         expires_on=date(2027, 5, 1), shipping_guide="G-1"),
            InvolvedItem(invoice="FE-1001", product="P-8", quantity=Decimal("1.5")))), AGENT),
        (lambda: c.ChangeCaseItems(filing_number=n, remove=(pqrs.case(n).items[1].id,)), AGENT),
        (c.AddAttachment(filing_number=n, filename="factura.pdf", content_type="application/pdf",
                         content=b"%PDF-1.4 factura"), AGENT),
        (c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR),
        (c.AddNote(filing_number=n, text="Revisé la factura en el ERP", public=False), BACK_OFFICE),
        (c.ReturnForRetypification(filing_number=n, reason="Revisar tipificación"), BACK_OFFICE),
        (c.TransitionCase(filing_number=n, transition="resubmit"), AGENT),
        (c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR),
        (c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE),
        (c.ExtendTerm(filing_number=n, reason="Se consulta a la transportadora", extra=5), BACK_OFFICE),
        (c.SuspendTerm(filing_number=n, cause="practica_pruebas", reason="Peritaje"), BACK_OFFICE),
        (c.EndTermSuspension(filing_number=n), BACK_OFFICE),
        (c.RequestInternal(filing_number=n, queue="especialistas", text="¿Hubo novedad en el despacho?",
                           due=(clock.now() + timedelta(days=4)).date()), BACK_OFFICE),
        (lambda: c.AnswerInternal(filing_number=n, request_id=pqrs.case(n).internal_requests[0].id,
                                  answer="El despacho salió tarde por inventario"), SPECIALIST),
        (c.RequestInternal(filing_number=n, queue="especialistas", text="Confirmen el inventario",
                           due=(clock.now() + timedelta(days=5)).date()), BACK_OFFICE),  # never answered
        (c.EscalateToThirdParty(filing_number=n, address="soporte@transportadora.example",
                                name="Transportadora", message="¿Entregaron el pedido PED-9?"),
         BACK_OFFICE),
        (c.RecordThirdPartyReply(filing_number=n, message="No fue entregado",
                                 sender="soporte@transportadora.example"), BACK_OFFICE),
        (c.RequestInformation(filing_number=n, message="Envíe la guía", missing=("guía",)), BACK_OFFICE),
        (c.RecordRequesterReply(filing_number=n, message="Adjunto la guía"), REQUESTER),
        (c.RespondCase(filing_number=n, text="Enviamos el producto", solution="Reenvío"), BACK_OFFICE),
        (c.CloseCase(filing_number=n), BACK_OFFICE),
        (c.RecordQualityReview(filing_number=n, score=4, checklist={"on_time": True, "courteous": True},
                               notes="Faltó confirmar la fecha de entrega"), QUALITY),
        (c.RecordRootCause(filing_number=n, cause="MATERIAL", area="back_office", action="Revisar el empaque",
                           action_owner="beto", action_due=date(2026, 12, 31)), BACK_OFFICE),
        (c.CompleteCorrectiveAction(filing_number=n, note="Empaque reforzado"), BACK_OFFICE),
        (c.RecordRequesterReply(filing_number=n, message="No ha llegado"), REQUESTER),
    ]
    for command, actor in steps:
        clock.advance(hours=3)
        pqrs.handle(command() if callable(command) else command, actor)
    clock.advance(days=60)  # the reopened case is forgotten: the sweep raises alarms and escalates
    pqrs.sweep()
    return pqrs, n


def legal_cases() -> tuple[Pqrs, list[str]]:
    """Ley 1755 arts. 17 and 21: an incomplete petition completed (the term resumes), one withdrawn
    after the requester let the time pass, and one transferred to the competent entity."""
    pqrs = in_memory_pqrs(plugins=[GeneralTerms])
    clock: FrozenClock = clock_of(pqrs)
    completed, withdrawn, moved = (number(file(pqrs)) for _ in range(3))
    for n in (completed, withdrawn):
        pqrs.handle(c.AssignCase(filing_number=n, assignee="beto"), SUPERVISOR)
        pqrs.handle(c.RequestCompletion(filing_number=n, message="Falta la copia de la cédula",
                                        missing=("copia de la cédula",)), BACK_OFFICE)
    clock.advance(days=20)
    pqrs.handle(c.ExtendCompletionTime(filing_number=completed), REQUESTER)
    clock.advance(days=20)
    pqrs.handle(c.RecordRequesterReply(filing_number=completed, message="Adjunto la cédula"), REQUESTER)
    clock.advance(days=15)
    pqrs.handle(c.DeclareWithdrawal(filing_number=withdrawn, reason="No completó la petición en un mes"),
                BACK_OFFICE)
    pqrs.handle(c.TransferCase(filing_number=moved, entity="Superintendencia de Industria y Comercio",
                               reason="Es competencia de la SIC"), AGENT)
    return pqrs, [completed, withdrawn, moved]


def voided_case() -> tuple[Pqrs, str]:
    """A case an administrator asked to void twice: a supervisor rejected the first request and
    approved the second. Hidden everywhere, its history kept for auditing."""
    pqrs = in_memory_pqrs(plugins=[GeneralTerms])
    n = number(file(pqrs))
    clock_of(pqrs).advance(hours=1)
    first = pqrs.handle(c.RequestVoiding(target=n, reason="Radicado por error"), ADMIN)
    pqrs.handle(c.RejectVoiding(voiding_id=first.id, note="Diga cuál es el original"), SUPERVISOR)
    second = pqrs.handle(c.RequestVoiding(target=n, reason="Duplicado del radicado anterior"), ADMIN)
    pqrs.handle(c.ApproveVoiding(voiding_id=second.id), SUPERVISOR)
    return pqrs, n


def voided_outgoing_case() -> tuple[Pqrs, str]:
    """A response whose outgoing number an administrator asked to void twice: a supervisor rejected
    the first request and approved the second. The case goes on; the number stays used, voided."""
    pqrs = in_memory_pqrs(plugins=[GeneralTerms])
    n = number(file(pqrs))
    for command, actor in [
        (c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR),
        (c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE),
        (c.RespondCase(filing_number=n, text="Le reenviamos el pedido"), BACK_OFFICE),
    ]:
        clock_of(pqrs).advance(hours=1)
        pqrs.handle(command, actor)
    [sent] = numbers_in(pqrs.history(n), n)
    first = pqrs.handle(c.RequestVoiding(target_kind="outgoing_number", target=sent.number,
                                         reason="Numerada por error"), ADMIN)
    pqrs.handle(c.RejectVoiding(voiding_id=first.id, note="La respuesta sí se envió"), SUPERVISOR)
    second = pqrs.handle(c.RequestVoiding(target_kind="outgoing_number", target=sent.number,
                                          reason="Se numeró dos veces"), ADMIN)
    pqrs.handle(c.ApproveVoiding(voiding_id=second.id), SUPERVISOR)
    return pqrs, n


class _PlainLetters:
    """Typesets a letter as a few bytes that name it (the scenarios need no real PDF)."""

    media_type = "application/pdf"

    def render(self, letter: Letter) -> bytes:
        code = letter.verification.url if letter.verification is not None else ""
        return f"%PDF {letter.kind} {letter.filing_number} {code}".strip().encode()


class StampSigner:
    """Signs a document by appending who it is signed for (the scenarios need no certificate);
    ``signed`` keeps what it signed."""

    def __init__(self) -> None:
        self.signed: list[tuple[bytes, Signer]] = []

    def sign(self, pdf: bytes, signer: Signer) -> bytes:
        self.signed.append((pdf, signer))
        return pdf + f" firmado por {signer.name}".encode()


def approval_case() -> tuple[Pqrs, str]:
    """A response drafted, returned, drafted again and approved: sent with its official letter, signed
    with the organisation's certificate."""
    settings = Settings(letters=frozenset({"response"}), letters_need_approval=True,
                        public_url="https://pqrs.example.co")
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], settings=settings)
    pqrs.deps = attrs.evolve(pqrs.deps, documents=_PlainLetters(), document_signer=StampSigner())
    n = number(file(pqrs))
    for command, actor in [
        (c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR),
        (c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE),
        (c.RespondCase(filing_number=n, text="Borrador"), BACK_OFFICE),
        (c.ReturnResponse(filing_number=n, comment="Cite la factura"), SUPERVISOR),
        (c.RespondCase(filing_number=n, text="Según la factura FE-1, le reenviamos el pedido"), BACK_OFFICE),
        (c.ApproveResponse(filing_number=n), SUPERVISOR),
    ]:
        clock_of(pqrs).advance(hours=1)
        pqrs.handle(command, actor)
    return pqrs, n


def notified_case() -> tuple[Pqrs, str]:
    """An answer whose e-mail bounced and whose courier came back, published as an aviso, read in the
    portal and finally delivered in person with the signed receipt."""
    pqrs = in_memory_pqrs(plugins=[GeneralTerms])
    n = number(file(pqrs))
    for command, actor in [
        (c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR),
        (c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE),
        (c.RespondCase(filing_number=n, text="Le reenviamos las dos unidades"), BACK_OFFICE),
        (c.RecordEmailDelivery(filing_number=n, communication="response", status="sent",
                               address="carla@example.com", message_id="<r1@pqrs.test>"), Actor.system()),
        (c.RecordEmailDelivery(filing_number=n, communication="response", status="bounced",
                               address="carla@example.com", reason="550 5.1.1 buzón inexistente"),
         Actor.system()),
        (c.RecordCourierDelivery(filing_number=n, company="Servientrega", guide="GU-1", status="returned",
                                 reason="Dirección no existe"), BACK_OFFICE),
        (c.PublishNotice(filing_number=n), BACK_OFFICE),
        (c.RecordPortalRead(filing_number=n), REQUESTER),
        (c.AddAttachment(filing_number=n, filename="recibido.pdf", content_type="application/pdf",
                         content=b"%PDF recibido firmado"), BACK_OFFICE),
    ]:
        clock_of(pqrs).advance(hours=1)
        pqrs.handle(command, actor)
    receipt = pqrs.case(n).attachments[-1].id
    pqrs.handle(c.RecordInPersonDelivery(filing_number=n, received_by="Carla Gómez", receipt=receipt),
                BACK_OFFICE)
    return pqrs, n
