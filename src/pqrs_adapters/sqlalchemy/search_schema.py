"""The schema objects of free-text search that exist on one database only.

SQLite: an FTS5 table ``cases_fts`` over ``cases.search_text`` (external content: the text is stored
once, in ``cases``), tokenizer ``unicode61 remove_diacritics 2``, kept in sync by triggers. FTS5 needs a
stable integer key and the implicit ``rowid`` of ``cases`` is not one (``VACUUM`` renumbers it), so the
insert trigger gives every case inserted without one a ``search_rowid`` of its own (writers are
serialised on SQLite, so ``max + 1`` is safe). A writer that gives ``search_rowid`` indexes the text
itself (the bulk import: one ``INSERT ... SELECT`` into ``cases_fts`` per batch).

PostgreSQL: a generated stored column ``search_vector = to_tsvector('spanish', search_text)`` with a GIN
index.

``attach`` hooks these statements to ``metadata.create_all``/``drop_all``; the initial migration
repeats them literally (a migration is a frozen snapshot), and a test checks both give the same schema.
``include_name`` tells alembic's comparison to leave these objects alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

from .board_schema import BOARD_ONLY_NAMES
from .schema_statements import attach_statements
from .summary_schema import SUMMARY_ONLY_NAMES

FTS_TABLE = "cases_fts"

SQLITE_CREATE = (
    "ALTER TABLE cases ADD COLUMN search_rowid INTEGER",
    "CREATE UNIQUE INDEX ix_cases_search_rowid ON cases (search_rowid)",
    "CREATE VIRTUAL TABLE cases_fts USING fts5(search_text, content='cases', content_rowid='search_rowid', "
    "tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases WHEN new.search_rowid IS NULL BEGIN
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
SQLITE_DROP = ("DROP TABLE IF EXISTS cases_fts",)

POSTGRESQL_CREATE = (
    "ALTER TABLE cases ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('spanish'::regconfig, search_text)) STORED",
    "CREATE INDEX ix_cases_search_vector ON cases USING gin (search_vector)",
)

# Names alembic's comparison must not report as differences (they are not in ``tables.metadata``).
_FTS_SHADOW_TABLES = tuple(f"{FTS_TABLE}_{name}" for name in ("data", "idx", "content", "docsize", "config"))
SEARCH_ONLY_NAMES = frozenset({"search_rowid", "ix_cases_search_rowid", "search_vector",
                               "ix_cases_search_vector", FTS_TABLE, *_FTS_SHADOW_TABLES})


def attach(cases: Table) -> None:
    """Create the dialect's search objects after ``cases`` (``metadata.create_all``), drop them before."""
    attach_statements(cases, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE},
                      {"sqlite": SQLITE_DROP})


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    """For ``alembic`` ``include_name``: skip the objects made by statements of their own, outside
    ``tables.metadata`` (search, SQLite's monthly counts of ``summary_schema``, the board counts of
    ``board_schema``)."""
    from .kb_search_schema import KB_SEARCH_ONLY_NAMES  # it builds on this module

    return name not in SEARCH_ONLY_NAMES | SUMMARY_ONLY_NAMES | KB_SEARCH_ONLY_NAMES | BOARD_ONLY_NAMES
