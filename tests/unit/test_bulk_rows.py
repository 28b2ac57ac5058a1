"""The import's row encodings (``bulk_insert``): what goes to the driver is what SQLAlchemy's own bind
processors give, and ``COPY``'s text format is escaped as PostgreSQL reads it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from pqrs_adapters.sqlalchemy.bulk_insert import BulkCopy, BulkInsert, copy_text, sqlite_instant
from pqrs_adapters.sqlalchemy.tables import UTCDateTime, case_events, case_field_values

SQLITE = sqlite.dialect()
POSTGRESQL = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
ZONES = st.sampled_from([UTC, ZoneInfo("America/Bogota"), timezone(timedelta(hours=5))])
INSTANTS = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9998, 12, 31), timezones=ZONES)
EVENT_COLUMNS = ["case_id", "seq", "type", "actor", "occurred_at", "data"]


def _generic(value: datetime | None) -> str | None:
    decorated = UTCDateTime().process_bind_param(value, SQLITE)
    process = UTCDateTime().impl.dialect_impl(SQLITE).bind_processor(SQLITE)
    assert process is not None
    result: str | None = process(decorated)
    return result


@given(INSTANTS)
def test_sqlite_instants_are_what_the_column_type_binds(value: datetime) -> None:
    assert sqlite_instant(value) == _generic(value)


def test_sqlite_instants_refuse_naive_values_and_keep_null() -> None:
    assert sqlite_instant(None) is None
    with pytest.raises(ValueError, match="naive"):
        sqlite_instant(datetime(2026, 1, 1, 8, 0))
    assert sqlite_instant(datetime(2026, 1, 1, 8, 0, tzinfo=UTC)) == "2026-01-01 08:00:00.000000"


def test_an_event_row_binds_as_sqlalchemy_would() -> None:
    row = {"case_id": "c1", "seq": 1, "type": "CaseFiled", "actor": "ana",
           "occurred_at": datetime(2025, 3, 3, 9, 15, tzinfo=ZoneInfo("America/Bogota")),
           "data": {"text": "Línea\tcon tabulador\ny salto", "n": 1}}
    found = BulkInsert(case_events, EVENT_COLUMNS, SQLITE).values(row)
    assert found == ("c1", 1, "CaseFiled", "ana", "2025-03-03 14:15:00.000000", json.dumps(row["data"]))


@given(st.text())
def test_copy_text_escapes_what_the_text_format_reads_specially(value: str) -> None:
    escaped = copy_text(value)
    assert "\t" not in escaped and "\n" not in escaped and "\r" not in escaped
    unescaped = (escaped.replace("\\\\", "\x00\x01").replace("\\t", "\t").replace("\\n", "\n")
                 .replace("\\r", "\r").replace("\x00\x01", "\\"))
    if "\x00" not in value:
        assert unescaped == value


def test_a_copy_line_has_one_field_per_column_null_and_json_as_postgresql_reads_them() -> None:
    events = BulkCopy(case_events, EVENT_COLUMNS, POSTGRESQL)
    line = events.values({"case_id": "c1", "seq": 2, "type": "NoteAdded", "actor": "a\\b",
                          "occurred_at": datetime(2025, 3, 3, 9, 15, tzinfo=ZoneInfo("America/Bogota")),
                          "data": {"text": "dos\nlíneas \"citadas\" y \\"}})
    assert line.endswith("\n")
    fields = line[:-1].split("\t")
    assert fields[:5] == ["c1", "2", "NoteAdded", "a\\\\b", "2025-03-03T14:15:00+00:00"]
    assert json.loads(fields[5].replace("\\\\", "\\")) == {"text": "dos\nlíneas \"citadas\" y \\"}
    values = BulkCopy(case_field_values, ["case_id", "field", "text_value", "number_value", "date_value"],
                      POSTGRESQL)
    assert values.values({"case_id": "c1", "field": "f", "text_value": "x", "number_value": None,
                          "date_value": date(2025, 1, 2)}) == "c1\tf\tx\t\\N\t2025-01-02\n"
    assert events.sql.startswith("COPY case_events (case_id, seq, type, actor, occurred_at, data) FROM STDIN")
