"""Reading Statistics Denmark's StatBank CSV format, all or nothing.

The format, as the StatBank API serves it (``/v1/data/TABLE/CSV``) and as its download writes it:

- one header row of column names: the table's variables in upper case (``OMRÅDE``, ``KØN``,
  ``BYGFASE``…), then ``TID`` (the period) and ``INDHOLD`` (the figure);
- fields separated by semicolons (the API's ``delimiter=Semicolon``, its default);
- UTF-8, which the API starts with a byte order mark; lines end in CR LF;
- a figure is an integer or a decimal with a decimal comma (``4,3``; the English output,
  ``lang=en``, writes ``4.3``); no thousands separators; ``..`` marks a figure that is not
  published (suppressed, *diskretioneret*), stored as no value, never as zero;
- variable cells hold codes (``849``, ``TOT``; ``valuePresentation=Code``), texts (``Jammerbugt``,
  ``I alt``; the default) or both (``849 Jammerbugt``); periods are codes (:mod:`statbank_periods`);
- there is no comment syntax: every line after the header is a row.

:func:`read_statbank_csv` checks every line before anything is used and raises
:class:`~aarshjul.errors.StatisticsFileError` naming the file, the line and the reason: an empty
file, a wrong separator, a missing ``TID``/``INDHOLD`` column, a row with the wrong number of fields,
a period or figure that is not one. A file that is not UTF-8 is read as Windows-1252 (Latin-1):
StatBank's own output is UTF-8, but a file saved again by a spreadsheet on Windows often is not.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass

from aarshjul.errors import StatisticsFileError
from aarshjul.stats.statbank_periods import Period, parse_period

TIME_COLUMN = "TID"
VALUE_COLUMN = "INDHOLD"
SUPPRESSED = ".."
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class StatBankRow:
    """One data row: its line number, period, figure (``None`` when suppressed) and variables."""

    line: int
    period: Period
    value: float | None
    suppressed: bool
    cells: dict[str, str]


@dataclass(frozen=True)
class StatBankFile:
    """A whole, checked StatBank CSV file.

    ``variables`` are the columns besides ``TID`` and ``INDHOLD``, upper case, in file order;
    ``header_line`` is the header's line number; ``encoding`` is how the bytes were read;
    ``sha256`` identifies the exact bytes.
    """

    source: str
    header_line: int
    variables: tuple[str, ...]
    rows: tuple[StatBankRow, ...]
    encoding: str
    sha256: str


def read_statbank_csv(data: bytes, *, source: str) -> StatBankFile:
    """Parse and check ``data`` (a whole file); ``source`` names it in every error message.

    Raises :class:`StatisticsFileError` on the first problem, with ``source``, line and reason.
    """
    text, encoding = _decode(data, source)
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header_line = _header_line(lines, source)
    header = _header(lines[header_line - 1], source, header_line)
    rows = _rows(lines[header_line:], header, source, header_line)
    if not rows:
        raise StatisticsFileError(f"{source}: the file has a header but no rows of figures")
    variables = tuple(name for name in header if name not in (TIME_COLUMN, VALUE_COLUMN))
    digest = hashlib.sha256(data).hexdigest()
    return StatBankFile(source, header_line, variables, tuple(rows), encoding, digest)


def parse_figure(text: str, *, where: str) -> tuple[float | None, bool]:
    """``(value, suppressed)`` of an ``INDHOLD`` cell: ``4,3`` → ``(4.3, False)``, ``..`` → ``(None, True)``.

    ``where`` (file and line) starts the error message of a cell that is not a figure.
    """
    cell = text.strip()
    if cell == SUPPRESSED:
        return None, True
    if not _NUMBER.match(cell):
        raise StatisticsFileError(
            f"{where}: {VALUE_COLUMN} {cell!r} is not a number (StatBank writes 38512, 4,3 or "
            f"'..' for a figure that is not published)"
        )
    return float(cell.replace(",", ".")), False


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if not data.strip(_BOM + b" \t\r\n"):
        raise StatisticsFileError(f"{source}: the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise StatisticsFileError(
            f"{source}: the file is UTF-16 or binary, not StatBank CSV (save it as UTF-8 CSV)"
        )
    if data.startswith(_BOM):
        try:
            return data[len(_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise StatisticsFileError(
                f"{source}: the file starts with a UTF-8 byte order mark but byte {exc.start} "
                f"is not UTF-8"
            ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _header_line(lines: list[list[str]], source: str) -> int:
    for number, fields in enumerate(lines, start=1):
        if any(field.strip() for field in fields):
            return number
    raise StatisticsFileError(f"{source}: the file is empty")


def _header(fields: list[str], source: str, line: int) -> list[str]:
    where = f"{source}, line {line}"
    if len(fields) == 1:
        raise StatisticsFileError(f"{where}: {_separator_problem(fields[0])}")
    names = [field.strip().strip('"').upper() for field in fields]
    if any(not name for name in names):
        raise StatisticsFileError(f"{where}: column {names.index('') + 1} has no name")
    for required in (TIME_COLUMN, VALUE_COLUMN):
        if required not in names:
            raise StatisticsFileError(
                f"{where}: missing column {required} (the columns are {';'.join(names)}); "
                "StatBank CSV has the period in TID and the figure in INDHOLD"
            )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise StatisticsFileError(f"{where}: column {duplicates[0]} appears twice")
    return names


def _separator_problem(line: str) -> str:
    for char, name in ((",", "commas"), ("\t", "tabs")):
        if char in line:
            return (
                f"the columns are separated by {name}, not semicolons: StatBank CSV uses ';' "
                "(fetch with delimiter=Semicolon, or save as 'CSV (semikolonsepareret)')"
            )
    return f"the header {line.strip()!r} has one column; StatBank CSV has at least TID;INDHOLD"


def _rows(
    lines: list[list[str]], header: list[str], source: str, header_line: int
) -> list[StatBankRow]:
    rows = []
    for number, fields in enumerate(lines, start=header_line + 1):
        if not any(field.strip() for field in fields):
            continue
        where = f"{source}, line {number}"
        if len(fields) != len(header):
            hint = " (separated by commas?)" if len(fields) == 1 and "," in fields[0] else ""
            raise StatisticsFileError(
                f"{where}: {len(fields)} fields, but the header has {len(header)}{hint}"
            )
        cells = {name: field.strip() for name, field in zip(header, fields, strict=True)}
        rows.append(_row(number, cells, where))
    return rows


def _row(number: int, cells: dict[str, str], where: str) -> StatBankRow:
    period = parse_period(cells[TIME_COLUMN])
    if period is None:
        raise StatisticsFileError(
            f"{where}: {TIME_COLUMN} {cells[TIME_COLUMN]!r} is not a StatBank period "
            "(2024, 2024H1, 2024K1, 2024M03, 2024U05, 2024M03D15)"
        )
    value, suppressed = parse_figure(cells[VALUE_COLUMN], where=where)
    variables = {k: v for k, v in cells.items() if k not in (TIME_COLUMN, VALUE_COLUMN)}
    return StatBankRow(number, period, value, suppressed, variables)
