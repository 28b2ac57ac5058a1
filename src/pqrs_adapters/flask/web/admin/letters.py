"""``/admin/oficios``: the official letters' template (HTML and CSS, Jinja in a sandbox) as the
administrators edit it. A version is checked on a sample letter before it is kept; the preview gives
the sample as PDF without keeping anything; every version is kept, the newest in use, and «Restablecer»
puts the shipped template back as a new version."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from pqrs_core.domain.access import Permission
from pqrs_core.domain.letters import Letterhead

from ....documents.template_store import (
    TemplateRefused,
    checked_pdf,
    current_template,
    sample_letter,
    save_template,
    template_versions,
)
from ....documents.weasyprint_renderer import LetterTemplate, default_template
from ...uploads import content_disposition
from ..auth import login_required
from ..common import actor, engine, labels, now, pqrs
from .support import _, bp, require_any, tabs


def _letterhead() -> Letterhead:
    return pqrs().deps.settings.issued_letterhead()


def _page(template: LetterTemplate, errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    versions = template_versions(engine())
    return render_template("admin/letters.html", template=template, errors=errors, versions=versions,
                           labels=labels(v.created_by for v in versions), tabs=tabs(),
                           is_default=template == default_template()), status


@bp.route("/oficios", methods=["GET", "POST"])
@login_required
@require_any(Permission.CATALOG)
def letters() -> ResponseReturnValue:
    """``accion``: ``vista_previa`` gives the sample letter as PDF; ``guardar`` keeps a new version."""
    if request.method == "GET":
        return _page(current_template(engine()), {})
    typed = LetterTemplate(html=request.form.get("html", "").replace("\r\n", "\n"),
                           css=request.form.get("css", "").replace("\r\n", "\n"))
    step = request.form.get("accion", "")
    try:
        if step == "vista_previa":
            pdf = checked_pdf(typed, sample_letter(_letterhead()))
            response = Response(pdf, mimetype="application/pdf")
            response.headers["Content-Disposition"] = content_disposition("vista-previa-oficio.pdf")
            response.headers["Cache-Control"] = "private, no-store"
            return response
        version = save_template(engine(), typed, _letterhead(), actor=actor().username, now=now())
    except TemplateRefused as exc:
        flash(_("La plantilla no se guardó: revise el campo señalado."), "error")
        return _page(typed, {exc.field: str(exc)}, 422)
    flash(_("Se guardó la versión %(n)d de la plantilla de los oficios.", n=version), "success")
    return redirect(url_for("admin.letters"))


@bp.post("/oficios/restablecer")
@login_required
@require_any(Permission.CATALOG)
def letters_reset() -> ResponseReturnValue:
    version = save_template(engine(), default_template(), _letterhead(), actor=actor().username, now=now(),
                            restored=True)
    flash(_("Se restableció la plantilla original de los oficios (versión %(n)d).", n=version), "success")
    return redirect(url_for("admin.letters"))
