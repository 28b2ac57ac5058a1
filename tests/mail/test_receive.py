"""``MailIntake.receive`` end to end on a real database: a new message becomes a case, a message
received twice is filed once, and the case and the intake log are written together."""

from __future__ import annotations

from pqrs_core.domain import events as ev

from .conftest import IntakeUnderTest, corpus


def test_a_new_message_becomes_a_case_on_the_email_channel(intake_any: IntakeUnderTest) -> None:
    result = intake_any.receive(corpus("gmail-new.eml"))

    assert result.outcome == "filed", result.reason
    case = intake_any.case(result.filing_number)
    assert case.channel == "email"
    assert case.subject == "Cobro doble en la factura de febrero"
    assert "me cobraron dos veces" in case.description
    assert case.requester.full_name == "Ana Pérez"
    assert case.requester.email == "ana.perez@gmail.example"
    assert case.received_at == intake_any.clock.now()
    # The acknowledgement goes out as for any filing.
    assert [row["template"] for row in intake_any.outbox(result.filing_number)
            if row["recipient"] == "requester"] == ["acknowledgement"]
    # The raw message is kept as staff-only evidence, its SHA-256 in the history.
    [log] = intake_any.log()
    evidence = [e.attachment for e in intake_any.history(result.filing_number)
                if isinstance(e, ev.AttachmentAdded)]
    assert [(a.filename, a.public, a.sha256) for a in evidence] == [
        ("mensaje-original.eml", False, log["raw_sha256"])]
    assert intake_any.files.get(evidence[0].storage_key) == corpus("gmail-new.eml")
    assert (log["outcome"], log["filing_number"], log["message_id"]) == (
        "filed", result.filing_number, "<CAJx7a1b2c3d4e5f6g7h8i9j0@mail.gmail.example>")
    assert log["from_address"] == "ana.perez@gmail.example"


def test_the_same_message_twice_is_filed_once(intake_any: IntakeUnderTest) -> None:
    first = intake_any.receive(corpus("gmail-new.eml"))
    intake_any.advance(minutes=5)
    again = intake_any.receive(corpus("gmail-new.eml"))

    assert again.outcome == "duplicate"
    assert (again.filing_number, again.intake_id) == (first.filing_number, first.intake_id)
    assert intake_any.pqrs.count() == 1
    assert len(intake_any.log()) == 1
    assert len([r for r in intake_any.outbox() if r["template"] == "acknowledgement"]) == 1
