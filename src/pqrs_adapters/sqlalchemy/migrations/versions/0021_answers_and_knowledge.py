"""Canned answers and macros: ``canned_answers`` (title, body with variables, the typification nodes and
case kinds each is for, owner of a personal one, on/off, what a macro also changes, usage count). The
knowledge base: ``kb_articles`` (searched like cases: FTS5 on SQLite, a ``tsvector('spanish')`` column
on PostgreSQL, the statements of ``kb_search_schema`` repeated here), ``kb_article_versions`` (every
edit), ``kb_deflections`` («¿Resolvió su duda?» per article and day) and ``kb_case_links``. The e-mail
templates edited in the administration: ``mail_template_versions`` (every save, resets included).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# The knowledge base's search objects, as ``kb_search_schema`` creates them (frozen here).
SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE kb_articles_fts USING fts5(search_text, content='kb_articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles BEGIN
  INSERT INTO kb_articles_fts (rowid, search_text) VALUES (new.id, new.search_text);
END""",
    """CREATE TRIGGER kb_articles_fts_update AFTER UPDATE OF search_text ON kb_articles BEGIN
  INSERT INTO kb_articles_fts (kb_articles_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
  INSERT INTO kb_articles_fts (rowid, search_text) VALUES (new.id, new.search_text);
END""",
    """CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles BEGIN
  INSERT INTO kb_articles_fts (kb_articles_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END""",
)
POSTGRESQL_SEARCH = (
    "ALTER TABLE kb_articles ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('spanish'::regconfig, search_text)) STORED",
    "CREATE INDEX ix_kb_articles_search_vector ON kb_articles USING gin (search_vector)",
)
NULLABLE_JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "canned_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("typifications", JSON, nullable=False),
        sa.Column("kinds", JSON, nullable=False),
        sa.Column("owner", sa.String()),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("macro", NULLABLE_JSON),
        sa.Column("usage_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_by", sa.String()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_canned_answers"),
    )
    op.create_index("ix_canned_answers_owner", "canned_answers", ["owner"])
    op.create_table(
        "kb_articles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("typifications", JSON, nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String()),
        sa.PrimaryKeyConstraint("id", name="pk_kb_articles"),
        sa.UniqueConstraint("slug", name="uq_kb_articles_slug"),
    )
    op.create_table(
        "kb_article_versions",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("typifications", JSON, nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_by", sa.String()),
        sa.ForeignKeyConstraint(["article_id"], ["kb_articles.id"], ondelete="CASCADE",
                                name="fk_kb_article_versions_article_id_kb_articles"),
        sa.PrimaryKeyConstraint("article_id", "version", name="pk_kb_article_versions"),
    )
    op.create_table(
        "kb_deflections",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("not_resolved", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["kb_articles.id"], ondelete="CASCADE",
                                name="fk_kb_deflections_article_id_kb_articles"),
        sa.PrimaryKeyConstraint("article_id", "day", name="pk_kb_deflections"),
    )
    op.create_table(
        "kb_case_links",
        sa.Column("filing_number", sa.String(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("linked_by", sa.String(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["kb_articles.id"], ondelete="CASCADE",
                                name="fk_kb_case_links_article_id_kb_articles"),
        sa.PrimaryKeyConstraint("filing_number", "article_id", name="pk_kb_case_links"),
    )
    op.create_table(
        "mail_template_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("subject", sa.Text()),
        sa.Column("text_source", sa.Text()),
        sa.Column("html_source", sa.Text()),
        sa.Column("reset", sa.Boolean(), nullable=False),
        sa.Column("edited_by", sa.String()),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mail_template_versions"),
    )
    op.create_index("ix_mail_template_versions_name_id", "mail_template_versions", ["name", "id"])
    statements = {"sqlite": SQLITE_SEARCH, "postgresql": POSTGRESQL_SEARCH}
    for statement in statements.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS kb_articles_fts")
    op.drop_index("ix_mail_template_versions_name_id", table_name="mail_template_versions")
    for name in ("mail_template_versions", "kb_case_links", "kb_deflections", "kb_article_versions",
                 "kb_articles"):
        op.drop_table(name)
    op.drop_index("ix_canned_answers_owner", table_name="canned_answers")
    op.drop_table("canned_answers")
