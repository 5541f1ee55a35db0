"""Issue 13, kinds 3 and 4: database and settings errors are one line, exit 1, and leak nothing.

These cases land in the error mapping of issue 10 (settings, ``--db``, the database's version,
foreign database errors with SQLAlchemy's ``hide_parameters``). The tests describe the behaviour
required; those that need that mapping are marked until it is merged.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.db import make_engine
from tests.cli_helpers import run_script
from tests.notify_scenario import build


def _one_clean_line(result: object, *expected: str) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and 'File "' not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    for text in expected:
        assert text in stderr, stderr


def test_a_sqlite_file_in_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    url = f"sqlite:///{blocker}/no/such/dir/x.db"
    _one_clean_line(CliRunner().invoke(app, ["--db", url, "people"]), str(blocker))


def test_a_sqlite_file_in_a_folder_that_does_not_exist_is_made(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/new/dir/x.db"
    result = CliRunner().invoke(app, ["--db", url, "init"])
    assert result.exit_code == 0, result.output + result.stderr


@pytest.mark.parametrize("url", ["mysql://u:p@127.0.0.1/db", "oracle://x", "not a url"])
def test_the_db_option_is_checked_like_the_setting(url: str) -> None:
    _one_clean_line(CliRunner().invoke(app, ["--db", url, "people"]), "sqlite")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AARSHJUL_OVERDUE_EVERY", "abc"),
        ("AARSHJUL_PREFECT_PORT", "99999999"),
        ("AARSHJUL_DATABASE_URL", "mysql://u@127.0.0.1/db"),
        ("AARSHJUL_DB_LOCK_TIMEOUT", "-1"),
    ],
)
def test_an_invalid_setting_is_one_line_even_for_an_unrelated_command(
    name: str, value: str, tmp_path: Path
) -> None:
    done = run_script("calendar", "holidays", "2027", env={name: value})
    assert done.returncode == 1, done.stdout + done.stderr
    assert name in done.stderr and "Traceback" not in done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) == 1


@pytest.fixture
def newer_database(sqlite_url: str) -> str:
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    return sqlite_url


@pytest.mark.parametrize("args", [["init"], ["db", "upgrade"], ["people"]])
def test_a_database_from_a_newer_aarshjul_says_so(newer_database: str, args: list[str]) -> None:
    result = CliRunner().invoke(app, ["--db", newer_database, *args])
    _one_clean_line(result, "newer")
    assert "db upgrade" not in result.stderr  # upgrading cannot help: a newer aarshjul is needed


@pytest.fixture
def read_only_postgres(postgres_server_url: str, _postgres_template: str) -> Iterator[str]:
    """A migrated copy of the test database that refuses every write."""
    server = make_url(postgres_server_url)
    name = f"ro_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{_postgres_template}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_a_refused_write_shows_neither_sql_nor_parameters(read_only_postgres: str) -> None:
    from sqlmodel import Session

    engine = make_engine(read_only_postgres)
    with Session(engine) as session:
        build(session)
        session.commit()
    with engine.begin() as conn:
        name = make_url(read_only_postgres).database
        conn.execute(sa.text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    engine.dispose()
    result = CliRunner().invoke(
        app, ["--db", read_only_postgres, "remind", "--today", "2027-10-15"]
    )
    _one_clean_line(result, "read-only")
    for leak in ("INSERT", "SELECT", "Budgetbidrag", "parameters", "[SQL"):
        assert leak not in result.stderr
