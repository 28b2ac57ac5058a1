"""Reading messages (no database): encoded headers and Spanish charsets, HTML-only mail sanitised into
text, inline images and attachments, Outlook's winmail.dat, forwarded messages, the quoting styles of
Outlook, Gmail and Apple Mail, and what classification sees (automatic mail, bounces, failed
authentication)."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pqrs_adapters.mail.intake import classification, quoting
from pqrs_adapters.mail.intake.parsing import parse
from pqrs_adapters.mail.intake.quoting import new_text
from pqrs_core.domain.text import forbidden_characters

from .conftest import corpus


def test_encoded_word_subject_and_iso_8859_1_quoted_printable_spanish() -> None:
    mail = parse(corpus("iso-8859-1.eml"))

    assert mail.subject == "Reclamo por cobro de reconexión"
    assert (mail.from_name, mail.from_address) == ("José Muñoz", "jose.munoz@correo.example")
    assert "Me cobraron la reconexión del servicio aunque pagué a tiempo. ¿Por qué?" in mail.text
    assert mail.text.endswith("José Muñoz")


def test_utf8_quoted_printable_and_the_from_address_in_lower_case() -> None:
    mail = parse(corpus("gmail-new.eml"))

    assert mail.subject == "Cobro doble en la factura de febrero"
    assert mail.from_address == "ana.perez@gmail.example"
    assert "Solicito la devolución del valor cobrado de más." in mail.text
    assert not mail.from_html
    assert mail.message_id == "<CAJx7a1b2c3d4e5f6g7h8i9j0@mail.gmail.example>"


def test_html_only_mail_is_sanitised_and_read_as_text() -> None:
    mail = parse(corpus("html-only.eml"))

    assert mail.from_html
    assert "El pedido #4512 llegó incompleto: faltan 2 cajas." in mail.text
    assert "Caja 2: faltante" in mail.text
    assert "Arroz" in mail.text and "10" in mail.text
    for trace in ("alert", "robar-sesion", "onload", "color: red", "<", "javascript", "pixel.gif"):
        assert trace not in mail.text


def test_inline_images_and_attachments_are_kept_with_their_types() -> None:
    mail = parse(corpus("inline-images.eml"))

    assert mail.text.startswith("La licuadora llegó rota")
    assert [(f.filename, f.content_type, f.inline) for f in mail.files] == [
        ("foto.png", "image/png", True),
        ("factura.pdf", "application/pdf", False),  # sent as octet-stream: its name says PDF
        ("programa.exe", "application/x-msdownload", False),
    ]
    assert mail.files[0].content.startswith(b"\x89PNG")


def test_winmail_dat_gives_its_files_and_its_body() -> None:
    mail = parse(corpus("winmail.eml"))

    assert mail.subject == "Daño en la sede Norte"
    assert mail.text.startswith("Adjunto el informe del daño en la sede Norte.")
    assert [(f.filename, f.content_type) for f in mail.files] == [("informe.pdf", "application/pdf")]
    assert mail.files[0].content.startswith(b"%PDF-1.4")


def test_a_forwarded_message_is_kept_whole_and_its_text_joins_the_description() -> None:
    mail = parse(corpus("forwarded.eml"))

    assert mail.text.startswith("Les reenvío el reclamo que nos llegó por error.")
    assert "De: Marta Rojas <marta.rojas@cliente.example>" in mail.text
    assert "Asunto: Cobro indebido" in mail.text
    assert "Me cobraron un seguro que nunca pedí." in mail.text
    [eml] = mail.files
    assert (eml.filename, eml.content_type) == ("reclamo.eml", "message/rfc822")
    assert parse(eml.content).message_id == "<original-0001@cliente.example>"


def test_a_message_without_message_id_is_known_by_the_hash_of_its_bytes() -> None:
    mail = parse(corpus("no-message-id.eml"))

    assert mail.message_id is None
    assert mail.key == f"sha256:{mail.raw_sha256}"


OUTLOOK_TEXT = "Buenos días, adjunto el número de la factura: FE-20931.\n\nQuedo atenta.\n\nAna Pérez"


def _filled(name: str) -> bytes:
    return (corpus(name).replace(b"@@SUBJECT@@", b"[PQRS-2026-000001] Recibimos su solicitud")
            .replace(b"@@IN_REPLY_TO@@", b"<k1@acme.example>"))


@pytest.mark.parametrize(("name", "expected"), [
    ("outlook-reply.eml", OUTLOOK_TEXT),
    ("apple-reply.eml", "La factura es la FE-20931, del 1 de febrero."),
    ("gmail-reply-to-token.eml", "Sí, es la factura FE-20931."),
])
def test_quoted_history_and_signatures_are_trimmed(name: str, expected: str) -> None:
    mail = parse(_filled(name))

    assert new_text(mail.text) == expected
    assert "Recibimos su petición" in mail.text  # the full text is still there


def test_automatic_messages_are_recognised() -> None:
    assert classification.automatic_reason(parse(_filled("out-of-office-reply.eml"))) == (
        "mensaje automático (Auto-Submitted: auto-replied)")
    assert "X-Autoreply" in (classification.automatic_reason(parse(corpus("out-of-office-new.eml"))) or "")
    assert "List-Id" in (classification.automatic_reason(parse(corpus("mailing-list.eml"))) or "")
    assert classification.automatic_reason(parse(corpus("gmail-new.eml"))) is None


def test_a_delivery_status_notification_names_the_failed_recipient_and_our_message() -> None:
    raw = (corpus("dsn.eml").replace(b"@@RECIPIENT@@", b"ana.perez@gmail.example")
           .replace(b"@@IN_REPLY_TO@@", b"<k1@acme.example>").replace(b"@@FILING@@", b"PQRS-2026-000001"))
    dsn = classification.bounce(parse(raw))

    assert dsn is not None
    assert dsn.failed == ("ana.perez@gmail.example",)
    assert dsn.original_message_id == "<k1@acme.example>"
    assert "550 5.1.1" in dsn.diagnostic
    delayed = classification.bounce(parse(corpus("dsn-delayed.eml")))
    assert delayed is not None and delayed.delayed_only
    assert classification.bounce(parse(corpus("gmail-new.eml"))) is None


def test_failed_sender_authentication_is_reported() -> None:
    assert classification.authentication_failures(parse(corpus("spf-fail.eml"))) == ("SPF=fail", "DMARC=fail")
    assert classification.authentication_failures(parse(corpus("gmail-new.eml"))) == ()


def test_a_vacation_reply_without_headers_is_known_by_its_subject() -> None:
    raw = (b"From: Ana <ana@x.example>\r\nTo: pqrs@acme.example\r\nMessage-ID: <v@x.example>\r\n"
           b"Subject: Respuesta autom\xc3\xa1tica: [PQRS-2026-000001] Recibimos su solicitud\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nEstoy de vacaciones.\r\n")

    assert "asunto" in (classification.automatic_reason(parse(raw)) or "")
    person = raw.replace(b"Respuesta autom\xc3\xa1tica: ", b"Re: ")
    assert classification.automatic_reason(parse(person)) is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_parse_without_an_error(raw: bytes) -> None:
    mail = parse(raw)

    assert mail.key
    classification.automatic_reason(mail)
    classification.bounce(mail)
    classification.authentication_failures(mail)
    new_text(mail.text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    b"From: =?x-unknown?Q?=FF?= <<<>>>", b"Subject: =?utf-8?B?////?=",
    b"Content-Type: text/plain; charset=nope",
    b"Content-Type: multipart/mixed", b"Content-Type: multipart/report; report-type=delivery-status",
    b"Content-Transfer-Encoding: base64", b"Message-ID: <<>>", b"Date: ayer", b"In-Reply-To: <a@b> <c@d",
    b"Content-Type: text/html; charset=utf-8", b"Content-Disposition: attachment; filename*=x''%ZZ",
    b"Authentication-Results: ; spf=fail dkim", b"Auto-Submitted: ", b"From: ana@x.example",
]), max_size=8), st.binary(max_size=300))
def test_malformed_headers_parse_without_an_error(headers: list[bytes], body: bytes) -> None:
    raw = b"\r\n".join(headers) + b"\r\n\r\n" + body

    mail = parse(raw)

    classification.bounce(mail)
    classification.automatic_reason(mail)
    assert isinstance(mail.text, str)


def test_control_characters_in_headers_and_file_names_are_dropped() -> None:
    def encoded(text: str) -> str:
        return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="

    name, subject, filename = (encoded("Ana\x01 P\x7férez"), encoded("Cobro\x00 doble\x1b[31m\x0b factura"),
                               encoded("fac\x07tura\x1f.pdf"))
    raw = (f"From: {name} <ana@x.example>\r\n"
           f"To: pqrs@acme.example\r\nSubject: {subject}\r\n"
           "Message-ID: <ctl@x.example>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
           "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHola\x02 mundo\r\n"
           "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
           f"filename=\"{filename}\"\r\n\r\n%PDF-1.4\r\n--b--\r\n").encode()

    mail = parse(raw)

    assert mail.subject == "Cobro doble[31m factura"
    assert mail.from_name == "Ana Pérez"
    assert mail.text == "Hola mundo"
    assert [f.filename for f in mail.files] == ["factura.pdf"]
    for text in (mail.subject, mail.from_name or "", *(f.filename for f in mail.files)):
        assert forbidden_characters(text) is None


def _cut_quoted_by_definition(text: str) -> str:
    """What ``_cut_quoted`` means, written the obvious (quadratic) way."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        joined = f"{line} {lines[i + 1]}" if i + 1 < len(lines) else line
        if quoting._ATTRIBUTION.match(line) or (quoting._ATTRIBUTION_START.match(line)
                                                and quoting._ATTRIBUTION.match(joined)):
            return "\n".join(lines[:i])
        if quoting._SIGNATURE.match(line.strip()) and i > 0:
            return "\n".join(lines[:i])
        rest = [x for x in lines[i:] if x.strip()]
        if line.startswith(">") and rest and all(x.startswith(">") for x in rest):
            return "\n".join(lines[:i])
    return text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Hola", "", "  ", "> citado", ">", " > no citado", "-- ", "Ana",
                                 "El 5 dic 2026, Ana <a@x> escribió:", "El 5 dic 2026, a las 10:00,",
                                 "Ana <a@x> escribió:", "Enviado desde mi iPhone", ">> doble"]),
                max_size=12))
def test_the_quoted_tail_is_cut_as_its_definition_says(lines: list[str]) -> None:
    text = "\n".join(lines)

    assert quoting._cut_quoted(text) == _cut_quoted_by_definition(text)
