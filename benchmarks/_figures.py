"""Helpers the benchmarks share: one JSON line per figure, latency percentiles, peak RSS, the
machine, and the Markdown table printed at the end. Nothing here measures anything by itself."""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
from collections.abc import Sequence
from typing import Any


def peak_rss_mb() -> float:
    """The peak resident set size of this process so far, in MiB (``ru_maxrss`` is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def percentiles_ms(samples_ns: Sequence[int]) -> dict[str, float]:
    """p50/p95/p99 of per-operation durations given in nanoseconds, in milliseconds (nearest rank)."""
    if not samples_ns:
        return {}
    ordered = sorted(samples_ns)
    n = len(ordered)

    def rank(q: float) -> float:
        return round(ordered[min(n - 1, max(0, int(q * n + 0.5) - 1))] / 1e6, 3)

    return {"p50_ms": rank(0.50), "p95_ms": rank(0.95), "p99_ms": rank(0.99)}


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info
                          if line.startswith("model name")), "")
    except OSError:
        model = platform.processor()
    return {"nproc": os.cpu_count(), "cpu": model or platform.machine(),
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "system": f"{platform.system()} {platform.release()}"}


class Figures:
    """Collects figures, printing each as one JSON line when it is added."""

    def __init__(self, benchmark: str) -> None:
        self.benchmark = benchmark
        self.rows: list[dict[str, Any]] = []

    def add(self, figure: str, *, count: int | None = None, seconds: float | None = None,
            samples_ns: Sequence[int] = (), database: str | None = None, rss_mb: float | None = None,
            **extra: Any) -> dict[str, Any]:
        """One figure; ``rss_mb`` is the peak RSS to report when it is another process's (a child's),
        otherwise this process's peak so far."""
        row: dict[str, Any] = {"benchmark": self.benchmark, "figure": figure}
        if database is not None:
            row["database"] = database
        if count is not None:
            row["count"] = count
        if seconds is not None:
            row["seconds"] = round(seconds, 4)
            if count:
                row["per_second"] = round(count / seconds) if seconds > 0 else None
        row.update(percentiles_ms(samples_ns))
        row.update(extra)
        row["peak_rss_mb"] = rss_mb if rss_mb is not None else peak_rss_mb()
        print(json.dumps(row, ensure_ascii=False, default=str), flush=True)
        self.rows.append(row)
        return row

    def skipped(self, figure: str, database: str, reason: str) -> None:
        row = {"benchmark": self.benchmark, "figure": figure, "database": database, "skipped": reason}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        self.rows.append(row)

    def markdown(self) -> str:
        """The figures as a Markdown table (the JSON lines carry more detail)."""
        head = ("| figure | database | count | seconds | per second | p50 ms | p95 ms | p99 ms "
                "| peak RSS MiB |")
        lines = [head, "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
        for row in self.rows:
            if "skipped" in row:
                lines.append(f"| {row['figure']} | {row['database']} | skipped: {row['skipped']} "
                             "| | | | | | |")
                continue
            cells = [row["figure"], row.get("database", "memory")]
            cells += [_fmt(row.get(key)) for key in ("count", "seconds", "per_second", "p50_ms", "p95_ms",
                                                     "p99_ms", "peak_rss_mb")]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
        return "\n".join(lines)


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    return str(value)
