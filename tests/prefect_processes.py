"""Real Prefect processes for the slow end-to-end tests: server, worker, the aarshjul script.

Every process gets its own session so it can be signalled alone, a log file instead of a pipe
(a full pipe would block it), and is always stopped by :func:`stop`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from aarshjul.supervisor import healthy
from tests.cli_helpers import console_script

NOISY = ("PREFECT_LOGGING_ROOT_LEVEL", "PREFECT_SERVER_LOGGING_LEVEL", "PREFECT_API_URL")


def base_env(home: Path, **extra: str) -> dict[str, str]:
    """This process's environment without Prefect overrides, plus a private PREFECT_HOME."""
    env = {k: v for k, v in os.environ.items() if k not in NOISY and not k.startswith("PYTEST")}
    return env | {"PREFECT_HOME": str(home), "DO_NOT_TRACK": "1",
                  "PREFECT_SERVER_ANALYTICS_ENABLED": "false"} | extra  # fmt: skip


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip


def prefect(*args: str) -> list[str]:
    return [sys.executable, "-m", "prefect", *args]


def aarshjul(*args: str) -> list[str]:
    return [console_script(), *args]


def wait_until(check: Any, timeout: float, what: str, step: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def wait_healthy(api: str, timeout: float = 90) -> None:
    wait_until(lambda: healthy(api), timeout, f"Prefect at {api}")


def stop(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
    """Signal the process group, then SIGKILL it if it lingers (workers need that sometimes)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=20)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def api_post(api: str, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"{api}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def flow_runs(api: str, flow_name: str) -> list[dict[str, Any]]:
    """Every flow run of the flow ``flow_name``."""
    body = {"flows": {"name": {"any_": [flow_name]}}, "limit": 200}
    return list(api_post(api, "/flow_runs/filter", body))
