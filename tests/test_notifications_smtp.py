"""The e-mail channel over one kept SMTP connection, against a real SMTP server (aiosmtpd):
many messages per connection, a new one after the server went away, STARTTLS and login once per
run, one message's refusal not failing the others, a down server failing fast."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from aarshjul.notifications.channels import Channel
from aarshjul.notifications.sending import ChannelSender, Message
from tests.smtp import SmtpServer, free_port

AT = datetime(2027, 10, 15, 5, tzinfo=UTC)
MESSAGE = Message("Årshjul: dit overblik", "Hej Anne\n\nOpgaven forfalder.\n", "<p>Hej Anne</p>")


def email(url: str, to: str) -> Channel:
    return Channel("email", url, html=True, recipient=to)


def test_many_messages_over_one_connection_and_a_new_one_after_the_server_restarts(
    smtp_server: SmtpServer,
) -> None:
    url = f"mailto://127.0.0.1:{smtp_server.port}?from=aarshjul@fjordby.example&name=Fjordby"
    with ChannelSender(clock=lambda: AT) as sender:
        first = [sender.send(email(url, f"p{n}@fjordby.example"), MESSAGE) for n in range(5)]
        smtp_server.stop()
        smtp_server.start()  # the kept connection is gone; nothing tells the sender
        second = [sender.send(email(url, f"q{n}@fjordby.example"), MESSAGE) for n in range(5)]
    assert [o.ok for o in first + second] == [True] * 10
    assert smtp_server.connections == 2 and len(smtp_server.messages) == 10
    mail = smtp_server.messages[0]
    assert mail.sender == "Fjordby <aarshjul@fjordby.example>"
    assert mail.subject == "Årshjul: dit overblik" and mail.rcpt_tos == ["p0@fjordby.example"]
    assert "Opgaven forfalder." in mail.text and "<p>Hej Anne</p>" in mail.html
    assert first[0].url_masked.startswith("mailto://127.0.0.1")


def test_a_refused_recipient_fails_that_message_only(smtp_server: SmtpServer) -> None:
    smtp_server.refuse = {"nobody@fjordby.example"}
    url = f"mailto://127.0.0.1:{smtp_server.port}?from=aarshjul@fjordby.example"
    with ChannelSender(clock=lambda: AT) as sender:
        outcomes = [
            sender.send(email(url, to), MESSAGE)
            for to in ("anne@fjordby.example", "nobody@fjordby.example", "bo@fjordby.example")
        ]
    assert [o.ok for o in outcomes] == [True, False, True]
    assert "nobody@fjordby.example refused: 550" in outcomes[1].error
    assert smtp_server.connections == 1


def test_a_server_that_is_down_fails_the_run_s_messages_at_once() -> None:
    url = f"mailto://127.0.0.1:{free_port()}?from=aarshjul@fjordby.example"
    with ChannelSender(clock=lambda: AT) as sender:
        outcomes = [sender.send(email(url, f"p{n}@fjordby.example"), MESSAGE) for n in range(3)]
    assert [o.ok for o in outcomes] == [False] * 3
    assert {o.error for o in outcomes} == {outcomes[0].error}
    assert "ConnectionRefusedError" in outcomes[0].error


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[SmtpServer]:
    """An SMTP server that requires STARTTLS and a login (a self-signed certificate)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path))
    logins: list[str] = []

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and data.password == b"s3cret"
        logins.append(data.login.decode())
        return AuthResult(success=ok)

    server = SmtpServer(port=free_port())
    server.options = {
        "tls_context": context, "require_starttls": True, "authenticator": authenticate,
        "auth_require_tls": True,
    }  # fmt: skip
    server.start()
    server.logins = logins  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.stop()


def test_starttls_and_login_once_for_all_messages_of_a_run(tls_server: SmtpServer) -> None:
    url = (
        f"mailtos://bot:s3cret@127.0.0.1:{tls_server.port}"
        "?mode=starttls&verify=no&from=aarshjul@fjordby.example"
    )
    with ChannelSender(clock=lambda: AT) as sender:
        outcomes = [sender.send(email(url, f"p{n}@fjordby.example"), MESSAGE) for n in range(4)]
    assert [o.ok for o in outcomes] == [True] * 4 and "s3cret" not in outcomes[0].url_masked
    assert tls_server.connections == 1 and tls_server.logins == ["bot"]  # type: ignore[attr-defined]
    assert [m.rcpt_tos for m in tls_server.messages] == [
        [f"p{n}@fjordby.example"] for n in range(4)
    ]


def _self_signed(folder: Path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(UTC) - timedelta(days=1))
        .not_valid_after(datetime.now(UTC) + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)
