"""The proof of notification on the web: the case page says when and how the answer was notified and
whether within the term; the portal read notifies it; the staff record a courier delivery with its
guide and a personal one with the signed receipt; a failed notification offers the aviso, which
/avisos lists for five business days and then no more."""

from __future__ import annotations

import html
import io
from datetime import timedelta
from typing import Any

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain import delivery
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Actor, Requester

from .conftest import Site

PDF = b"%PDF-1.4 recibido firmado"


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _answered(site: Site) -> str:
    case = site.file("ana", requester=Requester(full_name="Marta Núñez", document_type="CC",
                                                document_number="43123456", email="marta@example.com",
                                                user="juan"))
    number = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="ana"), site.actor("ana"))
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), site.actor("ana"))
    site.pqrs.handle(c.RespondCase(filing_number=number, text="Adjuntamos el certificado"), site.actor("ana"))
    return number


def _version(site: Site, number: str) -> str:
    return str(site.pqrs.case(number).version)


def test_the_portal_read_notifies_the_answer_at_that_instant(site: Site, clock: FrozenClock) -> None:
    number = _answered(site)
    clock.advance(hours=3)
    site.as_user("juan").page(f"/portal/casos/{number}")
    case = site.pqrs.case(number)
    assert delivery.notified_at(case.deliveries) == clock.now()

    page = _text(site.as_user("ana").get(f"/casos/{number}"))
    assert "Respuesta notificada" in page and "dentro del término" in page
    assert clock.now().astimezone(site.pqrs.deps.calendar().zone).strftime("%d/%m/%Y %H:%M") in page
    assert "El peticionario leyó la respuesta en el portal." in page


def test_staff_record_the_courier_with_its_guide_and_in_person_with_the_receipt(site: Site,
                                                                                clock: FrozenClock) -> None:
    number = _answered(site)
    ana = site.as_user("ana")
    refused = ana.post(f"/casos/{number}/notificacion/mensajeria",
                       {"version": _version(site, number), "envio_empresa": "4-72", "envio_guia": "RA12",
                        "envio_estado": "returned"})
    assert refused.status_code == 422  # a return says why
    assert 'id="envio_motivo"' in _text(refused)
    clock.advance(days=1)
    ana = site.as_user("ana")  # a new session: the last one idled out
    done = ana.post(f"/casos/{number}/notificacion/mensajeria",
                    {"version": _version(site, number), "envio_empresa": "4-72", "envio_guia": "RA12",
                     "envio_estado": "delivered", "envio_soporte": (io.BytesIO(PDF), "guia.pdf")},
                    content_type="multipart/form-data")
    assert done.status_code == 302, done.headers.get("Location")
    case = site.pqrs.case(number)
    assert delivery.notified_at(case.deliveries) == clock.now()
    assert case.deliveries[-1].detail == "4-72 · guía RA12"
    assert case.attachments[-1].filename == "guia.pdf" and not case.attachments[-1].public

    missing = ana.post(f"/casos/{number}/notificacion/personal",
                       {"version": _version(site, number), "personal_recibio": "Marta Núñez"},
                       content_type="multipart/form-data")
    assert missing.status_code == 422
    signed = ana.post(f"/casos/{number}/notificacion/personal",
                      {"version": _version(site, number), "personal_recibio": "Marta Núñez",
                       "personal_recibido": (io.BytesIO(PDF), "recibido.pdf")},
                      content_type="multipart/form-data")
    assert signed.status_code == 302
    page = _text(ana.get(f"/casos/{number}"))
    assert "Notificó personalmente la respuesta; la recibió Marta Núñez" in page
    assert "Envío de la respuesta por 4-72, guía RA12: entregado." in page


def test_a_bounced_answer_offers_the_aviso_listed_on_avisos_for_five_business_days(
        site: Site, clock: FrozenClock) -> None:
    number = _answered(site)
    site.pqrs.handle(c.RecordEmailDelivery(filing_number=number, communication="response", status="bounced",
                                           reason="550 5.1.1 user unknown"), Actor.system())
    ana = site.as_user("ana")
    page = _text(ana.get(f"/casos/{number}"))
    assert "La respuesta no pudo notificarse" in page and "Publicar aviso" in page
    assert number not in _text(site.as_user(None).get("/avisos"))

    published = ana.post(f"/casos/{number}/notificacion/aviso", {"version": _version(site, number)})
    assert published.status_code == 302
    case: Case = site.pqrs.case(number)
    aviso = delivery.current(case.deliveries)[delivery.AVISO]
    assert aviso.until is not None
    calendar = site.pqrs.deps.calendar()
    first = calendar.business_day_on_or_after(site.today())
    assert calendar.business_days_between(first, aviso.until) == 4

    public = site.as_user(None)
    clock.set(calendar.end_of_day(first) - timedelta(hours=1))
    listed = _text(public.get("/avisos"))
    assert number in listed and aviso.until.strftime("%d/%m/%Y") in listed
    assert "Marta" not in listed  # no personal data on a public page
    clock.set(calendar.end_of_day(aviso.until) - timedelta(minutes=1))
    assert number in _text(public.get("/avisos"))
    clock.set(calendar.end_of_day(aviso.until) + timedelta(minutes=1))
    assert number not in _text(public.get("/avisos"))
    # Surtida at the end of the business day after the withdrawal: within the term or not, counted.
    assert delivery.notified_at(site.pqrs.case(number).deliveries) == calendar.end_of_day(
        calendar.next_business_day(aviso.until))
