"""Benchmark: the årshjul picture for one municipality, against the progress query alone.

    python benchmarks/bench_wheel.py [--db URL] [--goals 2000] [--runs 40]

Builds a synthetic municipality (40 policy areas, ``--goals`` goals, as ``bench_planning.py``),
plans 2027 from the built-in ``helhedsplan`` template and marks 90 % of the tasks due before
14 June 2027 done. Then, ``--runs`` times each, in a fresh session: the **floor** — the shared
progress query alone (:func:`aarshjul.engine.progress.year_progress`) — the wheel's values
(:func:`wheel_data`), the SVG drawn from them (:func:`draw_wheel`), and values plus SVG together
(what a web page or ``aarshjul wheel`` does); PNG and PDF a few times. Prints p50 and p95 and the
ratio of the wheel to the floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from aarshjul.db import make_engine, session_scope, upgrade
from aarshjul.engine.demo_history import fill_history
from aarshjul.engine.progress import year_progress
from aarshjul.models import Organisation
from aarshjul.planning.plan import plan_cycle
from aarshjul.planning.template_files import load_builtin_template
from aarshjul.wheel.picture import draw_wheel
from aarshjul.wheel.wheel_export import render
from aarshjul.wheel.wheel_service import wheel_data

sys.path.insert(0, str(Path(__file__).parent))
from bench_planning import build_org

TODAY = date(2027, 6, 14)
NOW = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)


def setup(engine: Engine, goals: int) -> Organisation:
    with session_scope(engine) as session:
        org = build_org(session, 40, goals)
    template = load_builtin_template("helhedsplan")
    with session_scope(engine) as session:
        result = plan_cycle(session, organisation=org, template=template, year=2027, now=NOW)
    done = fill_history(engine, organisation_key=org.key, today=TODAY, now=NOW)
    print(f"planned {result.diff.added} tasks, {done} done before {TODAY}")
    return org


def measure(label: str, runs: int, work: Callable[[], object]) -> list[float]:
    work()  # warm up: imports, caches, the template
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
    print(f"{label:<34} p50 {p50 * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms   ({runs} runs)")
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--goals", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    engine = make_engine(args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    upgrade(engine)
    org = setup(engine, args.goals)
    print(f"database: {engine.url.get_backend_name()}, {args.goals} goals")

    def floor() -> object:
        with Session(engine) as session:
            return year_progress(session, organisation=org, year=2027, today=TODAY)

    def values() -> object:
        with Session(engine) as session:
            return wheel_data(session, organisation=org, year=2027, today=TODAY)

    data = wheel_data(Session(engine), organisation=org, year=2027, today=TODAY)
    base = measure("floor: progress query", args.runs, floor)
    measure("wheel values (wheel_data)", args.runs, values)
    measure("SVG from the values (draw_wheel)", args.runs, lambda: draw_wheel(data))
    wheel = measure("wheel: values + SVG", args.runs, lambda: draw_wheel(values()))  # type: ignore[arg-type]
    measure("PNG (values + SVG + CairoSVG)", 5, lambda: render(values(), "png"))  # type: ignore[arg-type]
    measure("PDF (values + SVG + CairoSVG)", 5, lambda: render(values(), "pdf"))  # type: ignore[arg-type]
    ratio = statistics.median(wheel) / statistics.median(base)
    print(f"wheel (values + SVG) / floor: {ratio:.1f} x (medians)")
    engine.dispose()


if __name__ == "__main__":
    main()
