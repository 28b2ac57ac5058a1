"""Official letters as data: which communications produce one, what it says, and how it joins the case
(a public attachment whose SHA-256 is in the history) and the requester's e-mail."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import attrs
import pytest

from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.errors import InvalidOperation, PermissionDenied, ValidationError
from pqrs_core.domain.letters import Letter, Letterhead, Signer, parse_kinds, spanish_date
from pqrs_core.domain.values import Actor
from pqrs_core.memory import MemoryStore
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs
from pqrs_core.settings import Settings
from pqrs_core.testing import in_memory_pqrs

from .support import AGENT, BACK_OFFICE, SUPERVISOR, GeneralTerms, clock_of, file, number

# beto with the administrator's role too: he still may not approve what he drafted himself.
ADMIN_BETO = Actor("beto", frozenset({"admin"}))
REQUESTER_OF_CASE = Actor("carla", frozenset({"requester"}))
LETTERHEAD = Letterhead(name="Compañía Andina S.A.S.", nit="900.123.456-7", address="Calle 100 # 10-20")


@attrs.define
class RecordingRenderer:
    """Typesets nothing: records the letters and returns bytes that name them."""

    letters: list[Letter] = attrs.field(factory=list)
    media_type: str = "application/pdf"

    def render(self, letter: Letter) -> bytes:
        self.letters.append(letter)
        return f"%PDF {letter.kind} {letter.filing_number}".encode()


def issuing(kinds: str, store: MemoryStore | None = None) -> tuple[Pqrs, RecordingRenderer]:
    settings = Settings(letterhead=LETTERHEAD, letters=parse_kinds(kinds))
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], settings=settings, store=store)
    renderer = RecordingRenderer()
    pqrs.deps = attrs.evolve(pqrs.deps, documents=renderer,
                             signer=lambda username: Signer(name=f"Nombre de {username}", role="Analista"))
    return pqrs, renderer


def started(pqrs: Pqrs) -> str:
    """A case filed by an agent and in back office's hands, ready to be answered."""
    n = number(file(pqrs))
    pqrs.handle(c.AssignCase(filing_number=n, assignee="beto", queue="back_office"), SUPERVISOR)
    pqrs.handle(c.TransitionCase(filing_number=n, transition="start"), BACK_OFFICE)
    return n


@pytest.mark.parametrize(("instant", "expected"), [
    (datetime(2026, 12, 6, 15, 0, tzinfo=UTC), "6 de diciembre de 2026"),
    # 02:00 UTC on 1 January is still 31 December in Bogotá (UTC-5).
    (datetime(2027, 1, 1, 2, 0, tzinfo=UTC), "31 de diciembre de 2026"),
])
def test_the_date_is_written_in_spanish_on_the_organisations_calendar(instant: datetime,
                                                                      expected: str) -> None:
    assert spanish_date(instant, "America/Bogota") == expected


def test_the_kinds_are_named_in_spanish_and_an_unknown_one_is_refused() -> None:
    assert parse_kinds("respuesta, Traslado,") == {"response", "transfer"}
    assert parse_kinds("") == frozenset()
    with pytest.raises(ValueError, match="«carta» no es un tipo de oficio"):
        parse_kinds("respuesta, carta")


def test_the_response_letter_carries_the_case_the_addressee_and_the_signer() -> None:
    pqrs, renderer = issuing("respuesta")
    n = started(pqrs)
    assert renderer.letters == []  # only the response produces a letter
    pqrs.handle(c.RespondCase(filing_number=n, text="Primer párrafo.\n\nSegundo párrafo."),
                BACK_OFFICE)
    [letter] = renderer.letters
    assert letter.kind == "response" and letter.filing_number == n
    assert letter.letterhead == LETTERHEAD
    assert letter.place_and_date == "Bogotá D.C., 2 de marzo de 2026"
    assert letter.addressee.name == "Carla Gómez" and letter.addressee.document == "CC 1020304050"
    assert letter.addressee.address == "Calle 10 # 20-30, Bogotá"
    assert letter.paragraphs == ("Primer párrafo.", "Segundo párrafo.")
    assert letter.signer == Signer(name="Nombre de beto", role="Analista")
    assert letter.subject == f"Respuesta — radicado {n}: Pedido llegó incompleto"
    assert letter.filename == f"oficio-respuesta-{n}.pdf"


def test_the_letter_is_a_public_attachment_with_its_digest_in_the_history_and_goes_with_the_mail() -> None:
    store = MemoryStore()
    pqrs, _renderer = issuing("respuesta", store)
    n = started(pqrs)
    pqrs.handle(c.RespondCase(filing_number=n, text="Le enviamos el producto."), BACK_OFFICE)
    content = f"%PDF response {n}".encode()
    [attachment] = pqrs.case(n).attachments
    assert attachment.public and attachment.content_type == "application/pdf"
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert pqrs.deps.files is not None and pqrs.deps.files.get(attachment.storage_key) == content
    added = [e for e in pqrs.history(n) if isinstance(e, ev.AttachmentAdded)]
    assert [(e.letter, e.attachment.sha256, e.actor) for e in added] == [
        ("response", attachment.sha256, "beto")]
    with store.unit_of_work() as uow:
        [response] = [m for m in uow.outbox.pending() if m.template == "response"]
    assert [a["storage_key"] for a in response.context["attachments"]] == [attachment.storage_key]


def test_each_official_communication_has_its_letter_when_the_organisation_issues_it() -> None:
    pqrs, renderer = issuing("radicacion, completar, prorroga, traslado, desistimiento")
    first = started(pqrs)
    pqrs.handle(c.ExtendTerm(filing_number=first, reason="Consulta a la bodega de Cali."), BACK_OFFICE)
    pqrs.handle(c.TransferCase(filing_number=first, entity="Superintendencia de Industria y Comercio",
                               reason="Se trata de protección al consumidor."), BACK_OFFICE)
    second = number(file(pqrs))
    pqrs.handle(c.RequestCompletion(filing_number=second, message="Falta la factura.",
                                    missing=("factura de compra",)), BACK_OFFICE)
    clock_of(pqrs).advance(days=45)  # the month Ley 1755 art. 17 gives has passed
    pqrs.handle(c.DeclareWithdrawal(filing_number=second, reason="No completó la petición a tiempo."),
                BACK_OFFICE)
    kinds = [(letter.filing_number, letter.kind) for letter in renderer.letters]
    assert kinds == [(first, "acknowledgement"), (first, "extension"), (first, "transfer"),
                     (second, "acknowledgement"), (second, "completion_request"), (second, "withdrawal")]
    by_kind = {letter.kind: " ".join(letter.paragraphs) for letter in renderer.letters}
    assert "quedó radicada con el número" in by_kind["acknowledgement"]
    assert "parágrafo del artículo 14 de la Ley 1755 de 2015" in by_kind["extension"]
    assert "Consulta a la bodega de Cali." in by_kind["extension"]
    assert "artículo 21" in by_kind["transfer"] and "Superintendencia de Industria" in by_kind["transfer"]
    assert "factura de compra" in by_kind["completion_request"]
    assert "artículo 17" in by_kind["completion_request"]
    assert "desistida" in by_kind["withdrawal"]
    # The filing by an agent is signed by the agent; by the public form, by the organisation.
    assert renderer.letters[0].signer.name == "Nombre de ana"


def test_without_a_renderer_or_with_no_kinds_no_letter_is_issued() -> None:
    pqrs = in_memory_pqrs(plugins=[GeneralTerms], settings=Settings(letters=parse_kinds("respuesta")))
    n = started(pqrs)
    pqrs.handle(c.RespondCase(filing_number=n, text="Respuesta."), BACK_OFFICE)
    assert pqrs.case(n).attachments == ()
    pqrs, renderer = issuing("")
    pqrs.handle(c.RespondCase(filing_number=started(pqrs), text="Respuesta."), BACK_OFFICE)
    assert renderer.letters == []


# --- the approval step: drafted → approved by a second person → sent ------------------------------------
def approving(store: MemoryStore | None = None) -> tuple[Pqrs, RecordingRenderer]:
    pqrs, renderer = issuing("respuesta", store)
    settings = attrs.evolve(pqrs.deps.settings, letters_need_approval=True)
    pqrs.deps = attrs.evolve(pqrs.deps, settings=settings)
    return pqrs, renderer


def test_a_response_waits_for_a_second_persons_approval_then_goes_out_signed_by_its_author() -> None:
    store = MemoryStore()
    pqrs, renderer = approving(store)
    n = started(pqrs)
    case = pqrs.handle(c.RespondCase(filing_number=n, text="Le cambiamos el producto.", close=True),
                       BACK_OFFICE)

    pending = case.pending_response
    assert pending is not None and (pending.text, pending.close, pending.drafted_by) == (
        "Le cambiamos el producto.", True, "beto")
    assert case.state == "in_progress" and case.responded_at is None and renderer.letters == []
    with store.unit_of_work() as uow:
        assert "response" not in [m.template for m in uow.outbox.pending()]
    assert pqrs.cases(CaseQuery(awaiting_approval=True)).cases[0].filing_number == case.filing_number
    # Nobody approves their own response, and only who holds the permission approves.
    with pytest.raises(InvalidOperation, match="distinta de quien la redactó"):
        pqrs.handle(c.ApproveResponse(filing_number=n), ADMIN_BETO)
    with pytest.raises(PermissionDenied):
        pqrs.handle(c.ApproveResponse(filing_number=n), AGENT)

    approved = pqrs.handle(c.ApproveResponse(filing_number=n), SUPERVISOR)

    assert approved.pending_response is None and approved.state == "closed"
    [letter] = renderer.letters
    assert letter.signer == Signer(name="Nombre de beto", role="Analista")  # the author signs
    names = [type(e).__name__ for e in pqrs.history(n)]
    key = [name for name in names if name in ("ResponseDrafted", "ResponseApproved", "CaseResponded",
                                              "CaseClosed", "AttachmentAdded")]
    assert key == ["ResponseDrafted", "ResponseApproved", "CaseResponded", "AttachmentAdded", "CaseClosed"]
    assert pqrs.cases(CaseQuery(awaiting_approval=True)).cases == []
    # The requester never sees the drafts.
    assert "ResponseDrafted" not in [type(e).__name__ for e in pqrs.history(n, REQUESTER_OF_CASE)]


def test_a_returned_response_is_not_sent_and_the_case_is_answered_again() -> None:
    store = MemoryStore()
    pqrs, renderer = approving(store)
    n = started(pqrs)
    pqrs.handle(c.RespondCase(filing_number=n, text="Borrador."), BACK_OFFICE)
    with pytest.raises(ValidationError):
        pqrs.handle(c.ReturnResponse(filing_number=n, comment="  "), SUPERVISOR)

    case = pqrs.handle(c.ReturnResponse(filing_number=n, comment="Cite la factura."), SUPERVISOR)

    assert case.pending_response is None and case.responded_at is None and renderer.letters == []
    returned = pqrs.history(n)[-1]
    assert isinstance(returned, ev.ResponseReturned)
    assert (returned.drafted_by, returned.comment, returned.actor) == ("beto", "Cite la factura.", "sol")
    with store.unit_of_work() as uow:  # who drafted it is told why, in the application and by e-mail
        [told] = [m for m in uow.outbox.pending() if m.template == "response_returned"]
    assert told.recipient == "user:beto" and told.context["comment"] == "Cite la factura."
    with pytest.raises(InvalidOperation, match="no tiene una respuesta esperando"):
        pqrs.handle(c.ApproveResponse(filing_number=n), SUPERVISOR)
    # A second draft while one waits is refused.
    pqrs.handle(c.RespondCase(filing_number=n, text="Con la factura FV-1."), BACK_OFFICE)
    with pytest.raises(InvalidOperation, match="ya tiene una respuesta esperando"):
        pqrs.handle(c.RespondCase(filing_number=n, text="Otra."), BACK_OFFICE)
