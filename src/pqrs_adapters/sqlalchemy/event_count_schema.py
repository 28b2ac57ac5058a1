"""What makes the productivity report fast at a million cases: the events it counts, counted per day
by the database itself.

A quarter holds some 300,000 filings, typifications, responses and closings at a million cases;
grouping them costs in proportion to them (seconds on SQLite). So triggers on ``case_events`` keep, on
both databases, in the same transaction as every event written or deleted (the repository, the bulk
import, a case deleted for good, whose events go with it):

- ``case_event_day_counts``: the events of the kinds the report counts (``COUNTED``) per day, kind and
  person (``actor``);
- ``case_event_time_counts``: those of them whose form measured a whole number of handling seconds
  (``TIMED``, as ``timed`` writes it) per day, kind, person and value.

Days are those of UTC−5 (``report_count_schema.OFFSET_MINUTES``, Colombia's time), the same fixed
partition of time as the cases' counts: a report reads the days wholly inside its range from here
and groups the events of the parts of days at its edges (``productivity``). The counts hold the events
of every case, voided or not: the report takes away those of the voided cases, which are few
(``ix_cases_voided`` finds them). Events are never changed once written, so an insert adds one and a
delete removes it; a cell may drop to zero and stay, readers skip it.

``attach`` creates the triggers after ``metadata.create_all``; migration ``0043`` creates the same and
fills the counts from the events already stored (``FILL``).
"""

from __future__ import annotations

from sqlalchemy import MetaData

from .report_count_schema import OFFSET_MINUTES
from .schema_statements import attach_statements

DAY_TABLE = "case_event_day_counts"
TIME_TABLE = "case_event_time_counts"
# The kinds of events the productivity report counts, and those whose forms measure how long they took.
COUNTED = ("CaseFiled", "CaseTypified", "CaseResponded", "CaseClosed")
TIMED = ("CaseFiled", "CaseResponded")
DAY_KEYS = ("day", "type", "actor")
TIME_KEYS = ("day", "type", "actor", "seconds")


def _listed(kinds: tuple[str, ...]) -> str:
    return ", ".join(f"'{kind}'" for kind in kinds)


def _sqlite_day(e: str) -> str:
    return f"date({e}.occurred_at, '{OFFSET_MINUTES:+d} minutes')"


def _sqlite_timed(e: str) -> str:
    return f"{e}.type IN ({_listed(TIMED)}) AND json_type({e}.data, '$.handling_seconds') = 'integer'"


def _sqlite_seconds(e: str) -> str:
    return f"json_extract({e}.data, '$.handling_seconds')"


def _sqlite_add(e: str) -> str:
    return (f"INSERT INTO {DAY_TABLE} ({', '.join(DAY_KEYS)}, events) "
            f"VALUES ({_sqlite_day(e)}, {e}.type, {e}.actor, 1) "
            f"ON CONFLICT ({', '.join(DAY_KEYS)}) DO UPDATE SET events = events + 1;\n  "
            f"INSERT INTO {TIME_TABLE} ({', '.join(TIME_KEYS)}, events) "
            f"SELECT {_sqlite_day(e)}, {e}.type, {e}.actor, {_sqlite_seconds(e)}, 1 WHERE {_sqlite_timed(e)} "
            f"ON CONFLICT ({', '.join(TIME_KEYS)}) DO UPDATE SET events = events + 1;")


def _sqlite_remove(e: str) -> str:
    return (f"UPDATE {DAY_TABLE} SET events = events - 1 "
            f"WHERE ({', '.join(DAY_KEYS)}) = ({_sqlite_day(e)}, {e}.type, {e}.actor);\n  "
            f"UPDATE {TIME_TABLE} SET events = events - 1 WHERE {_sqlite_timed(e)} "
            f"AND ({', '.join(TIME_KEYS)}) = ({_sqlite_day(e)}, {e}.type, {e}.actor, {_sqlite_seconds(e)});")


SQLITE_TRIGGERS = (
    f"CREATE TRIGGER {DAY_TABLE}_insert AFTER INSERT ON case_events WHEN new.type IN ({_listed(COUNTED)}) "
    f"BEGIN\n  {_sqlite_add('new')}\nEND",
    f"CREATE TRIGGER {DAY_TABLE}_delete AFTER DELETE ON case_events WHEN old.type IN ({_listed(COUNTED)}) "
    f"BEGIN\n  {_sqlite_remove('old')}\nEND",
)

# PostgreSQL: one function adds the event inserted or takes away the event deleted (``case_events.data``
# is JSONB); the day's cell before the time's, so that transactions take them in one order.
_PG_DAY = ("to_char(({e}.occurred_at AT TIME ZONE 'UTC') + interval "
           f"'{OFFSET_MINUTES} minutes', 'YYYY-MM-DD')")
_PG_SECONDS = "({e}.data ->> 'handling_seconds')"
_PG_TIMED = (f"{{e}}.type IN ({_listed(TIMED)}) "
             "AND jsonb_typeof({e}.data -> 'handling_seconds') = 'number' "
             f"AND CAST({_PG_SECONDS} AS double precision) = trunc(CAST({_PG_SECONDS} AS double precision))")
_PG_WHOLE_SECONDS = f"CAST(CAST({_PG_SECONDS} AS numeric) AS integer)"


def timed(dialect: str, e: str) -> str:
    """SQL: whether the event row ``e`` is of a kind whose form measures its handling time and holds a
    whole number of seconds (what the forms record)."""
    return _PG_TIMED.format(e=e) if dialect == "postgresql" else _sqlite_timed(e)


def seconds(dialect: str, e: str) -> str:
    """SQL: the handling seconds of the event row ``e``, where ``timed``."""
    return _PG_WHOLE_SECONDS.format(e=e) if dialect == "postgresql" else _sqlite_seconds(e)

_PG_COUNT = f"""CREATE FUNCTION case_event_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE e case_events; delta integer; local_day text;
BEGIN
  IF TG_OP = 'INSERT' THEN e := NEW; delta := 1; ELSE e := OLD; delta := -1; END IF;
  local_day := {_PG_DAY.format(e='e')};
  INSERT INTO {DAY_TABLE} AS t ({', '.join(DAY_KEYS)}, events) VALUES (local_day, e.type, e.actor, delta)
  ON CONFLICT ({', '.join(DAY_KEYS)}) DO UPDATE SET events = t.events + excluded.events;
  IF {_PG_TIMED.format(e='e')} THEN
    INSERT INTO {TIME_TABLE} AS t ({', '.join(TIME_KEYS)}, events)
    VALUES (local_day, e.type, e.actor, {seconds("postgresql", "e")}, delta)
    ON CONFLICT ({', '.join(TIME_KEYS)}) DO UPDATE SET events = t.events + excluded.events;
  END IF;
  RETURN NULL;
END $$"""
POSTGRESQL_TRIGGERS = (
    _PG_COUNT,
    f"CREATE TRIGGER {DAY_TABLE}_insert AFTER INSERT ON case_events "
    f"FOR EACH ROW WHEN (NEW.type IN ({_listed(COUNTED)})) EXECUTE FUNCTION case_event_counts()",
    f"CREATE TRIGGER {DAY_TABLE}_delete AFTER DELETE ON case_events "
    f"FOR EACH ROW WHEN (OLD.type IN ({_listed(COUNTED)})) EXECUTE FUNCTION case_event_counts()",
)


def _fill(dialect: str) -> tuple[str, str]:
    """The counts of the events stored, from them (for a store that had none)."""
    day = _PG_DAY.format(e="e") if dialect == "postgresql" else _sqlite_day("e")
    return (
        f"INSERT INTO {DAY_TABLE} ({', '.join(DAY_KEYS)}, events) SELECT {day}, e.type, e.actor, "
        f"count(*) FROM case_events e WHERE e.type IN ({_listed(COUNTED)}) GROUP BY 1, 2, 3",
        f"INSERT INTO {TIME_TABLE} ({', '.join(TIME_KEYS)}, events) SELECT {day}, e.type, e.actor, "
        f"{seconds(dialect, 'e')}, count(*) FROM case_events e WHERE {timed(dialect, 'e')} "
        "GROUP BY 1, 2, 3, 4",
    )


TRIGGERS = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}
FILL = {"sqlite": _fill("sqlite"), "postgresql": _fill("postgresql")}
# What drops the triggers (before the tables; on PostgreSQL, with their function).
DROP = {"sqlite": tuple(f"DROP TRIGGER IF EXISTS {DAY_TABLE}_{what}" for what in ("insert", "delete")),
        "postgresql": ("DROP FUNCTION IF EXISTS case_event_counts CASCADE",)}


def attach(metadata: MetaData) -> None:
    """Create the triggers after every table (``metadata.create_all``)."""
    attach_statements(metadata, TRIGGERS, {"postgresql": DROP["postgresql"]})  # SQLite's go with the table
