"""The installed console script and ``python -m aarshjul``, in real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli_helpers import run_script


def test_console_script_init_sample_and_list(tmp_path: Path) -> None:
    env = {"AARSHJUL_DATA_DIR": str(tmp_path / "data")}
    first = run_script("init", "--sample", env=env)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "data" / "aarshjul.db").exists()
    people = run_script("people", "--format", "json", env=env)
    assert people.returncode == 0, people.stderr
    assert any(p["name"] == "Anne Kjær" for p in json.loads(people.stdout))


def test_console_script_error_has_no_traceback(tmp_path: Path) -> None:
    result = run_script("--db", f"sqlite:///{tmp_path}/none.db", "tasks")
    assert result.returncode == 1
    assert result.stderr.startswith("aarshjul: fejl/error: the database is not initialised")
    assert "Traceback" not in result.stderr


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = run_script("tasks", "--status", "maybe")
    assert result.returncode == 2 and "Invalid value" in result.stderr


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aarshjul", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.startswith("aarshjul ")


def test_help_does_not_import_prefect() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom aarshjul.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\nassert r.exit_code == 0, r.output\n"
        "print('prefect' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


def test_importing_the_package_reads_nothing(tmp_path: Path) -> None:
    code = "import aarshjul, aarshjul.models, aarshjul.db, aarshjul.config; print('ok')"
    env = {"AARSHJUL_DATABASE_URL": "mysql://not-supported", "PATH": ""}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.strip() == "ok", result.stderr


def test_help_imports_no_database_layer() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom aarshjul.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\nassert r.exit_code == 0, r.output\n"
        "assert 'simulate' in r.output and 'audit' in r.output, r.output\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'prefect', 'alembic', 'pydantic_settings', 'jinja2')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr
