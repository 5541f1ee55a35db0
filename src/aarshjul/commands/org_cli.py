"""``aarshjul org import|export``: the organisation file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.output import OutputFormat, emit
from aarshjul.org.exporting import dump_org_yaml, export_org
from aarshjul.org.importing import ImportSummary
from aarshjul.org.org_audit import import_org_audited
from aarshjul.org.org_files import load_org_file

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
    file: Annotated[Path, typer.Argument(help="The organisation YAML file.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and show, write nothing.")
    ] = False,
) -> None:
    """Load people, committees, policy areas and goals; upserts by key, all or nothing.

    Every change is recorded in the audit trail (`aarshjul audit`). Example:
    `aarshjul org import kommune.yaml`
    """
    data = load_org_file(file)
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
    """Write the organisation as YAML (the format `org import` reads).

    Example: `aarshjul org export -o kommune.yaml`
    """
    with common.org_session() as (s, org):
        text = dump_org_yaml(export_org(s, org))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {output}")
