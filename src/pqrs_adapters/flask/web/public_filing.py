"""``/radicar``: anyone files a PQRS without an account, and gets its filing number and due date.

The case is filed by the actor ``formulario.web`` through the channel ``web_form``, with the consent
to the processing of personal data (Ley 1581 de 2012) and the files. The filing form is shared with the
portal (``case_form.py``); what only the public form has is the anti-abuse measures (``abuse.py``).
Filing never refuses a petition for being incomplete (CPACA art. 15): the core notes what is missing.
"""

from __future__ import annotations

import logging

from flask import redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from pqrs_core.domain.errors import NotFound
from pqrs_core.domain.values import Actor

from . import abuse, case_form
from .common import labels, pqrs
from .public_view import public_state_label
from .uploads import takes_files

log = logging.getLogger(__name__)
# The public form files as this actor (named in ``presentation.SYSTEM_ACTORS``), with a requester's rights.
WEB_FORM = Actor.web_form()
CHANNEL = "web_form"
FILED_KEY = "pqrs_public_filed"  # the session remembers the last case filed, for its receipt page


def _form_page(form: case_form.FilingForm, status: int = 200, token: str | None = None) -> tuple[str, int]:
    context = case_form.context(form, public=True, form_token=token)
    return render_template("public/file_case.html", **context), status


@takes_files
def file_case() -> ResponseReturnValue:
    if request.method == "GET":
        return _form_page(case_form.blank())
    within_limit = abuse.count_attempt(abuse.FILING)
    form = case_form.read(request.form, request.files)
    refusal = abuse.form_refusal(request.form)
    # A person correcting the form keeps its first timestamp: they need not wait again.
    token = str(request.form.get(abuse.TOKEN_FIELD)) if refusal in (None, "too_fast") else None
    if not within_limit:
        form.errors = {case_form.FORM_ERROR: abuse.blocked_message(abuse.FILING)}
        return _form_page(form, 429, token)
    if refusal is not None:
        log.info("public filing form refused: %s", refusal)
        form.errors = {case_form.FORM_ERROR: abuse.refusal_message(refusal), **form.errors}
        return _form_page(form, 400, token)
    if form.errors:
        return _form_page(form, 422, token)
    # Everyone files as the one web-form actor: files are counted per client address instead.
    case = case_form.file(form, channel=CHANNEL, actor=WEB_FORM, sender=f"web:{abuse.client_key()}")
    if case is None:
        return _form_page(form, 422, token)
    session[FILED_KEY] = str(case.filing_number)
    return redirect(url_for("public.filed"))


def filed() -> ResponseReturnValue:
    """The receipt of the case just filed from this browser: filing number, due date, acknowledgement."""
    number = session.get(FILED_KEY)
    if not isinstance(number, str):
        return redirect(url_for("public.file_case"))
    try:
        case = pqrs().case(number)
    except NotFound:
        session.pop(FILED_KEY, None)
        return redirect(url_for("public.file_case"))
    return render_template("public/filed.html", case=case, labels=labels(), state=public_state_label(case),
                           title=_("Solicitud radicada"))
