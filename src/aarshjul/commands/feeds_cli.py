"""``aarshjul person feed-url``: a person's secret calendar feed URL (show, re-issue, revoke)."""

from __future__ import annotations

from typing import Annotated

import typer

from aarshjul.commands import cli_state as common
from aarshjul.config import get_settings
from aarshjul.feeds.feed_tokens import feed_url
from aarshjul.feeds.subscriptions import issue_feed_url, revoke_feed_url


def feed_url_command(
    email: Annotated[str, typer.Argument(help="The person's e-mail address.")],
    reissue: Annotated[
        bool, typer.Option("--reissue", help="Issue a new URL; the old one stops working.")
    ] = False,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Stop the URL from working (no new one).")
    ] = False,
) -> None:
    """Print the person's secret calendar feed URL (subscribe to it in Outlook).

    Issuing, re-issuing and revoking are in the access audit trail.

    Example: `aarshjul person feed-url anne.kjaer@jammerbugt.example --reissue`
    """
    if reissue and revoke:
        raise typer.BadParameter("--reissue and --revoke exclude each other")
    settings = get_settings()
    with common.org_session() as (s, org):
        if revoke:
            revoked = revoke_feed_url(
                s, organisation=org, email=email, now=common.now_utc(), method="cli"
            )
            typer.echo(
                f"Kalender-URL for {email} tilbagekaldt / revoked."
                if revoked
                else f"{email} har ingen aktiv kalender-URL / has no active feed URL."
            )
            return
        token = issue_feed_url(
            s, organisation=org, email=email, settings=settings, now=common.now_utc(),
            reissue=reissue, method="cli",
        )  # fmt: skip
        url = feed_url(settings.base_url, token)  # without a base URL: an error, nothing kept
    typer.echo(url)
