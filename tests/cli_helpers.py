"""Running the CLI in-process (typer's runner) and as the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

from aarshjul.cli import app


def run(db_url: str, *args: str) -> Result:
    """``aarshjul --db URL ARGS`` through typer's runner (stderr kept apart)."""
    return CliRunner().invoke(app, ["--db", db_url, *args])


def run_json(db_url: str, *args: str) -> Any:
    result = run(db_url, *args, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def console_script() -> str:
    """The installed ``aarshjul`` script next to this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / "aarshjul"
    found = str(beside) if beside.exists() else shutil.which("aarshjul")
    assert found, "the aarshjul console script is not installed"
    return found


def run_script(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real console script in a subprocess."""
    return subprocess.run(
        [console_script(), *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
