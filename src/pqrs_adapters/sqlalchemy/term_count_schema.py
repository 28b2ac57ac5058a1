"""What makes the regulatory and timeliness reports fast at a million cases: the cases counted by where
their term ended, kept by the database itself.

Both reports group the cases filed in their range by the term's status with other values (the
regulatory report by day, kind, whether responded, whether done, transferred, access denied and the days
to answer, ``REGULATORY_GROUPINGS``; the timeliness report by kind, typification, queue, person,
extended, transferred, incomplete and withdrawn, ``TIMELINESS_GROUPINGS``). A quarter holds about 90,000
cases at a million, and grouping them costs seconds. So triggers keep, on both databases, in the same
transaction as every write to ``cases`` or ``case_report_facts``, the cases not deleted:

- ``case_term_day_counts``: per UTC−5 day of filing (``report_count_schema``'s days), kind, channel,
  queue and the regulatory report's values;
- ``case_term_month_counts``: per UTC−5 month of filing, kind, channel, typification path, queue, person
  (who answered it, else its assignee) and the timeliness report's values.

A term's status depends on the instant the report is read only while the term runs: a case with a term
whose answer was neither notified nor recorded, and whose term has not ended (``RUNNING_TERM``). Every
other case's status is fixed: without a term, or answered on time or late (``reports.term_status``).
Of those whose term runs, the status is kept as far as it is known without the instant (``_status``,
migration 0053): a case closed is on time or late by when it was closed; a paused one runs (its
deadline moves when the term resumes); an open one runs until its deadline and is overdue after it, so
it is kept as ``due:`` and the UTC−5 day of its deadline, which the reader compares with its own day:
only the cases due that very day (and a case closed without an instant of closing, ``''``) are grouped
from the cases, at its instant (``report_count_queries.kept_term_counts``). NULL is stored as ``''`` and a
missing number of days as -1.

As in ``report_count_schema``: a case inserted adds one to its cells, an update of a counted column (or
a change of its facts) moves its one, a delete removes it while its facts are still there; on PostgreSQL
one function moves a case between its cells, in key order. Migration ``0045`` creates the same triggers
and fills the counts from the cases already stored (``FILL``).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
from sqlalchemy import MetaData

from pqrs_core.services.reports import LATE, NO_TERM, ON_TIME, RUNNING

from .report_count_schema import OFFSET_MINUTES
from .schema_statements import attach_statements

NO_DAYS = -1
# No hours stored: no resolution yet, or (the first response's) a case answered before the hours were
# kept, whose times the reader computes from its instants.
NO_HOURS = -1.0
# The cases whose term's status the reader computes at its instant (written as the queries write it:
# SQLite's planner would otherwise take ``term_ended_at IS NULL`` to ``ix_cases_resolved``, whose figures
# count about two cases per value, and read every case whose term has not ended).
def _ended(prefix: str) -> str:
    """When the term stopped: its answer notified or recorded, or the term ended; NULL while it runs."""
    return f"coalesce({prefix}notified_at, {prefix}term_ended_at, {prefix}responded_at)"


def running_term(table: str = "") -> str:
    """``RUNNING_TERM`` with its columns those of ``table`` (unqualified without one)."""
    prefix = f"{table}." if table else ""
    return f"{prefix}due_at IS NOT NULL AND {_ended(prefix)} IS NULL"


RUNNING_TERM = running_term()
# Those not deleted: the condition of the partial index ``ix_cases_running_term``, which the reader's
# query implies.
RUNNING_TERM_CASES = f"{RUNNING_TERM} AND deleted_at IS NULL"
_TERM_WATCHED = ("filed_at", "deleted_at", "kind", "channel", "queue", "responded_at", "due_at",
                 "notified_at", "term_ended_at", "closed_at", "paused_left_unit")
# The state categories whose entering or leaving changes a running term's status: done (closed by its
# instant of closing) and waiting (paused).
_TERM_STATES = ("done", "waiting")
DUE = "due:"  # the status of an open term, followed by its deadline's UTC−5 day
DUE_AFTER = "due;"  # after every ``DUE`` status (";" follows ":") and before every other: "late", ...
assert all(DUE_AFTER < status for status in (LATE, NO_TERM, ON_TIME, RUNNING))


def _status(dialect: str, r: str, due_days: bool) -> str:
    """``reports.term_status`` of the case ``r`` as far as it is known without the instant (for a term
    that runs: closed, paused, or ``DUE`` and its deadline's day; ``''`` for one closed without an
    instant of closing); with ``due_days`` false, ``''`` for every term that runs, as before migration
    0053."""
    ended = _ended(f"{r}.")
    running = "''"
    if due_days:
        paused = f"{r}.paused_left_unit IS NOT NULL OR {r}.state_category = 'waiting'"
        running = (f"CASE WHEN {r}.state_category = 'done' THEN CASE WHEN {r}.closed_at IS NULL THEN '' "
                   f"WHEN {r}.closed_at <= {r}.due_at THEN '{ON_TIME}' ELSE '{LATE}' END "
                   f"WHEN {paused} THEN '{RUNNING}' ELSE '{DUE}' || {_due_day(dialect, r)} END")
    return (f"CASE WHEN {r}.due_at IS NULL THEN '{NO_TERM}' WHEN {ended} IS NULL THEN {running} "
            f"WHEN {ended} <= {r}.due_at THEN '{ON_TIME}' ELSE '{LATE}' END")


def _due_day(dialect: str, r: str) -> str:
    """The UTC−5 day (``YYYY-MM-DD``) of ``r``'s deadline. A deadline is often the last microsecond of
    a day, which SQLite's date functions round to the next millisecond (the next day): its text is read
    to the second."""
    if dialect == "postgresql":
        return f"to_char({_local(r + '.due_at')}, 'YYYY-MM-DD')"
    return f"date(substr({r}.due_at, 1, 19), '{OFFSET_MINUTES:+d} minutes')"


def _local(instant: str) -> str:
    """PostgreSQL's UTC−5 time of the instant ``instant``."""
    return f"({instant} AT TIME ZONE 'UTC') + interval '{OFFSET_MINUTES} minutes'"


def _fact(f: str | None, column: str) -> str:
    """The facts row ``f``'s ``column`` (NULL without a facts row)."""
    return f"{f}.{column}" if f else "NULL"


@attrs.frozen
class Tally:
    """One table of counts: its name, its unit of time (``day`` or ``month``), its keys, the SQL of a
    case's cell (the unit's label, the case ``r``, its facts row ``f`` and its term's status), the
    columns of ``cases`` and of ``case_report_facts`` whose change moves a case, and the state
    categories whose entering or leaving does."""

    table: str
    unit: str
    keys: tuple[str, ...]
    values: Callable[[str, str | None, str], str]
    watched: tuple[str, ...]
    facts_watched: tuple[str, ...]
    states: tuple[str, ...]
    counted: str = "{r}.deleted_at IS NULL"  # which cases ``r`` it counts
    due_days: bool = True  # running terms kept by their deadline's day (``_status``)

    def counts(self, r: str) -> str:
        return self.counted.format(r=r)

    def label(self, dialect: str, r: str) -> str:
        """The label of ``r``'s day or month of filing (UTC−5)."""
        if dialect == "postgresql":
            pattern = "YYYY-MM-DD" if self.unit == "day" else "YYYY-MM"
            return f"to_char({_local(r + '.filed_at')}, '{pattern}')"
        if self.unit == "day":
            return f"date({r}.filed_at, '{OFFSET_MINUTES:+d} minutes')"
        return f"strftime('%Y-%m', {r}.filed_at, '{OFFSET_MINUTES:+d} minutes')"

    def cell(self, dialect: str, r: str, f: str | None) -> str:
        return f"{self.label(dialect, r)}, {self.values(r, f, _status(dialect, r, self.due_days))}"

    @property
    def columns(self) -> str:
        return ", ".join(self.keys)

    @property
    def key_numbers(self) -> str:
        return ", ".join(str(i + 1) for i in range(len(self.keys)))


def _day_values(r: str, f: str | None, status: str) -> str:
    return (f"{r}.kind, coalesce({r}.channel, ''), coalesce({r}.queue, ''), {r}.responded_at IS NOT NULL, "
            f"{status}, {r}.state_category = 'done', coalesce({_fact(f, 'transfers')}, 0) > 0, "
            f"coalesce({_fact(f, 'access_denied')}, FALSE), "
            f"coalesce({_fact(f, 'days_to_answer')}, {NO_DAYS})")


def _month_values(r: str, f: str | None, status: str) -> str:
    who = f"coalesce(nullif({_fact(f, 'responder')}, ''), nullif({r}.assignee, ''), '')"
    return (f"{r}.kind, coalesce({r}.channel, ''), coalesce({r}.typification_path_codes, ''), "
            f"coalesce({r}.queue, ''), {who}, {status}, coalesce({_fact(f, 'extensions')}, 0) > 0, "
            f"coalesce({_fact(f, 'transfers')}, 0) > 0, coalesce({_fact(f, 'incomplete')}, FALSE), "
            f"coalesce({_fact(f, 'withdrawn')}, FALSE)")


def _hours_values(r: str, f: str | None, status: str) -> str:
    return (f"{r}.kind, coalesce({r}.channel, ''), coalesce({r}.typification_path_codes, ''), "
            f"coalesce({r}.queue, ''), coalesce({_fact(f, 'first_response_hours')}, {NO_HOURS}), "
            f"coalesce({_fact(f, 'resolution_hours')}, {NO_HOURS})")


DAYS = Tally("case_term_day_counts", "day",
             ("day", "kind", "channel", "queue", "responded", "term_status", "done", "transferred",
              "access_denied", "days_to_answer"),
             _day_values, _TERM_WATCHED, ("transfers", "access_denied", "days_to_answer"), _TERM_STATES)
MONTHS = Tally("case_term_month_counts", "month",
               ("month", "kind", "channel", "typification_path_codes", "queue", "who", "term_status",
                "extended", "transferred", "incomplete", "withdrawn"),
               _month_values, (*_TERM_WATCHED, "typification_path_codes", "assignee"),
               ("responder", "extensions", "transfers", "incomplete", "withdrawn"), _TERM_STATES)
ANSWER_TIMES = Tally("case_answer_time_counts", "month",
                     ("month", "kind", "channel", "typification_path_codes", "queue", "first_response_hours",
                      "resolution_hours"),
                     _hours_values, ("filed_at", "deleted_at", "kind", "channel", "typification_path_codes",
                                     "queue", "first_responded_at"),
                     ("first_response_hours", "resolution_hours"), (),
                     counted="{r}.deleted_at IS NULL AND {r}.first_responded_at IS NOT NULL")
TALLIES = (DAYS, MONTHS, ANSWER_TIMES)


# SQLite: a case's cell joins its facts row (``f``), if it has one.
def _case_cell(t: Tally, r: str) -> str:
    return (f"SELECT {t.cell('sqlite', r, 'f')} FROM (SELECT 1) "
            f"LEFT JOIN case_report_facts f ON f.case_id = {r}.id")


def _sqlite_add(t: Tally, select: str, where: str) -> str:
    return (f"INSERT INTO {t.table} ({t.columns}, cases) SELECT *, 1 FROM ({select}) WHERE {where} "
            f"ON CONFLICT ({t.columns}) DO UPDATE SET cases = cases + 1;")


def _sqlite_remove(t: Tally, select: str, where: str = "") -> str:
    condition = f"{where} AND " if where else ""
    return f"UPDATE {t.table} SET cases = cases - 1 WHERE {condition}({t.columns}) = ({select});"


def _facts_move(t: Tally, old: str | None, new: str | None, f: str) -> str:
    """Moves the case of the facts row ``f`` from the cell with the facts ``old`` to that with ``new``."""
    case_row = f"FROM cases c WHERE c.id = {f}.case_id AND {t.counts('c')}"
    return "\n  ".join((_sqlite_remove(t, f"SELECT {t.cell('sqlite', 'c', old)} {case_row}"),
                        _sqlite_add(t, f"SELECT {t.cell('sqlite', 'c', new)} {case_row}", "1")))


def _sqlite_triggers(t: Tally) -> tuple[str, ...]:
    changed = " OR ".join(
        [f"(old.state_category = '{state}') IS NOT (new.state_category = '{state}')" for state in t.states]
        + [f"old.{k} IS NOT new.{k}" for k in t.watched])
    facts_changed = " OR ".join(f"old.{k} IS NOT new.{k}" for k in t.facts_watched)
    watched = ", ".join((*t.watched, "state_category") if t.states else t.watched)
    add = _sqlite_add(t, _case_cell(t, "new"), t.counts("new"))
    remove = _sqlite_remove(t, _case_cell(t, "old"), t.counts("old"))
    return (
        f"CREATE TRIGGER {t.table}_case_insert AFTER INSERT ON cases BEGIN\n  {add}\nEND",
        f"CREATE TRIGGER {t.table}_case_update AFTER UPDATE OF {watched} ON cases\n"
        f"WHEN {changed} BEGIN\n  {remove}\n  {add}\nEND",
        f"CREATE TRIGGER {t.table}_case_delete BEFORE DELETE ON cases BEGIN\n  {remove}\nEND",
        f"CREATE TRIGGER {t.table}_facts_insert AFTER INSERT ON case_report_facts BEGIN\n  "
        f"{_facts_move(t, None, 'new', 'new')}\nEND",
        f"CREATE TRIGGER {t.table}_facts_update AFTER UPDATE OF {', '.join(t.facts_watched)} "
        f"ON case_report_facts\nWHEN {facts_changed} BEGIN\n  {_facts_move(t, 'old', 'new', 'new')}\nEND",
        f"CREATE TRIGGER {t.table}_facts_delete AFTER DELETE ON case_report_facts BEGIN\n  "
        f"{_facts_move(t, 'old', None, 'old')}\nEND",
    )


SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS {t.table}_{table}_{what}" for t in TALLIES
                    for table in ("case", "facts") for what in ("insert", "update", "delete"))


# PostgreSQL: one function moves a case from the cells of its old row ``o`` (with its facts ``o_f``) to
# those of its new row ``n`` (``n_f``), either NULL: one statement per table, its cells in key order.
def _pg_move_statement(t: Tally) -> str:
    return f"""
  INSERT INTO {t.table} AS t ({t.columns}, cases)
  SELECT {t.cell('postgresql', '(c)', '(f)')}, sum(delta)
  FROM (VALUES (o, o_f, -1), (n, n_f, 1)) AS v(c, f, delta)
  WHERE (c).id IS NOT NULL AND {t.counts('(c)')}
  GROUP BY {t.key_numbers} HAVING sum(delta) <> 0 ORDER BY {t.key_numbers}
  ON CONFLICT ({t.columns}) DO UPDATE SET cases = t.cases + excluded.cases;"""


_PG_CASES = """CREATE FUNCTION term_counts_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE f case_report_facts;
BEGIN
  SELECT * INTO f FROM case_report_facts
  WHERE case_id = CASE WHEN TG_OP = 'INSERT' THEN NEW.id ELSE OLD.id END;
  IF TG_OP = 'INSERT' THEN
    PERFORM term_counts_move(NULL, NULL, NEW, f);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM term_counts_move(OLD, f, NEW, f);
  ELSE
    PERFORM term_counts_move(OLD, f, NULL, NULL);
    RETURN OLD;
  END IF;
  RETURN NULL;
END $$"""
_PG_FACTS = """CREATE FUNCTION term_counts_facts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r cases;
BEGIN
  SELECT * INTO r FROM cases WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM term_counts_move(r, NULL, r, NEW);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM term_counts_move(r, OLD, r, NEW);
  ELSE
    PERFORM term_counts_move(r, OLD, r, NULL);
  END IF;
  RETURN NULL;
END $$"""
_PG_TABLE = "case_term_counts"  # the triggers' common prefix


def _postgresql_triggers(tallies: tuple[Tally, ...]) -> tuple[str, ...]:
    move = ("CREATE FUNCTION term_counts_move(o cases, o_f case_report_facts, n cases, "
            "n_f case_report_facts) RETURNS void LANGUAGE sql AS $$"
            + "".join(_pg_move_statement(t) for t in tallies) + "\n$$")
    cases_watched = tuple(dict.fromkeys(k for t in tallies for k in t.watched))
    facts_watched = tuple(dict.fromkeys(k for t in tallies for k in t.facts_watched))
    states = tuple(dict.fromkeys(state for t in tallies for state in t.states))
    changed = " OR ".join([f"(OLD.state_category = '{state}') <> (NEW.state_category = '{state}')"
                           for state in states]
                          + [f"OLD.{k} IS DISTINCT FROM NEW.{k}" for k in cases_watched])
    facts_changed = " OR ".join(f"OLD.{k} IS DISTINCT FROM NEW.{k}" for k in facts_watched)
    return (
        move, _PG_CASES, _PG_FACTS,
        f"CREATE TRIGGER {_PG_TABLE}_case_insert AFTER INSERT ON cases "
        "FOR EACH ROW EXECUTE FUNCTION term_counts_case()",
        f"CREATE TRIGGER {_PG_TABLE}_case_update AFTER UPDATE OF {', '.join(cases_watched)}, state_category "
        f"ON cases FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION term_counts_case()",
        f"CREATE TRIGGER {_PG_TABLE}_case_delete BEFORE DELETE ON cases "
        "FOR EACH ROW EXECUTE FUNCTION term_counts_case()",
        f"CREATE TRIGGER {_PG_TABLE}_facts_insert AFTER INSERT ON case_report_facts "
        "FOR EACH ROW EXECUTE FUNCTION term_counts_facts()",
        f"CREATE TRIGGER {_PG_TABLE}_facts_update AFTER UPDATE OF {', '.join(facts_watched)} "
        f"ON case_report_facts FOR EACH ROW WHEN ({facts_changed}) EXECUTE FUNCTION term_counts_facts()",
        f"CREATE TRIGGER {_PG_TABLE}_facts_delete AFTER DELETE ON case_report_facts "
        "FOR EACH ROW EXECUTE FUNCTION term_counts_facts()",
    )


DROP_POSTGRESQL = "DROP FUNCTION IF EXISTS term_counts_case, term_counts_facts, term_counts_move CASCADE"


def fill(dialect: str, t: Tally) -> str:
    """The counts of the cases stored, from them (for a store that had none)."""
    return (f"INSERT INTO {t.table} ({t.columns}, cases) SELECT {t.cell(dialect, 'c', 'f')}, count(*) "
            f"FROM cases c LEFT JOIN case_report_facts f ON f.case_id = c.id WHERE {t.counts('c')} "
            f"GROUP BY {t.key_numbers}")


def triggers(tallies: tuple[Tally, ...] = TALLIES) -> dict[str, tuple[str, ...]]:
    """The triggers that keep ``tallies``, per database."""
    return {"sqlite": tuple(statement for t in tallies for statement in _sqlite_triggers(t)),
            "postgresql": _postgresql_triggers(tallies)}


TRIGGERS = triggers()
FILL = {dialect: tuple(fill(dialect, t) for t in TALLIES) for dialect in ("sqlite", "postgresql")}
# The tallies as they were before migration 0053: every running term's status ''.
BEFORE_DUE_DAYS = tuple(attrs.evolve(t, due_days=False) for t in TALLIES)


def attach(metadata: MetaData) -> None:
    """Create the triggers after every table (``metadata.create_all``)."""
    attach_statements(metadata, TRIGGERS, {"postgresql": (DROP_POSTGRESQL,)})
