"""Benchmark: the planning report and the budget remarks of a municipality with 14 policy areas
and 100 goals, in DOCX, PDF and HTML, against the data query alone.

    python benchmarks/bench_reports.py [--db URL] [--runs 5]

Builds the sample municipality as it stands in May 2027 (``tests/report_scenario.py``: the
shipped organisation, the sample StatBank figures, status reports on 2026 for 50 goals, two
addenda, two sections written). Then ``--runs`` times each, in a fresh session: the **floor** —
the report's data query alone (:func:`planning_report_data`, ten queries) — the document model
with its three charts drawn as PNG (Word) and as SVG (HTML, PDF), and the whole build of each
file as the CLI and the web app make it (data, document, rendering). Prints medians with the
range, the ratio to the floor, the file sizes and the process's peak memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from aarshjul.db import make_engine, upgrade
from aarshjul.reports import build_budget_remarks, build_planning_report
from aarshjul.reports.planning_data import planning_report_data
from aarshjul.reports.planning_document import ChartMode, planning_document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.report_scenario import TODAY, YEAR, build_report_world


def measure(
    label: str, runs: int, work: Callable[[], object], *, width: int = 44, decimals: int = 0
) -> float:
    """Median seconds of ``runs`` calls after one warm-up; prints it in ms with the range."""
    work()  # warm up: imports, fonts, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    p50 = statistics.median(times)
    lo, hi, d = min(times) * 1000, max(times) * 1000, decimals
    print(f"{label:<{width}} {p50 * 1000:8.{d}f} ms  ({lo:.{d}f}-{hi:.{d}f})")
    return p50


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    engine = make_engine(args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        org = build_report_world(session).org
    backend = engine.url.get_backend_name()
    print(f"database: {backend}; 14 policy areas, 100 goals; median of {args.runs} runs (range)")

    def data() -> object:
        with Session(engine) as session:
            return planning_report_data(session, organisation=org, year=YEAR, today=TODAY)

    def build(kind: str, fmt: str) -> bytes:
        builder = build_planning_report if kind == "planning" else build_budget_remarks
        year = YEAR if kind == "planning" else YEAR + 1
        with Session(engine) as session:
            return builder(session, organisation=org, year=year, today=TODAY, fmt=fmt).content

    loaded = data()
    floor = measure("floor: the report's data query", args.runs * 4, data)
    measure("document model, charts as PNG", args.runs,
            lambda: planning_document(loaded, charts=ChartMode.png))  # type: ignore[arg-type]  # fmt: skip
    measure("document model, charts as SVG", args.runs,
            lambda: planning_document(loaded, charts=ChartMode.svg))  # type: ignore[arg-type]  # fmt: skip
    sizes = {}
    results = {}
    for kind, fmt in (("planning", "docx"), ("planning", "pdf"), ("planning", "html"),
                      ("budget-remarks", "docx"), ("budget-remarks", "pdf")):  # fmt: skip
        sizes[(kind, fmt)] = len(build(kind, fmt))
        results[(kind, fmt)] = measure(f"{kind} {fmt.upper()} (data + document + file)",
                                       args.runs, lambda k=kind, f=fmt: build(k, f))  # fmt: skip
    print()
    print("| document | format | build | ratio to the floor | size |")
    print("|---|---|---|---|---|")
    for (kind, fmt), seconds in results.items():
        print(f"| {kind} | {fmt.upper()} | {seconds:.2f} s | {seconds / floor:.0f} x | "
              f"{sizes[(kind, fmt)] / 1024:.0f} kB |")  # fmt: skip
    print(
        f"floor: {floor * 1000:.0f} ms; peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
