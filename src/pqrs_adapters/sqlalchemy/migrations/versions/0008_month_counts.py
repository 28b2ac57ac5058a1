"""SQLite: ``case_month_counts``, the counts of the summary report per month of filing, kept by
triggers (see ``summary_schema``), filled here from the cases already stored. PostgreSQL is untouched.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration is a snapshot); ``summary_schema`` holds the same statements.
KEYS = ("state_category, state, kind, priority, channel, typification_code, typification_path_codes, "
        "first_contact_resolution")
COLUMNS = "month, " + KEYS
NEW_VALUES = ("strftime('%Y-%m', new.filed_at), new.state_category, new.state, new.kind, "
              "coalesce(new.priority, ''), coalesce(new.channel, ''), coalesce(new.typification_code, ''), "
              "coalesce(new.typification_path_codes, ''), new.first_contact_resolution")
ADD = (f"INSERT INTO case_month_counts ({COLUMNS}, cases) SELECT {NEW_VALUES}, 1 "
       "WHERE new.deleted_at IS NULL "
       f"ON CONFLICT ({COLUMNS}) DO UPDATE SET cases = cases + 1;")
REMOVE = ("UPDATE case_month_counts SET cases = cases - 1 WHERE old.deleted_at IS NULL AND "
          "month = strftime('%Y-%m', old.filed_at) AND state_category = old.state_category AND "
          "state = old.state AND kind = old.kind AND priority = coalesce(old.priority, '') AND "
          "channel = coalesce(old.channel, '') AND "
          "typification_code = coalesce(old.typification_code, '') AND "
          "typification_path_codes = coalesce(old.typification_path_codes, '') AND "
          "first_contact_resolution = old.first_contact_resolution;")
WATCHED = ("filed_at", "deleted_at", "state_category", "state", "kind", "priority", "channel",
           "typification_code", "typification_path_codes", "first_contact_resolution")
CHANGED = " OR ".join(f"old.{k} IS NOT new.{k}" for k in WATCHED)
CREATE = (
    f"""CREATE TABLE case_month_counts (
  month TEXT NOT NULL, state_category TEXT NOT NULL, state TEXT NOT NULL, kind TEXT NOT NULL,
  priority TEXT NOT NULL, channel TEXT NOT NULL, typification_code TEXT NOT NULL,
  typification_path_codes TEXT NOT NULL, first_contact_resolution BOOLEAN NOT NULL,
  cases INTEGER NOT NULL,
  PRIMARY KEY ({COLUMNS})
)""",
    f"CREATE TRIGGER case_month_counts_insert AFTER INSERT ON cases BEGIN\n  {ADD}\nEND",
    f"CREATE TRIGGER case_month_counts_update AFTER UPDATE OF {', '.join(WATCHED)} ON cases\n"
    f"WHEN {CHANGED} BEGIN\n  {REMOVE}\n  {ADD}\nEND",
    f"CREATE TRIGGER case_month_counts_delete AFTER DELETE ON cases BEGIN\n  {REMOVE}\nEND",
    f"INSERT INTO case_month_counts ({COLUMNS}, cases) SELECT strftime('%Y-%m', filed_at), state_category, "
    "state, kind, coalesce(priority, ''), coalesce(channel, ''), coalesce(typification_code, ''), "
    "coalesce(typification_path_codes, ''), first_contact_resolution, count(*) FROM cases "
    "WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
)


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for statement in CREATE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for what in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER case_month_counts_{what}")
        op.execute("DROP TABLE case_month_counts")
