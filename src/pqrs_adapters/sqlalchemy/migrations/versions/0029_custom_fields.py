"""Custom fields defined at run time: ``case_field_values``, one row per value of each case's custom
fields (``pqrs_core.field_search``), indexed by field and value so that listings filter on a field
without reading every case. Filled here from the custom fields the cases hold, in batches.

Revision ID: 0029
Revises: 0027
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pqrs_core.field_search import indexed_values

revision: str = "0029"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2_000

_values = sa.table("case_field_values", sa.column("case_id"), sa.column("field"), sa.column("text_value"),
                   sa.column("number_value"), sa.column("date_value"))
_cases = sa.table("cases", sa.column("id", sa.String()), sa.column("custom_fields", sa.JSON()))


def upgrade() -> None:
    op.create_table(
        "case_field_values",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("text_value", sa.String(), nullable=False),
        sa.Column("number_value", sa.Float(), nullable=True),
        sa.Column("date_value", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_field_values_case_id_cases",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "field", "text_value", name="pk_case_field_values"),
    )
    op.create_index("ix_case_field_values_text", "case_field_values", ["text_value", "field", "case_id"])
    op.create_index("ix_case_field_values_number", "case_field_values", ["field", "number_value"])
    op.create_index("ix_case_field_values_date", "case_field_values", ["field", "date_value"])
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    """One row per value of every case's custom fields, read by id in batches."""
    last = ""
    while True:
        rows = conn.execute(sa.select(_cases.c.id, _cases.c.custom_fields).where(_cases.c.id > last)
                            .order_by(_cases.c.id).limit(BATCH)).all()
        if not rows:
            return
        values = [{"case_id": row.id, "field": v.field, "text_value": v.text, "number_value": v.number,
                   "date_value": v.day}
                  for row in rows if row.custom_fields for v in indexed_values(row.custom_fields)]
        if values:
            conn.execute(sa.insert(_values), values)
        last = rows[-1].id


def downgrade() -> None:
    op.drop_table("case_field_values")
