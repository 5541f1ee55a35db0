"""Every command has help with an example, and the README mentions it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main
from typer import _click as click

from aarshjul.cli import COMMANDS as LAZY
from aarshjul.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Every command, loading the lazily registered ones (``list_commands``/``get_command``)."""
    out: list[tuple[str, Any]] = []
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        full = f"{prefix}{name}"
        if hasattr(command, "commands"):
            out.extend(_commands(command, f"{full} "))
        else:
            out.append((full, command))
    return out


COMMANDS = _commands(typer.main.get_command(app))


def test_there_are_commands() -> None:
    assert len(COMMANDS) >= 10


def test_every_command_has_help_with_an_example() -> None:
    missing = [name for name, cmd in COMMANDS if "Example" not in (cmd.help or "")]
    assert missing == []


def test_lazy_help_lines_match_the_commands() -> None:
    """The root --help shows COMMANDS' one-liners without importing; they must be the truth."""
    group = typer.main.get_command(app)
    ctx = click.Context(group)
    for name, (_, _, line) in LAZY.items():
        command = group.get_command(ctx, name)
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert first == line, name


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name, _ in COMMANDS if f"aarshjul {name}" not in README]
    assert missing == []


def test_the_licence_file_matches_pyproject() -> None:
    root = Path(__file__).parent.parent
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = { text = "MIT" }' in pyproject
    assert (root / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def _section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_configuration_table_is_one_table_with_every_setting() -> None:
    """A blank line in the table split it in two (Markdown renders the rest as text)."""
    from aarshjul.config import Settings

    lines = _section("Configuration").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| setting |"))
    rows: list[str] = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    rest = "\n".join(lines[start + 2 + len(rows) :])
    assert "| `AARSHJUL_" not in rest, "a setting's row stands outside the table"
    expected = {f"AARSHJUL_{field.upper()}" for field in Settings.model_fields}
    names: set[str] = set()
    for row in rows:
        if "`AARSHJUL_" not in row:
            continue  # PREFECT_API_URL
        first, *short = re.findall(r"`(AARSHJUL_[A-Z_]+|_[A-Z_]+)`", row.split("|")[1])
        names.add(first)
        parts = first.split("_")  # `_PORT` after `AARSHJUL_WEB_HOST` is AARSHJUL_WEB_PORT
        for tail in short:
            found = {"_".join(parts[:k]) + tail for k in range(1, len(parts))} & expected
            names |= found or {tail}
    assert expected - names == set(), "settings missing from the README's table"
    assert names - expected == set(), "the README's table names settings that do not exist"


def test_the_dependency_table_names_each_package_once() -> None:
    rows = [
        line.split("|")[1].strip()
        for line in _section("Development").splitlines()
        if line.startswith("| ") and not line.startswith("| package")
    ]
    assert rows and len(rows) == len(set(rows)), rows
