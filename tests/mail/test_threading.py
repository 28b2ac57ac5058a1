"""Replies join their case: by the thread headers of what we sent, by the case's reply address, by the
filing number in the subject. The requester's reply acts exactly as a portal reply; anyone else's is
recorded, flagged and acts as nobody (unless the third-party hook takes it). Our mail carries the
headers that thread it in the requester's client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pqrs_adapters.mail.intake import ThirdPartyMessage, register_third_party_handler
from pqrs_adapters.mail.intake import hooks as intake_hooks
from pqrs_core.domain import commands as c
from pqrs_core.domain import events as ev
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor, Requester

from .conftest import MAILBOX, IntakeUnderTest, SmtpSink, corpus, deliver, filled

AGENT = Actor("laura", frozenset({"agent"}))
STAFF = Actor.system()
ORIGINAL_ID = "<CAJx7a1b2c3d4e5f6g7h8i9j0@mail.gmail.example>"
OUTLOOK_TEXT = "Buenos días, adjunto el número de la factura: FE-20931.\n\nQuedo atenta.\n\nAna Pérez"


def _filed(it: IntakeUnderTest) -> str:
    result = it.receive(corpus("gmail-new.eml"))
    assert result.outcome == "filed" and result.filing_number
    return result.filing_number


def test_the_acknowledgement_threads_under_the_requesters_mail(intake_any: IntakeUnderTest,
                                                               smtp: SmtpSink) -> None:
    number = _filed(intake_any)

    [ack] = deliver(intake_any, smtp)

    assert ack["Subject"].startswith(f"[{number}] ")
    assert ack["In-Reply-To"] == ORIGINAL_ID
    assert ack["References"] == ORIGINAL_ID
    assert ack["Auto-Submitted"] == "auto-replied"
    local, _, domain = MAILBOX.partition("@")
    reply_to = str(ack["Reply-To"])
    assert reply_to.startswith(f"{local}+") and reply_to.endswith(f"@{domain}")
    assert len(reply_to.partition("+")[2].partition("@")[0]) >= 20  # an unguessable token


def test_an_outlook_reply_to_our_information_request_resumes_the_case(intake_any: IntakeUnderTest,
                                                                      smtp: SmtpSink) -> None:
    number = _filed(intake_any)
    [ack] = deliver(intake_any, smtp)
    intake_any.pqrs.handle(c.RequestInformation(filing_number=number, message="¿Cuál es el número de "
                                                "la factura?"), STAFF)
    [request] = deliver(intake_any, smtp)
    assert request["Auto-Submitted"] == "auto-generated"
    assert request["In-Reply-To"] == ORIGINAL_ID
    assert request["References"].split() == [ORIGINAL_ID, ack["Message-ID"]]
    assert intake_any.case(number).state == "waiting_requester"
    intake_any.advance(hours=2)

    result = intake_any.receive(filled("outlook-reply.eml", in_reply_to=request["Message-ID"],
                                       subject=request["Subject"]))

    assert (result.outcome, result.filing_number) == ("threaded", number)
    assert "correo enviado" in result.reason
    case = intake_any.case(number)
    assert case.state == "in_progress"
    [reply] = [e for e in intake_any.history(number) if isinstance(e, ev.RequesterReplied)]
    assert reply.message == OUTLOOK_TEXT
    assert intake_any.pqrs.count() == 1
    # Our next mail names the requester's reply as the one it answers.
    intake_any.pqrs.handle(c.RespondCase(filing_number=number, text="Devolvimos el valor."), STAFF)
    [response] = deliver(intake_any, smtp)
    assert response["In-Reply-To"].strip() == (
        "<DM6PR11MB4321ABCD1234567890@DM6PR11MB4321.namprd11.prod.outlook.example>")


def test_an_apple_mail_counter_response_reopens_a_responded_case(intake: IntakeUnderTest,
                                                                 smtp: SmtpSink) -> None:
    number = _filed(intake)
    deliver(intake, smtp)
    intake.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), STAFF)
    intake.pqrs.handle(c.RespondCase(filing_number=number, text="Ya devolvimos el valor."), STAFF)
    [response] = deliver(intake, smtp)
    intake.advance(hours=3)

    result = intake.receive(filled("apple-reply.eml", in_reply_to=response["Message-ID"],
                                   subject=response["Subject"]))

    assert (result.outcome, result.filing_number) == ("threaded", number)
    assert intake.case(number).state == "in_progress"
    [reply] = [e for e in intake.history(number) if isinstance(e, ev.RequesterReplied)]
    assert reply.counter_response and reply.reopens
    assert reply.message == "La factura es la FE-20931, del 1 de febrero."


def test_a_reply_to_the_cases_reply_address_joins_it(intake: IntakeUnderTest, smtp: SmtpSink) -> None:
    number = _filed(intake)
    [ack] = deliver(intake, smtp)
    token = str(ack["Reply-To"]).partition("+")[2].partition("@")[0]

    result = intake.receive(filled("gmail-reply-to-token.eml", token=token))

    assert (result.outcome, result.filing_number) == ("threaded", number)
    assert "dirección de respuesta" in result.reason
    [reply] = [e for e in intake.history(number) if isinstance(e, ev.RequesterReplied)]
    assert reply.message == "Sí, es la factura FE-20931."
    # A made-up token joins nothing: it is a new case.
    other = intake.receive(filled("gmail-reply-to-token.eml", token="0" * 32).replace(
        b"CAJx7reply0002", b"CAJx7reply0003"))
    assert other.outcome == "filed" and other.filing_number != number


def test_the_filing_number_in_the_subject_joins_the_case(intake: IntakeUnderTest) -> None:
    number = _filed(intake)

    result = intake.receive(filled("subject-number.eml", filing=number))

    assert (result.outcome, result.filing_number) == ("threaded", number)
    assert [e.message for e in intake.history(number) if isinstance(e, ev.RequesterReplied)] == [
        "Quisiera saber en qué va mi caso."]


def test_a_reply_from_someone_else_is_recorded_flagged_and_acts_as_nobody(intake_any: IntakeUnderTest,
                                                                          smtp: SmtpSink) -> None:
    number = _filed(intake_any)
    [ack] = deliver(intake_any, smtp)
    intake_any.pqrs.handle(c.RequestInformation(filing_number=number, message="¿Factura?"), STAFF)
    deliver(intake_any, smtp)

    result = intake_any.receive(filled("stranger-reply.eml", in_reply_to=ack["Message-ID"], filing=number))

    assert (result.outcome, result.filing_number) == ("threaded", number)
    assert "no es el peticionario" in result.reason
    assert intake_any.case(number).state == "waiting_requester"  # it did not act as the requester
    assert not [e for e in intake_any.history(number) if isinstance(e, ev.RequesterReplied)]
    [flag] = [n for n in intake_any.notes(number) if "no es la dirección del peticionario" in n]
    assert "carlos.ruiz@otro.example" in flag
    assert "Retiro la petición de Ana" in flag
    assert not [n for n in intake_any.history(number) if isinstance(n, ev.NoteAdded) and n.public]


def test_mail_to_the_requester_never_names_a_strangers_message(intake_any: IntakeUnderTest,
                                                              smtp: SmtpSink) -> None:
    number = _filed(intake_any)
    [ack] = deliver(intake_any, smtp)
    intake_any.receive(filled("stranger-reply.eml", in_reply_to=ack["Message-ID"], filing=number))
    intake_any.pqrs.handle(c.RequestInformation(filing_number=number, message="¿Factura?"), STAFF)

    [request] = deliver(intake_any, smtp)

    assert request["In-Reply-To"] == ORIGINAL_ID
    assert "stranger-0001@otro.example" not in str(request["References"])
    assert str(request["References"]).split() == [ORIGINAL_ID, ack["Message-ID"]]


@pytest.fixture
def third_party_handler() -> Iterator[list[tuple[Case, ThirdPartyMessage]]]:
    taken: list[tuple[Case, ThirdPartyMessage]] = []

    def handler(case: Case, message: ThirdPartyMessage) -> bool:
        taken.append((case, message))
        return message.sender == "carlos.ruiz@otro.example"

    register_third_party_handler(handler)
    yield taken
    intake_hooks.unregister_third_party_handler(handler)


def test_the_third_party_hook_takes_a_reply_from_an_escalation_address(
        intake: IntakeUnderTest, smtp: SmtpSink,
        third_party_handler: list[tuple[Case, ThirdPartyMessage]]) -> None:
    number = _filed(intake)
    [ack] = deliver(intake, smtp)

    result = intake.receive(filled("stranger-reply.eml", in_reply_to=ack["Message-ID"], filing=number))

    assert result.outcome == "threaded" and "tercero" in result.reason
    [(case, message)] = third_party_handler
    assert str(case.filing_number) == number
    assert message.text == "Retiro la petición de Ana, no la sigan atendiendo."
    assert not [n for n in intake.notes(number) if "no es la dirección del peticionario" in n]


def test_a_reply_to_a_message_we_received_joins_its_case(intake: IntakeUnderTest) -> None:
    number = _filed(intake)
    follow_up = (b"From: Ana Perez <ana.perez@gmail.example>\r\nTo: pqrs@acme.example\r\n"
                 b"Subject: otra cosa\r\nMessage-ID: <follow-1@gmail.example>\r\n"
                 b"In-Reply-To: " + ORIGINAL_ID.encode()
                 + b"\r\n\r\nOlvide decir que soy cliente hace 5 anos.\r\n")

    result = intake.receive(follow_up)

    assert (result.outcome, result.filing_number) == ("threaded", number)


def test_a_case_filed_by_phone_gets_a_reply_address_when_a_mailbox_is_configured(
        intake: IntakeUnderTest, smtp: SmtpSink) -> None:
    case = intake.pqrs.handle(c.FileCase(kind="queja", subject="Cobro", description="Cobro doble.",
                                         channel="phone",
                                         requester=Requester(full_name="Ana Pérez",
                                                             email="ana.perez@gmail.example")), STAFF)
    [ack] = deliver(intake, smtp, reply_mailbox=MAILBOX)
    reply_to = str(ack["Reply-To"])
    assert reply_to.startswith("pqrs+") and reply_to.endswith("@acme.example")
    assert ack["Auto-Submitted"] == "auto-generated"  # it answers no mail
    assert ack["In-Reply-To"] is None
    token = reply_to.partition("+")[2].partition("@")[0]

    result = intake.receive(filled("gmail-reply-to-token.eml", token=token))

    assert (result.outcome, result.filing_number) == ("threaded", str(case.filing_number))
