"""Foreign errors are mapped where they enter: one line on stderr, exit 1, never a traceback.

Each case runs the installed console script in a real subprocess, as a user would.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from aarshjul.config import get_settings
from aarshjul.errors import ConfigError, DatabaseError
from tests.cli_helpers import run, run_script

NO_SERVER = "postgresql://aarshjul:hemmelig@127.0.0.1:1/aarshjul"


def _one_line_error(result: object) -> str:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 1, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("aarshjul: fejl/error: ")
    return str(lines[0])


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("AARSHJUL_DATABASE_URL", "mysql://x", "only sqlite:/// and postgresql://"),
        ("AARSHJUL_OVERDUE_EVERY", "0", "greater than or equal to 1"),
        ("AARSHJUL_SECRET_KEY", "not-a-fernet-key", "not a Fernet key"),
        ("AARSHJUL_TODAY", "2027-02-30", "AARSHJUL_TODAY"),
        ("AARSHJUL_PREFECT_PORT", "99999", "less than or equal to 65535"),
        ("AARSHJUL_DATABASE_URL", NO_SERVER, "cannot connect to the database"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_1(
    tmp_path: Path, variable: str, value: str, expected: str
) -> None:
    env = {"AARSHJUL_DATA_DIR": str(tmp_path), variable: value}
    line = _one_line_error(run_script("people", env=env))
    assert expected in line
    assert "hemmelig" not in line and "not-a-fernet-key" not in line  # secrets stay secret


def test_a_setting_the_command_does_not_use_is_still_checked(tmp_path: Path) -> None:
    env = {"AARSHJUL_DATA_DIR": str(tmp_path), "AARSHJUL_MAX_ESCALATION_STEPS": "many"}
    line = _one_line_error(run_script("init", env=env))
    assert "AARSHJUL_MAX_ESCALATION_STEPS: value 'many'" in line


def test_db_option_with_an_unsupported_url(tmp_path: Path) -> None:
    line = _one_line_error(run_script("--db", "mysql://root:pw@localhost/x", "tasks"))
    assert "--db: value 'mysql://root:****@localhost/x': only sqlite:/// and postgresql://" in line


def test_errors_speak_danish_under_a_danish_locale(tmp_path: Path) -> None:
    env = {"AARSHJUL_DATA_DIR": str(tmp_path), "LANG": "da_DK.UTF-8", "LC_ALL": ""}
    line = _one_line_error(run_script("--db", f"sqlite:///{tmp_path}/none.db", "tasks", env=env))
    assert "databasen er ikke oprettet: kør `aarshjul init` først" in line


def test_a_database_made_by_a_newer_aarshjul(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/newer.db"
    assert run(url, "init").exit_code == 0
    with sqlite3.connect(tmp_path / "newer.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    for args in (("people",), ("db", "upgrade"), ("init",)):
        line = _one_line_error(run_script("--db", url, *args))
        assert "newer than this aarshjul: it needs an aarshjul with schema revision 0099" in line
        assert "out of date" not in line


def test_an_unreachable_postgresql_server_is_one_line() -> None:
    line = _one_line_error(run_script("--db", NO_SERVER, "people"))
    assert "cannot connect to the database postgresql+psycopg://aarshjul:***@127.0.0.1:1" in line


def test_a_read_only_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    assert run(f"sqlite:///{path}", "init", "--sample").exit_code == 0
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    people = run_script("--db", read_only, "people", "--format", "json")
    assert people.returncode == 0, people.stderr  # reading works
    org = tmp_path / "org.yaml"
    org.write_text("organisation: {key: andet, name: Anden Kommune}\n", encoding="utf-8")
    line = _one_line_error(run_script("--db", read_only, "org", "import", str(org)))
    assert "is read-only; aarshjul needs to write to it" in line


def test_an_unknown_time_zone_in_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/tz.db"
    assert run(url, "init", "--sample").exit_code == 0
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE organisation SET timezone = 'Europe/Atlantis'"))
    engine.dispose()
    line = _one_line_error(run_script("--db", url, "tasks"))
    assert "time zone: value 'Europe/Atlantis': unknown time zone" in line


def test_settings_errors_are_config_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AARSHJUL_SECRET_KEY", "short")
    monkeypatch.setenv("AARSHJUL_DELIVER_MAX_ATTEMPTS", "-1")
    get_settings.cache_clear()
    with pytest.raises(ConfigError) as caught:
        get_settings()
    assert caught.value.field in {"AARSHJUL_SECRET_KEY", "AARSHJUL_DELIVER_MAX_ATTEMPTS"}
    assert "(and 1 more bad setting(s))" in str(caught.value)
    assert "short" not in str(caught.value)


def test_engines_hide_bound_parameters(sqlite_url: str) -> None:
    from aarshjul.db import make_engine, session_scope

    engine = make_engine(sqlite_url)
    with pytest.raises(DatabaseError) as caught, session_scope(engine) as session:
        session.execute(sa.text("INSERT INTO nosuchtable VALUES (:secret)"), {"secret": "pw42"})
    engine.dispose()
    assert "pw42" not in str(caught.value) and "pw42" not in str(caught.value.__cause__)
