"""What every page of the web application needs: the application objects of this request, the person
acting and what they may do, labels for codes, a case's deadline as a person reads it, and running a
command with its errors turned into messages.

Pages call these instead of reaching into ``current_app`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar, cast

import attrs
from flask import Blueprint, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import Engine
from werkzeug.wrappers import Response

from pqrs_core.domain.access import Permission, is_staff
from pqrs_core.domain.case import Case
from pqrs_core.domain.case_terms import reading
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.errors import (
    ConcurrencyConflict,
    DomainError,
    InvalidTransition,
    TransitionNotPermitted,
)
from pqrs_core.domain.sla import STATUS_LABELS
from pqrs_core.domain.values import Actor
from pqrs_core.services.messagebus import Pqrs

from ...accounts import display_names
from ...config import Config
from ...presentation import Labels, business_duration, error_message, paused_summary
from .auth import current_actor

F = TypeVar("F", bound=Callable[..., Any])


def pqrs() -> Pqrs:
    app: Pqrs = current_app.extensions["pqrs"]
    return app


def config() -> Config:
    value: Config = current_app.extensions["pqrs.config"]
    return value


def engine() -> Engine:
    value: Engine = current_app.extensions["pqrs.engine"]
    return value


def actor() -> Actor:
    """The logged-in person (pages behind ``login_required`` only)."""
    who = current_actor()
    if who is None:
        abort(401)
    return who


def catalog() -> Catalog:
    """The catalog, read once per request."""
    if "pqrs_catalog" not in g:
        g.pqrs_catalog = pqrs().catalog()
    return cast(Catalog, g.pqrs_catalog)


def permissions() -> frozenset[str]:
    """What the logged-in person may do (empty for the public)."""
    who = current_actor()
    if who is None:
        return frozenset()
    return frozenset(str(p) for p in catalog().permissions(who))


def can(permission: Permission | str) -> bool:
    return str(permission) in permissions()


def staff() -> bool:
    """Whether the logged-in person is one of the organisation's people (not a customer)."""
    return is_staff(permissions())


def staff_pages(bp: Blueprint, portal_views: Mapping[str, str], *, open_to: Iterable[str] = ()) -> None:
    """Make every view of ``bp`` (and of the blueprints inside it) a staff page. A logged-in customer
    who opens one of its pages is sent to the portal's view of the same thing (``portal_views``: the
    view's endpoint to the portal's, called with the same URL arguments); anything else is refused
    (403). Their own cases are what they may see, but not with the fields and forms of the staff.
    ``open_to`` names the views a customer may still use (each checks what they may see)."""
    allowed = frozenset(open_to)

    @bp.before_request
    def _staff_only() -> Response | None:
        if current_actor() is None or request.endpoint in allowed or staff():
            return None  # the public meets the view's own login_required
        target = portal_views.get(request.endpoint or "")
        if target is not None and request.method == "GET":
            return redirect(url_for(target, **(request.view_args or {})))
        abort(403)


def require(*needed: Permission) -> Callable[[F], F]:
    """A view only for people holding every one of ``needed`` (403 otherwise)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_actor() is None:
                abort(401)
            if not all(can(p) for p in needed):
                abort(403)
            return view(*args, **kwargs)
        return cast(F, wrapper)
    return decorate


def labels(usernames: Iterable[str | None] = ()) -> Labels:
    """Labels for codes, with the display names of ``usernames`` (and of the logged-in person)."""
    wanted = {u for u in usernames if u}
    who = current_actor()
    if who is not None:
        wanted.add(who.username)
    names = display_names(engine(), sorted(wanted)) if wanted else {}
    return Labels(catalog(), config().timezone, names)


def now() -> datetime:
    return pqrs().deps.clock.now()


@attrs.frozen
class DeadlineView:
    """A case's deadline as a person reads it: when, how much business time is left, and a status the
    page colours (``on_time``, ``at_risk``, ``overdue``, ``paused``, ``met``, ``missed``)."""

    due: datetime | None
    status: str
    status_label: str
    remaining: str  # e.g. "3 d 4 h hábiles", "vencido hace 2 d hábiles"
    elapsed_fraction: float
    short: str = ""  # the same in a list's column: "3 d 4 h", "vencido hace 2 d"
    # While the term is paused: «En pausa desde …; quedan …», shown instead of ``due`` (which moves
    # when the term resumes).
    paused: str | None = None


def business_time(hours: float) -> str:
    """Business hours as "3 d 4 h" (days of the organisation's working day) or "45 min"."""
    return business_duration(hours, config().terms.calendar)


def deadline(case: Case) -> DeadlineView | None:
    """The deadline of ``case`` now, or ``None`` when no term applies to it."""
    current = reading(case, catalog(), now(), pqrs().deps.settings.risk_threshold)
    if current is None:
        return None
    hours = current.remaining.total_seconds() / 3600
    status = current.status.value
    if status in ("met", "missed"):  # answered: the time left no longer matters
        remaining = short = ""
    elif status == "overdue" or hours < 0:
        remaining = _("vencido hace %(t)s hábiles", t=business_time(hours))
        short = _("vencido hace %(t)s", t=business_time(hours))
    else:
        remaining = _("%(t)s hábiles", t=business_time(hours))
        short = business_time(hours)
    paused = paused_summary(current, config().terms.calendar)
    if paused is not None:
        remaining = short = ""
    return DeadlineView(due=case.resolution_due, status=status, status_label=STATUS_LABELS[current.status],
                        remaining=remaining, elapsed_fraction=current.elapsed_fraction, paused=paused,
                        short=short)


def run(command: Any, success: str | None = None) -> Any | None:
    """Handle ``command`` as the logged-in person. On success flash ``success`` and return the result;
    on a domain error flash its Spanish message and return ``None`` (nothing was written)."""
    try:
        result = pqrs().handle(command, actor())
    except DomainError as exc:
        number = getattr(command, "filing_number", None)
        flash(case_error_message(exc, number) if isinstance(number, str) else error_message(exc), "error")
        return None
    if success:
        flash(success, "success")
    return result


def form_text(form: Any, name: str, limit: int = 20_000) -> str:
    """A form field as text, stripped and cut to ``limit`` characters (absent: "")."""
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def form_version(form: Any) -> int | None:
    """The case version a form was rendered from (its hidden ``version`` field), if any."""
    value = form_text(form, "version", 20)
    return int(value) if value.isdecimal() else None


@attrs.frozen
class TypificationGroup:
    """One category of the typification tree and the typifications a case may be classified into
    under it (``(code, label)``, the label being the path below the category)."""

    label: str
    options: tuple[tuple[str, str], ...]


def typification_choices() -> list[TypificationGroup]:
    """The active typifications grouped by category (root), for a ``<select>`` with ``<optgroup>``s.
    A category without subcategories is itself the choice."""
    tree = catalog().typifications

    def ordered(code: str | None) -> list[Any]:
        return sorted((n for n in tree.children(code) if n.active), key=lambda n: (n.position, n.label))

    def below(code: str, path: tuple[str, ...]) -> list[tuple[str, str]]:
        options: list[tuple[str, str]] = []
        for child in ordered(code):
            options.append((child.code, " › ".join((*path, child.label))))
            options.extend(below(child.code, (*path, child.label)))
        return options

    return [TypificationGroup(root.label, tuple(below(root.code, ())) or ((root.code, root.label),))
            for root in ordered(None)]


def staff_people() -> list[tuple[str, str]]:
    """``(username, display name)`` of the active people whose roles let them work on cases (who a
    case may be assigned to), by name."""
    from ...accounts import list_users

    cat = catalog()
    people = [(u.username, u.display_name) for u in list_users(engine()) if u.active
              and Permission.WORK in cat.permissions(Actor(u.username, frozenset(u.roles)))]
    return sorted(people, key=lambda p: (p[1].casefold(), p[0]))


def transition_refusal(exc: InvalidTransition | TransitionNotPermitted, case: Case) -> str:
    """Why a transition of ``case`` was refused, naming the transition, the state and what may be done
    instead by their labels (the codes are for machines)."""
    names = labels()
    label = names.transition(case.workflow, exc.transition)
    if isinstance(exc, TransitionNotPermitted):
        return str(_("No se puede «%(action)s»: %(reason)s.", action=label, reason=exc.reason.rstrip(". ")))
    workflow = case.known_workflow(catalog())
    if workflow is None or workflow.transition(exc.transition) is None:
        return str(_("«%(action)s» no existe en el flujo de este caso.", action=label))
    possible = [names.transition(case.workflow, t.name) for t in workflow.allowed_for(case.state, actor())]
    return str(_("No se puede «%(action)s» cuando el caso está «%(state)s». Acciones posibles ahora: "
                 "%(possible)s.", action=label, state=names.state(case),
                 possible=", ".join(possible) or _("ninguna")))


def case_error_message(exc: DomainError, filing_number: str) -> str:
    """A command on the case ``filing_number`` refused, as a person reads it: a transition by its label
    (see ``transition_refusal``), a stale version as what it is (someone changed the case meanwhile);
    anything else as ``error_message`` says it."""
    if not isinstance(exc, InvalidTransition | TransitionNotPermitted | ConcurrencyConflict):
        return error_message(exc)
    try:
        case = pqrs().case(filing_number, actor())
    except DomainError:  # gone, or no longer visible
        return error_message(exc)
    if isinstance(exc, ConcurrencyConflict):
        return str(_("El caso %(case)s cambió mientras usted lo veía (ahora está «%(state)s»): no se hizo "
                     "ningún cambio. Revíselo y vuelva a intentarlo.", case=case.filing_number,
                     state=labels().state(case)))
    return transition_refusal(exc, case)


# The lists a case is opened from, and what the case page's link back to each says.
LIST_PAGES = {"inbox.index": _l("Volver a la bandeja"), "board.index": _l("Volver al tablero"),
              "supervision.distribution": _l("Volver a la distribución"),
              "supervision.quality": _l("Volver a los casos cerrados")}


def remember_list_page(response: Response) -> Response:
    """After a list page (``LIST_PAGES``) is shown, keep where it was, with its filters, for the link
    back from a case (``back_link``)."""
    if request.method == "GET" and response.status_code == 200 and request.endpoint in LIST_PAGES:
        path = request.full_path.rstrip("?")
        if len(path) <= 1000:
            session["lista"] = [request.endpoint, path]
    return response


def back_link() -> tuple[str, str]:
    """``(url, text)`` of the list the person last opened a case from, as they left it (the inbox
    when there is none)."""
    saved = session.get("lista")
    if isinstance(saved, list) and len(saved) == 2 and saved[0] in LIST_PAGES:
        path = saved[1]
        if isinstance(path, str) and path.startswith("/") and not path.startswith("//") and "\\" not in path:
            return path, str(LIST_PAGES[saved[0]])
    return url_for("inbox.index"), _("Volver a la bandeja")
