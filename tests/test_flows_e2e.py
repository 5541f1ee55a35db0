"""End to end, as in production: a real ``prefect server`` on a throwaway PostgreSQL database,
``aarshjul deploy`` to a process work pool, two ``prefect worker`` processes, aarshjul's own
database on PostgreSQL, and a real SMTP server. Tick is triggered twice for the same day at
once: every person gets exactly one digest (the outbox's guarantee across workers).
"""

from __future__ import annotations

import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session

from aarshjul.db import make_engine
from tests.engine_scenario import build
from tests.prefect_processes import aarshjul, base_env, prefect, spawn, stop, wait_healthy
from tests.smtp import SmtpServer, free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def databases(postgres_server_url: str, _postgres_template: str) -> Iterator[tuple[str, str]]:
    """(aarshjul URL from the migrated template, an empty database URL for Prefect)."""
    admin = sa.create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    suffix = uuid.uuid4().hex[:10]
    names = (f"e2e_app_{suffix}", f"e2e_prefect_{suffix}")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{names[0]}" TEMPLATE "{_postgres_template}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{names[1]}"'))
    base = make_url(postgres_server_url)
    app = base.set(database=names[0]).render_as_string(hide_password=False)
    server = base.set(drivername="postgresql+asyncpg", database=names[1])
    try:
        yield app, server.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_deploy_workers_and_tick_send_each_digest_once(
    databases: tuple[str, str], smtp_server: SmtpServer, tmp_path: Path
) -> None:
    app_url, prefect_db = databases
    engine = make_engine(app_url)
    with Session(engine, expire_on_commit=False) as session:
        build(session)
    engine.dispose()
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = base_env(
        tmp_path / "prefect", PREFECT_SERVER_DATABASE_CONNECTION_URL=prefect_db,
        AARSHJUL_DATABASE_URL=app_url, AARSHJUL_MAIL_URL=smtp_server.mail_url,
        PREFECT_WORKER_QUERY_SECONDS="2", PREFECT_WORKER_PREFETCH_SECONDS="5",
    )  # fmt: skip
    client_env = env | {"PREFECT_API_URL": api}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        server = prefect("server", "start", "--host", "127.0.0.1", "--port", str(port))
        processes.append(spawn([*server, "--analytics-off"], env, tmp_path / "server.log"))
        wait_healthy(api)
        deployed = subprocess.run(aarshjul("deploy", "--pool", "e2e"), env=client_env,
                                  capture_output=True, text=True, timeout=120)  # fmt: skip
        assert deployed.returncode == 0, deployed.stderr
        assert "aarshjul-tick/testkommune: '0 7 * * 1-5' (Europe/Copenhagen)" in deployed.stdout
        for n in (1, 2):
            processes.append(spawn(prefect("worker", "start", "--pool", "e2e", "--limit", "1"),
                                   client_env, tmp_path / f"worker{n}.log"))  # fmt: skip
        runs = [
            subprocess.Popen(
                prefect(
                    "deployment",
                    "run",
                    "aarshjul-tick/testkommune",
                    "--param",
                    'today="2027-03-15"',
                    "--watch",
                    "--watch-timeout",
                    "150",
                ),
                env=client_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [r.communicate(timeout=180)[0] for r in runs]
        for run, output in zip(runs, outputs, strict=True):
            assert run.returncode == 0, output + _logs(tmp_path)
            assert "Completed" in output, output
    finally:
        for process in reversed(processes):
            stop(process)
    per_person = Counter(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert per_person == {"anne@example.dk": 1, "bent@example.dk": 1, "dorte@example.dk": 1,
                          "eric@example.dk": 1}  # fmt: skip
    [eric] = smtp_server.to("eric@example.dk")
    assert "Monday 15 March 2027" in eric.subject and "3 working days overdue" in eric.text


def _logs(folder: Path) -> str:
    return "".join(f"\n--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(folder.glob("*.log")))
