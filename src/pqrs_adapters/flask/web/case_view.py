"""What the case page shows and how its forms answer: the case read for the logged-in person, the
timeline (``case_timeline.py``), the transitions and actions they may use, and running an action's
command so that a refusal shows the page again with what the person typed (never a 500, never lost
text).

The page itself is ``case_page.py``; the forms post to ``case_actions.py``, ``case_response.py``,
``case_fields.py``, ``case_terms.py`` and ``case_files.py``, which all answer through ``perform``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from pqrs_core.domain import events as ev
from pqrs_core.domain.access import Permission
from pqrs_core.domain.attachments import sees_internal, visible_attachments
from pqrs_core.domain.case import DEDICATED_TRANSITIONS, Case
from pqrs_core.domain.deemed_granted import deemed_granted
from pqrs_core.domain.edit_conflicts import checks_version, conflicting_events
from pqrs_core.domain.errors import (
    ConcurrencyConflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    LimitExceeded,
    NotFound,
    StorageUnavailable,
    TransitionNotPermitted,
    ValidationError,
)
from pqrs_core.domain.judicial_terms import awaiting_line, judicial_policy
from pqrs_core.domain.outgoing import numbers_awaiting_voiding, numbers_in
from pqrs_core.domain.term_suspension import SUSPENSION_CAUSES, THIRD_PARTY_CAUSE, suspended_by
from pqrs_core.domain.values import FilingNumber
from pqrs_core.domain.workflow import GuardContext, Workflow, guard_refusal
from pqrs_core.services.term_report import explain_case_term

from ...mail.intake.threads import CaseThread
from ...mail.intake.threads import get as get_thread
from ...presentation import REFERENCE_LABELS, Labels, error_message, first_upper
from ..uploads import allowed_kinds
from .case_timeline import ENTRY_KINDS, TimelineEntry, changes_since, timeline
from .common import actor, back_link, can, catalog, engine, labels, now, pqrs, transition_refusal

PageAnswer = Response | tuple[str, int]


# --- reading the case ---------------------------------------------------------------------------------
def case_key(filing_number: str) -> str:
    """The filing number in its canonical form; 404 for anything that is not one."""
    try:
        return str(FilingNumber.parse(filing_number))
    except ValidationError:
        abort(404)


def load(filing_number: str) -> tuple[Case, list[ev.DomainEvent]]:
    """The case and its history as the logged-in person may see them; 404 otherwise."""
    key = case_key(filing_number)
    try:
        return pqrs().case(key, actor()), pqrs().history(key, actor())
    except NotFound:
        abort(404)


# --- what the person may do ---------------------------------------------------------------------------
@attrs.frozen
class TransitionButton:
    name: str
    label: str
    refused: str | None = None  # why its condition does not allow it now


def _workflow(case: Case) -> Workflow | None:
    return case.known_workflow(catalog())


def allowed_transitions(case: Case) -> list[str]:
    """The transitions the person may fire from the case's state (as the API lists them)."""
    workflow = _workflow(case)
    if workflow is None:
        return []
    return [t.name for t in workflow.allowed_for(case.state, actor())]


def _refusal(case: Case, name: str) -> str | None:
    workflow = _workflow(case)
    transition = workflow.transition(name) if workflow is not None else None
    if transition is None:
        return None
    context = GuardContext(now=now(), settings=pqrs().deps.settings.as_guard_settings())
    return guard_refusal(transition, case, catalog().guards, context)


@attrs.frozen
class Actions:
    """The forms the page shows: each only when the person's permissions and the case allow it (the
    same checks are made again when the form is posted)."""

    transitions: tuple[TransitionButton, ...]
    note: bool
    take: bool
    assign: bool
    request_information: bool
    respond: bool
    record_reply: bool
    typify: bool
    return_case: bool
    reopen: TransitionButton | None
    edit: bool
    extend_term: bool
    # The causes the case's term may be suspended for, as (code, label) (none: no suspension form).
    suspend_term: tuple[tuple[str, str], ...]
    end_suspension: bool
    request_completion: bool
    extend_completion: bool
    withdraw: bool
    transfer: bool
    attach: bool
    judicial_notice: bool = False  # a tutela: record the judge's notices (Decreto 2591 de 1991)
    escalate: bool = False  # send the case to a third party («con tercero»)
    ask_areas: bool = False  # make internal requests to other areas
    resume: bool = False  # the case is with a third party: record their answer or take it back
    root_cause: bool = False  # the case is resolved: record its root cause and corrective action

    def shows(self, form_name: str) -> bool:
        """Whether the page has the form ``form_name`` (as ``perform`` and the templates name them)."""
        shown = {"nota": self.note, "respuesta": self.respond, "informacion": self.request_information,
                 "replica": self.record_reply, "tipificar": self.typify or self.return_case,
                 "reabrir": self.reopen is not None, "prorroga": self.extend_term,
                 "suspension": bool(self.suspend_term) or self.end_suspension,
                 "completar": self.request_completion or self.extend_completion,
                 "desistimiento": self.withdraw,
                 "traslado": self.transfer, "tutela": self.judicial_notice, "campos": self.edit,
                 "etiquetas": self.edit,
                 "asignar": self.assign, "tomar": self.take,
                 "adjuntos": self.attach, "transiciones": bool(self.transitions),
                 "tercero": self.escalate or self.resume, "interna": self.ask_areas,
                 "causa": self.root_cause, "aprobacion": True}
        return shown.get(form_name, False)

    @property
    def any_term_action(self) -> bool:
        return self.extend_term or self.request_completion or self.extend_completion or self.withdraw \
            or self.transfer or self.judicial_notice or bool(self.suspend_term) or self.end_suspension


def actions_for(case: Case, names: Labels) -> Actions:
    allowed = set(allowed_transitions(case))
    work = can(Permission.WORK)
    buttons: list[TransitionButton] = []
    if work:
        for name in allowed_transitions(case):  # in the workflow's order
            if name in DEDICATED_TRANSITIONS and name != "close":
                continue  # fired by their own form
            label = names.transition(case.workflow, name)
            buttons.append(TransitionButton(name, label, _refusal(case, name)))
    reopen = None
    if work and "reopen" in allowed:
        label = names.transition(case.workflow, "reopen")
        reopen = TransitionButton("reopen", label, _refusal(case, "reopen"))
    me = actor().username
    return Actions(
        transitions=tuple(buttons),
        note=can(Permission.NOTE),
        take=case.is_open and case.assignee != me and can(Permission.TAKE),
        assign=case.is_open and can(Permission.ASSIGN),
        request_information=work and "request_information" in allowed,
        respond=work and "respond" in allowed and case.pending_response is None,
        record_reply=work,
        typify=case.is_open and can(Permission.EDIT),
        return_case=work and "return_for_retypification" in allowed,
        reopen=reopen,
        edit=case.is_open and can(Permission.EDIT),
        extend_term=work and case.is_open and case.term is not None and not case.extended_by
        and judicial_policy(case, catalog()) is None,
        suspend_term=_suspension_causes(case, names) if work else (),
        # A stop while a third party holds the case ends when it comes back («Retomar»), not here.
        end_suspension=work and case.is_open and suspended_by(case) not in (None, THIRD_PARTY_CAUSE),
        request_completion=work and "request_information" in allowed and case.completion_due is None,
        extend_completion=work and case.completion_due is not None and not case.completion_extended
        and case.is_open,
        withdraw=work and "withdraw" in allowed and case.completion_due is not None,
        transfer=work and "transfer" in allowed,
        root_cause=work and not case.is_open,
        attach=can(Permission.ATTACH),
        judicial_notice=work and case.is_open and judicial_policy(case, catalog()) is not None,
        escalate=work and case.is_open and case.third_party is None,
        ask_areas=work and case.is_open,
        resume=work and case.third_party is not None,
    )


def _suspension_causes(case: Case, names: Labels) -> tuple[tuple[str, str], ...]:
    """The causes the running term of ``case`` may be suspended for (Decreto-Ley 2150 de 1995 art.
    123 for home utilities), or none while it is stopped, ended or admits none."""
    if not case.is_open or case.term is None or case.term_ended_at or (case.pauses and case.pauses[-1].end
                                                                      is None):
        return ()
    policy = next((p for p in names.catalog.term_policies if p.code == case.term_policy), None)
    causes = policy.suspension_causes if policy is not None else ()
    return tuple((c, SUSPENSION_CAUSES[c]) for c in causes if c in SUSPENSION_CAUSES)


def names_transition(case: Case, name: str) -> str:
    return labels().transition(case.workflow, name)


# --- rendering ----------------------------------------------------------------------------------------
@attrs.frozen
class Conflict:
    """The case changed after the form was rendered: what changed, and (for the field form) what each
    field holds now where it differs from what the person typed."""

    message: str
    changes: tuple[TimelineEntry, ...]
    current: Mapping[str, str] = attrs.field(factory=dict)


def seen_at(form: Mapping[str, Any]) -> datetime | None:
    """When the form's case was last changed as the form saw it (its hidden ``visto`` field)."""
    value = form.get("visto", "")
    try:
        seen = datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None
    return seen if seen is not None and seen.tzinfo is not None else None


def render_case(filing_number: str, *, typed: Mapping[str, Any] | None = None,
                errors: Mapping[str, str] | None = None, conflict: Conflict | None = None,
                open_form: str | None = None, status: int = 200, **extra: Any) -> tuple[str, int]:
    """The case page; after a refused form, with what was typed (``typed``), the field errors and the
    form to show open (``open_form``)."""
    from .case_answers import answer_picker, case_articles
    from .case_custom_fields import case_custom_fields
    from .case_delivery import page_context as notification_context
    from .case_fields import field_form
    from .case_internal import page_context
    from .case_third_party import note_choices
    from .common import staff_people, typification_choices

    case, history = load(filing_number)
    names = labels([case.assignee, case.filed_by, case.front_line_agent, case.received_by,
                    *(e.actor for e in history)])
    actions = actions_for(case, names)
    app = pqrs()
    permissions = catalog().permissions(actor())
    explanation = explain_case_term(case, history, catalog(), app.deps.settings, now())
    term_lines, filing = list(explanation.lines), explanation.filing
    articles = case_articles(case) if actions.note or actions.respond else None
    kept = []  # what was typed in a form the case no longer offers: shown, so that it is not lost
    if typed and open_form and not actions.shows(open_form):
        kept = [value.strip() for name, value in typed.items()
                if name not in _FORM_STATE and isinstance(value, str) and len(value.strip()) > 1]
    return render_template(
        "web/case.html", case=case, labels=names, timeline=timeline(history, case, names),
        outgoing=numbers_in(history, str(case.filing_number)),
        outgoing_pending=numbers_awaiting_voiding(history),
        entry_kinds=ENTRY_KINDS, actions=actions, term_lines=term_lines, filing=filing,
        awaiting_notice=awaiting_line(case, catalog()), granted=deemed_granted(case, catalog(), now()),
        reference_labels=REFERENCE_LABELS, typed=typed or {}, errors=dict(errors or {}),
        conflict=conflict, open_form=open_form, kept_text=kept,
        typifications=typification_choices() if actions.typify else [],
        fields=field_form(case, typed or {}) if actions.edit else None,
        custom_field_labels={d.code: d.label for d in catalog().fields},
        **case_custom_fields(case, catalog()),
        catalog_tags=[e.label for e in catalog().tags if e.active],
        assignees=assignee_choices(case) if actions.assign else [],
        queues=[(q.code, q.label) for q in catalog().queues if q.active],
        attachments=visible_attachments(case, permissions),
        upload=UploadLimits(max_mb=app.deps.settings.max_attachment_bytes // (1024 * 1024),
                            accept=",".join(sorted(app.deps.settings.attachment_types)),
                            kinds=allowed_kinds(app.deps.settings.attachment_types),
                            choose_visibility=sees_internal(permissions)),
        third_party_notes=note_choices(history) if actions.escalate else [],
        can_approve=(case.pending_response is not None and Permission.APPROVE_LETTERS in permissions
                     and case.pending_response.drafted_by != actor().username),
        root_causes=[(e.code, e.label) for e in catalog().entries("root_causes")
                     if e.active or e.code == case.root_cause] if actions.root_cause else [],
        staff=staff_people() if actions.root_cause else [],
        seen=case.updated_at.isoformat(), back=back_link(), mail_thread=mail_thread(filing_number),
        picker=answer_picker(case, typed or {}, articles)
        if actions.respond or actions.note or actions.request_information else None,
        articles=articles, notification=notification_context(case, names),
        **page_context(case), **extra), status


def mail_thread(filing_number: str) -> CaseThread | None:
    """The case's mail thread (its requester address may be failing), when it has one."""
    with engine().connect() as conn:
        return get_thread(conn, str(FilingNumber.parse(filing_number)))


_FORM_STATE = frozenset({"csrf_token", "version", "visto", "accion", "transicion", "nota_tipo",
                         "adjunto_visibilidad", "respuesta_tipo", "destino", "buscar_respuesta",
                         "accion_respuesta_tipo", "macro", "aplicar_macro", "formato"})


@attrs.frozen
class UploadLimits:
    max_mb: int
    accept: str
    kinds: str  # the allowed kinds of file in words
    choose_visibility: bool = False  # the service team says whether the requester sees the file


def assignee_choices(case: Case) -> list[tuple[str, str]]:
    """The people of the case's queue (active accounts), by name."""
    from ...accounts import list_users
    from .common import engine

    members = [u for u in list_users(engine()) if u.active and case.queue in u.queues]
    if case.assignee and all(u.username != case.assignee for u in members):
        members_names = [(case.assignee, labels([case.assignee]).user(case.assignee))]
    else:
        members_names = []
    return members_names + sorted(((u.username, u.display_name or u.username) for u in members),
                                  key=lambda pair: pair[1].lower())


# --- answering a form ---------------------------------------------------------------------------------
def conflict_for(filing_number: str, form: Mapping[str, Any],
                 current: Mapping[str, str] | None = None) -> Conflict:
    case, history = load(filing_number)
    names = labels(e.actor for e in history)
    changes = changes_since(history, case, names, seen_at(form))
    who = sorted({c.actor for c in changes})
    by = _(" (por %(who)s)", who=", ".join(who)) if who else ""
    message = _("El caso cambió mientras usted lo editaba: lo modificaron después de que usted abrió "
                "la página%(by)s. Revise los cambios de abajo; lo que usted escribió se conservó y, si aún "
                "aplica, vuelva a enviarlo.", by=by)
    return Conflict(message=message, changes=tuple(changes), current=dict(current or {}))


def handle_unless_conflicting(filing_number: str, command: Any, form: Mapping[str, Any]) -> Any:
    """Run ``command``; when the case moved on since the form was rendered (its ``visto`` instant) only
    with changes that do not touch what the command changes (a note written in another tab, another
    field edited), run it again on the current version. ``ConcurrencyConflict`` when they do."""
    try:
        return pqrs().handle(command, actor())
    except ConcurrencyConflict:
        if checks_version(command):
            seen = seen_at(form)
            if seen is None:
                raise
            since = [e for e in pqrs().history(filing_number, actor()) if e.occurred_at > seen]
            if not since or conflicting_events(command, since):
                raise
    return pqrs().handle(attrs.evolve(command, expected_version=None), actor())


def perform(filing_number: str, command: Any, *, success: str, form_name: str,
            fields: Mapping[str, str] | None = None, anchor: str | None = None,
            after: Callable[[Any], None] | None = None) -> PageAnswer:
    """Run ``command`` as the logged-in person. On success flash ``success`` and go back to the page
    (at ``anchor``). On a refusal show the page again with what was typed: a stale version as a
    conflict (409), invalid data with each message beside its field (``fields`` maps the command's
    field names to the form's, 422), a limit the same way (413, or 429 when it passes with time), a
    store that cannot keep files as 503, anything else as a flashed message."""
    form = request.form
    try:
        result = handle_unless_conflicting(filing_number, command, form)
    except ConcurrencyConflict:
        return render_case(filing_number, typed=form, conflict=conflict_for(filing_number, form),
                           open_form=form_name, status=409)
    except ValidationError as exc:
        flash(error_message(exc, {f"custom_fields.{d.code}": d.label for d in catalog().fields}), "error")
        return render_case(filing_number, typed=form, errors=form_errors(exc, fields or {}),
                           open_form=form_name, status=422)
    except NotFound:
        abort(404)
    except LimitExceeded as exc:
        flash(error_message(exc), "error")
        return render_case(filing_number, typed=form, open_form=form_name,
                           errors=form_errors(ValidationError({exc.field: str(exc)}), fields or {}),
                           status=429 if exc.retry_at is not None else 413)
    except StorageUnavailable as exc:
        flash(error_message(exc), "error")
        return render_case(filing_number, typed=form, open_form=form_name, status=503)
    except (InvalidTransition, TransitionNotPermitted) as exc:
        case, _history = load(filing_number)
        flash(transition_refusal(exc, case), "error")
        status = 403 if isinstance(exc, TransitionNotPermitted) else 409
        return render_case(filing_number, typed=form, open_form=form_name, status=status)
    except DomainError as exc:
        flash(error_message(exc), "error")
        status = 403 if isinstance(exc, Forbidden) else 409
        return render_case(filing_number, typed=form, open_form=form_name, status=status)
    if after is not None:
        after(result)
    flash(success, "success")
    return redirect(url_for("case_page.detail", filing_number=case_key(filing_number), _anchor=anchor))


def form_errors(exc: ValidationError, fields: Mapping[str, str]) -> dict[str, str]:
    """The error messages by the form's field names (a path's longest known prefix decides)."""
    found: dict[str, str] = {}
    for path, message in exc.errors.items():
        parts = path.split(".")
        name = next((fields[".".join(parts[:n])] for n in range(len(parts), 0, -1)
                     if ".".join(parts[:n]) in fields), None)
        if name is not None:
            found.setdefault(name, first_upper(message))
    return found
