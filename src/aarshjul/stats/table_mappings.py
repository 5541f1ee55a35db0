"""Table mappings: one small YAML file per StatBank table says which rows make which series.

A mapping names the table's area column, the variables the series are cut by (each with the codes
used and the texts StatBank writes for them, and the code of its total), and the series: a key, a
label and one code per variable (``where``); a variable a series does not name must be at its
total. A variable the mapping does not list must not be in the file at all: StatBank *eliminates*
a variable that is left out of a request (it answers with the total), and a file that still
breaks it down would otherwise be summed twice. So adding a table is adding a file, no code::

    table: FOLK1A
    title: {da: Befolkningen den 1. i kvartalet, en: Population on the first day of the quarter}
    unit: {da: personer, en: persons}
    period: quarter          # the table's periods: year, half, quarter, month, week, day
    per_year: first          # one year's figure: first | last | sum | mean of its periods
    area: OMRÅDE
    variables:
      KØN: {total: TOT, values: {TOT: [I alt, Total], "1": [Mænd, Men], "2": [Kvinder, Women]}}
    series:
      befolkning: {label: {da: Befolkning i alt, en: Population}, where: {}}
      maend: {label: {da: Mænd, en: Men}, where: {KØN: "1"}}
    chart: {kind: line, series: befolkning, title: {da: Befolkning pr. 1. januar, en: …}}

The shipped mappings (FOLK1A, BYGV33, AUS08) are in ``aarshjul/stats/tables/``; the format is
described in ``docs/statistics.md``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aarshjul.errors import StatisticsFileError
from aarshjul.stats.statbank_periods import PeriodKind
from aarshjul.yamlfile import read_yaml, validate_file

Code = Annotated[str, Field(min_length=1, max_length=64)]
SeriesKey = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,64}$")]
Column = Annotated[str, Field(pattern=r"^[A-ZÆØÅ0-9_]{1,40}$")]
TableId = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,32}$")]


class PerYear(StrEnum):
    """How one year's figure is made from the year's periods."""

    first = "first"  # a stock at the start of the year (FOLK1A's 1st quarter = 1 January)
    last = "last"  # a stock at the end of the year
    sum = "sum"  # a flow (dwellings completed)
    mean = "mean"  # a rate (unemployment per cent)


class ChartKind(StrEnum):
    line = "line"
    bar = "bar"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """A text in Danish and English."""

    da: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.da


class Variable(_Strict):
    """A variable the series are cut by: its codes (with StatBank's texts) and its total's code."""

    total: Code | None = None
    values: dict[Code, list[str]] = Field(min_length=1)

    @field_validator("values", mode="before")
    @classmethod
    def _codes_as_text(cls, value: object) -> object:
        if isinstance(value, dict):  # YAML reads an unquoted 1 as a number
            return {str(k): v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _total_is_a_value(self) -> Variable:
        if self.total is not None and self.total not in self.values:
            raise ValueError(f"total {self.total!r} is not one of the values")
        return self

    def code_of(self, cell: str) -> str | None:
        """The code a file cell stands for: the code, one of its texts, or ``code text``."""
        text = cell.strip()
        if text in self.values:
            return text
        folded = text.casefold()
        for code, labels in self.values.items():
            if folded in (label.casefold() for label in labels):
                return code
        head = text.split(" ", 1)[0]
        return head if head in self.values and " " in text else None


class Series(_Strict):
    """One series: its label and the code of each variable it takes (the rest at their totals)."""

    label: Text
    where: dict[Column, Code] = Field(default_factory=dict)

    @field_validator("where", mode="before")
    @classmethod
    def _codes_as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: str(v) for k, v in value.items()}
        return value


class Chart(_Strict):
    """How the table is drawn: a line or bars of ``series`` per year, with a title.

    ``from_zero``: the value axis starts at zero (always for bars). ``change``: a year's change is
    shown in per cent, or in percentage points for a rate.
    """

    kind: ChartKind
    series: SeriesKey
    title: Text
    from_zero: bool = True
    change: Literal["percent", "points"] = "percent"


class TableMapping(_Strict):
    """One StatBank table: what it is, its unit and periods, and how its rows make series."""

    table: TableId
    title: Text
    unit: Text
    decimals: int = Field(default=0, ge=0, le=4)
    period: PeriodKind
    per_year: PerYear
    area: Column | None = None
    variables: dict[Column, Variable] = Field(default_factory=dict)
    series: dict[SeriesKey, Series] = Field(min_length=1)
    chart: Chart
    note: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TableMapping:
        problems = [*self._column_problems(), *self._series_problems()]
        if self.chart.series not in self.series:
            problems.append(f"chart.series: {self.chart.series!r} is not one of the series")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _column_problems(self) -> list[str]:
        reserved = {"TID", "INDHOLD"}
        names = [*self.variables, *([self.area] if self.area else [])]
        problems = [
            f"{name} is StatBank's own column, not a variable" for name in reserved & set(names)
        ]
        if self.area and self.area in self.variables:
            problems.append(f"{self.area} is the area column and cannot also be a variable")
        return problems

    def _series_problems(self) -> list[str]:
        problems = []
        for key, series in self.series.items():
            for name, code in series.where.items():
                if name not in self.variables:
                    problems.append(f"series.{key}.where: {name} is not one of the variables")
                elif code not in self.variables[name].values:
                    problems.append(f"series.{key}.where.{name}: {code!r} is not one of its values")
            for name, variable in self.variables.items():
                if variable.total is None and name not in series.where:
                    problems.append(f"series.{key}.where: {name} has no total, so name its code")
        seen: dict[tuple[str, ...], str] = {}
        for key in self.series:
            codes = self._full_where(key)
            if codes in seen:
                problems.append(f"series {seen[codes]} and {key} select the same rows")
            seen[codes] = key
        return problems

    def _full_where(self, key: str) -> tuple[str, ...]:
        where = self.series[key].where
        return tuple(where.get(name) or self.variables[name].total or "" for name in self.variables)

    @cached_property
    def _series_by_codes(self) -> dict[tuple[str, ...], str]:
        return {self._full_where(key): key for key in self.series}

    def series_for(self, codes: dict[str, str]) -> str | None:
        """The series a row belongs to, from its code per variable (absent = the total)."""
        row = tuple(codes.get(name) or self.variables[name].total or "" for name in self.variables)
        return self._series_by_codes.get(row)

    def request_values(self) -> dict[str, list[str]]:
        """The codes to ask StatBank for, per variable: those the series use, in mapping order."""
        return {
            name: [code for code in variable.values if code in self._codes_used(name)]
            for name, variable in self.variables.items()
        }

    def _codes_used(self, name: str) -> set[str]:
        position = list(self.variables).index(name)
        return {self._full_where(key)[position] for key in self.series}


def builtin_tables() -> list[str]:
    """The tables aarshjul ships a mapping for (``AUS08``, ``BYGV33``, ``FOLK1A``)."""
    folder = files("aarshjul.stats").joinpath("tables")
    return sorted(
        p.name.removesuffix(".yaml").upper() for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_mapping(table: str) -> TableMapping:
    """The shipped mapping for ``table`` (any case); an unknown table is a clear error."""
    resource = files("aarshjul.stats").joinpath("tables", f"{table.strip().lower()}.yaml")
    if not resource.is_file():
        raise StatisticsFileError(
            f"unknown table {table.strip().upper()!r}: aarshjul has mappings for "
            f"{', '.join(builtin_tables())}; for another table write a mapping file "
            "(docs/statistics.md) and pass --mapping FILE"
        )
    return _parse(Path(str(resource)), yaml.safe_load(resource.read_text(encoding="utf-8")))


def load_mapping_file(path: Path) -> TableMapping:
    """A mapping from a YAML file; every problem is reported with the file and the YAML path."""
    return _parse(path, read_yaml(path, StatisticsFileError))


def _parse(path: Path, data: object) -> TableMapping:
    if not isinstance(data, dict):
        raise StatisticsFileError(
            f"{path}: a table mapping must be a mapping with table, series, …"
        )
    return validate_file(path, TableMapping, data, StatisticsFileError)
