"""Fixtures: a real SQLite file and a throwaway PostgreSQL database per test run.

PostgreSQL's address comes from ``AARSHJUL_TEST_POSTGRES_URL`` (default: the local server with
trust auth). The run creates its own database and drops it afterwards; each test gets a fresh
schema inside it, so tests never see each other's rows or a previous run's leftovers. Where no
server answers, the PostgreSQL tests skip with the reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from aarshjul.config import get_settings
from aarshjul.db import make_engine, upgrade

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

POSTGRES_URL = os.environ.get(
    "AARSHJUL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the developer's own settings, data folder or database."""
    for name in list(os.environ):
        if name.startswith("AARSHJUL_") and name != "AARSHJUL_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("AARSHJUL_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    get_settings.cache_clear()
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


def _postgres_schema_engine(server_url: str) -> tuple[Engine, str]:
    schema = f"t_{uuid.uuid4().hex[:10]}"
    with sa.create_engine(server_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{server_url}?options=-csearch_path%3D{schema}"
    return make_engine(url), url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[str]:
    """A migrated, empty database URL: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/aarshjul.db"
        engine = make_engine(url)
    else:
        engine, url = _postgres_schema_engine(request.getfixturevalue("postgres_server_url"))
    upgrade(engine)
    engine.dispose()
    yield url


@pytest.fixture
def sqlite_url(tmp_path: os.PathLike[str]) -> str:
    """A migrated, empty SQLite file (for tests that need only one backend)."""
    url = f"sqlite:///{tmp_path}/aarshjul.db"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


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
