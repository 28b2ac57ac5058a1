"""``requester_characterisation``: the optional answers on who a requester is (age range, sex, gender
identity, ethnic group, disability, zone, stratum), kept apart from the case's data with the proof of
the consent they were given with (Ley 1581 de 2012 arts. 5, 6 and 17 b).

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWERS = ("age_range", "sex", "gender_identity", "ethnic_group", "disability", "area", "stratum")


def upgrade() -> None:
    op.create_table(
        "requester_characterisation",
        sa.Column("case_id", sa.String(), nullable=False),
        *(sa.Column(name, sa.String(32), nullable=True) for name in ANSWERS),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purpose_version", sa.String(32), nullable=False),
        sa.Column("purpose_digest", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_requester_characterisation_case_id_cases",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", name="pk_requester_characterisation"),
    )


def downgrade() -> None:
    op.drop_table("requester_characterisation")
