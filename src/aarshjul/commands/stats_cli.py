"""``aarshjul stats import|list|fetch|chart``: key figures from Statistics Denmark (StatBank)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.output import OutputFormat, emit
from aarshjul.errors import InputError

app = typer.Typer(
    name="stats",
    help="Key statistics from Statistics Denmark: import StatBank CSV, list, fetch, chart.",
    no_args_is_help=True,
)

TableOption = Annotated[
    str | None, typer.Option("--table", "-t", help="StatBank table: FOLK1A, BYGV33, AUS08…")
]
AreaOption = Annotated[
    str | None,
    typer.Option("--area", help="Area code (e.g. 849) or name; default: the organisation's."),
]
MappingOption = Annotated[
    Path | None,
    typer.Option("--mapping", help="A table mapping YAML file, for a table aarshjul has none for."),
]


def _mapping(table: str | None, mapping_file: Path | None) -> Any:
    from aarshjul.stats.table_mappings import load_mapping, load_mapping_file

    if mapping_file is not None:
        mapping = load_mapping_file(mapping_file)
        if table and table.strip().upper() != mapping.table:
            raise InputError(f"--table {table} but {mapping_file} maps {mapping.table}")
        return mapping
    if not table:
        raise InputError("--table is required (FOLK1A, BYGV33, AUS08 …) unless --mapping is given")
    return load_mapping(table)


def _print_summary(summary: Any, dry_run: bool) -> None:
    emit(
        summary.as_records(),
        OutputFormat.table,
        columns=["series", "added", "updated", "unchanged", "suppressed"],
        title=f"{summary.table}, area {summary.area or '-'}: "
        f"{summary.first_period} to {summary.last_period}",
    )
    skipped = summary.other_areas + summary.other_breakdowns
    if skipped:
        typer.echo(
            f"Rows not imported: {summary.other_areas} of other areas, "
            f"{summary.other_breakdowns} of breakdowns no series uses."
        )
    typer.echo(f"Source: {summary.source} (retrieved {summary.retrieved_on.isoformat()})")
    if dry_run:
        typer.echo("Dry run: nothing was written.")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A StatBank CSV file (semicolon-separated).")],
    table: TableOption = None,
    area: AreaOption = None,
    mapping_file: MappingOption = None,
    retrieved: Annotated[
        str | None,
        typer.Option("--retrieved", help="The day the file was downloaded (YYYY-MM-DD; today)."),
    ] = None,
    today: common.TodayOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and show, write nothing.")
    ] = False,
) -> None:
    """Import key figures from a StatBank CSV file; all or nothing, the same file twice changes nothing.

    Example: `aarshjul stats import FOLK1A.csv --table FOLK1A --area 849`
    """
    from aarshjul.stats.figure_store import import_figures

    mapping = _mapping(table, mapping_file)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read the file: {exc.strerror}") from exc
    with common.org_session() as (s, org):
        day = (
            common.parse_date(retrieved, "--retrieved")
            if retrieved
            else common.resolve_today(today, org)
        )
        summary = import_figures(
            s, organisation=org, data=data, source=file.name, mapping=mapping, area=area,
            retrieved_on=day, now=common.now_utc(),
        )  # fmt: skip
        if dry_run:
            s.rollback()
    _print_summary(summary, dry_run)


@app.command("list")
def list_(table: TableOption = None, fmt: common.FormatOption = OutputFormat.table) -> None:
    """List the organisation's key figures by table, series and period.

    Example: `aarshjul stats list --table FOLK1A --format csv`
    JSON fields: `table`, `series`, `period`, `value` (null when suppressed), `suppressed`,
    `source`, `retrieved_on`. The table view writes figures the Danish way (38.512; 4,3; ..).
    """
    from aarshjul.stats.figure_store import list_figures

    with common.org_session() as (s, org):
        assert org.id is not None
        rows = list_figures(s, organisation_id=org.id, table=table)
    records: list[dict[str, Any]] = [
        {
            "table": r.table_id, "series": r.series, "period": r.period, "value": r.value,
            "suppressed": r.suppressed, "source": r.source, "retrieved_on": r.retrieved_on.isoformat(),
        }
        for r in rows
    ]  # fmt: skip
    if fmt == OutputFormat.table:
        _danish_values(records)
    emit(records, fmt, title="Nøgletal / key figures")


def _danish_values(records: list[dict[str, Any]]) -> None:
    """Figures written with their table's decimals, the Danish way; ``..`` when suppressed."""
    from aarshjul.errors import StatisticsFileError
    from aarshjul.stats.danish_numbers import format_number
    from aarshjul.stats.table_mappings import load_mapping

    decimals: dict[str, int | None] = {}
    for record in records:
        table, value = record["table"], record["value"]
        if table not in decimals:
            try:
                decimals[table] = load_mapping(table).decimals
            except StatisticsFileError:  # imported with --mapping: show the figure as it is
                decimals[table] = None
        places = decimals[table]
        if places is None:
            places = 0 if value is None or float(value).is_integer() else 2
        record["value"] = ".." if value is None else format_number(value, places)


@app.command()
def fetch(
    table: Annotated[str, typer.Argument(help="StatBank table: FOLK1A, BYGV33, AUS08…")],
    from_year: Annotated[
        int | None, typer.Option("--from", help="First year to fetch (default: every period).")
    ] = None,
    area: AreaOption = None,
    mapping_file: MappingOption = None,
    today: common.TodayOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the request URL; fetch and write nothing.")
    ] = False,
) -> None:
    """Fetch a table's figures for the organisation's area from the StatBank API and import them.

    Example: `aarshjul stats fetch FOLK1A --from 2015`
    Needs network; without it the error names the URL to download elsewhere and import.
    """
    from aarshjul.config import get_settings
    from aarshjul.stats.figure_store import import_figures
    from aarshjul.stats.statbank_api import build_request, fetch_csv

    mapping = _mapping(table, mapping_file)
    with common.org_session() as (s, org):
        request = build_request(
            mapping, area=area or org.municipality_code, from_year=from_year,
            api_url=get_settings().statbank_api_url,
        )  # fmt: skip
        if dry_run:
            typer.echo(request.url)
            return
        data = fetch_csv(request)
        summary = import_figures(
            s, organisation=org, data=data, source=request.url, mapping=mapping, area=area,
            retrieved_on=common.resolve_today(today, org), now=common.now_utc(),
        )  # fmt: skip
    _print_summary(summary, dry_run=False)


@app.command()
def chart(
    table: Annotated[str, typer.Argument(help="StatBank table: FOLK1A, BYGV33, AUS08…")],
    output: Annotated[Path, typer.Option("--output", "-o", help="FILE.png or FILE.svg.")],
    year: Annotated[
        int | None, typer.Option("--year", help="The focus year (default: latest).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="da or en.")] = "da",
    small: Annotated[bool, typer.Option("--small", help="The web app's size.")] = False,
    mapping_file: MappingOption = None,
) -> None:
    """Draw a table's key figures per year, the focus year against the years before.

    Example: `aarshjul stats chart FOLK1A --year 2024 -o befolkning.png`
    """
    from aarshjul.stats.figure_store import table_figures
    from aarshjul.stats.stat_charts import chart_png, chart_svg
    from aarshjul.wheel.wheel_export import write_file

    if output.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"{output}: the chart is written as .png or .svg")
    if lang not in ("da", "en"):
        raise InputError(f"--lang {lang!r}: da or en")
    mapping = _mapping(table, mapping_file)
    with common.org_session() as (s, org):
        assert org.id is not None
        figures = table_figures(s, organisation_id=org.id, mapping=mapping)
    if output.suffix.lower() == ".svg":
        chart = chart_svg(figures, year=year, lang=lang, small=small).encode("utf-8")
    else:
        chart = chart_png(figures, year=year, lang=lang, small=small)
    write_file(output, chart)
    typer.echo(f"Wrote {output}")
