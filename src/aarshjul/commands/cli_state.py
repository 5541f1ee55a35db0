"""What every command shares: the runtime context, the organisation, today, and option types.

The root command stores ``--db`` and ``--org`` in :data:`STATE`; a command builds its
:class:`~aarshjul.runtime.Runtime` from them when it needs one (:func:`runtime`), so a command
that needs no database never opens one, and ``aarshjul --help`` imports no database layer at all
(this module imports nothing heavy at import time). ``--today`` sets the runtime's clock exactly
as ``AARSHJUL_TODAY`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from aarshjul.commands.output import OutputFormat
from aarshjul.errors import InputError
from aarshjul.year_range import MAX_YEAR, MIN_YEAR, year_problem

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from aarshjul.models import Organisation
    from aarshjul.runtime import Runtime


@dataclass
class CliState:
    """Set by the root callback from ``--db`` and ``--org``."""

    db_url: str | None = None
    org_key: str | None = None

    def url(self) -> str:
        """The database URL: ``--db`` (checked) or the settings'."""
        from aarshjul.config import check_database_url, get_settings

        if self.db_url:
            return check_database_url(self.db_url, field="--db")
        return get_settings().effective_database_url

    def organisation_key(self) -> str | None:
        from aarshjul.config import get_settings

        return self.org_key or get_settings().organisation


STATE = CliState()

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: table, json or csv.")
]
YEAR_RANGE = {"min": MIN_YEAR, "max": MAX_YEAR}
"""``typer.Option(…, **YEAR_RANGE)``: a year outside 1900-2200 is a usage error (exit 2)."""
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="Pretend today is this date (YYYY-MM-DD), to preview or replay; as AARSHJUL_TODAY.",
    ),
]


@contextmanager
def runtime(today: str | None = None, *, require_schema: bool = True) -> Iterator[Runtime]:
    """The command's runtime context (``--db``, ``--org``, ``--today``), closed afterwards."""
    from aarshjul.runtime import build_runtime

    rt = build_runtime(
        database_url=STATE.db_url, organisation_key=STATE.org_key,
        today=parse_date(today, "--today") if today else None, require_schema=require_schema,
    )  # fmt: skip
    try:
        yield rt
    finally:
        rt.close()


@contextmanager
def engine() -> Iterator[Engine]:
    """The engine for ``--db`` (or the settings), disposed when the command is done."""
    with runtime(require_schema=False) as rt:
        yield rt.engine


@contextmanager
def session() -> Iterator[Session]:
    """A committed-on-success session on an initialised database."""
    with runtime() as rt, rt.session() as s:
        yield s


@contextmanager
def org_session() -> Iterator[tuple[Session, Organisation]]:
    """A session and the organisation chosen by ``--org`` (or the only one)."""
    with runtime() as rt, rt.session() as s:
        yield s, rt.organisation(s)


def parse_date(value: str, option: str) -> date:
    """A YYYY-MM-DD date from an option (years 1900-2200), or a clear :class:`InputError`."""
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f"{value!r} is not a date in the form YYYY-MM-DD",
            reason_da=f"{value!r} er ikke en dato på formen ÅÅÅÅ-MM-DD",
            field=option,
        ) from exc
    if (problem := year_problem(day.year)) is not None:
        raise InputError(problem, field=option, value=value)
    return day


def resolve_today(value: str | None, org: Organisation) -> date:
    """``--today`` if given, else ``AARSHJUL_TODAY``, else today in the organisation's zone."""
    from aarshjul.clock import Clock
    from aarshjul.config import get_settings

    fixed = parse_date(value, "--today") if value else get_settings().today
    return Clock(fixed_today=fixed).today(org.timezone)


def now_utc() -> datetime:
    from aarshjul.clock import utcnow

    return utcnow()


def actor() -> str:
    """Who acts from this terminal, for the audit trail: ``cli:<login name>``."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
