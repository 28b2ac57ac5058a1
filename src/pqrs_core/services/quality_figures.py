"""What the quality and productivity reports answer: the satisfaction survey's and the quality reviews'
figures by group, the resolved cases by root cause with the corrective actions, and each person's work
against the targets. The store computes them (``quality_reports.QualityQueries``); these are plain
values, with the few sums and shares the pages and the API present."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from statistics import median

import attrs


# --------------------------------------------------------------------------- satisfaction and quality
@attrs.frozen
class SurveyAnswer:
    case_id: str
    answered_at: datetime
    score: int
    nps: int | None
    comment: str
    responder: str | None
    responded_at: datetime | None


@attrs.frozen
class SatisfactionFigures:
    """One group's figures (``key``: the person, area, typification or kind code; ``None`` for the
    total, or for answers without one)."""

    key: str | None
    answers: int = 0
    score_sum: int = 0
    satisfied: int = 0
    nps_answers: int = 0
    promoters: int = 0
    detractors: int = 0
    reviews: int = 0
    review_sum: int = 0

    @property
    def average(self) -> float | None:
        return self.score_sum / self.answers if self.answers else None

    @property
    def satisfied_share(self) -> float | None:
        return self.satisfied / self.answers if self.answers else None

    @property
    def nps(self) -> float | None:
        """Net promoter score, −100 to 100."""
        return 100 * (self.promoters - self.detractors) / self.nps_answers if self.nps_answers else None

    @property
    def review_average(self) -> float | None:
        return self.review_sum / self.reviews if self.reviews else None


@attrs.frozen
class SatisfactionReport:
    total: SatisfactionFigures
    groups: tuple[SatisfactionFigures, ...]
    distribution: dict[int, int]  # score → answers
    comments: tuple[SurveyAnswer, ...]  # the latest answers with a comment


def total_of(groups: Iterable[SatisfactionFigures]) -> SatisfactionFigures:
    fields = ("answers", "score_sum", "satisfied", "nps_answers", "promoters", "detractors", "reviews",
              "review_sum")
    groups = list(groups)
    return SatisfactionFigures(None, **{f: sum(getattr(g, f) for g in groups) for f in fields})


# --------------------------------------------------------------------------- root causes
@attrs.frozen
class Count:
    key: str | None
    cases: int


@attrs.frozen
class CausesReport:
    resolved: int  # cases resolved in the period
    with_cause: int  # of them, with a root cause recorded
    by_cause: tuple[Count, ...]  # most frequent first; without the cases that have none
    by_area: tuple[Count, ...]
    by_typification: tuple[Count, ...]  # every resolved case, with a cause or not
    cause_by_area: dict[tuple[str, str | None], int]


def ordered_counts(counts: dict[str | None, int]) -> tuple[Count, ...]:
    return tuple(Count(key, n) for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or "")))


@attrs.frozen
class CorrectiveAction:
    filing_number: str
    subject: str
    cause: str
    area: str | None
    action: str
    owner: str | None
    due: date | None
    done_at: datetime | None

    def overdue(self, today: date) -> bool:
        return self.done_at is None and self.due is not None and self.due < today


# --------------------------------------------------------------------------- productivity
@attrs.frozen
class Targets:
    filing_seconds: int = 120
    response_seconds: int = 270
    solutions_per_day: int = 55


@attrs.define
class PersonFigures:
    person: str
    filed: int = 0
    typified: int = 0
    answered: int = 0
    closed: int = 0
    filing_times: list[int] = attrs.field(factory=list)
    response_times: list[int] = attrs.field(factory=list)
    answered_by_day: dict[date, int] = attrs.field(factory=dict)
    targets: Targets = attrs.field(factory=Targets)

    @property
    def days(self) -> int:
        """Days on which the person answered at least one case."""
        return len(self.answered_by_day)

    @property
    def answered_per_day(self) -> float | None:
        return self.answered / self.days if self.days else None

    @property
    def days_on_target(self) -> int:
        return sum(1 for n in self.answered_by_day.values() if n >= self.targets.solutions_per_day)

    @property
    def filing_median(self) -> float | None:
        return median(self.filing_times) if self.filing_times else None

    @property
    def response_median(self) -> float | None:
        return median(self.response_times) if self.response_times else None

    @property
    def filing_on_target(self) -> float | None:
        return _share(self.filing_times, self.targets.filing_seconds)

    @property
    def response_on_target(self) -> float | None:
        return _share(self.response_times, self.targets.response_seconds)


def _share(times: list[int], target: int) -> float | None:
    return sum(1 for t in times if t <= target) / len(times) if times else None


@attrs.frozen
class DayFigures:
    day: date
    filed: int
    typified: int
    answered: int
    closed: int


@attrs.frozen
class ProductivityReport:
    people: tuple[PersonFigures, ...]  # most answers first
    days: tuple[DayFigures, ...]  # every day of the period with activity, in order
    total: PersonFigures


def teams(report: ProductivityReport, team_of: dict[str, str]) -> list[PersonFigures]:
    """The report's people added up by team (``team_of``: person → team; others under «»)."""
    found: dict[str, PersonFigures] = {}
    for person in report.people:
        name = team_of.get(person.person, "")
        team = found.setdefault(name, PersonFigures(name, targets=person.targets))
        _merge(team, person)
    return sorted(found.values(), key=lambda t: (-t.answered, t.person))


def _merge(into: PersonFigures, other: PersonFigures) -> None:
    for name in ("filed", "typified", "answered", "closed"):
        setattr(into, name, getattr(into, name) + getattr(other, name))
    into.filing_times.extend(other.filing_times)
    into.response_times.extend(other.response_times)
    for day, n in other.answered_by_day.items():
        into.answered_by_day[day] = into.answered_by_day.get(day, 0) + n
