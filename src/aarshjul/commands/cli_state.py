"""What every command shares: the database, the organisation, today, and option types."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from aarshjul.calendar.names import MAX_YEAR, MIN_YEAR, year_problem
from aarshjul.clock import today_in
from aarshjul.commands.output import OutputFormat
from aarshjul.config import get_settings, normalise_url
from aarshjul.db import make_engine, require_schema, session_scope
from aarshjul.errors import InputError
from aarshjul.models import Organisation
from aarshjul.models.queries import get_organisation


@dataclass
class CliState:
    """Set by the root callback from ``--db`` and ``--org``."""

    db_url: str | None = None
    org_key: str | None = None

    def url(self) -> str:
        return normalise_url(self.db_url) if self.db_url else get_settings().effective_database_url

    def organisation_key(self) -> str | None:
        return self.org_key or get_settings().organisation


STATE = CliState()

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: table, json or csv.")
]
YEAR_RANGE = {"min": MIN_YEAR, "max": MAX_YEAR}
"""``typer.Option(…, **YEAR_RANGE)``: a year outside 1900-2200 is a usage error (exit 2)."""
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Pretend today is this date (YYYY-MM-DD), to preview or replay."),
]


@contextmanager
def engine() -> Iterator[Engine]:
    """The engine for ``--db`` (or the settings), disposed when the command is done."""
    eng = make_engine(STATE.url(), timeouts=get_settings().database_timeouts)
    try:
        yield eng
    finally:
        eng.dispose()


@contextmanager
def session() -> Iterator[Session]:
    """A committed-on-success session on an initialised database."""
    with engine() as eng:
        require_schema(eng)
        with session_scope(eng) as s:
            yield s


@contextmanager
def org_session() -> Iterator[tuple[Session, Organisation]]:
    """A session and the organisation chosen by ``--org`` (or the only one)."""
    with session() as s:
        yield s, get_organisation(s, STATE.organisation_key())


def parse_date(value: str, option: str) -> date:
    """A YYYY-MM-DD date from an option (years 1900-2200), or a clear :class:`InputError`."""
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{option}: {value!r} is not a date in the form YYYY-MM-DD") from exc
    if (problem := year_problem(day.year)) is not None:
        raise InputError(f"{option}: {value!r}: {problem}")
    return day


def resolve_today(value: str | None, org: Organisation) -> date:
    """``--today`` if given, else today's date in the organisation's time zone."""
    return parse_date(value, "--today") if value else today_in(org.timezone)


def now_utc() -> datetime:
    from aarshjul.clock import utcnow

    return utcnow()
