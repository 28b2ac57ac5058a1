"""``/admin/reglas``: an administrator writes a rule in rows, reads it back as a sentence, tries it on
recent cases, saves it (a new version on each edit), orders and switches rules; a filed case then
lands where the rule says and its page names the rule."""

from __future__ import annotations

import html

from web.conftest import Site

COBRO_DOBLE = {
    "name": "Cobro doble a back office", "trigger": "filed", "fraction": "0.8",
    "c0_field": "kind", "c0_operator": "is", "c0_value": "reclamo",
    "c1_field": "subject", "c1_operator": "contains", "c1_value": "cobro doble",
    "a0_kind": "set_queue", "a0_value": "back_office",
    "a1_kind": "set_priority", "a1_value": "alta",
}


def text_of(page: str) -> str:
    return html.unescape(page)


def test_the_editor_reads_the_rule_back_tries_it_and_saves_it(site: Site) -> None:
    admin = site.as_user("admin")
    earlier = site.file(kind="reclamo", subject="Cobro doble en la factura de marzo")
    page = text_of(admin.post("/admin/reglas/nueva", {**COBRO_DOBLE, "op": "preview"}).get_data(as_text=True))
    assert ("Cuando se radica un caso, si el tipo es Reclamo y el asunto contiene «cobro doble», entonces "
            "pasarlo a la cola Back office (segundo nivel) y poner prioridad Alta.") in page
    assert 'value="cobro doble"' in page  # what was typed is kept
    page = text_of(admin.post("/admin/reglas/nueva", {**COBRO_DOBLE, "op": "dry_run", "limit": "20"})
                   .get_data(as_text=True))
    assert "la regla habría actuado en 1 de los últimos 1 casos" in page
    assert str(earlier.filing_number) in page and "cola: primer_nivel → back_office" in page
    assert site.pqrs.case(str(earlier.filing_number)).queue == "primer_nivel"  # nothing stored
    response = admin.post("/admin/reglas/nueva", {**COBRO_DOBLE, "op": "save", "enabled": "1"})
    assert response.status_code == 302
    listing = text_of(admin.page("/admin/reglas"))
    assert "Cobro doble a back office" in listing and "versión 1" in listing and "Activa" in listing

    case = site.file(kind="reclamo", subject="Me hicieron un COBRO DOBLE")
    stored = site.pqrs.case(str(case.filing_number))
    assert (stored.queue, stored.priority) == ("back_office", "alta")
    case_page = text_of(admin.page(f"/casos/{case.filing_number}"))
    assert "Cobro doble a back office" in case_page and "versión 1" in case_page


def test_a_rule_with_mistakes_is_refused_next_to_its_rows_keeping_what_was_typed(site: Site) -> None:
    admin = site.as_user("admin")
    mistaken = {**COBRO_DOBLE, "c0_value": "reclamito", "a0_value": "cola_x", "op": "save"}
    response = admin.post("/admin/reglas/nueva", mistaken)
    assert response.status_code == 422
    page = text_of(response.get_data(as_text=True))
    assert "«reclamito» no es un valor de el tipo" in page
    assert "«cola_x» no es una cola válida" in page
    assert 'value="reclamito"' in page and 'value="Cobro doble a back office"' in page
    assert site.pqrs.catalog().rules == ()


def test_editing_makes_a_version_and_rules_are_ordered_and_switched(site: Site) -> None:
    admin = site.as_user("admin")
    admin.post("/admin/reglas/nueva", {**COBRO_DOBLE, "op": "save"})
    admin.post("/admin/reglas/nueva", {**COBRO_DOBLE, "name": "Segunda", "op": "save"})
    (first, second) = site.pqrs.catalog().rules
    admin.post(f"/admin/reglas/{first.code}", {**COBRO_DOBLE, "a1_value": "bloqueante", "op": "save"})
    page = text_of(admin.page(f"/admin/reglas/{first.code}"))
    assert "Versión vigente: 2" in page and "Versión 1" in page and "poner prioridad Bloqueante" in page
    admin.post(f"/admin/reglas/{second.code}/orden", {"direction": "up"})
    assert [r.code for r in site.pqrs.catalog().rules] == [second.code, first.code]
    admin.post(f"/admin/reglas/{first.code}/activa", {"enabled": "1"})
    assert next(r for r in site.pqrs.catalog().rules if r.code == first.code).enabled


def test_only_catalog_administrators_open_the_rules(site: Site) -> None:
    assert site.as_user("ana").get("/admin/reglas").status_code == 403
    assert site.as_user("ana").post("/admin/reglas/nueva", {**COBRO_DOBLE, "op": "save"}).status_code == 403
    assert site.as_user("admin").get("/admin/reglas/NO_EXISTE").status_code == 404


def test_typification_defaults_are_edited_on_the_typification_page_and_inherited(site: Site) -> None:
    admin = site.as_user("admin")
    response = admin.post("/admin/tipificaciones/OPERACIONES/valores", {
        "d_queue": "back_office", "d_priority": "alta", "d_assignment_strategy": "skills",
        "d_required_fields": ["reason"]})
    assert response.status_code == 302
    page = text_of(admin.page("/admin/tipificaciones/PEDIDO_NO_RECIBIDO"))
    assert "cola Back office (segundo nivel), de «Operaciones»" in page  # what the leaf inherits
    case = site.file(kind="reclamo", typification="PEDIDO_NO_RECIBIDO")
    stored = site.pqrs.case(str(case.filing_number))
    assert (stored.queue, stored.priority) == ("back_office", "alta")
    case_page = text_of(admin.page(f"/casos/{case.filing_number}"))
    origin = "Por la tipificación Operaciones › Pedido no recibido: cola Back office (segundo nivel)"
    assert origin in case_page
    refused = admin.post("/admin/tipificaciones/OPERACIONES/valores", {"d_queue": "nada",
                                                                      "d_assignment_strategy": "skills"})
    assert refused.status_code == 422
    page = text_of(refused.get_data(as_text=True))
    assert "«nada» no es una cola válida" in page and 'value="skills"' in page


def test_staff_tag_a_case_and_the_inbox_filters_by_tag(site: Site) -> None:
    case = site.file()
    other = site.file(subject="Otra solicitud")
    ana = site.as_user("ana")
    n = str(case.filing_number)
    response = ana.post(f"/casos/{n}/etiquetas", {"etiquetas_nuevas": "Urgente, VIP", "version": "1"})
    assert response.status_code in (302, 303)
    assert site.pqrs.case(n).tags == ("Urgente", "VIP")
    page = text_of(ana.page(f"/casos/{n}"))
    assert "Agregó «Urgente», «VIP» como etiquetas." in page
    inbox = text_of(ana.page("/bandeja?etiqueta=urgente"))
    assert n in inbox and str(other.filing_number) not in inbox
    ana.post(f"/casos/{n}/etiquetas", {"quitar": "VIP", "version": "2"})
    assert site.pqrs.case(n).tags == ("Urgente",)


def test_an_escalation_policy_is_set_per_queue(site: Site) -> None:
    admin = site.as_user("admin")
    page = text_of(admin.page("/admin/escalamiento"))
    assert "Cola Primer nivel" in page and "Escala a la cola del nivel siguiente, al vencer" in page
    refused = admin.post("/admin/escalamiento", {"scope": "queue:primer_nivel", "target": "email",
                                                 "email": "no es correo", "fractions": ["0.8"]})
    assert refused.status_code == 422
    assert "Escriba un correo electrónico válido." in text_of(refused.get_data(as_text=True))
    saved = admin.post("/admin/escalamiento", {"scope": "queue:primer_nivel", "target": "email",
                                               "email": "jefe@example.com", "fractions": ["0.8", "1"]})
    assert saved.status_code == 302
    page = text_of(admin.page("/admin/escalamiento"))
    assert "Escala avisando a jefe@example.com, al 80 %, al vencer" in page
    assert site.pqrs.catalog().escalation_policies["queue:primer_nivel"].fractions == (0.8, 1.0)
    assert site.as_user("ana").get("/admin/escalamiento").status_code == 403


def test_catalogued_tags_are_offered_on_the_case_page(site: Site) -> None:
    admin = site.as_user("admin")
    response = admin.post("/admin/listas/etiquetas", {"label": "Cliente VIP", "order": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    case = site.file()
    n = str(case.filing_number)
    ana = site.as_user("ana")
    page = text_of(ana.page(f"/casos/{n}"))
    assert 'name="etiquetas_catalogo" value="Cliente VIP"' in page
    ana.post(f"/casos/{n}/etiquetas", {"etiquetas_catalogo": "Cliente VIP", "version": "1"})
    assert site.pqrs.case(n).tags == ("Cliente VIP",)


def test_a_fraction_that_is_not_a_number_is_refused_keeping_the_form(site: Site) -> None:
    admin = site.as_user("admin")
    for fraction in ("nan", "inf", "-inf", "muchos"):
        for trigger in ("filed", "term_fraction"):
            response = admin.post("/admin/reglas/nueva",
                                  {**COBRO_DOBLE, "trigger": trigger, "fraction": fraction, "op": "save"})
            assert response.status_code == 422, (fraction, trigger)
            page = text_of(response.get_data(as_text=True))
            assert "Elija una parte del término." in page
            assert 'value="Cobro doble a back office"' in page and 'value="cobro doble"' in page
    assert site.pqrs.catalog().rules == ()
