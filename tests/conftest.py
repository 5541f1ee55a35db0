"""Fixtures: a real SQLite file and a throwaway PostgreSQL database per test run.

PostgreSQL's address comes from ``AARSHJUL_TEST_POSTGRES_URL`` (default: the local server with
trust auth). The run creates its own databases and drops them afterwards; each test gets a fresh
database copied from one migrated template, so tests never see each other's rows or a previous
run's leftovers. Where no server answers, the PostgreSQL tests skip with the reason, except under
``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from aarshjul.commands import cli_state as cli_common
from aarshjul.config import get_settings
from aarshjul.db import make_engine, upgrade

pytest_plugins = ["tests.smtp", "tests.prefect_harness", "tests.oidc_provider"]

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

POSTGRES_URL = os.environ.get(
    "AARSHJUL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(autouse=True)
def _isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No test reads the developer's own settings, data folder or database."""
    for name in list(os.environ):
        if name.startswith("AARSHJUL_") and name != "AARSHJUL_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("AARSHJUL_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    get_settings.cache_clear()
    # The root command's --db/--org live in a module-level state; a sub-app invoked on its own
    # must not see what an earlier test's root command set there.
    monkeypatch.setattr(cli_common, "STATE", cli_common.CliState())
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A database created for this run on the PostgreSQL server, dropped at the end."""
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"aarshjul_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        reason = f"no PostgreSQL server answers at {make_url(POSTGRES_URL)!r}: {exc.orig}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true needs PostgreSQL: {reason}")
        pytest.skip(reason)
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run; each test gets a copy (migrations cost ~0.5 s)."""
    path = tmp_path_factory.mktemp("template") / "aarshjul.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_template(postgres_server_url: str) -> Iterator[str]:
    """A migrated database on the server that each test's database is created from."""
    name = f"{make_url(postgres_server_url).database}_tpl"
    with _admin(postgres_server_url) as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield name
    with _admin(postgres_server_url) as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def _admin(url: str) -> Iterator[sa.Connection]:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database URL: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        shutil.copy(request.getfixturevalue("_sqlite_template"), tmp_path / "aarshjul.db")
        yield f"sqlite:///{tmp_path}/aarshjul.db"
        return
    server = request.getfixturevalue("postgres_server_url")
    template = request.getfixturevalue("_postgres_template")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with _admin(server) as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with _admin(server) as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path: Path, _sqlite_template: Path) -> str:
    """A migrated, empty SQLite file (for tests that need only one backend)."""
    shutil.copy(_sqlite_template, tmp_path / "aarshjul.db")
    return f"sqlite:///{tmp_path}/aarshjul.db"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on each backend in turn."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on each backend in turn."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
