"""The inbox's filters: read from the query string (so a filtered view is a link one can bookmark), turned
into a ``CaseQuery``, and written back into links (tabs, paging, exports).

The parameters are Spanish: ``vista`` (a saved view), ``categoria``, ``estado``, ``tipo``,
``tipificacion``, ``prioridad``, ``cola``, ``responsable``, ``canal``, ``etiqueta``, ``vence_desde`` /
``vence_hasta`` and ``radicado_desde`` / ``radicado_hasta`` (dates, ``AAAA-MM-DD``, in the organisation's
time zone, both ends included), ``q`` (free text), ``peticionario`` (a requester the new-case form's
search kept in the session, see ``remember_requester``), ``cf.<código>`` (a custom field's value, see
``field_filters``), ``orden`` and ``despues`` (the keyset cursor).
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from flask import url_for
from flask_babel import gettext as _

from pqrs_core.domain.access import Nothing, Predicate
from pqrs_core.domain.values import Actor
from pqrs_core.domain.workflow import StateCategory
from pqrs_core.field_search import MAX_INDEXED_TEXT
from pqrs_core.ports import CaseQuery

from ..field_filters import PREFIX, is_field_filter
from .requester_lookup import remembered_requester

# The key of ``chips``'s ``choices`` that names the custom fields (``cf.<code>`` -> label).
FIELD_NAMES = "campos"

OPEN = (StateCategory.TODO, StateCategory.DOING, StateCategory.WAITING)
RUNNING = (StateCategory.TODO, StateCategory.DOING)  # open with the term running (not paused)


@attrs.frozen
class View:
    """A saved view: a tab of the inbox with its own base filters and default order."""

    code: str
    label: str
    sort: str


def views() -> list[View]:
    return [
        View("todos", _("Todos"), "newest"),
        View("mis_casos", _("Mis casos"), "deadline"),
        View("mi_cola", _("Mi cola"), "deadline"),
        View("vencidos", _("Vencidos"), "deadline"),
        View("esperando", _("Esperando al peticionario"), "deadline"),
        View("con_tercero", _("Con tercero"), "deadline"),
        View("por_aprobar", _("Respuestas por aprobar"), "oldest"),
    ]


# ``orden`` values and the ``CaseQuery.sort`` each means.
SORTS = {"recientes": "newest", "antiguos": "oldest", "vencimiento": "deadline", "prioridad": "priority",
         "actualizados": "updated"}


def sort_labels() -> dict[str, str]:
    return {"vencimiento": _("Vencimiento (el más próximo primero)"), "recientes": _("Más recientes"),
            "antiguos": _("Más antiguos"), "prioridad": _("Prioridad"),
            "actualizados": _("Última actualización")}


TEXT_FIELDS = ("categoria", "estado", "tipo", "tipificacion", "prioridad", "cola", "responsable", "canal",
               "etiqueta", "lote", "producto")
DATE_FIELDS = ("vence_desde", "vence_hasta", "radicado_desde", "radicado_hasta")
REQUESTER_FIELDS = ("peticionario",)
# Filters that live under "Más filtros" (the form opens that part when one of them is wrong).
MORE_FIELDS = ("tipificacion", "prioridad", "cola", "responsable", "canal", "etiqueta", "lote", "producto",
               *DATE_FIELDS)


@attrs.frozen
class Chip:
    label: str  # the filter's name
    value: str  # what it is set to, as a person reads it
    remove_url: str  # the same view without it


@attrs.frozen
class InboxFilters:
    """What the person asked for, as typed (``values``), with an error per field they typed wrong."""

    view: View
    values: Mapping[str, str]
    dates: Mapping[str, date]
    sort: str  # an ``orden`` value
    errors: Mapping[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def any_set(self) -> bool:
        return any(self.values.get(name) for name in (*TEXT_FIELDS, *DATE_FIELDS, *REQUESTER_FIELDS, "q",
                                                      *self.field_filters))

    @property
    def field_filters(self) -> list[str]:
        """The ``cf.<code>`` parameters given."""
        return [name for name in self.values if is_field_filter(name)]

    @property
    def requester(self) -> tuple[str | None, str | None] | None:
        """The document and e-mail of the requester whose cases the ``peticionario`` filter lists."""
        return remembered_requester(self.get("peticionario"))

    @property
    def more_invalid(self) -> bool:
        return any(name in self.errors for name in (*MORE_FIELDS, *self.field_filters))

    def chips(self, choices: Mapping[str, Mapping[str, str]]) -> list[Chip]:
        """The filters in use, as chips that remove them; a value is named by its label in
        ``choices`` (per field) when it has one."""
        names = {**field_labels(), "q": _("Texto"), "vence_desde": _("Vencen desde"),
                 "vence_hasta": _("Vencen hasta"), "radicado_desde": _("Radicados desde"),
                 "radicado_hasta": _("Radicados hasta")}
        names |= choices.get(FIELD_NAMES, {})
        return [Chip(names.get(name, name), choices.get(name, {}).get(value, value),
                     url_for("inbox.index", **self.args(**{name: None})))
                for name in ("q", *TEXT_FIELDS, *DATE_FIELDS, *self.field_filters)
                if (value := self.values.get(name))]

    def args(self, **changes: str | None) -> dict[str, Any]:
        """The query-string parameters giving this same view (``changes`` set or, with ``None``,
        remove parameters), without the cursor."""
        args = {"vista": self.view.code,
                **{k: v for k, v in self.values.items() if v},
                "orden": self.sort if self.sort != default_sort(self.view) else ""}
        for key, value in changes.items():
            args[key] = value or ""
        return {k: v for k, v in args.items() if v}

    def query(self, actor: Actor, now: datetime, timezone: str, *, limit: int,
              after: str | None = None) -> CaseQuery:
        """The ``CaseQuery`` of the view and the filters (visibility is added by ``Pqrs.cases``)."""
        v = self.values
        categories: tuple[StateCategory, ...] = ()
        assignee = v.get("responsable") or None
        queues: tuple[str, ...] = (v["cola"],) if v.get("cola") else ()
        due_to = _instant(self.dates.get("vence_hasta"), timezone, next_day=True)
        contradiction = False
        match self.view.code:
            case "mis_casos":
                categories = OPEN
                contradiction |= assignee not in (None, actor.username)
                assignee = actor.username
            case "mi_cola":
                categories = OPEN
                mine = tuple(sorted(actor.queues))
                contradiction |= not mine or bool(queues and queues[0] not in mine)
                queues = queues or mine
            case "vencidos":
                categories = RUNNING
                due_to = min(due_to, now) if due_to is not None else now
            case "esperando":
                categories = (StateCategory.WAITING,)
            case "con_tercero" | "por_aprobar":
                categories = OPEN
        chosen = next((c for c in StateCategory if c.value == v.get("categoria")), None)
        if chosen is not None:
            contradiction |= bool(categories) and chosen not in categories
            categories = (chosen,)
        requester = self.requester
        visible: Predicate | None = Nothing() if contradiction else None
        return CaseQuery(
            state_categories=categories, states=(v["estado"],) if v.get("estado") else (),
            kinds=(v["tipo"],) if v.get("tipo") else (), queues=queues,
            priorities=(v["prioridad"],) if v.get("prioridad") else (), assignee=assignee,
            typification=v.get("tipificacion") or None, channels=(v["canal"],) if v.get("canal") else (),
            filed_from=_instant(self.dates.get("radicado_desde"), timezone),
            filed_to=_instant(self.dates.get("radicado_hasta"), timezone, next_day=True),
            due_from=_instant(self.dates.get("vence_desde"), timezone), due_to=due_to,
            with_third_party=self.view.code == "con_tercero",
            awaiting_approval=self.view.code == "por_aprobar",
            requester_document=requester[0] if requester else None,
            requester_email=requester[1] if requester else None,
            tags=(v["etiqueta"],) if v.get("etiqueta") else (),
            lots=(v["lote"],) if v.get("lote") else (),
            products=(v["producto"],) if v.get("producto") else (),
            custom_fields=tuple((name.removeprefix(PREFIX), v[name]) for name in self.field_filters
                                if v[name]),
            text=v.get("q") or None, sort=SORTS[self.sort], visible=visible, limit=limit, after=after)


def default_sort(view: View) -> str:
    return next(code for code, sort in SORTS.items() if sort == view.sort)


def parse_filters(args: Mapping[str, Any], default_view: str = "todos") -> InboxFilters:
    """The filters in ``args`` (a request's query string or a form), ``default_view`` without a
    ``vista``; never raises on bad input: a wrong value is left out, with an error on its field."""
    errors: dict[str, str] = {}
    all_views = {v.code: v for v in views()}
    asked = _arg(args, "vista")
    view = all_views.get(asked or default_view, all_views["todos"])
    if asked and asked not in all_views:
        errors["vista"] = _("La vista «%(value)s» no existe: se muestra «%(view)s».", value=asked,
                            view=view.label)
    values = {name: _arg(args, name) for name in (*TEXT_FIELDS, *DATE_FIELDS)}
    values["q"] = _arg(args, "q", 200)
    values |= {name: _arg(args, name, MAX_INDEXED_TEXT) for name in args if is_field_filter(name)}
    values["peticionario"] = _arg(args, "peticionario", 40)
    if values["peticionario"] and remembered_requester(values["peticionario"]) is None:
        errors["peticionario"] = _("La búsqueda de ese peticionario ya no está en esta sesión: búsquelo de "
                                   "nuevo en «Nuevo caso».")
        values["peticionario"] = ""
    dates: dict[str, date] = {}
    for name in DATE_FIELDS:
        if values[name]:
            try:
                dates[name] = date.fromisoformat(values[name])
            except ValueError:
                errors[name] = _("Escriba una fecha válida (AAAA-MM-DD).")
    for start, end in (("vence_desde", "vence_hasta"), ("radicado_desde", "radicado_hasta")):
        if start in dates and end in dates and dates[end] < dates[start]:
            errors[end] = _("La fecha final no puede ser anterior a la inicial.")
            del dates[end]
    sort = _arg(args, "orden") or default_sort(view)
    if sort not in SORTS:
        errors["orden"] = _("Elija un orden de la lista.")
        sort = default_sort(view)
    return InboxFilters(view=view, values=values, dates=dates, sort=sort, errors=errors)


def check_choices(filters: InboxFilters, choices: Mapping[str, Container[str]]) -> InboxFilters:
    """``filters`` without the values that are not among ``choices`` (per field), each with an error on
    its field: a filter is never silently ignored."""
    names = field_labels()
    values, errors = dict(filters.values), dict(filters.errors)
    for name, allowed in choices.items():
        value = values.get(name)
        if value and value not in allowed:
            errors[name] = _("%(field)s: «%(value)s» no es una de las opciones; elija una de la lista.",
                             field=names.get(name, name.removeprefix(PREFIX)), value=value)
            values[name] = ""
    return attrs.evolve(filters, values=values, errors=errors)


def check_fields(filters: InboxFilters, known: Container[str]) -> InboxFilters:
    """``filters`` without the ``cf.<code>`` filters of fields the catalog does not have, each with an
    error on its parameter."""
    values, errors = dict(filters.values), dict(filters.errors)
    for name in filters.field_filters:
        if name.removeprefix(PREFIX) not in known:
            errors[name] = _("«%(field)s» no es un campo adicional: se quitó ese filtro.",
                             field=name.removeprefix(PREFIX))
            del values[name]
    return attrs.evolve(filters, values=values, errors=errors)


def _arg(args: Mapping[str, Any], name: str, limit: int = 100) -> str:
    value = args.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def _instant(day: date | None, timezone: str, *, next_day: bool = False) -> datetime | None:
    """The start of ``day`` (``next_day``: of the day after, so that ``day`` is included) in the
    organisation's time zone, in UTC."""
    if day is None:
        return None
    if next_day:
        if day == date.max:
            return datetime.max.replace(tzinfo=UTC)
        day += timedelta(days=1)
    try:
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone)).astimezone(UTC)
    except OverflowError:  # within hours of year 1 or 9999
        return (datetime.min if day.year < 5000 else datetime.max).replace(tzinfo=UTC)


def field_labels() -> dict[str, str]:
    """What each filter is called on the page (in the messages about a wrong value)."""
    return {"categoria": _("Etapa"), "estado": _("Estado"), "tipo": _("Tipo"),
            "tipificacion": _("Tipificación"), "prioridad": _("Prioridad"), "cola": _("Cola"),
            "responsable": _("Responsable"), "canal": _("Canal"), "etiqueta": _("Etiqueta"),
            "lote": _("Lote"), "producto": _("Producto"), "vista": _("Vista")}
