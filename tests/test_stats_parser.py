"""The StatBank CSV parser and the table mappings: the shipped samples and broken variants."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from aarshjul.errors import StatisticsFileError
from aarshjul.stats.danish_numbers import format_change, format_number
from aarshjul.stats.figure_series import extract_series
from aarshjul.stats.statbank_csv import read_statbank_csv
from aarshjul.stats.statbank_periods import PeriodKind, parse_period
from aarshjul.stats.table_mappings import builtin_tables, load_mapping, load_mapping_file

SAMPLES = files("aarshjul.data").joinpath("statbank")
HEADER = "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD"


def sample(table: str) -> bytes:
    return SAMPLES.joinpath(f"{table}_849_opdigtede-tal_invented-numbers.csv").read_bytes()


def csv_bytes(
    *lines: str, encoding: str = "utf-8", newline: str = "\n", bom: bool = False
) -> bytes:
    data = newline.join(lines).encode(encoding) + newline.encode()
    return (b"\xef\xbb\xbf" if bom else b"") + data


def extract(
    data: bytes, table: str = "FOLK1A", area: str | None = "849"
) -> dict[tuple[str, str], float | None]:
    file = read_statbank_csv(data, source="test.csv")
    found = extract_series(file, load_mapping(table), area=area)
    return {(o.series, o.period.code): o.value for o in found.observations}


def refusal(data: bytes, table: str = "FOLK1A", area: str | None = "849") -> str:
    with pytest.raises(StatisticsFileError) as caught:
        extract(data, table, area)
    return str(caught.value)


@pytest.mark.parametrize(
    ("table", "rows", "series"),
    [("FOLK1A", 126, {"befolkning", "maend", "kvinder"}),
     ("BYGV33", 84, {"fuldfoerte_boliger", "paabegyndte_boliger"}),
     ("AUS08", 252, {"ledighed_pct", "ledighed_pct_saeson"})],
)  # fmt: skip
def test_the_shipped_samples_parse_whole(table: str, rows: int, series: set[str]) -> None:
    data = sample(table)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # as the API sends it
    file = read_statbank_csv(data, source=f"{table}.csv")
    assert file.encoding == "utf-8-sig" and len(file.rows) == rows
    found = extract_series(file, load_mapping(table), area="849")
    assert len(found.observations) == rows and found.other_areas == found.other_breakdowns == 0
    assert {o.series for o in found.observations} == series


def test_the_samples_say_their_numbers_are_invented() -> None:
    names = [p.name for p in SAMPLES.iterdir() if p.name.endswith(".csv")]
    assert len(names) == 3 and all("opdigtede-tal_invented-numbers" in n for n in names)
    assert "OPDIGTEDE TAL / INVENTED NUMBERS" in SAMPLES.joinpath("README.md").read_text("utf-8")


def test_a_decimal_comma_and_an_english_decimal_point() -> None:
    figures = extract(
        csv_bytes("OMRÅDE;SAESONFAK;TID;INDHOLD", "849;22;2024M01;4,3", "849;22;2024M02;3.9"),
        "AUS08",
    )
    assert figures == {("ledighed_pct", "2024M01"): 4.3, ("ledighed_pct", "2024M02"): 3.9}


def test_two_dots_is_a_suppressed_figure_not_zero() -> None:
    file = read_statbank_csv(csv_bytes("OMRÅDE;BYGFASE;TID;INDHOLD", "849;3;2024K1;.."), source="x")
    row = file.rows[0]
    assert (row.value, row.suppressed) == (None, True)
    assert extract(csv_bytes("OMRÅDE;BYGFASE;TID;INDHOLD", "849;3;2024K1;.."), "BYGV33") == {
        ("fuldfoerte_boliger", "2024K1"): None
    }


def test_bom_and_windows_line_endings_read_the_same_as_plain_lf() -> None:
    lines = (HEADER, "849;TOT;IALT;TOT;2024K1;38512", "849;1;IALT;TOT;2024K1;19500")
    plain = extract(csv_bytes(*lines))
    assert extract(csv_bytes(*lines, bom=True)) == plain
    assert extract(csv_bytes(*lines, newline="\r\n")) == plain
    assert extract(csv_bytes(*lines, newline="\r\n", bom=True)) == plain
    assert plain == {("befolkning", "2024K1"): 38512.0, ("maend", "2024K1"): 19500.0}


def test_a_latin1_file_with_texts_instead_of_codes() -> None:
    data = csv_bytes(
        HEADER, "Jammerbugt;Mænd;Alder i alt;I alt;2024K1;19500",
        "Jammerbugt;Kvinder;Alder i alt;I alt;2024K1;19012", encoding="latin-1",
    )  # fmt: skip
    file = read_statbank_csv(data, source="latin1.csv")
    assert file.encoding == "cp1252" and file.variables[0] == "OMRÅDE"
    assert extract(data, area="Jammerbugt") == {
        ("maend", "2024K1"): 19500.0, ("kvinder", "2024K1"): 19012.0,
    }  # fmt: skip


def test_code_and_text_cells_match_the_code() -> None:
    data = csv_bytes(HEADER, "849 Jammerbugt;TOT I alt;IALT Alder i alt;TOT I alt;2024K1;38512")
    assert extract(data) == {("befolkning", "2024K1"): 38512.0}


def test_a_variable_left_out_by_statbank_stands_for_its_total() -> None:
    data = csv_bytes("OMRÅDE;TID;INDHOLD", "849;2024K1;38512", "851;2024K1;220000")
    file = read_statbank_csv(data, source="x")
    found = extract_series(file, load_mapping("FOLK1A"), area="849")
    assert [(o.series, o.value) for o in found.observations] == [("befolkning", 38512.0)]
    assert found.other_areas == 1


def test_rows_of_breakdowns_no_series_uses_are_counted_not_kept() -> None:
    data = csv_bytes(HEADER, "849;TOT;IALT;TOT;2024K1;38512", "849;TOT;25;TOT;2024K1;480")
    file = read_statbank_csv(data, source="x")
    found = extract_series(file, load_mapping("FOLK1A"), area="849")
    assert len(found.observations) == 1 and found.other_breakdowns == 1


def test_an_empty_file() -> None:
    for data in (b"", b"\xef\xbb\xbf", b"  \r\n\r\n"):
        with pytest.raises(StatisticsFileError, match=r"^empty.csv: the file is empty$"):
            read_statbank_csv(data, source="empty.csv")


def test_a_header_without_rows() -> None:
    with pytest.raises(StatisticsFileError, match="header but no rows"):
        read_statbank_csv(csv_bytes(HEADER), source="h.csv")


def test_a_missing_column_names_line_and_column() -> None:
    message = refusal(csv_bytes("OMRÅDE;KØN;TID", "849;TOT;2024K1"))
    assert message.startswith("test.csv, line 1: missing column INDHOLD")
    message = refusal(csv_bytes("KØN;TID;INDHOLD", "TOT;2024K1;38512"))
    assert message.startswith("test.csv, line 1: missing column OMRÅDE (the area)")


def test_a_column_the_mapping_does_not_know_is_refused() -> None:
    data = csv_bytes("OMRÅDE;BYGFASE;ANVEND;TID;INDHOLD", "849;3;120;2024K1;12")
    message = refusal(data, "BYGV33")
    assert message.startswith("test.csv, line 1: column ANVEND is not in the BYGV33 mapping")
    assert "StatBank gives its total" in message


def test_a_value_that_is_not_a_number_names_its_line() -> None:
    data = csv_bytes(HEADER, "849;TOT;IALT;TOT;2024K1;38512", "849;TOT;IALT;TOT;2024K2;38.512,0")
    assert refusal(data).startswith("test.csv, line 3: INDHOLD '38.512,0' is not a number")
    data = csv_bytes(HEADER, "849;TOT;IALT;TOT;2024K1;-")
    assert "line 2: INDHOLD '-' is not a number" in refusal(data)


def test_a_wrong_separator() -> None:
    message = refusal(csv_bytes("OMRÅDE,KØN,TID,INDHOLD", "849,TOT,2024K1,38512"))
    assert message.startswith("test.csv, line 1: the columns are separated by commas")
    message = refusal(csv_bytes("OMRÅDE\tTID\tINDHOLD", "849\t2024K1\t38512"))
    assert "separated by tabs" in message
    message = refusal(csv_bytes(HEADER, "849,TOT,IALT,TOT,2024K1,38512"))
    assert message == "test.csv, line 2: 1 fields, but the header has 6 (separated by commas?)"


def test_there_are_no_comment_lines() -> None:
    data = csv_bytes(HEADER, "# opdigtede tal / invented numbers", "849;TOT;IALT;TOT;2024K1;1")
    assert refusal(data) == "test.csv, line 2: 1 fields, but the header has 6"
    message = refusal(csv_bytes("# invented", HEADER, "849;TOT;IALT;TOT;2024K1;1"))
    assert (
        message
        == "test.csv, line 1: the header '# invented' has one column; StatBank CSV has at least TID;INDHOLD"
    )


def test_a_bad_period_and_a_period_of_the_wrong_kind() -> None:
    assert "line 2: TID '2024K5' is not a StatBank period" in refusal(
        csv_bytes(HEADER, "849;TOT;IALT;TOT;2024K5;1")
    )
    message = refusal(csv_bytes(HEADER, "849;TOT;IALT;TOT;2024;1"))
    assert "line 2: TID '2024' is a year, but FOLK1A has one figure per quarter" in message


def test_the_same_figure_twice() -> None:
    data = csv_bytes(HEADER, "849;TOT;IALT;TOT;2024K1;1", "849;TOT;IALT;TOT;2024Q1;2")
    assert "line 3: a second figure for befolkning 2024K1 (the first is on line 2)" in refusal(data)


def test_an_area_that_is_not_in_the_file_lists_the_areas_there() -> None:
    data = csv_bytes(HEADER, "Jammerbugt;I alt;Alder i alt;I alt;2024K1;38512")
    message = refusal(data, area="849")
    assert "no rows for area '849' (the file has 'Jammerbugt')" in message
    assert "which area?" in refusal(data, area=None)


def test_an_unknown_table() -> None:
    with pytest.raises(
        StatisticsFileError,
        match="unknown table 'FOLK9': aarshjul has mappings for AUS08, BYGV33, FOLK1A",
    ):
        load_mapping("folk9")
    assert builtin_tables() == ["AUS08", "BYGV33", "FOLK1A"]


def test_the_mappings_ask_statbank_for_the_codes_their_series_use() -> None:
    assert load_mapping("FOLK1A").request_values() == {
        "KØN": ["TOT", "1", "2"], "ALDER": ["IALT"], "CIVILSTAND": ["TOT"],
    }  # fmt: skip
    assert load_mapping("BYGV33").request_values() == {"BYGFASE": ["2", "3"]}
    assert load_mapping("AUS08").request_values() == {"SAESONFAK": ["9", "22"]}


def test_a_broken_mapping_file_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "are207.yaml"
    path.write_text(
        """
table: ARE207
title: {da: Areal, en: Area}
unit: {da: km², en: km²}
period: year
per_year: sum
area: OMRÅDE
variables:
  ENHED: {values: {KM2: [Km²]}}
series:
  areal: {label: {da: Areal, en: Area}, where: {KOMGRP: X}}
chart: {kind: bar, series: arealet, title: {da: Areal, en: Area}}
""",
        encoding="utf-8",
    )
    with pytest.raises(StatisticsFileError) as caught:
        load_mapping_file(path)
    message = str(caught.value)
    assert "series.areal.where: KOMGRP is not one of the variables" in message
    assert "ENHED has no total, so name its code" in message
    assert "chart.series: 'arealet' is not one of the series" in message


@pytest.mark.parametrize(
    ("text", "code", "kind", "start"),
    [("2024", "2024", PeriodKind.year, "2024-01-01"),
     ("2024H2", "2024H2", PeriodKind.half, "2024-07-01"),
     ("2024K3", "2024K3", PeriodKind.quarter, "2024-07-01"),
     ("2024q4", "2024K4", PeriodKind.quarter, "2024-10-01"),
     ("2024M03", "2024M03", PeriodKind.month, "2024-03-01"),
     ("2020U53", "2020U53", PeriodKind.week, "2020-12-28"),
     ("2024M02D29", "2024M02D29", PeriodKind.day, "2024-02-29")],
)  # fmt: skip
def test_period_codes(text: str, code: str, kind: PeriodKind, start: str) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.code, period.kind, period.start.isoformat()) == (code, kind, start)


@pytest.mark.parametrize(
    "text", ["24", "2024K0", "2024M13", "2023M02D29", "2021U53", "2024-01", ""]
)
def test_not_period_codes(text: str) -> None:
    assert parse_period(text) is None


def test_danish_and_english_numbers() -> None:
    assert format_number(38512.0) == "38.512" and format_number(38512.0, lang="en") == "38,512"
    assert format_number(4.25, 1) == "4,3" and format_number(-1234.5, 1) == "-1.234,5"
    assert format_number(0.05, 1) == "0,1"  # half up, as a reader rounds
    assert format_change(150, 200, points=False, decimals=0) == "\u221225,0 %"
    assert format_change(2.8, 2.8, points=True, decimals=1) == "\u00b10,0 procentpoint"
