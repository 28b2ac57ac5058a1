"""Where an imported case's CPU time goes: build, prepare, pickle, unpickle, write (W5's split).

Runs the steps of ``pqrs import`` one after another in this process over the lines of FILE, into the
(already initialised, empty) store of ``PQRS_DATABASE_URL``, and prints one JSON line: microseconds of
CPU (``process_time``) per case for each step, and the write's wall time. On PostgreSQL the server's
own CPU is not counted.

    pqrs init && .venv/bin/python benchmarks/bench_import_steps.py c5k.jsonl [--batch 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pqrs_adapters.config import Config  # noqa: E402
from pqrs_adapters.sqlalchemy.engine import make_engine  # noqa: E402
from pqrs_adapters.sqlalchemy.importing import SqlImportSink  # noqa: E402
from pqrs_adapters.wiring import build_pqrs  # noqa: E402
from pqrs_core.services.importing import CaseImporter, FilingPlan, given_filing_numbers  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    engine = make_engine(os.environ["PQRS_DATABASE_URL"])
    pqrs = build_pqrs(Config.from_env(dict(os.environ)), engine=engine, sync=False)
    sink = SqlImportSink(engine)
    plan = FilingPlan(pqrs.deps.settings.filing_prefix, sink.sequences())
    with args.file.open("rb") as file:
        for number in given_filing_numbers(file):
            plan.reserve(number)
    importer = CaseImporter(pqrs.catalog(), numbers=plan, local_year=pqrs.deps.local_year,
                            new_id=pqrs.deps.new_id, now=pqrs.deps.clock.now(),
                            timezone=pqrs.deps.settings.timezone)
    lines = [line for line in args.file.read_bytes().splitlines() if line.strip()]
    cpu = time.process_time
    began = cpu()
    built = [importer.case_from_line(i, line) for i, line in enumerate(lines, start=1)]
    after_build = cpu()
    prepared = [sink.prepare(b.line, b.case, b.number_given) for b in built]
    after_prepare = cpu()
    sent = pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL)
    after_pickle = cpu()
    prepared = pickle.loads(sent)
    after_unpickle = cpu()
    wall = time.perf_counter()
    try:
        for i in range(0, len(prepared), args.batch):
            sink.write(prepared[i:i + args.batch])
    finally:
        sink.close()
    wall = time.perf_counter() - wall
    after_write = cpu()
    count = len(lines)

    def per_case(seconds: float) -> float:
        return round(seconds / count * 1e6, 1)

    print(json.dumps({
        "figure": "import_steps", "database": engine.dialect.name, "cases": count,
        "build_us": per_case(after_build - began), "prepare_us": per_case(after_prepare - after_build),
        "pickle_us": per_case(after_pickle - after_prepare),
        "unpickle_us": per_case(after_unpickle - after_pickle),
        "bytes_per_case": round(len(sent) / count), "write_cpu_us": per_case(after_write - after_unpickle),
        "write_wall_us": per_case(wall), "load_average": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
