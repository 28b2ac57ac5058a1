"""The sweep workload: N open cases in a real database, about 1 % of them due for an alarm.

How the store is filled (quickly, but with rows the application itself would have written):

1. the schema comes from the shipped migrations (``pqrs_adapters.sqlalchemy.migrate.upgrade``);
2. one case is filed through the use case (``Pqrs.handle(FileCase)``) on the SQL store, with the legal
   presets and two organisational policies installed; its snapshot row (``case_to_row``) and its
   stored events are the template;
3. every other case is a clone with its own id, filing number, requester document and reception
   minute (office hours four times likelier) over the 30 days before the sweep instant. Its deadline,
   alarms and ``TermStarted`` event come from ``case_terms.term_started`` for that reception (the code
   filing runs), computed once per distinct minute;
4. earlier sweeps are assumed to have run up to a cutoff chosen so that ``--due-share`` of the cases
   have an alarm between the cutoff and the sweep instant: alarms before the cutoff are already raised
   (with their ``TermAlarmRaised`` events, and the escalation to the next queue when the term ran
   out), so ``next_alarm_at`` is the first alarm still pending (NULL once all are raised);
5. rows go in with ``executemany`` in chunks, several chunks per transaction.

Then: the plan and latency of ``due_for_alarm`` (the indexed query the sweep repeats), the sweep
itself (``pqrs_core.services.sweep.sweep`` over ``sql_uow_factory`` with default settings) and the same
sweep again once nothing is due.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import sys
import time
import uuid
from bisect import bisect_right
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from _figures import Figures
from _terms_workload import AGENT, term_plugins
from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

from pqrs_adapters.sqlalchemy.case_rows import case_to_row
from pqrs_adapters.sqlalchemy.codec import store_converter
from pqrs_adapters.sqlalchemy.engine import begin_write, make_engine
from pqrs_adapters.sqlalchemy.migrate import upgrade
from pqrs_adapters.sqlalchemy.tables import case_events, cases, filing_sequences, outbox
from pqrs_adapters.sqlalchemy.unit_of_work import SqlUnitOfWork, sql_uow_factory
from pqrs_core.bootstrap import bootstrap
from pqrs_core.clock import FrozenClock
from pqrs_core.domain.case import Case
from pqrs_core.domain.case_terms import term_started
from pqrs_core.domain.commands import FileCase
from pqrs_core.domain.values import Requester
from pqrs_core.plugins import get_plugin_manager
from pqrs_core.serialization import event_to_plain
from pqrs_core.services.sweep import sweep

BOGOTA = ZoneInfo("America/Bogota")
SWEEP_AT = datetime(2026, 6, 17, 10, 0, tzinfo=BOGOTA).astimezone(UTC)  # a Wednesday, mid-morning
WINDOW = timedelta(days=30)
ESCALATION_REASON = "Venció el término sin respuesta"


# ----------------------------------------------------------------------------------- EXPLAIN
class Explain(Executable, ClauseElement):
    """``EXPLAIN`` (or ``EXPLAIN QUERY PLAN``) of a statement, bound and typed like the statement."""

    inherit_cache = False

    def __init__(self, statement: Any, prefix: str) -> None:
        self.statement = statement
        self.prefix = prefix


@compiles(Explain)
def _compile_explain(element: Explain, compiler: Any, **kw: Any) -> str:
    return f"{element.prefix} {compiler.process(element.statement, **kw)}"


def due_statement(now: datetime, limit: int) -> Any:
    """The statement of ``SqlCaseRepository.due_for_alarm`` (kept identical to it)."""
    return (select(cases.c.filing_number).where(cases.c.next_alarm_at <= now)
            .order_by(cases.c.next_alarm_at, cases.c.filing_number).limit(limit))


def explain(engine: Engine, now: datetime, limit: int, analyze: bool = False) -> list[str]:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.execute(Explain(due_statement(now, limit), "EXPLAIN QUERY PLAN"))
            return [str(r[-1]) for r in rows]
        prefix = "EXPLAIN (ANALYZE, BUFFERS)" if analyze else "EXPLAIN"
        return [str(r[0]) for r in conn.execute(Explain(due_statement(now, limit), prefix))]


# ----------------------------------------------------------------------------------- timed unit of work
class _Timed:
    """Times how long one unit of work from ``sql_uow_factory`` stays open (one sweep batch); the
    ``with`` target is the real ``SqlUnitOfWork``."""

    def __init__(self, uow: SqlUnitOfWork, durations: list[int]) -> None:
        self._uow = uow
        self._durations = durations
        self._began = 0

    def __enter__(self) -> SqlUnitOfWork:
        self._began = time.perf_counter_ns()
        return self._uow.__enter__()

    def __exit__(self, *exc: Any) -> None:
        try:
            self._uow.__exit__(*exc)
        finally:
            self._durations.append(time.perf_counter_ns() - self._began)


def timed_factory(engine: Engine, durations: list[int]) -> Any:
    make = sql_uow_factory(engine)
    return lambda: _Timed(make(), durations)


# ----------------------------------------------------------------------------------- the data
@attrs.frozen
class Schedule:
    """What filing computes for a reception at one minute: the ``TermStarted`` data and alarms."""

    received_at: datetime
    due: datetime
    alarms: tuple[tuple[float, datetime], ...]
    started: dict[str, Any]


def reception_minutes(rng: random.Random, count: int) -> tuple[list[datetime], list[int]]:
    """The minutes of the window and, for each clone, the index of its reception minute. Minutes of
    office hours (08:00–17:00 Monday–Friday, local) are four times likelier than the rest."""
    start = SWEEP_AT - WINDOW
    minutes = [start + timedelta(minutes=i) for i in range(int(WINDOW.total_seconds() // 60))]

    def weight(instant: datetime) -> int:
        local = instant.astimezone(BOGOTA)
        return 4 if local.weekday() < 5 and 8 <= local.hour < 17 else 1

    cumulative = list(accumulate(weight(m) for m in minutes))
    total = cumulative[-1]
    picks = [bisect_right(cumulative, rng.random() * total) for _ in range(count)]
    return minutes, picks


def cutoff_for(schedules: dict[int, Schedule], counts: Counter[int], wanted: int) -> datetime:
    """The instant up to which earlier sweeps raised alarms, so that about ``wanted`` cases have an
    alarm in ``(cutoff, SWEEP_AT]``."""
    def due(cutoff: datetime) -> int:
        return sum(counts[i] for i, s in schedules.items()
                   if any(cutoff < at <= SWEEP_AT for _f, at in s.alarms))

    lo, hi = SWEEP_AT - WINDOW - timedelta(days=60), SWEEP_AT
    for _ in range(40):
        mid = lo + (hi - lo) / 2
        if due(mid) > wanted:
            lo = mid
        else:
            hi = mid
    return hi


def load_store(figures: Figures, database: str, url: str, n: int, due_share: float, seed: int,
               chunk: int, chunks_per_transaction: int) -> dict[str, Any]:
    """Create the schema and fill it; returns what the measurements need."""
    rng = random.Random(seed)
    began = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    pm = get_plugin_manager(load_entry_points=False, extra=term_plugins())
    filing_clock = FrozenClock(SWEEP_AT - timedelta(hours=1))
    app = bootstrap(uow_factory=sql_uow_factory(engine), clock=filing_clock, plugin_manager=pm)
    filed: Case = app.handle(FileCase(
        kind="peticion", subject="Cobro doble en la factura de mayo",
        description="Me cobraron dos veces el servicio de mayo; adjunto el extracto del banco.",
        channel="email", priority="media",
        requester=Requester(full_name="Ana Pérez Gómez", document_type="CC", document_number="1020304050",
                            address="Calle 10 # 20-30, Bogotá", email="ana.perez@example.co")), AGENT)
    template = app.case(str(filed.filing_number))
    catalog = app.catalog()
    escalated_to = catalog.next_queue(template.queue).code if template.queue else None
    base_row = case_to_row(template)
    number = template.filing_number
    with engine.connect() as conn:
        base_row["priority_rank"] = conn.execute(
            select(cases.c.priority_rank).where(cases.c.id == template.id)).scalar_one()
        stored_events = conn.execute(select(case_events.c.type, case_events.c.actor, case_events.c.data)
                                     .where(case_events.c.case_id == template.id)
                                     .order_by(case_events.c.seq)).all()
    filed_data = next(dict(e.data) for e in stored_events if e.type == "CaseFiled")
    converter = store_converter()
    number_words = f"{number.prefix.lower()} {number.year} {number.sequence:06d}"
    assert base_row["search_text"].startswith(number_words), base_row["search_text"]
    search_tail = base_row["search_text"][len(number_words):].replace(
        template.requester.document_number or "", "{document}")

    # One TermStarted per distinct reception minute, through the code filing runs.
    minutes, picks = reception_minutes(rng, n - 1)
    counts = Counter(picks)
    schedules: dict[int, Schedule] = {}
    for i in counts:
        received = minutes[i]
        probe = attrs.evolve(template, received_at=received, resolution_due=None, term_policy=None,
                             term=None, alarms=())
        started = term_started(probe, catalog, AGENT.username, received, "Radicación")
        assert started is not None
        _name, data = event_to_plain(converter, started)
        schedules[i] = Schedule(received, started.resolution_due,
                                tuple((a.fraction, a.at) for a in started.alarms), data)
    wanted = round(n * due_share)
    cutoff = cutoff_for(schedules, counts, wanted)
    prepare = time.perf_counter() - began

    # The clones, chunk by chunk.
    began = time.perf_counter()
    year, prefix = number.year, number.prefix
    loaded = events_written = expected_due = expected_alarms = already_raised = 0
    seq = number.sequence
    rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    transaction_chunks = 0
    conn_ctx = begin_write(engine)
    conn = conn_ctx.__enter__()
    try:
        for pick in picks:
            s = schedules[pick]
            seq += 1
            case_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            filing = f"{prefix}-{year:04d}-{seq:06d}"
            document = str(rng.randrange(10**9, 10**10))
            raised = [(f, at) for f, at in s.alarms if at <= cutoff]
            pending = [at for f, at in s.alarms if at > cutoff]
            due_now = [at for at in pending if at <= SWEEP_AT]
            if due_now:
                expected_due += 1
                expected_alarms += len(due_now)
            already_raised += len(raised)
            row = dict(base_row)
            row.update(
                id=case_id, filing_number=filing, filing_seq=seq, received_at=s.received_at,
                filed_at=s.received_at, created_at=s.received_at, updated_at=s.received_at,
                requester_document_number=document, search_text=f"{prefix.lower()} {year} {seq:06d}"
                + search_tail.replace("{document}", document),
                due_at=s.due, alarms=[{"fraction": f, "at": at.isoformat()} for f, at in s.alarms],
                alarms_raised=[f for f, _at in raised], next_alarm_at=min(pending) if pending else None,
                version=1 + len(raised))
            requester = dict(filed_data["requester"], document_number=document)
            filed_event = dict(filed_data, filing_number=filing, received_at=s.received_at.isoformat(),
                               requester=requester)
            events = [
                ("CaseFiled", s.received_at, filed_event),
                ("TermStarted", s.received_at, s.started),
            ]
            for fraction, at in raised:
                events.append(("TermAlarmRaised", at, {"fraction": fraction, "due": s.due.isoformat()}))
                if fraction >= 1 and escalated_to:
                    events.append(("CaseEscalated", at, {"queue_before": row["queue"],
                                                         "queue_after": escalated_to,
                                                         "reason": ESCALATION_REASON}))
                    row.update(queue=escalated_to, assignee=None)
                row["updated_at"] = at
            for k, (kind, at, data) in enumerate(events, start=1):
                event_rows.append({"case_id": case_id, "seq": k, "type": kind,
                                   "actor": "system" if kind in ("TermAlarmRaised", "CaseEscalated")
                                   else AGENT.username, "occurred_at": at, "data": data})
            rows.append(row)
            if len(rows) >= chunk:
                conn.execute(insert(cases), rows)
                conn.execute(insert(case_events), event_rows)
                loaded += len(rows)
                events_written += len(event_rows)
                rows, event_rows = [], []
                transaction_chunks += 1
                if transaction_chunks >= chunks_per_transaction:
                    conn_ctx.__exit__(None, None, None)
                    conn_ctx = begin_write(engine)
                    conn = conn_ctx.__enter__()
                    transaction_chunks = 0
        if rows:
            conn.execute(insert(cases), rows)
            conn.execute(insert(case_events), event_rows)
            loaded += len(rows)
            events_written += len(event_rows)
        conn.execute(update(filing_sequences).where(filing_sequences.c.prefix == prefix,
                                                    filing_sequences.c.year == year).values(last_value=seq))
    except BaseException:
        conn_ctx.__exit__(*sys.exc_info())
        raise
    else:
        conn_ctx.__exit__(None, None, None)
    load_seconds = time.perf_counter() - began

    vacuumed = False
    if engine.dialect.name == "postgresql":
        # What autovacuum does after a bulk load anyway (statistics for the planner, the visibility
        # map); done here so that it does not run in the middle of the measurements.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM (ANALYZE) cases, case_events"))
        vacuumed = True
    with engine.connect() as c:
        total = c.execute(select(func.count()).select_from(cases)).scalar_one()
        due_rows = c.execute(select(func.count()).select_from(cases)
                             .where(cases.c.next_alarm_at <= SWEEP_AT)).scalar_one()
        with_alarm = c.execute(select(func.count()).select_from(cases)
                               .where(cases.c.next_alarm_at.is_not(None))).scalar_one()
    figures.add("load_cases", database=database, count=loaded, seconds=load_seconds,
                due_share_wanted=due_share, due_share_actual=round(due_rows / total, 4),
                event_rows=events_written, event_rows_per_second=round(events_written / load_seconds),
                cases_in_store=total, due_at_sweep=due_rows, with_pending_alarm=with_alarm,
                prepare_seconds=round(prepare, 2), distinct_reception_minutes=len(schedules),
                chunk=chunk, chunks_per_transaction=chunks_per_transaction, vacuum_analyzed=vacuumed,
                store_mb=store_size_mb(engine, url))
    return {"engine": engine, "app": app, "expected_due": expected_due, "expected_alarms": expected_alarms,
            "cutoff": cutoff, "sample": _sample_numbers(engine, escalated_to)}


def store_size_mb(engine: Engine, url: str) -> float | None:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            size = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
            return round(pages * size / 2**20, 1)
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        return round(size / 2**20, 1)


def _sample_numbers(engine: Engine, escalated_to: str | None) -> list[str]:
    """A few stored clones (one escalated, one due, one neither) for the replay check."""
    with engine.connect() as conn:
        picks = [
            conn.execute(select(cases.c.filing_number).where(cases.c.queue == escalated_to).limit(1)),
            conn.execute(select(cases.c.filing_number).where(cases.c.next_alarm_at <= SWEEP_AT).limit(1)),
            conn.execute(select(cases.c.filing_number).where(cases.c.next_alarm_at > SWEEP_AT).limit(1)),
        ]
        return [n for result in picks for n in result.scalars()]


def replays(app: Any, numbers: list[str]) -> bool:
    """Whether each sampled case's stored history replays to its stored snapshot."""
    for n in numbers:
        stored = app.case(n)
        replayed = Case.replay(app.history(n), app.catalog().workflow(stored.workflow))
        if attrs.evolve(replayed, version=stored.version) != stored:
            return False
    return True


# ----------------------------------------------------------------------------------- measurements
def bench_store(figures: Figures, database: str, url: str, *, n: int, due_share: float, calls: int,
                limit: int, seed: int, chunk: int, chunks_per_transaction: int, profile: bool) -> None:
    state = load_store(figures, database, url, n, due_share, seed, chunk, chunks_per_transaction)
    engine: Engine = state["engine"]
    try:
        replay_ok = replays(state["app"], state["sample"])

        plan = explain(engine, SWEEP_AT, limit)
        extra: dict[str, Any] = {}
        if engine.dialect.name == "postgresql":
            extra["plan_analyze"] = explain(engine, SWEEP_AT, limit, analyze=True)
        samples: list[int] = []
        with SqlUnitOfWork(engine, write=False) as uow:
            uow.cases.due_for_alarm(SWEEP_AT, limit)  # first call: statement compiled and cached
            for _ in range(calls):
                t0 = time.perf_counter_ns()
                found = uow.cases.due_for_alarm(SWEEP_AT, limit)
                samples.append(time.perf_counter_ns() - t0)
        with engine.connect() as conn:
            # Day terms all end at 23:59:59.999999 local time, so their 100 % alarms tie: the query
            # orders by (next_alarm_at, filing_number) and must sort a whole group of ties.
            tie = conn.execute(select(func.count()).select_from(cases)
                               .where(cases.c.next_alarm_at <= SWEEP_AT).group_by(cases.c.next_alarm_at)
                               .order_by(func.count().desc()).limit(1)).scalar_one_or_none()
        figures.add("due_for_alarm_query", database=database, count=calls, seconds=sum(samples) / 1e9,
                    samples_ns=samples, limit=limit, rows_returned=len(found), cases_in_store=n,
                    largest_tie_group=tie or 0,
                    plan=plan, replay_sample_ok=replay_ok, **extra)

        app = bootstrap(uow_factory=sql_uow_factory(engine), clock=FrozenClock(SWEEP_AT),
                        plugin_manager=get_plugin_manager(load_entry_points=False, extra=term_plugins()),
                        sync=False)
        with engine.connect() as conn:
            outbox_before = conn.execute(select(func.count()).select_from(outbox)).scalar_one()
        durations: list[int] = []
        profiler = cProfile.Profile() if profile else None
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        report = sweep(timed_factory(engine, durations), app.deps, now=SWEEP_AT)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - began
        with engine.connect() as conn:
            outbox_after = conn.execute(select(func.count()).select_from(outbox)).scalar_one()
            notifications = outbox_after - outbox_before
            still_due = conn.execute(select(func.count()).select_from(cases)
                                     .where(cases.c.next_alarm_at <= SWEEP_AT)).scalar_one()
        figures.add("sweep", database=database, count=report.cases, seconds=elapsed, samples_ns=durations,
                    cases_in_store=n, alarms=report.alarms, escalations=report.escalations,
                    conflicts=report.conflicts, notifications=notifications, batches=len(durations),
                    ms_per_case=round(elapsed * 1000 / report.cases, 3) if report.cases else None,
                    alarms_per_second=round(report.alarms / elapsed) if elapsed else None,
                    expected_cases=state["expected_due"], expected_alarms=state["expected_alarms"],
                    still_due_after=still_due, latency="per batch of up to 200 cases",
                    profiled=profile)
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
            print(out.getvalue(), file=sys.stderr)

        durations = []
        began = time.perf_counter()
        idle = sweep(timed_factory(engine, durations), app.deps, now=SWEEP_AT)
        figures.add("sweep_nothing_due", database=database, count=idle.cases,
                    seconds=time.perf_counter() - began, cases_in_store=n, batches=len(durations))
    finally:
        engine.dispose()
