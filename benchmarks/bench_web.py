"""Web benchmark: "my tasks" and the calendar feed against a plain ``GET /healthz`` floor.

Builds (once, with the reminder benchmark's bulk builders) a synthetic national database — by
default 98 municipalities with 1,000,000 tasks and 50,000 people, so one municipality holds about
10,000 tasks and 510 people — starts ``aarshjul web`` in its own process (uvicorn, one worker)
for municipality ``k001`` as on Wednesday 16 June 2027, signs in the person of that municipality
with the most tasks, and measures requests per second and p50/p95 latency for:

* ``GET /healthz`` — the floor: routing, one ``SELECT 1``, a plain-text answer;
* ``GET /tasks`` — the whole "my tasks" page: session and roles, the task query, rendering;
* ``GET /calendar/<token>.ics`` — the same person's calendar feed as Outlook fetches it (no
  session: the token, their open tasks, the iCalendar body and its ETag).

Requests go one at a time over a keep-alive connection (latency) and from four client threads
at once (throughput). The ratios page / floor and feed / floor are what to watch.

    python benchmarks/bench_web.py --db sqlite:////tmp/aarshjul_web_bench.db
    python benchmarks/bench_web.py --db postgresql+psycopg://postgres@127.0.0.1/aarshjul_web_bench
    python benchmarks/bench_web.py --tasks 100000 --requests 300      # a quick check
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))
from bench_reminders import DAY, _ensure_database

from aarshjul.access.sessions import start_session
from aarshjul.clock import Clock
from aarshjul.config import Settings
from aarshjul.db import make_engine, session_scope
from aarshjul.feeds.feed_tokens import feed_token
from aarshjul.models import Organisation, Person, Task
from aarshjul.web.context import SESSION_COOKIE

ORG = "k001"
#: A fixed Fernet key for the benchmark's feed tokens (not a secret: a synthetic database).
SECRET_KEY = "YWFyc2hqdWwtYmVuY2htYXJrLWtleS0wMDAwMDAwMDA="


def main() -> None:
    args = _args()
    engine = make_engine(args.db)
    try:
        _ensure_database(engine, args.tasks)
        person_id, tasks = _busiest(engine)
        token = _session(engine, person_id)
        feed = f"/calendar/{_feed_token(engine, person_id)}.ics"
    finally:
        engine.dispose()
    print(f"person {person_id} of {ORG}: {tasks} tasks in 2027")
    port = 8765
    server = _serve(args.db, port)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base)
        cookies = {SESSION_COOKIE: token}
        page = httpx.get(f"{base}/tasks", cookies=cookies, timeout=30)
        assert page.status_code == 200 and "Mine opgaver" in page.text, page.status_code
        print(f"'my tasks': {page.text.count('<article')} task cards, {len(page.content):,} bytes")
        ics = httpx.get(f"{base}{feed}", timeout=30)
        assert ics.status_code == 200, ics.status_code
        print(f"feed: {ics.text.count('BEGIN:VEVENT')} events, {len(ics.content):,} bytes")
        results = {
            path: _measure(base, path, cookies, args.requests)
            for path in ("/healthz", "/tasks", feed)
        }
        results = {"/healthz": results["/healthz"], "/tasks": results["/tasks"],
                   "feed": results[feed]}  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)
    _report(results)


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:////tmp/aarshjul_web_bench.db")
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=1000, help="per path and mode")
    return parser.parse_args()


def _busiest(engine: Any) -> tuple[int, int]:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(Task.owner_id, sa.func.count())
            .join(Person, Person.id == Task.owner_id)
            .where(Person.organisation_id == 1, Person.active.is_(True))
            .group_by(Task.owner_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).one()
    return int(row[0]), int(row[1])


def _session(engine: Any, person_id: int) -> str:
    now = Clock(fixed_today=DAY).now()
    with session_scope(engine) as s:
        person = s.get_one(Person, person_id)
        return start_session(s, person=person, method="bench", client="bench", now=now, hours=24)


def _feed_token(engine: Any, person_id: int) -> str:
    settings = Settings(secret_key=SECRET_KEY)  # type: ignore[arg-type]
    now = Clock(fixed_today=DAY).now()
    with session_scope(engine) as s:
        person = s.get_one(Person, person_id)
        org = s.get_one(Organisation, person.organisation_id)
        return feed_token(s, organisation=org, email=person.email, settings=settings, now=now)


def _serve(db: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AARSHJUL_ORGANISATION": ORG, "AARSHJUL_TODAY": DAY.isoformat(),
           "AARSHJUL_DATA_DIR": "/tmp/aarshjul_web_bench_data",
           "AARSHJUL_SECRET_KEY": SECRET_KEY}  # fmt: skip
    command = [sys.executable, "-m", "aarshjul", "--db", db, "web", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the web app did not start")


def _measure(base: str, path: str, cookies: dict[str, str], n: int) -> dict[str, float]:
    with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
        for _ in range(min(50, n)):
            client.get(path)  # warm up
        latencies = []
        started = time.perf_counter()
        for _ in range(n):
            t0 = time.perf_counter()
            assert client.get(path).status_code == 200
            latencies.append(time.perf_counter() - t0)
        serial = n / (time.perf_counter() - started)

    def worker(count: int) -> None:
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as c:
            for _ in range(count):
                assert c.get(path).status_code == 200

    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(worker, [n // 4] * 4))
    parallel = (n // 4 * 4) / (time.perf_counter() - started)
    cuts = statistics.quantiles(latencies, n=20)
    return {"rps": serial, "rps4": parallel, "p50": statistics.median(latencies), "p95": cuts[18]}


def _report(results: dict[str, dict[str, float]]) -> None:
    floor = results["/healthz"]
    print(f"{'':10} {'req/s (1)':>10} {'req/s (4)':>10} {'p50':>9} {'p95':>9}")
    for path, r in results.items():
        print(
            f"{path:10} {r['rps']:10.0f} {r['rps4']:10.0f} {r['p50'] * 1000:7.1f}ms {r['p95'] * 1000:7.1f}ms"
        )
    for name, key in (("'my tasks'", "/tasks"), ("feed", "feed")):
        r = results[key]
        print(f"ratio {name} / floor: p50 {r['p50'] / floor['p50']:.1f}x, "
              f"throughput {floor['rps4'] / r['rps4']:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
