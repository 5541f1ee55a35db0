"""``aarshjul goal report|history``: goal status follow-up (*målopfølgning*)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import FormatOption, TodayOption
from aarshjul.commands.output import OutputFormat, emit
from aarshjul.goals import goal_history, parse_indicator_args, report_goal_status
from aarshjul.models.goal_tracking import STATUS_LABELS

goal_app = typer.Typer(name="goal", help="Goal status follow-up (målopfølgning): report, history.")
HISTORY_COLUMNS = [
    "year", "status_da", "comment", "indicators", "reported_by", "reported_at", "latest",
]  # fmt: skip


@goal_app.command("report")
def report(
    key: Annotated[str, typer.Argument(help="The goal's key (see `aarshjul goals`).")],
    status: Annotated[
        str,
        typer.Option(
            "--status",
            "-s",
            help="på sporet|risiko|ikke på sporet|opfyldt|opgivet "
            "(or on_track|at_risk|off_track|achieved|abandoned).",
        ),
    ],
    by: Annotated[str, typer.Option("--by", help="E-mail of who reports: the owner or planning.")],
    comment: Annotated[str, typer.Option("--comment", "-c", help="A short comment.")] = "",
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", "-i", help="NAME=VALUE of one of the goal's indicators."),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", help="The year reported on (default: see the docs)."),
    ] = None,
    today: TodayOption = None,
) -> None:
    """Report a goal's status for a year; completes the goal's status task when there is one.

    Example: `aarshjul goal report skole-m1 --status risiko --comment "Trivslen falder"
    --indicator trivsel=81,5 --by birgitte.thygesen@jammerbugt.example --year 2026`
    """
    values = parse_indicator_args(indicator or [])
    with common.org_session() as (s, org):
        outcome = report_goal_status(
            s, organisation=org, goal_key=key, status=status, by_email=by,
            now=common.now_utc(), today=common.resolve_today(today, org), year=year,
            comment=comment, indicators=values,
        )  # fmt: skip
    label = STATUS_LABELS[outcome.report.status]
    what = "registreret / recorded" if outcome.created else "uændret / unchanged"
    typer.echo(
        f"Målstatus {outcome.goal_key} {outcome.year}: {label['da']} ({label['en']}) — {what}"
    )
    if outcome.completed_task_id is not None:
        typer.echo(f"Statusopgave {outcome.completed_task_id} udført / status task done.")


@goal_app.command("history")
def history(
    key: Annotated[str, typer.Argument(help="The goal's key (see `aarshjul goals`).")],
    year: Annotated[int | None, typer.Option("--year", "-y", help="Only this year.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """A goal's status reports, oldest first; `latest` marks each year's status.

    Example: `aarshjul goal history skole-m1 --format json`
    """
    with common.org_session() as (s, org):
        records = goal_history(s, organisation=org, goal_key=key, year=year)
    if fmt != OutputFormat.json:
        records = [r | {"indicators": _indicator_cells(r["indicators"])} for r in records]
    emit(records, fmt, columns=HISTORY_COLUMNS, title=f"Målstatus {key}")


def _indicator_cells(values: list[dict[str, Any]]) -> list[str]:
    return [f"{v['name']}={v['value']:g}{' ' + v['unit'] if v['unit'] else ''}" for v in values]
