"""The full-text search objects of the knowledge base, one database's each, as ``search_schema`` has
for cases: an FTS5 table ``kb_articles_fts`` over ``kb_articles.search_text`` on SQLite (external
content keyed by the article's integer primary key, which ``VACUUM`` keeps, same tokenizer), kept in
sync by triggers; a generated ``tsvector('spanish')`` column with a GIN index on PostgreSQL.

``attach`` hooks them to ``metadata.create_all``/``drop_all``; migration 0021 repeats them literally.
"""

from __future__ import annotations

from sqlalchemy import Table

from .schema_statements import attach_statements

FTS_TABLE = "kb_articles_fts"

SQLITE_CREATE = (
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
SQLITE_DROP = ("DROP TABLE IF EXISTS kb_articles_fts",)

POSTGRESQL_CREATE = (
    "ALTER TABLE kb_articles ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('spanish'::regconfig, search_text)) STORED",
    "CREATE INDEX ix_kb_articles_search_vector ON kb_articles USING gin (search_vector)",
)

_SHADOW = tuple(f"{FTS_TABLE}_{name}" for name in ("data", "idx", "content", "docsize", "config"))
KB_SEARCH_ONLY_NAMES = frozenset({FTS_TABLE, *_SHADOW, "ix_kb_articles_search_vector"})
# ``search_vector`` is also a column of ``cases``: ``search_schema`` already leaves that name alone.

def attach(articles: Table) -> None:
    attach_statements(articles, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE},
                      {"sqlite": SQLITE_DROP})
