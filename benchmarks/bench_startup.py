"""Benchmark: how long ``aarshjul --help`` takes to start, beside the floors it is measured against.

    python benchmarks/bench_startup.py [--runs 15]

Each line is the median wall time of ``--runs`` fresh processes (range in brackets):

- ``python -c pass`` — the interpreter alone;
- an empty typer app with aarshjul's command names and one-line helps, and nothing else;
- ``aarshjul --help`` (``python -m aarshjul --help``), whose commands are registered lazily, so
  it imports neither the database layer (SQLAlchemy, SQLModel) nor Prefect;
- ``aarshjul tasks --help``, which loads that one command's module.

It also lists the heavy packages ``--help`` imported (there should be none). The target is
``--help`` ≤ 0.3 s; it is measured here, never timed in a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aarshjul.cli import COMMANDS

HEAVY = ("sqlalchemy", "sqlmodel", "prefect", "alembic", "pydantic_settings", "jinja2", "apprise")


def empty_app_source() -> str:
    """A typer app with the same commands (names and one-line helps) that do nothing."""
    lines = ["import typer", "app = typer.Typer(add_completion=False)"]
    for n, (name, (_, _, text)) in enumerate(COMMANDS.items()):
        lines += [f"@app.command({name!r})", f"def c{n}() -> None:", f"    {text!r}"]
    lines.append("app()")
    return "\n".join(lines) + "\n"


def measure(cases: list[tuple[str, list[str]]], runs: int) -> dict[str, list[float]]:
    """Wall times per case, the cases taking turns so that a busy moment hits them alike."""
    times: dict[str, list[float]] = {label: [] for label, _ in cases}
    for _ in range(runs):
        for label, command in cases:
            started = time.perf_counter()
            subprocess.run(
                command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            times[label].append(time.perf_counter() - started)
    return times


def heavy_imports() -> list[str]:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom aarshjul.cli import app\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0\n"
        f"print(' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty_app.py"
        empty.write_text(empty_app_source(), encoding="utf-8")
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("empty typer app --help", [sys.executable, str(empty), "--help"]),
            ("aarshjul --help", [sys.executable, "-m", "aarshjul", "--help"]),
            ("aarshjul tasks --help", [sys.executable, "-m", "aarshjul", "tasks", "--help"]),
        ]
        results = measure(cases, args.runs)
    floor = statistics.median(results["python -c pass"])
    for label, times in results.items():
        median = statistics.median(times)
        print(f"{label:<26} {median:6.3f} s  ({min(times):.3f}-{max(times):.3f})  "
              f"{median / floor:5.1f} x python")  # fmt: skip
    print(f"heavy modules imported by --help: {', '.join(heavy_imports()) or 'none'}")


if __name__ == "__main__":
    main()
