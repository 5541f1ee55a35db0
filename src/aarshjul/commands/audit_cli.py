"""``aarshjul audit``: the audit trail — who changed what, when, from what to what."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import FormatOption
from aarshjul.commands.output import OutputFormat, emit

COLUMNS = ["at", "actor", "entity", "key", "action", "change", "note"]


def audit(
    task: Annotated[int | None, typer.Option("--task", help="Only this task (its id).")] = None,
    goal: Annotated[
        str | None, typer.Option("--goal", help="Only this goal (its key) and its tasks.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only from this day on (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show the newest N.")] = 500,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show the audit trail: who changed what, when, from what to what.

    Task changes (completed, planned, moved, waived), organisation imports (people, roles,
    committees, policy areas, goals), date overrides and rule waivers, oldest first.

    Example: `aarshjul audit --goal skole-m1 --since 2027-01-01`
    """
    from aarshjul.clock import zone
    from aarshjul.engine.audit_log import audit_entries

    with common.runtime() as rt, rt.session() as s:
        org = rt.organisation(s)
        start = None
        if since is not None:
            day = common.parse_date(since, "--since")
            start = datetime.combine(day, time(), tzinfo=zone(org.timezone))
        entries = audit_entries(
            s, organisation=org, task_id=task, goal_key=goal, since=start, limit=limit
        )
    tz = zone(org.timezone)
    records = [e.as_dict() for e in entries]
    if fmt == OutputFormat.table:  # local time, to the minute, for reading
        for record, entry in zip(records, entries, strict=True):
            record["at"] = entry.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    emit(records, fmt, columns=COLUMNS, title="Revisionsspor / audit trail")
