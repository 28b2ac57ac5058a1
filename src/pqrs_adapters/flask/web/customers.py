"""``/clientes/<documento>``: a customer's 360° view (``customer_profile``): contact and commercial data
from the customer directories, their cases with state and term, invoices, survey answers and consents.

Open to the staff, and to a consultant for the customers of her network: each lists only the cases the
viewer may see; someone who may see none of a person's cases and is not staff gets 404, like a case she
may not see.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from ...customer_profile import find_profile
from .auth import login_required
from .common import actor, engine, labels, pqrs, staff

bp = Blueprint("customers", __name__)


@bp.get("/clientes/<document>")
@login_required
def profile(document: str) -> ResponseReturnValue:
    is_staff = staff()
    found = find_profile(pqrs(), engine(), actor(), document[:100], staff=is_staff)
    if found is None:
        abort(404)
    case_view = "case_page.detail" if is_staff else "portal.case_page"
    return render_template("web/customer.html", profile=found, case_view=case_view,
                           labels=labels(c.assignee for c in found.cases))
