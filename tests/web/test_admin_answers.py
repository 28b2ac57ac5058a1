"""``/admin/respuestas``: canned answers written by administrators and supervisors, previewed, switched
off, deleted; personal ones are their owner's only."""

from __future__ import annotations

from pqrs_adapters.sqlalchemy.answer_store import list_answers
from pqrs_adapters.sqlalchemy.tables import catalog_changes

from .conftest import Site

FORM = {"titulo": "Devolución aprobada", "activa": "1", "tipificaciones": "CAMBIOS_Y_DEVOLUCIONES",
        "tipos": ["queja", "reclamo"],
        "texto": "Hola {{ peticionario.nombre }}: aprobamos la devolución del caso {{ radicado }}."}


def test_only_administrators_and_supervisors_write_answers(site: Site) -> None:
    for username in ("ana", "bruno", "carlos"):
        assert site.as_user(username).get("/admin/respuestas").status_code == 403
        assert site.as_user(username).post("/admin/respuestas/nueva", FORM).status_code == 403
    assert site.as_user("sofia").get("/admin/respuestas").status_code == 200
    assert "Respuestas tipo" in site.as_user("admin").page("/admin")
    assert "/admin/respuestas" in site.as_user("sofia").page("/bandeja")
    assert list_answers(site.engine) == []


def test_a_supervisor_creates_a_shared_answer_and_the_change_is_logged(site: Site) -> None:
    response = site.as_user("sofia").post("/admin/respuestas/nueva", FORM)

    assert response.status_code == 302
    [answer] = list_answers(site.engine)
    assert (answer.title, answer.typifications, answer.kinds, answer.owner, answer.active) == (
        "Devolución aprobada", ("CAMBIOS_Y_DEVOLUCIONES",), ("queja", "reclamo"), None, True)
    page = site.as_user("admin").page("/admin/respuestas")
    assert "Devolución aprobada" in page and "Cambios y devoluciones" in page and "Compartida" in page
    with site.engine.connect() as conn:
        logged = [row.what for row in conn.execute(catalog_changes.select())]
    assert "answers.create" in logged


def test_mistakes_are_shown_beside_their_fields_and_what_was_typed_is_kept(site: Site) -> None:
    form = {**FORM, "titulo": "", "texto": "Hola {{ peticionario.nombre }", "macro_prioridad": "nada"}
    response = site.as_user("admin").post("/admin/respuestas/nueva", form)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Escriba un título." in page
    assert "error en la línea 1" in page
    assert "No existe la prioridad" in page
    assert "Hola {{ peticionario.nombre }" in page
    assert list_answers(site.engine) == []


def test_the_preview_fills_the_variables_with_a_real_case_or_example_values(site: Site) -> None:
    case = site.file()
    admin = site.as_user("admin")

    example = admin.post("/admin/respuestas/nueva", {**FORM, "accion": "vista_previa"})
    real = admin.post("/admin/respuestas/nueva", {**FORM, "accion": "vista_previa",
                                                  "radicado_ejemplo": str(case.filing_number)})
    refused = admin.post("/admin/respuestas/nueva", {**FORM, "accion": "vista_previa",
                                                     "texto": "{{ radicado.__class__.__mro__ }}"})

    said = "Hola {}: aprobamos la devolución del caso {}."
    assert said.format("Carla Gómez", "PQRS-2026-000123") in example.get_data(as_text=True)
    assert said.format("Marta Gómez", case.filing_number) in real.get_data(as_text=True)
    assert "no está permitido" in refused.get_data(as_text=True)
    assert list_answers(site.engine) == []


def test_a_personal_answer_is_its_owners_only(site: Site) -> None:
    site.as_user("sofia").post("/admin/respuestas/nueva", {**FORM, "personal": "1", "titulo": "Mi saludo"})
    [answer] = list_answers(site.engine)
    assert answer.owner == "sofia"

    assert "Mi saludo" not in site.as_user("admin").page("/admin/respuestas")
    assert site.as_user("admin").get(f"/admin/respuestas/{answer.id}").status_code == 404
    assert "Mi saludo" in site.as_user("sofia").page("/admin/respuestas")


def test_an_answer_is_edited_switched_off_and_deleted(site: Site) -> None:
    admin = site.as_user("admin")
    admin.post("/admin/respuestas/nueva", FORM)
    [answer] = list_answers(site.engine)

    admin.post(f"/admin/respuestas/{answer.id}", {**FORM, "titulo": "Devolución aprobada + cerrar",
                                                  "macro_accion": "close", "macro_prioridad": "alta"})
    [edited] = list_answers(site.engine)
    assert edited.title == "Devolución aprobada + cerrar" and edited.is_macro
    assert edited.macro.transition == "close" and edited.macro.priority == "alta"
    assert "Macro" in admin.page("/admin/respuestas")

    admin.post(f"/admin/respuestas/{answer.id}/activa", {"activa": "0"})
    [off] = list_answers(site.engine)
    assert not off.active

    admin.post(f"/admin/respuestas/{answer.id}/eliminar")
    assert list_answers(site.engine) == []
    assert admin.get(f"/admin/respuestas/{answer.id}").status_code == 404
