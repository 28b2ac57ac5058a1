"""``/admin/plantillas``: an administrator edits a notification e-mail with a preview, every save is
kept, the renderer uses the newest one (in the sandbox), and a reset goes back to the packaged file."""

from __future__ import annotations

import html
from typing import Any

from pqrs_adapters.config import Config
from pqrs_adapters.mail.wiring import renderer_from_config
from pqrs_adapters.sqlalchemy.mail_template_store import current_override, template_versions

from .conftest import Site

TEXT = ('{% extends "_requester.txt" %}\n{% block subject %}Le respondimos{% endblock %}\n'
        "{% block body %}\nHola {{ requester_name }}, sobre «{{ subject }}»:\n\n{{ message }}\n"
        "{% endblock %}\n")
HTML = ('{% extends "_requester.html" %}\n{% block body %}\n<p>Hola {{ requester_name }}:</p>\n'
        "{{ message|paragraphs }}\n{% endblock %}\n")


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _render(site: Site) -> Any:
    config: Config = site.app.extensions["pqrs.config"]
    renderer = renderer_from_config(config, site.pqrs.catalog(), site.engine)
    return renderer.render("response", "PQRS-2026-000001", {"subject": "Factura", "kind": "reclamo",
                                                            "requester_name": "Ana", "message": "Listo."})


def test_only_administrators_edit_templates(site: Site) -> None:
    assert site.as_user("sofia").get("/admin/plantillas").status_code == 403
    refused = site.as_user("sofia").post("/admin/plantillas/response", {"texto": TEXT, "html": HTML})
    assert refused.status_code == 403
    page = _text(site.as_user("admin").get("/admin/plantillas"))
    assert "Respuesta (al peticionario)" in page and "Predeterminada" in page
    assert site.as_user("admin").get("/admin/plantillas/no_existe").status_code == 404


def test_a_template_is_previewed_saved_used_and_reset(site: Site) -> None:
    admin = site.as_user("admin")
    form = admin.get("/admin/plantillas/response")
    assert "le respondemos:" in _text(form)  # the packaged file, to start from

    preview = _text(admin.post("/admin/plantillas/response", {"texto": TEXT, "html": HTML,
                                                              "accion": "vista_previa"}))
    assert "[PQRS-2026-000123] Le respondimos" in preview and "Hola Carla Gómez" in preview
    assert current_override(site.engine, "response") is None

    saved = admin.post("/admin/plantillas/response", {"texto": TEXT, "html": HTML,
                                                      "asunto": "Respuesta a {{ subject }}"})
    assert saved.status_code == 302
    mail = _render(site)
    assert mail.subject == "[PQRS-2026-000001] Respuesta a Factura"
    assert "Hola Ana, sobre «Factura»" in mail.text and "<p>Hola Ana:</p>" in mail.html

    assert admin.post("/admin/plantillas/response/restablecer").status_code == 302
    assert "le respondemos:" in _render(site).text
    assert [v.reset for v in template_versions(site.engine, "response")] == [True, False]


def test_a_broken_or_unsafe_template_is_refused_beside_its_field(site: Site) -> None:
    admin = site.as_user("admin")
    broken = admin.post("/admin/plantillas/response", {"texto": "{% block body %}", "html": HTML})
    assert broken.status_code == 422 and "línea" in _text(broken)
    unsafe = admin.post("/admin/plantillas/response", {
        "texto": TEXT.replace("{{ message }}", "{{ message.__class__.__mro__ }}"), "html": HTML})
    assert unsafe.status_code == 422 and "no está permitido" in _text(unsafe)
    assert current_override(site.engine, "response") is None


def test_a_running_renderer_picks_up_a_new_version_without_restarting(site: Site) -> None:
    config: Config = site.app.extensions["pqrs.config"]
    renderer = renderer_from_config(config, site.pqrs.catalog(), site.engine)  # as the worker holds it
    context = {"subject": "Factura", "kind": "reclamo", "requester_name": "Ana", "message": "Listo."}
    assert "le respondemos:" in renderer.render("response", "PQRS-2026-000001", context).text

    site.as_user("admin").post("/admin/plantillas/response", {"texto": TEXT, "html": HTML})
    assert "Hola Ana, sobre «Factura»" in renderer.render("response", "PQRS-2026-000001", context).text

    site.as_user("admin").post("/admin/plantillas/response/restablecer")
    assert "le respondemos:" in renderer.render("response", "PQRS-2026-000001", context).text
