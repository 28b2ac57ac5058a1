"""The web application for people: staff pages (inbox, board, case, new case, distribution, quality,
administration), the public filing form and lookup, and the customers' portal.

``init_web(app, config)`` sets up sessions (Flask-Login), CSRF protection on every form (Flask-WTF),
translations (Flask-Babel; the texts are written in Spanish, es-CO) and registers the blueprints.
Every page is rendered on the server and works without JavaScript; ``static/pqrs.js`` only enhances.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from flask_babel import Babel
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect

from ...config import Config
from ...markdown import render_markdown
from ...presentation import first_upper
from . import (
    absences,
    abuse,
    admin,
    auth,
    board,
    case_internal,
    case_page,
    customers,
    dashboard,
    filing,
    handling_time,
    inbox,
    notifications,
    portal,
    public,
    reports,
    supervision,
    survey,
)
from .background import ForegroundSessionInterface, page_messages
from .common import can, deadline, now, permissions, remember_list_page
from .navigation import navigation

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'")
BLUEPRINTS = (auth.bp, inbox.bp, board.bp, case_page.bp, filing.bp, supervision.bp, admin.bp, public.bp,
              portal.bp, notifications.bp, reports.bp, absences.bp, case_internal.area_bp, survey.bp,
              dashboard.bp, customers.bp)


def init_web(app: Flask, config: Config) -> CSRFProtect:
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid as long as the session is
    app.config.setdefault("WTF_CSRF_HEADERS", ["X-CSRF-Token", "X-CSRFToken"])
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "es_CO")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", config.timezone)
    app.config.setdefault("PQRS_RATE_LIMITS", abuse.limits_from(config.clients))
    app.session_interface = ForegroundSessionInterface()
    app.jinja_env.globals["page_messages"] = page_messages
    csrf = CSRFProtect(app)
    babel = Babel()

    def locale() -> str:
        """Spanish unless the browser prefers a language the application has been translated to."""
        available = [str(found) for found in babel.list_translations()]
        return request.accept_languages.best_match(available) or app.config["BABEL_DEFAULT_LOCALE"]

    babel.init_app(app, locale_selector=locale)
    auth.init_login(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> ResponseReturnValue:
        message = _("El formulario expiró o no es válido. Recargue la página e intente de nuevo.")
        return render_template("error.html", code=400, message=message), 400

    app.after_request(remember_list_page)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Scripts and styles only from this site (the pages have no inline scripts); inline styles are
        # allowed for the e-mail previews, whose HTML is the mail's own.
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    logo = config.organisation_logo

    @app.get("/logo")
    def organisation_logo() -> ResponseReturnValue:
        if logo is None or not logo.is_file():
            return render_template("404.html"), 404
        return send_file(logo, max_age=3600)

    # Globals (not a context processor) so that macros imported without context see them too.
    app.jinja_env.filters["first_upper"] = first_upper
    app.jinja_env.globals["render_markdown"] = render_markdown
    app.jinja_env.globals.update(unread_notifications=notifications.unread, app_now=now,
                                 form_opened=handling_time.opened_field,
                                 unseen_activity=notifications.unseen_activity)
    app.jinja_env.globals.update(can=can, permissions=permissions, deadline=deadline, navigation=navigation,
                                 organisation_name=config.settings().organisation_name)

    @app.context_processor
    def _page_globals() -> dict[str, Any]:
        return {"current_user": auth.current_actor(),
                "organisation_logo": url_for("organisation_logo") if logo is not None else None}

    return csrf
