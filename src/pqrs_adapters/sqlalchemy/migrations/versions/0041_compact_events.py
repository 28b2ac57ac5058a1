"""The store's compact encoding (issue 19): events without their default values and with their shared
texts stored once (``event_texts``, ``event_codec``), and on SQLite every JSON value without spaces or
``\\uXXXX`` escapes (``codec.compact_json``); ``cases.typification_data`` NULL where the joined path
columns give its lists back (``case_rows.typification_data``). Nothing is lost: every event and every
snapshot reads back as it did.

``case_events`` is rewritten in batches of ``BATCH`` rows by ``id`` (``event_codec.compact_plain``
works on the plain data: no event is built); on SQLite the JSON columns of ``cases`` are rewritten
too (PostgreSQL's ``jsonb`` has no text to compact). The space freed is reused by later writes; to give
it back to the file system run ``VACUUM`` (SQLite) or ``VACUUM FULL`` (PostgreSQL) afterwards.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from pqrs_adapters.sqlalchemy.case_rows import typification_data, typification_lists
from pqrs_adapters.sqlalchemy.codec import compact_json, store_converter
from pqrs_adapters.sqlalchemy.event_codec import REFERENCE, compact_plain
from pqrs_core.domain.typification import Typification

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 20_000
CASES_JSON = ("typification_data", "references", "custom_fields", "tags", "attachments",
              "missing_information", "term_data", "pauses", "alarms", "alarms_raised", "third_party",
              "internal_requests", "pending_response", "items", "deliveries")


def upgrade() -> None:
    op.create_table(
        "event_texts",
        sa.Column("digest", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name="pk_event_texts"),
    )
    conn = op.get_bind()
    converter = store_converter()
    texts: dict[str, str] = {}

    def compacted(row: Any) -> dict[str, Any]:
        return compact_plain(converter, row.type, _plain(row.data), texts)

    _rewrite_events(conn, compacted)
    if texts:
        conn.execute(sa.text("INSERT INTO event_texts (digest, text) VALUES (:digest, :text)"),
                     [{"digest": key, "text": value} for key, value in sorted(texts.items())])
    _drop_derivable_typification_data(conn)
    if conn.dialect.name == "sqlite":
        _compact_cases_json(conn)


def downgrade() -> None:
    conn = op.get_bind()
    _restore_typification_data(conn)
    texts = {row.digest: row.text for row in conn.execute(sa.text("SELECT digest, text FROM event_texts"))}

    def inline(row: Any) -> dict[str, Any]:
        data = _plain(row.data)
        return {key[len(REFERENCE):] if key.startswith(REFERENCE) else key:
                texts[value] if key.startswith(REFERENCE) else value for key, value in data.items()}

    _rewrite_events(conn, inline)
    op.drop_table("event_texts")


def _plain(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value)


def _rewrite_events(conn: sa.Connection, rewrite: Any) -> None:
    """Each event's ``data`` through ``rewrite``, ``BATCH`` rows at a time in ``id`` order."""
    sqlite = conn.dialect.name == "sqlite"
    update = sa.text("UPDATE case_events SET data = :data WHERE id = :id" if sqlite else
                     "UPDATE case_events SET data = CAST(:data AS jsonb) WHERE id = :id")
    last = 0
    while True:
        rows = conn.execute(sa.text("SELECT id, type, data FROM case_events WHERE id > :last ORDER BY id "
                                    "LIMIT :batch"), {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        changes = []
        for row in rows:
            data = rewrite(row)
            text = compact_json(data)
            if text != row.data if sqlite else data != row.data:
                changes.append({"id": row.id, "data": text})
        if changes:
            conn.execute(update, changes)
        last = rows[-1].id


def _drop_derivable_typification_data(conn: sa.Connection) -> None:
    """``typification_data`` NULL where ``typification_path`` and ``typification_path_codes`` give the
    same lists back (``case_rows.typification_data``), and SQL NULL rather than JSON ``null`` for a case
    without a typification."""
    conn.execute(sa.text("UPDATE cases SET typification_data = NULL "
                         "WHERE typification_code IS NULL AND typification_data IS NOT NULL"))
    update = sa.text("UPDATE cases SET typification_data = NULL WHERE id = :id")
    last = ""
    while True:
        rows = conn.execute(sa.text(
            "SELECT id, typification_code, typification_version, typification_path, typification_path_codes, "
            "typification_data FROM cases WHERE id > :last AND typification_code IS NOT NULL "
            "AND typification_data IS NOT NULL ORDER BY id "
            "LIMIT :batch"), {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        ids = []
        for row in rows:
            data = _plain(row.typification_data) if row.typification_data is not None else None
            if not data:
                continue
            typ = Typification(row.typification_code, row.typification_version, tuple(data["path"]),
                               tuple(data["path_codes"]))
            if (typification_data(typ) is None
                    and typification_lists(row.typification_path, row.typification_path_codes, None)
                    == (typ.path, typ.path_codes)):
                ids.append({"id": row.id})
        if ids:
            conn.execute(update, ids)
        last = rows[-1].id


def _restore_typification_data(conn: sa.Connection) -> None:
    rows = conn.execute(sa.text("SELECT id, typification_path, typification_path_codes FROM cases "
                                "WHERE typification_code IS NOT NULL AND typification_data IS NULL")).all()
    if rows:
        value = ":data" if conn.dialect.name == "sqlite" else "CAST(:data AS jsonb)"
        conn.execute(sa.text(f"UPDATE cases SET typification_data = {value} WHERE id = :id"), [
            {"id": row.id, "data": compact_json(dict(zip(("path", "path_codes"), map(list, typification_lists(
                row.typification_path, row.typification_path_codes, None)), strict=True)))}
            for row in rows])


def _compact_cases_json(conn: sa.Connection) -> None:
    """SQLite: the JSON columns of ``cases`` in ``compact_json``, ``BATCH`` rows at a time by ``rowid``."""
    present = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(cases)")}
    columns = [name for name in CASES_JSON if name in present]
    selected = ", ".join(f'"{name}"' for name in columns)
    assignments = ", ".join(f'"{name}" = :{name}' for name in columns)
    update = sa.text(f"UPDATE cases SET {assignments} WHERE rowid = :rowid")
    last = 0
    while True:
        rows = conn.execute(sa.text(f"SELECT rowid, {selected} FROM cases WHERE rowid > :last ORDER BY rowid "
                                    "LIMIT :batch"), {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        changes = []
        for row in rows:
            values = {name: None if value is None else compact_json(json.loads(value))
                      for name, value in zip(columns, row[1:], strict=True)}
            if any(values[name] != value for name, value in zip(columns, row[1:], strict=True)):
                changes.append({"rowid": row[0], **values})
        if changes:
            conn.execute(update, changes)
        last = rows[-1][0]
