"""Initial schema: cases and their events, filing sequences, the catalog (roles included), its audit
log, users, API tokens, idempotency keys, and free-text search (FTS5 on SQLite, tsvector on PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2026-03-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _at() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("filing_number", sa.String(), nullable=False),
        sa.Column("filing_prefix", sa.String(), nullable=False),
        sa.Column("filing_year", sa.Integer(), nullable=False),
        sa.Column("filing_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("workflow", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("state_category", sa.String(), nullable=False),
        sa.Column("requester_kind", sa.String(), nullable=False),
        sa.Column("requester_customer_id", sa.String(), nullable=True),
        sa.Column("requester_branch", sa.String(), nullable=True),
        sa.Column("requester_lead_id", sa.String(), nullable=True),
        sa.Column("requester_full_name", sa.String(), nullable=True),
        sa.Column("requester_document_type", sa.String(), nullable=True),
        sa.Column("requester_document_number", sa.String(), nullable=True),
        sa.Column("requester_address", sa.String(), nullable=True),
        sa.Column("requester_email", sa.String(), nullable=True),
        sa.Column("requester_phone", sa.String(), nullable=True),
        sa.Column("requester_user", sa.String(), nullable=True),
        sa.Column("received_at", _at(), nullable=False),
        sa.Column("filed_at", _at(), nullable=False),
        sa.Column("filed_by", sa.String(), nullable=False),
        sa.Column("front_line_agent", sa.String(), nullable=True),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("typification_code", sa.String(), nullable=True),
        sa.Column("typification_version", sa.Integer(), nullable=True),
        sa.Column("typification_path", sa.Text(), nullable=True),
        sa.Column("typification_path_codes", sa.Text(), nullable=True),
        sa.Column("typification_data", JSON, nullable=True),
        sa.Column("priority", sa.String(), nullable=True),
        sa.Column("priority_rank", sa.Integer(), nullable=True),
        sa.Column("queue", sa.String(), nullable=True),
        sa.Column("assignee", sa.String(), nullable=True),
        sa.Column("non_crm_contact", sa.Text(), nullable=True),
        sa.Column("references", JSON, nullable=False),
        sa.Column("solution", sa.Text(), nullable=True),
        sa.Column("custom_fields", JSON, nullable=False),
        sa.Column("attachments", JSON, nullable=False),
        sa.Column("missing_information", JSON, nullable=False),
        sa.Column("received_by", sa.String(), nullable=True),
        sa.Column("verbal", sa.Boolean(), nullable=False),
        sa.Column("first_contact_resolution", sa.Boolean(), nullable=False),
        sa.Column("responded_at", _at(), nullable=True),
        sa.Column("closed_at", _at(), nullable=True),
        sa.Column("due_at", _at(), nullable=True),
        sa.Column("term_policy", sa.String(), nullable=True),
        sa.Column("term_data", JSON, nullable=True),
        sa.Column("first_response_due", _at(), nullable=True),
        sa.Column("first_responded_at", _at(), nullable=True),
        sa.Column("pauses", JSON, nullable=False),
        sa.Column("extended_by", sa.Integer(), nullable=False),
        sa.Column("alarms", JSON, nullable=False),
        sa.Column("alarms_raised", JSON, nullable=False),
        sa.Column("next_alarm_at", _at(), nullable=True),
        sa.Column("term_from", _at(), nullable=True),
        sa.Column("completion_due", _at(), nullable=True),
        sa.Column("completion_extended", sa.Boolean(), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("updated_at", _at(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("filing_number", name="uq_cases_filing_number"),
    )
    op.create_index("ix_cases_open_queue", "cases", ["state_category", "queue", "priority_rank", "due_at"])
    op.create_index("ix_cases_assignee", "cases", ["assignee", "state_category"])
    op.create_index("ix_cases_state_queue", "cases", ["state", "queue"])
    op.create_index("ix_cases_filed_at", "cases", ["filed_at"])
    op.create_index("ix_cases_filing_order", "cases", ["filing_year", "filing_seq"])
    op.create_index("ix_cases_requester_document", "cases", ["requester_document_number"])
    op.create_index("ix_cases_kind", "cases", ["kind"])
    op.create_index("ix_cases_updated_at", "cases", ["updated_at"])
    op.create_index("ix_cases_filed_by", "cases", ["filed_by"])
    op.create_index("ix_cases_requester_user", "cases", ["requester_user"])
    op.create_index("ix_cases_next_alarm", "cases", ["next_alarm_at"])
    _create_search_objects()

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("occurred_at", _at(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_events"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_events_case_id_cases",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("case_id", "seq", name="uq_case_events_case_id_seq"),
    )
    op.create_table(
        "filing_sequences",
        sa.Column("prefix", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name="pk_filing_sequences"),
    )
    op.create_table(
        "catalog_entries",
        sa.Column("list_name", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("list_name", "code", name="pk_catalog_entries"),
    )
    op.create_table(
        "priorities",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("important", sa.Boolean(), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_priorities"),
    )
    op.create_table(
        "queues",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_queues"),
    )
    op.create_table(
        "field_definitions",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("definition", JSON, nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_field_definitions"),
    )
    op.create_table(
        "typification_versions",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("parent", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("changed_by", sa.String(), nullable=False),
        sa.Column("changed_at", _at(), nullable=False),
        sa.PrimaryKeyConstraint("code", "version", name="pk_typification_versions"),
    )
    op.create_table(
        "workflows",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("definition", JSON, nullable=False),
        sa.Column("kinds", JSON, nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_workflows"),
    )
    op.create_table(
        "closures",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_closures"),
    )
    op.create_table(
        "term_policies",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("definition", JSON, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_term_policies"),
    )
    op.create_table(
        "roles",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("permissions", JSON, nullable=False),
        sa.Column("scopes", JSON, nullable=False),
        sa.Column("kinds", JSON, nullable=False),
        sa.Column("typifications", JSON, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_roles"),
    )
    op.create_table(
        "catalog_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", _at(), nullable=False),
        sa.Column("what", sa.String(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_changes"),
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("roles", JSON, nullable=False),
        sa.Column("password_hash", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("queues", JSON, nullable=False),
        sa.Column("sponsor", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("username", name="pk_users"),
        sa.ForeignKeyConstraint(["sponsor"], ["users.username"], name="fk_users_sponsor_users",
                                ondelete="SET NULL"),
    )
    op.create_index("ix_users_sponsor", "users", ["sponsor"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("prefix", sa.String(), nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("last_used_at", _at(), nullable=True),
        sa.Column("revoked_at", _at(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.ForeignKeyConstraint(["username"], ["users.username"], name="fk_api_tokens_username_users",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_username", "api_tokens", ["username"])
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("request_hash", sa.String(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", JSON, nullable=False),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("created_at", _at(), nullable=False),
        sa.PrimaryKeyConstraint("key", "username", name="pk_idempotency_keys"),
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("template", sa.String(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("filing_number", sa.String(), nullable=False),
        sa.Column("context", JSON, nullable=False),
        sa.Column("created_at", _at(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _at(), nullable=False),
        sa.Column("claimed_until", _at(), nullable=True),
        sa.Column("sent_at", _at(), nullable=True),
        sa.Column("message_id", sa.String(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("key", name="uq_outbox_key"),
    )
    op.create_index("ix_outbox_due", "outbox", ["sent_at", "next_attempt_at"])


# Free-text search: the objects of one database only (the same statements as
# ``pqrs_adapters.sqlalchemy.search_schema``, repeated here so that this migration never changes).
_SQLITE_SEARCH = (
    "ALTER TABLE cases ADD COLUMN search_rowid INTEGER",
    "CREATE UNIQUE INDEX ix_cases_search_rowid ON cases (search_rowid)",
    "CREATE VIRTUAL TABLE cases_fts USING fts5(search_text, content='cases', content_rowid='search_rowid', "
    "tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
  UPDATE cases SET search_rowid = (SELECT coalesce(max(search_rowid), 0) + 1 FROM cases) WHERE id = new.id;
  INSERT INTO cases_fts (rowid, search_text) SELECT search_rowid, search_text FROM cases WHERE id = new.id;
END""",
    """CREATE TRIGGER cases_fts_update AFTER UPDATE OF search_text ON cases
WHEN old.search_text IS NOT new.search_text BEGIN
  INSERT INTO cases_fts (cases_fts, rowid, search_text) VALUES ('delete', old.search_rowid, old.search_text);
  INSERT INTO cases_fts (rowid, search_text) VALUES (new.search_rowid, new.search_text);
END""",
    """CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
  INSERT INTO cases_fts (cases_fts, rowid, search_text) VALUES ('delete', old.search_rowid, old.search_text);
END""",
)
_POSTGRESQL_SEARCH = (
    "ALTER TABLE cases ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('spanish'::regconfig, search_text)) STORED",
    "CREATE INDEX ix_cases_search_vector ON cases USING gin (search_vector)",
)


def _create_search_objects() -> None:
    statements = {"sqlite": _SQLITE_SEARCH, "postgresql": _POSTGRESQL_SEARCH}
    for statement in statements.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS cases_fts")
    for table in ("outbox", "idempotency_keys", "api_tokens", "users", "catalog_changes", "roles",
                  "term_policies", "closures", "workflows", "typification_versions", "field_definitions",
                  "queues", "priorities", "catalog_entries", "filing_sequences", "case_events", "cases"):
        op.drop_table(table)  # its indexes go with it
