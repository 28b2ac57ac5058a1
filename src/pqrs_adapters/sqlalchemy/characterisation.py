"""The requesters' characterisation answers (``requester_characterisation``, one row per case, apart
from the case's data): recording them with their consent, reading them for an export that asks for
them, and the report's queries (``pqrs_core.services.characterisation_report``)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from pqrs_core.domain.characterisation import QUESTION_CODES, Characterisation
from pqrs_core.ports import CaseQuery

from .case_queries import where_clause
from .tables import cases, requester_characterisation

log = logging.getLogger(__name__)
_CHUNK = 500  # case ids per query (SQLite's bound parameters)
_ANSWERS = [requester_characterisation.c[code] for code in QUESTION_CODES]


def record(engine: Engine, case_id: str, characterisation: Characterisation) -> None:
    """Keep ``characterisation`` for the case ``case_id`` (once: a case has one requester)."""
    with engine.begin() as conn:
        conn.execute(insert(requester_characterisation).values(
            case_id=case_id, consented_at=characterisation.consented_at,
            purpose_version=characterisation.purpose_version,
            purpose_digest=characterisation.purpose_digest, channel=characterisation.channel,
            **{code: characterisation.answers.get(code) for code in QUESTION_CODES}))


def record_after_filing(engine: Engine, case_id: str, characterisation: Characterisation) -> bool:
    """``record``, for a case just filed: a failure is logged and answered ``False``, never raised, so
    that the filing (already committed) is not reported as failed and filed again."""
    try:
        record(engine, case_id, characterisation)
    except SQLAlchemyError:
        log.exception("the characterisation of case %s could not be recorded", case_id)
        return False
    return True


def of_case(engine: Engine, case_id: str) -> Characterisation | None:
    with engine.connect() as conn:
        row = conn.execute(select(requester_characterisation).where(
            requester_characterisation.c.case_id == case_id)).mappings().first()
    if row is None:
        return None
    return Characterisation({code: row[code] for code in QUESTION_CODES if row[code]}, row["consented_at"],
                            row["purpose_version"], row["purpose_digest"], row["channel"])


def answers_of(engine: Engine, case_ids: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """The answers of those of ``case_ids`` that have some, by case id."""
    wanted = sorted(set(case_ids))
    found: dict[str, dict[str, str | None]] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), _CHUNK):
            rows = conn.execute(select(requester_characterisation.c.case_id, *_ANSWERS).where(
                requester_characterisation.c.case_id.in_(wanted[start:start + _CHUNK]))).mappings()
            found.update((row["case_id"], {code: row[code] for code in QUESTION_CODES}) for row in rows)
    return found


class SqlCharacterisationQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def answers(self, query: CaseQuery) -> Iterator[tuple[datetime, Mapping[str, str | None]]]:
        statement = (select(cases.c.filed_at, *_ANSWERS)
                     .select_from(requester_characterisation.join(
                         cases, cases.c.id == requester_characterisation.c.case_id))
                     .where(where_clause(self._conn, query)))
        for row in self._conn.execute(statement).mappings():
            yield row["filed_at"], {code: row[code] for code in QUESTION_CODES}

    def count(self, query: CaseQuery) -> int:
        return int(self._conn.execute(
            select(func.count()).select_from(cases).where(where_clause(self._conn, query))).scalar_one())


def characterisation_queries(uow: object) -> SqlCharacterisationQueries:
    """The characterisation report's queries on a SQL unit of work's connection."""
    from .unit_of_work import SqlUnitOfWork

    assert isinstance(uow, SqlUnitOfWork)
    return SqlCharacterisationQueries(uow.connection)
