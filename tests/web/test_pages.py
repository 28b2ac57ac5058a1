"""The pages every person meets: the front door, the inbox link, a case page, errors in Spanish."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from pqrs_core.domain import commands as c
from pqrs_core.domain.values import Requester

from .conftest import Site


def test_the_public_front_page_offers_filing_lookup_and_login(site: Site) -> None:
    page = site.as_user(None).page("/")

    assert '<html lang="es-CO">' in page
    assert "Ingresar" in page


def test_staff_land_in_the_inbox_and_see_a_case_they_may_see(site: Site) -> None:
    case = site.file("ana", subject="Pedido incompleto")
    ana = site.as_user("ana")

    response = ana.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/bandeja")
    inbox = ana.page("/bandeja")
    assert str(case.filing_number) in inbox and "Pedido incompleto" in inbox
    assert "Pedido incompleto" in ana.page(f"/casos/{case.filing_number}")


def test_a_case_outside_ones_visibility_is_a_404(site: Site) -> None:
    case = site.file("ana", subject="Asunto reservado")

    response = site.as_user("pedro").get(f"/casos/{case.filing_number}", follow_redirects=True)

    assert response.status_code == 404 and "Asunto reservado" not in response.get_data(as_text=True)


STAFF_AREAS = ("admin.", "board.", "case_page.", "filing.", "inbox.", "supervision.")


def staff_views(site: Site, number: str) -> list[tuple[str, str]]:
    """``(method, url)`` of every view of the staff's areas, about the case ``number`` where a view is
    about a case (other arguments get a placeholder: a number where the route wants one)."""
    found = []
    with site.app.test_request_context():
        for rule in site.app.url_map.iter_rules():
            if rule.endpoint.startswith(STAFF_AREAS):
                args = {name: number if name == "filing_number" else
                        1 if isinstance(rule._converters.get(name), IntegerConverter) else "x"
                        for name in rule.arguments}
                url = url_for(rule.endpoint, **args)
                found.extend((method, url) for method in sorted((rule.methods or set()) & {"GET", "POST"}))
    return sorted(found)


# juan's own case; felipe is in diana's network, so she sees his.
@pytest.mark.parametrize(("user", "requester"), [("juan", "juan"), ("diana", "felipe")])
def test_customers_and_consultants_get_no_staff_page_only_the_portal(site: Site, user: str,
                                                                    requester: str) -> None:
    case = site.file("ana", subject="Factura duplicada", queue="back_office",
                     requester=Requester(full_name="Cliente de prueba", user=requester))
    number = str(case.filing_number)
    site.pqrs.handle(c.AssignCase(filing_number=number, assignee="bruno"), site.actor("sofia"))
    before = site.pqrs.case(number).version
    visitor = site.as_user(user)
    assert "Factura duplicada" in visitor.page(f"/portal/casos/{number}")  # their case, in the portal

    for path, portal in ((f"/casos/{number}", f"/portal/casos/{number}"),
                         ("/bandeja?vista=vencidos", "/portal"), ("/tablero", "/portal")):
        response = visitor.get(path)
        assert response.status_code == 302 and response.headers["Location"] == portal, path
    for method, url in staff_views(site, number):
        response = visitor.post(url) if method == "POST" else visitor.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code in (302, 403, 404), (method, url, response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/portal"), (method, url)
        assert "Back office" not in page and "bruno" not in page, (method, url)
    assert site.pqrs.case(number).version == before


def test_a_form_posted_without_its_csrf_token_is_refused(site: Site) -> None:
    response = site.as_user("ana").post("/salir", csrf=False)

    assert response.status_code == 400
    assert "El formulario expiró o no es válido" in response.get_data(as_text=True)


def test_the_typification_choices_group_the_seed_table_by_category(site: Site) -> None:
    from pqrs_adapters.flask.web.common import typification_choices

    with site.app.test_request_context("/"):
        groups = typification_choices()

    codes = [code for group in groups for code, _label in group.options]
    assert len(groups) >= 7 and "CAMBIO_Y_DEVOLUCION_SIN_APLICAR" in codes  # 7 seed categories + plugins
    assert len(codes) == len(set(codes))


def test_pages_forbid_framing_sniffing_and_foreign_scripts(site: Site) -> None:
    response = site.as_user(None).get("/")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


MENU = re.compile(r'<nav class="main"[^>]*>(.*?)</nav>', re.S)


def menu(page: str) -> list[str]:
    found = MENU.search(page)
    assert found is not None
    return re.findall(r"<a [^>]*>([^<]+)</a>", found.group(1))


@pytest.mark.parametrize(("user", "home", "items"), [
    ("ana", "/bandeja", ["Bandeja", "Tablero", "Nuevo caso", "Solicitudes internas"]),
    ("sofia", "/panel", ["Panel", "Bandeja", "Tablero", "Nuevo caso", "Distribución", "Solicitudes internas",
                         "Reportes", "Correo recibido", "Respuestas tipo", "Anulaciones"]),
    ("carlos", "/calidad", ["Panel", "Bandeja", "Calidad", "Reportes"]),  # closed cases only: no board
    ("juan", "/portal", ["Portal"]),
    ("diana", "/portal", ["Panel", "Portal", "Reportes"]),  # her network's figures
    ("admin", "/bandeja", ["Panel", "Bandeja", "Tablero", "Nuevo caso", "Distribución", "Calidad",
                           "Solicitudes internas", "Reportes", "Administración"]),
])
def test_each_role_lands_on_its_starting_page_and_its_menu_offers_what_it_may_use(
        site: Site, user: str, home: str, items: list[str]) -> None:
    visitor = site.as_user(user)

    response = visitor.get("/")

    assert response.status_code == 302 and response.headers["Location"].endswith(home)
    assert menu(visitor.page(home)) == items


@pytest.mark.parametrize(("user", "path"), [("ana", "/bandeja"), ("juan", "/portal"),
                                            ("sofia", "/distribucion"), ("carlos", "/calidad"),
                                            ("admin", "/admin/historial")])
def test_dates_say_the_time_zone_as_people_call_it(site: Site, user: str, path: str) -> None:
    juan = Requester(full_name="Juan Pérez", email="juan@example.com", user="juan")
    case = site.file("ana", requester=juan)
    site.pqrs.handle(c.TransitionCase(filing_number=str(case.filing_number), transition="start"),
                     site.actor("ana"))
    site.pqrs.handle(c.RespondCase(filing_number=str(case.filing_number), text="Hecho.", close=True),
                     site.actor("ana"))
    site.file("ana", requester=juan)  # one left unassigned for the distribution

    page = site.as_user(user).page(path)

    assert "hora de Colombia" in page and "America/Bogota" not in page
