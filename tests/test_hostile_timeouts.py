"""Issue 13, kind 5: no hangs. A PostgreSQL endpoint that accepts the connection and never answers
hung every command; now a connect timeout, a statement timeout and a lock timeout (PostgreSQL) and
a busy timeout (SQLite), each a setting, end the wait with a clear error naming the setting.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.config import DatabaseTimeouts, Settings, get_settings
from aarshjul.db import make_engine
from aarshjul.errors import DatabaseError
from tests.cli_helpers import run_script


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (a hung PostgreSQL)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.parametrize(
    "args",
    [["people"], ["plan", "2027", "--dry-run"], ["remind", "--dry-run"], ["db", "upgrade"]],
)
def test_a_silent_postgresql_is_a_clear_error_not_a_hang(
    silent_server: int, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setenv("AARSHJUL_DB_CONNECT_TIMEOUT", "1")
    get_settings.cache_clear()
    url = f"postgresql://aarshjul@127.0.0.1:{silent_server}/aarshjul"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["--db", url, *args])
    assert result.exit_code == 1, result.output
    assert "AARSHJUL_DB_CONNECT_TIMEOUT" in result.stderr and "did not answer" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert time.monotonic() - started < 60  # a hang detector, not a speed measurement


def test_the_installed_command_ends_too(silent_server: int) -> None:
    url = f"postgresql://aarshjul@127.0.0.1:{silent_server}/aarshjul"
    done = run_script("--db", url, "tasks", env={"AARSHJUL_DB_CONNECT_TIMEOUT": "2"})
    assert done.returncode == 1, done.stderr
    assert "AARSHJUL_DB_CONNECT_TIMEOUT" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.postgres
def test_a_statement_that_runs_too_long_is_stopped(postgres_server_url: str) -> None:
    engine = make_engine(postgres_server_url, timeouts=DatabaseTimeouts(statement=1))
    try:
        expected = r"ran too long .*AARSHJUL_DB_STATEMENT_TIMEOUT"
        with pytest.raises(DatabaseError, match=expected), engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_sleep(5)"))
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_lock_held_too_long_is_a_clear_error(postgres_server_url: str) -> None:
    holder = make_engine(postgres_server_url)
    waiter = make_engine(postgres_server_url, timeouts=DatabaseTimeouts(lock=1))
    try:
        with holder.connect() as held:
            held.execute(sa.text("SELECT pg_advisory_lock(4242)"))
            expected = r"lock too long .*AARSHJUL_DB_LOCK_TIMEOUT"
            with pytest.raises(DatabaseError, match=expected), waiter.connect() as conn:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(4242)"))
            held.execute(sa.text("SELECT pg_advisory_unlock(4242)"))
    finally:
        holder.dispose()
        waiter.dispose()


@pytest.mark.postgres
def test_the_timeouts_are_set_on_every_postgresql_connection(postgres_server_url: str) -> None:
    url = make_url(postgres_server_url).update_query_dict({"options": "-c search_path=public"})
    limits = DatabaseTimeouts(statement=42, lock=7)
    engine = make_engine(url.render_as_string(hide_password=False), timeouts=limits)
    try:
        with engine.connect() as conn:
            shown = [conn.execute(sa.text(f"SHOW {name}")).scalar() for name in
                     ("statement_timeout", "lock_timeout", "search_path")]  # fmt: skip
    finally:
        engine.dispose()
    assert shown == ["42s", "7s", "public"]


def test_a_busy_sqlite_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    engine = make_engine(f"sqlite:///{path}", timeouts=DatabaseTimeouts(busy=1))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        expected = r"SQLite file busy.*AARSHJUL_DB_BUSY_TIMEOUT"
        with pytest.raises(DatabaseError, match=expected), engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        assert time.monotonic() - started < 30
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()
    with engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() == 1000
    engine.dispose()


def test_timeout_settings_have_sane_defaults_and_are_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().database_timeouts == DatabaseTimeouts(
        connect=10, statement=300, lock=30, busy=30
    )
    monkeypatch.setenv("AARSHJUL_DB_LOCK_TIMEOUT", "5")
    assert Settings().database_timeouts.lock == 5
    monkeypatch.setenv("AARSHJUL_DB_CONNECT_TIMEOUT", "0")
    with pytest.raises(ValueError, match="db_connect_timeout"):
        Settings()
