"""The front door (``/``: each person to their starting page) and the health checks (liveness and
readiness)."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import Engine, text

from pqrs_core.domain.access import Permission
from pqrs_core.domain.errors import StorageUnavailable
from pqrs_core.services.messagebus import Pqrs

from .web.auth import current_actor
from .web.common import can, staff

log = logging.getLogger(__name__)
bp = Blueprint("web", __name__)


def _pqrs() -> Pqrs:
    pqrs: Pqrs = current_app.extensions["pqrs"]
    return pqrs


@bp.get("/health/live")
def liveness() -> tuple[Response, int]:
    """Whether this process answers at all (what a supervisor restarts it on): nothing else is checked,
    so that a database outage does not get every web process restarted."""
    return jsonify(status="ok"), 200


@bp.get("/health")
@bp.get("/health/ready")
def health() -> tuple[Response, int]:
    """Readiness: whether this worker answers, reaches the database (one trivial query, whatever the
    store's size: a load balancer polls it, and counting a million cases at every poll would cost a
    core) and can write attachments. Each part says ``ok`` or what is wrong; 503 when any part fails
    (the load balancer then sends requests elsewhere until it is ready again)."""
    engine: Engine = current_app.extensions["pqrs.engine"]
    parts = {"database": "ok", "files": "ok"}
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not healthy"
        log.exception("health check: the database is unreachable")
        parts["database"] = "unreachable"
    files = _pqrs().deps.files
    if files is not None:
        try:
            files.check()
        except StorageUnavailable:  # the store logged why
            parts["files"] = "unwritable"
    healthy = all(state == "ok" for state in parts.values())
    return jsonify(status="ok" if healthy else "error", **parts), 200 if healthy else 503


@bp.get("/")
def home() -> ResponseReturnValue:
    """Staff go to their inbox (quality advisors, who work on no case, to the closed cases to review;
    supervisors to their dashboard: what waits, what is late, how the month goes),
    customers to their portal, everyone else sees the public front page."""
    actor = current_actor()
    if actor is None:
        return render_template("public/home.html")
    if can(Permission.QUALITY) and not (can(Permission.WORK) or can(Permission.ASSIGN)):
        return redirect(url_for("supervision.quality"))
    if can(Permission.ASSIGN) and not (can(Permission.CATALOG) or can(Permission.USERS)):
        return redirect(url_for("panel.index"))  # supervisors start with the dashboard
    portal = "portal.index" in current_app.view_functions
    return redirect(url_for("inbox.index" if staff() or not portal else "portal.index"))
