"""Rendering listings as a rich table, JSON (a list of records) or CSV.

Data is escaped for each format (:mod:`aarshjul.escaping`): table cells are plain text (Rich
markup in a name is shown, not obeyed) without control characters; JSON escapes control
characters; CSV cells that a spreadsheet would run as a formula start with ``'``.
"""

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
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from aarshjul.errors import InputError
from aarshjul.escaping import csv_text, escape_controls, terminal_text


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
        print(to_json(list(records)))
    elif fmt == OutputFormat.csv:
        print(to_csv(records), end="")
    else:
        console().print(to_table(records, columns, title))


def shares(elapsed: float | None, percent: int) -> dict[str, str]:
    """A phase's time passed and tasks done as the terminal shows them, in `status` and `report`.

    >>> shares(0.5, 86), shares(None, 100)
    ({'elapsed': '50%', 'completion': '86%'}, {'elapsed': '—', 'completion': '100%'})
    """
    return {"elapsed": "—" if elapsed is None else f"{elapsed:.0%}", "completion": f"{percent}%"}


def to_json(value: Any) -> str:
    """JSON for the terminal or a file: UTF-8 text, control characters as ``\\uXXXX``."""
    return escape_controls(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def markup(value: object) -> str:
    """Data to put inside a Rich markup string: shown as written, on one line."""
    return escape(terminal_text(value, one_line=True))


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    """CSV with a header row; lists are joined with ``;``; formulas neutralised (OWASP)."""
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _csv_cell(v) for k, v in r.items()} for r in records)
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    text = _cell(value)
    return csv_text(text) if isinstance(value, str | list | tuple) else text


def to_table(
    records: Sequence[dict[str, Any]], columns: Sequence[str] | None, title: str | None
) -> Table:
    names = list(columns or (records[0].keys() if records else []))
    shown = Text(terminal_text(title, one_line=True)) if title else None
    table = Table(*names, title=shown, show_lines=False)
    for record in records:
        table.add_row(*(Text(terminal_text(_cell(record.get(name)))) for name in names))
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
