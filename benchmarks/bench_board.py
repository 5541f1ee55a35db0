"""Benchmark: the board's dashboard and its wheel for one municipality of the national database,
against the floor of the progress query alone.

    python benchmarks/bench_board.py --db sqlite:////tmp/aarshjul_web_bench.db
    python benchmarks/bench_board.py --tasks 100000 --runs 20 --requests 100   # a quick check

Builds (once, with the reminder benchmark's builder, as ``bench_web.py`` does) the synthetic
national database — by default 98 municipalities, 1,000,000 tasks — and, for municipality
``k001`` as on Wednesday 16 June 2027 (about 10,000 tasks of its own), times in-process, in a
fresh session each run:

* the **floor**: :func:`~aarshjul.engine.progress.year_progress` alone;
* the board report (:func:`~aarshjul.engine.board_report.board_report`);
* the wheel: its values and the interactive SVG (what ``/board`` inlines);
* the whole page's service (:func:`~aarshjul.web.board_view.board_view`: report, tables, wheel);

then starts ``aarshjul web`` in its own process, signs in a direktion member and measures
``GET /board``, ``GET /board/panels`` (the polled fragment) and ``GET /healthz`` one request at
a time. Prints p50/p95 and the ratios to the floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_reminders import DAY, _ensure_database
from bench_web import ORG, _serve, _session, _wait

from aarshjul.access.permissions import viewer_for
from aarshjul.db import make_engine, session_scope
from aarshjul.engine.board_report import board_report
from aarshjul.engine.progress import year_progress
from aarshjul.models import Organisation, Person
from aarshjul.models.queries import get_organisation
from aarshjul.web.board_view import board_view
from aarshjul.web.context import SESSION_COOKIE
from aarshjul.wheel.picture import WheelOptions, draw_wheel
from aarshjul.wheel.wheel_service import wheel_data

DIREKTION = 1  # the first person of k001 holds the direktion role (bench_reminders' builder)


def main() -> None:
    args = _args()
    engine = make_engine(args.db)
    try:
        _ensure_database(engine, args.tasks)
        results = _in_process(engine, args.runs)
        token = _session(engine, DIREKTION)
    finally:
        engine.dispose()
    _report(results)
    results |= _over_http(args.db, token, args.requests)
    _report(results)


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:////tmp/aarshjul_web_bench.db")
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40, help="in-process runs per measurement")
    parser.add_argument("--requests", type=int, default=200, help="HTTP requests per path")
    return parser.parse_args()


def _in_process(engine: Any, runs: int) -> dict[str, list[float]]:
    def timed(work: Callable[[Any, Organisation], object]) -> list[float]:
        def once() -> float:
            with session_scope(engine) as session:
                org = get_organisation(session, ORG)
                start = time.perf_counter()
                work(session, org)
                return time.perf_counter() - start

        once()  # warm: imports, templates, the meeting plan
        return [once() for _ in range(runs)]

    def wheel(session: Any, org: Organisation) -> str:
        data = wheel_data(session, organisation=org, year=DAY.year, today=DAY)
        return draw_wheel(data, WheelOptions(prefix="board", interactive=True))

    def page(session: Any, org: Organisation) -> object:
        viewer = viewer_for(session, session.get_one(Person, DIREKTION))
        return board_view(session, organisation=org, viewer=viewer, today=DAY, locale="da")

    with session_scope(engine) as session:
        report = board_report(session, organisation=get_organisation(session, ORG), today=DAY)
        print(f"{ORG}: {report.totals['total']:,} tasks, {len(report.overdue)} overdue, "
              f"{len(report.phases)} phase rows")  # fmt: skip
    return {
        "floor: year_progress": timed(
            lambda s, o: year_progress(s, organisation=o, year=DAY.year, today=DAY)
        ),
        "board_report": timed(lambda s, o: board_report(s, organisation=o, today=DAY)),
        "wheel values + SVG": timed(wheel),
        "board_view (page service)": timed(page),
    }


def _over_http(db: str, token: str, n: int) -> dict[str, list[float]]:
    port = 8766
    server = _serve(db, port)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base)
        with httpx.Client(base_url=base, cookies={SESSION_COOKIE: token}, timeout=60) as client:
            page = client.get("/board")
            assert page.status_code == 200 and 'id="board-panels"' in page.text, page.status_code
            print(f"/board: {len(page.content):,} bytes, {page.text.count('<tr')} table rows")
            return {f"GET {path}": _requests(client, path, n)
                    for path in ("/healthz", "/board/panels", "/board")}  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)


def _requests(client: httpx.Client, path: str, n: int) -> list[float]:
    for _ in range(min(10, n)):
        client.get(path)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        assert client.get(path).status_code == 200, path
        times.append(time.perf_counter() - start)
    return times


def _report(results: dict[str, list[float]]) -> None:
    def p50(xs: list[float]) -> float:
        return statistics.median(xs)

    def p95(xs: list[float]) -> float:
        return statistics.quantiles(xs, n=20)[18]

    floor = p50(results["floor: year_progress"])
    print(f"{'':32} {'p50':>9} {'p95':>9} {'÷ floor':>8}")
    for name, xs in results.items():
        print(f"{name:32} {p50(xs) * 1000:7.1f}ms {p95(xs) * 1000:7.1f}ms "
              f"{p50(xs) / floor:7.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
