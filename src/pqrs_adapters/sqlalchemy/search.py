"""Free-text search over ``cases.search_text``: FTS5 on SQLite, ``tsvector('spanish')`` on PostgreSQL.

Both sides are folded (lower case, no accents) and cut into words of letters and digits in Python, so
"PQRS-2026-000123", "Pérez" or "juan.perez@example.com" are read the same way by both databases and
"peticion" finds "petición". A query matches a case when every word of the query does; a word made of
several tokens ("2026-000123") must match as a phrase; the last word also matches as a prefix ("petic"
finds "peticiones"). User input never reaches either query language as syntax: only the extracted
words do, quoted, so quotes, parentheses, ``*``, ``:``, ``NEAR`` or ``OR`` are just text.

The in-memory store matches the same way (``pqrs_core.domain.text.text_matches``); PostgreSQL also
stems Spanish words and ignores stop words (a query made only of stop words does not filter).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    bindparam,
    column,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
)

from pqrs_core.domain.case import Case
from pqrs_core.domain.text import identifier_query, query_words, words
from pqrs_core.field_search import searched
from pqrs_core.query_filters import searchable_text

from .tables import case_field_values

# A tsvector lexeme cannot be longer than this (PostgreSQL ignores longer words with a notice).
MAX_TOKEN_LENGTH = 200
TS_CONFIG = "spanish"

_fts = table("cases_fts", column("rowid"))


def tokens(text: str) -> list[str]:
    """The words of ``text``, folded: runs of letters and digits (``pqrs_core.domain.text.words``)."""
    return [t[:MAX_TOKEN_LENGTH] for t in words(text)]


def search_document(case: Case) -> str:
    """What ``cases.search_text`` holds for ``case``: its searchable text as space-separated words."""
    return " ".join(tokens(searchable_text(case)))


def fts5_query(words: list[list[str]]) -> str:
    """An FTS5 ``MATCH`` expression: every word a quoted phrase, the last one a prefix."""
    phrases = ['"' + " ".join(t.replace('"', '""') for t in word) + '"' for word in words]
    phrases[-1] += "*"
    return " ".join(phrases)


def tsquery_text(words: list[list[str]]) -> str:
    """A ``to_tsquery`` expression: every word (tokens joined by ``<->``) ANDed, the last one a prefix."""
    def quoted(token: str) -> str:
        return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"

    phrases = [" <-> ".join(quoted(t) for t in word) for word in words]
    phrases[-1] += ":*"
    return " & ".join(f"({p})" for p in phrases)


# At most this many cases are found by a custom field value a search names whole.
VALUE_MATCHES = 500


def text_clause(conn: Connection, text: str) -> ColumnElement[bool] | None:
    """The ``WHERE`` clause of a free-text query on ``conn``'s database (SQLite or PostgreSQL);
    ``None`` when ``text`` is blank or (PostgreSQL) made only of stop words. A search of digits alone
    also finds a filing number's sequence and a requester's document number (``identifier_query``),
    each through its own index, and any query a case holding it whole as a custom field value
    (``field_search.searched``, through ``case_field_values``' index by value)."""
    words_clause = _words_clause(conn, text)
    if words_clause is None:
        return None
    found = [words_clause]
    sequence, documents = identifier_query(text)
    if documents:
        found.append(literal_column("cases.requester_document_number").in_(documents))
        if sequence is not None:
            found.append(literal_column("cases.filing_seq") == sequence)
    holding = _holding_value(conn, text)
    if holding:
        found.append(literal_column("cases.id").in_(holding))
    return or_(*found)


def _holding_value(conn: Connection, text: str) -> list[str]:
    """The cases holding the whole query as a custom field value (at most ``VALUE_MATCHES``), read
    first: the listing then ORs a list of ids, which the database reads through the primary key
    beside the text index (a subquery there would make PostgreSQL filter every case instead)."""
    whole = searched(text)
    if not whole or not query_words(text):
        return []
    values = case_field_values.c
    rows = conn.execute(select(values.case_id).where(values.text_value.in_(whole)).distinct()
                        .limit(VALUE_MATCHES))
    return [row.case_id for row in rows]


def _words_clause(conn: Connection, text: str) -> ColumnElement[bool] | None:
    wanted = query_words(text)
    if wanted is None:
        return None
    if not wanted:
        return false()
    if conn.dialect.name == "postgresql":
        config: ColumnElement[Any] = literal_column(f"'{TS_CONFIG}'::regconfig")
        query = func.to_tsquery(config, bindparam(None, tsquery_text(wanted), String))
        if not conn.execute(select(func.numnode(query))).scalar_one():
            return None  # only stop words: every case "contains" them
        return literal_column("cases.search_vector").op("@@")(query)
    match = literal_column(_fts.name).op("MATCH")(bindparam(None, fts5_query(wanted), String))
    return literal_column("cases.search_rowid").in_(select(_fts.c.rowid).where(match))
