"""Routing: rules and their versions, typification defaults, escalation policies, case tags.

- ``rules`` / ``rule_versions``: each routing rule's state and every version of its definition;
- ``typification_defaults``: what a typification node sets for its cases;
- ``escalation_policies``: who receives escalations and when, per queue or term policy;
- ``case_tags`` (indexed by tag) and ``cases.tags`` (the snapshot's tags, in order).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "rules",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_rules"),
    )
    op.create_table(
        "rule_versions",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", _JSON, nullable=False),
        sa.Column("changed_by", sa.String(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", "version", name="pk_rule_versions"),
    )
    op.create_table(
        "typification_defaults",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("defaults", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_typification_defaults"),
    )
    op.create_table(
        "escalation_policies",
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("definition", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("scope", name="pk_escalation_policies"),
    )
    op.create_table(
        "case_tags",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("tag_key", sa.String(), nullable=False),
        sa.Column("tag", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_tags_case_id_cases",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "tag_key", name="pk_case_tags"),
    )
    op.create_index("ix_case_tags_tag_key_case_id", "case_tags", ["tag_key", "case_id"])
    op.add_column("cases", sa.Column("tags", _JSON, nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE on both databases (a batch copy of ``cases`` would lose its search triggers).
    op.execute("ALTER TABLE cases DROP COLUMN tags")
    op.drop_table("case_tags")
    op.drop_table("escalation_policies")
    op.drop_table("typification_defaults")
    op.drop_table("rule_versions")
    op.drop_table("rules")
