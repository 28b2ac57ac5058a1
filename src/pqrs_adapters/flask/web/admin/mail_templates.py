"""The notification e-mails, under ``/admin/plantillas``: each template's subject, plain-text and HTML
bodies edited with a preview on a sample case, every save kept as a version, and a reset to the
packaged default. For administrators (``catalog.admin``). The renderer (``mail/render.py``) uses the
newest saved version, in Jinja's sandbox."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from jinja2.exceptions import SecurityError
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission

from ....mail.render import TEMPLATE_NAMES, RenderedMail, StoredTemplate
from ....mail.wiring import renderer_from_config
from ....sandbox import FORBIDDEN, TemplateProblem, check_template
from ....sqlalchemy.mail_template_store import current_override, save_template, template_versions
from ..auth import login_required
from ..common import actor, catalog, config, engine, labels, now, require
from .support import bp, tabs

MAX_SOURCE = 50_000

# What each notification is, as the administrator reads it.
DESCRIPTIONS = {
    "acknowledgement": "Constancia de radicación (al peticionario)",
    "new_case": "Caso nuevo (al equipo)",
    "assigned": "Caso asignado (al responsable)",
    "information_request": "Solicitud de información (al peticionario)",
    "response": "Respuesta (al peticionario)",
    "closure": "Cierre del caso (al peticionario)",
    "reopened": "Caso reabierto (al peticionario)",
    "reopened_staff": "Caso reabierto (al equipo)",
    "extension": "Prórroga del término (al peticionario)",
    "requester_replied": "El peticionario respondió (al equipo)",
    "alarm": "Alarma de vencimiento (al equipo)",
    "escalation": "Escalamiento (al equipo)",
    "completion_request": "Solicitud de completar la petición, art. 17 (al peticionario)",
    "withdrawal": "Desistimiento tácito (al peticionario)",
    "transfer": "Traslado por competencia (al peticionario)",
    "concluded": "Caso concluido (al peticionario)",
    "mail_alert": "Alerta del correo recibido (al equipo)",
    "third_party": "Caso enviado a un tercero (al tercero)",
    "third_party_replied": "El tercero respondió (al equipo)",
    "mention": "Mención en una nota (a la persona mencionada)",
}


def _packaged(name: str, extension: str) -> str:
    return (resources.files("pqrs_adapters.mail") / "templates" / f"{name}.{extension}").read_text("utf-8")


def _name(name: str) -> str:
    if name not in TEMPLATE_NAMES:
        abort(404)
    return name


def sample_context() -> dict[str, Any]:
    """A sample case's notification context (every key any packaged template uses)."""
    at = now()
    later = (at + timedelta(days=15)).isoformat()
    soon = (at + timedelta(days=10)).isoformat()
    return {"subject": "Cobro doble en la factura FV-9001", "kind": "reclamo",
            "requester_name": "Carla Gómez",
            "state": "in_progress", "received_at": at.isoformat(), "resolution_due": later, "due": soon,
            "due_before": at.isoformat(), "due_after": later, "requester_due": soon,
            "message": "Revisamos su factura y aplicamos la nota crédito NC-5521.\n\nGracias por "
                       "escribirnos.",
            "solution": "Nota crédito aplicada.", "reason": "Se necesita revisar el inventario.",
            "description": "Me cobraron dos veces el mismo pedido.",
            "note": "Revisemos la factura con @bruno.",
            "author": "Sofía Martínez", "sender": "Bruno Restrepo", "queue": "back_office",
            "queue_before": "primer_nivel", "entity": "Superintendencia de Industria y Comercio",
            "third_party_name": "Transportes del Valle", "fraction": 0.8, "state_label": "En gestión",
            "items": ["Copia de la factura", "Número del pedido"]}


class _Draft:
    """The template being edited, as the renderer's overrides (for the preview)."""

    def __init__(self, name: str, stored: StoredTemplate) -> None:
        self.name, self.stored = name, stored

    def current(self, name: str) -> StoredTemplate | None:
        return self.stored if name == self.name else None


def _form_values(name: str) -> dict[str, str]:
    found = current_override(engine(), name)
    text = found.text_source if found is not None else None
    html = found.html_source if found is not None else None
    return {"asunto": (found.subject if found else None) or "",
            "texto": text if text is not None else _packaged(name, "txt"),
            "html": html if html is not None else _packaged(name, "html")}


def _read() -> dict[str, str]:
    return {"asunto": request.form.get("asunto", "").strip()[:500],
            "texto": request.form.get("texto", "")[:MAX_SOURCE].replace("\r\n", "\n"),
            "html": request.form.get("html", "")[:MAX_SOURCE].replace("\r\n", "\n")}


def _problems(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, html in (("asunto", False), ("texto", False), ("html", True)):
        if field != "asunto" and not values[field].strip():
            errors[field] = _("Escriba la plantilla.")
            continue
        try:
            check_template(values[field], html=html)
        except TemplateProblem as exc:
            errors[field] = exc.message
    return errors


def _preview(name: str, values: dict[str, str]) -> tuple[RenderedMail | None, str | None]:
    stored = StoredTemplate(version=0, subject=values["asunto"] or None, text_source=values["texto"],
                            html_source=values["html"])
    preview = renderer_from_config(config(), catalog(), overrides=_Draft(name, stored))
    try:
        return preview.render(name, "PQRS-2026-000123", sample_context(), recipient="carla@example.com"), None
    except TemplateProblem as exc:
        return None, exc.message
    except SecurityError:
        return None, FORBIDDEN
    except Exception as exc:  # a template error Jinja raises while rendering: shown, never a 500
        return None, _("No se pudo mostrar la plantilla: %(e)s", e=str(exc))


def _page(name: str, values: dict[str, str], errors: dict[str, str], status: int,
          preview: RenderedMail | None = None, preview_error: str | None = None) -> tuple[str, int]:
    return render_template("admin/mail_template_form.html", name=name,
                           description=DESCRIPTIONS.get(name, name), values=values, errors=errors,
                           tabs=tabs(), preview=preview, preview_error=preview_error,
                           versions=template_versions(engine(), name), labels=labels()), status


@bp.get("/plantillas")
@login_required
@require(Permission.CATALOG)
def mail_templates() -> str:
    rows = [(name, DESCRIPTIONS.get(name, name), current_override(engine(), name)) for name in TEMPLATE_NAMES]
    return render_template("admin/mail_templates.html", rows=rows, tabs=tabs(), labels=labels())


@bp.route("/plantillas/<name>", methods=["GET", "POST"])
@login_required
@require(Permission.CATALOG)
def mail_template_edit(name: str) -> Response | tuple[str, int]:
    name = _name(name)
    if request.method == "GET":
        return _page(name, _form_values(name), {}, 200)
    values = _read()
    errors = _problems(values)
    if errors:
        return _page(name, values, errors, 422)
    if request.form.get("accion") == "vista_previa":
        preview, problem = _preview(name, values)
        return _page(name, values, {}, 200 if preview else 422, preview, problem)
    preview, problem = _preview(name, values)
    if preview is None:
        return _page(name, values, {}, 422, None, problem)
    save_template(engine(), name, subject=values["asunto"] or None, text_source=values["texto"],
                  html_source=values["html"], now=now(), actor=actor().username)
    flash(_("Se guardó la plantilla «%(d)s»: los próximos correos la usan.", d=DESCRIPTIONS.get(name, name)),
          "success")
    return redirect(url_for("admin.mail_template_edit", name=name))


@bp.post("/plantillas/<name>/restablecer")
@login_required
@require(Permission.CATALOG)
def mail_template_reset(name: str) -> Response:
    name = _name(name)
    save_template(engine(), name, subject=None, text_source=None, html_source=None, now=now(),
                  actor=actor().username, reset=True)
    flash(_("La plantilla «%(d)s» volvió a la predeterminada (sus versiones anteriores se conservan).",
            d=DESCRIPTIONS.get(name, name)), "success")
    return redirect(url_for("admin.mail_template_edit", name=name))
