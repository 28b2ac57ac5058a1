"""Realistic demo data, loaded through the use cases (never raw SQL) so that every case has the
history a real one would have.

Cases are filed over the last 90 days on a clock the demo controls, during office hours in the
organisation's time zone; each then follows a path through the workflow (assigned, in progress,
waiting for the requester, returned for re-typification, responded, closed, reopened after a
counter-response, or resolved at first contact) for as far as the time since its filing allows.
"""

from __future__ import annotations

import random
import zlib
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs

from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.case import Case
from pqrs_core.domain.routing_defaults import missing_before_closing, required_before_closing
from pqrs_core.domain.text import fold
from pqrs_core.domain.values import Actor, DocumentReference, ReferenceKind, Requester, RequesterKind
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs

from . import data as d

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

AGENT = Actor("ana.agente", frozenset({"agent"}))
BACK_OFFICE = Actor("bruno.backoffice", frozenset({"back_office"}))
SUPERVISOR = Actor("sofia.supervisora", frozenset({"supervisor"}))
QUALITY = Actor("carlos.calidad", frozenset({"quality"}))
CONSULTANT = Actor("diana.consultora", frozenset({"consultant", "requester"}))
CUSTOMER = Actor("juan.cliente", frozenset({"requester"}))
WEB_FORM = Actor.web_form()

OUTCOME_WEIGHTS = {
    "closed": 34, "first_contact": 11, "responded": 9, "in_progress": 9, "waiting": 7, "info_then_closed": 8,
    "assigned": 6, "returned": 3, "returned_then_closed": 3, "reopened": 4, "filed": 3,
}
# The oldest cases always take these paths, so that even a small demo shows every state.
GUARANTEED = ("closed", "first_contact", "responded", "waiting", "in_progress", "returned", "reopened",
              "info_then_closed", "assigned", "returned_then_closed")
DAYS = 90


@attrs.frozen
class SurveyAnswerData:
    """A requester's answer to the satisfaction survey of a responded case (written by the adapter)."""

    case_id: str
    answered_at: datetime
    score: int
    nps: int | None
    comment: str


@attrs.frozen
class DemoResult:
    cases: int
    by_state: dict[str, int]
    requesters: int
    survey_answers: tuple[SurveyAnswerData, ...] = ()


class _OutOfTime(Exception):
    """The next step of a case would happen after "now": the case stays where it is."""


def _dian_check_digit(nit: str) -> int:
    weights = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)
    total = sum(int(digit) * weights[i] for i, digit in enumerate(reversed(nit)))
    rest = total % 11
    return rest if rest < 2 else 11 - rest


class _People:
    """A pool of requesters; some come back more than once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = [self._person() for _ in range(150)] + [self._company() for _ in range(18)]
        self.juan = Requester(kind=RequesterKind.CUSTOMER, customer_id="CLI-010245", full_name="Juan Pérez",
                              document_type="CC", document_number="80123456",
                              address="Calle 100 # 15-20 apto 301, Bogotá", email="juan.perez@example.com",
                              phone="+57 310 555 0101", user="juan.cliente")
        self.diana = Requester(kind=RequesterKind.PERSON, full_name="Diana Castaño", document_type="CC",
                               document_number="43876512", address="Carrera 43A # 1-50, Medellín",
                               email="diana.consultora@demo.example.co", phone="+57 315 555 0102",
                               user="diana.consultora")

    def _address(self) -> str:
        r = self.rng
        return (f"{r.choice(d.STREET_KINDS)} {r.randint(1, 180)}{r.choice(['', '', 'A', 'B', ' Sur'])} "
                f"# {r.randint(1, 99)}-{r.randint(1, 99)}, {r.choice(d.CITIES)}")

    def _phone(self) -> str:
        r = self.rng
        return f"+57 3{r.randint(0, 2)}{r.randint(0, 9)} {r.randint(200, 999)} {r.randint(1000, 9999)}"

    def _person(self) -> Requester:
        r = self.rng
        doc_type: str | None
        number: str | None
        female = r.random() < 0.55
        first = r.choice(d.FIRST_NAMES_F if female else d.FIRST_NAMES_M)
        surname1, surname2 = r.sample(d.SURNAMES, 2)
        full_name = f"{first} {surname1} {surname2}"
        user = fold(first.split()[0]) + "." + fold(surname1)
        email = f"{user}{r.choice(['', '', str(r.randint(1, 99))])}@{r.choice(d.EMAIL_DOMAINS)}"
        if r.random() < 0.08:
            doc_type, number = "CE", str(r.randint(100000, 9999999))
        elif r.random() < 0.5:
            doc_type, number = "CC", str(r.randint(1000000000, 1199999999))  # younger: 10 digits
        else:
            doc_type, number = "CC", str(r.choice([r.randint(10**7, 10**8 - 1), r.randint(10**6, 10**7 - 1)]))
        customer = r.random() < 0.3
        if r.random() < 0.05:  # no document given
            doc_type, number = None, None
        return Requester(
            kind=RequesterKind.CUSTOMER if customer else RequesterKind.PERSON,
            customer_id=f"CLI-{r.randint(1000, 99999):06d}" if customer else None,
            full_name=full_name,
            document_type=doc_type,
            document_number=number,
            address=None if r.random() < 0.2 else self._address(),
            email=None if r.random() < 0.15 else email,
            phone=self._phone(),
        )

    def _company(self) -> Requester:
        r = self.rng
        base = str(r.choice([800, 830, 860, 890, 900, 901])) + f"{r.randint(0, 999999):06d}"
        return Requester(kind=RequesterKind.CUSTOMER, customer_id=f"CLI-{r.randint(1000, 99999):06d}",
                         full_name=r.choice(d.COMPANIES), document_type="NIT",
                         document_number=f"{base}-{_dian_check_digit(base)}", address=self._address(),
                         email=f"compras@{r.choice(d.EMAIL_DOMAINS)}", phone=self._phone())

    def pick(self) -> Requester:
        # A third of the cases come from a small group of people who write again and again.
        if self.rng.random() < 0.35:
            return self.pool[self.rng.randrange(25)]
        return self.rng.choice(self.pool)


class DemoLoader:
    """Plays ``count`` cases through ``pqrs``, whose clock must be ``clock``."""

    def __init__(self, pqrs: Pqrs, clock: FrozenClock, *, seed: int = 7, now: datetime | None = None,
                 timezone: str = "America/Bogota") -> None:
        self.pqrs = pqrs
        self.clock = clock
        self.rng = random.Random(seed)
        self.now = (now or datetime.now(UTC)).astimezone(UTC)
        self.limit = self.now - timedelta(minutes=2)
        self.tz = ZoneInfo(timezone)
        self.people = _People(self.rng)
        self.t = self.now
        self.answers: list[SurveyAnswerData] = []
        catalog = pqrs.catalog()
        typ = catalog.typifications
        self.topics = [t for t in d.TOPICS if t.code in typ and typ.get(t.code).active]
        if not self.topics:
            raise RuntimeError("the catalog has none of the default typifications the demo uses")
        self.kinds = catalog.active_codes("kinds")
        self.channels = {k: w for k, w in d.CHANNEL_WEIGHTS.items() if k in catalog.active_codes("channels")}
        self.reasons = catalog.active_codes("reasons")
        self.queues = {q.code for q in catalog.queues if q.active}
        self.requesters: set[str] = set()
        # Whether a case received a day or more before its filing is in the data yet: the first one that
        # can be is, whatever the draws (a mail read the next morning, a letter filed late).
        self.late_reception_shown = False
        # Whether the portal's demo customer has a case yet: the newest case is theirs if none was drawn.
        self.customer_shown = False
        self.order = self.invoice = ""

    # ------------------------------------------------------------------------------ time
    def _office_hours(self, instant: datetime) -> datetime:
        local = instant.astimezone(self.tz)
        if local.weekday() == 6 or local.hour >= 18 or (local.weekday() == 5 and local.hour >= 13):
            local = (local + timedelta(days=1)).replace(hour=8, minute=self.rng.randint(0, 59))
            if local.weekday() == 6:
                local += timedelta(days=1)
        elif local.hour < 7:
            local = local.replace(hour=8, minute=self.rng.randint(0, 59))
        return local.astimezone(UTC)

    def _filing_instants(self, count: int) -> list[datetime]:
        start = self.now - timedelta(days=DAYS)
        instants: list[datetime] = []
        while len(instants) < count:
            day = start + timedelta(days=self.rng.uniform(0, DAYS))
            local = day.astimezone(self.tz)
            if local.weekday() == 6 or (local.weekday() == 5 and self.rng.random() < 0.6):
                continue
            hour = self.rng.choice([7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 14, 14, 15, 15, 16, 16, 17])
            instant = local.replace(hour=hour, minute=self.rng.randint(0, 59),
                                    second=self.rng.randint(0, 59)).astimezone(UTC)
            if instant < self.limit - timedelta(minutes=30):
                instants.append(instant)
        instants.sort()
        return instants

    def _do(self, hours: tuple[float, float], command: object, actor: Actor) -> Case:
        at = self._office_hours(self.t + timedelta(hours=self.rng.uniform(*hours)))
        if at > self.limit:
            raise _OutOfTime
        self.t = at
        self.clock.set(at)
        result: Case = self.pqrs.handle(command, actor)
        return result

    # ------------------------------------------------------------------------------ texts
    def _fill(self, template: str, requester: Requester, filing_number: str = "") -> str:
        r = self.rng
        local = (self.t - timedelta(days=r.randint(2, 20))).astimezone(self.tz)
        months = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                  "octubre", "noviembre", "diciembre")
        values = {
            "pedido": self.order, "factura": self.invoice, "producto": r.choice(d.PRODUCTS),
            "valor": f"${r.randint(18, 950) * 1000 + r.choice([0, 500, 900]):,}".replace(",", "."),
            "fecha": f"{local.day} de {months[local.month - 1]}", "ciudad": r.choice(d.CITIES),
            "dias": r.randint(3, 15), "guia": f"{r.randint(10**9, 10**10 - 1)}",
            "horario": r.choice(d.CONTACT_HOURS), "direccion": self.people._address(),
            "area": r.choice(d.AREAS),
            "nombre": _salutation(requester),
            "radicado": filing_number,
        }
        return template.format(**values)

    def _response(self, topic: d.Topic, case: Case) -> str:
        opening = self._fill(self.rng.choice(d.RESPONSE_OPENINGS), case.requester, str(case.filing_number))
        body = self._fill(self.rng.choice(topic.solutions), case.requester)
        return f"{opening} {body} {self.rng.choice(d.RESPONSE_CLOSINGS)}"

    def _note(self) -> str:
        return self.rng.choice(d.WORK_NOTES).format(area=self.rng.choice(d.AREAS))

    # ------------------------------------------------------------------------------ cases
    def load(self, count: int) -> DemoResult:
        instants = self._filing_instants(count)
        outcomes = list(self.rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()),
                                         k=count))
        outcomes[: min(len(GUARANTEED), count)] = GUARANTEED[:count]
        # The two newest cases (when there are more than the guaranteed ones) wait to be assigned.
        for index in range(max(len(GUARANTEED), count - 2), count):
            outcomes[index] = "filed"
        for index, (filed_at, outcome) in enumerate(zip(instants, outcomes, strict=True)):
            self._one_case(filed_at, outcome, newest=index == count - 1)
        states: Counter[str] = Counter()
        page = self.pqrs.cases(CaseQuery(limit=200))
        while True:
            states.update(case.state for case in page.cases)
            if page.next_cursor is None:
                break
            page = self.pqrs.cases(CaseQuery(after=page.next_cursor, limit=200))
        return DemoResult(cases=sum(states.values()), by_state=dict(states), requesters=len(self.requesters),
                          survey_answers=tuple(self.answers))

    def _choose_requester(self, channel: str) -> tuple[Requester, Actor]:
        if channel == "portal":
            if self.rng.random() < 0.6:
                return self.people.juan, CUSTOMER
            return self.people.diana, CONSULTANT
        if channel == "web_form":
            if self.rng.random() < 0.1:
                return Requester(kind=RequesterKind.ANONYMOUS), WEB_FORM
            return self.people.pick(), WEB_FORM
        if self.rng.random() < 0.06:  # the portal customer also calls and writes in: an agent files it
            return self.people.juan, AGENT
        return self.people.pick(), AGENT

    def _one_case(self, filed_at: datetime, outcome: str, *, newest: bool = False) -> None:
        r = self.rng
        topic = r.choices(self.topics, weights=[t.weight for t in self.topics])[0]
        subject, description, kind = r.choice(topic.cases)
        if kind not in self.kinds:
            kind = r.choice([k for k in topic.kinds if k in self.kinds] or sorted(self.kinds))
        channel = r.choices(list(self.channels), weights=list(self.channels.values()))[0]
        if outcome == "first_contact" and channel not in d.FIRST_CONTACT_CHANNELS:
            channel = r.choice(sorted(d.FIRST_CONTACT_CHANNELS & set(self.channels)) or [channel])
        if outcome in ("returned", "returned_then_closed") and channel in ("web_form", "portal"):
            channel = "email" if "email" in self.channels else channel
        requester, filer = self._choose_requester(channel)
        if newest and not self.customer_shown:  # no draw: the other cases stay as they were
            if channel in ("portal", "web_form") and "portal" in self.channels:
                channel, requester, filer = "portal", self.people.juan, CUSTOMER
            else:
                requester, filer = self.people.juan, AGENT
        self.customer_shown = self.customer_shown or requester is self.people.juan
        self.requesters.add(requester.document_number or requester.full_name or "anónimo")
        self.t = filed_at
        self.order = f"PED-{r.randint(100000, 999999)}"
        self.invoice = f"FE-{r.randint(10000, 99999)}"
        received_at: datetime | None = filed_at - timedelta(minutes=r.randint(2, 25))
        late_channel = channel in ("email", "web_form", "physical_document")
        if late_channel and r.random() < 0.3:
            received_at = filed_at - timedelta(days=r.randint(1, 2), hours=r.randint(0, 6))
        elif late_channel and not self.late_reception_shown and filer not in (CUSTOMER, CONSULTANT, WEB_FORM):
            received_at = filed_at - timedelta(days=1, hours=2)  # no draw: the other cases stay as they were
        refs: tuple[DocumentReference, ...] = ()
        if topic.reference == "invoice":
            refs = (DocumentReference(ReferenceKind.INVOICE, self.invoice),)
        elif topic.reference == "order":
            refs = (DocumentReference(ReferenceKind.ORDER, self.order),)
        wrong = outcome in ("returned", "returned_then_closed")
        typification: str | None = topic.code
        if wrong:
            typification = r.choice([t.code for t in self.topics if t.code != topic.code])
        elif channel in ("web_form", "portal", "email") and r.random() < 0.25:
            typification = None  # classified later by the back office
        priority, important, urgent = None, None, None
        if r.random() < 0.2:
            important, urgent = r.random() < 0.5, r.random() < 0.4
        else:
            priority = r.choices(["bloqueante", "alta", "media", "baja"], weights=[6, 24, 42, 28])[0]
        if filer in (CUSTOMER, CONSULTANT, WEB_FORM):
            # People filing for themselves: the filing is the reception, and the priority is the team's.
            received_at, priority, important, urgent = None, None, None, None
        if received_at is not None and filed_at - received_at >= timedelta(days=1):
            self.late_reception_shown = True
        verbal = channel in d.VERBAL_CHANNELS
        first_contact = outcome == "first_contact"
        # Drawn in the order the fields are listed, so that a seed gives the same cases.
        text = self._fill(description, requester)
        reason = topic.reason if topic.reason in self.reasons and r.random() < 0.7 else None
        solution = self._fill(r.choice(topic.solutions), requester).capitalize() if first_contact else None
        seconds = self._seconds(105) if filer in (AGENT, BACK_OFFICE, SUPERVISOR) else None
        if (first_contact and reason is None
                and (required := required_before_closing(self.pqrs.catalog(), typification)) is not None
                and "reason" in required.value):
            # Not closable at first contact without its reason (the demo's invoicing rule, when the demo
            # loads more cases into a store that has it): it is filed and left waiting.
            first_contact, solution = False, None
        command = c.FileCase(
            kind=kind, subject=subject, description=text, requester=requester, channel=channel, reason=reason,
            typification=typification, priority=priority, important=important, urgent=urgent,
            queue=None,  # the first tier, by default
            references=refs, received_at=received_at, verbal=verbal,
            received_by=filer.username if verbal else None,
            resolved_at_first_contact=first_contact, solution=solution, handling_seconds=seconds,
        )
        self.clock.set(filed_at)
        case: Case = self.pqrs.handle(command, filer)
        try:
            self._work(case, topic, outcome, needs_typification=typification is None)
        except _OutOfTime:
            pass

    def _assign(self, number: str, to_back_office: bool) -> None:
        if to_back_office or "back_office" not in self.queues:
            queue = "back_office" if "back_office" in self.queues else None
            command = c.AssignCase(filing_number=number, assignee=BACK_OFFICE.username, queue=queue)
            self._do((0.3, 20), command, SUPERVISOR)
        else:
            self._do((0.1, 6), c.AssignCase(filing_number=number, assignee=AGENT.username), AGENT)

    def _work(self, case: Case, topic: d.Topic, outcome: str, *, needs_typification: bool) -> None:
        r = self.rng
        number = str(case.filing_number)
        requester_actor = CUSTOMER if case.requester.user == CUSTOMER.username else AGENT
        if outcome in ("filed", "first_contact"):
            return
        if outcome in ("returned", "returned_then_closed"):
            self._assign(number, to_back_office=True)
            self._do((0.5, 24), c.TransitionCase(filing_number=number, transition="start"), BACK_OFFICE)
            self._do((0.1, 3), c.ReturnForRetypification(filing_number=number,
                                                          reason=r.choice(d.RETURN_REASONS)), BACK_OFFICE)
            if outcome == "returned":
                return
            self._do((1, 30), c.TypifyCase(filing_number=number, typification=topic.code), AGENT)
            self._do((0.05, 1), c.TransitionCase(filing_number=number, transition="resubmit"), AGENT)
            self._assign(number, to_back_office=True)
            outcome = "closed"
        else:
            self._assign(number, to_back_office=r.random() < 0.75)
            if needs_typification:
                self._do((0.2, 8), c.TypifyCase(filing_number=number, typification=topic.code), BACK_OFFICE)
        if outcome == "assigned":
            return
        worker = self._worker(number)
        self._do((0.3, 30), c.TransitionCase(filing_number=number, transition="start"), worker)
        if r.random() < 0.7:
            self._do((0.2, 8), c.AddNote(filing_number=number, text=self._note()), worker)
        if outcome == "in_progress":
            if r.random() < 0.5:
                self._do((2, 30), c.AddNote(filing_number=number, text=self._note()), worker)
            return
        if outcome in ("waiting", "info_then_closed"):
            self._do((0.5, 24), c.RequestInformation(filing_number=number, message=r.choice(d.INFO_REQUESTS)),
                     worker)
            if outcome == "waiting":
                return
            reply = r.choice(d.REQUESTER_REPLIES)
            self._do((4, 72), c.RecordRequesterReply(filing_number=number, message=reply), requester_actor)
            self._do((0.5, 12), c.AddNote(filing_number=number, text=self._note()), worker)
        close_now = outcome in ("closed", "info_then_closed") and r.random() < 0.6
        # A case its typification keeps open until fields are filled (the demo's invoicing rule, when the
        # demo loads more cases into a store that has it) is answered and left answered.
        closable = not missing_before_closing(self.pqrs.catalog(), self.pqrs.case(number))
        case = self._do((1, 60), c.RespondCase(filing_number=number, text=self._response(topic, case),
                                               close=close_now and closable,
                                               handling_seconds=self._seconds(230)), worker)
        self._notified(case, worker)
        self._survey(case)
        if outcome == "responded" or not closable:
            return
        if outcome == "reopened":
            counter = r.choice(d.COUNTER_RESPONSES)
            replied = self._do((3, 48), c.RecordRequesterReply(filing_number=number, message=counter),
                               requester_actor)
            if replied.is_open:  # office hours may push the reply past the 3-day window: then it
                self._do((0.5, 24), c.AddNote(filing_number=number, text=self._note()), worker)
            else:  # is recorded without reopening, and the case stays answered
                return
            if r.random() < 0.5:
                return
            case = self._do((12, 72), c.RespondCase(filing_number=number, text=self._response(topic, case)),
                            worker)
            self._notified(case, worker)
        if not close_now:
            self._do((24, 100), c.CloseCase(filing_number=number), worker)
        self._root_cause(number, case.kind, worker)
        if r.random() < 0.3:
            self._do((24, 120), c.AddNote(filing_number=number, text=r.choice(d.QUALITY_NOTES)), QUALITY)
            self._do((0.05, 1), c.RecordQualityReview(
                filing_number=number, score=r.choices((5, 4, 3, 2), weights=(4, 5, 2, 1))[0],
                checklist={"on_time": r.random() < 0.85, "clear_and_complete": r.random() < 0.8,
                           "correct_typification": r.random() < 0.9, "requester_data": r.random() < 0.9,
                           "courteous": True}), QUALITY)

    def _seconds(self, typical: float) -> int:
        """A handling time around ``typical`` seconds (log-normal: most near it, a few much longer)."""
        return max(20, min(3600, round(self.rng.lognormvariate(0, 0.45) * typical)))

    def _notified(self, case: Case, worker: Actor) -> None:
        """The proof of notification the worker and the intake record (docs/official-record.md): the
        response's e-mail accepted by the server two minutes later; one in twenty bounces, and its
        aviso is published within the hour (on /avisos while it lasts). Draws nothing from the demo's
        random sequence, so the rest of the demo is the same with it."""
        if case.pending_response is not None or case.responded_at is None or not case.requester.email:
            return
        number = str(case.filing_number)
        steps: list[tuple[timedelta, object, Actor]] = [
            (timedelta(minutes=2), c.RecordEmailDelivery(filing_number=number, communication="response",
                                                         status="sent", address=case.requester.email),
             Actor.system())]
        if zlib.crc32(number.encode()) % 20 == 0:
            steps += [(timedelta(minutes=15), c.RecordEmailDelivery(
                filing_number=number, communication="response", status="bounced",
                address=case.requester.email, reason="550 5.1.1 La cuenta de correo no existe"),
                Actor.system()),
                (timedelta(minutes=40), c.PublishNotice(filing_number=number), worker)]
        for delay, command, actor in steps:
            if self.t + delay > self.limit:
                return
            self.t += delay
            self.clock.set(self.t)
            self.pqrs.handle(command, actor)

    def _survey(self, case: Case) -> None:
        """About half the requesters with an e-mail answer the survey, a few hours to days later."""
        r = self.rng
        if not case.requester.email or r.random() > 0.5:
            return
        at = self._office_hours(self.t + timedelta(hours=r.uniform(2, 96)))
        if at > self.limit:
            return
        score = r.choices((5, 4, 3, 2, 1), weights=(38, 30, 14, 11, 7))[0]
        nps = min(10, max(0, score * 2 + r.randint(-2, 1))) if r.random() < 0.8 else None
        self.answers.append(SurveyAnswerData(case.id, at, score, nps, r.choice(d.SURVEY_COMMENTS[score])))

    def _root_cause(self, number: str, kind: str, worker: Actor) -> None:
        """Quejas and reclamos get their root cause once closed (others now and then); some a corrective
        action, of which the older ones are done."""
        r = self.rng
        if kind not in ("queja", "reclamo") and r.random() > 0.2:
            return
        cause = r.choices(list(d.CAUSE_WEIGHTS), weights=list(d.CAUSE_WEIGHTS.values()))[0]
        area = r.choice(sorted(self.queues))
        action, owner, due = "", None, None
        if r.random() < 0.35:
            action = r.choice(d.CORRECTIVE_ACTIONS[cause])
            owner = r.choice((SUPERVISOR.username, BACK_OFFICE.username))
            due = (self.t + timedelta(days=r.randint(5, 30))).astimezone(self.tz).date()
        self._do((0.05, 2), c.RecordRootCause(filing_number=number, cause=cause, area=area, action=action,
                                              action_owner=owner, action_due=due), worker)
        if action and r.random() < 0.6:
            self._do((48, 400), c.CompleteCorrectiveAction(filing_number=number,
                                                           note="Acción implementada y verificada."), worker)

    def _worker(self, number: str) -> Actor:
        assignee = self.pqrs.case(number).assignee
        return AGENT if assignee == AGENT.username else BACK_OFFICE


def _salutation(requester: Requester) -> str:
    if not requester.full_name:
        return "señor(a)"
    if requester.document_type == "NIT":
        return requester.full_name
    return requester.full_name.split()[0]


# The queues each demo user works in (visibility by queue) and the network (genealogía): the demo
# customer was brought in by the demo consultant, who therefore sees the customer's cases too.
DEMO_QUEUES = {"ana.agente": ("primer_nivel",), "bruno.backoffice": ("back_office",),
               "valeria.backoffice": ("back_office",),
               "sofia.supervisora": ("primer_nivel", "back_office", "especialistas")}
DEMO_SPONSORS = {"juan.cliente": "diana.consultora"}


def create_demo_users(engine: Engine, password: str = d.DEMO_PASSWORD) -> list[d.DemoUser]:
    """Create (or reset the password, queues and sponsor of) the demo users."""
    from ..accounts import save_user

    for user in d.DEMO_USERS:  # sponsors come first in DEMO_USERS
        save_user(engine, user.username, display_name=user.display_name, email=user.email, roles=user.roles,
                  job_title=user.job_title, password=password, queues=DEMO_QUEUES.get(user.username, ()),
                  sponsor=DEMO_SPONSORS.get(user.username, ""))
    return list(d.DEMO_USERS)


DEMO_MAILBOX = "pqrs@demo.example.co"


def create_demo_mailbox(engine: Engine, now: datetime) -> str:
    """The demo's mailbox, received by ``pqrs mail serve`` (``make mail``): no IMAP URL, new mail filed
    as a petición in the first line's queue. Kept as it is when it exists. Returns its address."""
    from ..mail.mailboxes import MailboxSettings
    from ..sqlalchemy.mailbox_store import create_mailbox, find_mailbox

    if find_mailbox(engine, DEMO_MAILBOX) is None:
        create_mailbox(engine, MailboxSettings(address=DEMO_MAILBOX, kind="peticion", queue="primer_nivel"),
                       now)
    return DEMO_MAILBOX


def load_demo(pqrs: Pqrs, clock: FrozenClock, *, count: int = 300, seed: int = 7, now: datetime | None = None,
              timezone: str = "America/Bogota") -> DemoResult:
    """File ``count`` cases on ``pqrs`` (built with ``clock``) and play their workflows."""
    return DemoLoader(pqrs, clock, seed=seed, now=now, timezone=timezone).load(count)


def state_summary(pqrs: Pqrs, by_state: dict[str, int]) -> Sequence[tuple[str, int]]:
    """``(state label, count)`` in workflow order."""
    catalog = pqrs.catalog()
    rows: list[tuple[str, int]] = []
    for workflow in catalog.workflows:
        for state in workflow.states:
            if by_state.get(state.code):
                rows.append((state.label, by_state[state.code]))
    known = {s.code for w in catalog.workflows for s in w.states}
    rows.extend((code, n) for code, n in sorted(by_state.items()) if code not in known)
    return rows


def record_demo_answers(engine: Engine, answers: Sequence[SurveyAnswerData]) -> int:
    """Store the demo's survey answers (as the survey page would have); how many were stored."""
    from ..sqlalchemy.satisfaction import record_answer

    return sum(1 for a in answers
               if record_answer(engine, a.case_id, a.score, a.nps, a.comment, a.answered_at))


def settle_demo_notifications(engine: Engine) -> int:
    """Mark the notifications the demo history queued as delivered (``last_error`` says why): they
    describe 90 days that never happened and would only flood the outbox. Returns how many."""
    from sqlalchemy import update

    from ..sqlalchemy.engine import begin_write
    from ..sqlalchemy.tables import outbox

    with begin_write(engine) as conn:
        result = conn.execute(update(outbox).where(outbox.c.sent_at.is_(None)).values(
            sent_at=datetime.now(UTC), last_error="historia de demostración: no se envía"))
    return int(result.rowcount or 0)
