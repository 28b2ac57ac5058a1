"""The satisfaction survey on SQLite and PostgreSQL: one answer per case, the response e-mail's link, and
the satisfaction report's figures against values counted by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from test_mail_delivery import SmtpSink, smtp  # noqa: F401 - the fixture
from test_store_contract import AGENT, BACK_OFFICE, SUPERVISOR

from conftest import StoreUnderTest
from pqrs_adapters.mail.worker import DeliveryOptions, deliver_once
from pqrs_adapters.sqlalchemy.satisfaction import answer_of, record_answer, satisfaction_report
from pqrs_adapters.surveys import SurveyLinks
from pqrs_core.clock import FrozenClock
from pqrs_core.domain import commands as c
from pqrs_core.domain.access import Actor, AssignedTo
from pqrs_core.domain.case import Case
from pqrs_core.domain.values import Requester
from pqrs_core.ports import CaseQuery
from pqrs_core.services.messagebus import Pqrs

BOGOTA = ZoneInfo("America/Bogota")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=BOGOTA)
QUALITY = Actor("carlos", frozenset({"quality"}))
MARIA = Requester(full_name="María Pérez", document_type="CC", document_number="52123456",
                  email="maria@example.com")


def responded(app: Pqrs, kind: str, queue: str, by: Actor, *, close: bool = False) -> Case:
    case: Case = app.handle(c.FileCase(kind=kind, subject=f"Caso {kind} {queue}", description="Detalle",
                                       requester=MARIA, queue=queue), SUPERVISOR)
    number = str(case.filing_number)
    app.handle(c.AssignCase(filing_number=number, assignee=by.username), SUPERVISOR)
    app.handle(c.TransitionCase(filing_number=number, transition="start"), by)
    result: Case = app.handle(c.RespondCase(filing_number=number, text="Respuesta", close=close), by)
    return result


def test_one_answer_per_case_with_who_responded(sql_store: StoreUnderTest) -> None:
    assert sql_store.engine is not None
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    case = responded(app, "queja", "back_office", BACK_OFFICE)
    clock.advance(days=1)

    assert record_answer(sql_store.engine, case.id, 2, 3, "Tardaron", clock.now())
    assert not record_answer(sql_store.engine, case.id, 5, 10, "Otra", clock.now())

    answer = answer_of(sql_store.engine, case.id)
    assert answer is not None
    assert (answer.score, answer.nps, answer.comment, answer.responder) == (2, 3, "Tardaron", "bruno")
    assert answer.responded_at == clock.now() - timedelta(days=1)


def test_the_response_mail_carries_a_link_that_opens_the_survey(sql_store: StoreUnderTest,
                                                                smtp: SmtpSink) -> None:  # noqa: F811
    assert sql_store.engine is not None
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    case = responded(app, "queja", "back_office", BACK_OFFICE)
    links = SurveyLinks(secret="clave", public_url="https://pqrs.acme.example.co")

    deliver_once(sql_store.engine, smtp.mailer(), clock.now(), options=DeliveryOptions(surveys=links))

    by_subject = {m.message["Subject"]: m for m in smtp.received}
    mail = by_subject[f"[{case.filing_number}] Respuesta a su queja"]
    token = links.token(case.id, clock.now())
    assert f"https://pqrs.acme.example.co/encuesta/{token}" in mail.text
    assert f'href="https://pqrs.acme.example.co/encuesta/{token}"' in mail.html
    assert "1 de abril de 2026" in mail.text  # valid 30 days
    assert links.read(token, clock.now() + timedelta(days=29)).case_id == case.id
    acknowledgement = by_subject[f"[{case.filing_number}] Recibimos su queja"]
    assert "/encuesta/" not in acknowledgement.text


def test_without_a_public_address_the_response_mail_has_no_survey(sql_store: StoreUnderTest,
                                                                   smtp: SmtpSink) -> None:  # noqa: F811
    assert sql_store.engine is not None
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    responded(app, "queja", "back_office", BACK_OFFICE)
    deliver_once(sql_store.engine, smtp.mailer(), clock.now(),
                 options=DeliveryOptions(surveys=SurveyLinks(secret="clave")))
    assert smtp.received and all("encuesta" not in m.text for m in smtp.received)


def figures(report: Any) -> dict[str | None, tuple[Any, ...]]:
    return {g.key: (g.answers, g.average, g.satisfied, g.nps_answers, g.nps, g.reviews, g.review_average)
            for g in report.groups}


def test_the_report_counts_what_was_counted_by_hand(sql_store: StoreUnderTest) -> None:
    """Five answered cases and two quality reviews:

    | case | kind     | area        | responded by | score | nps | review |
    | a    | queja    | back_office | bruno        | 5     | 10  | 4      |
    | b    | queja    | back_office | bruno        | 2     | 3   |        |
    | c    | reclamo  | primer_nivel| ana          | 4     | 9   | 2      |
    | d    | peticion | primer_nivel| ana          | 3     | —   |        |
    | e    | peticion | primer_nivel| ana          | 1     | 6   |  (answered before the period) |
    """
    engine = sql_store.engine
    assert engine is not None
    clock = FrozenClock(MONDAY)
    app = sql_store.app(clock=clock)
    e = responded(app, "peticion", "primer_nivel", AGENT)
    assert record_answer(engine, e.id, 1, 6, "Antes", clock.now())
    clock.advance(days=3)
    start = clock.now()
    a = responded(app, "queja", "back_office", BACK_OFFICE, close=True)
    b = responded(app, "queja", "back_office", BACK_OFFICE)
    cc = responded(app, "reclamo", "primer_nivel", AGENT, close=True)
    d = responded(app, "peticion", "primer_nivel", AGENT)
    for case, score, nps, comment in ((a, 5, 10, "Excelente"), (b, 2, 3, ""), (cc, 4, 9, "Bien"),
                                      (d, 3, None, "")):
        clock.advance(minutes=10)
        assert record_answer(engine, case.id, score, nps, comment, clock.now())
    app.handle(c.RecordQualityReview(filing_number=str(a.filing_number), score=4), QUALITY)
    app.handle(c.RecordQualityReview(filing_number=str(cc.filing_number), score=2), QUALITY)
    end = clock.now() + timedelta(seconds=1)

    with engine.connect() as conn:
        by_area = satisfaction_report(conn, CaseQuery(), start, end, by="area")
        by_person = satisfaction_report(conn, CaseQuery(), start, end, by="person")
        by_kind = satisfaction_report(conn, CaseQuery(), start, end, by="kind")
        quejas = satisfaction_report(conn, CaseQuery(kinds=("queja",)), start, end, by="area")
        everything = satisfaction_report(conn, CaseQuery(), None, None, by="area")
        bruno_only = satisfaction_report(conn, CaseQuery(visible=AssignedTo("bruno")), start, end, by="area")

    total = by_area.total
    assert (total.answers, total.average, total.satisfied_share) == (4, 14 / 4, 2 / 4)
    # NPS over 3 answers: promoters a (10) and c (9), detractor b (3): (2 − 1) / 3.
    assert (total.nps_answers, total.nps) == (3, 100 / 3)
    assert (total.reviews, total.review_average) == (2, 3.0)
    assert by_area.distribution == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    assert [answer.comment for answer in by_area.comments] == ["Bien", "Excelente"]
    assert figures(by_area) == {
        "back_office": (2, 3.5, 1, 2, 0.0, 1, 4.0),
        "primer_nivel": (2, 3.5, 1, 1, 100.0, 1, 2.0)}
    assert figures(by_person) == {
        "bruno": (2, 3.5, 1, 2, 0.0, 1, 4.0),
        "ana": (2, 3.5, 1, 1, 100.0, 1, 2.0)}
    assert figures(by_kind) == {
        "queja": (2, 3.5, 1, 2, 0.0, 1, 4.0),
        "reclamo": (1, 4.0, 1, 1, 100.0, 1, 2.0),
        "peticion": (1, 3.0, 0, 0, None, 0, None)}
    assert figures(quejas) == {"back_office": (2, 3.5, 1, 2, 0.0, 1, 4.0)}
    # Over every answer: e's 6 makes a second detractor.
    assert (everything.total.answers, everything.total.nps_answers, everything.total.nps) == (5, 4, 0.0)
    assert figures(bruno_only) == {"back_office": (2, 3.5, 1, 2, 0.0, 1, 4.0)}
