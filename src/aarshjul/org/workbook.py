"""The organisation file as an Excel workbook (XLSX, read and written with openpyxl).

One sheet per section, columns named as the YAML keys, one row per entry under a header row:

=============== =====================================================================================
sheet           columns
=============== =====================================================================================
organisation    key, name, timezone, locale, holiday_country, closures, template, elections.year,
                elections.every, municipality_code, public_calendar (one row)
people          email, name, title, roles, locale, superior, active
committees      key, name, chair, secretary
policy_areas    key, name, committee, head
goals           key, level, title, description, policy_area, parent, owner, committee, horizon,
                status, status_comment
indicators      goal, name, unit, target (a goal's ``indicators``, one row each)
=============== =====================================================================================

A list (``roles``, ``closures``) is written ``direktion; planning``; a horizon ``2026-2029``. An
empty cell is a missing value (the default applies). The same validation as for YAML applies;
every message names the sheet, the row and the column (``people, row 5, column C (superior)``).
Writing never lets a cell become a formula: a text starting with ``=`` is stored as text.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from aarshjul.errors import OrgDataError
from aarshjul.escaping import strip_controls

SHEETS: dict[str, tuple[str, ...]] = {
    "organisation": ("key", "name", "timezone", "locale", "holiday_country", "closures",
                     "template", "elections.year", "elections.every", "municipality_code",
                     "public_calendar"),
    "people": ("email", "name", "title", "roles", "locale", "superior", "active"),
    "committees": ("key", "name", "chair", "secretary"),
    "policy_areas": ("key", "name", "committee", "head"),
    "goals": ("key", "level", "title", "description", "policy_area", "parent", "owner",
              "committee", "horizon", "status", "status_comment"),
    "indicators": ("goal", "name", "unit", "target"),
}  # fmt: skip
LISTS = {"roles", "closures"}
NUMBERS = {"elections.year", "elections.every", "target"}
_PATH = re.compile(r"^(?P<section>[a-z_]+)(\[(?P<index>\d+)\])?(\.(?P<field>[a-z_.]+))?")

Locator = Callable[[str], str]


class _Sheet:
    """Where each column of a sheet is, for messages."""

    def __init__(self, name: str, columns: dict[str, int]) -> None:
        self.name, self.columns = name, columns

    def where(self, row: int, field: str | None) -> str:
        text = f"sheet {self.name!r}, row {row}"
        column = self.columns.get(field or "")
        if column is None and field and "." in field:
            column = self.columns.get(field.split(".", 1)[0])
        return f"{text}, column {get_column_letter(column)} ({field})" if column else text


def read_workbook(path: Path) -> tuple[dict[str, Any], Locator]:
    """The workbook as the data a YAML file would hold, and a function that turns a YAML path
    (``people[3].email``) into ``sheet 'people', row 5, column A (email)``."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        # A renamed CSV or a truncated download is not a zip archive: one line, no traceback.
        raise OrgDataError(f"{path}: cannot read the workbook: {exc}") from exc
    try:
        data: dict[str, Any] = {}
        sheets: dict[str, _Sheet] = {}
        problems = [
            f"{path}: sheet {n!r}: unknown sheet" for n in book.sheetnames if n not in SHEETS
        ]
        for name in SHEETS:
            if name not in book.sheetnames:
                if name == "organisation":
                    problems.append(f"{path}: sheet 'organisation' is missing")
                continue
            rows, sheets[name] = _read_sheet(
                path, name, book[name].iter_rows(values_only=True), problems
            )
            data[name] = rows[0] if name == "organisation" and rows else rows
    finally:
        book.close()
    _fold_indicators(path, data, problems)
    if problems:
        raise OrgDataError(_summary(path, problems), problems=problems)
    return data, lambda problem: _locate(problem, sheets)


def _fold_indicators(path: Path, data: dict[str, Any], problems: list[str]) -> None:
    """Move the ``indicators`` sheet's rows into their goals (``goals[i].indicators``)."""
    goals = {goal.get("key"): goal for goal in data.get("goals", [])}
    for row, record in enumerate(data.pop("indicators", []), start=2):
        goal = goals.get(record.pop("goal", None))
        if goal is None:
            problems.append(f"{path}: sheet 'indicators', row {row}, column A (goal): "
                            "no goal with that key in sheet 'goals'")  # fmt: skip
            continue
        goal.setdefault("indicators", []).append(record)


def _read_sheet(
    path: Path, name: str, rows: Iterable[tuple[Any, ...]], problems: list[str]
) -> tuple[list[dict[str, Any]], _Sheet]:
    iterator = iter(rows)
    header = [str(cell).strip() if cell is not None else "" for cell in next(iterator, ())]
    columns = {title: i + 1 for i, title in enumerate(header) if title}
    sheet = _Sheet(name, columns)
    for title, number in columns.items():
        if title not in SHEETS[name]:
            where = f"sheet {name!r}, row 1, column {get_column_letter(number)}"
            problems.append(f"{path}: {where}: value {title!r}: unknown column; "
                            f"use {', '.join(SHEETS[name])}")  # fmt: skip
    records = []
    for cells in iterator:
        record = {
            title: _value(title, cells[number - 1])
            for title, number in columns.items()
            if title in SHEETS[name] and number <= len(cells) and not _empty(cells[number - 1])
        }
        if record:
            records.append(_nest(record))
    return records, sheet


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value(title: str, value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.date()
    if title in LISTS:
        parts = value.split(";") if isinstance(value, str) else [value]
        return [_text(part) for part in parts if not _empty(part)]
    if title == "horizon":
        return _horizon(value)
    if title in NUMBERS or isinstance(value, bool):
        return value
    return _text(value)


def _text(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else value


def _horizon(value: Any) -> Any:
    match = re.match(r"^\s*(\d{4})\s*[-;\u2013]\s*(\d{4})\s*$", str(value))
    return [int(match[1]), int(match[2])] if match else str(value)


def _nest(record: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        head, _, rest = key.partition(".")
        if rest:
            out.setdefault(head, {})[rest] = value
        else:
            out[key] = value
    return out


def _locate(problem: str, sheets: dict[str, _Sheet]) -> str:
    """``goals[3].owner: value …`` -> ``sheet 'goals', row 5, column G (owner): value …``."""
    match = _PATH.match(problem)
    if match is None or match["section"] not in sheets:
        return problem
    sheet = sheets[match["section"]]
    row = int(match["index"]) + 2 if match["index"] is not None else 2
    return sheet.where(row, match["field"]) + problem[match.end() :]


def _summary(path: Path, problems: list[str]) -> str:
    return "\n".join([f"{path}: {len(problems)} error(s)", *(f"  {p}" for p in problems)])


def write_workbook(data: dict[str, Any], path: Path) -> None:
    """Write the organisation (the YAML structure of ``org export``) as an XLSX workbook.

    Written to a temporary file beside ``path`` and renamed, so an error leaves nothing behind.
    """
    book = Workbook()
    book.remove(book.active) if book.active is not None else None
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        entries = _entries(data, name)
        for entry in entries:
            sheet.append([_cell(column, _flat(entry).get(column)) for column in columns])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
    handle, temp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(temp)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _entries(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    if name == "organisation":
        return [data.get(name, {})]
    if name == "indicators":
        goals = data.get("goals", [])
        return [{"goal": g["key"]} | i for g in goals for i in g.get("indicators", [])]
    entries: list[dict[str, Any]] = data.get(name, [])
    return entries


def _flat(entry: dict[str, Any]) -> dict[str, Any]:
    out = dict(entry)
    for key, value in entry.items():
        if isinstance(value, dict):
            out |= {f"{key}.{sub}": inner for sub, inner in value.items()}
    return out


def _cell(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column == "horizon":
        return f"{value[0]}-{value[1]}"
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    if isinstance(value, str):
        return strip_controls(value)  # a control character is no text a cell can hold
    return value
