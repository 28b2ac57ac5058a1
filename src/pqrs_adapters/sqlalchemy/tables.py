"""The schema as SQLAlchemy Core tables (no ORM classes); ``migrations/`` creates the same schema.

``cases`` holds the current snapshot of every case (one column per attribute, JSON for nested
values), ``case_events`` its append-only history. Catalog tables keep each entry's ``source``: the
plugin that registered it, or ``"admin"``.

Free-text search needs a few objects that exist on one database only (an FTS5 table and its triggers
on SQLite, a generated ``tsvector`` column and its GIN index on PostgreSQL): ``search_schema`` holds
them and attaches them to ``cases`` here, so that ``metadata.create_all`` and the migrations build the
same schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

from . import (
    board_schema,
    event_count_schema,
    kb_search_schema,
    report_count_schema,
    search_schema,
    summary_schema,
    term_count_schema,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# The cases an inbox lists: not done, not deleted (the condition of the partial index
# ``ix_cases_open_deadline``, written the way the queries write it).
OPEN_CASES = "state_category <> 'done' AND deleted_at IS NULL"
# What the reports read of a case whose term runs (``ix_cases_running_term``): its filing instant first,
# then its values, its term's instants and its id (for its facts).
RUNNING_TERM_COLUMNS = ("filed_at", "kind", "channel", "typification_path_codes", "queue", "assignee",
                        "state_category", "due_at", "closed_at", "paused_left_unit", "notified_at",
                        "term_ended_at", "responded_at", "deleted_at", "id")
# The open cases' columns the timeliness report groups and filters by, in ``ix_cases_open_filed``.
OPEN_FILED_COLUMNS = ("filed_at", "state_category", "due_at", "paused_left_unit", "kind", "channel", "queue",
                      "typification_path_codes", "deleted_at")
NOT_DELETED = "deleted_at IS NULL"
# The cases with a corrective action (the partial index ``ix_cases_corrective_actions``).
WITH_ACTION = "corrective_action IS NOT NULL"
# ``ix_cases_resolved``: the instant a case entered a done state, what the causes report tests (category,
# voided) and what it groups by (migration 0044 holds the same list).
RESOLVED_COLUMNS = ("term_ended_at", "state_category", "deleted_at", "root_cause", "cause_area",
                    "typification_code")
# ``ix_cases_regulatory`` and ``ix_case_report_facts_regulatory``: what the regulatory report groups the
# cases filed in its range by (``report_queries``: the kind, the term's status, whether responded, done,
# transferred, access denied, the days to answer) and the join between them, so that it reads the two
# indexes alone (migration 0044 holds the same lists).
REGULATORY_COLUMNS = ("filed_at", "deleted_at", "kind", "state_category", "responded_at", "due_at",
                      "notified_at", "term_ended_at", "closed_at", "paused_left_unit", "id")
REGULATORY_FACTS = ("case_id", "transfers", "access_denied", "days_to_answer")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware in, timezone-aware UTC out, on every database (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the store only takes timezone-aware instants")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        return instant.astimezone(UTC)


# JSON on SQLite, JSONB on PostgreSQL (indexable, compact).
Json = JSON().with_variant(JSONB(), "postgresql")
# A JSON value that may be absent: ``None`` is stored as SQL NULL, not JSON ``null`` (``IS NULL`` finds it).
NullableJson = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

cases = Table(
    "cases", metadata,
    Column("id", String, primary_key=True),
    Column("filing_number", String, nullable=False, unique=True),
    Column("filing_prefix", String, nullable=False),
    Column("filing_year", Integer, nullable=False),
    Column("filing_seq", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("subject", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("workflow", String, nullable=False),
    Column("workflow_version", Integer, nullable=False, server_default="1"),
    Column("state", String, nullable=False),
    Column("state_category", String, nullable=False),
    Column("requester_kind", String, nullable=False),
    Column("requester_customer_id", String),
    Column("requester_branch", String),
    Column("requester_lead_id", String),
    Column("requester_full_name", String),
    Column("requester_document_type", String),
    Column("requester_document_number", String),
    Column("requester_address", String),
    Column("requester_email", String),
    Column("requester_phone", String),
    Column("requester_user", String),
    Column("received_at", UTCDateTime, nullable=False),
    Column("filed_at", UTCDateTime, nullable=False),
    Column("filed_by", String, nullable=False),
    Column("front_line_agent", String, nullable=True),
    Column("channel", String),
    Column("reason", String),
    Column("typification_code", String),
    Column("typification_version", Integer),
    # The path as it read when the case was classified: " › "-joined labels (for people and
    # reports), "|"-delimited codes (for filtering by any ancestor), and both lists exactly (JSON) only
    # when the joined columns cannot give them back (SQL NULL otherwise, migration 0041).
    Column("typification_path", Text),
    Column("typification_path_codes", Text),
    Column("typification_data", NullableJson),
    Column("priority", String),
    Column("priority_rank", Integer),
    Column("queue", String),
    Column("assignee", String),
    Column("non_crm_contact", Text),
    # A document filed first by another system: its name and number (unique per system).
    Column("external_source", String),
    Column("external_number", String),
    Column("references", Json, nullable=False),
    Column("solution", Text),
    Column("custom_fields", Json, nullable=False),
    Column("tags", Json),  # the case's tags in order (``case_tags`` indexes them); NULL: none
    # [{id, filename, content_type, size, sha256, storage_key, public}, ...]; "public" since migration
    # 0012, which marked every attachment stored before it public (they had all been shown).
    Column("attachments", Json, nullable=False),
    Column("missing_information", Json, nullable=False),
    Column("received_by", String),
    Column("verbal", Boolean, nullable=False),
    Column("first_contact_resolution", Boolean, nullable=False),
    Column("responded_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("due_at", UTCDateTime),  # Case.resolution_due: the deadline the sweep and listings use
    Column("term_policy", String),
    Column("term_data", Json),  # {"amount": n, "unit": "..."} of the resolution term
    Column("first_response_due", UTCDateTime),
    Column("first_responded_at", UTCDateTime),
    Column("pauses", Json, nullable=False),  # [{"start": iso, "end": iso | null}, ...]
    Column("extended_by", Integer, nullable=False),
    Column("alarms", Json, nullable=False),  # [{"fraction": f, "at": iso}, ...]
    Column("alarms_raised", Json, nullable=False),  # [fraction, ...]
    Column("next_alarm_at", UTCDateTime),  # Case.next_alarm_at: what the sweep reads
    Column("term_from", UTCDateTime),
    Column("term_ended_at", UTCDateTime),  # when the case entered a done state (migration 0012)
    Column("completion_due", UTCDateTime),
    Column("completion_extended", Boolean, nullable=False),
    # While the term is paused, what it had left (Case.paused_left, migration 0013): an amount of
    # ``paused_left_unit`` (``term_left.LeftUnit``). NULL while it runs, and for a case paused before
    # migration 0013 (the listings derive it then).
    Column("paused_left", BigInteger),
    Column("paused_left_unit", String),
    # The authorisation to process the requester's personal data (Ley 1581 de 2012 arts. 9, 17 b):
    # when, which notice (version and SHA-256 of its text) and through which channel. NULL: none given.
    Column("consent_given_at", UTCDateTime),
    Column("consent_notice_version", String),
    Column("consent_notice_digest", String),
    Column("consent_channel", String),
    Column("quality_reviewed_at", UTCDateTime),  # the last quality review of the current resolution
    Column("quality_score", Integer),
    # The root cause of the resolution and its corrective action (migration 0026).
    Column("root_cause", String),
    Column("cause_area", String),
    Column("corrective_action", Text),
    Column("action_owner", String),
    Column("action_due", Date),
    Column("action_done_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    # What free-text search looks at: ``searchable_text(case)`` folded and cut into words.
    Column("search_text", Text, nullable=False),
    # When an administrator deleted the case (migration 0002): hidden from every listing and page.
    Column("deleted_at", UTCDateTime),
    # The third party holding the case («con tercero», migration 0017): address, name, since, who
    # escalated it and whether its term stopped. NULL while none does.
    Column("third_party", NullableJson),
    # Requests to other areas (solicitudes internas, migration 0024): the list, and the areas that owe
    # an answer as ``|queue|queue|`` (NULL: none) for an area's pending requests.
    Column("internal_requests", NullableJson),
    Column("pending_request_queues", Text),
    # A response drafted and waiting for a second person's approval (Case.pending_response, migration
    # 0022): text, solution, close, who drafted it and when. NULL while none waits.
    Column("pending_response", NullableJson),
    # The invoice lines involved, each with its ERP snapshot (Case.items, migration 0027; ``case_items``
    # indexes them by lot and product). NULL: none.
    Column("items", NullableJson),
    # The proof of notification (Case.deliveries, migration 0035): every step of every communication
    # (NULL: none), when the current answer counts as notified, and the days its aviso is published.
    Column("deliveries", NullableJson),
    Column("notified_at", UTCDateTime),
    Column("notice_from", Date),
    Column("notice_until", Date),
    Index("ix_cases_notice_until", "notice_until"),
    Index("ix_cases_open_queue", "state_category", "queue", "priority_rank", "due_at"),
    Index("ix_cases_assignee", "assignee", "state_category"),
    Index("ix_cases_state_queue", "state", "queue"),
    Index("ix_cases_filed_at", "filed_at"),
    # The voided cases (few): the productivity report takes their events away from the counts
    # (migration 0043).
    Index("ix_cases_voided", "id", sqlite_where=text("deleted_at IS NOT NULL"),
          postgresql_where=text("deleted_at IS NOT NULL")),
    Index("ix_cases_regulatory", *REGULATORY_COLUMNS),
    # The cases resolved in a period (migration 0044): the causes report reads them from the index alone
    # when its reader sees every case (what ``where_clause`` then tests, and what it groups by).
    Index("ix_cases_resolved", *RESOLVED_COLUMNS),
    Index("ix_cases_external_source_external_number", "external_source", "external_number", unique=True),
    Index("ix_cases_filing_order", "filing_year", "filing_seq"),
    Index("ix_cases_filing_seq", "filing_seq"),  # a search by the number alone (migration 0018)
    Index("ix_cases_requester_document", "requester_document_number"),
    Index("ix_cases_kind", "kind"),
    Index("ix_cases_updated_at", "updated_at"),
    Index("ix_cases_filed_by", "filed_by"),
    Index("ix_cases_requester_user", "requester_user"),
    Index("ix_cases_next_alarm", "next_alarm_at"),
    Index("ix_cases_closed_review", "state_category", "quality_reviewed_at", "closed_at"),
    # The cases with a corrective action, open ones first by due date (migration 0046).
    Index("ix_cases_corrective_actions", "action_done_at", "action_due", "filing_year", "filing_seq",
          sqlite_where=text(WITH_ACTION), postgresql_where=text(WITH_ACTION)),
    # An inbox: the open cases of a queue, soonest deadline first (migration 0005). Partial, so that it
    # holds only the open cases; ``case_queries`` writes the "open" filter as this very condition.
    Index("ix_cases_open_deadline", "queue", "due_at", sqlite_where=text(OPEN_CASES),
          postgresql_where=text(OPEN_CASES)),
    # The cases whose term runs, by filing instant (migration 0045): the regulatory and timeliness reports
    # group them at their instant beside the counts kept of the others (``term_count_schema``), from
    # the index alone (migration 0052: every column those groupings read of the case).
    Index("ix_cases_running_term", *RUNNING_TERM_COLUMNS,
          sqlite_where=text(term_count_schema.RUNNING_TERM_CASES),
          postgresql_where=text(term_count_schema.RUNNING_TERM_CASES)),
    # The open cases by filing instant (migration 0054): the timeliness report counts those of its range
    # by age and time left (``reports.OPEN_GROUPINGS``) from the index alone, where it read the entries
    # of every case of the range in ``ix_cases_regulatory`` (88,514 of them closed, at 1,000,000 cases).
    Index("ix_cases_open_filed", *OPEN_FILED_COLUMNS, sqlite_where=text(OPEN_CASES),
          postgresql_where=text(OPEN_CASES)),
    # The paused cases of an inbox, least time left first (migration 0013), read beside the one above.
    Index("ix_cases_open_paused_left", "queue", "paused_left_unit", "paused_left",
          sqlite_where=text(OPEN_CASES), postgresql_where=text(OPEN_CASES)),
    # The open cases with no queue named (migration 0042): the API's default order (newest) over every
    # open case or one category, and the deadline order of every open case or one category (a board's
    # column), running cases by deadline and paused ones by what they have left.
    Index("ix_cases_open_newest", "filing_year", "filing_seq", "filing_number",
          sqlite_where=text(OPEN_CASES), postgresql_where=text(OPEN_CASES)),
    Index("ix_cases_open_category_newest", "state_category", "filing_year", "filing_seq", "filing_number",
          sqlite_where=text(OPEN_CASES), postgresql_where=text(OPEN_CASES)),
    Index("ix_cases_open_due", "due_at", sqlite_where=text(OPEN_CASES), postgresql_where=text(OPEN_CASES)),
    Index("ix_cases_open_category_due", "state_category", "due_at",
          sqlite_where=text(OPEN_CASES), postgresql_where=text(OPEN_CASES)),
    Index("ix_cases_open_paused", "paused_left_unit", "paused_left",
          sqlite_where=text(OPEN_CASES), postgresql_where=text(OPEN_CASES)),
    Index("ix_cases_open_category_paused", "state_category", "paused_left_unit", "paused_left",
          sqlite_where=text(OPEN_CASES), postgresql_where=text(OPEN_CASES)),
    # The cases of one category by the latest change (the board's resolved column, an inbox "actualizados"
    # of one category): without it SQLite took the category's cases from ix_cases_closed_review and
    # sorted them all (every resolved case). Not deleted only: PostgreSQL counts the board's columns
    # from it alone (an index-only scan instead of reading every row).
    Index("ix_cases_category_updated", "state_category", "updated_at", sqlite_where=text(NOT_DELETED),
          postgresql_where=text(NOT_DELETED)),
)

case_events = Table(
    "case_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type", String, nullable=False),
    Column("actor", String, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("case_id", "seq"),
    # The productivity report reads the events of a kind in a period (migration 0026).
    Index("ix_case_events_type_occurred_at", "type", "occurred_at"),
)

# The long texts events share, stored once (``event_codec``, migration 0041): an event holds the first 16
# hex digits of the text's SHA-256 in its place.
event_texts = Table(
    "event_texts", metadata,
    Column("digest", String(16), primary_key=True),
    Column("text", Text, nullable=False),
)

# What reports read of each case beside its snapshot, from its events (``report_facts``, migration 0025):
# kept by the repository in the same transaction as the events.
case_report_facts = Table(
    "case_report_facts", metadata,
    Column("case_id", String, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("extensions", Integer, nullable=False),  # term extensions (prórrogas)
    Column("transfers", Integer, nullable=False),  # transfers to the competent entity (traslados)
    Column("withdrawn", Boolean, nullable=False),  # the requester withdrew the petition (desistimiento)
    Column("incomplete", Boolean, nullable=False),  # the requester was asked to complete it
    Column("responder", String),  # who sent the last response
    Column("responder_queue", String),  # the queue the case was in then (its tier is the level)
    Column("access_denied", Boolean, nullable=False),  # the last response refused access to information
    # Business time to answer (``reports.AnswerTimes``), computed on the organisation's calendar when the
    # case's first response and response are recorded: hours to the first response and to the
    # response, business days from the local date of filing to that of the response.
    Column("first_response_hours", Float),
    Column("resolution_hours", Float),
    Column("days_to_answer", Integer),
    Index("ix_case_report_facts_regulatory", *REGULATORY_FACTS),
)

# The cases counted per local day and per local month of filing (UTC−5) by what the volume and
# who-resolved reports group and filter by, kept by triggers (``report_count_schema``, migration 0040).
# NULL is stored as ''. Each table of counts the reports read is stored in its key's order on SQLite
# (``WITHOUT ROWID``, migrations 0048 and 0050), and its primary key holds the count too on PostgreSQL
# (``INCLUDE``, migration 0049): a range of days or months is read in one pass of the key.
case_report_day_counts = Table(
    "case_report_day_counts", metadata,
    Column("day", String, primary_key=True),  # YYYY-MM-DD
    Column("kind", String, primary_key=True),
    Column("channel", String, primary_key=True),
    Column("queue", String, primary_key=True),
    Column("cases", Integer, nullable=False),
    PrimaryKeyConstraint(postgresql_include=["cases"]),
    sqlite_with_rowid=False,
)

case_report_month_counts = Table(
    "case_report_month_counts", metadata,
    Column("month", String, primary_key=True),  # YYYY-MM
    Column("kind", String, primary_key=True),
    Column("channel", String, primary_key=True),
    Column("typification_path_codes", String, primary_key=True),
    Column("queue", String, primary_key=True),
    Column("requester_kind", String, primary_key=True),
    Column("first_contact_resolution", Boolean, primary_key=True),
    Column("answered", Boolean, primary_key=True),  # a response instant or a responder
    Column("responder_queue", String, primary_key=True),
    Column("cases", Integer, nullable=False),
    PrimaryKeyConstraint(postgresql_include=["cases"]),
    sqlite_with_rowid=False,
)

# The cases counted per local day and per local month of filing (UTC−5) by what the regulatory and the
# timeliness reports group and filter by, an open term that runs by its deadline's day, kept by triggers
# (``term_count_schema``, migrations 0045 and 0053). NULL is stored as '' and no days to answer as -1.
case_term_day_counts = Table(
    "case_term_day_counts", metadata,
    Column("day", String, primary_key=True),  # YYYY-MM-DD
    Column("kind", String, primary_key=True),
    Column("channel", String, primary_key=True),
    Column("queue", String, primary_key=True),
    Column("responded", Boolean, primary_key=True),
    Column("term_status", String, primary_key=True),
    Column("done", Boolean, primary_key=True),
    Column("transferred", Boolean, primary_key=True),
    Column("access_denied", Boolean, primary_key=True),
    Column("days_to_answer", Integer, primary_key=True),
    Column("cases", Integer, nullable=False),
    PrimaryKeyConstraint(postgresql_include=["cases"]),
    sqlite_with_rowid=False,
)

case_term_month_counts = Table(
    "case_term_month_counts", metadata,
    Column("month", String, primary_key=True),  # YYYY-MM
    Column("kind", String, primary_key=True),
    Column("channel", String, primary_key=True),
    Column("typification_path_codes", String, primary_key=True),
    Column("queue", String, primary_key=True),
    Column("who", String, primary_key=True),  # who answered it, else its assignee
    Column("term_status", String, primary_key=True),
    Column("extended", Boolean, primary_key=True),
    Column("transferred", Boolean, primary_key=True),
    Column("incomplete", Boolean, primary_key=True),
    Column("withdrawn", Boolean, primary_key=True),
    Column("cases", Integer, nullable=False),
    PrimaryKeyConstraint(postgresql_include=["cases"]),
    sqlite_with_rowid=False,
)

# The answered cases counted per local month of filing (UTC−5), kind, channel, typification path, queue
# and their stored answer times (``term_count_schema``, migration 0045): what the timeliness report reads
# its percentiles from. No hours stored is -1.
case_answer_time_counts = Table(
    "case_answer_time_counts", metadata,
    Column("month", String, primary_key=True),  # YYYY-MM
    Column("kind", String, primary_key=True),
    Column("channel", String, primary_key=True),
    Column("typification_path_codes", String, primary_key=True),
    Column("queue", String, primary_key=True),
    Column("first_response_hours", Float, primary_key=True),
    Column("resolution_hours", Float, primary_key=True),
    Column("cases", Integer, nullable=False),
    PrimaryKeyConstraint(postgresql_include=["cases"]),
    sqlite_with_rowid=False,
)

# The events the productivity report counts, per day (UTC−5), kind and person, and those timed by a
# whole number of seconds per value as well, kept by triggers (``event_count_schema``, migration 0043).
case_event_day_counts = Table(
    "case_event_day_counts", metadata,
    Column("day", String, primary_key=True),  # YYYY-MM-DD
    Column("type", String, primary_key=True),
    Column("actor", String, primary_key=True),
    Column("events", Integer, nullable=False),
    PrimaryKeyConstraint(postgresql_include=["events"]),
    sqlite_with_rowid=False,
)

case_event_time_counts = Table(
    "case_event_time_counts", metadata,
    Column("day", String, primary_key=True),  # YYYY-MM-DD
    Column("type", String, primary_key=True),
    Column("actor", String, primary_key=True),
    Column("seconds", Integer, primary_key=True),  # handling_seconds
    Column("events", Integer, nullable=False),
    PrimaryKeyConstraint(postgresql_include=["events"]),
    sqlite_with_rowid=False,
)

filing_sequences = Table(
    "filing_sequences", metadata,
    Column("prefix", String, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

# Outgoing filing numbers (``pqrs_core.domain.outgoing``): the format of each kind's series, one
# counter per series (its format) and year, and every number handed out with its case.
outgoing_series = Table(
    "outgoing_series", metadata,
    Column("kind", String, primary_key=True),
    Column("format", String, nullable=False),
)

outgoing_sequences = Table(
    "outgoing_sequences", metadata,
    Column("series", String, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

outgoing_numbers = Table(
    "outgoing_numbers", metadata,
    Column("number", String, primary_key=True),
    Column("number_key", String, nullable=False, unique=True),  # casefolded: the lookup's key
    Column("series", String, nullable=False),
    Column("kind", String, nullable=False),
    # No foreign key: a case answered at filing gets its number before its row is written.
    Column("case_id", String, nullable=False, index=True),
    Column("filing_number", String, nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
)

catalog_entries = Table(
    "catalog_entries", metadata,
    Column("list_name", String, primary_key=True),
    Column("code", String, primary_key=True),
    Column("label", String, nullable=False),
    Column("description", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("source", String, nullable=False),
)

priorities = Table(
    "priorities", metadata,
    Column("code", String, primary_key=True),
    Column("label", String, nullable=False),
    Column("rank", Integer, nullable=False),
    Column("important", Boolean),
    Column("urgent", Boolean),
    Column("active", Boolean, nullable=False),
    Column("source", String, nullable=False),
)

queues = Table(
    "queues", metadata,
    Column("code", String, primary_key=True),
    Column("label", String, nullable=False),
    Column("tier", Integer, nullable=False),
    Column("description", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("source", String, nullable=False),
)

field_definitions = Table(
    "field_definitions", metadata,
    Column("code", String, primary_key=True),
    Column("position", Integer, nullable=False),  # registration order, kept on updates
    Column("definition", Json, nullable=False),
    Column("source", String, nullable=False),
)

typification_versions = Table(
    "typification_versions", metadata,
    Column("code", String, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("label", String, nullable=False),
    Column("parent", String),
    Column("description", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("position", Integer, nullable=False),
    Column("source", String, nullable=False),
    Column("changed_by", String, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
)

workflows = Table(
    "workflows", metadata,
    Column("code", String, primary_key=True),
    Column("definition", Json, nullable=False),
    Column("kinds", Json, nullable=False),
    Column("source", String, nullable=False),
)

# Every saved version of each workflow: a case moves by the version it was filed under.
workflow_versions = Table(
    "workflow_versions", metadata,
    Column("code", String, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("definition", Json, nullable=False),
    Column("source", String, nullable=False),
)

closures = Table(
    "closures", metadata,
    Column("day", Date, primary_key=True),  # an organisation closure day: no term runs on it
    Column("label", String, nullable=False),
)

# The organisation's own settings that are catalog data (edited in the administration, one row each),
# e.g. ``working_weekdays``: the weekdays it works, which replace the environment's default.
organisation_settings = Table(
    "organisation_settings", metadata,
    Column("key", String, primary_key=True),
    Column("value", Json, nullable=False),
)

# The official letters' template as administrators edit it (migration 0022): every version kept, the
# newest in use; ``restored`` marks a version that put the shipped template back.
letter_templates = Table(
    "letter_templates", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("html", Text, nullable=False),
    Column("css", Text, nullable=False),
    Column("restored", Boolean, nullable=False),
    Column("created_by", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

term_policies = Table(
    "term_policies", metadata,
    Column("code", String, primary_key=True),
    Column("definition", Json, nullable=False),  # the TermPolicy through the store's converter
    Column("active", Boolean, nullable=False),
    Column("source", String, nullable=False),
)

roles = Table(
    "roles", metadata,
    Column("code", String, primary_key=True),
    Column("label", String, nullable=False),
    Column("permissions", Json, nullable=False),  # sorted list of permission codes
    Column("scopes", Json, nullable=False),  # sorted list of visibility scopes
    Column("kinds", Json, nullable=False),  # list, in the role's order
    Column("typifications", Json, nullable=False),  # list, in the role's order
    Column("active", Boolean, nullable=False),
    Column("source", String, nullable=False),
)

# One row whose token changes in every transaction that changes the catalog: a process keeps the
# catalog it loaded as long as the token is the same (``catalog_store.CatalogCache``).
catalog_revision = Table(
    "catalog_revision", metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String, nullable=False),
)

catalog_changes = Table(
    "catalog_changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor", String, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("what", String, nullable=False),
    Column("data", Json, nullable=False),
)

users = Table(
    "users", metadata,
    Column("username", String, primary_key=True),
    Column("display_name", String, nullable=False),
    Column("email", String),
    Column("roles", Json, nullable=False),
    Column("password_hash", String),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("queues", Json, nullable=False),  # the queues the person works in (visibility)
    # Who brought the person into the network (genealogía): a person's network is everyone below them.
    Column("sponsor", String, ForeignKey("users.username", ondelete="SET NULL")),
    Column("job_title", String),  # cargo: printed under the person's signature on official letters
    Index("ix_users_sponsor", "sponsor"),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String, ForeignKey("users.username", ondelete="CASCADE"), nullable=False),
    Column("name", String, nullable=False),
    Column("token_hash", String, nullable=False, unique=True),  # sha256 hex of the token
    Column("prefix", String, nullable=False),  # the first characters, to tell tokens apart
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
    Index("ix_api_tokens_username", "username"),
)

# People's web sessions: the cookie holds a random token, this table its SHA-256, so that logging out, a
# password change or a deactivation ends a session on the server (``pqrs_adapters.accounts.sessions``).
user_sessions = Table(
    "user_sessions", metadata,
    Column("token_hash", String, primary_key=True),
    Column("username", String, ForeignKey("users.username", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Index("ix_user_sessions_username", "username"),
    Index("ix_user_sessions_last_seen_at", "last_seen_at"),
)

# A person's choices the application keeps for them across sessions and devices (the inbox view they
# last opened, ...): one row per person and key, a JSON value.
user_preferences = Table(
    "user_preferences", metadata,
    Column("username", String, ForeignKey("users.username", ondelete="CASCADE"), primary_key=True),
    Column("key", String, primary_key=True),
    Column("value", Json, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("key", String, primary_key=True),
    Column("username", String, primary_key=True),
    Column("request_hash", String, nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_body", Json, nullable=False),
    Column("location", String),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_idempotency_keys_created_at", "created_at"),
)

# Notifications waiting for delivery (``pqrs worker``): written in the transaction of the change that
# causes them, delivered at most once (the row's key is the message's identity).
outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String, nullable=False, unique=True),
    Column("template", String, nullable=False),
    Column("recipient", String, nullable=False),
    Column("case_id", String, nullable=False),
    Column("filing_number", String, nullable=False),
    Column("context", Json, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_until", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("message_id", String),
    Column("last_error", Text),
    Index("ix_outbox_due", "sent_at", "next_attempt_at"),
)

# The addresses mail is received at (``pqrs_adapters.mail.mailboxes``): settings an administrator edits,
# and the IMAP state the fetcher keeps (the folder's UIDVALIDITY and the last UID processed). The
# password is never here: ``credential`` is a reference (``env:PQRS_IMAP_NAME`` or ``file:/path``).
mailboxes = Table(
    "mailboxes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("address", String, nullable=False, unique=True),
    Column("imap_url", String),
    Column("username", String),
    Column("credential", String),
    Column("kind", String),
    Column("queue", String),
    Column("typification", String),
    Column("enabled", Boolean, nullable=False),
    Column("processed_folder", String),
    Column("processed_keyword", String),
    Column("uidvalidity", BigInteger),
    Column("last_uid", BigInteger),
    Column("last_fetch_at", UTCDateTime),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# In-app notifications: the outbox's notifications meant for the staff (``recipient`` as the outbox's,
# ``user:``, ``queue:`` or ``role:``), who read which, and the version of each case each person last saw
# (migration 0019).
staff_notifications = Table(
    "staff_notifications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String, nullable=False, unique=True),
    Column("recipient", String, nullable=False),
    Column("template", String, nullable=False),
    Column("case_id", String, nullable=False),
    Column("filing_number", String, nullable=False),
    Column("context", Json, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_staff_notifications_recipient_id", "recipient", "id"),
)

notification_reads = Table(
    "notification_reads", metadata,
    Column("username", String, primary_key=True),
    Column("notification_id", Integer, primary_key=True, autoincrement=False),
    Column("read_at", UTCDateTime, nullable=False),
)

case_views = Table(
    "case_views", metadata,
    Column("username", String, primary_key=True),
    Column("case_id", String, primary_key=True),
    Column("seen_version", Integer, nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
)

# Attempts counted per subject (e.g. a keyed hash of a client's IP address) and fixed time window, shared
# by every worker process on every host: the public pages' rate limits (``rate_limits.py``).
rate_limits = Table(
    "rate_limits", metadata,
    Column("bucket", String, primary_key=True),  # what is limited: "public_filing", "lookup_failure"
    Column("subject", String, primary_key=True),
    Column("window_start", UTCDateTime, primary_key=True),
    Column("hits", Integer, nullable=False),
    Index("ix_rate_limits_window_start", "window_start"),
)

# The last sign of life of each ``pqrs worker`` (host and process): ``/metrics`` reports how long ago
# each one last finished a turn of its loop, so that a stuck or stopped worker shows.
worker_heartbeats = Table(
    "worker_heartbeats", metadata,
    Column("worker", String, primary_key=True),  # host:pid
    Column("started_at", UTCDateTime, nullable=False),
    Column("beat_at", UTCDateTime, nullable=False),
)

# Attachment bytes when the file store is the database (``PQRS_FILE_STORE=database``), addressed by their
# SHA-256 like the local folder. A file is its row in ``stored_files`` and its content cut into
# ``stored_file_chunks`` of at most 1 MiB (``sqlalchemy.file_store``), written in one transaction: a file
# whose row exists is whole.
stored_files = Table(
    "stored_files", metadata,
    Column("key", String(64), primary_key=True),  # SHA-256 of the content, hexadecimal
    Column("size", BigInteger, nullable=False),
    Column("chunks", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

stored_file_chunks = Table(
    "stored_file_chunks", metadata,
    Column("key", String(64), ForeignKey("stored_files.key", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # 0, 1, ... in the order the bytes follow
    Column("content", LargeBinary, nullable=False),
)

# Every message the mail intake received (``pqrs_adapters.mail.intake``), whatever became of it: the intake
# log staff read, and what makes receiving idempotent (``message_key``: the Message-ID, or the SHA-256 of
# the raw bytes of a message without one).
mail_intake = Table(
    "mail_intake", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_key", String, nullable=False, unique=True),
    Column("message_id", String),
    Column("received_at", UTCDateTime, nullable=False),  # arrival at our server
    Column("mailbox", String),
    Column("source", String),
    Column("from_address", String),
    Column("subject", String),
    Column("outcome", String, nullable=False),  # filed, threaded, ignored, bounced, refused
    Column("reason", Text, nullable=False),
    Column("filing_number", String),
    Column("raw_sha256", String, nullable=False),
    Column("raw_key", String),  # the raw message in the file store: every message is kept
    Index("ix_mail_intake_received_at", "received_at"),
    Index("ix_mail_intake_outcome_received_at", "outcome", "received_at"),
)

# The mail thread of a case: the per-case reply address's token (``local+TOKEN@domain``), the Message-ID
# the requester's first mail had (outgoing mail names it in References) and the requester address that
# bounced, if one did.
case_mail_threads = Table(
    "case_mail_threads", metadata,
    Column("filing_number", String, primary_key=True),
    Column("reply_token", String, nullable=False, unique=True),
    Column("mailbox", String),
    Column("first_message_id", String),
    Column("failing_address", String),
    Column("failing_since", UTCDateTime),
    Column("failing_reason", Text),
)

# Canned answers (respuestas tipo) and macros: text with variables rendered in a sandbox, tied to
# typification nodes and case kinds, shared (``owner`` NULL) or personal, with how often each was used
# (migration 0021). ``macro`` holds what applying it also changes (priority, typification, queue,
# transition), NULL for a plain answer.
canned_answers = Table(
    "canned_answers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String, nullable=False),
    Column("body", Text, nullable=False),
    Column("typifications", Json, nullable=False),
    Column("kinds", Json, nullable=False),
    Column("owner", String),
    Column("active", Boolean, nullable=False),
    Column("macro", NullableJson),
    Column("usage_count", Integer, nullable=False, server_default=text("0")),
    Column("created_by", String),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_canned_answers_owner", "owner"),
)

# The knowledge base (migration 0021): articles in Markdown (``search_text``: their folded words, searched
# like cases, ``kb_search_schema``), every edit kept in ``kb_article_versions``, the «¿Resolvió su duda?»
# answers counted per article and day in ``kb_deflections``, and the articles linked to cases.
kb_articles = Table(
    "kb_articles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String, nullable=False, unique=True),
    Column("title", String, nullable=False),
    Column("summary", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("typifications", Json, nullable=False),
    Column("public", Boolean, nullable=False),
    Column("published", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("search_text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String),
)

kb_article_versions = Table(
    "kb_article_versions", metadata,
    Column("article_id", Integer, ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("title", String, nullable=False),
    Column("summary", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("typifications", Json, nullable=False),
    Column("public", Boolean, nullable=False),
    Column("edited_at", UTCDateTime, nullable=False),
    Column("edited_by", String),
)

kb_deflections = Table(
    "kb_deflections", metadata,
    Column("article_id", Integer, ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),  # in the organisation's time zone
    Column("resolved", Integer, nullable=False),
    Column("not_resolved", Integer, nullable=False),
)

kb_case_links = Table(
    "kb_case_links", metadata,
    Column("filing_number", String, primary_key=True),
    Column("article_id", Integer, ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True),
    Column("linked_by", String, nullable=False),
    Column("linked_at", UTCDateTime, nullable=False),
)

# The e-mail templates edited in the administration (migration 0021): every save is a row (a version);
# a template's current text is its newest row, unless that row is a reset to the packaged default.
mail_template_versions = Table(
    "mail_template_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String, nullable=False),  # a notification template: "response", "acknowledgement"...
    Column("subject", Text),
    Column("text_source", Text),
    Column("html_source", Text),
    Column("reset", Boolean, nullable=False),
    Column("edited_by", String),
    Column("edited_at", UTCDateTime, nullable=False),
    Index("ix_mail_template_versions_name_id", "name", "id"),
)

# Assignment (migration 0024). How each queue hands out its cases (``pqrs_core.domain.assignment``):
# its strategy, per-person cap, and who received its last case by turns (the round-robin pointer, locked
# with the row while a case is assigned so that concurrent filings take turns one after the other).
queue_assignment = Table(
    "queue_assignment", metadata,
    Column("queue", String, primary_key=True),
    Column("strategy", String, nullable=False),
    Column("cap", Integer),
    Column("last_assignee", String),
)

# What a person is good at and how much they take: typification nodes, kinds, languages (JSON lists),
# their own working weekdays (NULL: the organisation's) and cap (NULL: none).
agent_profiles = Table(
    "agent_profiles", metadata,
    Column("username", String, ForeignKey("users.username", ondelete="CASCADE"), primary_key=True),
    Column("typifications", Json, nullable=False),
    Column("kinds", Json, nullable=False),
    Column("languages", Json, nullable=False),
    Column("working_weekdays", NullableJson),
    Column("cap", Integer),
)

# When a person is away (both days included): nobody assigns them cases then.
agent_absences = Table(
    "agent_absences", metadata,
    Column("id", String, primary_key=True),
    Column("username", String, ForeignKey("users.username", ondelete="CASCADE"), nullable=False),
    Column("starts", Date, nullable=False),
    Column("ends", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("created_by", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_agent_absences_user", "username", "ends"),
)

# Routing rules (``pqrs_core.domain.rules``): each rule's state (its current version, place in the
# order, whether it is on) and every version of its definition, kept when it is edited, so that the
# history of a case can name the version that fired.
rules = Table(
    "rules", metadata,
    Column("code", String, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", Text, nullable=False),
    Column("source", String, nullable=False),
)

rule_versions = Table(
    "rule_versions", metadata,
    Column("code", String, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("definition", Json, nullable=False),
    Column("changed_by", String, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
)

# What each typification node sets for its cases (``routing_defaults``): queue, priority, term policy,
# assignment strategy, fields required before closing.
typification_defaults = Table(
    "typification_defaults", metadata,
    Column("code", String, primary_key=True),
    Column("defaults", Json, nullable=False),
)

# Every version of the retention-table rule (``retention``) of ``kind:<code>`` or ``typification:<code>``;
# a NULL definition removes the scope's rule from that version on.
retention_versions = Table(
    "retention_versions", metadata,
    Column("scope", String, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("definition", NullableJson, nullable=True),
    Column("changed_by", String, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
)

# Who receives escalations and when (``escalation``), for a queue (``queue:<code>``) or a term policy
# (``term:<code>``).
escalation_policies = Table(
    "escalation_policies", metadata,
    Column("scope", String, primary_key=True),
    Column("definition", Json, nullable=False),
)

# The tags of each case, one row per tag, by its folded key (``tags.tag_key``): filtering by a tag
# reads the index, not every case's snapshot.
case_tags = Table(
    "case_tags", metadata,
    Column("case_id", String, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_key", String, primary_key=True),
    Column("tag", String, nullable=False),
    Index("ix_case_tags_tag_key_case_id", "tag_key", "case_id"),
)

# The items involved in each case (``Case.items``), one row per item, by the folded keys of its lot,
# product and invoice (``items.item_key``): every case of a lot or a product reads an index (migration 0027).
case_items = Table(
    "case_items", metadata,
    Column("case_id", String, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", String, primary_key=True),
    Column("invoice_key", String, nullable=False),
    Column("product_key", String, nullable=False),
    Column("lot_key", String),
    Index("ix_case_items_lot_key_case_id", "lot_key", "case_id"),
    Index("ix_case_items_product_key_case_id", "product_key", "case_id"),
    Index("ix_case_items_invoice_key_case_id", "invoice_key", "case_id"),
)

# The custom field values of each case (``pqrs_core.field_search``), one row per value (per option of
# a multiple choice): filtering on a field reads an index, not every case's snapshot. Written with the
# case's events, in the same transaction.
case_field_values = Table(
    "case_field_values", metadata,
    Column("case_id", String, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("field", String, primary_key=True),
    Column("text_value", String, primary_key=True),  # folded, at most 200 characters
    Column("number_value", Float),
    Column("date_value", Date),
    Index("ix_case_field_values_text", "text_value", "field", "case_id"),
    Index("ix_case_field_values_number", "field", "number_value"),
    Index("ix_case_field_values_date", "field", "date_value"),
)

# The satisfaction survey sent with a response (``pqrs_adapters.surveys``): one answer per case, with who
# sent the response it judges and when (the case's area, kind and typification are read from ``cases``).
satisfaction_answers = Table(
    "satisfaction_answers", metadata,
    Column("case_id", String, primary_key=True),
    Column("answered_at", UTCDateTime, nullable=False),
    Column("score", Integer, nullable=False),  # 1 (muy insatisfecho) to 5 (muy satisfecho)
    Column("nps", Integer),  # 0 to 10 when the organisation asks it (PQRS_SURVEY_NPS)
    Column("comment", Text, nullable=False),
    Column("responder", String),
    Column("responded_at", UTCDateTime),
    Index("ix_satisfaction_answers_answered_at", "answered_at"),
)

# Webhooks (``pqrs_adapters.webhooks``, migration 0031): the subscriptions an administrator registers
# (``event_types`` NULL: every event), and one delivery per committed event and matching active
# subscription, written in the transaction of the event; ``body`` is the exact JSON that is signed and
# sent on every attempt. ``next_attempt_at`` NULL: nothing more to do (delivered or given up).
webhook_subscriptions = Table(
    "webhook_subscriptions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String, nullable=False),
    Column("description", String, nullable=False),
    Column("event_types", NullableJson),
    Column("secret", String, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("disabled_at", UTCDateTime),
    Column("disabled_reason", Text),
)

webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscription_id", Integer, ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
           nullable=False),
    Column("message_id", String, nullable=False, unique=True),
    Column("event_type", String, nullable=False),
    Column("case_id", String, nullable=False),
    Column("filing_number", String, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),  # every attempt, resends included
    Column("round_attempts", Integer, nullable=False),  # attempts since queued (or resent)
    Column("next_attempt_at", UTCDateTime),
    Column("claimed_until", UTCDateTime),
    Column("last_attempt_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    Column("given_up_at", UTCDateTime),
    Column("last_status", Integer),
    Column("last_response", Text),
    Column("last_error", Text),
    Index("ix_webhook_deliveries_next_attempt_at", "next_attempt_at"),
    Index("ix_webhook_deliveries_subscription_id_id", "subscription_id", "id"),
)

# Voiding requests and records (migration 0036): ``target_kind`` ``case`` or ``outgoing_number``,
# ``target`` its filing number; ``number`` (``AN-2026-000001``) once approved. At most one pending
# request per target (the partial unique index).
voidings = Table(
    "voidings", metadata,
    Column("id", String, primary_key=True),
    Column("target_kind", String, nullable=False),
    Column("target", String, nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_by", String, nullable=False),
    Column("requester_roles", Json, nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("status", String, nullable=False),
    Column("decided_by", String),
    Column("decided_at", UTCDateTime),
    Column("note", Text, nullable=False),
    Column("number", String, unique=True),
    Index("ix_voidings_status_requested_at", "status", "requested_at"),
    Index("ix_voidings_target", "target_kind", "target"),
    Index("uq_voidings_pending_target", "target_kind", "target", unique=True,
          sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
)

# Who the requester is (migration 0038): optional answers kept apart from the case's data, with the proof
# of the consent given for them (Ley 1581 de 2012 arts. 5-6: sensitive data; art. 17 b: proof).
requester_characterisation = Table(
    "requester_characterisation", metadata,
    Column("case_id", String, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    *(Column(name, String(32)) for name in ("age_range", "sex", "gender_identity", "ethnic_group",
                                            "disability", "area", "stratum")),
    Column("consented_at", UTCDateTime, nullable=False),
    Column("purpose_version", String(32), nullable=False),
    Column("purpose_digest", String(64), nullable=False),
    Column("channel", String(64), nullable=False),
)

# The signed letters, by verification code (a read model of the ``LetterSigned`` events, written with
# them): what the public page ``/verificar/<code>`` shows and checks an uploaded copy against.
signed_documents = Table(
    "signed_documents", metadata,
    Column("code", String(32), primary_key=True),
    Column("case_id", String, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("filing_numbers", Json, nullable=False),  # the numbers the letter carries, as printed
    Column("filename", String, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("signer", String, nullable=False),
    Column("signer_role", String, nullable=False, default=""),
    Column("signed_at", UTCDateTime, nullable=False),
    Column("attachment_id", String, nullable=False),
)

# Every table, children before parents (the order to empty them in).
ALL_TABLES = (requester_characterisation, voidings, webhook_deliveries, webhook_subscriptions,
              signed_documents, case_field_values, case_items, satisfaction_answers, agent_absences,
              agent_profiles, queue_assignment, case_tags,
              rules, rule_versions, typification_defaults, escalation_policies, retention_versions,
              mail_template_versions, kb_case_links, kb_deflections, kb_article_versions, kb_articles,
              canned_answers, staff_notifications, notification_reads, case_views,
              outbox, mailboxes, case_report_facts, outgoing_numbers, case_events, event_texts, cases,
              case_report_day_counts, case_report_month_counts, case_term_day_counts, case_term_month_counts,
              case_answer_time_counts, case_event_day_counts, case_event_time_counts,
              filing_sequences,
              outgoing_sequences, outgoing_series, catalog_entries,
              priorities, queues,
              field_definitions, typification_versions, workflow_versions, workflows, roles, term_policies,
              closures,
              organisation_settings, letter_templates, mail_intake, case_mail_threads,
              catalog_changes, catalog_revision,
              idempotency_keys, api_tokens, user_sessions, user_preferences, users, rate_limits,
              worker_heartbeats,
              stored_file_chunks, stored_files)

search_schema.attach(cases)
kb_search_schema.attach(kb_articles)
summary_schema.attach(metadata)
board_schema.attach(metadata)
report_count_schema.attach(metadata)
term_count_schema.attach(metadata)
event_count_schema.attach(metadata)

