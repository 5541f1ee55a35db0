"""``aarshjul report``: the weekly board report (no subcommand, as before), and documents made
from the year's data: ``report planning YEAR`` (the planning report, *planredegørelse*) and
``report budget-remarks YEAR`` (*budgetbemærkninger*).

``report`` is a group whose callback runs the board report when no subcommand is given, with
the board report command's own options (its signature is reused, so the two cannot drift).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import TodayOption


class Language(StrEnum):
    """The document's language."""

    da = "da"
    en = "en"


YearArgument = Annotated[int, typer.Argument(help="The year.", min=2000, max=2100)]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o",
        help="Write FILE.docx, FILE.pdf or FILE.html (default: HTML on stdout).",
    ),
]  # fmt: skip
LangOption = Annotated[
    Language | None,
    typer.Option("--lang", help="da or en (default: the organisation's language)."),
]


def board_report_group(board: Callable[..., None]) -> typer.Typer:
    """The ``report`` group: ``board`` (the weekly board report command) runs when no
    subcommand is given, with its own options; ``planning`` and ``budget-remarks`` are added."""
    group = typer.Typer(
        name="report", help=board.__doc__, invoke_without_command=True, no_args_is_help=False
    )
    group.callback(invoke_without_command=True)(_without_subcommand(board))
    group.command("planning")(planning)
    group.command("budget-remarks")(budget_remarks)
    return group


def _without_subcommand(board: Callable[..., None]) -> Callable[..., None]:
    """A group callback with ``board``'s parameters that runs it only without a subcommand."""

    @functools.wraps(board)
    def callback(ctx: typer.Context, **options: Any) -> None:
        if ctx.invoked_subcommand is None:
            board(**options)

    signature = inspect.signature(board, eval_str=True)
    context = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
    )
    callback.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[context, *signature.parameters.values()]
    )
    callback.__annotations__ = {
        "ctx": typer.Context,
        **inspect.get_annotations(board, eval_str=True),
    }
    del callback.__wrapped__  # typer must see the new signature, not the wrapped one
    return callback


def _write(output: Path | None, content: bytes, fmt: str) -> None:
    from aarshjul.wheel.wheel_export import write_file

    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
        return
    write_file(output, content)
    typer.echo(f"Wrote {output} ({fmt.upper()}, {len(content):,} bytes)")


def _format_of(output: Path | None) -> str:
    from aarshjul.documents import document_format

    return document_format(output).value


def planning(
    year: YearArgument,
    output: OutputOption = None,
    lang: LangOption = None,
    today: TodayOption = None,
) -> None:
    """Make the planning report (planredegørelse) of YEAR from the data, as DOCX, PDF or HTML.

    Per policy area its committee, owner and goals with their latest status report, the goals
    ending this year and those without a report, the key statistics with charts, the year's
    addenda, and the planning staff's sections (written in the web app).

    Example: `aarshjul report planning 2027 -o planredegoerelse-2027.docx`
    """
    from aarshjul.reports import build_planning_report

    fmt = _format_of(output)
    with common.org_session() as (s, org):
        built = build_planning_report(
            s, organisation=org, year=year, today=common.resolve_today(today, org), fmt=fmt,
            lang=lang.value if lang else org.locale,
        )  # fmt: skip
    _write(output, built.content, fmt)


def budget_remarks(
    year: Annotated[int, typer.Argument(help="The budget year.", min=2000, max=2100)],
    output: OutputOption = None,
    lang: LangOption = None,
    today: TodayOption = None,
) -> None:
    """Make the budget remarks (budgetbemærkninger) for budget year YEAR, as DOCX, PDF or HTML.

    One section per policy area, committee by committee: its vision, goals, service goals and
    actions for the year, reused from the comprehensive plan.

    Example: `aarshjul report budget-remarks 2028 -o budgetbemaerkninger-2028.docx`
    """
    from aarshjul.reports import build_budget_remarks

    fmt = _format_of(output)
    with common.org_session() as (s, org):
        built = build_budget_remarks(
            s, organisation=org, year=year, today=common.resolve_today(today, org), fmt=fmt,
            lang=lang.value if lang else org.locale,
        )  # fmt: skip
    _write(output, built.content, fmt)


def _report_app() -> typer.Typer:
    from aarshjul.commands.engine_cli import report

    return board_report_group(report)


#: ``aarshjul report`` (registered lazily in :mod:`aarshjul.cli`).
report_app = _report_app()
