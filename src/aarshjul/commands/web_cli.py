"""``aarshjul web``: the web app with uvicorn (sign in, my tasks, a digest's action links)."""

from __future__ import annotations

import ipaddress
import threading
from typing import Annotated, Any

import typer

from aarshjul.commands import cli_state as common
from aarshjul.config import get_settings


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: only this machine can reach the app."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _console(line: str) -> None:
    # The app's own terminal, never a log: print, not logging.
    print(line, flush=True)


def build_app(host: str, port: int) -> Any:
    """The app on ``--db``/``--org`` for ``host:port``; sign-in links go to the terminal only on
    a loopback address with no mail channel configured."""
    from aarshjul.runtime import build_runtime
    from aarshjul.web.app import create_app

    settings = get_settings()
    runtime = build_runtime(
        settings=settings, database_url=common.STATE.url(),
        organisation_key=common.STATE.organisation_key(),
    )  # fmt: skip
    console = _console if is_loopback(host) and not settings.mail_url else None
    public = settings.base_url or f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    return create_app(runtime, public_url=public, console=console)


def _server(host: str, port: int) -> Any:
    import uvicorn

    # proxy_headers: behind a reverse proxy on this machine the client's address comes from
    # X-Forwarded-For (trusted from 127.0.0.1 only, uvicorn's default).
    config = uvicorn.Config(
        build_app(host, port), host=host, port=port, proxy_headers=True, log_level="warning"
    )
    return uvicorn.Server(config)


def web(
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on [default: 127.0.0.1].")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Port [default: 8000].")
    ] = None,
) -> None:
    """Run the web app: sign in, my tasks, and the action links in digests.

    With no mail channel (AARSHJUL_MAIL_URL) and a loopback --host, sign-in links are printed
    here. Example: `aarshjul web --port 8000`, then open http://127.0.0.1:8000
    """
    settings = get_settings()
    host, port = host or settings.web_host, port or settings.web_port
    server = _server(host, port)
    typer.echo(f"Web: http://{host}:{port}  (Ctrl-C stops it)")
    server.run()


def start_in_thread(host: str, port: int) -> tuple[Any, threading.Thread]:
    """The web app served from a daemon thread (for ``aarshjul serve``); stop with
    ``server.should_exit = True``."""
    server = _server(host, port)
    thread = threading.Thread(target=server.run, name="aarshjul-web", daemon=True)
    thread.start()
    return server, thread
