"""``aarshjul serve``: a real local Prefect server plus a runner serving the three deployments.

Prefect's temporary (ephemeral) server creates deployments but never runs its scheduler, so
nothing scheduled would ever run. Unless ``PREFECT_API_URL`` points at a server already, this
module starts ``prefect server start`` on 127.0.0.1 with its SQLite database under
``<data dir>/prefect`` (analytics off, logs in ``<data dir>/prefect/server.log``), waits until it
answers, restarts it if it dies, and stops it after the runner has shut down. A server left
running on the port by an earlier, killed ``aarshjul serve`` is reused rather than fought; on
Linux the server is also told to stop when the process that started it dies, so a killed
``aarshjul serve`` leaves no server behind.

Importing this module does not import Prefect: the environment (``PREFECT_HOME``,
``PREFECT_API_URL``, telemetry off) must be set before Prefect reads its settings.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from aarshjul.config import Settings
from aarshjul.errors import ConfigError

#: Environment for every Prefect process aarshjul starts: no analytics, no client telemetry.
QUIET_ENV = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def prefect_home(settings: Settings) -> Path:
    """Where the embedded Prefect keeps its database and logs: ``<data dir>/prefect``."""
    return settings.data_dir / "prefect"


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    """True when a Prefect API answers ``GET /health`` at ``api_url``."""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def wait_healthy(api_url: str, timeout: float, process: subprocess.Popen[bytes] | None) -> None:
    """Wait until the API answers; fail early if the server process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(api_url):
            return
        if process is not None and process.poll() is not None:
            raise ConfigError(f"the Prefect server exited with code {process.returncode}")
        time.sleep(0.5)
    raise ConfigError(f"the Prefect server did not answer at {api_url} within {timeout:.0f} s")


@dataclass
class LocalPrefect:
    """A ``prefect server start`` subprocess on 127.0.0.1, supervised by a thread."""

    home: Path
    port: int
    startup_timeout: float = 120.0
    process: subprocess.Popen[bytes] | None = None
    owned: bool = False
    restarts: int = 0
    _stopping: threading.Event = field(default_factory=threading.Event)
    _log: IO[bytes] | None = None

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.ui_url}/api"

    @property
    def log_path(self) -> Path:
        return self.home / "server.log"

    def env(self) -> dict[str, str]:
        """The environment of the server and of everything that talks to it."""
        return {"PREFECT_HOME": str(self.home), "PREFECT_API_URL": self.api_url, **QUIET_ENV}

    def start(self) -> None:
        """Start the server (or adopt one already answering on the port) and wait for it."""
        self.home.mkdir(parents=True, exist_ok=True)
        if healthy(self.api_url):
            return
        self._spawn()
        wait_healthy(self.api_url, self.startup_timeout, self.process)
        threading.Thread(target=self._supervise, name="prefect-server", daemon=True).start()

    def _spawn(self) -> None:
        self._log = self.log_path.open("ab")
        command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                   "--port", str(self.port), "--analytics-off"]  # fmt: skip
        env = {**os.environ, **self.env()}
        env.pop("PREFECT_API_URL")  # the server itself needs no client URL
        # Its own session: Ctrl-C stops the runner first, then we stop the server it needs.
        self.process = subprocess.Popen(
            command, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=dies_with_parent(),
        )  # fmt: skip
        self.owned = True

    def _supervise(self) -> None:
        while not self._stopping.wait(2.0):
            if self.process is not None and self.process.poll() is not None:
                self.restarts += 1
                print(f"Prefect server exited ({self.process.returncode}); restarting", flush=True)
                self._spawn()
                try:
                    wait_healthy(self.api_url, self.startup_timeout, self.process)
                except ConfigError as exc:
                    print(f"Prefect server restart failed: {exc}", flush=True)

    def stop(self) -> None:
        """Stop the server if this object started it (SIGTERM, then SIGKILL after 20 s)."""
        self._stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._log is not None:
            self._log.close()


_PR_SET_PDEATHSIG = 1


def dies_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook: the child gets SIGTERM when the thread that started it ends (Linux).

    So a server started by ``aarshjul serve`` stops even when serve is killed (``kill -9``, OOM),
    instead of running on as an orphan. None elsewhere, where the next serve reuses such a server.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:  # runs in the child between fork and exec: nothing but system calls
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the call took effect
            os._exit(1)

    return hook


def use_prefect(settings: Settings) -> LocalPrefect | None:
    """Point this process at a Prefect server; start a local one unless one is configured.

    Sets ``PREFECT_API_URL``/``PREFECT_HOME`` and the telemetry switches in ``os.environ``
    (before Prefect is imported). Returns the local server, or None when ``PREFECT_API_URL``
    was set already.
    """
    os.environ.update(QUIET_ENV)
    if os.environ.get("PREFECT_API_URL"):
        return None
    server = LocalPrefect(prefect_home(settings), settings.prefect_port)
    os.environ.update(server.env())
    server.start()
    return server


def serve_forever(organisation: str, timezone: str, *, limit: int = 4) -> None:
    """Serve the three deployments until Ctrl-C or SIGTERM (schedules stay active after)."""
    from prefect import serve

    from aarshjul.flows.deployments import build

    serve(
        *build(organisation=organisation, timezone=timezone),
        pause_on_shutdown=False,
        limit=limit,
        print_starting_message=True,
    )


def write_state(settings: Settings, server: LocalPrefect | None, api_url: str) -> Path:
    """Record where the served Prefect answers, so ``aarshjul tick`` can run through it."""
    path = prefect_home(settings) / "serve.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = {"api_url": api_url, "pid": os.getpid(), "owned": bool(server)}
    path.write_text(json.dumps(state), encoding="utf-8")
    return path


def served_api_url(settings: Settings) -> str | None:
    """The API of a running ``aarshjul serve`` (None when it is not running)."""
    path = prefect_home(settings) / "serve.json"
    try:
        url = str(json.loads(path.read_text(encoding="utf-8"))["api_url"])
    except (OSError, ValueError, KeyError):
        return None
    return url if healthy(url, timeout=1.0) else None
