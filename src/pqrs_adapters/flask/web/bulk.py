"""Bulk actions on the cases selected in the inbox: assign (to a person and/or a queue), move (fire a
workflow transition), void (administrators: a voiding request per case, which a second person with
another role approves; nothing is deleted). Each case goes through its own use case, as the
logged-in person, at the version the page showed; the outcome says which cases changed and which could
not, and why."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from flask_babel import gettext as _
from flask_babel import ngettext

from pqrs_core.domain import commands as c
from pqrs_core.domain.case import DEDICATED_TRANSITIONS, Case
from pqrs_core.domain.catalog import Catalog
from pqrs_core.domain.errors import DomainError, ValidationError
from pqrs_core.domain.values import Actor, FilingNumber

from .case_cause import close_command
from .common import actor, case_error_message, pqrs

MAX_SELECTED = 500
MAX_FAILURES_SHOWN = 5
# Transitions with a command of their own that needs nothing typed, so they can be fired in bulk too.
BULK_DEDICATED = {"close": close_command}


@attrs.frozen
class Selection:
    """The filing numbers ticked in the inbox, each with the version its row showed (if it came)."""

    items: tuple[tuple[str, int | None], ...]

    @classmethod
    def from_form(cls, form: Any) -> Selection:
        seen: dict[str, int | None] = {}
        for raw in form.getlist("casos")[:MAX_SELECTED]:
            try:
                number = str(FilingNumber.parse(str(raw)))
            except ValidationError:
                continue
            version = str(form.get(f"version-{number}", ""))
            seen[number] = int(version) if version.isdecimal() and len(version) < 10 else None
        return cls(tuple(seen.items()))

    @property
    def numbers(self) -> list[str]:
        return [n for n, _v in self.items]


@attrs.frozen
class Outcome:
    done: list[str] = attrs.field(factory=list)
    failed: list[tuple[str, str]] = attrs.field(factory=list)  # (filing number, why)

    def message(self, done_text: str) -> tuple[str, str]:
        """One flash message and its category: what was done, then what could not be done and why."""
        parts = [done_text] if self.done else []
        if self.failed:
            # Each reason is a sentence of its own: its final stop gives way to the separator.
            reasons = "; ".join(f"{n}: {why.rstrip('. ')}" for n, why in self.failed[:MAX_FAILURES_SHOWN])
            more = len(self.failed) - MAX_FAILURES_SHOWN
            if more > 0:
                reasons += " " + ngettext("(y %(num)d más)", "(y %(num)d más)", more)
            parts.append(ngettext("%(num)d no se pudo: %(why)s", "%(num)d no se pudieron: %(why)s",
                                  len(self.failed), why=reasons))
        category = "success" if not self.failed else ("warning" if self.done else "error")
        return "; ".join(parts) + ("" if parts and parts[-1].endswith(".") else "."), category


def _each(selection: Selection, command: Callable[[str, int | None], Any]) -> Outcome:
    outcome = Outcome()
    who = actor()
    for number, version in selection.items:
        try:
            pqrs().handle(command(number, version), who)
        except DomainError as exc:
            outcome.failed.append((number, case_error_message(exc, number)))
        else:
            outcome.done.append(number)
    return outcome


def assign(selection: Selection, assignee: str | None, queue: str | None) -> Outcome:
    return _each(selection, lambda n, v: c.AssignCase(filing_number=n, assignee=assignee, queue=queue,
                                                      expected_version=v))


def move(selection: Selection, transition: str) -> Outcome:
    make = BULK_DEDICATED.get(transition)
    if make is not None:
        return _each(selection, make)
    return _each(selection, lambda n, v: c.TransitionCase(filing_number=n, transition=transition,
                                                          expected_version=v))


def request_voiding(selection: Selection, reason: str) -> Outcome:
    """A voiding request for each case (``services.voiding``): the cases stay as they are until a
    second person approves."""
    return _each(selection, lambda n, _v: c.RequestVoiding(target=n, reason=reason))


def _in_bulk(name: str) -> bool:
    return name not in DEDICATED_TRANSITIONS or name in BULK_DEDICATED


def allowed_transitions(catalog: Catalog, case: Case, actor: Actor) -> list[str]:
    """The transitions ``actor`` may fire in bulk on ``case`` from its state (guards, which look at
    the case's data, are checked when each case moves)."""
    workflow = case.known_workflow(catalog)
    if workflow is None:
        return []
    return [t.name for t in workflow.allowed_for(case.state, actor) if _in_bulk(t.name)]


def bulk_transitions(catalog: Catalog) -> list[tuple[str, str]]:
    """``(name, label)`` of the transitions a person may fire on many cases at once: those of every
    workflow that need nothing typed (the others have their own form on the case page)."""
    found: dict[str, str] = {}
    for workflow in catalog.workflows:
        for transition in workflow.transitions:
            if _in_bulk(transition.name):
                found.setdefault(transition.name, transition.label)
    return sorted(found.items(), key=lambda item: item[1].casefold())


def done_message(action: str, count: int, names: Mapping[str, str]) -> str:
    """"3 casos asignados a Ana Agente" and the like."""
    if action == "asignar":
        target = names.get("assignee") and names.get("queue")
        if target:
            return str(ngettext("%(num)d caso asignado a %(who)s en la cola %(queue)s",
                            "%(num)d casos asignados a %(who)s en la cola %(queue)s", count,
                            who=names["assignee"], queue=names["queue"]))
        if names.get("assignee"):
            return str(ngettext("%(num)d caso asignado a %(who)s", "%(num)d casos asignados a %(who)s",
                                count, who=names["assignee"]))
        return str(ngettext("%(num)d caso pasado a la cola %(queue)s, sin responsable",
                            "%(num)d casos pasados a la cola %(queue)s, sin responsable", count,
                            queue=names.get("queue", "")))
    if action == "mover":
        return str(ngettext("%(num)d caso movido con «%(what)s»", "%(num)d casos movidos con «%(what)s»",
                            count, what=names.get("transition", "")))
    return str(ngettext("Anulación solicitada para %(num)d caso: la aprueba o rechaza otra persona",
                        "Anulación solicitada para %(num)d casos: la aprueba o rechaza otra persona", count))


def selection_problem(selection: Sequence[Any]) -> str | None:
    return None if selection else str(_("Seleccione al menos un caso de la lista."))
