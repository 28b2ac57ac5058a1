"""What makes volume and who-resolved fast at a million cases: counts of the cases per local day and per
local month of filing, kept by the database itself.

A quarter holds about 90,000 cases at a million; grouping them costs in proportion to them (about a
second on SQLite). So triggers keep, on both databases, in the same transaction as every write to
``cases`` or ``case_report_facts`` (the repository, the bulk import, the sweep, voiding, deletion):

- ``case_report_day_counts``: the cases not deleted per day of filing, kind, channel and queue;
- ``case_report_month_counts``: the cases not deleted per month of filing and every value the volume
  and the who-resolved reports group or filter by (kind, channel, typification path, queue, requester
  kind, first-contact resolution, answered, the queue of the last response).

Days and months are those of UTC−5 (``OFFSET_MINUTES``, Colombia's time, which has no daylight saving
time): a fixed partition of time, so that a report in any zone reads the cells wholly inside its range
from here and groups only the cases of the parts of cells at its edges (``report_count_queries``). NULL
is stored as ``''``. A case inserted adds one to its cells; an update of a counted column (or of
``filed_at`` or ``deleted_at``), or a change of its last response in ``case_report_facts``, moves its one;
a delete removes it (before the row goes, while its facts are still there). A cell may drop to zero and
stay; readers skip it.

On PostgreSQL the triggers upsert one row of each table per filing: concurrent filings of the same
day, kind, channel and queue wait for each other's commit on that row (milliseconds), which the
filing rates of a PQRS office never make a queue. A move takes its two cells in key order
(``report_counts_move``), so that two transactions moving one case each between the same cells, in
opposite directions, do not deadlock.

``attach`` creates the triggers after ``metadata.create_all``; migration ``0040`` creates the same and
fills the counts from the cases already stored (``FILL``).
"""

from __future__ import annotations

from sqlalchemy import MetaData

from .schema_statements import attach_statements

DAY_TABLE = "case_report_day_counts"
MONTH_TABLE = "case_report_month_counts"
# The counts' days and months are UTC−5's (Colombia's), whatever the organisation's zone.
OFFSET_MINUTES = -300
DAY_KEYS = ("day", "kind", "channel", "queue")
MONTH_KEYS = ("month", "kind", "channel", "typification_path_codes", "queue", "requester_kind",
              "first_contact_resolution", "answered", "responder_queue")
# The columns whose change moves a case between cells (``responded_at``: only whether it is set).
_WATCHED = ("filed_at", "deleted_at", "kind", "channel", "typification_path_codes", "queue", "requester_kind",
            "first_contact_resolution", "responded_at")
_FACTS_WATCHED = ("responder", "responder_queue")


def _sqlite_values(r: str, responder: str, responder_queue: str, month: bool) -> str:
    """The cell of the case ``r`` (``new``, ``old`` or an alias of ``cases``) as SQLite computes it."""
    shift = f"'{OFFSET_MINUTES:+d} minutes'"
    if not month:
        return f"date({r}.filed_at, {shift}), {r}.kind, coalesce({r}.channel, ''), coalesce({r}.queue, '')"
    return (f"strftime('%Y-%m', {r}.filed_at, {shift}), {r}.kind, coalesce({r}.channel, ''), "
            f"coalesce({r}.typification_path_codes, ''), coalesce({r}.queue, ''), {r}.requester_kind, "
            f"{r}.first_contact_resolution, ({r}.responded_at IS NOT NULL OR {responder} IS NOT NULL), "
            f"coalesce({responder_queue}, '')")


def _facts_of(r: str, column: str) -> str:
    return f"(SELECT {column} FROM case_report_facts WHERE case_id = {r}.id)"


def _sqlite_add(table: str, values: str, where: str, source: str = "") -> str:
    keys = ", ".join(MONTH_KEYS if table == MONTH_TABLE else DAY_KEYS)
    return (f"INSERT INTO {table} ({keys}, cases) SELECT {values}, 1{source} WHERE {where} "
            f"ON CONFLICT ({keys}) DO UPDATE SET cases = cases + 1;")


def _sqlite_remove(table: str, values: str, where: str) -> str:
    keys = ", ".join(MONTH_KEYS if table == MONTH_TABLE else DAY_KEYS)
    return f"UPDATE {table} SET cases = cases - 1 WHERE ({keys}) = ({values});" if not where else (
        f"UPDATE {table} SET cases = cases - 1 WHERE {where} AND ({keys}) = ({values});")


def _case_add(r: str) -> str:
    return "\n  ".join(_sqlite_add(t, _sqlite_values(r, _facts_of(r, "responder"),
                                                     _facts_of(r, "responder_queue"), t == MONTH_TABLE),
                                   f"{r}.deleted_at IS NULL") for t in (MONTH_TABLE, DAY_TABLE))


def _case_remove(r: str) -> str:
    return "\n  ".join(_sqlite_remove(t, _sqlite_values(r, _facts_of(r, "responder"),
                                                        _facts_of(r, "responder_queue"), t == MONTH_TABLE),
                                      f"{r}.deleted_at IS NULL") for t in (MONTH_TABLE, DAY_TABLE))


def _facts_move(remove: tuple[str, str], add: tuple[str, str], f: str) -> str:
    """Moves the case of the facts row ``f`` from the month cell of ``remove`` (responder, queue) to that
    of ``add``: its values come from its row in ``cases``, if it is there and not deleted."""
    case_row = f" FROM cases c WHERE c.id = {f}.case_id AND c.deleted_at IS NULL"
    old = f"SELECT {_sqlite_values('c', *remove, month=True)}{case_row}"
    return "\n  ".join((_sqlite_remove(MONTH_TABLE, old, ""),
                        _sqlite_add(MONTH_TABLE, _sqlite_values("c", *add, month=True),
                                    f"c.id = {f}.case_id AND c.deleted_at IS NULL", " FROM cases c")))


_CHANGED = " OR ".join(
    ["(old.responded_at IS NULL) IS NOT (new.responded_at IS NULL)"]
    + [f"old.{k} IS NOT new.{k}" for k in _WATCHED if k != "responded_at"])
_FACTS_CHANGED = ("(old.responder IS NULL) IS NOT (new.responder IS NULL) OR "
                  "old.responder_queue IS NOT new.responder_queue")
_NONE = ("NULL", "NULL")
_OLD_FACTS = ("old.responder", "old.responder_queue")
_NEW_FACTS = ("new.responder", "new.responder_queue")

SQLITE_TRIGGERS = (
    f"CREATE TRIGGER {MONTH_TABLE}_case_insert AFTER INSERT ON cases BEGIN\n  {_case_add('new')}\nEND",
    f"CREATE TRIGGER {MONTH_TABLE}_case_update AFTER UPDATE OF {', '.join(_WATCHED)} ON cases\n"
    f"WHEN {_CHANGED} BEGIN\n  {_case_remove('old')}\n  {_case_add('new')}\nEND",
    f"CREATE TRIGGER {MONTH_TABLE}_case_delete BEFORE DELETE ON cases BEGIN\n  {_case_remove('old')}\nEND",
    f"CREATE TRIGGER {MONTH_TABLE}_facts_insert AFTER INSERT ON case_report_facts BEGIN\n  "
    f"{_facts_move(_NONE, _NEW_FACTS, 'new')}\nEND",
    f"CREATE TRIGGER {MONTH_TABLE}_facts_update AFTER UPDATE OF {', '.join(_FACTS_WATCHED)} "
    f"ON case_report_facts\nWHEN {_FACTS_CHANGED} BEGIN\n  "
    f"{_facts_move(_OLD_FACTS, _NEW_FACTS, 'new')}\nEND",
    f"CREATE TRIGGER {MONTH_TABLE}_facts_delete AFTER DELETE ON case_report_facts BEGIN\n  "
    f"{_facts_move(_OLD_FACTS, _NONE, 'old')}\nEND",
)

# PostgreSQL: one function moves a case from the cells of its old row ``o`` to those of its new row ``n``
# (either NULL), the days' only when ``days``: one statement per table, its cells taken in key order,
# so that two transactions moving cases between the same cells never wait for each other in a circle.
_MONTH = "to_char(((c).filed_at AT TIME ZONE 'UTC') + interval '{offset} minutes', '{format}')"
_PG_MOVE = f"""CREATE FUNCTION report_counts_move(o cases, o_responder text, o_responder_queue text,
  n cases, n_responder text, n_responder_queue text, days boolean) RETURNS void LANGUAGE sql AS $$
  INSERT INTO {MONTH_TABLE} AS t ({', '.join(MONTH_KEYS)}, cases)
  SELECT {_MONTH.format(offset=OFFSET_MINUTES, format='YYYY-MM')}, (c).kind, coalesce((c).channel, ''),
    coalesce((c).typification_path_codes, ''), coalesce((c).queue, ''), (c).requester_kind,
    (c).first_contact_resolution, (c).responded_at IS NOT NULL OR who IS NOT NULL, coalesce(who_queue, ''),
    sum(delta)
  FROM (VALUES (o, o_responder, o_responder_queue, -1), (n, n_responder, n_responder_queue, 1))
    AS v(c, who, who_queue, delta)
  WHERE (c).id IS NOT NULL AND (c).deleted_at IS NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT ({', '.join(MONTH_KEYS)}) DO UPDATE SET cases = t.cases + excluded.cases;
  INSERT INTO {DAY_TABLE} AS t ({', '.join(DAY_KEYS)}, cases)
  SELECT {_MONTH.format(offset=OFFSET_MINUTES, format='YYYY-MM-DD')}, (c).kind, coalesce((c).channel, ''),
    coalesce((c).queue, ''), sum(delta)
  FROM (VALUES (o, -1), (n, 1)) AS v(c, delta)
  WHERE days AND (c).id IS NOT NULL AND (c).deleted_at IS NULL
  GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT ({', '.join(DAY_KEYS)}) DO UPDATE SET cases = t.cases + excluded.cases;
$$"""
_PG_CASES = """CREATE FUNCTION report_counts_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE who text; who_queue text;
BEGIN
  SELECT responder, responder_queue INTO who, who_queue FROM case_report_facts
  WHERE case_id = CASE WHEN TG_OP = 'INSERT' THEN NEW.id ELSE OLD.id END;
  IF TG_OP = 'INSERT' THEN
    PERFORM report_counts_move(NULL, NULL, NULL, NEW, who, who_queue, true);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM report_counts_move(OLD, who, who_queue, NEW, who, who_queue, true);
  ELSE
    PERFORM report_counts_move(OLD, who, who_queue, NULL, NULL, NULL, true);
    RETURN OLD;
  END IF;
  RETURN NULL;
END $$"""
_PG_FACTS = """CREATE FUNCTION report_counts_facts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r cases;
BEGIN
  SELECT * INTO r FROM cases WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM report_counts_move(r, NULL, NULL, r, NEW.responder, NEW.responder_queue, false);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM report_counts_move(r, OLD.responder, OLD.responder_queue, r, NEW.responder, NEW.responder_queue,
                               false);
  ELSE
    PERFORM report_counts_move(r, OLD.responder, OLD.responder_queue, r, NULL, NULL, false);
  END IF;
  RETURN NULL;
END $$"""
_PG_CHANGED = " OR ".join(
    ["(OLD.responded_at IS NULL) <> (NEW.responded_at IS NULL)"]
    + [f"OLD.{k} IS DISTINCT FROM NEW.{k}" for k in _WATCHED if k != "responded_at"])
_PG_FACTS_CHANGED = ("(OLD.responder IS NULL) <> (NEW.responder IS NULL) OR "
                     "OLD.responder_queue IS DISTINCT FROM NEW.responder_queue")
POSTGRESQL_TRIGGERS = (
    _PG_MOVE, _PG_CASES, _PG_FACTS,
    f"CREATE TRIGGER {MONTH_TABLE}_case_insert AFTER INSERT ON cases "
    "FOR EACH ROW EXECUTE FUNCTION report_counts_case()",
    f"CREATE TRIGGER {MONTH_TABLE}_case_update AFTER UPDATE OF {', '.join(_WATCHED)} ON cases "
    f"FOR EACH ROW WHEN ({_PG_CHANGED}) EXECUTE FUNCTION report_counts_case()",
    f"CREATE TRIGGER {MONTH_TABLE}_case_delete BEFORE DELETE ON cases "
    "FOR EACH ROW EXECUTE FUNCTION report_counts_case()",
    f"CREATE TRIGGER {MONTH_TABLE}_facts_insert AFTER INSERT ON case_report_facts "
    "FOR EACH ROW EXECUTE FUNCTION report_counts_facts()",
    f"CREATE TRIGGER {MONTH_TABLE}_facts_update AFTER UPDATE OF {', '.join(_FACTS_WATCHED)} "
    f"ON case_report_facts FOR EACH ROW WHEN ({_PG_FACTS_CHANGED}) EXECUTE FUNCTION report_counts_facts()",
    f"CREATE TRIGGER {MONTH_TABLE}_facts_delete AFTER DELETE ON case_report_facts "
    "FOR EACH ROW EXECUTE FUNCTION report_counts_facts()",
)


def _fill(dialect: str) -> tuple[str, str]:
    """The counts of the cases stored, from them (for a store that had none)."""
    if dialect == "postgresql":
        local = f"(c.filed_at AT TIME ZONE 'UTC') + interval '{OFFSET_MINUTES} minutes'"
        month, day = f"to_char({local}, 'YYYY-MM')", f"to_char({local}, 'YYYY-MM-DD')"
    else:
        month = f"strftime('%Y-%m', c.filed_at, '{OFFSET_MINUTES:+d} minutes')"
        day = f"date(c.filed_at, '{OFFSET_MINUTES:+d} minutes')"
    return (
        f"INSERT INTO {MONTH_TABLE} ({', '.join(MONTH_KEYS)}, cases) SELECT {month}, c.kind, "
        "coalesce(c.channel, ''), coalesce(c.typification_path_codes, ''), coalesce(c.queue, ''), "
        "c.requester_kind, c.first_contact_resolution, "
        "c.responded_at IS NOT NULL OR f.responder IS NOT NULL, "
        "coalesce(f.responder_queue, ''), count(*) FROM cases c "
        "LEFT JOIN case_report_facts f ON f.case_id = c.id WHERE c.deleted_at IS NULL "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
        f"INSERT INTO {DAY_TABLE} ({', '.join(DAY_KEYS)}, cases) SELECT {day}, c.kind, "
        "coalesce(c.channel, ''), coalesce(c.queue, ''), count(*) FROM cases c WHERE c.deleted_at IS NULL "
        "GROUP BY 1, 2, 3, 4",
    )


TRIGGERS = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}
FILL = {"sqlite": _fill("sqlite"), "postgresql": _fill("postgresql")}


def attach(metadata: MetaData) -> None:
    """Create the triggers after every table (``metadata.create_all``)."""
    attach_statements(metadata, TRIGGERS, {"postgresql": (
        "DROP FUNCTION IF EXISTS report_counts_case, report_counts_facts, report_counts_move CASCADE",)})
