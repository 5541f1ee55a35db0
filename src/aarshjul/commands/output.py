"""Rendering listings as a rich table, JSON (a list of records) or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from aarshjul.errors import InputError


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def console() -> Console:
    """A console on stdout (created per call so test runners capture it)."""
    return Console(highlight=False, soft_wrap=False, width=160)


def emit(
    records: Sequence[dict[str, Any]],
    fmt: OutputFormat,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Print ``records``; ``columns`` picks (and orders) the table's columns."""
    if fmt == OutputFormat.json:
        print(json.dumps(list(records), ensure_ascii=False, indent=2, default=str))
    elif fmt == OutputFormat.csv:
        print(to_csv(records), end="")
    else:
        console().print(to_table(records, columns, title))


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    """CSV with a header row; lists are joined with ``;``."""
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in r.items()} for r in records)
    return buffer.getvalue()


def to_table(
    records: Sequence[dict[str, Any]], columns: Sequence[str] | None, title: str | None
) -> Table:
    names = list(columns or (records[0].keys() if records else []))
    table = Table(*names, title=title, show_lines=False)
    for record in records:
        table.add_row(*(_cell(record.get(name)) for name in names))
    if not records:
        table.caption = "(ingen rækker / no rows)"
    return table


@contextmanager
def writing(path: Path) -> Iterator[Path]:
    """Write ``path`` inside the block; a folder, a missing folder or no permission is an
    :class:`~aarshjul.errors.InputError` naming the path, never a traceback."""
    try:
        yield path
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"{path}: cannot write the file: {reason}") from exc


def write_text(path: Path, text: str) -> None:
    """``path.write_text(text)`` in UTF-8, with :func:`writing`'s errors."""
    with writing(path):
        path.write_text(text, encoding="utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)
