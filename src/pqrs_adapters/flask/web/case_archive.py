"""«Exportar expediente»: a closed case's package for the organisation's archive (ZIP with its
documents, electronic index and control sheet; ``documents.archive_package``), for the people who work
cases and may see this one. An open case is refused with 409 and the reason."""

from __future__ import annotations

import tempfile

from flask import Blueprint, abort, render_template, send_file
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import Forbidden, InvalidOperation, NotFound

from ...documents.archive_package import SPOOL, ZIP_TYPE, export_case, package_name
from ...presentation import error_message
from .auth import login_required
from .case_view import case_key
from .common import actor, pqrs, require

bp = Blueprint("expediente", __name__)


@bp.get("/casos/<filing_number>/expediente")
@login_required
@require(Permission.WORK)
def download(filing_number: str) -> Response | tuple[str, int]:
    key = case_key(filing_number)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - send_file closes it
    try:
        export_case(pqrs(), key, actor(), spool)
    except NotFound:
        spool.close()
        abort(404)
    except Forbidden:
        spool.close()
        abort(403)
    except InvalidOperation as exc:
        spool.close()
        return render_template("error.html", code=409, message=error_message(exc)), 409
    spool.seek(0)
    return send_file(spool, mimetype=ZIP_TYPE, as_attachment=True, download_name=package_name(key))
