"""A table as a list on a page, a CSV file and an XLSX workbook (*eksport til regneark*).

One :class:`Table` (columns with a kind, rows of plain values) is what the board's HTML tables,
its CSV downloads and its XLSX downloads are all made from, so the three never disagree.

* **CSV**: UTF-8 with a byte order mark (Excel reads the æ, ø and å right), ``;``-separated in
  Danish (Danish Excel's list separator) and ``,`` in English; every text cell is defused
  (:func:`~aarshjul.escaping.csv_text`: a cell starting ``=``, ``+``, ``-``, ``@``, tab or CR
  gets a leading ``'``); dates ISO, shares as whole percent.
* **XLSX** (openpyxl): one sheet, a bold frozen header row, dates as date cells, counts as
  numbers, shares as numbers formatted ``0%``, text cells as text (never a formula), column
  widths from the columns.

>>> table = Table(name="x", title=("X", "X"), columns=(Column("n", "Navn", "Name"),),
...               rows=[Row(("=1+1",))])
>>> table_csv(table, "en").decode("utf-8-sig")
"Name\\r\\n'=1+1\\r\\n"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from aarshjul.escaping import csv_text, strip_controls

Cell = str | int | float | date | None
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


class CellKind(StrEnum):
    """How a column's values are shown: text, a number, a date, or a share (0 to 1) as percent."""

    text = "text"
    number = "number"
    date = "date"
    share = "share"


@dataclass(frozen=True)
class Column:
    """A column: its key, its Danish and English header, its kind and width (characters)."""

    key: str
    da: str
    en: str
    kind: CellKind = CellKind.text
    width: int = 14

    def header(self, locale: str) -> str:
        return self.en if locale == "en" else self.da


@dataclass(frozen=True)
class Row:
    """A row's values; ``links`` maps a column index to where that cell leads on a page;
    ``marker`` is a status key a page shows as a coloured sign beside the (written) status."""

    cells: tuple[Cell, ...]
    links: dict[int, str] = field(default_factory=dict)
    marker: str | None = None


@dataclass(frozen=True)
class Table:
    """A named list (``name`` goes into file names) with a Danish and English ``title``."""

    name: str
    title: tuple[str, str]
    columns: tuple[Column, ...]
    rows: list[Row]

    def heading(self, locale: str) -> str:
        return self.title[1] if locale == "en" else self.title[0]

    def headers(self, locale: str) -> list[str]:
        return [c.header(locale) for c in self.columns]


def share_text(value: float | None) -> str:
    """A share (0 to 1) as the whole percent the board report's texts show (``38%``)."""
    return "—" if value is None else f"{value:.0%}"


def table_csv(table: Table, locale: str) -> bytes:
    """The table as CSV bytes (see the module's notes on separators and defusing)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if locale == "en" else ";")
    writer.writerow([csv_text(h) for h in table.headers(locale)])
    for row in table.rows:
        writer.writerow(
            [_csv_cell(v, c.kind) for v, c in zip(row.cells, table.columns, strict=True)]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Cell, kind: CellKind) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if kind == CellKind.share and isinstance(value, float):
        return share_text(value)
    return csv_text(str(value))


def table_xlsx(table: Table, locale: str) -> bytes:
    """The table as an XLSX workbook (bytes): one sheet named after the table's title."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = table.heading(locale).translate(_SHEET_FORBIDDEN)[:31] or table.name
    sheet.append([strip_controls(h) for h in table.headers(locale)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_value(v) for v in row.cells])
    _formats(sheet, table.columns)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Cell) -> Cell:
    return strip_controls(value) if isinstance(value, str) else value


def _formats(sheet: Worksheet, columns: Sequence[Column]) -> None:
    formats = {CellKind.date: "yyyy-mm-dd", CellKind.share: "0%", CellKind.number: "0"}
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width + 2
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
            elif column.kind in formats and cell.value is not None:
                cell.number_format = formats[column.kind]


def file_name(year: int, name: str, extension: str) -> str:
    """``aarshjul-2027-overdue.xlsx``: only letters, digits and dashes from ``name``."""
    safe = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in name.lower())
    return f"aarshjul-{year}-{'-'.join(p for p in safe.split('-') if p) or 'list'}.{extension}"
