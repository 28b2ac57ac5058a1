"""Attachments are internal or public (``AttachmentInfo.public``): the requester sees only the public
ones. Every attachment stored before this revision is marked public, in the snapshots (``cases.
attachments``) and in the history (``AttachmentAdded`` events): they were all shown to the requester
until now, and a file the requester already saw must not disappear from their portal. From here on the
service team chooses on each upload, internal by default.

One ``UPDATE`` per table, touching only the rows that hold attachments; a key already present is kept.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPGRADE = {
    "sqlite": (
        """UPDATE cases SET attachments = (
               SELECT json_group_array(json_insert(value, '$.public', json('true')))
               FROM (SELECT value FROM json_each(cases.attachments) ORDER BY key))
           WHERE json_array_length(attachments) > 0""",
        """UPDATE case_events SET data = json_insert(data, '$.attachment.public', json('true'))
           WHERE type = 'AttachmentAdded'""",
    ),
    "postgresql": (
        """UPDATE cases SET attachments = (
               SELECT jsonb_agg('{"public": true}'::jsonb || item ORDER BY position)
               FROM jsonb_array_elements(cases.attachments) WITH ORDINALITY AS t(item, position))
           WHERE jsonb_array_length(attachments) > 0""",
        """UPDATE case_events SET data = jsonb_set(data, '{attachment,public}', 'true'::jsonb)
           WHERE type = 'AttachmentAdded' AND NOT (data -> 'attachment') ? 'public'""",
    ),
}

DOWNGRADE = {
    "sqlite": (
        """UPDATE cases SET attachments = (
               SELECT json_group_array(json_remove(value, '$.public'))
               FROM (SELECT value FROM json_each(cases.attachments) ORDER BY key))
           WHERE json_array_length(attachments) > 0""",
        """UPDATE case_events SET data = json_remove(data, '$.attachment.public')
           WHERE type = 'AttachmentAdded'""",
    ),
    "postgresql": (
        """UPDATE cases SET attachments = (
               SELECT jsonb_agg(item - 'public' ORDER BY position)
               FROM jsonb_array_elements(cases.attachments) WITH ORDINALITY AS t(item, position))
           WHERE jsonb_array_length(attachments) > 0""",
        """UPDATE case_events SET data = data #- '{attachment,public}'
           WHERE type = 'AttachmentAdded'""",
    ),
}


def upgrade() -> None:
    for statement in UPGRADE[op.get_context().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE[op.get_context().dialect.name]:
        op.execute(statement)
