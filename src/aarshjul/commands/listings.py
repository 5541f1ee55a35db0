"""``aarshjul people|goals|tasks|done|status``: what the organisation and its year hold."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import YEAR_RANGE, FormatOption, TodayOption
from aarshjul.commands.output import (
    OutputFormat,
    console,
    emit,
    markup,
    shares,
    to_json,
    to_table,
)
from aarshjul.errors import InputError
from aarshjul.escaping import terminal_text
from aarshjul.models import TaskStatus
from aarshjul.models.queries import TaskFilter, goal_records, people_records, task_records

if TYPE_CHECKING:
    from aarshjul.engine.progress import YearProgress

TASK_COLUMNS = ["id", "key", "title", "phase", "owner_email", "due", "status"]


def people(fmt: FormatOption = OutputFormat.table) -> None:
    """List the organisation's people with roles and superiors. Example: `aarshjul people`"""
    with common.org_session() as (s, org):
        records = people_records(s, org)
    emit(
        records,
        fmt,
        columns=["email", "name", "title", "roles", "superior_email"],
        title="Personer",
    )


def goals(
    policy_area: Annotated[
        str | None, typer.Option("--policy-area", "-p", help="Only this policy area (key).")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List visions, goals, service goals and actions. Example: `aarshjul goals -p skole`"""
    with common.org_session() as (s, org):
        records = goal_records(s, org, policy_area)
    columns = [
        "key", "level", "title", "horizon", "policy_area", "committee", "owner_email", "status",
    ]  # fmt: skip
    emit(records, fmt, columns=columns, title="Mål")


def tasks(
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="Only this cycle year.", **YEAR_RANGE)
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only this owner's (e-mail).")
    ] = None,
    status: Annotated[
        list[TaskStatus] | None,
        typer.Option("--status", "-s", help="Only this status (repeatable)."),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open tasks past due.")] = False,
    today: TodayOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List tasks by due date. Example: `aarshjul tasks --owner anne@kommune.example --overdue`"""
    with common.org_session() as (s, org):
        flt = TaskFilter(
            year=year, owner_email=owner, statuses=status or (), overdue=overdue,
            today=common.resolve_today(today, org),
        )  # fmt: skip
        records = task_records(s, org, flt)
    emit(records, fmt, columns=TASK_COLUMNS, title="Opgaver")


def done(
    task_id: Annotated[int, typer.Argument(help="The task's id (see `aarshjul tasks`).")],
    by: Annotated[
        str, typer.Option("--by", help="E-mail of who completed it: the owner or planning.")
    ],
    note: Annotated[str, typer.Option("--note", help="A note for the audit trail.")] = "",
) -> None:
    """Mark a task done, recorded in its audit trail.

    Example: `aarshjul done 42 --by anne.kjaer@jammerbugt.example --note "Sendt til udvalget"`
    """
    from aarshjul.engine.task_status import set_task_status
    from aarshjul.flows.events import completed_event

    with common.runtime() as rt, rt.session() as s:
        org = rt.organisation(s)
        task, event = set_task_status(
            s, org=org, task_id=task_id, by_email=by, status=TaskStatus.done,
            now=rt.now(), note=note,
        )  # fmt: skip
        completed = completed_event(s, org, task, by) if event is not None else None
    if completed is not None and os.environ.get("PREFECT_API_URL"):
        # Best effort, and only when a Prefect API is configured: plain use stays fast.
        from aarshjul.flows.events import emit_all

        emit_all([completed])
    if event is None:
        typer.echo(f"Opgave {task.id} var allerede udført (already done); nothing changed.")
    else:
        typer.echo(f"Opgave {task.id} udført: {terminal_text(task.title_da, one_line=True)}")


def status(
    year: Annotated[
        int | None, typer.Argument(help="The cycle year (default: this year).", **YEAR_RANGE)
    ] = None,
    today: TodayOption = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
) -> None:
    """Where the year stands: phases with done/open/overdue tasks, goals by status.

    Example: `aarshjul status 2027 --today 2027-09-01`
    """
    from aarshjul.engine.progress import year_progress

    if fmt == OutputFormat.csv:
        raise InputError("supports table or json", reason_da="kan vise table eller json",
                         field="--format", value="csv")  # fmt: skip
    with common.runtime(today) as rt, rt.session() as s:
        org = rt.organisation(s)
        day = rt.today(org)
        report = year_progress(s, organisation=org, year=year or day.year, today=day)
    if fmt == OutputFormat.json:
        print(to_json(report.as_dict()))
    else:
        _print_status(report)


def _print_status(report: YearProgress) -> None:
    out = console()
    out.print(
        f"[bold]{markup(report.organisation)}[/bold] · år {report.year} · pr. {report.today.isoformat()}"
    )
    if not report.cycles:
        out.print(f"Intet årshjul planlagt for {report.year} (no cycle planned).")
    phases = [
        {"phase": p.phase or "—", "name": p.name, "start": p.start or "", "end": p.end or "",
         "status": p.status, "done": p.done, "open": p.open, "overdue": p.overdue}
        | shares(p.elapsed, p.percent)
        for p in report.phases
    ]  # fmt: skip
    if phases:
        out.print(to_table(phases, None, "Faser"))
    counts = report.counts
    out.print(f"Opgaver: {counts.total} i alt, {counts.done} udført ({counts.percent} %), "
              f"{counts.open} åbne, {counts.overdue} forsinkede")  # fmt: skip
    goal_line = ", ".join(f"{k}: {v}" for k, v in sorted(report.goals.items())) or "ingen"
    out.print(f"Mål efter status: {goal_line}")
