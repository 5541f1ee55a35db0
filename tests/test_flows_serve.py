"""``aarshjul serve`` on one machine: it starts a real local Prefect server (the temporary one
never schedules), a scheduled tick really fires, Ctrl-C stops everything, and a restart does not
duplicate scheduled runs."""

from __future__ import annotations

import signal
import subprocess
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session

from aarshjul.db import make_engine
from aarshjul.supervisor import healthy
from tests.engine_scenario import build
from tests.prefect_processes import aarshjul, base_env, flow_runs, spawn, stop, wait_until
from tests.smtp import free_port

pytestmark = pytest.mark.slow


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return spawn(aarshjul("serve"), env, log)


def test_serve_fires_a_scheduled_tick_and_restarts_cleanly(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        build(session)
    engine.dispose()
    port, web = free_port(), free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = base_env(
        tmp_path / "unused-home", AARSHJUL_DATA_DIR=str(tmp_path / "data"),
        AARSHJUL_DATABASE_URL=sqlite_url, AARSHJUL_PREFECT_PORT=str(port),
        AARSHJUL_WEB_PORT=str(web),
        AARSHJUL_TICK_CRON="* * * * *",  # every minute, so a scheduled run comes soon
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="5", PREFECT_RUNNER_POLL_FREQUENCY="2",
    )  # fmt: skip
    env.pop("PREFECT_HOME")  # serve puts it under the data folder
    log = tmp_path / "serve.log"
    serve = _start(env, log)
    try:
        wait_until(lambda: healthy(api), 120, "the local Prefect server")
        done = wait_until(lambda: _completed(api), 150, "a scheduled tick to complete", step=2)
        assert done[0]["auto_scheduled"] is True
        assert _web_status(web) == 200  # serve runs the web app too
        stop(serve, signal.SIGINT)
        assert serve.returncode == 0, log.read_text()[-3000:]
        assert not healthy(api), "the Prefect server outlived aarshjul serve"
        assert (tmp_path / "data" / "prefect" / "prefect.db").exists()
        serve = _start(env, log)
        wait_until(lambda: healthy(api), 120, "the restarted Prefect server")
        wait_until(lambda: _scheduled(api), 60, "scheduled runs after the restart")
        starts = Counter(r["expected_start_time"] for r in flow_runs(api, "aarshjul-tick"))
        assert max(starts.values()) == 1, "a restart duplicated scheduled runs"
        # Soon after a restart: a Ctrl-C Python loses in a finalizer leaves serve running until
        # stop() kills it after 20 s; either way the server must not outlive it.
        stop(serve, signal.SIGINT)
        wait_until(lambda: not healthy(api), 30, "the Prefect server to stop with serve")
    finally:
        stop(serve, signal.SIGINT)
    assert "Prefect UI: http://127.0.0.1:" in log.read_text()
    assert f"Web: http://127.0.0.1:{web}" in log.read_text()


def _web_status(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        return int(response.status)


def _completed(api: str) -> list[dict[str, object]]:
    runs = flow_runs(api, "aarshjul-tick") if healthy(api) else []
    return [r for r in runs if r["state_type"] == "COMPLETED"]


def _scheduled(api: str) -> list[dict[str, object]]:
    return [r for r in flow_runs(api, "aarshjul-tick") if r["state_type"] == "SCHEDULED"]
