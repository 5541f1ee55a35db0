"""``aarshjul hvidbog`` and ``aarshjul participation``: the white paper, erasure, a person's
export. Services are imported inside each command (the CLI starts without the database layer).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import TodayOption

participation_app = typer.Typer(
    name="participation",
    help="Citizens' submissions: erase contact details after the retention period, export a person's.",
    no_args_is_help=True,
)


def hvidbog_command(
    phase_key: Annotated[
        str,
        typer.Argument(
            metavar="PHASE_KEY",
            help="A phase open to the public: CYCLE.PHASE (helhedsplan-2027.idea), or the phase "
            "key of the year's annual cycle (idea, plan_hearing).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write FILE.docx, FILE.pdf or FILE.html (default: HTML on stdout).",
        ),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="The annual cycle's year (default: today's).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="da or en.")] = "da",
    today: TodayOption = None,
) -> None:
    """Build the hvidbog (white paper) of a phase: every submission with the reply and the
    recommendation, by policy area, numbered, with a summary table.

    Example: `aarshjul hvidbog helhedsplan-2027.idea -o hvidbog-ideer-2027.docx`
    """
    from aarshjul.documents import document_format
    from aarshjul.participation.hvidbog import hvidbog
    from aarshjul.participation.hvidbog_document import render_hvidbog
    from aarshjul.participation.public_phases import find_public_phase
    from aarshjul.wheel.wheel_export import write_file

    fmt = document_format(output).value
    with common.org_session() as (s, org):
        day = common.resolve_today(today, org)
        phase = find_public_phase(s, organisation=org, key=phase_key, year=year or day.year)
        book = hvidbog(s, organisation=org, phase=phase, today=day, locale=lang)
    content = render_hvidbog(book, fmt)
    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
        return
    write_file(output, content)
    typer.echo(f"Wrote {output} ({len(book.entries)} submissions, {book.missing} without a reply)")


@participation_app.command("erase")
def erase(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be erased.")] = False,
    today: TodayOption = None,
) -> None:
    """Erase the contact details (name, e-mail, organisation, attachment, the receipt mail)
    of submissions whose retention period has ended (AARSHJUL_RETENTION_MONTHS after the
    adoption). The text, reply and recommendation stay: they are the hvidbog.

    Example: `aarshjul participation erase --dry-run`
    """
    from aarshjul.config import get_settings
    from aarshjul.participation.privacy import erase_expired_contacts

    months = get_settings().retention_months
    with common.org_session() as (s, org):
        result = erase_expired_contacts(
            s, organisation=org, today=common.resolve_today(today, org), now=common.now_utc(),
            months=months, dry_run=dry_run,
        )  # fmt: skip
    verb = "Would erase" if dry_run else "Erased"
    typer.echo(
        f"{verb} the contact details of {len(result.submissions)} submissions "
        f"({result.attachments} attachments, {result.receipts} receipts); retention {months} months"
    )
    for reference in result.submissions:
        typer.echo(f"  {reference}")


@participation_app.command("export")
def export(
    email: Annotated[str, typer.Argument(help="The submitter's e-mail address.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write FILE.json.")] = None,
) -> None:
    """Everything stored about one person's submissions, as JSON (a request for access,
    GDPR art. 15). Each export is recorded in the submissions' audit trail.

    Example: `aarshjul participation export borger@example.org -o indsigt.json`
    """
    from aarshjul.config import get_settings
    from aarshjul.participation.privacy import export_submissions
    from aarshjul.wheel.wheel_export import write_file

    with common.org_session() as (s, org):
        records = export_submissions(
            s, organisation=org, email=email, now=common.now_utc(),
            months=get_settings().retention_months,
        )  # fmt: skip
    text = json.dumps({"email": email, "submissions": records}, ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text)
        return
    write_file(output, (text + "\n").encode("utf-8"))
    typer.echo(f"Wrote {output} ({len(records)} submissions)")
