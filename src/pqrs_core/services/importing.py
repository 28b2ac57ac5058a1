"""Historical cases from JSON lines: one line → one validated ``Case`` with the history the use cases
would have recorded (``pqrs import``).

A line is a JSON object. Required: ``kind``, ``subject``, ``description``, ``received_at``. Optional:
``filing_number`` (kept; ``null`` or absent: the next number of the year it was filed in), ``filed_at``
(default ``received_at``), ``filed_by`` (who filed it: a staff member, or the requester's own
``requester.user``; absent: the requester, through a public channel), ``channel``, ``reason``,
``typification``, ``priority``, ``queue``, ``assignee``, ``assigned_at``, ``requester`` (an object with
the fields of ``Requester``), ``received_by``, ``verbal``, ``non_crm_contact``, ``references``
(``[{"kind": "invoice", "number": "FV-1"}]``), ``custom_fields``, ``missing_information``, ``state``
(default: the workflow's initial state), ``notes`` (``[{"at", "by", "text", "public"}]``),
``information_request`` (``{"at", "by", "message"}``), ``returned`` (``{"at", "by", "reason"}``),
``response`` (``{"at", "by", "text", "solution"}``), ``closed_at``, ``closed_by``,
``first_contact_resolution``. Instants are ISO 8601; one without a UTC offset is read in the
organisation's time zone. Any other field is an error (a typo would otherwise lose data silently).

The case is built by the aggregate's own commands, at the instants the line gives: ``Case.file``
(validation against the catalog, the term policy and deadlines of the terms engine), then the shortest
path of workflow transitions to the state the case ended in (assign, start, request information,
return, respond, close...), with the notes in between. So an imported case carries the events and the
snapshot a case filed and worked through the application would have: its history replays to its
snapshot. Nothing is notified: an import is history.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from ..domain.case import RECEPTION_CLOCK_SKEW, Case
from ..domain.catalog import Catalog
from ..domain.commands import FileCase
from ..domain.errors import DomainError, Problems, ValidationError
from ..domain.values import (
    MAX_SHORT_TEXT,
    Actor,
    DocumentReference,
    FilingNumber,
    ReferenceKind,
    Requester,
    RequesterKind,
)
from ..domain.workflow import StateCategory, Transition, Workflow

# Who the events of an imported case are recorded as when the line names nobody.
IMPORT_ACTOR = "importacion"
# Steps of a workflow path an import can take: the transitions fired by name (no command of their own
# and no guard) plus these, each taken with the data of its own field of the line.
COMMAND_STEPS = frozenset({"assign", "request_information", "return_for_retypification", "respond", "close"})
# Transitions an import never takes on its way to a state: going back, or steps with legal effects the
# line cannot describe (reopen after a counter-response, withdrawal, transfer, the requester's reply).
NEVER_TAKEN = frozenset({"reopen", "resubmit", "requester_replied", "withdraw", "transfer",
                         "resolve_at_first_contact"})
DEFAULT_INFORMATION_REQUEST = "Se solicitó información al peticionario (caso importado)."

FIELDS = frozenset({
    "filing_number", "kind", "subject", "description", "received_at", "filed_at", "filed_by", "channel",
    "reason", "typification", "priority", "queue", "assignee", "assigned_at", "requester", "received_by",
    "verbal", "non_crm_contact", "references", "custom_fields", "missing_information", "state", "notes",
    "information_request", "returned", "response", "closed_at", "closed_by", "first_contact_resolution",
})
REQUESTER_FIELDS = frozenset({"kind", "customer_id", "branch", "lead_id", "full_name", "document_type",
                              "document_number", "address", "email", "phone", "user"})
# A line's filing number, read without parsing the JSON.
FILING_FIELD = re.compile(rb'"filing_number"\s*:\s*"([^"\\]*)"')


def read_instant(text: str, zone: tzinfo) -> datetime:
    """An ISO 8601 instant of a line, in UTC; one without a UTC offset is read in ``zone``.
    ``ValueError`` when it is not one."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


@attrs.frozen
class LineProblem:
    """What is wrong with one line: its number (from 1), the field (dotted path) and why, in Spanish."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"línea {self.line}, campo «{self.field}»: {self.message}"


@attrs.frozen
class ImportedCase:
    """A line's case, with its events; ``number_given``: the line gave its filing number (otherwise
    the import allocated it)."""

    line: int
    case: Case
    number_given: bool

    @property
    def filing_number(self) -> FilingNumber:
        return self.case.filing_number

    @property
    def event_count(self) -> int:
        return len(self.case.events)


class LineError(Exception):
    """A line that cannot be imported; ``problems`` says why, field by field."""

    def __init__(self, problems: list[LineProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[type[LineError], tuple[list[LineProblem]]]:
        return LineError, (self.problems,)  # whole across processes (a parallel import)


# ---------------------------------------------------------------------------------- filing numbers
class FilingPlan:
    """Filing numbers of an import: numbers given in the file are kept and each sequence (prefix,
    year) moves past them; a case without one takes the next number of its year, in file order, after
    both the store's sequence and every number the file gives (``reserve`` them all first)."""

    def __init__(self, prefix: str, last: Mapping[tuple[str, int], int] | None = None) -> None:
        self.prefix = prefix
        self.last: dict[tuple[str, int], int] = dict(last or {})

    def reserve(self, number: FilingNumber) -> None:
        key = (number.prefix, number.year)
        if number.sequence > self.last.get(key, 0):
            self.last[key] = number.sequence

    def next(self, year: int) -> FilingNumber:
        key = (self.prefix, year)
        value = self.last.get(key, 0) + 1
        self.last[key] = value
        return FilingNumber(self.prefix, year, value)

    def give_back(self, number: FilingNumber) -> None:
        """Return the number ``next`` just gave (its line was refused), so that none is skipped."""
        key = (number.prefix, number.year)
        if self.last.get(key) == number.sequence:
            self.last[key] = number.sequence - 1


def given_filing_numbers(lines: Iterable[bytes]) -> Iterable[FilingNumber]:
    """The filing numbers a file gives, read without parsing the JSON (a first, fast pass over the
    file so that ``FilingPlan`` can allocate after them); malformed ones are left to the real pass."""
    for line in lines:
        match = FILING_FIELD.search(line)
        if match is None:
            continue
        try:
            yield FilingNumber.parse(match.group(1).decode("utf-8", "replace"))
        except ValidationError:
            continue


# ---------------------------------------------------------------------------------- one line
class _Fields:
    """Typed reads of one line's fields; every problem is collected with its field path."""

    def __init__(self, data: Mapping[str, Any], zone: tzinfo, problems: Problems) -> None:
        self.data = data
        self.zone = zone
        self.problems = problems

    def text(self, name: str, data: Mapping[str, Any] | None = None, prefix: str = "") -> str | None:
        value = (self.data if data is None else data).get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problems.add(prefix + name, "debe ser un texto")
            return None
        return value

    def flag(self, name: str, data: Mapping[str, Any] | None = None, prefix: str = "") -> bool:
        value = (self.data if data is None else data).get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problems.add(prefix + name, "debe ser true o false")
            return False
        return value

    def instant(self, name: str, data: Mapping[str, Any] | None = None, prefix: str = "") -> datetime | None:
        text = self.text(name, data, prefix)
        if text is None:
            return None
        try:
            return read_instant(text, self.zone)
        except ValueError:
            self.problems.add(prefix + name, f"«{text[:40]}» no es una fecha y hora ISO 8601")
            return None

    def obj(self, name: str) -> Mapping[str, Any] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems.add(name, "debe ser un objeto")
            return None
        return value

    def items(self, name: str) -> list[Any]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.add(name, "debe ser una lista")
            return []
        return value


@attrs.frozen
class _Step:
    """One thing that happened to the case after filing, at ``at``, by ``by``."""

    at: datetime
    by: str
    action: str  # a transition name, or "note"
    data: Mapping[str, Any] = attrs.field(factory=dict)
    field: str = "state"  # the line's field the step comes from, for error messages


class CaseImporter:
    """Turns lines into cases against one catalog (with its calendar). ``numbers`` allocates the
    missing filing numbers; ``now`` is the instant of the import (nothing may happen after it)."""

    def __init__(self, catalog: Catalog, *, numbers: FilingPlan, local_year: Callable[[datetime], int],
                 new_id: Callable[[], str], now: datetime, timezone: str = "America/Bogota") -> None:
        self.catalog = catalog
        self.numbers = numbers
        self.local_year = local_year
        self.new_id = new_id
        self.now = now
        self.zone = ZoneInfo(timezone)
        self._paths: dict[tuple[str, str, bool, bool, bool], list[Transition] | None] = {}

    def case_from_line(self, line: int, text: str | bytes) -> ImportedCase:
        """The case of one line, with its events; ``LineError`` when the line cannot be imported."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise LineError([LineProblem(line, "(línea)", f"no es JSON válido: {exc}")]) from None
        if not isinstance(data, dict):
            raise LineError([LineProblem(line, "(línea)", "debe ser un objeto JSON")])
        try:
            case, given = self._case(data)
        except ValidationError as exc:
            raise LineError([LineProblem(line, f, m) for f, m in sorted(exc.errors.items())]) from None
        except _StepFailed as exc:
            raise LineError([LineProblem(line, exc.field, exc.message)]) from None
        return ImportedCase(line, case, given)

    # ------------------------------------------------------------------ internals
    def _case(self, data: Mapping[str, Any]) -> tuple[Case, bool]:
        problems = Problems()
        for name in sorted(set(data) - FIELDS):
            problems.add(name, "no es un campo conocido")
        f = _Fields(data, self.zone, problems)
        for name in ("kind", "subject", "description"):
            if not isinstance(data.get(name), str):
                problems.add(name, "es obligatorio" if data.get(name) is None else "debe ser un texto")
        received_at = f.instant("received_at")
        if received_at is None and "received_at" not in problems._errors:
            problems.add("received_at", "es obligatorio")
        given_filed_at = f.instant("filed_at")
        filed_at = given_filed_at or received_at
        for name, instant in (("received_at", received_at), ("filed_at", given_filed_at)):
            if instant is not None and instant > self.now + RECEPTION_CLOCK_SKEW:
                problems.add(name, "no puede ser posterior al momento de la importación")
        number = None
        number_text = f.text("filing_number")
        if number_text is not None:
            try:
                number = FilingNumber.parse(number_text)
            except ValidationError as exc:
                problems.extend(exc.errors)
        filed_by = f.text("filed_by")
        assignee = f.text("assignee")
        response = f.obj("response")
        solution = None
        if response is not None:
            solution = f.text("solution", response, "response.") or f.text("text", response, "response.")
        command = FileCase(
            kind=data.get("kind") or "", subject=data.get("subject") or "",
            description=data.get("description") or "", requester=self._requester(f),
            channel=f.text("channel"), reason=f.text("reason"), typification=f.text("typification"),
            priority=f.text("priority"), queue=f.text("queue"), non_crm_contact=f.text("non_crm_contact"),
            references=self._references(f), custom_fields=dict(f.obj("custom_fields") or {}),
            received_at=received_at, received_by=f.text("received_by"), verbal=f.flag("verbal"),
            missing_information=tuple(str(m) for m in f.items("missing_information")),
            resolved_at_first_contact=f.flag("first_contact_resolution"), solution=solution,
        )
        state = f.text("state")
        steps = self._note_steps(f)
        problems.raise_if_any()
        assert filed_at is not None
        path: list[Transition] = []
        if command.kind in self.catalog.active_codes("kinds"):
            workflow = self.catalog.workflow_for(command.kind)
            if state is not None and not workflow.has_state(state):
                raise _StepFailed("state", f"«{state}» no es un estado del flujo «{workflow.code}»")
            first_contact = workflow.transition("resolve_at_first_contact")
            if command.resolved_at_first_contact:
                if first_contact is not None and state not in (None, first_contact.target):
                    raise _StepFailed("state", "un caso resuelto en primer contacto queda en "
                                               f"«{first_contact.target}»")
            else:
                found = self._path(workflow, state or workflow.initial_state, assignee=bool(assignee),
                                   returned=f.obj("returned") is not None,
                                   response=response is not None or "closed_at" in data)
                if found is None:
                    raise _StepFailed("state", f"no se puede importar un caso en el estado «{state}» con "
                                               "los datos de esta línea (¿falta «assignee», «response» o "
                                               "«returned»?)")
                path = found
                steps += self._path_steps(path, f, filed_at, filed_by, state or workflow.initial_state)
        if assignee and not any(t.name == "assign" for t in path):
            command = attrs.evolve(command, assignee=assignee)  # filed with its assignee, no transition
        allocated = number is None
        if number is None:
            number = self.numbers.next(self.local_year(filed_at))
        # Filed by a staff member (the front line), or by the requester: their own user, or nobody named.
        staff = filed_by is not None and filed_by != command.requester.user
        filer = Actor(filed_by or IMPORT_ACTOR, frozenset({"agent"}) if staff else frozenset({"requester"}))
        try:
            case = Case.file(command, catalog=self.catalog, case_id=self.new_id(), number=number, actor=filer,
                             now=filed_at)
            problems.raise_if_any()
            for step in sorted(steps, key=lambda s: s.at):  # stable: transitions keep their order
                self._apply(case, step, assignee, f)
        except BaseException:
            if allocated:
                self.numbers.give_back(number)
            raise
        if not allocated:
            self.numbers.reserve(number)
        return case, not allocated

    def _requester(self, f: _Fields) -> Requester:
        data = f.obj("requester")
        if data is None:
            return Requester()
        for name in sorted(set(data) - REQUESTER_FIELDS):
            f.problems.add(f"requester.{name}", "no es un campo conocido")
        values = {name: f.text(name, data, "requester.") for name in REQUESTER_FIELDS - {"kind"}}
        kind = f.text("kind", data, "requester.") or RequesterKind.PERSON.value
        try:
            return Requester(kind=RequesterKind(kind), **values)
        except ValueError:
            f.problems.add("requester.kind", f"debe ser uno de: {', '.join(k.value for k in RequesterKind)}")
            return Requester()

    def _references(self, f: _Fields) -> tuple[DocumentReference, ...]:
        found = []
        for i, item in enumerate(f.items("references")):
            if not isinstance(item, dict) or not isinstance(item.get("number"), str):
                f.problems.add(f"references.{i}", "debe ser un objeto con «kind» y «number»")
                continue
            try:
                found.append(DocumentReference(ReferenceKind(str(item.get("kind"))), item["number"]))
            except ValueError:
                f.problems.add(f"references.{i}.kind",
                               f"debe ser uno de: {', '.join(k.value for k in ReferenceKind)}")
        return tuple(found)

    def _path_steps(self, path: list[Transition], f: _Fields, filed_at: datetime, filed_by: str | None,
                    state: str) -> list[_Step]:
        """The transitions of ``path`` at the instants the line gives, each no earlier than the one before
        (a step whose instant the line does not give happens with the step before it)."""
        information = f.obj("information_request") or {}
        returned = f.obj("returned") or {}
        response = f.obj("response") or {}
        closed_at = f.instant("closed_at")
        response_at = f.instant("at", response, "response.")
        worker = f.text("assignee") or filed_by or IMPORT_ACTOR
        steps: list[_Step] = []
        cursor = f.instant("assigned_at") or filed_at
        for transition in path:
            name, at, by, field = transition.name, cursor, worker, "state"
            data: dict[str, Any] = {}
            if name == "assign":
                by, field = IMPORT_ACTOR, "assigned_at"
            elif name == "request_information":
                at = f.instant("at", information, "information_request.") or cursor
                by = f.text("by", information, "information_request.") or worker
                data = {"message": f.text("message", information, "information_request.")
                        or DEFAULT_INFORMATION_REQUEST}
                field = "information_request.at"
            elif name == "return_for_retypification":
                at = f.instant("at", returned, "returned.") or cursor
                by = f.text("by", returned, "returned.") or worker
                data = {"reason": f.text("reason", returned, "returned.") or ""}
                field = "returned.at"
            elif name == "respond":
                at = response_at or closed_at or cursor
                by = f.text("by", response, "response.") or worker
                text = f.text("text", response, "response.") or f.text("solution", response, "response.")
                if not text:
                    raise _StepFailed("response.text", f"es obligatorio para un caso en el estado «{state}»")
                data = {"text": text, "solution": f.text("solution", response, "response.")}
                field = "response.at"
            elif name == "close":
                at = closed_at or response_at or cursor
                by = f.text("closed_by") or worker
                field = "closed_at"
            if at < cursor or at < filed_at:
                raise _StepFailed(field, "es anterior a la radicación o al paso que lo precede")
            if at > self.now + RECEPTION_CLOCK_SKEW:
                raise _StepFailed(field, "no puede ser posterior al momento de la importación")
            steps.append(_Step(at, by, name, data, field))
            cursor = at
        return steps

    def _note_steps(self, f: _Fields) -> list[_Step]:
        steps = []
        for i, item in enumerate(f.items("notes")):
            prefix = f"notes.{i}."
            if not isinstance(item, dict):
                f.problems.add(f"notes.{i}", "debe ser un objeto con «at», «by» y «text»")
                continue
            at = f.instant("at", item, prefix)
            text = f.text("text", item, prefix)
            if at is None or not text:
                f.problems.add(prefix + ("at" if at is None else "text"), "es obligatorio")
                continue
            if at > self.now + RECEPTION_CLOCK_SKEW:
                f.problems.add(prefix + "at", "no puede ser posterior al momento de la importación")
            steps.append(_Step(at, f.text("by", item, prefix) or IMPORT_ACTOR, "note",
                               {"text": text, "public": f.flag("public", item, prefix)}, field=prefix + "at"))
        return steps

    def _apply(self, case: Case, step: _Step, assignee: str | None, f: _Fields) -> None:
        actor = Actor(step.by[:MAX_SHORT_TEXT], frozenset({"system"}))
        catalog, now = self.catalog, step.at
        if now < case.filed_at:
            raise _StepFailed(step.field, "es anterior a la radicación")
        try:
            if step.action == "note":
                case.add_note(step.data["text"], public=step.data["public"], actor=actor, now=now)
            elif step.action == "assign":
                case.assign(assignee, queue=f.text("queue"), catalog=catalog, actor=actor, now=now)
            elif step.action == "request_information":
                case.request_information(step.data["message"], catalog=catalog, actor=actor, now=now)
            elif step.action == "return_for_retypification":
                case.return_for_retypification(step.data["reason"], catalog=catalog, actor=actor, now=now)
            elif step.action == "respond":
                case.respond(step.data["text"], solution=step.data["solution"], catalog=catalog, actor=actor,
                             now=now)
            elif step.action == "close":
                case.close(catalog=catalog, actor=actor, now=now)
            else:
                case.apply_transition(step.action, catalog=catalog, actor=actor, now=now)
        except ValidationError as exc:
            prefix = step.field.rsplit(".", 1)[0] + "." if "." in step.field else ""
            raise ValidationError({prefix + k: v for k, v in exc.errors.items()}) from None
        except DomainError as exc:
            raise _StepFailed(step.field, str(exc)) from None

    def _path(self, workflow: Workflow, target: str, *, assignee: bool, returned: bool,
              response: bool) -> list[Transition] | None:
        """The transitions an import takes from the initial state to ``target``. With an assignee the
        case is assigned first when the workflow assigns from its initial state; a case that ended done
        or waiting goes through the work in progress (a state of category *doing*) when the workflow
        has one on the way; otherwise the shortest path."""
        key = (workflow.code, target, assignee, returned, response)
        if key in self._paths:
            return self._paths[key]

        def usable(t: Transition) -> bool:
            if t.name in NEVER_TAKEN or (t.guard is not None and t.name not in COMMAND_STEPS):
                return False
            return {"assign": assignee, "return_for_retypification": returned,
                    "respond": response}.get(t.name, True)

        edges = [t for t in workflow.transitions if usable(t)]
        start = workflow.initial_state
        prefix: list[Transition] = []
        assign = workflow.transition("assign")
        if assignee and target != start and assign is not None and usable(assign) and start in assign.sources:
            if _shortest(edges, assign.target, target) is not None:
                prefix, start = [assign], assign.target
        path: list[Transition] | None = None
        if workflow.state(target).category in (StateCategory.DONE, StateCategory.WAITING):
            for middle in workflow.states_in((StateCategory.DOING,)):
                first = _shortest(edges, start, middle)
                rest = _shortest(edges, middle, target) if first is not None else None
                if first is not None and rest is not None:
                    path = first + rest
                    break
        if path is None:
            path = _shortest(edges, start, target)
        result = prefix + path if path is not None else None
        self._paths[key] = result
        return result


class _StepFailed(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def _shortest(edges: list[Transition], start: str, target: str) -> list[Transition] | None:
    """Breadth-first: the fewest transitions from ``start`` to ``target`` (ties: workflow order)."""
    if start == target:
        return []
    seen = {start}
    queue: deque[tuple[str, list[Transition]]] = deque([(start, [])])
    while queue:
        state, path = queue.popleft()
        for t in edges:
            if state in t.sources and t.target not in seen:
                if t.target == target:
                    return [*path, t]
                seen.add(t.target)
                queue.append((t.target, [*path, t]))
    return None


__all__ = ["FILING_FIELD", "CaseImporter", "FilingPlan", "ImportedCase", "LineError", "LineProblem",
           "given_filing_numbers", "read_instant"]
