"""The satisfaction survey's answers: recording one (once per case) and the figures of the satisfaction
report, with the quality reviews of the same cases beside them.

Figures per group (a person, an area, a typification, a kind): answers, average score (1 to 5), how many
were satisfied (4 or 5), and, where the NPS question was asked, promoters (9 and 10) and detractors
(0 to 6); the quality reviews recorded in the same period (their count and average score). The person
of an answer is who sent the response it judges; of a quality review, the case's assignee.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import Connection, Engine, case, func, insert, select
from sqlalchemy.exc import IntegrityError

from pqrs_core.ports import CaseQuery
from pqrs_core.services.quality_figures import SatisfactionFigures, SatisfactionReport, SurveyAnswer, total_of

from .case_queries import where_clause
from .tables import case_events, cases, satisfaction_answers

MIN_SCORE, MAX_SCORE = 1, 5
SATISFIED_FROM = 4
MAX_COMMENT = 2000
_CHUNK = 500  # case ids per query (SQLite's bound parameters)
# The groups the report is cut by: the column of the survey's answers and of the quality reviews.
GROUPS = {"person": (satisfaction_answers.c.responder, cases.c.assignee),
          "area": (cases.c.queue, cases.c.queue),
          "typification": (cases.c.typification_code, cases.c.typification_code),
          "kind": (cases.c.kind, cases.c.kind)}


def answer_of(engine: Engine, case_id: str) -> SurveyAnswer | None:
    with engine.connect() as conn:
        row = conn.execute(select(satisfaction_answers).where(
            satisfaction_answers.c.case_id == case_id)).mappings().first()
    return SurveyAnswer(**row) if row is not None else None


def answers_of(engine: Engine, case_ids: Iterable[str]) -> dict[str, SurveyAnswer]:
    """The survey answers of the cases ``case_ids`` that have one, by case id."""
    wanted = sorted(set(case_ids))
    found: dict[str, SurveyAnswer] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), _CHUNK):
            rows = conn.execute(select(satisfaction_answers).where(
                satisfaction_answers.c.case_id.in_(wanted[start:start + _CHUNK]))).mappings()
            found.update((row["case_id"], SurveyAnswer(**row)) for row in rows)
    return found


def record_answer(engine: Engine, case_id: str, score: int, nps: int | None, comment: str,
                  now: datetime) -> bool:
    """Record the answer for ``case_id``; ``False`` (nothing recorded) when the case already has one.
    The answer keeps who sent the case's last response, and when."""
    with engine.begin() as conn:
        last = conn.execute(select(case_events.c.actor, case_events.c.occurred_at)
                            .where(case_events.c.case_id == case_id, case_events.c.type == "CaseResponded")
                            .order_by(case_events.c.seq.desc()).limit(1)).first()
        try:
            with conn.begin_nested():
                conn.execute(insert(satisfaction_answers).values(
                    case_id=case_id, answered_at=now, score=score, nps=nps, comment=comment,
                    responder=last.actor if last else None, responded_at=last.occurred_at if last else None))
        except IntegrityError:
            return False
    return True


def satisfaction_report(conn: Connection, query: CaseQuery, start: datetime | None, end: datetime | None,
                        by: str = "area", comments: int = 20) -> SatisfactionReport:
    """The figures of the answers given in [``start``, ``end``) and the quality reviews recorded then,
    over the cases ``query`` selects (its filters and visibility; not its filing dates), by ``by``."""
    survey_key, review_key = GROUPS[by]
    a = satisfaction_answers.c
    cases_where = where_clause(conn, query)
    answered = [cases_where, *_between(a.answered_at, start, end)]
    satisfied = case((a.score >= SATISFIED_FROM, 1), else_=0)
    survey = (select(survey_key.label("key"), func.count().label("answers"),
                     func.coalesce(func.sum(a.score), 0).label("score_sum"),
                     func.coalesce(func.sum(satisfied), 0).label("satisfied"),
                     func.count(a.nps).label("nps_answers"),
                     func.coalesce(func.sum(case((a.nps >= 9, 1), else_=0)), 0).label("promoters"),
                     func.coalesce(func.sum(case((a.nps <= 6, 1), else_=0)), 0).label("detractors"))
              .select_from(satisfaction_answers.join(cases, cases.c.id == a.case_id))
              .where(*answered).group_by(survey_key))
    reviews = (select(review_key.label("key"), func.count().label("reviews"),
                      func.coalesce(func.sum(cases.c.quality_score), 0).label("review_sum"))
               .where(cases_where, cases.c.quality_score.is_not(None),
                      *_between(cases.c.quality_reviewed_at, start, end))
               .group_by(review_key))
    figures: dict[str | None, dict[str, Any]] = {}
    for row in conn.execute(survey).mappings():
        figures.setdefault(row["key"], {}).update({k: int(v) for k, v in row.items() if k != "key"})
    for row in conn.execute(reviews).mappings():
        figures.setdefault(row["key"], {}).update({k: int(v) for k, v in row.items() if k != "key"})
    groups = tuple(SatisfactionFigures(key=key, **values) for key, values in figures.items())
    groups = tuple(sorted(groups, key=lambda g: (-g.answers, -g.reviews, g.key or "")))
    distribution = {score: 0 for score in range(MIN_SCORE, MAX_SCORE + 1)}
    for score, count in conn.execute(select(a.score, func.count())
                                     .select_from(satisfaction_answers.join(cases, cases.c.id == a.case_id))
                                     .where(*answered).group_by(a.score)):
        distribution[int(score)] = int(count)
    latest = conn.execute(select(satisfaction_answers)
                          .select_from(satisfaction_answers.join(cases, cases.c.id == a.case_id))
                          .where(*answered, a.comment != "")
                          .order_by(a.answered_at.desc()).limit(comments)).mappings()
    return SatisfactionReport(total=total_of(groups), groups=groups, distribution=distribution,
                              comments=tuple(SurveyAnswer(**row) for row in latest))


def _between(column: Any, start: datetime | None, end: datetime | None) -> list[Any]:
    parts = []
    if start is not None:
        parts.append(column >= start)
    if end is not None:
        parts.append(column < end)
    return parts


@attrs.frozen
class SurveyedCase:
    """What the survey page shows of the case it asks about."""

    case_id: str
    filing_number: str
    subject: str
    kind: str


def surveyed_case(engine: Engine, case_id: str) -> SurveyedCase | None:
    """The case ``case_id`` (``None`` when it does not exist or was deleted)."""
    c = cases.c
    with engine.connect() as conn:
        row = conn.execute(select(c.id, c.filing_number, c.subject, c.kind)
                           .where(c.id == case_id, c.deleted_at.is_(None))).first()
    return SurveyedCase(case_id=row.id, filing_number=row.filing_number, subject=row.subject,
                        kind=row.kind) if row is not None else None
