"""What a store costs per case: every table and index in bytes per case (issue 19).

For each database (SQLite file, PostgreSQL database) a store of N historical cases is loaded as
``bench_scale.py`` loads it (``pqrs init`` then ``pqrs import`` of ``benchmarks/generate.py``'s cases;
``--keep-stores`` keeps it and reuses it), or ``--url`` names one already loaded (read only). Then:

- ``size_total``: the whole store (SQLite: the file's pages in use, and the file with its WAL;
  PostgreSQL: ``pg_database_size``) in bytes per case;
- ``size_object``: each table and each index (SQLite: ``dbstat``, FTS5's shadow tables counted under
  ``cases_fts``; PostgreSQL: the table's heap, its TOAST and each index, ``pg_relation_size`` and
  ``pg_total_relation_size``), largest first, down to 1 byte per case;
- ``size_column`` (``--columns``): the stored bytes of each column of ``cases`` and ``case_events``
  (SQLite ``length``, PostgreSQL ``pg_column_size``), and of ``case_events.data`` by event type.

One JSON line per figure, then a Markdown table.

    .venv/bin/python benchmarks/bench_size.py --cases 100000 --seed 11 --keep-stores --workdir /var/tmp/size
    .venv/bin/python benchmarks/bench_size.py --url sqlite:////var/tmp/size/bench-100000-11.sqlite3 --columns
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(HERE)]

from _figures import Figures, machine  # noqa: E402
from _postgres import DEFAULT_POSTGRES, bench_database, masked  # noqa: E402
from sqlalchemy import Connection, Engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from pqrs_adapters.sqlalchemy.engine import make_engine  # noqa: E402

# Objects under this many bytes per case are summed into one "other" line.
SMALL = 1.0


class Stored(NamedTuple):
    name: str  # the table or index
    table: str  # the table it belongs to
    kind: str  # "table", "toast", "index"
    size: int  # bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--databases", default="sqlite,postgres",
                        help="comma-separated: sqlite, postgres")
    parser.add_argument("--postgres-url", default=os.environ.get("PQRS_BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    parser.add_argument("--batch", type=int, default=5000, help="pqrs import --batch")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the cases file and the SQLite store go (default: a temporary directory)")
    parser.add_argument("--keep-stores", action="store_true",
                        help="keep the loaded stores (as bench_scale.py names them) and reuse them")
    parser.add_argument("--url", action="append", default=[],
                        help="measure this store as it is instead of loading one (repeatable)")
    parser.add_argument("--columns", action="store_true", help="also the bytes of each column")
    args = parser.parse_args()

    figures = Figures("size")
    print(json.dumps({"benchmark": "size", "machine": machine(), "load_average": os.getloadavg(),
                      "args": {k: str(v) for k, v in vars(args).items()}
                      | {"postgres_url": masked(args.postgres_url)}}, ensure_ascii=False), flush=True)
    if args.url:
        for url in args.url:
            engine = make_engine(url)
            try:
                measure(figures, engine, columns=args.columns)
            finally:
                engine.dispose()
    else:
        load_and_measure(figures, args)
    print()
    print(markdown(figures.rows))


def load_and_measure(figures: Figures, args: argparse.Namespace) -> None:
    from bench_scale import _workdir, generate, open_store  # its loading, kept in one place

    databases = {d.strip() for d in args.databases.split(",") if d.strip()}
    scale_args = argparse.Namespace(cases=args.cases, keep_stores=args.keep_stores, batch=args.batch)
    with _workdir(args.workdir) as work:
        cases_file = work / f"cases-{args.cases}-{args.seed}.jsonl"
        generate(figures, cases_file, args.cases, args.seed)
        if "sqlite" in databases:
            name = f"{args.cases}-{args.seed}" if args.keep_stores else uuid.uuid4().hex[:8]
            db = work / f"bench-{name}.sqlite3"
            try:
                url = f"sqlite:///{db}"
                with open_store(figures, "sqlite", url, cases_file, scale_args, work) as (_, engine):
                    measure(figures, engine, columns=args.columns)
            finally:
                for suffix in ("", "-wal", "-shm"):
                    if not args.keep_stores:
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
        if {"postgres", "postgresql"} & databases:
            kept = f"pqrs_bench_{args.cases}_{args.seed}" if args.keep_stores else None
            with bench_database(args.postgres_url, name=kept, keep=args.keep_stores) as pg_url:
                if pg_url is None:
                    figures.skipped("size_total", "postgresql", "unreachable")
                    return
                with open_store(figures, "postgresql", pg_url, cases_file, scale_args, work) as (_, engine):
                    measure(figures, engine, columns=args.columns)


# ------------------------------------------------------------------------------------- measuring
def measure(figures: Figures, engine: Engine, *, columns: bool) -> None:
    database = engine.dialect.name
    with engine.connect() as conn:
        count = int(conn.execute(text("SELECT count(*) FROM cases")).scalar_one())
        events = int(conn.execute(text("SELECT count(*) FROM case_events")).scalar_one())
        per = max(count, 1)
        objects = sqlite_objects(conn) if database == "sqlite" else postgresql_objects(conn)
        used = sum(o.size for o in objects)
        figures.add("size_total", database=database, count=count, events_per_case=round(events / per, 2),
                    bytes_per_case=round(used / per), mb=round(used / 2**20, 1),
                    file_bytes_per_case=round(_file_size(conn, engine) / per))
        small = 0
        for o in sorted(objects, key=lambda o: -o.size):
            if o.size / per < SMALL:
                small += o.size
                continue
            figures.add("size_object", database=database, object=o.name, table=o.table, kind=o.kind,
                        bytes_per_case=round(o.size / per, 1), share=round(o.size / max(used, 1), 3))
        figures.add("size_object", database=database, object="(every other, each < 1 B/case)", table="",
                    kind="", bytes_per_case=round(small / per, 1), share=round(small / max(used, 1), 3))
        by_table: dict[str, int] = {}
        for o in objects:
            by_table[o.table] = by_table.get(o.table, 0) + o.size
        for table, size in sorted(by_table.items(), key=lambda kv: -kv[1])[:8]:
            figures.add("size_table", database=database, table=table, bytes_per_case=round(size / per, 1),
                        note="table with its indexes (and TOAST, FTS5 shadow tables)")
        if columns:
            column_sizes(figures, conn, per)


def sqlite_objects(conn: Connection) -> list[Stored]:
    owner: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for name, table, kind in conn.exec_driver_sql(
            "SELECT name, tbl_name, type FROM sqlite_master WHERE type IN ('table', 'index')"):
        owner[name], kinds[name] = table, kind
    stored = []
    for name, size in conn.exec_driver_sql("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        table = owner.get(name, name)
        if table.startswith("cases_fts"):
            table = "cases_fts"
        stored.append(Stored(name, table, "index" if kinds.get(name) == "index" else "table", int(size)))
    return stored


def postgresql_objects(conn: Connection) -> list[Stored]:
    rows = conn.execute(text("""
        SELECT c.relname, c.relname, 'table', pg_relation_size(c.oid) + pg_relation_size(c.oid, 'fsm')
               + pg_relation_size(c.oid, 'vm')
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind = 'r'
        UNION ALL
        SELECT c.relname || ' (TOAST)', c.relname, 'toast', pg_total_relation_size(c.reltoastrelid)
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.reltoastrelid <> 0
        UNION ALL
        SELECT i.relname, t.relname, 'index', pg_total_relation_size(i.oid)
          FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = current_schema()
    """))
    return [Stored(name, table, kind, int(size)) for name, table, kind, size in rows]


def _file_size(conn: Connection, engine: Engine) -> int:
    if engine.dialect.name == "postgresql":
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    database = make_url(str(engine.url)).database or ""
    return sum(Path(f"{database}{s}").stat().st_size for s in ("", "-wal") if Path(f"{database}{s}").exists())


def column_sizes(figures: Figures, conn: Connection, per: int) -> None:
    database = conn.dialect.name
    size = "length(CAST({} AS BLOB))" if database == "sqlite" else "pg_column_size({})"
    for table in ("cases", "case_events"):
        names = [r[0] for r in conn.execute(text(
            f"SELECT name FROM pragma_table_info('{table}')" if database == "sqlite" else
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            f"AND table_name = '{table}'"))]
        sums = ", ".join(f"coalesce(sum({size.format(_quoted(n))}), 0)" for n in names)
        totals = conn.execute(text(f"SELECT {sums} FROM {table}")).one()
        for name, total in sorted(zip(names, totals, strict=True), key=lambda nt: -int(nt[1])):
            if int(total) / per >= SMALL:
                figures.add("size_column", database=database, table=table, column=name,
                            bytes_per_case=round(int(total) / per, 1))
    for kind, count, total in conn.execute(text(
            f"SELECT type, count(*), sum({size.format('data')}) FROM case_events GROUP BY type "
            "ORDER BY 3 DESC")):
        figures.add("size_event_data", database=database, type=kind, events_per_case=round(count / per, 2),
                    bytes_per_event=round(int(total) / count), bytes_per_case=round(int(total) / per, 1))


def markdown(rows: list[dict[str, object]]) -> str:
    """The sizes as a Markdown table: bytes per case of the store, then of each table, index, column."""
    lines = ["| database | figure | object | bytes per case | share |", "|---|---|---|--:|--:|"]
    for row in rows:
        if not str(row["figure"]).startswith("size_") or "skipped" in row:
            continue
        what = {"size_total": f"store ({row.get('count')} cases, {row.get('events_per_case')} events each; "
                              f"file {row.get('file_bytes_per_case')} B/case)",
                "size_object": f"{row.get('kind')} {row.get('object')}",
                "size_table": f"{row.get('table')} with its indexes",
                "size_column": f"{row.get('table')}.{row.get('column')}",
                "size_event_data": f"case_events.data of {row.get('type')} "
                                   f"({row.get('events_per_case')}/case)",
                }[str(row["figure"])]
        share = row.get("share")
        lines.append(f"| {row['database']} | {row['figure']} | {what} | {row['bytes_per_case']:,} "
                     f"| {'' if share is None else f'{float(str(share)):.1%}'} |")
    return "\n".join(lines)


def _quoted(name: str) -> str:
    return f'"{name}"'


if __name__ == "__main__":
    main()
