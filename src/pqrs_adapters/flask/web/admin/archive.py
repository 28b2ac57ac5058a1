"""The archive: the retention-table rule (TRD) of each kind of case and typification node (Ley 594 de
2000 art. 24; Acuerdo 004 de 2019 AGN), edited on its own page and summarised on the kind's and the
node's pages, each change a new version; and the bulk export of the case files of the cases closed in
a range of days, streamed as one ZIP with a package per case."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from werkzeug.wrappers import Response as BaseResponse

from pqrs_core.domain.access import Permission
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.errors import ValidationError
from pqrs_core.domain.retention import (
    DISPOSITION_LABELS,
    KIND_SCOPE,
    TYPIFICATION_SCOPE,
    Disposition,
    RetentionRule,
    scope_of,
)
from pqrs_core.services.archive_export import closing_range

from ....documents.archive_package import ZIP_TYPE, stream_range
from ...uploads import content_disposition
from ..auth import login_required
from ..common import actor, catalog, config, labels, pqrs, require
from .support import _, attempt, bp, tabs, text, whole_number

SLUGS = {"tipo": KIND_SCOPE, "tipificacion": TYPIFICATION_SCOPE}
FIELDS = ("trd_code", "series", "management_years", "central_years", "disposition", "notes")


def _label(cat: Catalog, scope_kind: str, code: str) -> str | None:
    if scope_kind == KIND_SCOPE:
        return next((k.label for k in cat.kinds if k.code == code), None)
    return cat.typifications.get(code).label if code in cat.typifications else None


def _back(slug: str, code: str) -> str:
    if slug == "tipo":
        return url_for("admin.catalog_edit", slug="tipos", code=code)
    return url_for("admin.typification_edit", code=code)


@bp.app_context_processor
def _retention_summary() -> dict[str, Any]:
    def retention_of(slug: str, code: str) -> dict[str, Any]:
        """The rule in force for a kind (``"tipo"``) or node (``"tipificacion"``) and its edit page."""
        rule = catalog().retention.get(scope_of(SLUGS[slug], code))
        return {"rule": rule, "url": url_for("admin.retention", slug=slug, code=code)}

    return {"retention_of": retention_of}


def _values(rule: RetentionRule | None) -> dict[str, Any]:
    if rule is None:
        return {"disposition": Disposition.KEEP.value}
    return {"trd_code": rule.trd_code, "series": rule.series, "management_years": rule.management_years,
            "central_years": rule.central_years, "disposition": rule.disposition.value, "notes": rule.notes}


def _page(slug: str, code: str, errors: Mapping[str, str] | None = None,
          values: Mapping[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    scope_kind = SLUGS[slug]
    cat = catalog()
    label = _label(cat, scope_kind, code)
    rule = cat.retention.get(scope_of(scope_kind, code))
    versions = pqrs().catalog_admin.retention_versions(scope_kind, code)
    page = render_template("admin/retention.html", slug=slug, code=code, label=label, rule=rule,
                           what=_("el tipo de caso") if slug == "tipo" else _("la tipificación"),
                           back=_back(slug, code), versions=versions, labels=labels(),
                           dispositions=[(d.value, _(DISPOSITION_LABELS[d])) for d in Disposition],
                           errors=errors or {}, values=values or _values(rule), tabs=tabs())
    return page, status


def _known(slug: str, code: str) -> None:
    if slug not in SLUGS or _label(catalog(), SLUGS[slug], code) is None:
        abort(404)


@bp.get("/retencion/<slug>/<code>")
@login_required
@require(Permission.CATALOG)
def retention(slug: str, code: str) -> tuple[str, int]:
    _known(slug, code)
    return _page(slug, code)


@bp.post("/retencion/<slug>/<code>")
@login_required
@require(Permission.CATALOG)
def retention_save(slug: str, code: str) -> BaseResponse | tuple[str, int]:
    _known(slug, code)
    errors: dict[str, str] = {}
    if request.form.get("accion") == "quitar":
        if attempt(lambda: pqrs().catalog_admin.set_retention(SLUGS[slug], code, None, actor()), errors):
            flash(_("Se quitó la tabla de retención; los expedientes que se exporten desde ahora toman la de "
                    "la tipificación superior o del tipo de caso, si la tienen."), "success")
            return redirect(_back(slug, code))
        return _page(slug, code, errors, status=422)
    years = {name: whole_number(errors, name, minimum=0, maximum=200, default=0)
             for name in ("management_years", "central_years")}
    trd_code, disposition = text("trd_code", 200), text("disposition", 50)
    if disposition not in {d.value for d in Disposition}:
        errors["disposition"] = _("Elija una disposición final de la lista.")
    if not trd_code:
        errors["trd_code"] = _("Escriba el código de la serie o subserie documental.")
    if not errors:
        rule = RetentionRule(trd_code=trd_code, series=text("series", 500), notes=text("notes", 4_000),
                             management_years=years["management_years"],
                             central_years=years["central_years"], disposition=Disposition(disposition))
        if attempt(lambda: pqrs().catalog_admin.set_retention(SLUGS[slug], code, rule, actor()), errors):
            flash(_("Se guardó la tabla de retención %(trd)s: la toman los expedientes que se exporten desde "
                    "ahora.", trd=rule.trd_code), "success")
            return redirect(_back(slug, code))
    return _page(slug, code, errors, {k: request.form.get(k, "") for k in FIELDS}, 422)


def retention_change(data: Mapping[str, Any], cat: Catalog) -> str:
    """The change log's sentence for a saved or removed retention rule."""
    scope_kind, _colon, code = str(data.get("scope", "")).partition(":")
    what = (_("el tipo de caso «%(label)s»", label=_label(cat, scope_kind, code) or code)
            if scope_kind == KIND_SCOPE else
            _("la tipificación «%(label)s»", label=_label(cat, scope_kind, code) or code))
    if data.get("removed"):
        return _("Quitó la tabla de retención de %(what)s.", what=what)
    try:
        disposition = _(DISPOSITION_LABELS[Disposition(str(data.get("disposition")))])
    except ValueError:
        disposition = str(data.get("disposition"))
    return _("Asignó a %(what)s la tabla de retención %(trd)s: %(a)s años en gestión, %(b)s en archivo "
             "central, %(d)s.", what=what, trd=data.get("trd_code"), a=data.get("management_years"),
             b=data.get("central_years"), d=disposition.lower())


# ----------------------------------------------------------------------------------- bulk export
def _day(name: str, errors: dict[str, str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        errors[name] = _("Elija la fecha.")
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Escriba una fecha AAAA-MM-DD.")
        return None


@bp.get("/expedientes")
@login_required
@require(Permission.CATALOG)
def archive_export() -> Response | tuple[str, int]:
    if "desde" not in request.args and "hasta" not in request.args:
        return render_template("admin/archive_export.html", errors={}, values={}, tabs=tabs()), 200
    errors: dict[str, str] = {}
    first, last = _day("desde", errors), _day("hasta", errors)
    if first is not None and last is not None:
        try:
            start, end = closing_range(first, last, config().timezone)
        except ValidationError as exc:
            names = {"from": "desde", "to": "hasta"}
            errors.update({names.get(field, "hasta"): message[:1].upper() + message[1:] + "."
                           for field, message in exc.errors.items()})
        else:
            name = f"expedientes-{first:%Y%m%d}-{last:%Y%m%d}.zip"
            return Response(stream_with_context(stream_range(pqrs(), start, end, actor())), mimetype=ZIP_TYPE,
                            headers={"Content-Disposition": content_disposition(name)})
    values = {"desde": request.args.get("desde", ""), "hasta": request.args.get("hasta", "")}
    return render_template("admin/archive_export.html", errors=errors, values=values, tabs=tabs()), 422
