"""Canned answers (respuestas tipo, seed 003) and macros, as data.

A canned answer is a title and a body with variables (``{{ peticionario.nombre }}``, ``{{ radicado }}``,
``{{ vence }}``...) that an adapter renders in a sandbox with the context ``answer_context`` builds from a
case. It is tied to typification nodes (a case under any node of their subtrees matches) and to case
kinds, shared with everyone or personal (its owner's only), and counts how often it was used.

A macro is a canned answer that also changes the case: a priority, a typification, a queue, a workflow
transition («Devolución aprobada + cerrar»). Applying it runs the ordinary commands, so each change is in
the case's history like any other (``macro_commands``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

import attrs

from . import commands as c
from .catalog import Catalog
from .errors import ValidationError
from .text import query_words, text_matches, words
from .typification import TypificationTree
from .workflow import DEDICATED_TRANSITIONS

if TYPE_CHECKING:
    from .case import Case

MAX_TITLE = 200
MAX_BODY = 20_000


@attrs.frozen(kw_only=True)
class MacroActions:
    """What a macro changes besides inserting its text (each ``None``: unchanged)."""

    priority: str | None = None
    typification: str | None = None
    queue: str | None = None
    transition: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.priority or self.typification or self.queue or self.transition)


@attrs.frozen(kw_only=True)
class AnswerDraft:
    """What an administrator or supervisor writes."""

    title: str
    body: str
    typifications: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    personal: bool = False
    active: bool = True
    macro: MacroActions = MacroActions()

    def problems(self, catalog: Catalog) -> dict[str, str]:
        """Spanish messages by field for what is wrong (empty: it may be stored)."""
        errors: dict[str, str] = {}
        if not self.title.strip():
            errors["title"] = "Escriba un título."
        elif len(self.title) > MAX_TITLE:
            errors["title"] = f"El título admite hasta {MAX_TITLE} caracteres."
        if not self.body.strip():
            errors["body"] = "Escriba el texto de la respuesta."
        elif len(self.body) > MAX_BODY:
            errors["body"] = f"El texto admite hasta {MAX_BODY} caracteres."
        unknown = [t for t in self.typifications if t not in catalog.typifications]
        if unknown:
            errors["typifications"] = f"No existen las tipificaciones: {', '.join(unknown)}."
        kinds = {k.code for k in catalog.kinds}
        if unknown := [k for k in self.kinds if k not in kinds]:
            errors["kinds"] = f"No existen los tipos de caso: {', '.join(unknown)}."
        macro = self.macro
        if macro.priority and macro.priority not in {p.code for p in catalog.priorities}:
            errors["macro.priority"] = f"No existe la prioridad «{macro.priority}»."
        if macro.queue and macro.queue not in {q.code for q in catalog.queues}:
            errors["macro.queue"] = f"No existe la cola «{macro.queue}»."
        if macro.typification and macro.typification not in catalog.typifications:
            errors["macro.typification"] = f"No existe la tipificación «{macro.typification}»."
        if macro.transition and macro.transition not in transition_names(catalog):
            errors["macro.transition"] = f"Ningún flujo tiene la acción «{macro.transition}»."
        return errors

    def validated(self, catalog: Catalog) -> AnswerDraft:
        """The draft with its text trimmed; ``ValidationError`` naming each field at fault."""
        draft = attrs.evolve(self, title=self.title.strip(), body=self.body.strip(),
                             typifications=tuple(dict.fromkeys(self.typifications)),
                             kinds=tuple(dict.fromkeys(self.kinds)))
        errors = draft.problems(catalog)
        if errors:
            raise ValidationError(errors)
        return draft


@attrs.frozen(kw_only=True)
class CannedAnswer:
    """A stored canned answer. ``owner`` is ``None`` for a shared one."""

    id: int
    title: str
    body: str
    typifications: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    owner: str | None = None
    active: bool = True
    macro: MacroActions = MacroActions()
    usage_count: int = 0
    created_by: str | None = None
    updated_at: datetime | None = None

    @property
    def is_macro(self) -> bool:
        return not self.macro.empty

    @property
    def draft(self) -> AnswerDraft:
        return AnswerDraft(title=self.title, body=self.body, typifications=self.typifications,
                           kinds=self.kinds, personal=self.owner is not None, active=self.active,
                           macro=self.macro)

    def visible_to(self, username: str) -> bool:
        """Shared answers are everyone's; a personal one only its owner's."""
        return self.owner is None or self.owner == username

    def fits_kind(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def typification_depth(self, case: Case, tree: TypificationTree) -> int | None:
        """How deep the most specific of the answer's nodes the case's typification falls under is (a
        case under «Facturación › Cobro doble» matches an answer tied to «Facturación», depth 1, and
        better one tied to «Cobro doble», depth 2); ``None`` when it falls under none."""
        if case.typification is None or case.typification.code not in tree:
            return None
        chain = [n.code for n in tree.ancestors(case.typification.code)]
        depths = [chain.index(code) + 1 for code in self.typifications if code in chain]
        return max(depths) if depths else None

    def search_words(self) -> list[str]:
        return words(f"{self.title} {self.body}")


@attrs.frozen
class AnswerChoices:
    """The answers a person may insert in a case: those for its typification first (most specific,
    then most used), then every other one, both narrowed by the search."""

    suggested: tuple[CannedAnswer, ...]
    others: tuple[CannedAnswer, ...]

    def __iter__(self) -> Any:
        return iter(self.suggested + self.others)

    def __len__(self) -> int:
        return len(self.suggested) + len(self.others)


def search_answers(answers: Iterable[CannedAnswer], query: str) -> list[CannedAnswer]:
    """The answers whose title or body holds every word of ``query`` (accents and case ignored, the
    last word as a prefix); all of them for a blank query."""
    wanted = query_words(query)
    found = list(answers)
    if wanted is None:
        return found
    return [a for a in found if text_matches(a.search_words(), wanted)]


def answers_for_case(answers: Iterable[CannedAnswer], case: Case, tree: TypificationTree, username: str,
                     query: str = "") -> AnswerChoices:
    """The active answers ``username`` may use on ``case``, those tied to its typification first."""
    usable = [a for a in search_answers(answers, query) if a.active and a.visible_to(username)]
    ranked: list[tuple[int, CannedAnswer]] = []
    others: list[CannedAnswer] = []
    for answer in usable:
        depth = answer.typification_depth(case, tree)
        if depth is not None and answer.fits_kind(case.kind):
            ranked.append((depth, answer))
        else:
            others.append(answer)
    ranked.sort(key=lambda pair: (-pair[0], -pair[1].usage_count, pair[1].title.casefold()))
    others.sort(key=lambda a: (not a.fits_kind(case.kind), -a.usage_count, a.title.casefold()))
    return AnswerChoices(tuple(a for _depth, a in ranked), tuple(others))


def transition_names(catalog: Catalog) -> set[str]:
    """The transitions a macro may fire: every workflow's, except those with a form of their own (to
    respond, request information...), closing excepted."""
    return {t.name for w in catalog.workflows for t in w.transitions
            if t.name not in DEDICATED_TRANSITIONS or t.name == "close"}


def _date(instant: datetime | None, zone: tzinfo) -> str:
    return instant.astimezone(zone).strftime("%d/%m/%Y") if instant is not None else ""


def _label(entries: Iterable[Any], code: str | None) -> str:
    if not code:
        return ""
    return next((e.label for e in entries if e.code == code), code)


# The variables an answer may use, with what each holds (the admin page and the guide list them).
VARIABLES: Mapping[str, str] = {
    "radicado": "Número de radicado del caso (PQRS-2026-000123)",
    "asunto": "Asunto del caso",
    "descripcion": "Descripción que hizo el peticionario",
    "tipo": "Tipo de caso (Petición, Queja...)",
    "tipificacion": "Tipificación completa (Categoría › Subcategoría)",
    "prioridad": "Prioridad del caso",
    "cola": "Cola del caso",
    "radicado_el": "Fecha de radicación (dd/mm/aaaa)",
    "vence": "Fecha de vencimiento del término (dd/mm/aaaa; vacía si no tiene)",
    "hoy": "Fecha de hoy (dd/mm/aaaa)",
    "peticionario.nombre": "Nombre del peticionario",
    "peticionario.documento": "Tipo y número de documento del peticionario",
    "peticionario.correo": "Correo electrónico del peticionario",
    "peticionario.telefono": "Teléfono del peticionario",
    "peticionario.direccion": "Dirección del peticionario",
    "agente.nombre": "Nombre de quien responde",
    "organizacion.nombre": "Nombre de la organización",
    "campos.CODIGO": "Campo personalizado con ese código (p. ej. campos.numero_factura)",
}


def answer_context(case: Case, catalog: Catalog, *, now: datetime, zone: tzinfo, agent_name: str,
                   organisation: str) -> dict[str, Any]:
    """The variables an answer is rendered with for ``case``: plain strings and dictionaries of
    strings (never a domain object, so that a template reaches nothing but these values)."""
    requester = case.requester
    document = " ".join(p for p in (requester.document_type, requester.document_number) if p)
    fields = {code: "" if value is None else str(value) for code, value in case.custom_fields.items()}
    for definition in catalog.fields:  # as people read them: option labels, «Sí»/«No»
        fields[definition.code] = definition.shown(case.custom_fields.get(definition.code))
    return {
        "radicado": str(case.filing_number),
        "asunto": case.subject,
        "descripcion": case.description,
        "tipo": _label(catalog.kinds, case.kind),
        "tipificacion": str(case.typification) if case.typification is not None else "",
        "prioridad": _label(catalog.priorities, case.priority),
        "cola": _label(catalog.queues, case.queue),
        "radicado_el": _date(case.filed_at, zone),
        "vence": _date(case.resolution_due, zone),
        "hoy": _date(now, zone),
        "peticionario": {"nombre": requester.full_name or "", "documento": document,
                         "correo": requester.email or "", "telefono": requester.phone or "",
                         "direccion": requester.address or ""},
        "agente": {"nombre": agent_name},
        "organizacion": {"nombre": organisation},
        "campos": fields,
    }


@attrs.frozen
class MacroPlan:
    """The commands applying a macro runs: the field changes first (a responded or closed case is no
    longer edited, so they go before the response), then its transition (after the response)."""

    changes: tuple[Any, ...]
    transition: Any | None

    @property
    def closes(self) -> bool:
        return isinstance(self.transition, c.CloseCase)

    def __iter__(self) -> Any:
        return iter((*self.changes, *((self.transition,) if self.transition is not None else ())))


def macro_commands(answer: CannedAnswer, case: Case) -> MacroPlan:
    """The commands applying ``answer``'s macro to ``case`` runs; only the changes the case needs."""
    macro = answer.macro
    found: list[Any] = []
    key = str(case.filing_number)
    if macro.priority and macro.priority != case.priority:
        found.append(c.ChangeFields(filing_number=key, changes={"priority": macro.priority}))
    if macro.typification and (case.typification is None or case.typification.code != macro.typification):
        found.append(c.TypifyCase(filing_number=key, typification=macro.typification))
    if macro.queue and macro.queue != case.queue:
        found.append(c.AssignCase(filing_number=key, assignee=case.assignee, queue=macro.queue))
    transition: Any | None = None
    if macro.transition == "close":
        transition = c.CloseCase(filing_number=key)
    elif macro.transition:
        transition = c.TransitionCase(filing_number=key, transition=macro.transition)
    return MacroPlan(tuple(found), transition)


def sample_context(catalog: Catalog, *, now: datetime, zone: tzinfo, agent_name: str,
                   organisation: str) -> dict[str, Any]:
    """Example values for every variable, to preview an answer without a case (same keys as
    ``answer_context``)."""
    today = _date(now, zone)
    return {
        "radicado": "PQRS-2026-000123",
        "asunto": "Cobro doble en la factura de marzo",
        "descripcion": "En la factura de marzo me cobraron dos veces el mismo pedido.",
        "tipo": _label(catalog.kinds, "reclamo") or "Reclamo",
        "tipificacion": "Financiera › Cobro doble",
        "prioridad": _label(catalog.priorities, "media") or "Media",
        "cola": _label(catalog.queues, "back_office") or "Back office",
        "radicado_el": today,
        "vence": today,
        "hoy": today,
        "peticionario": {"nombre": "Carla Gómez", "documento": "CC 1020304050",
                         "correo": "carla@example.com", "telefono": "+57 300 123 4567",
                         "direccion": "Calle 10 # 20-30, Bogotá"},
        "agente": {"nombre": agent_name},
        "organizacion": {"nombre": organisation},
        "campos": {d.code: f"({d.label})" for d in catalog.fields},
    }
