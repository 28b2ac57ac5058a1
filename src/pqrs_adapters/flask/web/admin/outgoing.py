"""Outgoing filing numbers, under ``/admin/radicados-salida``: the format of the numbers of each kind
of communication sent to requesters (``RS-{year}-{seq:06d}``). Kinds with the same format share one
counter per year; a new format starts a counter of its own, so no number is ever given twice."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission
from pqrs_core.domain.outgoing import DEFAULT_FORMAT, MAX_FORMAT, OUTGOING_KINDS

from ..auth import login_required
from ..common import actor, now, pqrs, require
from .support import _, attempt, bp, tabs, text


def _page(errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None,
          status: int = 200) -> tuple[str, int]:
    year = pqrs().deps.local_year(now())  # the organisation's year
    rows = [{"kind": s.kind, "label": s.label, "format": s.format, "example": s.number(year, 1),
             "own": s.format != DEFAULT_FORMAT} for s in pqrs().outgoing_series()]
    page = render_template("admin/outgoing.html", rows=rows, errors=errors or {}, typed=typed or {},
                           default=DEFAULT_FORMAT, max_length=MAX_FORMAT, tabs=tabs())
    return page, status


@bp.get("/radicados-salida")
@login_required
@require(Permission.CATALOG)
def outgoing_series() -> tuple[str, int]:
    return _page()


@bp.post("/radicados-salida")
@login_required
@require(Permission.CATALOG)
def outgoing_series_save() -> Response | tuple[str, int]:
    kind = text("kind", 40)
    if kind not in OUTGOING_KINDS:
        abort(404)
    fmt = text("format", 200)
    errors: dict[str, str] = {}
    if attempt(lambda: pqrs().put_outgoing_series(kind, fmt, actor()), errors):
        flash(_("Se guardó el formato de «%(k)s».", k=OUTGOING_KINDS[kind]), "success")
        return redirect(url_for("admin.outgoing_series") + f"#serie-{kind}")
    return _page({f"{kind}:{k}": v for k, v in errors.items()}, {"kind": kind, "format": fmt}, 422)
