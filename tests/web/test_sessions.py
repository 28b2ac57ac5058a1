"""Web sessions end on the server: after logging out, a password change or a deactivation, a copy of the
old session cookie opens neither the pages nor the API; a person can end their other sessions."""

from __future__ import annotations

from pqrs_adapters import accounts

from .conftest import Site, Visitor

PASSWORD = "clave-de-ana-2026"
NEW_PASSWORD = "otra-clave-de-ana-2026"


def _login(site: Site, username: str = "ana", password: str = PASSWORD) -> Visitor:
    visitor = site.as_user(None)
    response = visitor.post("/ingresar", {"usuario": username, "contrasena": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return visitor


def _cookie(visitor: Visitor) -> str:
    cookie = visitor.client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(site: Site, cookie: str) -> Visitor:
    """Another browser holding a copy of a session cookie."""
    thief = site.as_user(None)
    thief.client.set_cookie("session", cookie)
    return thief


def _logged_in(visitor: Visitor) -> bool:
    inbox = visitor.get("/bandeja")
    api = visitor.get("/api/v1/cases")
    assert (inbox.status_code == 200) == (api.status_code == 200), (inbox.status_code, api.status_code)
    if inbox.status_code != 200:
        assert inbox.status_code == 302 and "/ingresar" in inbox.headers["Location"]
        assert api.status_code == 401
    return inbox.status_code == 200


def test_a_copy_of_the_cookie_is_worthless_after_logging_out(site: Site) -> None:
    accounts.save_user(site.engine, "ana", password=PASSWORD)
    ana = _login(site)
    copied = _cookie(ana)
    assert _logged_in(_replay(site, copied))

    assert ana.post("/salir").status_code == 302

    assert not _logged_in(ana)
    assert not _logged_in(_replay(site, copied))


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(site: Site) -> None:
    accounts.save_user(site.engine, "ana", password=PASSWORD)
    laptop, phone = _login(site), _login(site)

    response = laptop.post("/cuenta/contrasena", {"actual": PASSWORD, "nueva": NEW_PASSWORD,
                                                  "confirmacion": NEW_PASSWORD})

    assert response.status_code == 302
    assert _logged_in(laptop)
    assert not _logged_in(phone)
    assert _logged_in(_login(site, password=NEW_PASSWORD))


def test_a_reset_or_a_deactivation_by_an_administrator_ends_the_persons_sessions(site: Site) -> None:
    accounts.save_user(site.engine, "ana", password=PASSWORD)
    admin = site.as_user("admin")
    before_reset = _login(site)

    admin.post("/admin/usuarios/ana/contrasena", {"password": NEW_PASSWORD})

    assert not _logged_in(before_reset)
    before_deactivation = _login(site, password=NEW_PASSWORD)
    admin.post("/admin/usuarios/ana/activo", {"active": "0"})
    admin.post("/admin/usuarios/ana/activo", {"active": "1"})
    assert not _logged_in(before_deactivation)  # reactivating does not bring the old session back
    assert _logged_in(admin)


def test_an_administrator_resetting_their_own_password_stays_logged_in(site: Site) -> None:
    admin = site.as_user("admin")

    admin.post("/admin/usuarios/admin/contrasena", {"password": NEW_PASSWORD})

    assert _logged_in(admin)


def test_a_person_ends_their_other_sessions_and_keeps_this_one(site: Site) -> None:
    accounts.save_user(site.engine, "ana", password=PASSWORD)
    laptop, phone, tablet = _login(site), _login(site), _login(site)
    before = laptop.page("/cuenta/contrasena")
    assert "Tiene 2 sesiones abiertas en otros navegadores o dispositivos" in before

    response = laptop.post("/cuenta/sesiones/cerrar-otras")

    assert response.status_code == 302 and response.headers["Location"].endswith("/cuenta/contrasena")
    page = laptop.page("/cuenta/contrasena")
    assert "Se cerraron sus otras 2 sesiones." in page
    assert "No tiene sesiones abiertas en otros navegadores o dispositivos." in page
    assert _logged_in(laptop)
    assert not _logged_in(phone) and not _logged_in(tablet)
    assert _logged_in(_login(site))  # ending sessions does not lock anyone out
