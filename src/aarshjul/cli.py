"""The ``aarshjul`` command line: each command parses, calls one service, prints.

Commands that do not run flows never import Prefect, so ``aarshjul --help`` starts fast.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from typer.core import TyperGroup

from aarshjul import __version__
from aarshjul.commands import calendar_cli as calendar_commands
from aarshjul.commands import cli_state as common
from aarshjul.commands import engine_cli as engine_commands
from aarshjul.commands import listings, setup
from aarshjul.commands import notifications_cli as reminders
from aarshjul.commands import org_cli as org_commands
from aarshjul.commands import planning_cli as planning
from aarshjul.errors import AarshjulError


class _Group(TyperGroup):
    """Turns aarshjul's errors into one line on stderr and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except AarshjulError as exc:
            _fail(ctx, str(exc), exc.exit_code)
        except OperationalError as exc:
            _fail(ctx, f"database error: {exc.orig}", 1)
        except SQLAlchemyError as exc:
            _fail(ctx, f"database error: {exc}", 1)


def _fail(ctx: Any, message: str, code: int) -> None:
    from aarshjul.escaping import terminal_text  # a name in a message never drives the terminal

    typer.echo(f"aarshjul: fejl/error: {terminal_text(message)}", err=True)
    ctx.exit(code)


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
    common.STATE.db_url = db
    common.STATE.org_key = org


app.command()(setup.init)
app.add_typer(setup.db_app)
app.add_typer(org_commands.app)
app.command()(listings.people)
app.command()(listings.goals)
app.command()(listings.tasks)
app.command()(listings.done)
app.command()(listings.status)
app.add_typer(calendar_commands.app, name="calendar")
app.command()(reminders.remind)
app.command()(reminders.outbox)
app.command()(reminders.deliver)
app.add_typer(reminders.person_app)
app.add_typer(planning.template_app)
app.command()(planning.plan)
app.command()(planning.start)
app.command()(planning.timeline)
for _command in (
    engine_commands.serve,
    engine_commands.deploy,
    engine_commands.tick,
    engine_commands.report,
    engine_commands.demo,
    engine_commands.simulate,
):
    app.command()(_command)


def main() -> None:
    """Entry point of the ``aarshjul`` console script and ``python -m aarshjul``."""
    app()
