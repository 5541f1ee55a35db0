"""``aarshjul init`` and ``aarshjul db``: create and migrate the database, load the sample."""

from __future__ import annotations

from typing import Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.db import current_revision, head_revision, session_scope, upgrade

db_app = typer.Typer(name="db", help="Database schema: upgrade to this version, show the revision.")


def init(
    sample: Annotated[
        bool, typer.Option("--sample", help="Also load the sample organisation (Jammerbugt-like).")
    ] = False,
) -> None:
    """Create or upgrade the database; with --sample, load the sample organisation.

    Running it again changes nothing. Example: `aarshjul init --sample`
    """
    from aarshjul.clock import utcnow
    from aarshjul.commands.org_cli import print_summary
    from aarshjul.org.org_audit import import_org_audited
    from aarshjul.org.org_files import load_sample_org

    with common.engine() as eng:
        upgrade(eng)
        typer.echo(f"Database ready: {eng.url.render_as_string(hide_password=True)}")
        if sample:
            with session_scope(eng) as s:
                summary = import_org_audited(
                    s, load_sample_org(), actor=common.actor(), source="init --sample",
                    now=utcnow(),
                )  # fmt: skip
                print_summary(summary)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to this version's schema. Example: `aarshjul db upgrade`"""
    with common.engine() as eng:
        upgrade(eng)
        typer.echo(f"Schema at revision {current_revision(eng)}.")


@db_app.command("current")
def db_current() -> None:
    """Show the database's schema revision and the newest one. Example: `aarshjul db current`"""
    with common.engine() as eng:
        typer.echo(
            f"database: {current_revision(eng) or '(not initialised)'}; newest: {head_revision()}"
        )
