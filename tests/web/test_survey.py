"""The satisfaction survey reached from the response e-mail: the link's signature and expiry, the form,
one answer per case, and a GET that records nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pqrs_adapters.sqlalchemy.satisfaction import answer_of
from pqrs_adapters.sqlalchemy.tables import satisfaction_answers
from pqrs_adapters.surveys import survey_links
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case

from .conftest import Site


def responded_case(site: Site, by: str = "ana") -> Case:
    case = site.file("ana", subject="Certificado de paz y salvo")
    number = str(case.filing_number)
    site.pqrs.handle(c.TransitionCase(filing_number=number, transition="start"), site.actor(by))
    responded: Case = site.pqrs.handle(
        c.RespondCase(filing_number=number, text="Le enviamos el certificado."), site.actor(by))
    return responded


def link(site: Site, case: Case) -> str:
    token = survey_links(site.app.extensions["pqrs.config"]).token(case.id, site.now())
    return f"/encuesta/{token}"


def answers(site: Site) -> int:
    with site.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(satisfaction_answers)).scalar_one())


def test_opening_the_link_shows_the_form_and_records_nothing(site: Site, clock: FrozenClock) -> None:
    case = responded_case(site)
    visitor = site.as_user(None)

    for _ in range(3):  # a mail scanner, a preview, the requester
        html = visitor.page(link(site, case))

    assert str(case.filing_number) in html and "Certificado de paz y salvo" in html
    assert 'name="calificacion"' in html and 'name="recomendacion"' not in html  # NPS is off by default
    assert answers(site) == 0


def test_sending_the_form_records_one_answer_with_who_responded(site: Site, clock: FrozenClock) -> None:
    case = responded_case(site, by="sofia")
    visitor = site.as_user(None)
    url = link(site, case)
    visitor.page(url)
    clock.advance(hours=2)

    response = visitor.post(url, {"calificacion": "4", "comentario": "  Rápido y claro.  "})

    assert response.status_code == 200
    assert "Recibimos su respuesta" in response.get_data(as_text=True)
    answer = answer_of(site.engine, case.id)
    assert answer is not None
    assert (answer.score, answer.nps, answer.comment) == (4, None, "Rápido y claro.")
    assert answer.responder == "sofia"
    assert answer.answered_at == site.now()


def test_a_second_answer_is_refused_and_the_first_kept(site: Site, clock: FrozenClock) -> None:
    case = responded_case(site)
    visitor = site.as_user(None)
    url = link(site, case)
    visitor.page(url)
    visitor.post(url, {"calificacion": "5"})

    again = visitor.post(url, {"calificacion": "1", "comentario": "Cambié de opinión"})
    reopened = visitor.page(url)

    assert "Ya recibimos una respuesta" in again.get_data(as_text=True)
    assert "Ya recibimos una respuesta" in reopened and 'name="calificacion"' not in reopened
    answer = answer_of(site.engine, case.id)
    assert answer is not None and answer.score == 5
    assert answers(site) == 1


def test_an_expired_link_shows_why_and_records_nothing(site: Site, clock: FrozenClock) -> None:
    case = responded_case(site)
    url = link(site, case)
    visitor = site.as_user(None)
    csrf = visitor.csrf_token()
    clock.advance(days=30, seconds=1)

    shown = visitor.get(url)
    sent = visitor.post(url, {"calificacion": "5", "csrf_token": csrf})

    assert shown.status_code == 410 and "terminó" in shown.get_data(as_text=True)
    assert sent.status_code == 410
    assert answers(site) == 0


def test_a_link_is_still_valid_on_its_last_day(site: Site, clock: FrozenClock) -> None:
    case = responded_case(site)
    url = link(site, case)
    clock.advance(days=29, hours=23)
    assert site.as_user(None).post(url, {"calificacion": "3"}).status_code == 200
    assert answers(site) == 1


def test_a_tampered_link_is_not_valid(site: Site, clock: FrozenClock) -> None:
    case = responded_case(site)
    url = link(site, case)
    other = site.file("ana", subject="Otro caso")
    forged = survey_links(site.app.extensions["pqrs.config"]).token(other.id, site.now())
    # The payload of one token with the signature of another; a character changed; a truncated token.
    spliced = "/encuesta/" + forged.split(".")[0] + "." + url.rsplit(".", 1)[1]
    changed = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    for bad in (spliced, changed, url[:-6], "/encuesta/nada"):
        response = site.as_user(None).post(bad, {"calificacion": "5"})
        assert response.status_code == 404, bad
        assert "no es válido" in response.get_data(as_text=True)
    assert answers(site) == 0


def test_a_link_signed_with_another_key_is_not_valid(site: Site, clock: FrozenClock) -> None:
    case = responded_case(site)
    import attrs

    other = attrs.evolve(survey_links(site.app.extensions["pqrs.config"]), secret="otra-clave")
    response = site.as_user(None).get(f"/encuesta/{other.token(case.id, site.now())}")
    assert response.status_code == 404


def test_a_refused_answer_keeps_what_was_typed(site: Site, clock: FrozenClock) -> None:
    case = responded_case(site)
    url = link(site, case)
    visitor = site.as_user(None)

    for score in ("", "6", "0", "²", "4.5", "99999999999999999999"):
        response = visitor.post(url, {"calificacion": score, "comentario": "La respuesta llegó tarde"})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, score
        assert "Elija una calificación de 1 a 5." in html and "La respuesta llegó tarde" in html
    assert answers(site) == 0


def test_the_recommendation_is_asked_when_the_organisation_wants_it(site: Site, clock: FrozenClock) -> None:
    import attrs

    config = site.app.extensions["pqrs.config"]
    site.app.extensions["pqrs.config"] = attrs.evolve(
        config, quality=attrs.evolve(config.quality, survey_nps=True))
    case = responded_case(site)
    url = link(site, case)
    visitor = site.as_user(None)
    assert 'name="recomendacion"' in visitor.page(url)

    refused = visitor.post(url, {"calificacion": "4", "recomendacion": "11"})
    assert refused.status_code == 422 and "Elija un número de 0 a 10." in refused.get_data(as_text=True)
    assert visitor.post(url, {"calificacion": "4", "recomendacion": "9"}).status_code == 200
    answer = answer_of(site.engine, case.id)
    assert answer is not None and answer.nps == 9


def test_the_form_needs_its_csrf_token(site: Site, clock: FrozenClock) -> None:
    case = responded_case(site)
    response = site.as_user(None).post(link(site, case), {"calificacion": "5"}, csrf=False)
    assert response.status_code == 400
    assert answers(site) == 0


def test_the_expiry_counts_from_the_response(site: Site, clock: FrozenClock) -> None:
    links = survey_links(site.app.extensions["pqrs.config"])
    issued = site.now()
    ticket = links.read(links.token("x", issued), issued + timedelta(days=30))
    assert links.expires_at(ticket) == issued.replace(microsecond=0) + timedelta(days=30)
