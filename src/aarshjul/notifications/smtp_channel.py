"""An organisation's e-mail channel over one kept SMTP connection (standard library ``smtplib``).

apprise opens a new SMTP connection for every message and builds a new TLS context (loading the
certificate bundle) for each, even for plain SMTP: 2,306 messages were 2,306 connections. This
channel reads the same apprise ``mailto://``/``mailtos://`` URL (apprise parses it, so the syntax
and its defaults are apprise's: host, port, ``mode``, user and password, ``from``, ``name``,
``smtp``, ``verify``, ``reply``, ``+Header=value``), then sends every message of a run over one
connection and one TLS context, reconnecting after an error.

Each message has its own outcome, as with apprise: ``(True, "")`` once the server accepted it
(``250`` after the data), else ``(False, reason)``. A kept connection the server has dropped
meanwhile is noticed before the message's data was sent (``MAIL FROM``, ``RCPT TO``) and the
message goes out on a new one; an error during the data fails the message (the outbox retries
it later) and the next message starts a new connection. After a failed *connect* the channel
is down for the rest of the run: its remaining messages fail at once with the same reason
instead of each waiting for the server's timeout.

A message with inline pictures (the board report's wheel) is ``multipart/related``: first the
``multipart/alternative`` of text and HTML, then one ``image/png`` part per picture with its
``Content-ID`` (which the HTML names as ``cid:…``) and ``Content-Disposition: inline``.

URLs with features this channel does not reproduce (``cc``, ``bcc``, PGP) or services other than
plain SMTP are not handled here: :func:`smtp_channel` returns ``None`` and they go through apprise.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.charset import BASE64, Charset
from email.header import Header, decode_header, make_header
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aarshjul.notifications.inline_images import InlineImage

_POLICY = compat32.clone(linesep="\r\n")
# Subjects as base64 encoded words: the default ("shortest") measures the quoted-printable form
# character by character for every message, the slowest part of building one.
_UTF8 = Charset("utf-8")
_UTF8.header_encoding = BASE64
# Errors of the connection itself (refused, reset, timed out, closed by the server, TLS).
_CONNECTION_ERRORS = (OSError, smtplib.SMTPException)


@dataclass(frozen=True)
class SmtpSettings:
    """What an apprise e-mail URL says about the server and the sender."""

    host: str
    port: int
    mode: str  # "insecure", "starttls" or "ssl" (apprise's names)
    user: str | None
    password: str | None
    verify: bool
    timeout: float
    from_name: str
    from_addr: str
    reply_to: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


def smtp_channel(url: str) -> SmtpChannel | None:
    """A kept-connection channel for an apprise plain e-mail URL, else ``None`` (use apprise)."""
    settings = parse_mail_url(url)
    if settings is None:
        return None
    from aarshjul.notifications.channels import mask

    return SmtpChannel(settings, mask(url))


def parse_mail_url(url: str) -> SmtpSettings | None:
    """Read ``url`` with apprise; ``None`` unless it is a plain SMTP URL this module can send.

    >>> s = parse_mail_url("mailto://127.0.0.1:2525?from=a@example.org&name=Årshjul Fjordby")
    >>> s.host, s.port, s.mode, s.from_name, s.from_addr
    ('127.0.0.1', 2525, 'insecure', 'Årshjul Fjordby', 'a@example.org')
    """
    import apprise  # here, not at module level: every CLI command would pay ~0.2 s
    from apprise.plugins.email.base import PGP_MODE_DEFAULT, NotifyEmail

    found = apprise.Apprise.instantiate(url)
    if type(found) is not NotifyEmail:
        return None
    plugin: Any = found  # apprise's attributes are untyped
    if plugin.cc or plugin.bcc or plugin.pgp_mode != PGP_MODE_DEFAULT:
        return None
    name, addr = plugin.from_addr
    return SmtpSettings(
        host=str(plugin.smtp_host), port=int(plugin.port), mode=str(plugin.secure_mode),
        user=plugin.user or None, password=plugin.password or None,
        verify=bool(plugin.verify_certificate), timeout=float(plugin.socket_connect_timeout),
        from_name=_plain(name), from_addr=str(addr), reply_to=tuple(sorted(plugin.reply_to)),
        headers=tuple(sorted(plugin.headers.items())),
    )  # fmt: skip


def _plain(name: Any) -> str:
    """apprise keeps a non-ASCII display name RFC 2047-encoded; the message encodes it again."""
    if not name:
        return ""
    return str(make_header(decode_header(str(name))))


class SmtpChannel:
    """One organisation's SMTP server for one delivery run: one connection, one TLS context."""

    def __init__(self, settings: SmtpSettings, url_masked: str) -> None:
        self.settings, self.url_masked = settings, url_masked
        self._conn: smtplib.SMTP | None = None
        self._context: ssl.SSLContext | None = None
        self._down = ""
        self._from = formataddr((settings.from_name, settings.from_addr), charset="utf-8")
        self._domain = settings.from_addr.rpartition("@")[2] or settings.host
        self.connections = 0

    def prepare(self) -> None:
        """Connect (and log in) now, unless connected or down; a failure makes the channel down."""
        if self._conn is None and not self._down:
            try:
                self._connection()
            except _CONNECTION_ERRORS as exc:
                self._down = self._unreachable(exc)

    def _unreachable(self, exc: BaseException) -> str:
        return f"mail server {self.settings.host}:{self.settings.port}: {_reason(exc)}"

    def send(
        self,
        recipient: str,
        subject: str,
        text: str,
        html: str,
        at: datetime,
        *,
        images: Sequence[InlineImage] = (),
    ) -> tuple[bool, str]:
        """Send one message to ``recipient``; ``(accepted, reason)``. Never raises.

        ``images`` go with the HTML as inline parts (none without HTML)."""
        if self._down:
            return False, self._down
        data = self._message(recipient, subject, text, html, at, images)
        for _ in range(2):
            kept = self._conn is not None
            try:
                conn = self._connection()
            except _CONNECTION_ERRORS as exc:
                self._down = (
                    f"mail server {self.settings.host}:{self.settings.port}: {_reason(exc)}"
                )
                return False, self._down
            try:
                self._transaction(conn, recipient, data)
            except _Started as exc:
                self._drop()
                return False, _reason(exc.__cause__ or exc)
            except _Refused as exc:
                return False, str(exc)
            except _CONNECTION_ERRORS as exc:
                self._drop()
                if kept:
                    continue  # the kept connection had gone; nothing of this message was sent
                return False, _reason(exc)
            return True, ""
        return False, "mail server closed the connection twice"

    def _connection(self) -> smtplib.SMTP:
        if self._conn is not None:
            return self._conn
        s = self.settings
        conn: smtplib.SMTP
        if s.mode == "ssl":
            conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._tls())
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.mode == "starttls":
                conn.starttls(context=self._tls())
            if s.user and s.password:
                conn.login(s.user, s.password)
            conn.ehlo_or_helo_if_needed()
        except BaseException:
            _close(conn)
            raise
        self._conn = conn
        self.connections += 1
        return conn

    def _tls(self) -> ssl.SSLContext:
        """One TLS context per channel and run: loading the certificate bundle is the cost."""
        if self._context is None:
            context = ssl.create_default_context()
            if not self.settings.verify:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            self._context = context
        return self._context

    def _transaction(self, conn: smtplib.SMTP, recipient: str, data: bytes) -> None:
        """``MAIL``, ``RCPT``, ``DATA`` as :meth:`smtplib.SMTP.sendmail`, telling the stages apart."""
        code, reply = conn.mail(self.settings.from_addr)
        if code != 250:
            _reset(conn)
            raise _Refused(f"sender refused: {code} {_text(reply)}")
        code, reply = conn.rcpt(recipient)
        if code not in (250, 251):
            _reset(conn)
            raise _Refused(f"recipient {recipient} refused: {code} {_text(reply)}")
        try:
            code, reply = conn.data(data)
        except smtplib.SMTPDataError as exc:
            _reset(conn)
            raise _Refused(f"message refused: {exc.smtp_code} {_text(exc.smtp_error)}") from exc
        except _CONNECTION_ERRORS as exc:
            raise _Started(str(exc)) from exc
        if code != 250:
            _reset(conn)
            raise _Refused(f"message refused: {code} {_text(reply)}")

    def _message(
        self,
        recipient: str,
        subject: str,
        text: str,
        html: str,
        at: datetime,
        images: Sequence[InlineImage] = (),
    ) -> bytes:
        s = self.settings
        msg = _body(text, html, images)
        line = " ".join(subject.split())
        msg["Subject"] = line if line.isascii() else Header(line, _UTF8)  # type: ignore[assignment]
        msg["From"] = self._from
        msg["To"] = recipient
        if s.reply_to:
            msg["Reply-To"] = ", ".join(s.reply_to)
        msg["Date"] = format_datetime(at)
        msg["Message-ID"] = f"<{uuid.uuid4().hex}@{self._domain}>"
        for name, value in s.headers:
            msg[name] = value
        return msg.as_bytes(policy=_POLICY)

    def _drop(self) -> None:
        if self._conn is not None:
            _close(self._conn)
            self._conn = None

    def close(self) -> None:
        """Say goodbye to the server (``QUIT``)."""
        self._drop()


def _body(text: str, html: str, images: Sequence[InlineImage]) -> MIMEMultipart | MIMEText:
    """The message's body: text alone, text and HTML as alternatives, and with pictures that
    HTML shows, the alternatives and the pictures as one ``multipart/related``."""
    if not html:
        return MIMEText(text, "plain", "utf-8")
    # A random boundary of our own: the generator's would be checked against the text with a
    # regular expression compiled anew for every message.
    alternative = MIMEMultipart("alternative", boundary=f"=_{uuid.uuid4().hex}")
    alternative.attach(MIMEText(text, "plain", "utf-8"))
    alternative.attach(MIMEText(html, "html", "utf-8"))
    if not images:
        return alternative
    related = MIMEMultipart(
        "related", boundary=f"=_{uuid.uuid4().hex}", type="multipart/alternative"
    )
    related.attach(alternative)
    for image in images:
        related.attach(_inline(image))
    return related


def _inline(image: InlineImage) -> MIMEImage:
    maintype, _, subtype = image.content_type.partition("/")
    part = MIMEImage(image.data, subtype if maintype == "image" and subtype else "png")
    part["Content-ID"] = f"<{image.content_id}>"
    part.add_header("Content-Disposition", "inline", filename=image.filename)
    return part


class _Refused(Exception):
    """The server answered this message with an error; the connection is still usable."""


class _Started(Exception):
    """The connection failed while the message's data was on its way: not known to be accepted,
    so it is not sent again on a new connection (the outbox retries it after its backoff)."""


def _reset(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(*_CONNECTION_ERRORS):
        conn.rset()


def _close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except _CONNECTION_ERRORS:
        conn.close()


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
