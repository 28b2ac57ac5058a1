"""PostgreSQL: the board's counts kept by the database, written by inserts only.

The board counts every case a person may see per state category. SQLite reads them from counts its
triggers keep (migration 0042); PostgreSQL grouped the cases on every page: at 1,000,000 cases an
index-only scan of about a million entries, 72–80 ms of a 100 ms page. Counts updated in place, as
SQLite's, would make concurrent filings of a queue and kind wait for each other's commit on one row,
and a transaction moving many cases (a sweep's batch) could deadlock with another. So the triggers made
here only insert: each statement that inserts or deletes cases adds its cells' changes to
``case_board_count_changes``, and each update that moves a case its −1 and +1. The readers sum the
totals (``case_board_counts``, filled here from the cases) and those changes; ``pqrs worker`` folds the
changes into the totals. A ``TRUNCATE`` of the cases empties both. The index of the open cases by queue
and assignee (migration 0047), which the menu's and the dashboard's counts read, is dropped: they read
these counts now. Nothing on SQLite.

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0051"
down_revision: str | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration is a snapshot); ``board_schema`` holds the same text but the last
# statement, the fill from the cases already stored.
CREATE = (
    'CREATE TABLE case_board_counts (state_category TEXT NOT NULL, queue TEXT NOT NULL, kind '
    'TEXT NOT NULL, assignee TEXT NOT NULL, cases BIGINT NOT NULL, PRIMARY KEY (state_category,'
    ' queue, kind, assignee) INCLUDE (cases))',
    'CREATE TABLE case_board_count_changes (state_category TEXT NOT NULL, queue TEXT NOT NULL, '
    'kind TEXT NOT NULL, assignee TEXT NOT NULL, cases INTEGER NOT NULL)',
    'CREATE FUNCTION board_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$\n'
    'BEGIN\n'
    '  INSERT INTO case_board_count_changes (state_category, queue, kind, assignee, cases)\n'
    "  SELECT r.state_category, coalesce(r.queue, ''), r.kind, coalesce(r.assignee, ''), "
    'count(*) FROM inserted r WHERE r.deleted_at IS NULL GROUP BY 1, 2, 3, 4;\n'
    '  RETURN NULL;\n'
    'END $$',
    'CREATE FUNCTION board_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$\n'
    'BEGIN\n'
    '  INSERT INTO case_board_count_changes (state_category, queue, kind, assignee, cases)\n'
    "  SELECT r.state_category, coalesce(r.queue, ''), r.kind, coalesce(r.assignee, ''), "
    '-count(*) FROM deleted r WHERE r.deleted_at IS NULL GROUP BY 1, 2, 3, 4;\n'
    '  RETURN NULL;\n'
    'END $$',
    'CREATE FUNCTION board_counts_moved() RETURNS trigger LANGUAGE plpgsql AS $$\n'
    'BEGIN\n'
    '  INSERT INTO case_board_count_changes (state_category, queue, kind, assignee, cases)\n'
    "  SELECT OLD.state_category, coalesce(OLD.queue, ''), OLD.kind, coalesce(OLD.assignee, "
    "''), -1 WHERE OLD.deleted_at IS NULL\n"
    "  UNION ALL SELECT NEW.state_category, coalesce(NEW.queue, ''), NEW.kind, "
    "coalesce(NEW.assignee, ''), 1 WHERE NEW.deleted_at IS NULL;\n"
    '  RETURN NULL;\n'
    'END $$',
    'CREATE FUNCTION board_counts_emptied() RETURNS trigger LANGUAGE plpgsql AS $$\n'
    'BEGIN\n'
    '  DELETE FROM case_board_counts;\n'
    '  DELETE FROM case_board_count_changes;\n'
    '  RETURN NULL;\n'
    'END $$',
    'CREATE TRIGGER case_board_counts_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS '
    'inserted FOR EACH STATEMENT EXECUTE FUNCTION board_counts_inserted()',
    'CREATE TRIGGER case_board_counts_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS '
    'deleted FOR EACH STATEMENT EXECUTE FUNCTION board_counts_deleted()',
    'CREATE TRIGGER case_board_counts_update AFTER UPDATE OF deleted_at, state_category, queue,'
    ' kind, assignee ON cases FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at'
    ' OR OLD.state_category IS DISTINCT FROM NEW.state_category OR OLD.queue IS DISTINCT FROM '
    'NEW.queue OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.assignee IS DISTINCT FROM '
    'NEW.assignee) EXECUTE FUNCTION board_counts_moved()',
    'CREATE TRIGGER case_board_counts_truncate AFTER TRUNCATE ON cases FOR EACH STATEMENT '
    'EXECUTE FUNCTION board_counts_emptied()',
    'INSERT INTO case_board_counts (state_category, queue, kind, assignee, cases) SELECT '
    "c.state_category, coalesce(c.queue, ''), c.kind, coalesce(c.assignee, ''), count(*) FROM "
    'cases c WHERE c.deleted_at IS NULL GROUP BY 1, 2, 3, 4',
)
DROP = (
    'DROP FUNCTION IF EXISTS board_counts_inserted, board_counts_deleted, board_counts_moved, '
    'board_counts_emptied CASCADE',
    'DROP TABLE IF EXISTS case_board_counts, case_board_count_changes',
)


OPEN_QUEUE_ASSIGNEE = ("CREATE INDEX ix_cases_open_queue_assignee ON cases (queue, assignee) "
                       "WHERE state_category <> 'done' AND deleted_at IS NULL")


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for statement in CREATE:
            op.execute(statement)
        op.execute("DROP INDEX ix_cases_open_queue_assignee")


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(OPEN_QUEUE_ASSIGNEE)
        for statement in DROP:
            op.execute(statement)
