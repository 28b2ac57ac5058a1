"""«Exportar expediente»: a closed case's package for the organisation's archive (ZIP with its
documents, electronic index and control sheet; ``documents.archive_package``), for the people who work
cases and may see this one. An open case is refused with 409 and the reason."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import Forbidden, InvalidOperation, NotFound

from ...documents.archive_package import ZIP_TYPE, package_name, spooled_package
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
    try:
        package = spooled_package(pqrs(), key, actor())
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except InvalidOperation as exc:
        return render_template("error.html", code=409, message=error_message(exc)), 409
    return send_file(package, mimetype=ZIP_TYPE, as_attachment=True, download_name=package_name(key))
