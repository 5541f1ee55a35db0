"""The ``aarshjul`` command line: each command parses, calls one service, prints.

Commands are registered *lazily* (:data:`COMMANDS`: name → module, attribute, one-line help):
a command's module, and the services it imports, are loaded only when that command runs or
shows its own help. ``aarshjul --help`` imports typer and this module, never the database layer
or Prefect (``benchmarks/bench_startup.py`` measures it). A new command goes into
:data:`COMMANDS`; its one-line help must be the first paragraph of its docstring (a test checks).

Errors: an :class:`~aarshjul.errors.AarshjulError` becomes one line on stderr in the user's
language (see :mod:`aarshjul.errors`) and exit code 1, never a traceback.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from aarshjul import __version__
from aarshjul.errors import AarshjulError, message_locale

#: name → (module, attribute, the first paragraph of its help). The attribute is a function
#: (one command) or a ``typer.Typer`` (a group of commands).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("aarshjul.commands.setup", "init",
             "Create or upgrade the database; with --sample, load the sample organisation."),
    "db": ("aarshjul.commands.setup", "db_app",
           "Database schema: upgrade to this version, show the revision."),
    "org": ("aarshjul.commands.org_cli", "app",
            "Organisation data: people, committees, policy areas, goals."),
    "people": ("aarshjul.commands.listings", "people",
               "List the organisation's people with roles and superiors. "
               "Example: `aarshjul people`"),
    "goals": ("aarshjul.commands.listings", "goals",
              "List visions, goals, service goals and actions. "
              "Example: `aarshjul goals -p skole`"),
    "tasks": ("aarshjul.commands.listings", "tasks",
              "List tasks by due date. "
              "Example: `aarshjul tasks --owner anne@kommune.example --overdue`"),
    "done": ("aarshjul.commands.listings", "done",
             "Mark a task done, recorded in its audit trail."),
    "status": ("aarshjul.commands.listings", "status",
               "Where the year stands: phases with done/open/overdue tasks, goals by status."),
    "audit": ("aarshjul.commands.audit_cli", "audit",
              "Show the audit trail: who changed what, when, from what to what."),
    "calendar": ("aarshjul.commands.calendar_cli", "app",
                 "Arbejdsdagskalenderen: lukkedage, datoudtryk og arbejdsdage "
                 "(the working-day calendar)."),
    "remind": ("aarshjul.commands.notifications_cli", "remind",
               "Compose today's digests into the outbox and deliver them (once per person "
               "and day)."),
    "outbox": ("aarshjul.commands.notifications_cli", "outbox",
               "List the outbox: what was composed, sent, failed or waits, and when it is tried "
               "next."),
    "deliver": ("aarshjul.commands.notifications_cli", "deliver",
                "Send the organisation's pending outbox rows and retry failed ones whose backoff "
                "has passed."),
    "person": ("aarshjul.commands.notifications_cli", "person_app",
               "A person's notification channels."),
    "template": ("aarshjul.commands.planning_cli", "template_app",
                 "Check and show cycle templates."),
    "plan": ("aarshjul.commands.planning_cli", "plan",
             "Plan (or re-plan) the year from a template and print what changed."),
    "start": ("aarshjul.commands.planning_cli", "start",
              "Start a process such as an addendum (tillæg) on any day of the year."),
    "timeline": ("aarshjul.commands.planning_cli", "timeline",
                 "The year's phases and milestones with dates, in order. "
                 "Example: `aarshjul timeline 2027 -f json`"),
    "serve": ("aarshjul.commands.engine_cli", "serve",
              "Run the engine on this machine: a local Prefect server plus the three "
              "scheduled flows."),
    "deploy": ("aarshjul.commands.engine_cli", "deploy",
               "Register the three deployments with their schedules on a Prefect server's "
               "work pool."),
    "tick": ("aarshjul.commands.engine_cli", "tick",
             "Run today's tick once, through Prefect: phases, digests, escalations, delivery."),
    "report": ("aarshjul.commands.report_cli", "report_app",
               "Run the weekly board report once, through Prefect, and print it."),
    "demo": ("aarshjul.commands.engine_cli", "demo",
             "Show the engine at work: sample organisation, this year's plan, today's tick, "
             "status."),
    "simulate": ("aarshjul.commands.engine_cli", "simulate",
                 "Simulate a year of daily ticks on a copy of the database; nothing is sent "
                 "or kept."),
    "goal": ("aarshjul.commands.goals_cli", "goal_app",
             "Goal status follow-up (målopfølgning): report, history."),
    "mail": ("aarshjul.commands.notifications_cli", "mail_app",
             "The organisation's e-mail channel: its mail server and sender."),
    "stats": ("aarshjul.commands.stats_cli", "app",
              "Key statistics from Statistics Denmark: import StatBank CSV, list, fetch, chart."),
    "wheel": ("aarshjul.commands.wheel_cli", "wheel",
              "Draw the year's årshjul with each phase's status, as SVG, PNG or PDF "
              "(A4 landscape)."),
    "web": ("aarshjul.commands.web_cli", "web",
            "Run the web app: sign in, my tasks, and the action links in digests."),
    "hvidbog": ("aarshjul.commands.participation_cli", "hvidbog_command",
                "Build the hvidbog (white paper) of a phase: every submission with the reply and "
                "the recommendation, by policy area, numbered, with a summary table."),
    "participation": ("aarshjul.commands.participation_cli", "participation_app",
                      "Citizens' submissions: erase contact details after the retention period, "
                      "export a person's."),
}  # fmt: skip


class _Group(TyperGroup):
    """Loads commands on demand; turns aarshjul's errors into one line and an exit code."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in COMMANDS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        if self._listing:  # the root's --help lists commands without importing them
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][2])
        return load_command(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except AarshjulError as exc:
            from aarshjul.escaping import terminal_text  # a name in a message never drives it

            typer.echo(f"aarshjul: fejl/error: {terminal_text(exc.message(_locale()))}", err=True)
            ctx.exit(exc.exit_code)


def _locale() -> str:
    return message_locale(dict(os.environ))


def load_command(name: str) -> Any:
    """The click command ``name`` from its module (imported now)."""
    module, attribute, _ = COMMANDS[name]
    target = getattr(import_module(module), attribute)
    if isinstance(target, typer.Typer):
        command = typer.main.get_command(target)
    else:
        single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        single.command(name=name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


app = typer.Typer(
    name="aarshjul",
    cls=_Group,
    help="aarshjul — the annual cycle (årshjul) engine: plan the year, remind owners, track progress.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aarshjul {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (overrides AARSHJUL_DATABASE_URL).", metavar="URL"),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org", help="Organisation key (overrides AARSHJUL_ORGANISATION).", metavar="KEY"
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Global options for every command."""
    from aarshjul.commands import cli_state
    from aarshjul.config import get_settings

    get_settings()  # a broken AARSHJUL_* setting is one clear line, whatever the command

    cli_state.STATE.db_url = db
    cli_state.STATE.org_key = org


def main() -> None:
    """Entry point of the ``aarshjul`` console script and ``python -m aarshjul``."""
    app()
