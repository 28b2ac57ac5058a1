"""Trimming the quoted history of a reply (``quoting.new_text``'s first step, ``_cut_quoted``): lines per
second on long messages whose text is followed by a long history of «>» quoted lines, the worst case of
a scan that looked at every remaining line again for each line. The time should grow with the number of
lines, not with its square.

Prints one JSON line per size, then a Markdown table. Nothing is asserted.

    .venv/bin/python benchmarks/bench_quoting.py
    .venv/bin/python benchmarks/bench_quoting.py --lines 1000 10000 50000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(Path(__file__).resolve().parent)]

from _figures import Figures  # noqa: E402

from pqrs_adapters.mail.intake.quoting import _cut_quoted  # noqa: E402


def message(lines: int) -> str:
    """Half written text, half a quoted history with blank lines among the quoted ones."""
    written = ["Buenos días, adjunto la factura que me pidieron."] * (lines // 2)
    quoted = [">" + " línea citada de un correo anterior" if n % 5 else "" for n in range(lines - lines // 2)]
    return "\n".join(written + quoted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    args = parser.parse_args()
    figures = Figures("quoting_cut")
    for lines in args.lines:
        text = message(lines)
        began = time.perf_counter()
        cut = _cut_quoted(text)
        elapsed = time.perf_counter() - began
        figures.add(f"{lines} lines", count=lines, seconds=elapsed, kept_lines=cut.count("\n") + 1)
    print(figures.markdown())


if __name__ == "__main__":
    main()
