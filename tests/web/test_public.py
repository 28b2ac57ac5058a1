"""The public pages, without an account: filing a PQRS (consent, attachments, anonymous denuncias, the
anti-abuse measures) and looking a case up with its filing number and the requester's document."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from pqrs_adapters.config import Config
from pqrs_adapters.flask import create_app
from pqrs_adapters.flask.web import abuse, uploads
from pqrs_adapters.flask.web.consent import NOTICE_VERSION
from pqrs_adapters.sqlalchemy.tables import outbox
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.ports import CaseQuery

from .conftest import Site, Visitor

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def token(app: Flask, seconds_ago: float = 10) -> str:
    """The signed timestamp of a form rendered ``seconds_ago``."""
    with app.test_request_context("/"):
        return abuse.form_token(abuse.wall_clock() - seconds_ago)


def filing(app: Flask, **overrides: Any) -> dict[str, Any]:
    """A complete public filing form, as a person sends it after reading it for a while."""
    form: dict[str, Any] = {
        "tipo": "reclamo", "asunto": "Cobro doble en la factura",
        "descripcion": "En la factura FV-2231 me cobraron dos veces el mismo pedido.",
        "nombre": "Marta Gómez", "tipo_documento": "CC", "numero_documento": "43.123.456",
        "correo": "marta@example.com", "telefono": "+57 300 555 1234", "direccion": "Calle 10 # 5-20, Bogotá",
        "autorizacion": "1", abuse.TOKEN_FIELD: token(app), abuse.HONEYPOT_FIELD: "",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def all_cases(site: Site) -> list[Case]:
    return list(site.pqrs.cases(CaseQuery(limit=100)).cases)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- filing -----------------------------------------------------------------------------------------
def test_the_front_page_leads_to_filing_and_lookup(site: Site) -> None:
    page = site.as_user(None).page("/")

    assert 'href="/radicar"' in page and 'action="/consultar"' in page
    assert "Denuncia" in page and "15 días hábiles" in page and "Ley 1581 de 2012" in page


def test_a_person_files_a_case_and_gets_its_number_due_date_and_acknowledgement(site: Site) -> None:
    visitor = site.as_user(None)
    form = visitor.page("/radicar")
    assert "Tratamiento de datos personales" in form and "Ley 1581 de 2012" in form
    # Silence is not consent (Decreto 1377 de 2013 art. 7): the box is never ticked beforehand.
    assert re.search(r'<input id="autorizacion" name="autorizacion" type="checkbox" value="1" aria', form)

    files = [(io.BytesIO(PDF), "factura FV-2231.pdf"), (io.BytesIO(b"pedido 77"), "notas.txt")]
    response = visitor.post("/radicar", {**filing(site.app), "adjuntos": files})

    assert response.status_code == 302 and response.headers["Location"].endswith("/radicar/recibido")
    [case] = all_cases(site)
    receipt = visitor.page("/radicar/recibido")
    assert str(case.filing_number) in receipt
    assert case.resolution_due is not None
    due = case.resolution_due.astimezone(ZoneInfo("America/Bogota"))
    assert due.strftime("%d/%m/%Y %H:%M") in receipt
    assert "Le enviamos una constancia" in receipt and "marta@example.com" in receipt
    # Filed by the web form through its channel, the document as the core expects it.
    assert case.channel == "web_form" and case.filed_by == "formulario.web"
    assert case.requester.document_number == "43123456" and case.requester.full_name == "Marta Gómez"
    assert [a.filename for a in case.attachments] == ["factura FV-2231.pdf", "notas.txt"]
    # Ley 1581: the consent is kept as proof, with the exact notice the person accepted.
    assert case.consent is not None and case.consent.channel == "web_form"
    assert case.consent.notice_version == NOTICE_VERSION
    notice_text = re.search(r'<p id="aviso-datos" class="text">(.*?)</p>', form, re.S)
    assert notice_text is not None
    shown = notice_text.group(1).replace("&#39;", "'").replace("&amp;", "&")
    assert case.consent.notice_digest == hashlib.sha256(shown.encode()).hexdigest()
    # The acknowledgement with the filing number and due date waits in the outbox for the worker.
    with site.engine.connect() as conn:
        queued = conn.execute(select(outbox.c.template, outbox.c.recipient, outbox.c.context)
                              .where(outbox.c.case_id == case.id)).all()
    [ack] = [row for row in queued if row.template == "acknowledgement"]
    assert ack.recipient == "requester"
    assert ack.context["filing_number"] == str(case.filing_number)
    assert ack.context["resolution_due"] == case.resolution_due.isoformat()


def test_filing_without_consent_is_refused_and_what_was_typed_is_kept(site: Site) -> None:
    visitor = site.as_user(None)

    response = visitor.post("/radicar", {**filing(site.app, autorizacion=None),
                                         "adjuntos": [(io.BytesIO(PDF), "factura.pdf")]})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Para radicar debe autorizar el tratamiento de sus datos personales." in page
    assert 'href="#autorizacion"' in page and 'id="error-autorizacion"' in page
    assert 'value="Cobro doble en la factura"' in page and "me cobraron dos veces" in page
    assert 'value="marta@example.com"' in page and 'value="CC" selected' in page
    assert "elíjalo de nuevo" in page  # files must be chosen again
    assert all_cases(site) == []


def test_each_missing_field_gets_its_own_error_in_spanish(site: Site) -> None:
    response = site.as_user(None).post("/radicar", filing(
        site.app, tipo="", asunto="", descripcion=" ", nombre="", numero_documento="", correo="",
        direccion="", telefono="12"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field, message in [("tipo", "Elija el tipo de solicitud."),
                           ("asunto", "Escriba el asunto de su solicitud."),
                           ("descripcion", "Describa su solicitud."),
                           ("nombre", "Escriba su nombre completo."),
                           ("numero_documento", "Escriba su número de documento."),
                           ("correo", "Escriba un correo electrónico (o una dirección)"),
                           ("telefono", "No es un número de teléfono válido.")]:
        assert f'id="error-{field}"' in page, field
        assert message in page, message
    assert all_cases(site) == []


def test_only_the_kinds_a_requester_files_themselves_are_offered(site: Site) -> None:
    visitor = site.as_user(None)
    page = visitor.page("/radicar")
    assert '<option value="peticion"' in page and '<option value="denuncia"' in page
    assert '<option value="tutela"' not in page  # a court's tutela is recorded by staff

    response = visitor.post("/radicar", filing(site.app, tipo="tutela"))

    assert response.status_code == 422
    assert "Elija un tipo de solicitud de la lista." in response.get_data(as_text=True)
    assert all_cases(site) == []


def test_an_invalid_document_or_email_is_explained_on_its_field(site: Site) -> None:
    page = site.as_user(None).post("/radicar", filing(site.app, numero_documento="12AB",
                                                      correo="marta@")).get_data(as_text=True)

    assert "la cédula de ciudadanía tiene entre 3 y 10 dígitos" in page
    assert "no es un correo electrónico válido" in page
    assert all_cases(site) == []


def test_a_file_of_a_forbidden_type_is_refused_before_anything_is_filed(site: Site) -> None:
    exe = (io.BytesIO(b"MZ\x90\x00"), "programa.exe")
    response = site.as_user(None).post("/radicar", {**filing(site.app), "adjuntos": [exe]})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "«programa.exe» no es de un tipo permitido" in page and 'id="error-adjuntos"' in page
    assert all_cases(site) == []


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(site: Site,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "body_limit", lambda: 4096)
    big = (io.BytesIO(b"%PDF-1.4 " + b"x" * 8192), "grande.pdf")

    response = site.as_user(None).post("/radicar", {**filing(site.app), "adjuntos": [big]})

    assert response.status_code == 413
    assert "supera el tamaño permitido: hasta 5 archivos de 10 MB cada uno" in response.get_data(as_text=True)
    assert all_cases(site) == []


def test_a_denuncia_may_be_anonymous_but_a_reclamo_may_not(site: Site) -> None:
    visitor = site.as_user(None)
    refused = visitor.post("/radicar", filing(site.app, anonimo="1", nombre="", numero_documento="",
                                              correo=""))
    assert refused.status_code == 422
    assert "Solo se pueden presentar de forma anónima denuncias" in refused.get_data(as_text=True)

    response = visitor.post("/radicar", filing(site.app, tipo="denuncia", anonimo="1", nombre="Alguien",
                                               numero_documento="", correo="", telefono="", direccion=""))

    assert response.status_code == 302
    [case] = all_cases(site)
    assert case.kind == "denuncia" and case.requester.kind == "anonymous"
    assert case.requester.full_name is None and case.consent is not None
    receipt = visitor.page("/radicar/recibido")
    assert "no podremos enviarle una respuesta" in receipt


@pytest.mark.parametrize(("overrides", "why"), [
    ({abuse.HONEYPOT_FIELD: "http://spam.example"}, "honeypot"),
    ({abuse.TOKEN_FIELD: "fresh"}, "too fast"),
    ({abuse.TOKEN_FIELD: "forged.signature"}, "forged timestamp"),
    ({abuse.TOKEN_FIELD: None}, "no timestamp"),
    ({abuse.TOKEN_FIELD: "old"}, "form too old"),
])
def test_robots_are_refused_without_filing(site: Site, overrides: dict[str, Any], why: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    sent_at = abuse.wall_clock()
    monkeypatch.setattr(abuse, "wall_clock", lambda: sent_at)
    if overrides.get(abuse.TOKEN_FIELD) == "fresh":
        overrides = {abuse.TOKEN_FIELD: token(site.app, seconds_ago=1)}
    elif overrides.get(abuse.TOKEN_FIELD) == "old":
        overrides = {abuse.TOKEN_FIELD: token(site.app, seconds_ago=7 * 3600)}

    response = site.as_user(None).post("/radicar", filing(site.app, **overrides))

    page = response.get_data(as_text=True)
    assert response.status_code == 400, why
    assert "envíelo de nuevo" in page
    assert 'value="Cobro doble en la factura"' in page  # a person who was too quick loses nothing
    assert all_cases(site) == []


def test_a_person_who_sends_too_quickly_fixes_the_form_without_waiting_again(
        site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    visitor = site.as_user(None)
    rendered_at = abuse.wall_clock()
    quick = token(site.app, seconds_ago=0)
    monkeypatch.setattr(abuse, "wall_clock", lambda: rendered_at + 1)

    response = visitor.post("/radicar", filing(site.app, **{abuse.TOKEN_FIELD: quick, "autorizacion": None}))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "envíelo de nuevo" in page and "autorizar el tratamiento de sus datos personales" in page
    assert f'name="{abuse.TOKEN_FIELD}" value="{quick}"' in page  # the form keeps its first timestamp
    monkeypatch.setattr(abuse, "wall_clock", lambda: rendered_at + 4)
    assert visitor.post("/radicar", filing(site.app, **{abuse.TOKEN_FIELD: quick})).status_code == 302


def test_the_page_renders_a_signed_timestamp_and_a_hidden_honeypot(site: Site) -> None:
    page = site.as_user(None).page("/radicar")

    assert re.search(rf'name="{abuse.TOKEN_FIELD}" value="[^"]+"', page)
    hidden = rf'<div class="visually-hidden" aria-hidden="true">\s*<label for="{abuse.HONEYPOT_FIELD}"'
    assert re.search(hidden, page)
    assert f'id="{abuse.HONEYPOT_FIELD}" name="{abuse.HONEYPOT_FIELD}" type="text" tabindex="-1"' in page


def test_a_filing_form_without_its_csrf_token_is_refused(site: Site) -> None:
    response = site.as_user(None).post("/radicar", filing(site.app), csrf=False)

    assert response.status_code == 400
    assert "El formulario expiró o no es válido" in response.get_data(as_text=True)
    assert all_cases(site) == []


def second_instance(site: Site) -> Flask:
    """Another application (another worker, another host) on the same database file."""
    url = site.engine.url.render_as_string(hide_password=False)
    config = Config(database_url=url, files_dir=site.app.extensions["pqrs.config"].files_dir,
                    secret_key="test-secret")
    app = create_app(config)
    app.config.update(TESTING=True, PQRS_RATE_LIMITS=site.app.config["PQRS_RATE_LIMITS"])
    return app


def test_the_filing_rate_limit_counts_in_the_database_shared_by_every_worker(site: Site) -> None:
    site.app.config["PQRS_RATE_LIMITS"] = {
        "public_filing": abuse.Limit("public_filing", 3, timedelta(hours=1))}
    other = second_instance(site)
    first, second = site.as_user(None), Visitor(other, None)

    statuses = [first.post("/radicar", filing(site.app, asunto=f"Solicitud {i}")).status_code
                if i % 2 == 0 else second.post("/radicar", filing(other, asunto=f"Solicitud {i}")).status_code
                for i in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert len(all_cases(site)) == 3
    blocked = first.post("/radicar", filing(site.app, asunto="Otra más"))
    assert blocked.status_code == 429
    assert "demasiados intentos desde su conexión" in blocked.get_data(as_text=True)
    assert 'value="Otra más"' in blocked.get_data(as_text=True)
    other.extensions["pqrs.engine"].dispose()


def test_the_receipt_page_without_a_filing_sends_back_to_the_form(site: Site) -> None:
    response = site.as_user(None).get("/radicar/recibido")

    assert response.status_code == 302 and response.headers["Location"].endswith("/radicar")


# --- lookup -----------------------------------------------------------------------------------------
def prepared_case(site: Site) -> Case:
    """A case in the hands of the service team, with messages of every kind."""
    case = site.file("ana", subject="Certificado de paz y salvo")
    number = str(case.filing_number)
    ana = site.actor("ana")
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), site.actor("sofia"))
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), ana)
    site.pqrs.handle(c.AddNote(filing_number=number, text="Cliente moroso: revisar cartera antes"), ana)
    site.pqrs.handle(c.AddNote(filing_number=number, text="Estamos revisando su cuenta.", public=True), ana)
    return site.pqrs.handle(c.RequestInformation(filing_number=number,
                                                 message="Envíenos una copia de la consignación."), ana)


def test_the_right_pair_shows_state_deadline_and_public_messages_but_no_internal_note(site: Site) -> None:
    case = prepared_case(site)
    visitor = site.as_user(None)

    response = visitor.post("/consultar", {"radicado": str(case.filing_number).lower(),
                                           "documento": "43.123.456"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    text = text_of(page)
    assert str(case.filing_number) in text and "Certificado de paz y salvo" in text
    assert "Esperando información suya" in text
    assert case.resolution_due is not None and "Fecha máxima de respuesta" in text
    assert "Envíenos una copia de la consignación." in text and "Estamos revisando su cuenta." in text
    assert "el término está suspendido" in text
    # Never the work log, who handles it, nor the queue.
    assert "Cliente moroso" not in page
    assert re.search(r"\bana\b", text, re.IGNORECASE) is None and "sofia" not in text
    for internal in ("Primer nivel", "primer_nivel", "Asignado", "En progreso", "registro de trabajo"):
        assert internal not in page, internal
    assert "43123456" not in page and "43.123.456" not in page


def test_a_wrong_pair_reveals_nothing_whether_the_case_exists_or_not(site: Site) -> None:
    case = prepared_case(site)
    visitor = site.as_user(None)

    number = str(case.filing_number)
    wrong_document = visitor.post("/consultar", {"radicado": number, "documento": "99999999"})
    no_such_case = visitor.post("/consultar", {"radicado": "PQRS-2026-999999", "documento": "43123456"})

    assert wrong_document.status_code == no_such_case.status_code == 404
    pages = [r.get_data(as_text=True) for r in (wrong_document, no_such_case)]
    for page in pages:
        assert "No encontramos un caso con ese número de radicado y ese número de documento." in page
        assert "Certificado de paz y salvo" not in page and "Esperando" not in page
    # Apart from what was typed, the two answers are the same page.
    typed = re.compile(r'value="[^"]*"')
    assert typed.sub("", pages[0]) == typed.sub("", pages[1])


def test_the_lookup_explains_badly_typed_fields_without_counting_them(site: Site) -> None:
    response = site.as_user(None).post("/consultar", {"radicado": "123", "documento": ""})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Escriba el radicado como aparece en su constancia" in page
    assert "Escriba el número de documento con el que radicó." in page


def test_failed_lookups_are_limited_per_address_across_workers(site: Site) -> None:
    site.app.config["PQRS_RATE_LIMITS"] = {
        "lookup_failure": abuse.Limit("lookup_failure", 3, timedelta(minutes=15))}
    case = prepared_case(site)
    other = second_instance(site)
    first, second = site.as_user(None), Visitor(other, None)
    number = str(case.filing_number)

    for visitor, guess in [(first, "1111"), (second, "2222"), (first, "3333")]:
        assert visitor.post("/consultar", {"radicado": number, "documento": guess}).status_code == 404

    for visitor in (first, second):  # now even the right pair is refused, on every worker
        blocked = visitor.post("/consultar", {"radicado": number, "documento": "43123456"})
        page = blocked.get_data(as_text=True)
        assert blocked.status_code == 429
        assert "Se hicieron demasiados intentos desde su conexión" in page and "minutos" in page
        assert "Envíenos una copia" not in page
    other.extensions["pqrs.engine"].dispose()


def test_the_lookup_form_posts_so_the_document_stays_out_of_the_address(site: Site) -> None:
    page = site.as_user(None).page("/consultar")

    assert re.search(r'<form method="post" action="/consultar"', page)
    assert '<label for="documento">Número de documento' in page


def test_an_anonymous_filing_without_personal_data_needs_no_consent(site: Site) -> None:
    visitor = site.as_user(None)
    anonymous = {"tipo": "denuncia", "anonimo": "1", "nombre": "", "numero_documento": "", "correo": "",
                 "telefono": "", "direccion": "", "autorizacion": None}

    with_email = visitor.post("/radicar", filing(site.app, **{**anonymous, "correo": "alguien@example.com"}))
    assert with_email.status_code == 422
    assert "Para radicar debe autorizar el tratamiento" in with_email.get_data(as_text=True)
    assert all_cases(site) == []

    response = visitor.post("/radicar", filing(site.app, **anonymous))

    assert response.status_code == 302, text_of(response.get_data(as_text=True))[:2000]
    [case] = all_cases(site)
    assert case.kind == "denuncia" and case.requester.kind == "anonymous" and case.consent is None
