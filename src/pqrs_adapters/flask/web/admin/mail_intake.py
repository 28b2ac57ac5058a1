"""The intake log, ``/admin/correo/recibidos``: the mail that arrived, newest first, with what became of
each message (filed, added to a case, ignored as automatic, bounced, refused) and why, filtered by
outcome, each linked to its case. For supervisors and administrators."""

from __future__ import annotations

from flask import Response, abort, render_template, request

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import NotFound

from ....mail.intake import log as intake_log
from ..auth import login_required
from ..common import engine, labels, pqrs
from .support import _, bp, require_any, tabs

LIMIT = 200


def outcome_labels() -> dict[str, str]:
    return {"filed": _("Radicado"), "threaded": _("Agregado a un caso"), "ignored": _("Ignorado"),
            "bounced": _("Rebote"), "refused": _("Rechazado")}


@bp.get("/correo/recibidos")
@login_required
@require_any(Permission.ASSIGN, Permission.CATALOG, Permission.USERS)
def mail_intake() -> str:
    outcomes = outcome_labels()
    chosen = request.args.get("resultado", "")
    outcome = chosen if chosen in outcomes else None
    before = request.args.get("antes", "")
    before_id = int(before) if before.isdecimal() and len(before) < 19 else None
    with engine().connect() as conn:
        rows = intake_log.recent(conn, outcome=outcome, limit=LIMIT, before_id=before_id)
    older = rows[-1].id if len(rows) == LIMIT else None
    return render_template("admin/mail_intake.html", rows=rows, outcomes=outcomes, chosen=outcome or "",
                           labels=labels(), limit=LIMIT, tabs=tabs(), older=older,
                           paged=before_id is not None)


@bp.get("/correo/recibidos/<int(max=2147483647):intake_id>/original")
@login_required
@require_any(Permission.ASSIGN, Permission.CATALOG, Permission.USERS)
def mail_original(intake_id: int) -> Response:
    """The message exactly as it arrived (``.eml``), whatever became of it."""
    with engine().connect() as conn:
        record = intake_log.get(conn, intake_id)
    files = pqrs().deps.files
    if record is None or record.raw_key is None or files is None:
        abort(404)
    try:
        content = files.get(record.raw_key)
    except NotFound:
        abort(404)
    return Response(content, mimetype="message/rfc822", headers={
        "Content-Disposition": f'attachment; filename="correo-{record.id}.eml"',
        "X-Content-Type-Options": "nosniff"})
