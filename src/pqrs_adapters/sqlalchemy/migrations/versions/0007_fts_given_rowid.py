"""SQLite: the free-text insert trigger numbers only the cases inserted without a ``search_rowid``.

A writer that gives ``search_rowid`` indexes the text itself: the bulk import fills ``cases_fts`` with
one ``INSERT ... SELECT`` per batch, about ten times cheaper than the trigger's per-row ``UPDATE`` of the
new snapshot row and ``INSERT`` into the index. Nothing changes for the cases the application files.
PostgreSQL is untouched (its search vector is a generated column).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration is a snapshot); ``search_schema.SQLITE_CREATE`` holds the same text.
NUMBERED_HERE = """CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases WHEN new.search_rowid IS NULL BEGIN
  UPDATE cases SET search_rowid = (SELECT coalesce(max(search_rowid), 0) + 1 FROM cases) WHERE id = new.id;
  INSERT INTO cases_fts (rowid, search_text) SELECT search_rowid, search_text FROM cases WHERE id = new.id;
END"""
ALWAYS = """CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
  UPDATE cases SET search_rowid = (SELECT coalesce(max(search_rowid), 0) + 1 FROM cases) WHERE id = new.id;
  INSERT INTO cases_fts (rowid, search_text) SELECT search_rowid, search_text FROM cases WHERE id = new.id;
END"""


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TRIGGER cases_fts_insert")
        op.execute(NUMBERED_HERE)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TRIGGER cases_fts_insert")
        op.execute(ALWAYS)
