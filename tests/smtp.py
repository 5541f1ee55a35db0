"""A real SMTP server (aiosmtpd on 127.0.0.1, plain SMTP on a free port) as a pytest fixture.

Registered in ``conftest.py`` via ``pytest_plugins``. ``smtp_server.mail_url`` is the apprise
URL aarshjul sends through; ``messages`` holds parsed mails with their recipients. ``delay``
makes the server slow (seconds before it accepts each message's data), ``refuse`` names
recipients it answers 550, ``options`` go to aiosmtpd's controller (TLS, authentication) and
``connections`` counts the SMTP sessions that sent mail.
"""

from __future__ import annotations

import asyncio
import email
import email.header
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mail:
    """One received mail: envelope recipients, decoded subject, text and HTML parts, ``From:``,
    and the mail as received (``raw``, for its MIME structure and attachments)."""

    rcpt_tos: list[str]
    subject: str
    text: str
    html: str
    sender: str = ""
    raw: bytes = b""


@dataclass
class SmtpServer:
    """The running server; ``stop()``/``start()`` simulate an outage on the same port."""

    port: int
    messages: list[Mail] = field(default_factory=list)
    controller: Controller | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0
    peers: set[Any] = field(default_factory=set)
    refuse: set[str] = field(default_factory=set)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def mail_url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=aarshjul@example.dk&name=Årshjul"

    @property
    def connections(self) -> int:
        """How many SMTP sessions delivered at least one message."""
        return len(self.peers)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)  # other sessions go on meanwhile (one event loop)
        mail = _parse(envelope.rcpt_tos, envelope.content)
        with self.lock:
            self.messages.append(mail)
            self.peers.add(session.peer)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **self.options)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.messages if address in m.rcpt_tos]


def _parse(rcpt_tos: list[str], content: bytes) -> Mail:
    msg = email.message_from_bytes(content, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    sender = str(msg["From"] or "")
    text = html = ""
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            text += part.get_content()
        elif part.get_content_type() == "text/html":
            html += part.get_content()
    return Mail(list(rcpt_tos), subject, text, html, sender, bytes(content))


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A started SMTP server on a free port of 127.0.0.1, stopped after the test."""
    server = SmtpServer(port=free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
