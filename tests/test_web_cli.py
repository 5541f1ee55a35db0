"""``aarshjul web``: the real console script serves the app; with no mail channel on a loopback
address, the sign-in link appears in its own terminal (stdout), and only there."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from aarshjul.commands import web_cli
from aarshjul.db import make_engine
from tests import factories as f
from tests.cli_helpers import console_script
from tests.smtp import free_port
from tests.web_support import csrf_of


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("10.0.0.5", False), ("aarshjul.example.org", False)],
)  # fmt: skip
def test_loopback(host: str, loopback: bool) -> None:
    assert web_cli.is_loopback(host) is loopback


def _org(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as s:
        org = f.organisation(s)
        f.person(s, org, email="anne@example.dk", name="Anne")
        s.commit()
    engine.dispose()


def test_links_go_to_the_terminal_only_on_loopback_without_mail(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _org(sqlite_url)
    monkeypatch.setattr(web_cli.common.STATE, "db_url", sqlite_url)
    assert web_cli.build_app("127.0.0.1", 8000).state.web.console is not None
    assert web_cli.build_app("0.0.0.0", 8000).state.web.console is None
    monkeypatch.setenv("AARSHJUL_MAIL_URL", "mailto://127.0.0.1:1?from=a@example.org")
    web_cli.get_settings.cache_clear()
    assert web_cli.build_app("127.0.0.1", 8000).state.web.console is None


@pytest.mark.slow
def test_aarshjul_web_serves_and_prints_the_sign_in_link(sqlite_url: str, tmp_path: Path) -> None:
    _org(sqlite_url)
    port = free_port()
    process = subprocess.Popen(
        [console_script(), "--db", sqlite_url, "web", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "AARSHJUL_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True
    )  # type: ignore[union-attr]
    reader.start()
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=10) as client:
            token = csrf_of(client.get("/login").text)
            assert (
                client.post(
                    "/login", data={"csrf_token": token, "email": "anne@example.dk"}
                ).status_code
                == 200
            )
            deadline = time.monotonic() + 20
            while not any("/login/" in line for line in lines) and time.monotonic() < deadline:
                time.sleep(0.1)
            [line] = [line for line in lines if "/login/" in line]
            assert "anne@example.dk" in line
            link = line.split(": ", 1)[1].strip()
            assert link.startswith(f"{base}/login/")
            path = link.removeprefix(base)
            page = client.get(path)
            signed = client.post(path, data={"csrf_token": csrf_of(page.text)})
            assert signed.status_code == 303 and client.get("/tasks").status_code == 200
        assert f"Web: http://127.0.0.1:{port}" in lines[0]
    finally:
        process.terminate()
        process.wait(timeout=20)
        reader.join(timeout=10)
        assert process.stdout is not None
        process.stdout.close()
