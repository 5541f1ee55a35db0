"""``aarshjul template check|show``, ``plan``, ``start`` and ``timeline``: templates and the year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from aarshjul.calendar.election import ElectionCycle
from aarshjul.calendar.rules import Violation, Waiver, check_rules
from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import YEAR_RANGE, FormatOption
from aarshjul.commands.output import OutputFormat, emit, to_json, write_text
from aarshjul.errors import InputError
from aarshjul.escaping import terminal_text
from aarshjul.planning.cycles import Override
from aarshjul.planning.date_plan import resolve_dates, work_calendar
from aarshjul.planning.plan import PlanResult, plan_cycle, start_process
from aarshjul.planning.template_files import builtin_text, load_template, resolve_template_ref
from aarshjul.planning.template_rules import describe, raise_blocking, rule_specs
from aarshjul.planning.template_schema import Template
from aarshjul.planning.template_store import organisation_template
from aarshjul.planning.template_summary import template_rows, template_sections, template_summary
from aarshjul.planning.term_years import template_for_year
from aarshjul.planning.timeline import plan_timeline, stored_timeline

template_app = typer.Typer(
    name="template", help="Check and show cycle templates.", no_args_is_help=True
)
TIMELINE_COLUMNS = ["start", "end", "week", "kind", "key", "name", "cycle"]

YearOption = Annotated[
    int | None,
    typer.Option("--year", "-y", help="The cycle year (default: this year).", **YEAR_RANGE),
]
TemplateOption = Annotated[
    str | None,
    typer.Option(
        "--template",
        "-t",
        help="Template file or built-in key (default: the organisation's).",
        metavar="FILE|KEY",
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a date for this year: KEY=YYYY-MM-DD (repeatable; needs --reason).",
        metavar="KEY=DATE",
    ),
]
WaiveOption = Annotated[
    list[str] | None,
    typer.Option(
        "--waive",
        help="Waive a rule for this cycle, e.g. dk.P3 (repeatable; needs --reason).",
        metavar="RULE",
    ),
]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why the dates are overridden or rules waived (stored).")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
]


def _this_year() -> int:
    from aarshjul.clock import today_in

    return today_in("Europe/Copenhagen").year


@template_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="The template file (YAML).")],
    year: YearOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Validate a template, resolve its dates for a year, run its rules, print the timeline.

    Exits 1 on any error. Example: `aarshjul template check helhedsplan.yaml --year 2027`
    """
    year = year or _this_year()
    template = template_for_year(load_template(file), year, ElectionCycle())
    dates = resolve_dates(
        template,
        year=year,
        calendar=work_calendar(None, template),
        start=_process_start(template, year),
    )
    violations = check_rules(
        rule_specs(template),
        dates.named,
        year=year,
        calendar=dates.calendar,
        meetings=dates.meetings,
    )
    emit(
        plan_timeline(template, dates),
        fmt,
        columns=TIMELINE_COLUMNS,
        title=f"{template.template} {year}",
    )
    _print_notices(violations)
    raise_blocking(violations)
    typer.echo(
        f"OK: {template.template} v{template.version} ({len(template.tasks)} opgaver/tasks) for {year}.",
        err=True,
    )


def _process_start(template: Template, year: int) -> Any:
    from datetime import date

    return date(year, 1, 4) if template.kind == "process" else None


@template_app.command("show")
def show(
    ref: Annotated[
        str, typer.Argument(help="A built-in template key (helhedsplan, tillaeg) or a file.")
    ],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show a template's phases, milestones, rules and tasks.

    With `-f json` one JSON object, with `-f csv` one CSV table (a `section` column per row).
    Example: `aarshjul template show helhedsplan -f json`
    """
    template = resolve_template_ref(ref)
    sections = template_sections(template)
    if fmt == OutputFormat.json:
        typer.echo(to_json(template_summary(template, sections)))
        return
    if fmt == OutputFormat.csv:
        emit(template_rows(sections), fmt)
        return
    typer.echo(
        terminal_text(
            f"{template.template} v{template.version} ({template.kind}): {template.title.da} — "
            f"{template.source}"
        )
    )
    typer.echo(f"sha256 {template.content_hash}")
    titles = {"phases": "Faser / phases", "milestones": "Milepæle / milestones",
              "tasks": "Opgaver / tasks", "rules": "Regler / rules"}  # fmt: skip
    for name, rows in sections.items():
        emit(rows, fmt, title=titles[name])


@template_app.command("export")
def export(
    key: Annotated[str, typer.Argument(help="A built-in template: helhedsplan or tillaeg.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this (new) file, not stdout.")
    ] = None,
) -> None:
    """Write a built-in template as YAML, to copy and make your own.

    Change `template:` to your own key, edit, check with `aarshjul template check`, and name the
    file in the organisation file (`organisation.template`).
    Example: `aarshjul template export helhedsplan -o kommunehjul.yaml`
    """
    text = builtin_text(key)
    if output is None:
        typer.echo(text, nl=False)
        return
    if output.exists():
        raise InputError(f"{output}: the file exists; remove it or choose another name")
    write_text(output, text)
    typer.echo(f"Wrote {output}", err=True)


def plan(
    year: Annotated[
        int, typer.Argument(help="The cycle year, e.g. 2027 (budget for 2028).", **YEAR_RANGE)
    ],
    template: TemplateOption = None,
    dry_run: DryRunOption = False,
    set_: SetOption = None,
    waive: WaiveOption = None,
    reason: ReasonOption = "",
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Re-plan the year's annual cycle from another template (its key)."
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Plan (or re-plan) the year from a template and print what changed.

    Re-planning is safe: done tasks and their history are never touched.
    Example: `aarshjul plan 2027 --set budget_2nd_reading=2027-11-05 --waive dk.B2 --reason "Aftale 2027"`
    """
    overrides, waivers = _decisions(set_ or [], waive or [], reason)
    with common.runtime() as rt, rt.session() as s:
        org = rt.organisation(s)
        tmpl = organisation_template(s, org, template)
        result = plan_cycle(
            s, organisation=org, template=tmpl, year=year, overrides=overrides, waivers=waivers,
            now=rt.now(), dry_run=dry_run, replace=replace, actor=common.actor(),
        )  # fmt: skip
    _print_result(result, fmt)


def start(
    process: Annotated[str, typer.Argument(help="The process template: tillaeg (or a file).")],
    title: Annotated[
        str, typer.Option("--title", help="The process's title, e.g. 'Tillæg 3: Solceller'.")
    ],
    start_date: Annotated[
        str, typer.Option("--start", help="The day the process starts (YYYY-MM-DD).")
    ],
    minor: Annotated[
        bool,
        typer.Option("--minor", help="A minor change: 4-week hearing (planloven § 24, stk. 4)."),
    ] = False,
    dry_run: DryRunOption = False,
    set_: SetOption = None,
    waive: WaiveOption = None,
    reason: ReasonOption = "",
    replace: Annotated[
        str | None,
        typer.Option(
            "--replace",
            help="Re-plan this process (its key) instead of starting a new one.",
            metavar="KEY",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Start a process such as an addendum (tillæg) on any day of the year.

    `--set KEY=DATE` and `--waive RULE` (with `--reason`) work as for `plan`. A new process
    never re-plans another: its key is printed (with a suffix when another title had it);
    `--replace KEY` re-plans a process with a new title, start or variant.
    Example: `aarshjul start tillaeg --title "Tillæg 3: Solceller ved Fjerritslev" --start 2027-03-01`
    """
    day = common.parse_date(start_date, "--start")
    overrides, waivers = _decisions(set_ or [], waive or [], reason)
    with common.runtime() as rt, rt.session() as s:
        org = rt.organisation(s)
        result = start_process(
            s, organisation=org, template=organisation_template(s, org, process), title=title,
            start=day, now=rt.now(), dry_run=dry_run, variant="minor" if minor else None,
            overrides=overrides, waivers=waivers, replace=replace, actor=common.actor(),
        )  # fmt: skip
    _print_result(result, fmt)


def timeline(
    year: Annotated[int, typer.Argument(help="The year.", **YEAR_RANGE)],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The year's phases and milestones with dates, in order. Example: `aarshjul timeline 2027 -f json`"""
    with common.org_session() as (s, org):
        records = stored_timeline(s, org, year)
    emit(records, fmt, columns=TIMELINE_COLUMNS, title=f"Årshjul {year}")


def _decisions(
    sets: list[str], waives: list[str], reason: str
) -> tuple[list[Override], list[Waiver]]:
    if (sets or waives) and not reason.strip():
        raise InputError("--set and --waive need --reason: the reason is stored with the decision")
    overrides = [_override(item, reason) for item in sets]
    return overrides, [Waiver(rule_id=rule, reason=reason, by="cli") for rule in waives]


def _override(item: str, reason: str) -> Override:
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise InputError(
            f"--set {item!r}: write KEY=YYYY-MM-DD, e.g. budget_2nd_reading=2027-11-05"
        )
    return Override(key.strip(), common.parse_date(value.strip(), f"--set {key}"), reason)


def _print_result(result: PlanResult, fmt: OutputFormat) -> None:
    if fmt == OutputFormat.json:
        record = {
            "cycle": result.cycle_key,
            "year": result.year,
            "dry_run": result.dry_run,
            **result.diff.as_dict(),
        }
        record["notices"] = [describe(v) for v in result.notices]
        emit([record], fmt)
        return
    head = "Prøvekørsel (dry run), intet gemt: " if result.dry_run else ""
    typer.echo(f"{head}{result.cycle_key}: {terminal_text(result.title, one_line=True)}")
    if result.renamed_from:
        typer.echo(
            f"Nøglen {result.renamed_from} har en anden proces; denne fik {result.cycle_key}. "
            f"Planlæg den anden igen med --replace {result.renamed_from}. / The key "
            f"{result.renamed_from} belongs to another process; this one is {result.cycle_key}."
        )
    typer.echo(terminal_text(result.diff.render()))
    _print_notices(result.notices)


def _print_notices(violations: list[Violation]) -> None:
    for item in violations:
        if not item.blocking:
            typer.echo(terminal_text(describe(item)))
