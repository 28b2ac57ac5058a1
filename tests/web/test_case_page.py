"""The staff case page (``/casos/<radicado>``): what it shows, and each action's happy path and refusal.
Refusals never lose what the person typed and never answer 500."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Requester

from .conftest import Site, Visitor

PDF = b"%PDF-1.4\n% prueba\n"


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _url(case: Case, action: str = "") -> str:
    return f"/casos/{case.filing_number}" + (f"/{action}" if action else "")


def _post(visitor: Visitor, case: Case, action: str, data: dict[str, Any] | None = None,
          version: int | None = None, **kwargs: Any) -> Any:
    """Post a form of the case page, rendered from ``version`` (by default the case's current one)."""
    current = visitor_case(visitor, case)
    form = {"version": str(current.version if version is None else version), **(data or {})}
    return visitor.post(_url(case, action), form, **kwargs)


def visitor_case(visitor: Visitor, case: Case) -> Case:
    site_pqrs = visitor.client.application.extensions["pqrs"]
    current: Case = site_pqrs.case(str(case.filing_number))
    return current


def _case(site: Site, case: Case) -> Case:
    current: Case = site.pqrs.case(str(case.filing_number))
    return current


def _assigned_to_ana(site: Site, **fields: Any) -> Case:
    case = site.file("ana", **fields)
    site.pqrs.handle(c.AssignCase(filing_number=str(case.filing_number), assignee="ana"), site.actor("ana"))
    return _case(site, case)


def _in_progress(site: Site, **fields: Any) -> Case:
    case = _assigned_to_ana(site, **fields)
    site.pqrs.handle(c.TransitionCase(filing_number=str(case.filing_number), transition="start"),
                     site.actor("ana"))
    return _case(site, case)


# --- what the page shows --------------------------------------------------------------------------------
def test_the_page_shows_the_fields_the_requester_the_deadline_and_the_timeline(site: Site) -> None:
    case = site.file("ana", kind="reclamo", subject="Devolución no aplicada",
                     typification="CAMBIO_Y_DEVOLUCION_SIN_APLICAR", references=(),
                     requester=Requester(full_name="Marta Gómez", document_type="CC",
                                         document_number="43123456", email="marta@example.com",
                                         phone="3001234567"))

    page = _text(site.as_user("ana").get(_url(case)))

    assert "Devolución no aplicada" in page and "Reclamo" in page
    assert "Cambios y devoluciones › Cambio y devolución sin aplicar" in page
    assert "Marta Gómez" in page and "43123456" in page and "3001234567" in page
    assert re.search(r'class="deadline deadline-on_time"', page) and "hábiles" in page
    assert "¿Cómo se calculó el vencimiento?" in page and "Ley 1437" in page
    assert f"Radicó el caso {case.filing_number}" in page
    assert 'name="transicion" value="start"' in page  # the transitions ana may fire, as buttons
    assert "Tomar el caso" in page and "Agregar nota" in page


def test_a_recurso_filed_after_its_five_business_days_shows_as_late(site: Site) -> None:
    from datetime import datetime

    # Notified Tuesday 31 March 2026: day 1 is Wednesday 1 April, Thursday 2 and Friday 3 are Semana
    # Santa, Mon 6 (2) … Thu 9 (5); the recurso received Friday 10 April came one business day late.
    received = datetime(2026, 4, 10, 9, 0, tzinfo=ZoneInfo("America/Bogota"))
    case = site.file("ana", kind="recurso_reposicion", subject="Recurso contra la factura",
                     received_at=received, custom_fields={"fecha_notificacion_decision": "2026-03-31"})

    page = _text(site.as_user("ana").get(_url(case)))

    assert "Fecha de notificación de la decisión recurrida" in page
    assert "Fuera de término." in page
    assert "la decisión se notificó el 31/03/2026, el plazo de 5 días hábiles para presentarlo vencía " \
           "el 09/04/2026 y se recibió el 10/04/2026" in html.unescape(page)


def test_a_requester_is_sent_to_the_portal_view_of_their_case_without_internal_notes(site: Site) -> None:
    case = site.file("pedro", subject="Mi pedido no llegó",
                     requester=Requester(full_name="Pedro Pérez", user="pedro"))
    ana = site.as_user("ana")
    _post(ana, case, "notas", {"nota_texto": "Llamar al transportador", "nota_tipo": "interna"})
    _post(ana, case, "notas", {"nota_texto": "Estamos revisando su pedido", "nota_tipo": "publica"})

    response = site.as_user("pedro").get(_url(case), follow_redirects=True)
    page = _text(response)

    assert response.request.path == f"/portal{_url(case)}"

    assert "Estamos revisando su pedido" in page
    assert "Llamar al transportador" not in page
    assert "Agregar nota" not in page and "Tomar el caso" not in page and 'name="transicion"' not in page


def test_quality_may_note_a_closed_case_but_not_work_on_it(site: Site) -> None:
    case = _in_progress(site)
    _post(site.as_user("ana"), case, "respuesta",
          {"respuesta_texto": "Resuelto.", "accion": "enviar_y_cerrar"})
    carlos = site.as_user("carlos")

    page = _text(carlos.get(_url(case)))

    assert "Agregar nota" in page and "Reabrir el caso" not in page and 'name="transicion"' not in page
    assert _post(carlos, case, "reapertura", {"reabrir_motivo": "No"}).status_code == 403
    assert _post(carlos, case, "notas", {"nota_texto": "Revisión de calidad: bien"}).status_code == 302


def test_a_case_outside_ones_visibility_and_a_bad_number_are_404(site: Site) -> None:
    case = site.file("ana", subject="Reservado")
    pedro = site.as_user("pedro")

    assert pedro.get(_url(case), follow_redirects=True).status_code == 404
    assert site.as_user("ana").get("/casos/no-es-un-radicado").status_code == 404
    assert site.as_user("ana").post("/casos/PQRS-2026-999999/notas", {"nota_texto": "x"}).status_code == 404


# --- notes ----------------------------------------------------------------------------------------------
def test_notes_are_added_internal_or_public_and_shown_apart_in_the_timeline(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")

    response = _post(ana, case, "notas", {"nota_texto": "Revisé la cartera", "nota_tipo": "interna"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{_url(case)}#historia")
    _post(ana, case, "notas", {"nota_texto": "Le escribiremos pronto", "nota_tipo": "publica"})

    page = _text(ana.get(_url(case)))
    assert "Registro de trabajo agregado." in page or "Nota pública agregada." in page
    internal = re.search(r'<li class="entry entry-internal">.*?</li>', page, re.S)
    public = re.search(r'<li class="entry entry-public">.*?</li>', page, re.S)
    assert internal is not None and "Revisé la cartera" in internal.group(0)
    assert public is not None and "Le escribiremos pronto" in public.group(0)


def test_a_form_version_that_is_not_a_plain_number_is_no_server_error(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")

    response = ana.post(_url(case, "notas"), {"version": "²", "nota_texto": "Revisé la cartera",
                                               "nota_tipo": "interna"})

    assert response.status_code == 302  # taken as a form without its version, like any other
    assert "Revisé la cartera" in _text(ana.get(_url(case)))


def test_a_requester_cannot_post_a_note(site: Site) -> None:
    case = site.file("pedro", requester=Requester(full_name="Pedro Pérez", user="pedro"))

    response = _post(site.as_user("pedro"), case, "notas", {"nota_texto": "Nota falsa"})

    assert response.status_code == 403
    assert all("Nota falsa" not in str(e) for e in site.pqrs.history(str(case.filing_number)))


def test_an_empty_note_is_refused_beside_its_field(site: Site) -> None:
    case = site.file("ana")

    response = _post(site.as_user("ana"), case, "notas", {"nota_texto": "   "})

    page = _text(response)
    assert response.status_code == 422
    assert 'id="error-nota_texto"' in page and "Es obligatorio" in page


def test_a_stale_version_is_refused_and_the_typed_text_kept(site: Site) -> None:
    case = site.file("ana")
    rendered = case.version
    site.pqrs.handle(c.AssignCase(filing_number=str(case.filing_number), assignee="sofia"),
                     site.actor("sofia"))

    response = _post(site.as_user("ana"), case, "replica",
                     {"replica_mensaje": "Mi registro escrito con cuidado",
                      "visto": case.updated_at.isoformat()},
                     version=rendered)

    page = _text(response)
    assert response.status_code == 409
    assert "El caso cambió mientras usted lo editaba" in page
    assert "Asignó el caso a" in page  # what changed since the form was rendered
    assert ">Mi registro escrito con cuidado</textarea>" in page
    assert all("Mi registro" not in str(e) for e in site.pqrs.history(str(case.filing_number)))


# --- transitions, taking and assigning ---------------------------------------------------------------
def test_taking_a_case_then_starting_it(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")

    assert _post(ana, case, "tomar").status_code == 302
    assert _case(site, case).assignee == "ana" and _case(site, case).state == "assigned"
    assert _post(ana, case, "transicion", {"transicion": "start"}).status_code == 302

    page = _text(ana.get(_url(case)))
    assert _case(site, case).state == "in_progress"
    assert "Listo: «Iniciar gestión»." in page and "Iniciar gestión: de «Asignado» a «En progreso»." in page


def test_an_invalid_transition_is_a_clear_message(site: Site) -> None:
    case = site.file("ana")

    response = _post(site.as_user("ana"), case, "transicion", {"transicion": "close"})

    page = _text(response)
    assert response.status_code == 409
    assert "No se puede «Cerrar» cuando el caso está «Radicado». Acciones posibles ahora: " in page
    assert "Iniciar gestión" in page and _case(site, case).state == "filed"


def test_a_transition_with_its_own_form_is_not_fired_as_a_button(site: Site) -> None:
    case = _in_progress(site)

    response = _post(site.as_user("ana"), case, "transicion", {"transicion": "respond"})

    assert response.status_code == 409 and "se hace con su propio formulario" in _text(response)
    assert _case(site, case).state == "in_progress"


def test_a_supervisor_assigns_to_someone_of_the_queue_and_an_agent_may_not(site: Site) -> None:
    case = site.file("ana")
    page = _text(site.as_user("sofia").get(_url(case)))
    assert '<option value="ana"' in page  # ana is in the case's queue (primer_nivel)

    assert _post(site.as_user("ana"), case, "asignacion", {"asignar_responsable": "bruno"}).status_code == 403
    response = _post(site.as_user("sofia"), case, "asignacion",
                     {"asignar_responsable": "ana", "asignar_cola": "primer_nivel"})

    assert response.status_code == 302 and _case(site, case).assignee == "ana"


# --- the response -----------------------------------------------------------------------------------------
def test_the_response_is_previewed_as_the_email_then_sent(site: Site) -> None:
    case = _in_progress(site)
    ana = site.as_user("ana")
    text = "Aplicamos la nota crédito NC-5521 por las 3 cajas devueltas."

    preview = _post(ana, case, "respuesta", {"respuesta_texto": text, "accion": "vista_previa"})

    page = _text(preview)
    assert preview.status_code == 200 and "Vista previa del correo" in page
    assert f"[{case.filing_number}] Respuesta a su petición" in page and "marta@example.com" in page
    assert "le respondemos:" in page and text in page  # the real template, rendered with the text
    assert _case(site, case).version == case.version  # nothing was sent yet

    sent = _post(ana, case, "respuesta", {"respuesta_texto": text, "accion": "enviar"})

    assert sent.status_code == 302 and _case(site, case).state == "responded"
    page = _text(ana.get(_url(case)))
    response_entry = re.search(r'<li class="entry entry-response">.*?</li>', page, re.S)
    assert response_entry is not None and text in response_entry.group(0)


def test_a_preview_of_a_case_that_changed_meanwhile_says_so(site: Site) -> None:
    case = _in_progress(site)
    site.pqrs.handle(c.AddNote(filing_number=str(case.filing_number), text="Nota de Sofía"),
                     site.actor("sofia"))
    form = {"respuesta_texto": "Hola", "accion": "vista_previa", "visto": case.updated_at.isoformat()}

    page = _text(_post(site.as_user("ana"), case, "respuesta", form, version=case.version))

    assert "Vista previa del correo" in page
    assert "El caso cambió mientras usted lo editaba" in page and "Nota de Sofía" in page


def test_respond_and_close_in_one_step(site: Site) -> None:
    case = _in_progress(site)

    _post(site.as_user("ana"), case, "respuesta", {"respuesta_texto": "Listo.", "accion": "enviar_y_cerrar"})

    assert _case(site, case).state == "closed"


def test_a_preview_without_text_or_without_an_email_says_so(site: Site) -> None:
    case = _in_progress(site, requester=Requester(full_name="Sin Correo"))
    ana = site.as_user("ana")

    empty = _post(ana, case, "respuesta", {"respuesta_texto": "", "accion": "vista_previa"})
    assert empty.status_code == 422 and 'id="error-respuesta_texto"' in _text(empty)
    page = _text(_post(ana, case, "respuesta", {"respuesta_texto": "Hola", "accion": "vista_previa"}))
    assert "no tiene correo electrónico" in page


def test_a_response_that_the_state_does_not_allow_keeps_the_text(site: Site) -> None:
    case = site.file("ana")  # filed: "respond" is not possible yet

    response = _post(site.as_user("ana"), case, "respuesta",
                     {"respuesta_texto": "Respuesta prematura", "accion": "enviar"})

    assert response.status_code == 409
    assert "Respuesta prematura" in _text(response) and _case(site, case).state == "filed"


# --- information from the requester -----------------------------------------------------------------------
def test_requesting_information_pauses_the_term_and_a_phoned_reply_resumes_it(site: Site) -> None:
    case = _in_progress(site)
    ana = site.as_user("ana")

    _post(ana, case, "informacion",
          {"info_mensaje": "Envíe la foto de la factura", "info_faltante": "Factura\n"})
    page = _text(ana.get(_url(case)))
    assert _case(site, case).state == "waiting_requester"
    assert "deadline-paused" in page and "Detenido mientras el peticionario aporta información" in page
    assert re.search(r'entry-to_requester">.*?Envíe la foto de la factura', page, re.S)

    _post(ana, case, "replica", {"replica_mensaje": "Dijo por teléfono que la envía hoy"})

    page = _text(ana.get(_url(case)))
    assert _case(site, case).state == "in_progress"
    assert re.search(r'entry-from_requester">.*?Dijo por teléfono que la envía hoy', page, re.S)


# --- typification and returns ---------------------------------------------------------------------------
def test_retypifying_and_an_unknown_typification(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")

    assert _post(ana, case, "tipificacion", {"tipificacion": "QUEJA_DE_CALIDAD"}).status_code == 302
    assert _case(site, case).typification is not None
    assert _case(site, case).typification.code == "QUEJA_DE_CALIDAD"  # type: ignore[union-attr]

    refused = _post(ana, case, "tipificacion", {"tipificacion": "NO_EXISTE"})
    assert refused.status_code == 422 and 'id="error-tipificacion"' in _text(refused)


def test_back_office_returns_a_case_to_the_front_line_but_an_agent_may_not(site: Site) -> None:
    case = _in_progress(site)
    assert "Devolver para re-tipificar" not in _text(site.as_user("ana").get(_url(case)))

    refused = _post(site.as_user("ana"), case, "devolucion", {"devolucion_motivo": "No es mío"})
    assert refused.status_code == 403 and "No se puede «Devolver para re-tipificar»" in _text(refused)

    _post(site.as_user("bruno"), case, "devolucion", {"devolucion_motivo": "La tipificación no corresponde"})
    assert _case(site, case).state == "returned"


# --- editing fields ---------------------------------------------------------------------------------------
def _field_form(visitor: Visitor, case: Case, **changes: str) -> dict[str, str]:
    """The edit form as the page renders it, with ``changes`` typed in."""
    page = visitor.get(_url(case)).get_data(as_text=True)
    form = page[page.index('action="' + _url(case, "campos")):]
    form = form[:form.index("</form>")]
    values: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
        if 'type="checkbox"' not in name:
            values[name] = html.unescape(value)
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        values[name] = html.unescape(body)
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    values.pop("campo_verbal", None)
    values.update(changes)
    return values


def test_editing_fields_saves_what_changed(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")

    form = _field_form(ana, case, campo_asunto="Certificado de paz y salvo urgente",
                       campo_telefono="3109876543", campo_ref_numero_0="FV-777")
    response = ana.post(_url(case, "campos"), form)

    assert response.status_code == 302, _text(response)[:3000]
    now = _case(site, case)
    assert now.subject == "Certificado de paz y salvo urgente" and now.requester.phone == "3109876543"
    assert [r.number for r in now.references] == ["FV-777"]
    assert now.requester.email == "marta@example.com"  # untouched fields stay as they were
    assert "Cambió asunto" in _text(ana.get(_url(case)))


def test_an_invalid_field_is_shown_beside_it_and_the_typed_values_kept(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")

    response = ana.post(_url(case, "campos"), _field_form(ana, case, campo_correo="no-es-correo",
                                                          campo_asunto="Asunto nuevo"))

    page = _text(response)
    assert response.status_code == 422 and 'id="error-campo_correo"' in page
    assert 'value="no-es-correo"' in page and 'value="Asunto nuevo"' in page
    assert _case(site, case).subject == "Solicitud de certificado"


def test_a_stale_edit_shows_the_conflict_keeps_the_typed_text_and_overwrites_nothing(site: Site) -> None:
    case = site.file("ana")
    ana, sofia = site.as_user("ana"), site.as_user("sofia")
    first_tab = _field_form(ana, case, campo_asunto="Asunto de Ana")
    second_tab = _field_form(sofia, case, campo_asunto="Asunto de Sofía")
    assert sofia.post(_url(case, "campos"), second_tab).status_code == 302

    response = ana.post(_url(case, "campos"), first_tab)

    page = _text(response)
    assert response.status_code == 409
    assert "El caso cambió mientras usted lo editaba" in page and "Cambió asunto" in page
    assert 'value="Asunto de Ana"' in page  # what she typed, kept
    assert "Ahora en el caso: <strong>Asunto de Sofía</strong>" in page
    assert _case(site, case).subject == "Asunto de Sofía"  # nothing overwritten
    again = re.search(r'name="version" value="(\d+)"', page)
    assert again is not None and int(again.group(1)) == _case(site, case).version  # a new save is a decision


# --- reopening and the term actions -----------------------------------------------------------------------
def test_a_closed_case_is_reopened_with_a_reason(site: Site) -> None:
    case = _in_progress(site)
    ana = site.as_user("ana")
    _post(ana, case, "respuesta", {"respuesta_texto": "Resuelto.", "accion": "enviar_y_cerrar"})

    refused = _post(ana, case, "reapertura", {"reabrir_motivo": ""})
    assert refused.status_code == 422 and 'id="error-reabrir_motivo"' in _text(refused)
    _post(ana, case, "reapertura", {"reabrir_motivo": "El cliente insiste"})

    assert _case(site, case).state == "in_progress"
    assert "Reabrió el caso: El cliente insiste" in _text(ana.get(_url(case)))


def test_the_term_is_extended_once(site: Site) -> None:
    case = _in_progress(site)
    ana = site.as_user("ana")
    due_before = _case(site, case).resolution_due
    bad = _post(ana, case, "prorroga", {"prorroga_motivo": "Se espera concepto", "prorroga_extra": "dos"})
    assert bad.status_code == 422 and 'id="error-prorroga_extra"' in _text(bad)
    assert ">Se espera concepto</textarea>" in _text(bad)

    assert _post(ana, case, "prorroga", {"prorroga_motivo": "Se espera concepto técnico"}).status_code == 302
    assert _case(site, case).resolution_due != due_before and _case(site, case).extended_by > 0
    assert "Prorrogar el término" not in _text(ana.get(_url(case)))

    again = _post(ana, case, "prorroga", {"prorroga_motivo": "Otra vez"})
    assert again.status_code == 409 and "ya fue prorrogado una vez" in _text(again)


def test_a_home_utility_term_is_suspended_for_evidence_and_resumed_from_the_page(site: Site) -> None:
    case = _in_progress(site, kind="reclamo", typification="SERVICIOS_PUBLICOS")
    ana = site.as_user("ana")
    page = _text(ana.get(_url(case)))
    assert "Suspender el término" in page and "Práctica de pruebas" in page
    bad = _post(ana, case, "suspension", {"suspension_causa": "vacaciones",
                                          "suspension_motivo": "Visita técnica al medidor"})
    assert bad.status_code == 422 and 'id="error-suspension_causa"' in _text(bad)
    assert ">Visita técnica al medidor</textarea>" in _text(bad)  # nothing typed is lost

    done = _post(ana, case, "suspension", {"suspension_causa": "practica_pruebas",
                                           "suspension_motivo": "Visita técnica al medidor"})
    assert done.status_code == 302 and _case(site, case).pauses[-1].cause == "practica_pruebas"
    page = _text(ana.get(_url(case)))
    assert "Suspendido por el personal" in page and "Terminar la suspensión" in page
    assert "término suspendido por práctica de pruebas" in page.lower()
    assert _post(ana, case, "fin-suspension").status_code == 302
    assert _case(site, case).pauses[-1].end is not None


def test_a_general_petition_offers_no_suspension(site: Site) -> None:
    case = _in_progress(site)
    assert "Suspender el término" not in _text(site.as_user("ana").get(_url(case)))


def test_an_incomplete_petition_and_a_withdrawal_before_its_time(site: Site) -> None:
    case = _in_progress(site)
    ana, bruno = site.as_user("ana"), site.as_user("bruno")

    _post(ana, case, "completar", {"completar_mensaje": "Falta la copia de la cédula",
                                   "completar_faltante": "Cédula"})
    assert _case(site, case).completion_due is not None
    refused = _post(bruno, case, "desistimiento", {"desistimiento_motivo": "No completó"})

    assert refused.status_code == 409 and "aún está a tiempo" in _text(refused)
    assert _case(site, case).state == "waiting_requester"


def test_a_transfer_to_the_competent_entity(site: Site) -> None:
    case = site.file("ana")

    _post(site.as_user("ana"), case, "traslado",
          {"traslado_entidad": "Superintendencia de Industria y Comercio",
           "traslado_motivo": "No es competencia"})

    assert _case(site, case).state == "transferred"


def test_a_refused_form_names_its_fields_in_spanish(site: Site) -> None:
    case = site.file("ana")

    refused = _post(site.as_user("ana"), case, "traslado", {"traslado_entidad": "", "traslado_motivo": ""})

    assert refused.status_code == 422
    page = _text(refused)
    assert "Datos inválidos. entidad: es obligatorio." in page
    assert "entity" not in page and "reason" not in page


# --- attachments ------------------------------------------------------------------------------------------
def _upload(visitor: Visitor, case: Case, content: bytes, name: str,
            content_type: str = "application/pdf") -> Any:
    return _post(visitor, case, "adjuntos", {"adjunto_archivo": (io.BytesIO(content), name, content_type)},
                 content_type="multipart/form-data")


def test_an_attachment_is_uploaded_listed_and_downloaded(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")

    assert _upload(ana, case, PDF, "factura ñ.pdf").status_code == 302
    page = ana.get(_url(case)).get_data(as_text=True)
    link = re.search(r'href="(/casos/[^"]+/adjuntos/[^"]+)" download>factura ñ.pdf<', page)
    assert link is not None
    download = ana.get(link.group(1))
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment;" in download.headers["Content-Disposition"]


def test_the_download_of_an_invisible_case_is_a_404(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")
    _upload(ana, case, PDF, "reservado.pdf")
    attachment = _case(site, case).attachments[0]

    response = site.as_user("pedro").get(_url(case, f"adjuntos/{attachment.id}"))

    assert response.status_code == 404 and b"%PDF" not in response.data
    assert ana.get(_url(case, "adjuntos/no-existe")).status_code == 404


def test_uploads_keep_the_apis_limits(site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")
    limit = site.pqrs.deps.settings.max_attachment_bytes

    wrong_type = _upload(ana, case, b"MZ...", "virus.exe", "application/x-msdownload")
    too_big = _upload(ana, case, b"x" * (limit + 1), "grande.pdf")
    empty = _upload(ana, case, b"", "vacio.pdf")

    assert wrong_type.status_code == 415 and "no se permiten archivos .exe" in _text(wrong_type)
    assert too_big.status_code == 413 and "supera el tamaño máximo" in _text(too_big)
    assert empty.status_code == 422 and "el archivo está vacío" in _text(empty)
    assert _case(site, case).attachments == ()
    assert _upload(site.as_user("carlos"), case, PDF, "calidad.pdf").status_code == 403


def test_staff_choose_whether_the_requester_sees_an_attachment(site: Site) -> None:
    juan = Requester(full_name="Juan Pérez", document_type="CC", document_number="80123456", user="juan")
    case = site.file("ana", requester=juan)
    ana = site.as_user("ana")
    public_form = {"adjunto_archivo": (io.BytesIO(PDF + b"1"), "respuesta.pdf", "application/pdf"),
                   "adjunto_visibilidad": "publico"}

    assert _upload(ana, case, PDF, "informe-interno.pdf").status_code == 302  # internal by default
    assert _post(ana, case, "adjuntos", public_form, content_type="multipart/form-data").status_code == 302

    page = _text(ana.get(_url(case)))
    assert re.search(r">informe-interno\.pdf</a></th>\s*<td><span[^>]*>Interno</span>", page)
    assert re.search(r">respuesta\.pdf</a></th>\s*<td><span[^>]*>Público</span>", page)
    internal, public = _case(site, case).attachments
    customer = site.as_user("juan")
    portal = _text(customer.get(f"/portal/casos/{case.filing_number}"))
    assert "respuesta.pdf" in portal and "informe-interno.pdf" not in portal
    assert customer.get(_url(case, f"adjuntos/{public.id}")).data == PDF + b"1"
    refused = customer.get(_url(case, f"adjuntos/{internal.id}"))
    assert refused.status_code == 404 and b"%PDF" not in refused.data


def test_uploads_stop_at_the_cases_quota_and_the_hourly_allowance(site: Site) -> None:
    deps = site.pqrs.deps  # the clock held still: the four uploads fall in one hour at any time of day
    site.pqrs.deps = attrs.evolve(deps, clock=FrozenClock(deps.clock.now()), settings=attrs.evolve(
        deps.settings, max_attachments_per_case=2, max_uploads_per_hour=3))
    first, second = site.file("ana"), site.file("ana")
    ana = site.as_user("ana")
    assert [_upload(ana, first, PDF + bytes([i]), f"f{i}.pdf").status_code for i in range(2)] == [302, 302]

    full = _upload(ana, first, PDF + b"x", "tercero.pdf")
    assert full.status_code == 413
    assert "El caso ya tiene el máximo de 2 archivos adjuntos." in _text(full)
    assert _upload(ana, second, PDF + b"y", "otro-caso.pdf").status_code == 302  # the 3rd of the hour

    hourly = _upload(ana, second, PDF + b"z", "cuarto.pdf")
    assert hourly.status_code == 429
    now = site.pqrs.deps.clock.now().astimezone(ZoneInfo("America/Bogota"))
    next_hour = (now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)).strftime("%H:%M")
    assert f"Puede adjuntar hasta 3 archivos por hora. Intente de nuevo después de las {next_hour}." in _text(
        hourly)
    assert len(_case(site, first).attachments) == 2 and len(_case(site, second).attachments) == 1


def test_an_unwritable_attachment_folder_is_a_503_and_health_says_so(site: Site) -> None:
    case = site.file("ana")
    files_dir = site.app.extensions["pqrs.config"].files_dir
    files_dir.write_text("un archivo donde debía estar la carpeta")  # not a folder: nothing can be written

    refused = _upload(site.as_user("ana"), case, PDF, "factura.pdf")

    assert refused.status_code == 503
    assert "No es posible guardar archivos en este momento." in _text(refused)
    assert _case(site, case).attachments == ()
    health = site.as_user(None).get("/health")
    assert health.status_code == 503
    assert health.get_json() == {"status": "error", "database": "ok", "files": "unwritable"}


def test_an_upload_needs_the_csrf_token_and_a_body_beyond_every_limit_is_refused_before_reading(
        site: Site) -> None:
    case = site.file("ana")
    ana = site.as_user("ana")
    url = _url(case, "adjuntos")
    file = {"adjunto_archivo": (io.BytesIO(PDF), "factura.pdf", "application/pdf")}

    without_token = ana.post(url, file, csrf=False, content_type="multipart/form-data")
    beyond = 6 * site.pqrs.deps.settings.max_attachment_bytes  # more than the 5 files a form may carry
    huge = ana.post(url, {"adjunto_archivo": (io.BytesIO(b"x" * beyond), "enorme.pdf", "application/pdf")},
                    content_type="multipart/form-data")

    assert without_token.status_code == 400 and "El formulario expiró" in _text(without_token)
    assert huge.status_code == 413
    assert _case(site, case).attachments == ()


def test_the_link_back_returns_to_the_list_the_case_was_opened_from_as_it_was_left(site: Site) -> None:
    case = site.file("ana", subject="Caso para volver")
    sofia = site.as_user("sofia")
    back = re.compile(r'<p><a href="([^"]*)">← ([^<]+)</a></p>')

    def link() -> tuple[str, str]:
        found = back.search(sofia.page(_url(case)))
        assert found is not None
        return html.unescape(found.group(1)), found.group(2)

    assert link() == ("/bandeja", "Volver a la bandeja")  # nothing opened before: the inbox
    sofia.page("/bandeja?vista=mi_cola&tipo=peticion&orden=vencimiento")
    assert link() == ("/bandeja?vista=mi_cola&tipo=peticion&orden=vencimiento", "Volver a la bandeja")
    _post(sofia, case, "notas", {"nota_texto": "Llamé al cliente"})  # acting on the case keeps it
    assert link() == ("/bandeja?vista=mi_cola&tipo=peticion&orden=vencimiento", "Volver a la bandeja")
    sofia.page("/distribucion?cola=primer_nivel")
    assert link() == ("/distribucion?cola=primer_nivel", "Volver a la distribución")
    sofia.page("/tablero?vista=mios")
    assert link() == ("/tablero?vista=mios", "Volver al tablero")
    sofia.get("/bandeja?despues=no-es-un-cursor")  # a page that failed is not one to go back to
    assert link() == ("/tablero?vista=mios", "Volver al tablero")


def test_who_received_the_case_is_named_like_everyone_else_on_the_page(site: Site) -> None:
    from pqrs_adapters import accounts

    accounts.save_user(site.engine, "ana", display_name="Ana María Gómez")
    by_ana = site.file("ana", received_by="ana", verbal=True)
    at_the_desk = site.file("ana", received_by="Ventanilla sede norte", verbal=True)

    page = _text(site.as_user("sofia").get(_url(by_ana)))
    other = _text(site.as_user("sofia").get(_url(at_the_desk)))

    received = re.search(r"<dt>Recibido</dt><dd>.*?</dd>", page, re.S)
    assert received is not None and received.group(0).endswith(" por Ana María Gómez</dd>")
    assert " por Ventanilla sede norte</dd>" in other  # a name typed in the form is shown as typed
