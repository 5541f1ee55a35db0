"""From a checked StatBank file and a table mapping to one area's series, all or nothing.

:func:`extract_series` keeps the rows of one area (a municipality code such as ``849``, the text
StatBank writes for it, or ``849 Jammerbugt``), maps each row's variable cells to codes and the codes
to a series, and refuses the whole file with the line and the reason when the file does not fit
the mapping: a column the mapping does not know, the area column missing, a period of the wrong
kind, the same series and period twice, or no row at all for the area's series. Rows of other
areas and of breakdowns no series uses are counted, not kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from aarshjul.errors import StatisticsFileError
from aarshjul.stats.statbank_csv import StatBankFile, StatBankRow
from aarshjul.stats.statbank_periods import Period
from aarshjul.stats.table_mappings import TableMapping


@dataclass(frozen=True)
class Observation:
    """One figure of one series: ``value`` is ``None`` when StatBank suppressed it (``..``)."""

    series: str
    period: Period
    value: float | None
    suppressed: bool
    line: int


@dataclass(frozen=True)
class Extraction:
    """The area's observations from one file, and how many rows were left out and why."""

    table: str
    area: str
    observations: tuple[Observation, ...]
    other_areas: int
    other_breakdowns: int


def extract_series(file: StatBankFile, mapping: TableMapping, *, area: str | None) -> Extraction:
    """The observations ``file`` holds for ``area`` (ignored when the table has no area column).

    Raises :class:`~aarshjul.errors.StatisticsFileError` naming the file, line and reason.
    """
    _check_columns(file, mapping)
    area_code = _area(mapping, area, file.source)
    observations: list[Observation] = []
    first_line: dict[tuple[str, str], int] = {}
    other_areas = other_breakdowns = 0
    for row in file.rows:
        if mapping.area and not area_matches(row.cells[mapping.area], area_code):
            other_areas += 1
            continue
        _check_period(row, mapping, file.source)
        series = _series(row, mapping)
        if series is None:
            other_breakdowns += 1
            continue
        _check_unique(first_line, series, row, file.source)
        observations.append(Observation(series, row.period, row.value, row.suppressed, row.line))
    if not observations:
        raise StatisticsFileError(_nothing_found(file, mapping, area_code))
    return Extraction(mapping.table, area_code, tuple(observations), other_areas, other_breakdowns)


def area_matches(cell: str, area: str) -> bool:
    """True when a file's area cell is ``area``: ``849``, ``849 Jammerbugt`` or ``Jammerbugt``."""
    text = cell.strip()
    return text == area or text.split(" ", 1)[0] == area or text.casefold() == area.casefold()


def _check_columns(file: StatBankFile, mapping: TableMapping) -> None:
    where = f"{file.source}, line {file.header_line}"
    known = {*mapping.variables, *([mapping.area] if mapping.area else [])}
    for name in file.variables:
        if name not in known:
            raise StatisticsFileError(
                f"{where}: column {name} is not in the {mapping.table} mapping (it knows "
                f"{', '.join(sorted(known)) or 'no variables'}); leave {name} out of the StatBank "
                "selection so StatBank gives its total, or add it to the mapping"
            )
    if mapping.area and mapping.area not in file.variables:
        raise StatisticsFileError(
            f"{where}: missing column {mapping.area} (the area); the columns are "
            f"{';'.join([*file.variables, 'TID', 'INDHOLD'])}"
        )


def _area(mapping: TableMapping, area: str | None, source: str) -> str:
    if not mapping.area:
        return ""
    if not area or not area.strip():
        raise StatisticsFileError(
            f"{source}: which area? {mapping.table} has figures per {mapping.area}: pass --area "
            "(e.g. 849) or set municipality_code in the organisation file"
        )
    return area.strip()


def _check_period(row: StatBankRow, mapping: TableMapping, source: str) -> None:
    if row.period.kind is not mapping.period:
        raise StatisticsFileError(
            f"{source}, line {row.line}: TID {row.period.code!r} is a {row.period.kind.value}, "
            f"but {mapping.table} has one figure per {mapping.period.value} (is this the right table?)"
        )


def _series(row: StatBankRow, mapping: TableMapping) -> str | None:
    codes: dict[str, str] = {}
    for name, variable in mapping.variables.items():
        if name in row.cells:
            code = variable.code_of(row.cells[name])
            if code is None:
                return None
            codes[name] = code
    return mapping.series_for(codes)


def _check_unique(
    first_line: dict[tuple[str, str], int], series: str, row: StatBankRow, source: str
) -> None:
    key = (series, row.period.code)
    if key in first_line:
        raise StatisticsFileError(
            f"{source}, line {row.line}: a second figure for {series} {row.period.code} "
            f"(the first is on line {first_line[key]})"
        )
    first_line[key] = row.line


def _nothing_found(file: StatBankFile, mapping: TableMapping, area: str) -> str:
    if mapping.area and not any(area_matches(r.cells[mapping.area], area) for r in file.rows):
        seen = _examples(r.cells[mapping.area] for r in file.rows)
        return (
            f"{file.source}: no rows for area {area!r} (the file has {seen}); pass --area with "
            "the code or the name as the file writes it"
        )
    values = "; ".join(
        f"{name}: {_examples(r.cells[name] for r in file.rows)}"
        for name in mapping.variables
        if name in file.variables
    )
    return (
        f"{file.source}: no row matches a series of {mapping.table} "
        f"({', '.join(mapping.series)}); the file has {values or 'no variables'}"
    )


def _examples(cells: Iterable[str]) -> str:
    counts = Counter(cells)
    shown = [repr(cell) for cell, _ in counts.most_common(5)]
    return ", ".join(shown) + (" …" if len(counts) > 5 else "")
