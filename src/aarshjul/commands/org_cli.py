"""``aarshjul org import|export``: the organisation file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.output import OutputFormat, emit, write_text, writing
from aarshjul.org.exporting import dump_org_yaml, export_org, org_payload
from aarshjul.org.importing import ImportSummary
from aarshjul.org.org_audit import import_org_audited
from aarshjul.org.org_files import check_horizons, load_org_file

app = typer.Typer(name="org", help="Organisation data: people, committees, policy areas, goals.")


def print_summary(summary: ImportSummary) -> None:
    emit(
        summary.as_records(),
        OutputFormat.table,
        columns=["kind", "added", "updated", "unchanged"],
        title=f"Organisation {summary.organisation}",
    )


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="The organisation file: YAML, or an Excel workbook (.xlsx).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and show, write nothing.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="A goal horizon that does not fit its level is an error."),
    ] = False,
) -> None:
    """Load people, committees, policy areas and goals; upserts by key, all or nothing.

    Every change is recorded in the audit trail (`aarshjul audit`). Example:
    `aarshjul org import kommune.yaml`
    """
    data = load_org_file(file)
    for warning in check_horizons(file, data, strict=strict):
        typer.echo(f"aarshjul: advarsel/warning: {warning}", err=True)
    with common.runtime() as rt, rt.session() as s:
        summary = import_org_audited(
            s, data, actor=common.actor(), source=f"org import {file.name}", now=rt.now()
        )
        if dry_run:
            s.rollback()
    print_summary(summary)
    if dry_run:
        typer.echo("Dry run: nothing was written.")


@app.command("export")
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Write the organisation as YAML, or as an Excel workbook with `-o FILE.xlsx`.

    Both are formats `org import` reads. Example: `aarshjul org export -o kommune.xlsx`
    """
    with common.org_session() as (s, org):
        data = export_org(s, org)
    if output is not None and output.suffix.lower() == ".xlsx":
        from aarshjul.org.workbook import write_workbook  # openpyxl only when asked for

        with writing(output):
            write_workbook(org_payload(data), output)
        typer.echo(f"Wrote {output}")
        return
    text = dump_org_yaml(data)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text(output, text)
        typer.echo(f"Wrote {output}")
