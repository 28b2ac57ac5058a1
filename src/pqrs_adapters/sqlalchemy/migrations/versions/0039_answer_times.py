"""``case_report_facts`` keeps each case's business time to answer (``reports.AnswerTimes``: hours to the
first response and to the response, business days to answer), computed once on the organisation's
calendar so that the timeliness and regulatory reports group them rather than recompute them; filled
here for the cases already answered, from the instants their events recorded, on the calendar of the
settings the migration runs with (``PQRS_WORKING_HOURS``, ``PQRS_HOLIDAYS_*``...) and the closure days
and working weekdays the organisation stored.

Also ``ix_cases_term_ended_at``: the causes report reads the cases resolved in its period, not every
case in a done state (``ANALYZE`` of the new index on SQLite, so that its planner knows it).

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-06
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from pqrs_core.domain.calendar import BusinessCalendar, organisation_calendar
from pqrs_core.services.reports import answer_times

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("first_response_hours", sa.Float()), ("resolution_hours", sa.Float()),
           ("days_to_answer", sa.Integer()))
BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("case_report_facts") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    _backfill(op.get_bind())
    op.create_index("ix_cases_term_ended_at", "cases", ["term_ended_at"])
    if op.get_context().dialect.name == "sqlite":
        op.execute("ANALYZE ix_cases_term_ended_at")


def _calendar(conn: sa.Connection) -> BusinessCalendar:
    from pqrs_adapters.config import DEFAULT_TIMEZONE, TermSettings, env_getter

    get = env_getter(os.environ)  # read as the application reads its settings
    timezone = get("PQRS_TIMEZONE") or DEFAULT_TIMEZONE
    base = TermSettings.from_env(get, timezone).calendar
    closures = [day if not isinstance(day, str) else datetime.fromisoformat(day).date()
                for (day,) in conn.execute(sa.text("SELECT day FROM closures"))]
    stored = conn.execute(sa.text("SELECT value FROM organisation_settings WHERE key = 'working_weekdays'")
                          ).scalar()
    if isinstance(stored, str):
        import json

        stored = json.loads(stored)
    weekdays = None if stored is None else frozenset(int(day) for day in stored)
    return organisation_calendar(base, closures, weekdays)


def _instant(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _backfill(conn: sa.Connection) -> None:
    calendar = _calendar(conn)
    facts = sa.table("case_report_facts", *(sa.column(name) for name in (
        "case_id", "extensions", "transfers", "withdrawn", "incomplete", "access_denied",
        *(name for name, _type in COLUMNS))))
    # The answered cases without a row of facts get one with nothing else to tell.
    conn.execute(sa.text(
        "INSERT INTO case_report_facts "
        "(case_id, extensions, transfers, withdrawn, incomplete, access_denied) "
        "SELECT c.id, 0, 0, false, false, false FROM cases c WHERE (c.first_responded_at IS NOT NULL "
        "OR c.responded_at IS NOT NULL) AND NOT EXISTS "
        "(SELECT 1 FROM case_report_facts f WHERE f.case_id = c.id)"))
    update = (facts.update().where(facts.c.case_id == sa.bindparam("b_id"))
              .values({name: sa.bindparam(name) for name, _type in COLUMNS}))
    rows = conn.execute(sa.text(
        "SELECT id, filed_at, first_responded_at, responded_at FROM cases "
        "WHERE first_responded_at IS NOT NULL OR responded_at IS NOT NULL")).all()
    for at in range(0, len(rows), BATCH):
        params = []
        for case_id, filed, first, responded in rows[at:at + BATCH]:
            filed_at = _instant(filed)
            assert filed_at is not None
            times = answer_times(filed_at, _instant(first), _instant(responded), calendar)
            params.append({"b_id": case_id, "first_response_hours": times.first_response_hours,
                           "resolution_hours": times.resolution_hours,
                           "days_to_answer": times.days_to_answer})
        conn.execute(update, params)


def downgrade() -> None:
    op.drop_index("ix_cases_term_ended_at", "cases")
    with op.batch_alter_table("case_report_facts") as batch:
        for name, _type in reversed(COLUMNS):
            batch.drop_column(name)
