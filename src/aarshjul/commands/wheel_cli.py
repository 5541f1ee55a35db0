"""``aarshjul wheel``: the year's årshjul picture with live status, as SVG, PNG or PDF."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.commands.cli_state import TodayOption


class Language(StrEnum):
    """The picture's language."""

    da = "da"
    en = "en"


def wheel(
    year: Annotated[int, typer.Argument(help="The year (for a school year: the year it starts).")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write FILE.svg, FILE.png or FILE.pdf (default: SVG on stdout)."
        ),
    ] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public", help="Leave out people and task details (for the digital plan and print)."
        ),
    ] = False,
    start_month: Annotated[
        int,
        typer.Option(
            "--start-month", min=1, max=12, help="The month at the top: 1 = January, 8 = August."
        ),
    ] = 1,
    lang: Annotated[
        Language | None,
        typer.Option("--lang", help="da or en (default: the organisation's language)."),
    ] = None,
    today: TodayOption = None,
) -> None:
    """Draw the year's årshjul with each phase's status, as SVG, PNG or PDF (A4 landscape).

    Example: `aarshjul wheel 2027 -o aarshjul-2027.pdf --public`
    """
    from aarshjul.wheel.wheel_export import output_format, render, write_file
    from aarshjul.wheel.wheel_service import wheel_data

    fmt = output_format(output) if output else "svg"
    with common.org_session() as (s, org):
        data = wheel_data(
            s, organisation=org, year=year, today=common.resolve_today(today, org),
            start_month=start_month, public=public, locale=lang.value if lang else None,
        )  # fmt: skip
    content = render(data, fmt)
    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
        return
    write_file(output, content)
    typer.echo(f"Wrote {output}")
