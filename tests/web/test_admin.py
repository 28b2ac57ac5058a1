"""The administration pages through the test client: who may open them, and what each change does to the
rest of the application (forms, case pages, logins, permissions) and to the change log."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from pqrs_adapters import accounts

from .conftest import Site, Visitor

LEAF = "PEDIDO_NO_RECIBIDO"
GET_PAGES = [
    "/admin", "/admin/listas", "/admin/listas/motivos", "/admin/listas/prioridades/alta",
    "/admin/tipificaciones",
    f"/admin/tipificaciones/{LEAF}", "/admin/flujos", "/admin/usuarios", "/admin/usuarios/nuevo",
    "/admin/usuarios/ana", "/admin/roles", "/admin/roles/agent", "/admin/roles/nuevo", "/admin/terminos",
    "/admin/terminos/co_peticion_general", "/admin/historial",
]
POSTS = {
    "/admin/listas/motivos": {"label": "Garantía"},
    "/admin/listas/motivos/PEDIDO_INCOMPLETO": {"label": "Otro nombre", "order": "1", "active": "1"},
    "/admin/listas/motivos/PEDIDO_INCOMPLETO/activo": {"active": "0"},
    "/admin/tipificaciones": {"label": "Nueva categoría"},
    f"/admin/tipificaciones/{LEAF}/nombre": {"label": "Otro nombre"},
    f"/admin/tipificaciones/{LEAF}/ubicacion": {"parent": ""},
    f"/admin/tipificaciones/{LEAF}/activo": {"active": "0"},
    "/admin/flujos/generic/estados/filed": {"label": "Otro nombre"},
    "/admin/flujos/generic/transiciones/start": {"label": "Otro nombre"},
    "/admin/usuarios/nuevo": {"username": "intruso", "display_name": "Intruso", "roles": "admin"},
    "/admin/usuarios/ana": {"display_name": "Ana", "roles": "admin"},
    "/admin/usuarios/ana/contrasena": {"password": "una-clave-muy-larga"},
    "/admin/usuarios/ana/activo": {"active": "0"},
    "/admin/roles/nuevo": {"label": "Rol nuevo", "permissions": "users.admin"},
    "/admin/roles/agent": {"label": "Asesor", "permissions": "users.admin", "active": "1"},
    "/admin/terminos/co_peticion_general": {"amount": "1", "unit": "business_days"},
    "/admin/terminos/cierres": {"day": "2026-12-24", "label": "Cierre"},
    "/admin/terminos/dias-habiles": {"working_days": "mon-sat"},
    "/admin/terminos/recalcular": {},
}


def changes(site: Site) -> list[str]:
    return [c["what"] for c in site.pqrs.catalog_admin.changes()]


def role_form(site: Site, code: str, **overrides: object) -> dict[str, object]:
    """The edit form of role ``code`` as the page fills it, with ``overrides``."""
    role = site.pqrs.catalog().role(code)
    form: dict[str, object] = {"label": role.label, "permissions": sorted(role.permissions),
                               "scopes": sorted(role.scopes), "kinds": list(role.kinds),
                               "typifications": list(role.typifications),
                               "active": "1" if role.active else ""}
    form.update(overrides)
    return form


# ------------------------------------------------------------------------------------------ access
@pytest.mark.parametrize("path", GET_PAGES)
def test_every_page_refuses_people_without_the_permission(site: Site, path: str) -> None:
    assert site.as_user("ana").get(path).status_code == 403
    assert site.as_user("juan").get(path).status_code == 403
    anonymous = site.as_user(None).get(path)
    assert anonymous.status_code == 302 and "/ingresar" in anonymous.headers["Location"]
    assert site.as_user("admin").get(path).status_code == 200


@pytest.mark.parametrize("path", sorted(POSTS))
def test_every_change_is_refused_to_people_without_the_permission(site: Site, path: str) -> None:
    before = site.pqrs.catalog()
    response = site.as_user("sofia").post(path, POSTS[path])

    assert response.status_code == 403
    assert "No tiene permiso" in response.get_data(as_text=True)
    assert changes(site) == ["catalog.sync"]
    assert site.pqrs.catalog().reasons == before.reasons
    assert accounts.get_user(site.engine, "intruso") is None
    assert accounts.load_actor(site.engine, "ana").roles == {"agent"}  # type: ignore[union-attr]


def test_the_menu_leads_administrators_to_the_sections_they_may_open(site: Site) -> None:
    page = site.as_user("admin").page("/bandeja")
    assert 'href="/admin"' in page

    index = site.as_user("admin").page("/admin")
    for section in ("Listas", "Tipificaciones", "Estados de los flujos", "Términos", "Usuarios", "Roles",
                    "Historial de cambios"):
        assert section in index
    assert 'href="/admin"' not in site.as_user("ana").page("/bandeja")


# ------------------------------------------------------------------------------------------ catalog
def test_a_reason_added_here_is_offered_at_once(site: Site) -> None:
    admin = site.as_user("admin")

    response = admin.post("/admin/listas/motivos", {"label": "Garantía vencida",
                                                    "description": "Fuera de plazo"})

    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/listas/motivos")
    reason = next(r for r in site.pqrs.catalog().reasons if r.code == "GARANTIA_VENCIDA")
    assert (reason.label, reason.description, reason.active) == ("Garantía vencida", "Fuera de plazo", True)
    assert reason.position == max(r.position for r in site.pqrs.catalog().reasons)
    page = admin.page("/admin/listas/motivos")
    assert "Se agregó el motivo «Garantía vencida» (código GARANTIA_VENCIDA)." in page
    assert "Administración" in page  # its source
    # The staff's forms read the catalog: the API the pages use offers it to an agent.
    catalog = site.as_user("ana").get("/api/v1/catalog").get_json()
    assert {"code": "GARANTIA_VENCIDA", "label": "Garantía vencida", "description": "Fuera de plazo",
            "position": reason.position, "active": True} in catalog["reasons"]


def test_bad_catalog_input_is_shown_next_to_its_field(site: Site) -> None:
    admin = site.as_user("admin")

    empty = admin.post("/admin/listas/motivos", {"label": "  ", "code": "mal código"})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 422
    assert 'id="error-label"' in page and "Escriba la etiqueta." in page
    assert 'id="error-code"' in page and "Use solo letras sin tilde" in page
    assert 'value="mal código"' in page  # what was typed is kept

    taken = admin.post("/admin/listas/motivos", {"label": "Pedido incompleto"})
    assert taken.status_code == 422
    assert "Ya existe el código «PEDIDO_INCOMPLETO», derivado de la etiqueta" in taken.get_data(as_text=True)

    order = admin.post("/admin/listas/colas/back_office", {"label": "Segundo nivel", "order": "dos"})
    assert order.status_code == 422 and "Escriba un número entero." in order.get_data(as_text=True)
    assert site.pqrs.catalog().queue("back_office").label != "Segundo nivel"
    assert changes(site) == ["catalog.sync"]


def test_an_entry_is_edited_deactivated_and_reactivated(site: Site) -> None:
    admin = site.as_user("admin")

    admin.post("/admin/listas/canales/phone", {"label": "Línea telefónica", "description": "", "order": "3",
                                               "active": "1"})
    assert next(c for c in site.pqrs.catalog().channels if c.code == "phone").label == "Línea telefónica"

    admin.post("/admin/listas/canales/chat/activo", {"active": "0"})
    assert "chat" not in site.pqrs.catalog().active_codes("channels")
    assert "ya no se ofrece en los formularios" in admin.page("/admin/listas/canales")
    admin.post("/admin/listas/canales/chat/activo", {"active": "1"})
    assert "chat" in site.pqrs.catalog().active_codes("channels")
    assert admin.get("/admin/listas/canales/no_existe").status_code == 404
    assert admin.get("/admin/listas/no-es-una-lista").status_code == 404


def test_a_priority_takes_a_free_cell_of_the_eisenhower_matrix(site: Site) -> None:
    admin = site.as_user("admin")

    clash = admin.post("/admin/listas/prioridades", {"label": "Crítica", "order": "0", "important": "1",
                                                     "urgent": "1"})
    assert clash.status_code == 422
    assert "La prioridad «Bloqueante» ya ocupa esa celda" in clash.get_data(as_text=True)
    half = admin.post("/admin/listas/prioridades", {"label": "Crítica", "order": "0", "important": "1"})
    assert half.status_code == 422
    assert "Indique si es importante y si es urgente" in half.get_data(as_text=True)

    admin.post("/admin/listas/prioridades/bloqueante", {"label": "Bloqueante", "order": "1", "important": "",
                                                        "urgent": "", "active": "1"})
    added = admin.post("/admin/listas/prioridades", {"label": "Crítica", "order": "0", "important": "1",
                                                     "urgent": "1"})
    assert added.status_code == 302
    assert site.pqrs.catalog().derive_priority(True, True).code == "critica"


# ------------------------------------------------------------------------------------------ typifications
def test_renaming_a_typification_keeps_the_path_of_cases_classified_before(site: Site) -> None:
    old = site.file("ana", kind="reclamo", typification=LEAF, subject="Pedido perdido")
    admin = site.as_user("admin")
    assert "Los casos conservan la versión con la que fueron clasificados" in admin.page(
        f"/admin/tipificaciones/{LEAF}")

    response = admin.post(f"/admin/tipificaciones/{LEAF}/nombre", {"label": "Pedido nunca entregado",
                                                                   "description": "Sin entrega"})

    assert response.status_code == 302
    tree = admin.page("/admin/tipificaciones")
    assert "Pedido nunca entregado" in tree and "versión 2" in tree
    case_page = admin.page(f"/casos/{old.filing_number}")
    assert "Operaciones › Pedido no recibido" in case_page
    new = site.file("ana", kind="reclamo", typification=LEAF, subject="Otro pedido perdido")
    assert "Operaciones › Pedido nunca entregado" in admin.page(f"/casos/{new.filing_number}")


def test_a_typification_is_added_under_a_parent_moved_and_deactivated(site: Site) -> None:
    admin = site.as_user("admin")

    admin.post("/admin/tipificaciones", {"label": "Devolución por garantía", "parent": "OPERACIONES"})
    node = site.pqrs.catalog().typifications.get("DEVOLUCION_POR_GARANTIA")
    assert node.parent == "OPERACIONES"

    admin.post("/admin/tipificaciones/DEVOLUCION_POR_GARANTIA/ubicacion", {"parent": "COMERCIAL"})
    assert site.pqrs.catalog().typifications.get("DEVOLUCION_POR_GARANTIA").parent == "COMERCIAL"
    admin.post("/admin/tipificaciones/DEVOLUCION_POR_GARANTIA/activo", {"active": "0"})
    assert not site.pqrs.catalog().typifications.get("DEVOLUCION_POR_GARANTIA").active
    assert "Inactiva" in admin.page("/admin/tipificaciones")


def test_a_move_that_would_make_a_cycle_is_refused_in_spanish(site: Site) -> None:
    admin = site.as_user("admin")

    response = admin.post("/admin/tipificaciones/OPERACIONES/ubicacion", {"parent": LEAF})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="error-parent"' in page and "se formaría un ciclo" in page
    assert site.pqrs.catalog().typifications.get("OPERACIONES").parent is None
    unknown = admin.post("/admin/tipificaciones", {"label": "X", "parent": "NO_EXISTE"})
    assert unknown.status_code == 422
    assert "Elija una tipificación de la lista." in unknown.get_data(as_text=True)


# ------------------------------------------------------------------------------------------ workflows
def test_a_relabelled_state_shows_on_the_case_page(site: Site) -> None:
    case = site.file("ana", subject="Estado renombrado")
    admin = site.as_user("admin")
    page = admin.page("/admin/flujos")
    assert 'id="nombre-generic-state-filed"' in page and "Radicado" in page

    response = admin.post("/admin/flujos/generic/estados/filed", {"label": "Recibido en ventanilla"})

    assert response.status_code == 302
    assert "Recibido en ventanilla" in site.as_user("ana").page(f"/casos/{case.filing_number}")
    admin.post("/admin/flujos/generic/transiciones/start", {"label": "Empezar a atender"})
    assert "Empezar a atender" in admin.page("/admin/flujos")

    empty = admin.post("/admin/flujos/generic/estados/filed", {"label": ""})
    assert empty.status_code == 422
    assert 'id="error-nombre-generic-state-filed"' in empty.get_data(as_text=True)
    assert admin.post("/admin/flujos/generic/estados/no_existe", {"label": "X"}).status_code == 404


# ------------------------------------------------------------------------------------------ users and roles
def _login(site: Site, username: str, password: str) -> Visitor:
    visitor = site.as_user(None)
    response = visitor.post("/ingresar", {"usuario": username, "contrasena": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return visitor


def test_a_user_created_here_can_log_in_with_the_password_shown_once(site: Site) -> None:
    admin = site.as_user("admin")

    response = admin.post("/admin/usuarios/nuevo", {
        "username": "lucia", "display_name": "Lucía Díaz", "email": "lucia@example.com",
        "roles": ["agent"], "queues": ["primer_nivel"], "sponsor": "sofia"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    found = re.search(r'<code class="secret" id="contrasena-generada">([^<]+)</code>', page)
    assert found is not None and "no se volverá a mostrar" in page
    password = found.group(1)
    user = accounts.get_user(site.engine, "lucia")
    assert user is not None
    assert (user.display_name, user.email, user.roles, user.queues, user.sponsor) == (
        "Lucía Díaz", "lucia@example.com", ("agent",), ("primer_nivel",), "sofia")
    lucia = _login(site, "lucia", password)
    assert lucia.get("/bandeja").status_code == 200
    assert password not in admin.page("/admin/usuarios/lucia")


def test_user_input_errors_are_shown_next_to_the_fields(site: Site) -> None:
    admin = site.as_user("admin")

    response = admin.post("/admin/usuarios/nuevo", {"username": "ana", "display_name": "",
                                                    "email": "no-es-correo", "password": "corta"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ya existe el usuario «ana»." in page and "Escriba el nombre de la persona." in page
    assert "Escriba un correo electrónico válido" in page and "al menos 10 caracteres" in page
    bad = admin.post("/admin/usuarios/nuevo", {"username": "con espacio", "display_name": "X"})
    assert bad.status_code == 422 and "no es un nombre de usuario válido" in bad.get_data(as_text=True)
    loop = admin.post("/admin/usuarios/diana", {"display_name": "Diana", "roles": ["consultant"],
                                                "sponsor": "felipe"})
    assert loop.status_code == 422 and "no puede ser su patrocinador" in loop.get_data(as_text=True)
    self_off = admin.post("/admin/usuarios/admin/activo", {"active": "0"})
    assert self_off.status_code == 302 and accounts.load_actor(site.engine, "admin") is not None


@pytest.mark.parametrize("name", ["formulario.web", "system", "System"])
def test_a_system_actors_name_cannot_be_given_to_an_account(site: Site, name: str) -> None:
    response = site.as_user("admin").post("/admin/usuarios/nuevo", {
        "username": name, "display_name": "Buzón", "roles": ["admin"], "password": "una-clave-muy-larga"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "es el nombre de un actor del sistema" in page
    assert 'value="Buzón"' in page  # what was typed is kept
    assert accounts.get_user(site.engine, name) is None


def test_a_system_actors_row_left_by_an_older_version_never_logs_in(site: Site) -> None:
    from pqrs_adapters.sqlalchemy.tables import users

    with site.engine.begin() as conn:
        conn.execute(users.insert().values(
            username="formulario.web", display_name="Formulario", roles=["admin"], queues=[], active=True,
            created_at=site.pqrs.deps.clock.now(), password_hash=accounts.hash_password("una-clave-larga")))

    refused = site.as_user(None).post("/ingresar", {"usuario": "formulario.web",
                                                    "contrasena": "una-clave-larga"})

    assert refused.status_code == 401
    assert "Usuario o contraseña incorrectos." in refused.get_data(as_text=True)


def test_a_password_reset_and_a_deactivation_apply_at_once(site: Site) -> None:
    admin = site.as_user("admin")
    accounts.save_user(site.engine, "ana", password="clave-original-1")
    ana = _login(site, "ana", "clave-original-1")

    admin.post("/admin/usuarios/ana/contrasena", {"password": "clave-nueva-2026"})
    _login(site, "ana", "clave-nueva-2026")
    refused = site.as_user(None).post("/ingresar", {"usuario": "ana", "contrasena": "clave-original-1"})
    assert refused.status_code == 401

    admin.post("/admin/usuarios/ana/activo", {"active": "0"})
    assert ana.get("/bandeja").status_code == 302  # logged out on her next page
    admin.post("/admin/usuarios/ana/activo", {"active": "1"})
    assert accounts.load_actor(site.engine, "ana") is not None


def test_a_role_edit_changes_what_its_members_may_do(site: Site) -> None:
    carlos = site.as_user("carlos")
    assert carlos.get("/admin/listas/motivos").status_code == 403
    admin = site.as_user("admin")
    page = admin.page("/admin/roles/quality")
    assert "Administrar el catálogo" in page and "Todos los casos cerrados" in page

    quality = site.pqrs.catalog().role("quality")
    response = admin.post("/admin/roles/quality", role_form(
        site, "quality", permissions=[*sorted(quality.permissions), "catalog.admin"]))

    assert response.status_code == 302
    assert carlos.get("/admin/listas/motivos").status_code == 200
    assert carlos.post("/admin/listas/motivos", {"label": "Revisado por calidad"}).status_code == 302
    assert "REVISADO_POR_CALIDAD" in site.pqrs.catalog().active_codes("reasons")
    assert carlos.get("/admin/usuarios").status_code == 403  # users are another permission
    assert "Administrar el catálogo" in admin.page("/admin/roles")


def test_a_role_is_created_and_bad_role_input_is_refused(site: Site) -> None:
    admin = site.as_user("admin")

    bad = admin.post("/admin/roles/nuevo", {"label": "", "permissions": ["no.existe"]})
    assert bad.status_code == 422
    assert "Escriba el nombre del rol." in bad.get_data(as_text=True)
    assert "Elija permisos de la lista." in bad.get_data(as_text=True)

    admin.post("/admin/roles/nuevo", {"label": "Jurídica", "permissions": ["case.note", "case.work"],
                                      "scopes": ["role_match"], "typifications": ["OPERACIONES"],
                                      "active": "1"})
    role = site.pqrs.catalog().role("juridica")
    assert role.permissions == {"case.note", "case.work"} and role.typifications == ("OPERACIONES",)


def test_the_change_log_lists_each_change_with_its_actor(site: Site) -> None:
    admin = site.as_user("admin")
    admin.post("/admin/listas/motivos", {"label": "Garantía"})
    admin.post(f"/admin/tipificaciones/{LEAF}/nombre", {"label": "Pedido extraviado"})
    admin.post("/admin/flujos/generic/estados/filed", {"label": "Recibido"})
    created = admin.post("/admin/usuarios/nuevo", {"username": "mario", "display_name": "Mario",
                                                   "roles": ["agent"]})
    password = re.search(r'id="contrasena-generada">([^<]+)<', created.get_data(as_text=True))
    admin.post("/admin/usuarios/mario", {"display_name": "Mario Ruiz", "roles": ["agent", "supervisor"]})
    admin.post("/admin/terminos/cierres", {"day": "2026-12-24", "label": "Nochebuena"})

    page = admin.page("/admin/historial")

    expected = [
        "Agregó el día de cierre 24/12/2026 (Nochebuena).",
        "Cambió el usuario «mario»: nombre: Mario Ruiz; roles: Asesor SAC (primer nivel), Supervisor.",
        "Creó el usuario «mario» (nombre: Mario; roles: Asesor SAC (primer nivel); contraseña asignada).",
        "Cambió el nombre del estado filed del flujo generic a «Recibido».",
        f"Renombró la tipificación {LEAF} a «Pedido extraviado».",
        "Guardó el motivo «Garantía» (código GARANTIA): activo.",
    ]
    positions = [page.find(sentence) for sentence in expected]
    assert -1 not in positions, [s for s, p in zip(expected, positions, strict=True) if p < 0]
    assert positions == sorted(positions)  # newest first
    rows = re.findall(r"<tr>\s*<td class=\"nowrap\">.*?</td>\s*<td>([^<]*)</td>", page, re.S)
    assert rows[:6] == ["admin"] * 6
    assert password is not None and password.group(1) not in page


# ------------------------------------------------------------------------------------------ terms
def test_a_term_change_then_recomputing_moves_the_open_deadlines(site: Site) -> None:
    case = site.file("ana", kind="peticion", subject="Plazo por recalcular")
    due = case.resolution_due
    admin = site.as_user("admin")
    page = admin.page("/admin/terminos")
    assert "Petición general (CPACA art. 14)" in page and "15 días hábiles" in page and "Ley 1437" in page

    bad = admin.post("/admin/terminos/co_peticion_general", {"amount": "0", "unit": "semanas"})
    assert bad.status_code == 422
    assert "Debe estar entre 1 y 999." in bad.get_data(as_text=True)
    assert "Elija una unidad de la lista." in bad.get_data(as_text=True)

    saved = admin.post("/admin/terminos/co_peticion_general", {"amount": "20", "unit": "business_days",
                                                                "active": "1"})
    assert saved.status_code == 302 and "cambio=1" in saved.headers["Location"]
    assert "20 días hábiles" in admin.page("/admin/terminos")
    assert site.pqrs.case(str(case.filing_number)).resolution_due == due  # not until recomputed

    admin.post("/admin/terminos/recalcular")

    recomputed = site.pqrs.case(str(case.filing_number)).resolution_due
    assert recomputed is not None and due is not None and recomputed > due
    assert re.search(r"Se recalcularon los vencimientos de los casos abiertos: \d+ casos? cambi",
                     admin.page("/admin/terminos"))


def test_the_working_days_are_chosen_warned_about_logged_and_move_deadlines_when_recomputed(
        site: Site) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    bogota = ZoneInfo("America/Bogota")
    received = datetime(2026, 3, 31, 10, 0, tzinfo=bogota)  # Tuesday before Semana Santa
    case = site.file("ana", kind="peticion", subject="Plazo con sábados", received_at=received)
    key = str(case.filing_number)
    admin = site.as_user("admin")
    page = admin.page("/admin/terminos")
    assert "Los términos cuentan los días de lunes a viernes" in page
    assert 'value="mon-fri" checked' in page and "Función Pública" not in page

    bad = admin.post("/admin/terminos/dias-habiles", {"working_days": "todos"})
    assert bad.status_code == 422 and "Elija los días hábiles de la lista." in bad.get_data(as_text=True)
    saved = admin.post("/admin/terminos/dias-habiles", {"working_days": "mon-sat"})
    assert saved.status_code == 302 and "cambio=1" in saved.headers["Location"]

    page = admin.page("/admin/terminos")
    assert "Los términos cuentan los días de lunes a sábado" in page and 'value="mon-sat" checked' in page
    assert "Función Pública" in page and "Ninguna ley decide si el sábado es hábil" in page
    assert "Eligió los días hábiles: de lunes a sábado." in admin.page("/admin/historial")
    due = site.pqrs.case(key).resolution_due
    assert due is not None and due.astimezone(bogota).date() == date(2026, 4, 23)  # not until recomputed

    admin.post("/admin/terminos/recalcular")

    # 15 business days from Tuesday 31 March 2026, Saturdays counted: Wed 1 Apr (1); Thu 2 and Fri 3
    # are Semana Santa; Sat 4 (2), 6–11 (8), 13–18 (14), Mon 20 (15) → Monday 20 April (Monday to
    # Friday it was Thursday 23).
    due = site.pqrs.case(key).resolution_due
    assert due is not None and due.astimezone(bogota).date() == date(2026, 4, 20)
    assert "días hábiles" in site.pqrs.history(key)[-1].reason  # type: ignore[attr-defined]


def test_closure_days_are_added_checked_and_removed(site: Site) -> None:
    admin = site.as_user("admin")

    bad = admin.post("/admin/terminos/cierres", {"day": "24/12/2026", "label": ""})
    assert bad.status_code == 422
    assert "Escriba una fecha (aaaa-mm-dd)." in bad.get_data(as_text=True)
    assert "Escriba el motivo del cierre" in bad.get_data(as_text=True)

    admin.post("/admin/terminos/cierres", {"day": "2026-12-24", "label": "Nochebuena"})
    assert date(2026, 12, 24) in site.pqrs.catalog().closures
    assert '<time datetime="2026-12-24">24/12/2026</time>' in admin.page("/admin/terminos")
    admin.post("/admin/terminos/cierres/2026-12-24/quitar")
    assert site.pqrs.catalog().closures == ()


def test_the_add_below_links_are_named_with_their_visible_text(site: Site) -> None:
    page = html.unescape(site.as_user("admin").page("/admin/tipificaciones"))

    links = re.findall(r'<a href="[^"]*#agregar" aria-label="([^"]+)">([^<]+)</a>', page)
    assert links
    assert all(label.startswith(text) for label, text in links), links[:3]  # WCAG 2.5.3, label in name
